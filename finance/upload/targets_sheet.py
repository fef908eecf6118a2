"""The `Targets` sheet of a monitoring workbook: each row read as a target by the rules every way in shares.

Why in `upload`: the sheet's cells are typed by the generic validator (`finance.workbook`), the target's own rules
(a known series, its units, a direction, a date) are `finance.targets.read_target`; this module puts the two
together and adds the two rules only an upload has — a target date may not be before the end of the upload's
period, and a % target may not look like a fraction (a cell formatted as % holds 95.5% as 0.955; the Collection
sheet refuses its rates the same way rather than guess). Every problem names its cell, and any problem refuses the
whole workbook (nothing is loaded).
"""

from __future__ import annotations

from datetime import date

from finance.errors import Problem
from finance.format import period_label
from finance.targets import NewTarget, date_text, period_end, read_target
from finance.workbook import TARGETS, SheetLines
from finance.years import start_year

_FIELD_OF = {"series": "series", "value": "target_value", "units": "target_units", "direction": "direction",
             "target_date": "target_date"}  # fmt: skip


def upload_period_end(sheets: list[SheetLines], year: str | None) -> tuple[date, str] | None:
    """The last day of the latest period the workbook holds (the date a target may not be before) with words;
    the start of the financial year when it holds no period's lines; None without a year."""
    periods = {int(p) for s in sheets if s.spec.per_period and len(s) for p in s.columns["period"]}
    if year is None:
        return None
    if not periods:
        first = date(start_year(year), 4, 1)
        return first, f"the start of the workbook's financial year, {date_text(first)}"
    last = max(periods)
    end = period_end(year, last)
    return end, f"the end of the upload's period, {period_label(last, month=False)} {year} ({date_text(end)})"


def check_targets_sheet(
    sheets: list[SheetLines], year: str | None, problems: list[Problem]
) -> tuple[tuple[NewTarget, int], ...]:
    """The Targets sheet's rows as (target, sheet row), adding every problem (with its cell) to `problems`; a row
    whose cells the generic checks already refused is not read again. Empty when the workbook has no Targets
    sheet."""
    sheet = next((s for s in sheets if s.spec is TARGETS and len(s)), None)
    if sheet is None:
        return ()
    bound = upload_period_end(sheets, year)
    if bound is None:
        return ()  # the workbook's missing year is already a problem of its own
    not_before, words = bound
    out: list[tuple[NewTarget, int]] = []
    cols = sheet.columns
    named = {p.where for p in problems}  # cells the generic checks already refused (a blank required cell)
    collection = next((s for s in sheets if s.spec.name == "Collection" and len(s)), None)
    streams = sorted({str(v) for v in collection.columns["stream"] if v is not None}) if collection is not None else []
    for i, row in enumerate(cols["sheet_row"]):
        fields = {f: cols[key][i] for f, key in _FIELD_OF.items()}
        where = {f: sheet.ref(key, row) for f, key in _FIELD_OF.items()}
        if named & set(where.values()):
            continue
        new, found = read_target(fields, where, not_before=not_before, not_before_words=words, streams=streams)
        if new is not None and (fraction := _fraction(new, fields["value"], where["value"])) is not None:
            new, found = None, [fraction]
        problems.extend(found)
        if new is not None:
            out.append((new, int(row)))
    return tuple(out)


def _fraction(new: NewTarget, typed: object, where: str) -> Problem | None:
    """The problem with a % target typed as a fraction, or None.

    The rule is the Collection sheet's (`finance.workbook.sheet`): a percentage strictly between 0 and 1 (here also
    between −1 and 0, as a target on a change or a variance may be negative) is refused rather than guessed at,
    because a cell formatted as % stores 95.5% as 0.955, and 0.955 could as well mean 0.955%. A value written with
    its % sign as text ("0.5%") says what it means, so a target under 1% can still be set that way."""
    if new.series.units != "pct" or str(typed).strip().endswith("%"):
        return None
    if not 0 < abs(new.value) < 1:
        return None
    shown = f"{new.value:g}"
    return Problem(
        where,
        f"{shown} looks like a fraction; type the rate as a percentage, e.g. {new.value * 100:g} (a cell formatted "
        f"as % stores {new.value * 100:g}% as {shown}); if you mean {shown}%, write it with its sign as text: "
        f"{shown}%",
        shown,
    )
