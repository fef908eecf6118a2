"""Everything the income collection and debt recovery page shows: each stream's in-year collection rate against the
same period last year and its target, the forecast year-end rate and the shortfall it implies in £ with its cash
effect on the budget, the cumulative profile by period, the year-end position against England's published rates,
and the debt: by age over the periods, its movement, write-offs and the bad-debt provision's cover.

England's in-year collection rates for 2024-25 (council tax 95.9%, business rates 97.3%) are MHCLG's published
collection rates statistics, quoted as docs/DOMAIN.md records them; they are the benchmark a committee hears
quoted, so they are kept here with their source and shown beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from finance import benchmark
from finance.charts import target_label
from finance.committee import charts_debt
from finance.committee import charts_position as charts
from finance.committee import collection_figures as cf
from finance.committee.figures import NO_MONITORING, Position, collection_rates
from finance.committee.panels import Panel, gbp_m_value, monitoring_basis, with_basis
from finance.committee.queries import collection_fund_share, collection_targets, year_lines
from finance.committee.receipts_view import ReceiptsView
from finance.committee.receipts_view import build as build_receipts
from finance.committee.targets_view import council_targets, in_force, target_progress
from finance.format import gbp_m, pct, period_label
from finance.store import Store
from finance.targets import Target, collection_key
from finance.years import shift

ENGLAND_RATES_PCT = {"Council tax": 95.9, "Business rates": 97.3}
ENGLAND_YEAR = "2024-25"
ENGLAND_SOURCE = (
    "England in-year collection rates 2024-25: council tax 95.9%, business rates 97.3% — MHCLG, collection rates "
    "for council tax and non-domestic rates in England (QRC4 returns; receipts by 31 March for that year's "
    "liability ÷ amount collectable)."
)
NO_SHARE_NOTE = (
    "The Instructions sheet states no 'Council share of the collection fund (%)', so the cash effect of a council "
    "tax or business rates shortfall is shown at 100%: the council's own share is smaller (preceptors and, for "
    "business rates, the government share the collection fund)."
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
    forecast_rule: str = cf.FORECAST_RULE
    share_note: str = ""  # the collection fund share used, and a warning when none was stated
    streams: pd.DataFrame | None = None  # collection_figures.streams at the period (the CLI prints these)
    receipts: ReceiptsView | None = None  # the official council tax receipts against peers (any year held)
    debt: pd.DataFrame | None = None  # the Debt sheet's lines up to the period
    target_texts: tuple[str, ...] = ()  # each stream's target: on track / off track on the projected year end

    def as_dict(self) -> dict[str, object]:
        """For `python -m finance collection --json`: collection by stream, ageing and the official receipts with
        peers; money in £, rates in %, missing as null."""

        def rows(frame: pd.DataFrame | None) -> list[dict[str, object]]:
            if frame is None:
                return []
            return [{k: (None if pd.isna(v) else v) for k, v in r.items()} for r in frame.to_dict("records")]

        debt = self.debt if self.debt is not None else pd.DataFrame()
        return {
            "authority": self.authority.code,
            "name": self.authority.name,
            "year": self.year,
            "period": None if self.period is None else period_label(self.period, month=False),
            "message": self.message,
            "basis": monitoring_basis(self.year, self.period, to_date=True) if self.period else None,
            "forecast_rule": self.forecast_rule if self.period else None,
            "collection_fund_share": self.share_note or None,
            "streams": rows(self.streams),
            "targets": list(self.target_texts),
            "ageing": rows(cf.ageing(debt)) if not debt.empty else [],
            "debt_by_period": rows(cf.debt_totals(debt)) if not debt.empty else [],
            "official_receipts": None if self.receipts is None else self.receipts.as_dict(),
        }


def _points(v: float | None) -> float | None:
    return None if v is None or pd.isna(v) else round(float(v), 1)


def _profile_panel(rates: pd.DataFrame, year: str, last_year: str, targets: tuple[Target, ...] = ()) -> Panel:
    table = pd.DataFrame(
        {
            "Period": rates["period_label"],
            "Stream": rates["stream"],
            f"Collected {year} (%)": [_points(v) for v in rates["rate_pct"]],
            f"Collected {last_year} (%)": [_points(v) for v in rates["last_year_rate_pct"]],
        }
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
        f"the same periods of {last_year} dotted.",
    )


def _streams_panel(rows: pd.DataFrame, when: str, last_when: str, targets: dict[str, Target]) -> Panel:
    """Each stream's rate now against last year's at the same period, with the year's target (`targets`, the ones
    in force by series key) drawn where the streams table has one (a target for that year's 31 March)."""
    set_for = set(rows.loc[rows["target_pct"].notna(), "stream"])
    drawn = {s: t for s in set_for if (t := targets.get(collection_key(str(s)))) is not None}
    table = pd.DataFrame(
        {
            "Stream": rows["stream"],
            f"Collected to {when} (%)": [_points(v) for v in rows["rate_pct"]],
            f"Collected to {last_when} (%)": [_points(v) for v in rows["last_year_rate_pct"]],
            "Target for the year (%)": [_points(v) for v in rows["target_pct"]],
            "Forecast year-end rate (%)": [_points(v) for v in rows["forecast_pct"]],
            "Last year's final rate (%)": [_points(v) for v in rows["last_year_final_pct"]],
        }
    )
    said = "; ".join(
        f"{r.stream} {pct(r.rate_pct)} (last year {pct(r.last_year_rate_pct)}, forecast {pct(r.forecast_pct)})"
        for r in rows.itertuples()
    )
    return Panel(
        "collection-streams",
        "In-year collection rate by stream: last year and target",
        charts_debt.rates_by_stream(
            rows, now=when, last=last_when, title=f"In-year collection rate by stream, {when}", targets=drawn
        ),
        table,
        f"Grouped bar chart of the share of each stream's collectable amount collected to {when}, beside "
        f"{last_when}, with the year's target marked where one is set: {said}. {cf.FORECAST_RULE}",
    )


def _shortfall_panel(rows: pd.DataFrame, share: cf.Share) -> Panel:
    table = pd.DataFrame(
        {
            "Stream": rows["stream"],
            "Compared with": rows["compared_with"].fillna("nothing held"),
            "Forecast year-end rate (%)": [_points(v) for v in rows["forecast_pct"]],
            "Target or last year's final rate (%)": [_points(v) for v in rows["benchmark_pct"]],
            "Collectable (£m)": [gbp_m_value(v) for v in rows["collectable_gbp"]],
            "Forecast shortfall (£m)": [gbp_m_value(v) for v in rows["shortfall_gbp"]],
            "Council's share (%)": [_points(v) for v in rows["fund_share_pct"]],
            "Cash effect on the budget (£m)": [gbp_m_value(v) for v in rows["budget_effect_gbp"]],
        }
    )
    short = rows[rows["shortfall_gbp"].notna()]
    said = "; ".join(f"{r.stream} {gbp_m(r.shortfall_gbp)} ({gbp_m(r.budget_effect_gbp)} to the budget)"
                     for r in short.itertuples()) or "no stream has a forecast and a comparison"  # fmt: skip
    fund = f"council tax and business rates at the council's {pct(share.pct)} share of the collection fund"
    return Panel(
        "collection-shortfall",
        "Forecast shortfall and its cash effect on the budget",
        charts_debt.shortfall(
            rows,
            title="Forecast year-end shortfall against target (else last year), £m",
            subtitle=f"Cash effect: {fund}; other streams in full",
        ),
        table,
        f"Bar chart of each stream's forecast shortfall against its target (or, with no target, last year's final "
        f"rate) and its cash effect on the council's budget: {said}. Shortfall = (target − forecast year-end "
        f"rate) × collectable; the cash effect counts {fund} (a collection fund deficit reaches the budget in a "
        "later year) and any other stream in full.",
    )


def _year_end_panel(rates: pd.DataFrame, year_label: str, targets: dict[str, Target]) -> Panel:
    """The year-end rates of `year_label` against England's, with the council's collection-rate targets in force
    for that year (`targets`, every current one by series key) across their own stream's bar."""
    final = rates[rates["stream"].isin(list(ENGLAND_RATES_PCT))]
    drawn = {s: t for s in final["stream"]
             if (t := targets.get(collection_key(str(s)))) is not None and in_force(t, year_label)}  # fmt: skip
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
        }
    )
    said = "; ".join(f"{r.stream} {pct(r.rate_pct)} against England's {pct(r.england_pct)}" for r in frame.itertuples())
    if drawn:
        table["Council's target (%)"] = [drawn[s].value if s in drawn else None for s in frame["stream"]]
        table["Target"] = [target_label(drawn[s], s.lower()) if s in drawn else "" for s in frame["stream"]]
        provenances = {t.provenance for t in drawn.values()}
        if len(provenances) == 1:  # one upload set them all: say where from once, not after every target
            said += f". The council's targets ({provenances.pop()}), drawn across their stream's bar: " + "; ".join(
                target_label(t, s.lower()) for s, t in drawn.items()
            )
        else:
            said += ". The council's targets, drawn across their stream's bar: " + "; ".join(
                f"{target_label(t, s.lower())}, {t.provenance}" for s, t in drawn.items()
            )
    return Panel(
        "collection-year-end",
        "Year-end collection against England",
        charts.year_end_vs_england(
            frame,
            title=f"In-year collection rate at the year end, {year_label}",
            subtitle=f"Orange line: England, {ENGLAND_YEAR} (MHCLG collection rates statistics)"
            + ("; dashed: the council's target" if drawn else ""),
            targets=drawn,
        ),
        table,
        f"Bar chart of the council's in-year collection rates at the year end ({year_label}) with England's "
        f"{ENGLAND_YEAR} rates marked: {said}.",
    )


