"""The resilience profile: every indicator for one authority and year, placed among its peers.

Why one entry point: the CLI, the page and the benchmark must show exactly the same numbers, so all of them call
`resilience_profile(store, code, year, group)` — a handful of fully-fetched queries, then pure functions.
No composite score is computed, by design (CIPFA's stance): each indicator stands alone with its peer position.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from finance.errors import NotFoundError
from finance.format import ordinal, pct
from finance.indicators import financing as fc
from finance.indicators import measures as m
from finance.indicators import queries as q
from finance.indicators import social_care as sc
from finance.indicators.peers import PeerStats, direction_of_travel, peer_stats
from finance.peergroups import EVERY_CLASS, UPPER_TIER, PeerGroup, applicability, is_neighbour_group
from finance.store import Store
from finance.years import parse_financial_year, shift


@dataclass(frozen=True)
class IndicatorSpec:
    key: str
    title: str
    unit: str
    higher_risk_when: str  # 'lower' | 'higher'
    compute: Callable[[m.AuthoritySeries, str], m.Reading]
    #: shown for the authority and year only when this holds (an indicator and the one shown instead of it)
    shown_when: Callable[[m.AuthoritySeries, str], bool] | None = None
    #: the classes of authority the indicator applies to; a peer of another class (or outside England) is
    #: "not applicable" and left out of the comparison (`finance.peergroups.applicability`)
    applies_to: frozenset[str] = EVERY_CLASS


INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec("reserves_sustainability_years", "Reserves sustainability", "years", "lower",
                  m.reserves_sustainability),
    IndicatorSpec("usable_reserves_pct_nre", "Level of usable reserves", "% of NRE", "lower", m.usable_pct_nre),
    IndicatorSpec("unallocated_reserves_pct_nre", "Level of unallocated reserves", "% of NRE", "lower",
                  m.unallocated_pct_nre),
    IndicatorSpec("earmarked_reserves_pct_nre", "Level of other earmarked reserves", "% of NRE", "lower",
                  m.earmarked_pct_nre),
    IndicatorSpec("usable_reserves_change_3y_pct", "Change in usable reserves (3 years)", "%", "lower",
                  m.change_3y),
    IndicatorSpec("unallocated_reserves_change_3y_pct", "Change in unallocated reserves (3 years)", "%", "lower",
                  m.unallocated_change_3y),
    IndicatorSpec("earmarked_reserves_change_3y_pct", "Change in other earmarked reserves (3 years)", "%",
                  "lower", m.earmarked_change_3y),
    IndicatorSpec("usable_reserves_change_1y_pct", "Change in usable reserves (1 year)", "%", "lower",
                  m.change_1y),
    IndicatorSpec("council_tax_ratio_pct", "Council tax ratio", "% of NRE", "lower", m.council_tax_ratio),
    IndicatorSpec("dsg_deficit_pct_usable_reserves", "DSG deficit ratio", "% of usable reserves", "higher",
                  m.dsg_deficit_ratio, applies_to=UPPER_TIER),
    IndicatorSpec("external_borrowing_pct_nre", "External borrowing", "% of NRE", "higher",
                  m.external_borrowing_pct_nre),
    IndicatorSpec("interest_payable_pct_nre", "Interest payable", "% of NRE", "higher",
                  m.interest_payable_pct_nre),
    IndicatorSpec(fc.KEY, fc.TITLE, "% of NRE", "higher", fc.financing_costs_pct_nre),
    IndicatorSpec(sc.RATIO_KEY, "Social care ratio", "% of NRE", "higher", sc.social_care_ratio,
                  shown_when=sc.nre_held, applies_to=UPPER_TIER),
    IndicatorSpec(sc.SHARE_KEY,
                  "Social care spend as % of total service expenditure (not the CIPFA social care ratio: "
                  "the year's NRE is not held)",
                  "% of total service expenditure", "higher", sc.social_care_share,
                  shown_when=lambda s, y: not sc.nre_held(s, y), applies_to=UPPER_TIER),
)  # fmt: skip


@dataclass(frozen=True)
class PeerValue:
    code: str
    name: str
    reading: m.Reading
    class_code: str | None = None  # the class on the returns; None where Headroom holds no return for it


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    spec: IndicatorSpec
    reading: m.Reading
    stats: PeerStats
    previous_year: str | None
    previous: m.Reading | None
    travel: str
    peers: tuple[PeerValue, ...]


@dataclass(frozen=True)
class Profile:
    authority: q.AuthorityInfo
    financial_year: str
    group: str
    years_held: tuple[str, ...]
    results: tuple[IndicatorResult, ...]
    peer_group: PeerGroup | None = None  # the group's label, definition and source (None: built from frames)

    def table(self) -> pd.DataFrame:
        """One row per indicator, the columns a person reads (values rounded for display only)."""
        return pd.DataFrame([_row(r) for r in self.results])

    def peer_table(self) -> pd.DataFrame:
        """One row per indicator × peer: the values behind the strips."""
        rows = [
            {
                "indicator": r.spec.title,
                "unit": r.spec.unit,
                "ons_code": p.code,
                "name": p.name,
                "value": _num(p.reading),
                "status": _status_text(p.reading),
                "basis": p.reading.basis,
            }
            for r in self.results
            for p in r.peers
        ]
        return pd.DataFrame(rows)

    def members_table(self, key: str) -> pd.DataFrame:
        """The peer group's members under indicator `key`: Authority, ONS code, Class, In this comparison ('yes'
        for a member with a ranked figure, 'not applicable: <why>', or why there is no figure: 'no return', …)."""
        result = next(r for r in self.results if r.spec.key == key)
        rows = [
            {
                "Authority": p.name,
                "ONS code": p.code,
                "Class": p.class_code or "—",
                "In this comparison": _comparison_text(p.reading),
            }
            for p in result.peers
        ]
        return pd.DataFrame(rows, columns=["Authority", "ONS code", "Class", "In this comparison"])

    def as_dict(self) -> dict[str, Any]:
        return {
            "authority": {"ons_code": self.authority.code, "name": self.authority.name},
            "financial_year": self.financial_year,
            "group": self.group,
            "peer_group": None if self.peer_group is None else self.peer_group.as_dict(),
            "is_illustrative": self.authority.is_illustrative,
            "years_held": list(self.years_held),
            "indicators": [_result_dict(r) for r in self.results],
        }


def _num(r: m.Reading) -> float | None:
    return None if r.value is None else round(r.value, 4)


def _finite(x: float | None) -> float | None:
    return None if x is None or math.isinf(x) else x


def _comparison_text(r: m.Reading) -> str:
    if r.sort_value is not None:
        return "yes"
    if r.status == m.NOT_APPLICABLE:
        return f"not applicable: {r.note}" if r.note else "not applicable"
    return _status_text(r)


def _status_text(r: m.Reading) -> str:
    return {
        m.OK: "",
        m.NO_RETURN: "no return",
        m.NOT_DEPLETING: "not depleting",
        m.NOT_MEANINGFUL: "not meaningful",
        m.NOT_REPORTED: "not reported",
        m.NOT_AVAILABLE: "not available",
        m.NOT_APPLICABLE: "not applicable",
    }.get(r.status, r.status)


def rank_text(r: IndicatorResult) -> str:
    """The position in the words of the risk direction: "8th lowest of 35" where lower is riskier, "2nd highest
    of 35" where higher is; "—" when the authority has no ranked value."""
    return position_words(r.stats, r.spec)


