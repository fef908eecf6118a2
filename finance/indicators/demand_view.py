"""What the Demand page, the `demand` command and the pack show: every official demand series for one authority
against its peer group, grouped by the budget it drives, each beside the council's matching budget line.

Why one view for all three: the page, the CLI and the pack must say the same numbers in the same words — title,
unit, basis and as-at point on every table; the peer group's members listed with "not applicable" or "no return".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from finance.charts import Panel
from finance.indicators.demand import DemandSeries, DemandSeriesSet, at, demand_series
from finance.indicators.demand_budget import BudgetLine, budget_line
from finance.indicators.demand_charts import budget_figure, history_figure, peers_figure
from finance.store import Store

#: The page's sections: (key, title, metric keys, the budget they sit beside).
AREAS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("children", "Children looked after", ("cla_count", "cla_per_10k"), "children's placements"),
    ("send", "EHC plans (SEND)", ("ehc_plans", "ehc_new_plans", "ehc_within_20_weeks_pct"), "DSG high needs"),
    ("housing", "Temporary accommodation", ("ta_households", "ta_per_1000"), "temporary accommodation"),
)
AREA_TITLES = {key: title for key, title, _, _ in AREAS}


@dataclass(frozen=True)
class DemandView:
    data: DemandSeriesSet
    group_label: str
    budgets: dict[str, BudgetLine | None]
    summary: pd.DataFrame
    members: pd.DataFrame
    panels: dict[str, tuple[Panel, ...]]
    notes: dict[str, tuple[str, ...]]
    message: str | None = None  # why there are no official figures at all, when there are none

    @property
    def heading(self) -> str:
        a = self.data.authority
        year = f", points up to 31 March of {self.data.financial_year}" if self.data.financial_year else ""
        return f"{a.name}{year} — peer group: {self.group_label}"

    def as_dict(self) -> dict[str, Any]:
        a = self.data.authority
        return {
            "authority": {"ons_code": a.code, "name": a.name, "class": a.class_code},
            "financial_year": self.data.financial_year,
            "group": self.data.group,
            "group_label": self.group_label,
            "group_definition": self.data.peers.definition,
            "group_source": self.data.peers.source,
            "members": self.members.to_dict(orient="records"),
            "official": [s.as_dict() for s in self.data.series],
            "budget_lines": {k: (None if v is None else v.as_dict()) for k, v in self.budgets.items()},
        }


def demand_view(
    store: Store, code: str, year: str | None = None, group: str = "MD", areas: tuple[str, ...] | None = None
) -> DemandView:
    """Every demand series of `code` among `group` at the latest point up to the end of `year` (default: the latest
    held), with the budget lines of the monitoring `year` (default: the latest uploaded). Charts are drawn for the
    sections in `areas` only (default: every section; the page asks for the one shown, the CLI for none — a chart
    costs far more than its numbers). Errors as `demand_series`."""
    data = demand_series(store, code, year, group)
    label = f"{data.peers.label} ({len(data.members)} authorities)"
    budgets = {service: budget_line(store, data.authority.code, service, year) for _, _, _, service in AREAS}
    by_key = data.by_key()
    panels: dict[str, tuple[Panel, ...]] = {}
    notes: dict[str, tuple[str, ...]] = {}
    for key, _title, metrics, service in AREAS:
        shown = [by_key[m] for m in metrics]
        drawn = areas is None or key in areas
        area_panels = [p for s in shown if s.point is not None and drawn for p in _series_panels(s, data, label)]
        line = budgets[service]
        if line is not None and drawn:
            area_panels.append(_budget_panel(key, line, shown))
        panels[key] = tuple(area_panels)
        area_notes = [s.note for s in shown if s.note]
        if line is None:
            area_notes.append(f"No {service} budget line is held from the council's monitoring uploads.")
        notes[key] = tuple(area_notes)
    message = None
    if all(s.point is None for s in data.series):
        a = data.authority
        message = (
            f"{a.name} is illustrative: the official demand statistics cover real authorities only."
            if a.is_illustrative
            else f"No official demand figures are held for {a.name}: import the DfE children looked after and EHC "
            "plans files and the MHCLG H-CLIC workbook (python -m finance import-official <folder>, or put them in "
            "the official folder)."
        )
    return DemandView(data, label, budgets, _summary(data), _members(data), panels, notes, message)


def _summary(data: DemandSeriesSet) -> pd.DataFrame:
    rows = []
    for s in data.series:
        p = s.point
        rows.append(
            {
                "Series": s.metric.title,
                "Unit": s.metric.unit,
                "Basis": s.metric.basis,
                "As at": "—" if p is None else p.period_label,
                data.authority.name: None if p is None else p.value,
                "Status": s.direction if p is None else p.status,
                "Peer median": None if p is None else p.median,
                "Position among peers": s.position_text(),
                "Direction of travel": s.direction,
            }
        )
    return pd.DataFrame(rows)


def _members(data: DemandSeriesSet) -> pd.DataFrame:
    """The group's members with, per series area, a figure or why there is none."""
    classes = data.peers.class_of()
    table = pd.DataFrame(
        {
            "Authority": data.members["name"],
            "ONS code": data.members["code"],
            "Class": [classes[c] or "—" for c in data.peers.codes],
        }
    )
    by_key = data.by_key()
    for _key, title, metrics, _ in AREAS:
        series = by_key[metrics[0]]
        status = {f.code: f.status for f in series.peers}
        fallback = "—"  # the authority itself lacks the duty: no comparison is made
        table[
            f"{title}: {series.metric.short}" + ("" if series.point is None else f" ({series.point.period_label})")
        ] = [status.get(str(c), fallback) for c in data.members["code"]]
    return table


