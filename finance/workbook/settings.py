"""Two statements a council makes about its reserves forecast, read from the Instructions sheet.

Why they matter: a forecast year-end balance must deduct the forecast overspend, which reserves (usually the general
fund balance) would have to meet, unless the Reserves sheet's forecast use already includes it; and the adequacy
of that balance is judged against the minimum the section 151 officer states in the s25 report (CIPFA LAAP
bulletin 99: set from a risk assessment, not a fixed percentage). So the workbook may say:

- `Overspend already in reserves forecast`: Yes or No (blank = No: the overspend is deducted);
- `Minimum general fund balance`: the stated minimum, in the workbook's units (blank = no minimum stated).

A value that is neither is a problem naming its cell; nothing is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from finance.errors import Problem
from finance.workbook.reader import FieldValue
from finance.workbook.schema import UNIT_MULTIPLIER_GBP, normalise_header
from finance.workbook.values import is_blank, parse_number, to_gbp

_YES = frozenset({"yes", "y", "true", "1", "included", "already included"})
_NO = frozenset({"no", "n", "false", "0", "not included"})


@dataclass(frozen=True)
class ReserveSettings:
    """What the workbook says about its reserves forecast; None = not stated."""

    overspend_in_reserves: bool | None = None
    minimum_gf_balance_gbp: Decimal | None = None


def _yes_no(field: FieldValue, problems: list[Problem]) -> bool | None:
    value = field.value
    if isinstance(value, bool):
        return value
    word = normalise_header(value)
    if word in _YES:
        return True
    if word in _NO:
        return False
    problems.append(Problem(field.where, "Overspend already in reserves forecast must be Yes or No", str(value)))
    return None


def _minimum(field: FieldValue, units: str | None, problems: list[Problem]) -> Decimal | None:
    shown = str(field.value)
    number = parse_number(field.value)
    if not isinstance(number, Decimal):
        problems.append(Problem(field.where, "Minimum general fund balance must be a number", shown))
        return None
    if number < 0:
        problems.append(Problem(field.where, "Minimum general fund balance must not be negative", shown))
        return None
    if units is None:
        problems.append(
            Problem(field.where, "Minimum general fund balance needs the workbook's Units (£, £000 or £m)", shown)
        )
        return None
    gbp = to_gbp(number, UNIT_MULTIPLIER_GBP[units])
    if isinstance(gbp, str):
        problems.append(Problem(field.where, f"Minimum general fund balance {gbp}", shown))
        return None
    return gbp


def collection_fund_share(fields: dict[str, FieldValue], problems: list[Problem]) -> Decimal | None:
    """The Instructions' `Council share of the collection fund (%)`, 0 to 100 (None = not stated), adding any
    problem. Written 84 or 84%; a fraction (0.84) is refused rather than guessed at."""
    field = fields.get("collection_fund_share")
    if field is None or is_blank(field.value):
        return None
    shown = str(field.value).strip()
    number = parse_number(shown[:-1] if shown.endswith("%") else field.value)
    label = "Council share of the collection fund (%)"
    if not isinstance(number, Decimal):
        problems.append(Problem(field.where, f"{label} must be a number", shown))
        return None
    if number < 0 or number > 100:
        problems.append(Problem(field.where, f"{label} must be a percentage from 0 to 100", shown))
        return None
    if 0 < number < 1:
        problems.append(Problem(field.where, f"{label} looks like a fraction: write 84 (or 84%) for 84%", shown))
        return None
    return number


def reserve_settings(fields: dict[str, FieldValue], units: str | None, problems: list[Problem]) -> ReserveSettings:
    """The two fields from the Instructions sheet (`units`: the workbook's stated units), adding any problem."""
    overspend = fields.get("overspend_in_reserves")
    minimum = fields.get("minimum_balance")
    return ReserveSettings(
        None if overspend is None or is_blank(overspend.value) else _yes_no(overspend, problems),
        None if minimum is None or is_blank(minimum.value) else _minimum(minimum, units, problems),
    )