def _ageing_panel(debt: pd.DataFrame, year: str) -> Panel:
    bands = cf.ageing(debt)
    bands["period_label"] = [period_label(int(p)) for p in bands["period"]]
    table = pd.DataFrame(
        {
            "Period": bands["period_label"],
            "Age band": bands["age_band"],
            "Debt outstanding (£m)": [gbp_m_value(v) for v in bands["balance_gbp"]],
            "Bad-debt provision (£m)": [gbp_m_value(v) for v in bands["provision_gbp"]],
        }
    )
    latest = bands[bands["period"] == bands["period"].max()]
    said = "; ".join(f"{r.age_band} {gbp_m(r.balance_gbp)}" for r in latest.itertuples())
    return Panel(
        "debt-ageing",
        "Debt by age over the periods",
        charts_debt.ageing(bands, title=f"Debt outstanding by age band, all streams, {year}"),
        table,
        f"Stacked bar chart of the debt outstanding at the end of each period of {year} by age band. At "
        f"{latest['period_label'].iloc[0]}: {said}.",
    )


def _movement_panel(debt: pd.DataFrame, year: str) -> Panel:
    totals = cf.debt_totals(debt)
    totals["period_label"] = [period_label(int(p)) for p in totals["period"]]
    table = pd.DataFrame(
        {
            "Period": totals["period_label"],
            "Total debt (£m)": [gbp_m_value(v) for v in totals["balance_gbp"]],
            "Movement since the previous period (£m)": [gbp_m_value(v) for v in totals["movement_gbp"]],
            "Bad-debt provision (£m)": [gbp_m_value(v) for v in totals["provision_gbp"]],
            "Provision cover (%)": [_points(v) for v in totals["cover_pct"]],
        }
    )
    last = totals.iloc[-1]
    return Panel(
        "debt-movement",
        "Movement in total debt and provision cover",
        charts_debt.movement(totals, title=f"Total debt outstanding and bad-debt provision cover, {year}"),
        table,
        f"Line chart of total debt at each period of {year} with provision cover (provision ÷ debt) dashed on the "
        f"right axis. At {last['period_label']}: {gbp_m(last['balance_gbp'])} outstanding, "
        f"{gbp_m(last['movement_gbp'], signed=True)} since the previous period, cover {pct(last['cover_pct'])}.",
    )


