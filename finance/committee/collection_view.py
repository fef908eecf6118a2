"""Everything the income collection page shows: the cumulative share collected by period for each stream against
the same period last year, the year-end position against England's published rates, and arrears.

England's in-year collection rates for 2024-25 (council tax 95.9%, business rates 97.3%) are MHCLG's published
collection rates statistics, quoted as docs/DOMAIN.md records them; they are the benchmark a committee hears
quoted, so they are kept here with their source and shown beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from finance import benchmark
from finance.committee import charts_position as charts
from finance.committee.figures import COUNCIL_TAX, NO_MONITORING, Position, collection_rates
from finance.committee.panels import Panel, gbp_m_value, monitoring_basis, with_basis
from finance.committee.queries import year_lines
from finance.committee.targets_view import council_targets, in_force, target_progress
from finance.format import gbp_m, pct, period_label
from finance.store import Store
from finance.targets import Target
from finance.years import shift

ENGLAND_RATES_PCT = {"Council tax": 95.9, "Business rates": 97.3}
ENGLAND_YEAR = "2024-25"
ENGLAND_SOURCE = (
    "England in-year collection rates 2024-25: council tax 95.9%, business rates 97.3% — MHCLG, collection rates "
    "for council tax and non-domestic rates in England (QRC4 returns; receipts by 31 March for that year's "
    "liability ÷ amount collectable)."
)


@dataclass(frozen=True)
class CollectionView:
    authority: benchmark.Authority
    year: str
    period: int | None
    message: str | None
    metrics: tuple[tuple[str, str], ...]
    panels: tuple[Panel, ...]
    source_note: str = ENGLAND_SOURCE
    target_texts: tuple[str, ...] = ()  # each stream's target: on track / off track on the projected year end


def _points(v: float | None) -> float | None:
    return None if v is None or pd.isna(v) else round(float(v), 1)


def _profile_panel(rates: pd.DataFrame, year: str, last_year: str, targets: tuple[Target, ...] = ()) -> Panel:
    table = pd.DataFrame(
        {
            "Period": rates["period_label"],
            "Stream": rates["stream"],
            f"Collected {year} (%)": [_points(v) for v in rates["rate_pct"]],
            f"Collected {last_year} (%)": [_points(v) for v in rates["last_year_rate_pct"]],
            "Difference (percentage points)": [
                _points(a - b) if pd.notna(a) and pd.notna(b) else None
                for a, b in zip(rates["rate_pct"], rates["last_year_rate_pct"], strict=True)
            ],
        }
    )
    latest = rates[rates["period"] == rates["period"].max()]
    said = "; ".join(
        f"{r.stream} {pct(r.rate_pct)} (last year {pct(r.last_year_rate_pct)})" for r in latest.itertuples()
    )
    return Panel(
        "collection-profile",
        "Cumulative collection by period, against last year",
        charts.collection_profile(
            rates,
            year=year,
            last_year=last_year,
            title=f"Share of the year's collectable amount collected, {year}",
            targets=targets,
        ),
        table,
        f"Line chart of the cumulative percentage collected at each period of {year} for each income stream, with "
        f"the same periods of {last_year} dotted. At {latest['period_label'].iloc[0]}: {said}.",
    )


def _year_end_panel(rates: pd.DataFrame, year_label: str) -> Panel:
    final = rates[rates["stream"].isin(list(ENGLAND_RATES_PCT))]
    frame = pd.DataFrame(
        {
            "stream": final["stream"],
            "rate_pct": final["rate_pct"],
            "england_pct": [ENGLAND_RATES_PCT[s] for s in final["stream"]],
        }
    )
    table = pd.DataFrame(
        {
            "Stream": frame["stream"],
            f"This council, {year_label} (%)": [_points(v) for v in frame["rate_pct"]],
            f"England, {ENGLAND_YEAR} (%)": frame["england_pct"],
            "Difference (percentage points)": [
                _points(a - b) for a, b in zip(frame["rate_pct"], frame["england_pct"], strict=True)
            ],
        }
    )
    said = "; ".join(f"{r.stream} {pct(r.rate_pct)} against England's {pct(r.england_pct)}" for r in frame.itertuples())
    return Panel(
        "collection-year-end",
        "Year-end collection against England",
        charts.year_end_vs_england(
            frame,
            title=f"In-year collection rate at the year end, {year_label}",
            subtitle=f"Orange line: England, {ENGLAND_YEAR} (MHCLG collection rates statistics)",
        ),
        table,
        f"Bar chart of the council's in-year collection rates at the year end ({year_label}) with England's "
        f"{ENGLAND_YEAR} rates marked: {said}.",
    )


def _arrears_panel(now: pd.DataFrame, before: pd.DataFrame, when: str, last_when: str) -> Panel:
    by = now.groupby("stream", as_index=False, sort=False)["arrears_gbp"].sum(min_count=1)
    last = before.groupby("stream")["arrears_gbp"].sum(min_count=1) if not before.empty else pd.Series(dtype=float)
    table = pd.DataFrame(
        {
            "Stream": by["stream"],
            f"Arrears {when} (£m)": [gbp_m_value(v) for v in by["arrears_gbp"]],
            f"Arrears {last_when} (£m)": [gbp_m_value(last.get(s)) for s in by["stream"]],
        }
    )
    given = by[by["arrears_gbp"].notna()]
    said = "; ".join(f"{r.stream} {gbp_m(r.arrears_gbp)}" for r in given.itertuples()) or "none given"
    return Panel(
        "collection-arrears",
        "Arrears",
        charts.arrears(by, title=f"Arrears by income stream, {when}"),
        table,
        f"Bar chart of arrears by income stream at {when}: {said}. Streams with no arrears figure are not drawn.",
    )


def build(store: Store, code: str, year: str, period: int | None = None) -> CollectionView:
    """The page for `code` in `year` at the latest period with a Collection sheet up to `period` (default: all);
    `message` when there is none."""
    auth = benchmark.authority(store, code)
    last_year = shift(year, -1)
    this = year_lines(store, code, year, ("Collection",), up_to_period=period)["Collection"]
    if this.empty:
        return CollectionView(auth, year, None, NO_MONITORING.format(name=auth.name, year=year), (), ())
    before = year_lines(store, code, last_year, ("Collection",))["Collection"]
    rates = collection_rates(this)
    last_rates = collection_rates(before).rename(columns={"rate_pct": "last_year_rate_pct"})
    rates = rates.merge(last_rates[["period", "stream", "last_year_rate_pct"]], on=["period", "stream"], how="left")
    rates["period_label"] = [period_label(int(p)) for p in rates["period"]]
    period = int(rates["period"].max())
    when = f"{period_label(period)} {year}"
    ct = rates[(rates["period"] == period) & (rates["stream"] == COUNCIL_TAX)]
    metrics: list[tuple[str, str]] = []
    if not ct.empty:
        row = ct.iloc[0]
        metrics.append((f"Council tax collected to {period_label(period)}", f"{pct(row['rate_pct'])} collected"))
        last = row["last_year_rate_pct"]
        metrics.append((f"Same period {last_year}", pct(None if pd.isna(last) else float(last))))
    targets = {k: t for k, t in council_targets(store, code).items()
               if t.series.basis == "collection" and in_force(t, year)}  # fmt: skip
    progress = target_progress(store, code, year, Position(period), this, before, targets=targets)
    panels = [_profile_panel(rates, year, last_year, tuple(targets.values()))]
    if period == 12:
        panels.append(_year_end_panel(rates[rates["period"] == 12], year))
    elif not before.empty and 12 in set(before["period"]):
        panels.append(_year_end_panel(collection_rates(before).query("period == 12"), last_year))
    last_at = before[before["period"] == period] if not before.empty else before
    panels.append(_arrears_panel(this[this["period"] == period], last_at, when, f"{period_label(period)} {last_year}"))
    basis = monitoring_basis(year, period, to_date=True)
    return CollectionView(
        auth,
        year,
        period,
        None,
        tuple(metrics),
        tuple(with_basis(p, basis) for p in panels),
        target_texts=tuple(p.text for p in progress),
    )
