"""The financial risk register a council uploads (the optional Risks sheet): its checks and its likelihoods.

The generic validator types each cell (impacts in £, not negative; text). What only a risk register needs:

- Likelihood is a percentage or a 1–5 score. A column holds one or the other: a cell written with % (or a number
  between 0 and 1, as Excel stores a percentage cell) makes the column percentages, where 0%–100% is accepted;
  otherwise every cell must be a whole score 1–5, read as `SCORE_PCT` (1 = 5%, 2 = 20%, 3 = 50%, 4 = 80%,
  5 = 95%). The mapping is shown on the Reserve adequacy page and in docs/METHODOLOGY.md.
- Impact low ≤ most likely ≤ high (all three equal: a fixed impact).
- Each Risk ID once.

Every problem is named by its cell; a sheet with any problem loads nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from finance.errors import Problem
from finance.workbook import SheetLines, duplicate_key

SCORE_PCT: dict[int, float] = {1: 5.0, 2: 20.0, 3: 50.0, 4: 80.0, 5: 95.0}
IMPACTS = ("impact_low_gbp", "impact_likely_gbp", "impact_high_gbp")


@dataclass(frozen=True)
class RiskDraft:
    """A checked Risks sheet, ready to store: its lines column-wise, money in exact £, likelihood in %."""

    sheet_title: str
    columns: dict[str, list[Any]]

    def __len__(self) -> int:
        return len(self.columns["risk_id"])


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _is_percent_cell(text: str) -> bool:
    if text.strip().endswith("%"):
        return True
    value = _number(text)
    return value is not None and 0 <= value < 1


def parse_likelihood(text: str, percent_column: bool) -> tuple[float, int | None] | str:
    """(likelihood %, the score or None) from a cell's text, or a message saying what is wrong."""
    written = text.strip()
    if percent_column:
        value = _number(written[:-1]) if written.endswith("%") else _number(written)
        if value is None:
            return "Likelihood must be a percentage (like 35%) or a score 1–5"
        pct = value if written.endswith("%") else value * 100
        if not 0 <= pct <= 100:
            return "Likelihood must be between 0% and 100% (the column holds percentages)"
        return float(pct), None
    value = _number(written)
    if value is None:
        return "Likelihood must be a percentage (like 35%) or a score 1–5"
    if value != value.to_integral_value() or not 1 <= value <= 5:
        return "Likelihood score must be a whole number from 1 to 5 (1 = 5%, 2 = 20%, 3 = 50%, 4 = 80%, 5 = 95%)"
    return SCORE_PCT[int(value)], int(value)


def check_risks(sheets: list[SheetLines], problems: list[Problem]) -> RiskDraft | None:
    """The Risks sheet as a draft (adding its problems to `problems`), or None when the workbook has none or it has
    problems. Cells the generic validator refused (a negative impact, text in a number) are already in `problems`
    and are not reported twice."""
    sheet = next((s for s in sheets if s.spec.name == "Risks"), None)
    if sheet is None:
        return None
    cols = sheet.columns
    rows: list[int] = cols["sheet_row"]
    percent_column = any(_is_percent_cell(str(v)) for v in cols["likelihood"] if v is not None)
    found: list[Problem] = []
    pcts: list[float] = []
    scores: list[int | None] = []
    seen: dict[tuple[str, ...], int] = {}
    for i, row in enumerate(rows):
        parsed = parse_likelihood(str(cols["likelihood"][i]), percent_column)
        if isinstance(parsed, str):
            found.append(Problem(sheet.ref("likelihood", row), parsed, str(cols["likelihood"][i])))
        else:
            pcts.append(parsed[0])
            scores.append(parsed[1])
        low, likely, high = (cols[k][i] for k in IMPACTS)
        if not low <= likely <= high:
            bad = "impact_likely_gbp" if not low <= likely else "impact_high_gbp"
            found.append(
                Problem(
                    sheet.ref(bad, row),
                    f"impacts must satisfy low ≤ most likely ≤ high (£{low:,.2f} ≤ £{likely:,.2f} ≤ £{high:,.2f})",
                )
            )
        key = duplicate_key(cols["risk_id"][i])
        if key in seen:
            found.append(
                Problem(
                    sheet.ref("risk_id", row),
                    f"duplicate Risk ID: {cols['risk_id'][i]} is already on row {seen[key]}",
                    str(cols["risk_id"][i]),
                )
            )
        seen.setdefault(key, row)
    if found or any(p.where.startswith(f"{sheet.title}!") for p in problems):
        problems.extend(found)
        return None
    if not rows:
        return None
    columns = {k: list(v) for k, v in cols.items() if k != "period"}
    columns["likelihood_given"] = [str(v) for v in cols["likelihood"]]
    columns["likelihood_pct"] = pcts
    columns["likelihood_score"] = scores
    del columns["likelihood"]
    return RiskDraft(sheet.title, columns)
