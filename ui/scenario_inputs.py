"""The MTFS scenarios page's inputs: one slider per assumption (per year where it varies) and per demand line, the
base figures, the reserves policy and the DSG cliff — drawn one group at a time, and read into
`finance.scenarios.view.Choices` from the session state.

Why it is built this way (issue 22, "instant interaction"): the browser's cost of a slider step is redrawing what the
server re-sends, so a step must re-send as little as possible. The inputs are drawn in their own fragment
(`INPUTS`), one group at a time (a segmented control chooses the group), and every input's `on_change` reruns only
the results' fragment (`RESULTS`, by its key): moving a slider re-sends the metrics and the open tab, never the
sliders. Each input keeps its value for the session (`persist_state="session"`) while its group is not shown, so
`read_choices` reads every assumption from the session state, falling back to the start's value for an input not
yet drawn. Every rule (bounds, defaults, which assumptions vary by year) comes from `finance.scenarios.spec`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import streamlit as st

from finance.scenarios import (
    ASSUMPTIONS,
    BASE,
    DEMAND_SLIDER_MAX_PCT,
    DEMAND_SLIDER_MIN_PCT,
    DSG_OVERRIDE_END,
    RESERVES_POLICIES,
    RESERVES_POLICY_LABELS,
    AssumptionSpec,
    Choices,
    Scenario,
    slider_bounds,
)
from finance.years import DSG_OVERRIDE_END as DSG_OVERRIDE_END_DATE
from finance.years import year_from_start

INPUTS, RESULTS = "scn_inputs", "scn_results"  # the fragments' keys (pages/scenarios.py)
_FORMAT = {"pct": "%.2f%%", "gbp_m": "%.1f"}  # the label carries £m; "£-5.0m" would misplace the sign
# group → (what the control shows, the assumption roles it holds); "demand" and "base" hold the other inputs
GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "spending": ("Spending and pressures", ("cost",)),
    "funding": ("Funding", ("funding",)),
    "savings": ("Savings and reserves", ("savings", "reserves")),
    "demand": ("Demand lines", ()),
    "base": ("Base figures, reserves policy and DSG", ()),
}
_ROLES = {role for _, roles in GROUPS.values() for role in roles}
_KEEP: dict[str, Any] = {"persist_state": "session"}  # a group not shown keeps its values


def _results() -> None:
    """An input changed: rerun the results alone (the inputs already show the new value)."""
    st.rerun(RESULTS)


def _inputs_and_results() -> None:
    """The DSG cliff changed: the write-off slider's enabled state changes too."""
    st.rerun([INPUTS, RESULTS])


def _per_year(spec: AssumptionSpec, start: Scenario) -> bool:
    return spec.per_year_slider or len(set(start.assumptions[spec.key])) > 1


def _assumption_keys(spec: AssumptionSpec, start: Scenario, key: str) -> list[str]:
    if _per_year(spec, start):
        return [f"{key}_{spec.key}_{year}" for year in start.years]
    return [f"{key}_{spec.key}"]


def _demand_keys(start: Scenario, key: str, i: int) -> list[str]:
    now = start.demand[i].growth_pct
    return [f"{key}_demand_{i}_{year}" for year in start.years] if len(set(now)) > 1 else [f"{key}_demand_{i}"]


def _slots(count: int) -> Iterator[Any]:
    """Columns of three, filled row by row, as many rows as needed."""
    columns = st.columns(3)
    for i in range(count):
        yield columns[i % 3]


def _assumption_inputs(start: Scenario, key: str, roles: tuple[str, ...]) -> None:
    nrb, replaced = start.base["net_revenue_budget"], start.replaced_growth
    specs = [a for a in ASSUMPTIONS if a.role in roles]
    slots = _slots(sum(len(_assumption_keys(s, start, key)) for s in specs))
    for spec in specs:
        now, fmt, tip = start.assumptions[spec.key], _FORMAT[spec.unit], spec.help or None
        keys = _assumption_keys(spec, start, key)
        if len(keys) > 1:
            unit = spec.unit_text.replace(" a year", "")
            for year, value, k in zip(start.years, now, keys, strict=True):
                next(slots).slider(f"{spec.label}, {year} ({unit})", *slider_bounds(spec, value, nrb), value,
                                   spec.step, format=fmt, key=k, help=tip, on_change=_results, **_KEEP)  # fmt: skip
        else:
            next(slots).slider(
                f"{spec.label} ({spec.unit_text})", *slider_bounds(spec, now[0], nrb), now[0], spec.step, format=fmt,
                key=keys[0], on_change=_results, disabled=spec.key in replaced,
                help="Replaced by the demand lines (never both)." if spec.key in replaced else tip, **_KEEP,
            )  # fmt: skip