def position_words(s: PeerStats, spec: IndicatorSpec) -> str:
    """`rank_text` for any reading ranked among peers (the nowcast's projected values too)."""
    if s.rank is None:
        return "—"
    end = "lowest" if spec.higher_risk_when == "lower" else "highest"
    return f"{ordinal(s.rank)} {end} of {s.n_ranked}"


def coverage_text(r: IndicatorResult) -> str:
    """How many of the peer group (the authority included) have a figure: "35 of 36 peers have a figure"; the 36
    counts only the members the indicator applies to."""
    return f"{r.stats.n_ranked} of {r.stats.n_peers} peers have a figure"


def compared_with(r: IndicatorResult) -> str | None:
    """What the direction of travel compares with, e.g. "2017-18 (outturn)"; None when nothing comparable."""
    if r.previous is None or r.previous_year is None:
        return None
    return f"{r.previous_year} ({m.BASIS_WORDS.get(r.previous.basis or '', r.previous.basis)})"


def _result_dict(r: IndicatorResult) -> dict[str, Any]:
    s = r.stats
    return {
        "key": r.spec.key,
        "title": r.spec.title,
        "unit": r.spec.unit,
        "value": _num(r.reading),
        "status": r.reading.status,
        "basis": r.reading.basis,
        "years_used": r.reading.years_used,
        "note": r.reading.note,
        "higher_risk_when": r.spec.higher_risk_when,
        "peer_median": _finite(s.median),
        "peer_lower_quartile": _finite(s.lower_quartile),
        "peer_upper_quartile": _finite(s.upper_quartile),
        "peer_median_not_depleting": s.median is not None and math.isinf(s.median),
        "rank": s.rank,
        "rank_lowest": s.rank_lowest,
        "rank_text": rank_text(r),
        "quartile": s.quartile,
        "n_ranked": s.n_ranked,
        "n_peers": s.n_peers,
        "n_not_applicable": sum(1 for p in r.peers if p.reading.status == m.NOT_APPLICABLE),
        "coverage_text": coverage_text(r),
        "previous_year": r.previous_year,
        "previous_value": None if r.previous is None else _num(r.previous),
        "previous_basis": None if r.previous is None else r.previous.basis,
        "compared_with": compared_with(r),
        "direction_of_travel": r.travel,
        "parts": dict(r.reading.parts),
    }


