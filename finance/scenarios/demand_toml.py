"""The `[[demand]]` tables of a scenario file: the demand drivers the scenario carries, read strictly and written back.

```toml
[[demand]]
directorate = "Children's Services"
service = "Children's social care"
metric = "Children looked after"
unit = "children"
base_volume = 506
base_unit_cost_gbp = 82000.0      # £ a year per unit
growth_pct = 3.0                  # volume, % a year (or a list, one a year)
unit_cost_inflation_pct = 0.0     # optional, % a year
group = "childrens"               # optional: "adults", "childrens" or "other" (else read from the names)
growth_range = { low = 2.0, mode = 3.0, high = 6.0 }   # optional, for the Monte Carlo
basis = "in-year forecast (monitoring)"                # optional: where the base comes from
as_at = "P6 2025-26"
source = "upload 3, northbridge-p6.xlsx (sha256 1a2b…)"
```
Kept apart from `files` so the reader of the rest stays within one screen; problems are named by TOML key
(`demand[1].base_volume`), and "never both" (a line replacing a blanket demand growth that is also given) is
refused here, naming the blanket key and the lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from finance.errors import Problem
from finance.scenarios.demand import (
    GROUP_LABELS,
    GROUPS,
    GROWTH_MAX_PCT,
    GROWTH_MIN_PCT,
    MAX_LINES,
    MAX_UNIT_COST_GBP,
    MAX_VOLUME,
    DemandLine,
    infer_group,
)
from finance.scenarios.model import Triangle
from finance.workbook import bidi_control_in, strip_invisible

LINE_KEYS = (
    "directorate",
    "service",
    "metric",
    "unit",
    "base_volume",
    "base_unit_cost_gbp",
    "growth_pct",
    "unit_cost_inflation_pct",
    "group",
    "growth_range",
    "basis",
    "as_at",
    "source",
)
_REQUIRED_TEXT = ("directorate", "metric", "unit")
_OPTIONAL_TEXT = ("service", "basis", "as_at", "source")
MAX_TEXT = 200


class Adds(Protocol):
    problems: list[Problem]

    def add(self, where: str, message: str, value: object = None) -> None: ...


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _within(value: object, low: float, high: float) -> bool:
    """A number from `low` to `high`: NaN, ±inf and integers too large for a float are not."""
    return _number(value) and low <= value <= high  # type: ignore[operator]


def check_demand(c: Adds, value: object, n_years: int | None) -> tuple[DemandLine, ...]:
    """The `[[demand]]` tables as lines (none when absent), adding every problem to `c`."""
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > MAX_LINES:
        c.add("demand", f"must be a list of up to {MAX_LINES} [[demand]] tables (see docs/SCENARIOS.md)", value)
        return ()
    lines: list[DemandLine] = []
    seen: dict[tuple[str, str, str], int] = {}
    for i, item in enumerate(value):
        line = _line(c, f"demand[{i}]", item, n_years)
        if line is None:
            continue
        if (first := seen.get(line.identity())) is not None:
            c.add(f"demand[{i}]", f"repeats demand[{first}] ({line.label}): give each service's metric once")
            continue
        seen[line.identity()] = i
        lines.append(line)
    return tuple(lines) if len(lines) == len(value) else ()


def _text(c: Adds, where: str, value: object, required: bool) -> str | None:
    if value is None and not required:
        return ""
    if isinstance(value, str):
        value = strip_invisible(value).strip()
    if not isinstance(value, str) or (required and not value):
        c.add(where, "is required: a non-empty text" if required else "must be text", value)
        return None
    if len(value) > MAX_TEXT:
        c.add(where, f"must be at most {MAX_TEXT} characters", value)
        return None
    if (code := bidi_control_in(value)) is not None:
        c.add(where, f"holds a hidden text-direction control ({code}): retype it", value)
        return None
    return value


def _per_year(c: Adds, where: str, value: object, n_years: int | None) -> tuple[float, ...] | None:
    """A % a year given as one number or one a year, each from −50 to 50."""
    items: list[Any] = value if isinstance(value, list) else [value]
    if isinstance(value, list) and n_years is not None and len(value) != n_years:
        c.add(where, f"must give one value for each of the {n_years} years (or a single value), not {len(value)}")
        return None
    ok = True
    for i, item in enumerate(items):
        if not _within(item, GROWTH_MIN_PCT, GROWTH_MAX_PCT):
            at = f"{where}[{i}]" if isinstance(value, list) else where
            c.add(at, f"must be a number from {GROWTH_MIN_PCT:g} to {GROWTH_MAX_PCT:g} (% a year)", item)
            ok = False
    if not ok or n_years is None:
        return None
    return tuple(float(x) for x in items) if isinstance(value, list) else (float(items[0]),) * n_years


def _range(c: Adds, where: str, value: object) -> Triangle | None:
    if not isinstance(value, dict) or set(value) != {"low", "mode", "high"}:
        c.add(where, "must be a table { low = …, mode = …, high = … }", value)
        return None
    if not all(_within(value[k], GROWTH_MIN_PCT, GROWTH_MAX_PCT) for k in ("low", "mode", "high")):
        c.add(where, f"low, mode and high must be numbers from {GROWTH_MIN_PCT:g} to {GROWTH_MAX_PCT:g}", value)
        return None
    low, mode, high = (float(value[k]) for k in ("low", "mode", "high"))
    if not low <= mode <= high:
        c.add(where, "must have low ≤ mode ≤ high", value)
        return None
    return Triangle(low, mode, high)


def _line(c: Adds, where: str, item: object, n_years: int | None) -> DemandLine | None:
    if not isinstance(item, dict):
        c.add(where, "must be a [[demand]] table: directorate, service, metric, unit, base_volume, base_unit_cost_gbp, "
              "growth_pct", item)  # fmt: skip
        return None
    before = len(c.problems)
    for key in item:
        if key not in LINE_KEYS:
            c.add(f"{where}.{key}", "is not a known key (check the spelling; see docs/SCENARIOS.md)")
    text = {k: _text(c, f"{where}.{k}", item.get(k), k in _REQUIRED_TEXT) for k in (*_REQUIRED_TEXT, *_OPTIONAL_TEXT)}
    volume, cost = item.get("base_volume"), item.get("base_unit_cost_gbp")
    if volume is None:
        c.add(f"{where}.base_volume", "is required: the volume in the base (a count, not negative)")
    elif not _within(volume, 0, MAX_VOLUME):
        c.add(f"{where}.base_volume", f"must be a number from 0 to {MAX_VOLUME:,.0f} (not negative)", volume)
    if cost is None:
        c.add(f"{where}.base_unit_cost_gbp", "is required: the unit cost in the base (£ a year per unit)")
    elif not _within(cost, 0, MAX_UNIT_COST_GBP):
        c.add(f"{where}.base_unit_cost_gbp", f"must be a number of £ a year per unit from 0 to "
              f"{MAX_UNIT_COST_GBP:,.0f} (not negative)", cost)  # fmt: skip
    growth_range = None if "growth_range" not in item else _range(c, f"{where}.growth_range", item["growth_range"])
    given = item.get("growth_pct", growth_range.mode if growth_range is not None else 0.0)
    growth = _per_year(c, f"{where}.growth_pct", given, n_years)
    if growth_range is not None and isinstance(given, list) and len(set(given)) > 1:
        c.add(f"{where}.growth_range", "cannot be given for a growth that varies by year; give growth_pct as one value")
    inflation = _per_year(c, f"{where}.unit_cost_inflation_pct", item.get("unit_cost_inflation_pct", 0.0), n_years)
    group = item.get("group")
    if group is not None and group not in GROUPS:
        c.add(f"{where}.group", "must be one of " + ", ".join(f'"{g}"' for g in GROUPS), group)
    if len(c.problems) > before or growth is None or inflation is None:
        return None
    directorate, service = str(text["directorate"]), str(text["service"])
    return DemandLine(
        directorate,
        service,
        str(text["metric"]),
        str(text["unit"]),
        float(volume),  # type: ignore[arg-type]
        float(cost),  # type: ignore[arg-type]
        growth,
        inflation,
        str(group) if group is not None else infer_group(directorate, service),
        str(text["basis"]),
        str(text["as_at"]),
        str(text["source"]),
        growth_range,
    )


def check_never_both(
    c: Adds,
    lines: tuple[DemandLine, ...],
    assumptions: Mapping[str, float | list[float]],
    ranges: Mapping[str, Triangle],
) -> None:
    """Refuse a blanket demand growth (or its range) given beside demand lines that replace it: never both."""
    for key in sorted({line.replaces for line in lines if line.replaces is not None}):
        named = [f"demand[{i}]" for i, line in enumerate(lines) if line.replaces == key]
        group = GROUP_LABELS[next(line.group for line in lines if line.replaces == key)]
        given = assumptions.get(key, 0.0)
        if any(abs(v) > 0 for v in (given if isinstance(given, list) else [given])):
            c.add(f"assumptions.{key}", f"must be 0 or left out: the demand lines {', '.join(named)} give {group}'s "
                  "demand and replace this growth (never both)", given)  # fmt: skip
        if key in ranges:
            c.add(f"uncertainty.{key}", f"cannot be given: the demand lines {', '.join(named)} replace this growth "
                  "(give a growth_range on each line instead)")  # fmt: skip


def demand_to_list(lines: tuple[DemandLine, ...]) -> list[dict[str, Any]]:
    """The `[[demand]]` tables for `lines` (read back to equal lines)."""
    out: list[dict[str, Any]] = []
    for line in lines:
        doc: dict[str, Any] = {"directorate": line.directorate}
        if line.service:
            doc["service"] = line.service
        doc.update(
            metric=line.metric,
            unit=line.unit,
            base_volume=line.base_volume,
            base_unit_cost_gbp=line.base_unit_cost_gbp,
            growth_pct=_scalar_or_list(line.growth_pct),
            unit_cost_inflation_pct=_scalar_or_list(line.unit_cost_inflation_pct),
            group=line.group,
        )
        if line.growth_range is not None:
            t = line.growth_range
            doc["growth_range"] = {"low": t.low, "mode": t.mode, "high": t.high}
        doc.update({k: v for k, v in (("basis", line.basis), ("as_at", line.as_at), ("source", line.source)) if v})
        out.append(doc)
    return out


def _scalar_or_list(values: tuple[float, ...]) -> float | list[float]:
    return values[0] if len(set(values)) == 1 else list(values)
