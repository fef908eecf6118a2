"""Everything the reserves benchmark page shows, computed in one call so the page stays a thin script.

The tables returned here are exactly what is drawn and what the download buttons give: numbers as numbers, units
in the column names, and every row's basis and date. The direction of travel compares like with like only
(`benchmark.series`): at 31 March, the change during the year from the same return's 1 April balance.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from finance import benchmark
from finance.charts import ranked_bar, series_line
from finance.format import gbp_m, ordinal, pct
from finance.store import Store
from finance.targets import Progress, Target, current_targets, judge

_BASIS_WORDS = {"outturn": "outturn", "budget_estimate": "budget estimate", "illustrative": "illustrative"}
POINT_LABELS = {"opening": "at 1 April (opening)", "closing": "at 31 March (closing)"}
# The page's choices, so it needs nothing but this module: measure -> label, peer group -> label (in menu order).
MEASURES = benchmark.MEASURES
DEFAULT_MEASURE = "usable_reserves_pct_nre"
GROUPS = benchmark.GROUP_LABELS


@dataclass(frozen=True)
class ReservesView:
    authority: benchmark.Authority
    ranking: benchmark.Ranking
    measure_label: str  # what the measure is, in words (the value metric's help)
    year_note: str
    headline: str
    value_text: str
    rank_short: str
    rank_text: str
    travel_label: str  # the metric's label, with the period it covers: "Direction of travel in 2023-24"
    travel_short: str  # the metric's value: "Down £14.4m"
    travel_text: str
    basis_note: str
    group_note: str  # what the peer group is and where its members come from
    ranking_table: pd.DataFrame
    series_table: pd.DataFrame
    ranking_figure: go.Figure
    series_figure: go.Figure
    target_text: str = ""  # the council's target on this measure, on track or off track ('' when none)


def _value_column(measure: str) -> str:
    """The value column's header says what the number is: 'Usable reserves as % of NRE', 'Usable reserves … (£m)'."""
    return benchmark.MEASURES[measure] if benchmark.is_pct(measure) else f"{benchmark.MEASURES[measure]}, £m"


def _fmt(measure: str, value: float | None) -> str:
    return pct(value) if benchmark.is_pct(measure) else gbp_m(value)


def _ranking_table(ranking: benchmark.Ranking) -> pd.DataFrame:
    t = ranking.table
    col = _value_column(ranking.measure)
    values = t["value"] if benchmark.is_pct(ranking.measure) else t["value"] / 1e6
    return pd.DataFrame(
        {
            "Rank (1 = lowest)": t["rank_lowest"],
            "Authority": t["name"],
            "ONS code": t["code"],
            "Class": t["class"].fillna("—"),
            col: values.round(2),
            "Status": t["status"],
            "As at": benchmark.as_at(ranking.year, ranking.point),
            "Basis": benchmark.BASIS_LABELS.get(ranking.basis, ranking.basis),
        }
    )


def _series_table(series: pd.DataFrame, measure: str) -> pd.DataFrame:
    col = _value_column(measure)
    div = 1.0 if benchmark.is_pct(measure) else 1e6
    change_col = "Change (percentage points)" if benchmark.is_pct(measure) else "Change (£m)"
    return pd.DataFrame(
        {
            "Financial year": series["financial_year"],
            "As at": series["as_at"],
            "Basis": series["basis"].map(lambda b: benchmark.BASIS_LABELS.get(b, b)),
            col: (series["value"] / div).round(2),
            "Compared with": series["compared_with"],
            change_col: (series["change"] / div).round(2),
            "Direction": series["direction"],
        }
    )


def _amount(measure: str, change: float) -> str:
    return f"{abs(change):.1f} points" if benchmark.is_pct(measure) else gbp_m(abs(change))


def _travel(series: pd.DataFrame, year: str, measure: str, point: str) -> tuple[str, str, str]:
    """(period, short, sentence) describing the change, like for like only; in words when nothing comparable is
    held. `period` is "in 2023-24" or "since 1 April 2017" ('' when none); `short` the amount ("Down £14.4m")."""
    rows = series[series["financial_year"] == year]
    if rows.empty:
        return "", "—", f"No figure for {year} to compare."
    row = rows.iloc[0]
    basis_words = _BASIS_WORDS.get(row["basis"], row["basis"])
    if not row["direction"]:
        if point == "closing":
            return "", "—", f"No comparable figure: the {year} return gives no 1 April balance to compare with."
        return (
            "",
            "—",
            (
                f"No comparable earlier figure: no earlier year is held on the same basis ({basis_words}); "
                "figures on another basis are not compared."
            ),
        )
    word = {"up": "Up", "down": "Down", "level": "Level"}[row["direction"]]
    amount = "" if word == "Level" else f" {_amount(measure, row['change'])}"
    then, now = _fmt(measure, row["compared_value"]), _fmt(measure, row["value"])
    if point == "closing":
        short = f"{word}{amount} in {year}"
        return (
            f"in {year}",
            f"{word}{amount}",
            (
                f"{short}: {then} at {row['compared_with'].split(' (')[0]} → {now} at {row['as_at']}, "
                f"both from {benchmark.source_of(year, row['basis'])} ({basis_words})."
            ),
        )
    since = row["compared_with"].split(" (")[0]
    short = f"{word}{amount} since {since}"
    here = benchmark.source_of(year, row["basis"])
    sentence = f"{short}: {then} at {row['compared_with']} → {now} at {row['as_at']} ({here}), both {basis_words}."
    return f"since {since}", f"{word}{amount}", sentence