def format_number(x: float | None, unit: str) -> str:
    """'5.6 years', '−34.8%', 'not depleting' (+inf), '—' (None), as everywhere else in Headroom."""
    if x is None:
        return "—"
    if math.isinf(x):
        return "not depleting"
    return f"{x:.1f} years" if unit == "years" else pct(x)


def format_value(r: m.Reading, unit: str) -> str:
    """The reading as a person reads it: the number, or why there is none ('no return', 'not meaningful')."""
    if r.status == m.OK:
        return format_number(r.value, unit)
    return _status_text(r)


def _travel_text(r: IndicatorResult) -> str:
    """e.g. 'worsening since 2017-18 (outturn)': the earlier year compared with and its basis (always the same
    basis as this year's value)."""
    if r.previous is None or r.reading.sort_value is None:
        return r.travel
    return f"{r.travel} since {compared_with(r)}"


def _row(r: IndicatorResult) -> dict[str, Any]:
    s, unit = r.stats, r.spec.unit
    value = format_value(r.reading, unit)
    return {
        "Indicator": r.spec.title,
        "Unit": unit,
        "Value": value,
        "Basis": m.BASIS_WORDS.get(r.reading.basis or "", "—"),
        "Peer median": format_number(s.median, unit),
        "Peer quartiles": f"{format_number(s.lower_quartile, unit)} – {format_number(s.upper_quartile, unit)}",
        "Position": rank_text(r),
        "Peers with a figure": coverage_text(r),
        "Risk quartile (1 = highest risk)": "—" if s.quartile is None else str(s.quartile),
        "Higher risk when": r.spec.higher_risk_when,
        "Years used": r.reading.years_used,
        "Note": r.reading.note,
        "Direction of travel": _travel_text(r),
    }


def facts_table(r: IndicatorResult) -> pd.DataFrame:
    """The facts beside one indicator's strip, as two columns (what, value) of text (title, unit and risk
    direction are on the strip itself)."""
    row = {k: v for k, v in _row(r).items() if k not in ("Indicator", "Unit", "Higher risk when")}
    return pd.DataFrame({"": list(row), "Value": [str(v) for v in row.values()]})


def build_series(
    values: pd.DataFrame, borrowing: pd.DataFrame, codes: list[str], primary_basis: str
) -> dict[str, m.AuthoritySeries]:
    """One `AuthoritySeries` per code (an empty one where nothing is held)."""
    rows: dict[str, list[tuple[str, str, str, str, float | None]]] = {c: [] for c in codes}
    cols = [values[c].tolist() for c in ("code", *m.VALUE_COLUMNS)]
    for code, *rest in zip(*cols, strict=True):
        if code in rows:
            rows[code].append(tuple(rest))
    borrow: dict[str, dict[str, float | None]] = {}
    for code, year, value in zip(
        *(borrowing[c].tolist() for c in ("code", "financial_year", "value_gbp")), strict=True
    ):
        borrow.setdefault(code, {})[year] = None if value is None or value != value else float(value)
    return {c: m.AuthoritySeries(c, rows[c], primary_basis=primary_basis, borrowing_gbp=borrow.get(c)) for c in codes}