def _series_panels(s: DemandSeries, data: DemandSeriesSet, group_label: str) -> list[Panel]:
    m, p = s.metric, s.point
    assert p is not None
    name = data.authority.name
    history = pd.DataFrame(
        {
            "As at": [h.period_label for h in s.history],
            f"{name} ({m.unit})": [h.value for h in s.history],
            "Status": [h.status for h in s.history],
            "Peer median": [h.median for h in s.history],
            "Lower quartile": [h.lower_quartile for h in s.history],
            "Upper quartile": [h.upper_quartile for h in s.history],
            "Position (1 = highest)": [
                None if h.rank_highest is None else f"{h.rank_highest} of {h.n_ranked}" for h in s.history
            ],
            "Collection": [h.definition for h in s.history],
            "Basis": m.basis,
        }
    )
    value = "no figure" if p.value is None else f"{p.value:,.{m.decimals}f} {m.unit}"
    history_caption = (
        f"{m.title}, {name}: {value} {at(p.period_label)}; peer median "
        f"{'—' if p.median is None else f'{p.median:,.{m.decimals}f}'}; {s.position_text()} in {group_label}. "
        f"Direction of travel: {s.direction}. Source: {s.source}."
    )
    peers = pd.DataFrame(
        {
            "Authority": [f.name for f in s.peers],
            f"{m.short} ({m.unit}) {at(p.period_label)}": [f.value for f in s.peers],
            "Status": [f.status for f in s.peers],
            "As at": p.period_label,
            "Basis": m.basis,
        }
    ).sort_values(f"{m.short} ({m.unit}) {at(p.period_label)}", ascending=False, na_position="last", kind="stable")
    peers_caption = (
        f"{m.title} {at(p.period_label)} for each member of {group_label} with a figure, highest first; members "
        "without the duty are not applicable and members without a figure are not ranked (never zero)."
    )
    code = data.authority.code
    when = at(p.period_label)
    return [
        Panel(f"demand-{m.key}-history", f"{m.title}: over time", history_figure(s, name, group_label), history,
              history_caption),
        Panel(f"demand-{m.key}-peers", f"{m.short} {when}: peers", peers_figure(s, code, group_label),
              peers.reset_index(drop=True), peers_caption),
    ]  # fmt: skip


def _budget_panel(area: str, line: BudgetLine, shown: list[DemandSeries]) -> Panel:
    demand = "; ".join(
        f"{s.metric.short} {s.direction}" for s in shown if s.point is not None and s.metric.basis == "official count"
    )
    caption = (
        f"Beside the budget: {line.title}, £{line.headline_gbp / 1e6:,.1f}m at {line.basis}. "
        f"Lines matched in the upload: {', '.join(line.lines)}. Demand: {demand or 'no official figure'}."
    )
    return Panel(f"demand-{area}-budget", f"Beside the budget: {line.title}", budget_figure(line), line.table, caption)
