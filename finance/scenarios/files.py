"""Scenario files: TOML a finance team can keep under version control, read strictly and written back losslessly.

Reading reports every problem at once as `InputError` problems whose `where` is the TOML key
(`assumptions.pay_award_pct`, `years[2]`), because the person fixing the file finds it by key. Writing produces
a file that reads back to an equal `Scenario` (export → import round-trips).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import tomli_w

from finance import config
from finance import years as fy
from finance.errors import InputError, Problem
from finance.scenarios.capital_toml import capital_to_dict, check_capital
from finance.scenarios.demand_toml import check_demand, check_never_both, demand_to_list
from finance.scenarios.model import Scenario, Triangle, make_scenario
from finance.scenarios.nesting import too_deep
from finance.scenarios.spec import (
    ASSUMPTION_KEYS,
    BASE,
    BASE_KEYS,
    MAX_DEPTH,
    MAX_YEARS,
    MIN_YEARS,
    OPTION_KEYS,
    RESERVES_POLICIES,
)
from finance.workbook import bidi_control_in, strip_invisible

EXAMPLE_FILE = config.PROJECT_ROOT / "data" / "scenarios" / "sefton-mtfs-2024-27.toml"
TOP_KEYS = (
    "name",
    "authority",
    "description",
    "base_year",
    "years",
    "base",
    "balances",
    "assumptions",
    "uncertainty",
    "capital",
    "demand",
)
BALANCES_KEYS = ("as_at", "source", "earmarked_available_gbp_m")
MAX_FILE_BYTES = 1024 * 1024
_AUTHORITY = re.compile(r"E[0-9]{8}|E[0-9]{4}|DEMO[0-9]{2}")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _within(value: object, low: float, high: float) -> bool:
    """A number from `low` to `high`: NaN, ±inf and integers too large for a float are not."""
    return _is_number(value) and low <= value <= high  # type: ignore[operator]


def _show(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, where: str, message: str, value: object = None) -> None:
        self.problems.append(Problem(where, message, "" if value is None else _show(value)))

    def unknown(self, table: Mapping[str, Any], allowed: Any, prefix: str) -> None:
        for key in table:
            if key not in allowed:
                self.add(f"{prefix}{key}", "is not a known key (check the spelling; see docs/SCENARIOS.md)")


def parse_scenario(text: str, *, source: str = "scenario file") -> Scenario:
    """Read a scenario from TOML text; raises `InputError` listing every problem, each naming its key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise InputError.single(source, f"is not valid TOML: {err}") from None
    except RecursionError:  # tomllib recurses once per level of [[…]] or {…}
        raise InputError.single(source, f"nests tables or lists more than {MAX_DEPTH} deep") from None
    return scenario_from_dict(data, source=source)


