"""Form lines Headroom reads by their RS line number, and by label only in the years whose files print none.

Why by number: a line keeps its number while its label changes from year to year — RS line 781 is "Interest
payable and similar charges" in 2010-11 to 2014-15, "Interest: Interest payable and similar charges" in 2016-17
and "Interest: external payments" in 2015-16, 2017-18 and 2023-24. The one-sheet files (2015-16 on) print each
column's line number in the row above the header, so the number decides there and the label is not consulted.
The 2010-15 .xls files print no line numbers; there the line is found by its labels, and only inside its block
of the form (after "Capital expenditure charged to the GF Revenue Account (CERA)" and before "Total capital
charges/items"), because the same label appears again later on the sheet (the Icelandic bank impairment memo
and, in 2010-11, a second memo block). One lookup for every line and every reader.

The financing-cost lines (Prudential-Code style financing costs = 773 + 776 + 781 + 783 + 786) all sit in that
capital-financing block: "Provision for repayment of principal" (773, minimum revenue provision), "Leasing
payments" (776), the interest line 781, "Interest: HRA item 8 payments and receipts" (783) and "Interest and
investment income (-): external receipts and dividends" (786, published negative). In the 2010-15 files
"Provision for repayment of principal" and "Interest payable and similar charges" appear again after the block
(the memo columns); only the block's occurrence, the first after CERA, is read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from finance.official.model import clean_text, norm_label

#: A row "prints line numbers" when at least this many of its cells are whole numbers (the authority columns
#: and a few others are blank); a stray number in a title row is not enough.
_MIN_NUMBERED = 10


@dataclass(frozen=True)
class FormLine:
    """One line of a return's form: the measure it is stored as, its number, the labels it has had."""

    measure: str
    dataset: str  # the return it belongs to: 'RS outturn' (RA numbers its lines differently)
    line: str
    labels: tuple[str, ...]  # normalised (norm_label) labels, for the files with no line numbers
    block_start: re.Pattern[str]  # label-only files: the column that opens the block the line sits in
    block_end: re.Pattern[str]  # … and the column that closes it

    def describe(self) -> str:
        return f"RS line {self.line}"


INTEREST_PAYABLE = FormLine(
    measure="interest_payable",
    dataset="RS outturn",
    line="781",
    labels=(
        "interest payable and similar charges",
        "interest: interest payable and similar charges",
        "interest: external payments",
    ),
    block_start=re.compile(r"^capital expenditure charged to the gf revenue account"),
    block_end=re.compile(r"^total capital (charges|items)"),
)

_CAPITAL_BLOCK_START = INTEREST_PAYABLE.block_start
_CAPITAL_BLOCK_END = INTEREST_PAYABLE.block_end

MINIMUM_REVENUE_PROVISION = FormLine(
    measure="minimum_revenue_provision",
    dataset="RS outturn",
    line="773",
    labels=("provision for repayment of principal",),
    block_start=_CAPITAL_BLOCK_START,
    block_end=_CAPITAL_BLOCK_END,
)

LEASING_PAYMENTS = FormLine(
    measure="leasing_payments",
    dataset="RS outturn",
    line="776",
    labels=("leasing payments",),
    block_start=_CAPITAL_BLOCK_START,
    block_end=_CAPITAL_BLOCK_END,
)

HRA_INTEREST = FormLine(
    measure="hra_item8_interest",
    dataset="RS outturn",
    line="783",
    labels=("interest: hra item 8 payments and receipts",),
    block_start=_CAPITAL_BLOCK_START,
    block_end=_CAPITAL_BLOCK_END,
)

INVESTMENT_INCOME = FormLine(
    measure="interest_investment_income",
    dataset="RS outturn",
    line="786",
    labels=(
        "interest and investment income (-): external receipts and dividends",
        "interest and investment income(-): external receipts and dividends",
    ),
    block_start=_CAPITAL_BLOCK_START,
    block_end=_CAPITAL_BLOCK_END,
)

#: The lines whose sum, as published, is the financing costs, in form order.
FINANCING_COST_LINES: tuple[FormLine, ...] = (
    MINIMUM_REVENUE_PROVISION,
    LEASING_PAYMENTS,
    INTEREST_PAYABLE,
    HRA_INTEREST,
    INVESTMENT_INCOME,
)

FORM_LINES: tuple[FormLine, ...] = FINANCING_COST_LINES


def lines_for(dataset: str) -> tuple[FormLine, ...]:
    """The form lines read from a return of `dataset` ('RS outturn' | 'RA budget')."""
    return tuple(spec for spec in FORM_LINES if spec.dataset == dataset)


def line_numbers(rows: Sequence[Sequence[object]], header_row: int) -> list[str] | None:
    """The line number above each header column ('' where none), or None when the file prints none."""
    if header_row == 0:
        return None
    numbers = [_line_text(c) for c in rows[header_row - 1]]
    return numbers if sum(1 for n in numbers if n) >= _MIN_NUMBERED else None


def _line_text(cell: object) -> str:
    text = clean_text(cell)
    return text if text.isdigit() else ""


def find_line(header: Sequence[object], numbers: Sequence[str] | None, spec: FormLine) -> tuple[int, str] | None:
    """(column, source label) of `spec` in this header, or None when the return does not carry it.

    With line numbers: the first column numbered `spec.line`, whatever its label. Without: the first column
    labelled as the line between the block's opening and closing columns.
    """
    if numbers is not None:
        for i, number in enumerate(numbers):
            if number == spec.line and i < len(header):
                return i, f"{clean_text(header[i])} (line {spec.line})"
        return None
    labels = [norm_label(c) for c in header]
    start = next((i for i, t in enumerate(labels) if spec.block_start.match(t)), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(labels)) if spec.block_end.match(labels[i])), len(labels))
    for i in range(start + 1, end):
        if labels[i] in spec.labels:
            return i, f"{clean_text(header[i])} ({spec.describe()}, found by label: the file prints no line numbers)"
    return None