def _official_year(store: Store, year: str, *, illustrative: bool) -> tuple[str, str]:
    """The year to rank: `year` if returns are held for it, else the latest held before it (said so).

    The sidebar also offers years that only have monthly monitoring (the current year); official returns arrive
    a year or more late, so the benchmark falls back rather than failing.
    """
    held = benchmark.years_held(store, illustrative=illustrative)
    if year in held or not held:
        return year, ""
    earlier = [y for y in held if y < year]
    chosen = earlier[0] if earlier else held[0]
    kind = "illustrative" if illustrative else "official"
    return chosen, f"No {kind} returns are held for {year} yet; showing {chosen}, the latest year held."


def build(
    store: Store,
    *,
    code: str,
    year: str,
    measure: str,
    point: str,
    group: str,
) -> ReservesView:
    """Compute the page for one authority. Raises NotFoundError / InputError with user-facing messages."""
    auth = benchmark.authority(store, code)
    year, year_note = _official_year(store, year, illustrative=auth.is_illustrative)
    ranking = benchmark.rank(
        store, year=year, measure=measure, point=point, group=group, illustrative=auth.is_illustrative, code=code
    )
    group = ranking.group
    series = benchmark.series(store, code=code, measure=measure, point=point)
    target, progress = _target(store, code, measure, point, series)
    label = benchmark.MEASURES[measure]
    group_label = benchmark.GROUP_LABELS[group]
    group_label = group_label if group in ("NN", "SN") else group_label.lower()
    pos = ranking.position(code)
    rank_short = "Not ranked"
    coverage = f"{ranking.ranked} of {ranking.applicable} have a figure"
    not_applicable = len(ranking.table) - ranking.applicable
    if not_applicable:
        coverage += f"; {not_applicable} not applicable (outside England), not counted"
    if pos is None:
        value_text = "—"
        rank_text = f"{auth.name} is not in the {group_label} group for {year}."
    elif pos["status"] != "ranked":
        value_text = "No return" if pos["status"] == "no return" else "Not meaningful"
        rank_text = f"{auth.name} has no figure for {year} ({pos['status']}); it is not ranked."
    else:
        value_text = _fmt(measure, pos["value"])
        rank_short = f"{ordinal(int(pos['rank_lowest']))} lowest of {ranking.ranked}"
        rank_text = (
            f"{ordinal(int(pos['rank_lowest']))} lowest of {ranking.ranked} {group_label} with a figure "
            f"(median {_fmt(measure, ranking.median)}; {coverage})."
        )
    basis_note = {
        "outturn": "Outturn: MHCLG Revenue Outturn (RS) returns.",
        "budget_estimate": "Budget estimates (RA): the authorities' own estimates at budget time, not outturn.",
        "illustrative": "Illustrative demo data generated by Headroom — not any real council's figures.",
    }[ranking.basis]
    travel_period, travel_short, travel_text = _travel(series, year, measure, point)
    title = f"{label} {POINT_LABELS[point]}, {year}"
    subtitle = (
        f"{benchmark.GROUP_LABELS[group]}, lowest first; {coverage}. "
        f"{benchmark.BASIS_LABELS.get(ranking.basis, ranking.basis)} at {benchmark.as_at(year, point)}"
    )
    return ReservesView(
        authority=auth,
        ranking=ranking,
        measure_label=label,
        year_note=year_note,
        headline=f"{title}: {benchmark.GROUP_LABELS[group]}",
        value_text=value_text,
        rank_short=rank_short,
        rank_text=rank_text,
        travel_label=f"Direction of travel {travel_period}".strip(),
        travel_short=travel_short,
        travel_text=travel_text,
        basis_note=basis_note,
        group_note=f"Peer group: {ranking.definition}. Members from {ranking.source}.",
        ranking_table=_ranking_table(ranking),
        series_table=_series_table(series, measure),
        # the target is judged on outturn, so it is drawn on a ranking of outturn (or illustrative) values only
        ranking_figure=ranked_bar(
            ranking,
            highlight=code,
            title=title,
            subtitle=subtitle,
            target=target if ranking.basis in ("outturn", "illustrative") else None,
        ),
        series_figure=series_line(
            series,
            measure=measure,
            title=f"{auth.name}: {label[:1].lower() + label[1:]} {POINT_LABELS[point]}",
            target=target,
        ),
        target_text="" if progress is None else progress.text,
    )


def _target(
    store: Store, code: str, measure: str, point: str, series: pd.DataFrame
) -> tuple[Target | None, Progress | None]:
    """The council's current target on `measure` (at 31 March only: a target is on the closing balance) and how
    it stands against the latest outturn (or illustrative) value — never a budget estimate. None for a user who
    may not read the council's own data (the benchmark itself is public)."""
    if point != "closing" or not store.readable(code):
        return None, None
    target = current_targets(store, code).get(measure)
    if target is None:
        return None, None
    judged = series[series["basis"].isin(["outturn", "illustrative"]) & series["value"].notna()]
    if judged.empty:
        return target, judge(target, None, "")
    last = judged.sort_values("financial_year").iloc[-1]
    words = f"{_BASIS_WORDS[str(last['basis'])]} at {benchmark.as_at(str(last['financial_year']), 'closing')}"
    return target, judge(target, float(last["value"]), words)