def _stream_debt_panel(rows: pd.DataFrame, debt: pd.DataFrame, period: int, when: str) -> Panel:
    by = cf.stream_debt(debt, period)
    merged = rows[["stream", "write_offs_gbp", "arrears_brought_forward_gbp", "arrears_collected_gbp",
                   "arrears_gbp"]].merge(by, on="stream", how="left")  # fmt: skip
    table = pd.DataFrame(
        {
            "Stream": merged["stream"],
            "Arrears brought forward (£m)": [gbp_m_value(v) for v in merged["arrears_brought_forward_gbp"]],
            "Arrears collected to date (£m)": [gbp_m_value(v) for v in merged["arrears_collected_gbp"]],
            "Write-offs to date (£m)": [gbp_m_value(v) for v in merged["write_offs_gbp"]],
            "Arrears outstanding (£m)": [gbp_m_value(v) for v in merged["arrears_gbp"]],
            "Debt outstanding (£m)": [gbp_m_value(v) for v in merged["balance_gbp"]],
            "Over 1 year old (£m)": [gbp_m_value(v) for v in merged["over_1_year_gbp"]],
            "Bad-debt provision (£m)": [gbp_m_value(v) for v in merged["provision_gbp"]],
            "Provision cover (%)": [_points(v) for v in merged["cover_pct"]],
        }
    )
    arrears = merged[["stream", "arrears_gbp"]]
    said = "; ".join(f"{r.stream} {gbp_m(r.write_offs_gbp)}" for r in merged.itertuples() if pd.notna(r.write_offs_gbp))
    return Panel(
        "debt-streams",
        "Arrears, write-offs and provision by stream",
        charts.arrears(arrears, title=f"Arrears outstanding by income stream, {when}"),
        table,
        f"Bar chart of arrears outstanding by stream at {when}; the table adds arrears brought forward and "
        f"collected, write-offs to date ({said or 'none given'}), the debt by age and the provision's cover.",
    )