def _demand_inputs(start: Scenario, key: str) -> None:
    """One slider per demand line's volume growth (one a year where it varies by year)."""
    st.caption("Volume growth of each demand line; each line's pressure is volume × unit cost.")
    slots = _slots(sum(len(_demand_keys(start, key, i)) for i in range(len(start.demand))))
    for i, line in enumerate(start.demand):
        now, keys = line.growth_pct, _demand_keys(start, key, i)
        where = ", ".join(x for x in (line.basis, line.as_at, line.source) if x) or "source not stated"
        tip = f"From {line.base_volume:,.6g} {line.unit} at £{line.base_unit_cost_gbp:,.2f} a year ({where})."
        bounds = (min(DEMAND_SLIDER_MIN_PCT, *now), max(DEMAND_SLIDER_MAX_PCT, *now))
        labels = ([f"Demand growth: {line.label}, {year} (%)" for year in start.years] if len(keys) > 1
                  else [f"Demand growth: {line.label} (% a year)"])  # fmt: skip
        for label, value, k in zip(labels, now, keys, strict=False):
            next(slots).slider(label, *bounds, value, 0.1, format="%.2f%%", key=k, help=tip, on_change=_results,
                               **_KEEP)  # fmt: skip


def _base_inputs(start: Scenario, key: str) -> None:
    cols = st.columns(4)
    for i, b in enumerate(BASE):
        cols[i % 4].number_input(
            f"{b.label} ({'%' if b.unit == 'pct' else '£m'})", min_value=0.0,
            max_value=100.0 if b.unit == "pct" else None, value=float(start.base[b.key]), step=0.1, format="%.3f",
            key=f"{key}_base_{b.key}", on_change=_results, **_KEEP,
        )  # fmt: skip
    st.radio("Gap not closed is met from", RESERVES_POLICIES, index=RESERVES_POLICIES.index(start.reserves_policy),
             format_func=RESERVES_POLICY_LABELS.__getitem__, horizontal=True, key=f"{key}_policy",
             on_change=_results, **_KEEP)  # fmt: skip
    d1, d2 = st.columns(2)
    cliff = d1.toggle(
        f"DSG cliff: the statutory override ends {DSG_OVERRIDE_END}", value=start.dsg_cliff, key=f"{key}_dsg",
        help=f"From {year_from_start(DSG_OVERRIDE_END_DATE.year)} the cumulative DSG deficit counts against usable "
        "reserves.", on_change=_inputs_and_results, **_KEEP,
    )  # fmt: skip
    d2.slider("Share of the DSG deficit written off by government (%)", 0.0, 100.0, start.dsg_written_off_pct, 5.0,
              key=f"{key}_dsg_off", disabled=not cliff, on_change=_results, **_KEEP)  # fmt: skip


def group_names(start: Scenario) -> list[str]:
    """The groups this start has, in the control's order (demand lines only when it has some)."""
    return [g for g in GROUPS if g != "demand" or start.demand]


@st.fragment(key=INPUTS)
def draw_inputs(start: Scenario, generation: int) -> None:
    """The scenario's name and the chosen group's inputs, keyed by the start's `generation` (a fragment: choosing
    another group redraws the inputs alone)."""
    key = f"scn{generation}"
    st.text_input("Scenario name", value=start.name, key=f"{key}_name", on_change=_results, **_KEEP)
    names = group_names(start)
    group = st.segmented_control("Assumptions to set", names, default=names[0], required=True,
                                 format_func=lambda g: GROUPS[g][0], key=f"{key}_group", **_KEEP)  # fmt: skip
    group = group if group in names else names[0]
    if group == "demand":
        _demand_inputs(start, key)
    elif group == "base":
        _base_inputs(start, key)
    else:
        _assumption_inputs(start, key, GROUPS[group][1])


def read_choices(start: Scenario, key: str, code: str | None) -> Choices:
    """Every input of the scenario (keyed by `key`, the start's generation) as `Choices`: the value set in this
    session where one was set, shown or not, else the start's."""
    state = st.session_state

    def value(keys: list[str], now: tuple[float, ...]) -> float | tuple[float, ...]:
        got = tuple(float(state.get(k, v)) for k, v in zip(keys, now, strict=False))
        return got if len(keys) > 1 else got[0]

    assumptions = {
        a.key: value(_assumption_keys(a, start, key), start.assumptions[a.key]) for a in ASSUMPTIONS if a.role in _ROLES
    }
    demand = {i: value(_demand_keys(start, key, i), line.growth_pct) for i, line in enumerate(start.demand)}
    base = {b.key: float(state.get(f"{key}_base_{b.key}", start.base[b.key])) for b in BASE}
    return Choices(
        str(state.get(f"{key}_name", start.name)),
        code,
        assumptions,
        base,
        str(state.get(f"{key}_policy", start.reserves_policy)),
        bool(state.get(f"{key}_dsg", start.dsg_cliff)),
        float(state.get(f"{key}_dsg_off", start.dsg_written_off_pct)),
        demand,
    )