def compute_profile(
    info: q.AuthorityInfo,
    year: str,
    group: str,
    members: pd.DataFrame,
    series: dict[str, m.AuthoritySeries],
    peer_group: PeerGroup | None = None,
) -> Profile:
    """The profile from already-fetched data (pure: used by `resilience_profile` and by tests).

    An indicator that does not apply to the authority's own class is not shown; a member it does not apply to
    (another class, or outside England) is "not applicable": listed, never ranked or counted."""
    own = series[info.code]
    names = dict(zip(members["code"], members["name"], strict=True))
    classes = _classes(members)
    earlier = [y for y in own.years() if y < year]
    results = []
    for spec in INDICATORS:
        if spec.shown_when is not None and not spec.shown_when(own, year):
            continue
        if info.class_code not in spec.applies_to:
            continue
        readings = {c: _reading(spec, c, classes.get(c), s, year, c == info.code) for c, s in series.items()}
        compared = {c: r for c, r in readings.items() if r.status != m.NOT_APPLICABLE}
        previous_year = previous = None
        now = readings[info.code]
        for y in reversed(earlier):
            r = spec.compute(own, y)
            # like for like: the latest earlier year with a value on the same basis (never an RA estimate
            # against an outturn); none held → no direction, said in words
            if r.sort_value is not None and r.basis == now.basis:
                previous_year, previous = y, r
                break
        results.append(
            IndicatorResult(
                code=info.code,
                spec=spec,
                reading=readings[info.code],
                stats=peer_stats(compared, info.code, spec.higher_risk_when),
                previous_year=previous_year,
                previous=previous,
                travel=direction_of_travel(readings[info.code], previous, spec.higher_risk_when),
                peers=tuple(PeerValue(c, names.get(c, c), readings[c], classes.get(c)) for c in series),
            )
        )
    return Profile(info, year, group, tuple(own.years()), tuple(results), peer_group)


def _classes(members: pd.DataFrame) -> dict[str, str | None]:
    if "class" not in members:
        return {}
    return {str(c): (k if isinstance(k, str) else None) for c, k in zip(members["code"], members["class"], strict=True)}


def _reading(
    spec: IndicatorSpec, code: str, class_code: str | None, s: m.AuthoritySeries, year: str, own: bool
) -> m.Reading:
    rule = applicability(code, class_code, spec.applies_to)
    if own or rule.applies:
        return spec.compute(s, year)
    return m.Reading(None, m.NOT_APPLICABLE, note=rule.reason)


def resilience_profile(store: Store, code: str, year: str, group: str = "MD") -> Profile:
    """Every indicator for authority `code` in financial `year`, against peer `group` ('MD', a class, 'ALL', or the
    neighbours 'NN' / 'SN', whose members not on that year's return are listed as "no return").

    Raises `NotFoundError` for an unknown authority or a year with no figures for it, `InputError` for a
    malformed year or group. Illustrative authorities are compared only with illustrative ones.
    """
    fy = parse_financial_year(year, "--year")
    g = q.check_group(group)
    info = q.authority(store, code)
    group_of = q.group_of(store, info, g)
    members = group_of.members
    codes = group_of.codes
    # peers need only the year and the three before it (the longest window); the authority, its whole history
    window = [shift(fy, -k) for k in range(4)]
    values = q.official_values(store, codes, years=window, all_years_for=info.code)
    services = q.service_lines(store, codes, years=window, all_years_for=info.code)
    values = pd.concat([values, services], ignore_index=True) if not services.empty else values
    primary = "illustrative" if info.is_illustrative else "outturn"
    own_years = sorted(set(values.loc[values["code"] == info.code, "financial_year"]))
    if fy not in own_years:
        held = ", ".join(own_years) or "none"
        raise NotFoundError(f"No figures for {info.name} in {fy}. Years held: {held}.")
    series = build_series(values, q.external_borrowing(store, codes), codes, primary)
    if not is_neighbour_group(g):
        # a class group is the class on that year's return: authorities on no return that year are not members
        on_return = {
            c for c, s in series.items() if s.basis_for(fy) is not None or s.service_basis_for(fy) is not None
        } | {info.code}
        members = members[members["code"].isin(on_return)]
        series = {c: s for c, s in series.items() if c in on_return}
    return compute_profile(info, fy, g, members, series, group_of)
