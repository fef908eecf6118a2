"""A target as entered and as stored, and the one reading of its fields every way in shares.

Why one reading: the app's form, a `Targets` sheet row, the Collection sheet's target rate and the command line
all give the same five facts (series, value, units, direction, target date); reading them in one place means one
set of rules and one set of words for what is wrong, each naming where the user typed it (a cell, a form field,
a CLI option).
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from finance.errors import Problem
from finance.format import gbp_m, pct
from finance.targets.catalogue import (
    DIRECTION_WORDS,
    UNITS_WORDS,
    Direction,
    TargetSeries,
    Units,
    find_series,
    parse_direction,
    parse_units,
    series_of,
)
from finance.years import is_financial_year, out_of_range, start_year, year_from_start

FIELDS = ("series", "value", "units", "direction", "target_date")
VIA = ("app", "sheet", "collection_sheet", "cli", "demo")
VIA_WORDS = {
    "app": "on the Targets page",
    "sheet": "on a Targets sheet",
    "collection_sheet": "by a Collection sheet's target rate",
    "cli": "from the command line",
    "demo": "by the demo",
}


@dataclass(frozen=True)
class NewTarget:
    """A target to set: `value` in £ (units 'gbp') or % (units 'pct'); `mandate` the decision or report it rests
    on (free text, optional)."""

    series_key: str
    value: float
    units: Units
    direction: Direction
    target_date: date
    mandate: str | None = None
    stream: str | None = None  # a collection rate's income stream, as named where it was set

    @property
    def series(self) -> TargetSeries:
        return series_of(self.series_key, self.stream)


@dataclass(frozen=True)
class Target:
    """A stored target with who set it, when and how; `state` is 'current', 'superseded' (a newer one for the
    same series) or 'withdrawn' (its upload was withdrawn)."""

    target_id: int
    authority_code: str
    series_key: str
    value: float
    units: Units
    direction: Direction
    target_date: date
    mandate: str | None
    set_by: str
    set_at: datetime
    set_via: str
    upload_id: int | None
    state: str
    stream: str | None = None  # a collection rate's income stream, as named where it was set

    @property
    def series(self) -> TargetSeries:
        return series_of(self.series_key, self.stream)

    @property
    def value_text(self) -> str:
        return value_text(self.value, self.units)

    @property
    def label(self) -> str:
        """'Target: at least £23.0m by 31 Mar 2029 (set by s151@council)': the words drawn beside its line."""
        return (
            f"Target: {DIRECTION_WORDS[self.direction]} {self.value_text} by {date_text(self.target_date)} "
            f"(set by {self.set_by})"
        )

    @property
    def provenance(self) -> str:
        """'set 5 Jan 2026 by s151 on the Targets page': the target's as-at date and where it came from, drawn in
        the hover of every chart that shows it."""
        upload = f" (upload {self.upload_id})" if self.upload_id is not None else ""
        return (
            f"set {date_text(self.set_at.date())} by {self.set_by} {VIA_WORDS.get(self.set_via, self.set_via)}{upload}"
        )

    def met_by(self, value: float) -> bool:
        """Whether `value` (same units) meets the target: at least → value ≥ target; at most → value ≤ target."""
        return value >= self.value if self.direction == "at_least" else value <= self.value

    def as_dict(self) -> dict[str, object]:
        return {
            "target_id": self.target_id,
            "authority_code": self.authority_code,
            "series": self.series_key,
            "series_title": self.series.title,
            "stream": self.series.stream,
            "value": self.value,
            "units": UNITS_WORDS[self.units],
            "direction": DIRECTION_WORDS[self.direction],
            "target_date": self.target_date.isoformat(),
            "mandate": self.mandate,
            "set_by": self.set_by,
            "set_at": self.set_at.isoformat(timespec="seconds"),
            "set_via": self.set_via,
            "upload_id": self.upload_id,
            "state": self.state,
        }


def value_text(value: float, units: Units) -> str:
    """£ as £m to one decimal (£23.0m), % to one decimal (95.5%)."""
    return gbp_m(value) if units == "gbp" else pct(value)


def date_text(day: date) -> str:
    return f"{day.day} {calendar.month_abbr[day.month]} {day.year}"


def period_end(financial_year: str, period: int) -> date:
    """The last day of monitoring period `period` (April = P1) of `financial_year`: P6 2025-26 → 30 Sep 2025."""
    month = (period + 2) % 12 + 1
    year = start_year(financial_year) + (1 if month <= 3 else 0)
    return date(year, month, calendar.monthrange(year, month)[1])


def date_out_of_range(day: date) -> str | None:
    """Why a target date is not one Headroom takes (its financial year more than ten years ahead: a typo such
    as 2092 for 2029), or None."""
    return out_of_range(year_of(day))


def year_of(day: date) -> str:
    """The financial year `day` falls in: 31 Mar 2029 → '2028-29'."""
    return year_from_start(day.year if day.month >= 4 else day.year - 1)


_NUMBER = re.compile(r"[£,%\s]")


def _number(raw: object) -> float | None:
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int | float):
        return float(raw) if math.isfinite(float(raw)) else None
    text = _NUMBER.sub("", str(raw))
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_date(raw: object) -> date | None:
    """A date from a date, '2029-03-31', '31/03/2029' or a financial year '2028-29' (its 31 March); else None."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw or "").strip()
    if is_financial_year(text):
        return date(start_year(text) + 1, 3, 31)
    try:
        if match := _DMY.fullmatch(text):
            return date(int(match[3]), int(match[2]), int(match[1]))
        return date.fromisoformat(text[:10]) if len(text) >= 10 else None
    except ValueError:
        return None