def parse_scenario_bytes(data: bytes, *, source: str) -> Scenario:
    """Read an uploaded scenario file; text that is not UTF-8, or more than `MAX_FILE_BYTES`, is an `InputError`
    naming the file."""
    if len(data) > MAX_FILE_BYTES:
        raise InputError.single(source, f"is {len(data):,} bytes; a scenario file is a few KB (at most 1 MB)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError.single(source, "is not a text (UTF-8) TOML file") from None
    return parse_scenario(text, source=source)


def example_scenario() -> Scenario:
    """The shipped worked example built from the Sefton peer challenge report (data/scenarios/)."""
    return load_scenario(EXAMPLE_FILE)


def load_scenario(path: Path) -> Scenario:
    """Read a scenario file; an unreadable file is an `InputError` naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError.single(str(path), f"cannot be read: {err}") from None
    return parse_scenario(text, source=path.name)


def scenario_from_dict(data: Mapping[str, Any], *, source: str = "scenario file") -> Scenario:
    """Validate a parsed TOML document into a `Scenario` (see `parse_scenario`)."""
    if (deep := too_deep(data)) is not None:
        raise InputError.single(deep, f"is nested more than {MAX_DEPTH} tables or lists deep; a scenario needs 3")
    c = _Checker()
    c.unknown(data, TOP_KEYS, "")

    name = data.get("name")
    if isinstance(name, str):
        name = strip_invisible(name)
    if not isinstance(name, str) or not name.strip():
        c.add("name", "is required: a non-empty text", name)
    elif (code := bidi_control_in(name)) is not None:
        c.add("name", f"holds a hidden text-direction control ({code}): retype the name", name)
    authority = data.get("authority")
    if authority is not None and (not isinstance(authority, str) or not _AUTHORITY.fullmatch(authority)):
        c.add("authority", "must be an authority code such as E08000014", authority)
    description = data.get("description", "")
    if not isinstance(description, str):
        c.add("description", "must be text", description)

    base_year = _check_base_year(c, data.get("base_year"))
    years = _check_years(c, data.get("years"), base_year)
    n_years = len(years) if years else None

    base = _check_base(c, data.get("base"))
    balances = _check_balances(c, data.get("balances", {}), base)
    assumptions, options = _check_assumptions(c, data.get("assumptions", {}), n_years)
    ranges = _check_ranges(c, data.get("uncertainty", {}), assumptions)
    capital = check_capital(c, data.get("capital"))
    demand = check_demand(c, data.get("demand"), n_years)
    check_never_both(c, demand, assumptions, ranges)

    if c.problems:
        raise InputError(c.problems, summary=f"{source}: {_count(c.problems)} found")
    assert base_year is not None and years is not None and isinstance(name, str)
    for key, tri in ranges.items():
        assumptions.setdefault(key, tri.mode)
    return make_scenario(
        name.strip(),
        base_year,
        years,
        base,
        assumptions,
        ranges=ranges,
        authority=authority,
        description=description if isinstance(description, str) else "",
        **balances,
        **options,
        capital=capital,
        demand=demand,
    )


def _count(problems: list[Problem]) -> str:
    return "1 problem" if len(problems) == 1 else f"{len(problems)} problems"


def _check_base_year(c: _Checker, value: object) -> str | None:
    if not isinstance(value, str):
        c.add("base_year", "is required: a financial year written like 2023-24", value)
        return None
    if not fy.is_financial_year(value):
        c.add("base_year", "must be a financial year written like 2023-24", value)
        return None
    if (wrong := fy.out_of_range(value)) is not None:
        c.add("base_year", wrong, value)
        return None
    return value


def _check_years(c: _Checker, value: object, base_year: str | None) -> list[str] | None:
    if not isinstance(value, list) or not all(isinstance(y, str) for y in value):
        c.add("years", 'is required: a list of financial years like ["2024-25", "2025-26", "2026-27"]', value)
        return None
    ok = True
    for i, year in enumerate(value):
        if not fy.is_financial_year(year):
            c.add(f"years[{i}]", "must be a financial year written like 2024-25", year)
            ok = False
        elif (wrong := fy.out_of_range(year)) is not None:
            c.add(f"years[{i}]", wrong, year)
            ok = False
    if not ok:
        return None
    if not MIN_YEARS <= len(value) <= MAX_YEARS:
        c.add("years", f"must list {MIN_YEARS} to {MAX_YEARS} forecast years, not {len(value)}", value)
        return None
    if base_year is not None:
        expected = fy.following(base_year, len(value))
        for i, (got, want) in enumerate(zip(value, expected, strict=True)):
            if got != want:
                c.add(
                    f"years[{i}]",
                    f"must be {want}: forecast years follow the base year {base_year} one after another",
                    got,
                )
                return None
    return list(value)


def _check_base(c: _Checker, table: object) -> dict[str, float]:
    if not isinstance(table, dict):
        c.add("base", "is required: a [base] table of base-year figures in £m", table)
        return {}
    c.unknown(table, BASE_KEYS, "base.")
    out: dict[str, float] = {}
    for spec in BASE:
        where = f"base.{spec.key}"
        value = table.get(spec.key)
        if value is None:
            if spec.required:
                c.add(where, "is required (£m, base year)")
            continue
        unit = "£m" if spec.unit == "gbp_m" else "%"
        if not _is_number(value):
            c.add(where, f"must be a number ({unit})", value)
        elif not _within(value, 0, spec.maximum):
            c.add(where, f"must be a number from 0 to {spec.maximum:,g} ({unit})", value)
        elif spec.key == "collection_rate_pct" and value == 0:
            c.add(where, "must be a percentage above 0 and at most 100", value)
        elif spec.key == "net_revenue_budget" and value == 0:
            c.add(where, f"must be more than 0 and at most {spec.maximum:,g} (£m)", value)
        else:
            out[spec.key] = float(value)
    return out


def _check_balances(c: _Checker, table: object, base: Mapping[str, float]) -> dict[str, Any]:
    """The optional [balances] table: the starting balances' as-at date and source, and the earmarked reserves
    available to draw (files written before issue 14 have none: the page then says so)."""
    out: dict[str, Any] = {}
    if not isinstance(table, dict):
        c.add("balances", "must be a table: as_at, source, earmarked_available_gbp_m", table)
        return out
    c.unknown(table, BALANCES_KEYS, "balances.")
    as_at = table.get("as_at")
    if isinstance(as_at, datetime):
        c.add("balances.as_at", "must be a date without a time, like 2024-03-31", as_at)
    elif isinstance(as_at, date):
        out["balances_as_at"] = as_at
    elif isinstance(as_at, str):
        try:
            out["balances_as_at"] = date.fromisoformat(as_at)
        except ValueError:
            c.add("balances.as_at", "must be a date like 2024-03-31", as_at)
    elif as_at is not None:
        c.add("balances.as_at", "must be a date like 2024-03-31", as_at)
    source = table.get("source")
    if source is not None and not isinstance(source, str):
        c.add("balances.source", "must be text", source)
    elif source:
        out["balances_source"] = source.strip()
    available = table.get("earmarked_available_gbp_m")
    if available is not None:
        held = base.get("earmarked_reserves")
        if not _within(available, 0, BASE_KEYS["earmarked_reserves"].maximum):
            c.add("balances.earmarked_available_gbp_m", "must be a number of £m, not negative", available)
        elif held is not None and available > held + 1e-9:
            c.add(
                "balances.earmarked_available_gbp_m",
                f"must not exceed the earmarked reserves held (base.earmarked_reserves = {held:g})",
                available,
            )
        else:
            out["earmarked_available_gbp_m"] = float(available)
    return out


def _check_assumptions(
    c: _Checker, table: object, n_years: int | None
) -> tuple[dict[str, float | list[float]], dict[str, Any]]:
    values: dict[str, float | list[float]] = {}
    options: dict[str, Any] = {}
    if not isinstance(table, dict):
        c.add("assumptions", "must be a table of assumptions", table)
        return values, options
    c.unknown(table, (*ASSUMPTION_KEYS, *OPTION_KEYS), "assumptions.")
    for key, value in table.items():
        where = f"assumptions.{key}"
        if key == "reserves_policy":
            if value not in RESERVES_POLICIES:
                c.add(where, "must be one of " + ", ".join(f'"{p}"' for p in RESERVES_POLICIES), value)
            else:
                options[key] = value
        elif key == "dsg_cliff":
            if not isinstance(value, bool):
                c.add(where, "must be true or false", value)
            else:
                options[key] = value
        elif key == "dsg_written_off_pct":
            if not _within(value, 0, 100):
                c.add(where, "must be a single percentage from 0 to 100", value)
            else:
                options[key] = float(value)
        elif key in ASSUMPTION_KEYS:
            checked = _check_value(c, where, key, value, n_years)
            if checked is not None:
                values[key] = checked
    return values, options


def _check_value(c: _Checker, where: str, key: str, value: object, n_years: int | None) -> float | list[float] | None:
    spec = ASSUMPTION_KEYS[key]
    unit = "£m" if spec.unit == "gbp_m" else "%"
    if isinstance(value, list):
        if n_years is not None and len(value) != n_years:
            c.add(where, f"must give one value for each of the {n_years} years (or a single value), not {len(value)}")
            return None
        items = value
    elif _is_number(value):
        items = [value]
    else:
        c.add(where, f"must be a number ({unit}) or a list of numbers, one a year", value)
        return None
    ok = True
    for i, item in enumerate(items):
        at = f"{where}[{i}]" if isinstance(value, list) else where
        if not _is_number(item):
            c.add(at, f"must be a number ({unit})", item)
            ok = False
        elif not _within(item, spec.minimum, spec.maximum):
            c.add(at, f"must be between {spec.minimum:g} and {spec.maximum:g} ({unit})", item)
            ok = False
    if not ok:
        return None
    return [float(x) for x in items] if isinstance(value, list) else float(items[0])


def _check_ranges(c: _Checker, table: object, assumptions: Mapping[str, float | list[float]]) -> dict[str, Triangle]:
    out: dict[str, Triangle] = {}
    if not isinstance(table, dict):
        c.add("uncertainty", "must be a table of ranges like pay_award_pct = { low = 2.5, mode = 3.5, high = 6.0 }")
        return out
    c.unknown(table, ASSUMPTION_KEYS, "uncertainty.")
    for key, value in table.items():
        if key not in ASSUMPTION_KEYS:
            continue
        where = f"uncertainty.{key}"
        spec = ASSUMPTION_KEYS[key]
        if not isinstance(value, dict) or set(value) != {"low", "mode", "high"}:
            c.add(where, "must be a table { low = …, mode = …, high = … }", value)
            continue
        if not all(_within(value[k], spec.minimum, spec.maximum) for k in ("low", "mode", "high")):
            c.add(where, f"low, mode and high must be numbers from {spec.minimum:g} to {spec.maximum:g}", value)
            continue
        low, mode, high = (float(value[k]) for k in ("low", "mode", "high"))
        if not low <= mode <= high:
            c.add(where, "must have low ≤ mode ≤ high", value)
        elif low < spec.minimum or high > spec.maximum:
            c.add(where, f"must lie between {spec.minimum:g} and {spec.maximum:g}", value)
        elif isinstance(assumptions.get(key), list) and len(set(assumptions[key])) > 1:  # type: ignore[arg-type]
            c.add(where, "cannot be given for an assumption that varies by year; give it as a single value")
        else:
            out[key] = Triangle(low, mode, high)
    return out


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """The TOML document for `scenario`: every base figure and assumption written out explicitly."""
    doc: dict[str, Any] = {"name": scenario.name}
    if scenario.authority:
        doc["authority"] = scenario.authority
    if scenario.description:
        doc["description"] = scenario.description
    doc["base_year"] = scenario.base_year
    doc["years"] = list(scenario.years)
    doc["base"] = {spec.key: float(scenario.base[spec.key]) for spec in BASE}
    balances: dict[str, Any] = {}
    if scenario.balances_as_at is not None:
        balances["as_at"] = scenario.balances_as_at
    if scenario.balances_source:
        balances["source"] = scenario.balances_source
    if scenario.earmarked_available_gbp_m is not None:
        balances["earmarked_available_gbp_m"] = scenario.earmarked_available_gbp_m
    if balances:
        doc["balances"] = balances
    assumptions: dict[str, Any] = {}
    for key, per_year in scenario.assumptions.items():
        assumptions[key] = per_year[0] if len(set(per_year)) == 1 else list(per_year)
    assumptions["reserves_policy"] = scenario.reserves_policy
    assumptions["dsg_cliff"] = scenario.dsg_cliff
    assumptions["dsg_written_off_pct"] = scenario.dsg_written_off_pct
    doc["assumptions"] = assumptions
    if scenario.ranges:
        doc["uncertainty"] = {k: {"low": t.low, "mode": t.mode, "high": t.high} for k, t in scenario.ranges.items()}
    if scenario.capital is not None:
        doc["capital"] = capital_to_dict(scenario.capital)
    if scenario.demand:
        doc["demand"] = demand_to_list(scenario.demand)
    return doc


def scenario_to_toml(scenario: Scenario) -> str:
    """The scenario as TOML text that `parse_scenario` reads back to an equal scenario."""
    header = (
        "# Headroom MTFS scenario. Money in £m; assumptions in % a year unless the name ends in _gbp_m.\n"
        "# A single value applies to every year; a list gives one value a year. See docs/SCENARIOS.md.\n"
    )
    return header + tomli_w.dumps(scenario_to_dict(scenario))