def build(store: Store, code: str, year: str, period: int | None = None, group: str | None = None) -> CollectionView:
    """The page for `code` in `year` at the latest period with a Collection sheet up to `period` (default: all);
    `message` when there is none. The official receipts come with it either way, against `group` (default: the
    authority's own class)."""
    auth = benchmark.authority(store, code)
    receipts = build_receipts(store, code, group)
    last_year = shift(year, -1)
    lines = year_lines(store, code, year, ("Collection", "Debt"), up_to_period=period)
    this, debt = lines["Collection"], lines["Debt"]
    if this.empty:
        message = NO_MONITORING.format(name=auth.name, year=year)
        return CollectionView(auth, year, None, message, (), receipts.panels, receipts=receipts)
    before = year_lines(store, code, last_year, ("Collection",))["Collection"]
    period = int(this["period"].max())
    share = collection_fund_share(store, code, year, period)
    rows = cf.streams(this, before, period, collection_targets(store, code, year), share)
    rates = collection_rates(this)
    last_rates = collection_rates(before).rename(columns={"rate_pct": "last_year_rate_pct"})
    rates = rates.merge(last_rates[["period", "stream", "last_year_rate_pct"]], on=["period", "stream"], how="left")
    rates["period_label"] = [period_label(int(p)) for p in rates["period"]]
    when, last_when = f"{period_label(period)} {year}", f"{period_label(period)} {last_year}"
    held = {k: t for k, t in council_targets(store, code).items() if t.series.basis == "collection"}
    targets = {k: t for k, t in held.items() if in_force(t, year)}
    progress = target_progress(store, code, year, Position(period), this, before, targets=targets)
    panels = [
        _streams_panel(rows, when, last_when, targets),
        _shortfall_panel(rows, share),
        _profile_panel(rates, year, last_year, tuple(targets.values())),
    ]
    if period == 12:
        panels.append(_year_end_panel(rates[rates["period"] == 12], year, held))
    elif not before.empty and 12 in set(before["period"]):
        panels.append(_year_end_panel(collection_rates(before).query("period == 12"), last_year, held))
    if not debt.empty:
        panels += [_ageing_panel(debt, year), _movement_panel(debt, year)]
    panels.append(_stream_debt_panel(rows, debt, period, when))
    basis = monitoring_basis(year, period, to_date=True)
    share_note = (
        f"Council share of the collection fund: {pct(share.pct)} (as the upload's Instructions sheet states)."
        if share.stated
        else NO_SHARE_NOTE
    )
    return CollectionView(
        auth, year, period, None, _metrics(rows, debt, period, when),
        (*(with_basis(p, basis) for p in panels), *receipts.panels), share_note=share_note, streams=rows,
        receipts=receipts, debt=debt, target_texts=tuple(f"{p.target.series.stream}: {p.text}" for p in progress),
    )  # fmt: skip


def _metrics(rows: pd.DataFrame, debt: pd.DataFrame, period: int, when: str) -> tuple[tuple[str, str], ...]:
    out = [(f"Income streams at {when}", f"{len(rows)}")]
    weak = cf.weakest(rows)
    if weak is not None:
        short = f"{weak['stream']}: {gbp_m(weak['shortfall_gbp'])} short"
        out.append((f"Weakest stream (forecast against {weak['compared_with']})", short))
    effect = rows["budget_effect_gbp"].dropna()
    if not effect.empty:
        out.append(
            ("Cash effect on the budget of the streams forecast short", gbp_m(float(effect.clip(lower=0).sum())))
        )
    at = debt[debt["period"] == period]
    if not at.empty:
        out.append((f"Debt outstanding at {when}", gbp_m(float(at["balance_gbp"].sum()))))
    return tuple(out)
