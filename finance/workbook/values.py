"""Turn one spreadsheet cell into a number, a piece of text or a choice, the way finance teams type them.

`(1,234)` is −1,234; `1,234.5`, `£1,234` and `'1234` (a number stored as text) are numbers; a lone dash is nil,
as accounting formats show zero; `#REF!`, `#DIV/0!` and friends are errors, never zero. Each function returns the
value or the message saying what is wrong, so the validator can collect every problem before refusing the file.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from finance.workbook.schema import Column, normalise_header, strip_invisible

PENNY = Decimal("0.01")
MAX_ABS_GBP = Decimal("1e13")  # DECIMAL(18,2) holds < 1e16; no council line is anywhere near £10 trillion
MAX_TEXT_CHARS = 200
ERROR_VALUES = frozenset(
    {"#REF!", "#DIV/0!", "#VALUE!", "#N/A", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA"}
)
_NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|-?\.\d+")
_DASHES = frozenset({"-", "–", "—"})
_NON_WORD = re.compile(r"[^\w]+")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not strip_invisible(value).strip())


def parse_number(value: Any) -> Decimal | str:
    """A cell as a Decimal, or a message saying why it is not a number. Blank cells are for the caller."""
    if isinstance(value, bool):
        return "must be a number, not TRUE/FALSE"
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return "must be a finite number"
        return Decimal(repr(value))
    if isinstance(value, datetime | date | time):
        return "must be a number (the cell holds a date)"
    text = str(value).strip()
    if text.upper() in ERROR_VALUES:
        return f"the cell shows the error {text.upper()}: fix the formula"
    if text in _DASHES:
        return Decimal(0)
    s = text.lstrip("'").replace("£", "").replace(" ", "").replace("\u00a0", "")
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    elif s.startswith("-(") and s.endswith(")"):
        return "must be a number"
    if not _NUMBER.fullmatch(s):
        return "must be a number"
    try:
        number = Decimal(s.replace(",", ""))
    except InvalidOperation:
        return "must be a number"
    if negative:
        if number < 0:
            return "must be a number"
        number = -number
    return number


def to_gbp(number: Decimal, multiplier: Decimal) -> Decimal | str:
    """`number` in the workbook's units as exact £ and pence, or a message when it is absurdly large."""
    if abs(number * multiplier) >= MAX_ABS_GBP:  # before quantize: 1e308 would overflow the decimal context
        return "is too large to be a monitoring figure (£10 trillion or more)"
    gbp = (number * multiplier).quantize(PENNY, rounding=ROUND_HALF_UP)
    if abs(gbp) >= MAX_ABS_GBP:
        return "is too large to be a monitoring figure (£10 trillion or more)"
    return gbp


def parse_text(value: Any) -> str | None:
    """Text with runs of whitespace collapsed and zero-width characters removed; numbers given for text are kept as
    written (a cost centre 1234)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(strip_invisible(str(value)).split())
    return text or None


def parse_choice(value: Any, column: Column) -> str | None:
    """The canonical choice for a typed value (case, punctuation and common aliases tolerated), else None."""
    name = normalise_header(value)
    for choice in column.choices:
        if name == normalise_header(choice):
            return choice
    return column.choice_aliases.get(name)


def duplicate_key(*parts: str | None) -> tuple[str, ...]:
    """How two lines are compared for duplicates: case, spacing and punctuation ignored (digits kept: "Ward 1901"
    and "Ward 1902" differ, unlike in header matching, which drops years)."""
    return tuple(" ".join(_NON_WORD.sub(" ", p.casefold()).split()) if p else "" for p in parts)