def read_target(
    fields: Mapping[str, object],
    where: Mapping[str, str],
    *,
    not_before: date,
    not_before_words: str,
    mandate: str | None = None,
    streams: Sequence[str] = (),
) -> tuple[NewTarget | None, list[Problem]]:
    """Read one target from raw `fields` (keys `FIELDS`; `where[field]` names where each was typed).

    Every problem is returned at once: an unknown series (named), a value that is not a number, units that are
    not £/£m/£000/% or not the series' units, a direction that is not 'at least'/'at most', a date that is not a
    date or is before `not_before` (`not_before_words` says why, e.g. 'the end of the upload's period, 30 Sep
    2025'). The value is returned in £ or %. `streams`: the council's income streams beyond the catalogue's six,
    whose collection rates may be named too (`find_series`)."""
    problems: list[Problem] = []
    raw_series = fields.get("series")
    series = find_series(raw_series, streams)
    if series is None:
        problems.append(
            Problem(
                where["series"],
                "is not a series Headroom can hold a target for (see `python -m finance targets series` or the "
                "Targets page for the list)",
                str(raw_series or ""),
            )
        )
    value = _number(fields.get("value"))
    if value is None:
        problems.append(Problem(where["value"], "must be a number", str(fields.get("value") or "")))
    units = parse_units(fields.get("units"))
    if units is None:
        problems.append(Problem(where["units"], "must be £, £m, £000 or %", str(fields.get("units") or "")))
    elif series is not None and units[0] != series.units:
        problems.append(
            Problem(
                where["units"],
                f"{series.title} is in {UNITS_WORDS[series.units]}, not {UNITS_WORDS[units[0]]}",
                str(fields.get("units")),
            )
        )
    direction = parse_direction(fields.get("direction"))
    if direction is None:
        problems.append(
            Problem(where["direction"], "must be 'at least' or 'at most'", str(fields.get("direction") or ""))
        )
    target_date = parse_date(fields.get("target_date"))
    if target_date is None:
        problems.append(
            Problem(
                where["target_date"],
                "must be a date (2029-03-31, 31/03/2029) or a financial year (2028-29: its 31 March)",
                str(fields.get("target_date") or ""),
            )
        )
    elif target_date < not_before:
        problems.append(Problem(where["target_date"], f"is before {not_before_words}", target_date.isoformat()))
    elif (too_far := date_out_of_range(target_date)) is not None:
        problems.append(Problem(where["target_date"], too_far, target_date.isoformat()))
    if mandate is not None and len(mandate) > 300:
        problems.append(Problem(where.get("mandate", "authority"), "must be at most 300 characters"))
    if problems or series is None or value is None or units is None or direction is None or target_date is None:
        return None, problems
    amount = round(value * units[1], 2 if series.units == "gbp" else 4)
    if series.units == "pct" and not -1000 <= amount <= 1000:
        return None, [Problem(where["value"], "must be a percentage between -1000 and 1000", str(value))]
    if series.units == "gbp" and abs(amount) >= 1e15:
        return None, [Problem(where["value"], "is too large for an amount in £", str(value))]
    mandate_text = (mandate or "").strip() or None
    return NewTarget(series.key, amount, series.units, direction, target_date, mandate_text, series.stream), []
