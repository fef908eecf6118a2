"""The MTFS scenarios page's inputs: one slider per assumption (per year where it varies) and per demand line, the
base figures, the reserves policy and the DSG cliff, read into `finance.scenarios.view.Choices`.

Kept apart from the page so that the page stays a short script: this module only draws widgets and reads them,
and every rule (bounds, defaults, which assumptions vary by year) comes from `finance.scenarios.spec`.
"""

from __future__ import annotations

import streamlit as st

from finance.scenarios import (
    ASSUMPTIONS,
    BASE,
    DEMAND_SLIDER_MAX_PCT,
    DEMAND_SLIDER_MIN_PCT,
    DSG_OVERRIDE_END,
    RESERVES_POLICIES,
    RESERVES_POLICY_LABELS,
    Choices,
    Scenario,
    slider_bounds,
)
from finance.years import DSG_OVERRIDE_END as DSG_OVERRIDE_END_DATE
from finance.years import year_from_start

_FORMAT = {"pct": "%.2f%%", "gbp_m": "%.1f"}  # the label carries £m; "£-5.0m" would misplace the sign
GROUPS = (("Funding", ("funding",)), ("Spending", ("cost",)), ("Savings and reserves", ("savings", "reserves")))


def _assumption_inputs(start: Scenario, key: str) -> dict[str, float | tuple[float, ...]]:
    values: dict[str, float | tuple[float, ...]] = {}
    nrb, replaced = start.base["net_revenue_budget"], start.replaced_growth
    for (title, roles), column in zip(GROUPS, st.columns(len(GROUPS)), strict=True):
        column.markdown(f"**{title}**")
        for spec in (a for a in ASSUMPTIONS if a.role in roles):
            now, fmt, tip = start.assumptions[spec.key], _FORMAT[spec.unit], spec.help or None
            if spec.per_year_slider or len(set(now)) > 1:
                unit = spec.unit_text.replace(" a year", "")
                values[spec.key] = tuple(
                    column.slider(
                        f"{spec.label}, {year} ({unit})",
                        *slider_bounds(spec, value, nrb),
                        value,
                        spec.step,
                        format=fmt,
                        key=f"{key}_{spec.key}_{year}",
                        help=tip,
                    )
                    for year, value in zip(start.years, now, strict=True)
                )
            else:
                values[spec.key] = column.slider(
                    f"{spec.label} ({spec.unit_text})",
                    *slider_bounds(spec, now[0], nrb),
                    now[0],
                    spec.step,
                    format=fmt,
                    key=f"{key}_{spec.key}",
                    help="Replaced by the demand lines below (never both)." if spec.key in replaced else tip,
                    disabled=spec.key in replaced,
                )
    return values


def _demand_inputs(start: Scenario, key: str) -> dict[int, float | tuple[float, ...]]:
    """One slider per demand line's volume growth (one a year where it varies by year)."""
    if not start.demand:
        return {}
    st.markdown("**Demand drivers** (volume growth; each line's pressure is volume × unit cost)")
    values: dict[int, float | tuple[float, ...]] = {}
    columns = st.columns(min(len(start.demand), 3))
    for i, line in enumerate(start.demand):
        column, now = columns[i % len(columns)], line.growth_pct
        where = ", ".join(x for x in (line.basis, line.as_at, line.source) if x) or "source not stated"
        tip = f"From {line.base_volume:,.6g} {line.unit} at £{line.base_unit_cost_gbp:,.2f} a year ({where})."
        bounds = (min(DEMAND_SLIDER_MIN_PCT, *now), max(DEMAND_SLIDER_MAX_PCT, *now))
        if len(set(now)) > 1:
            values[i] = tuple(
                column.slider(
                    f"Demand growth: {line.label}, {year} (%)",
                    *bounds,
                    value,
                    0.1,
                    format="%.2f%%",
                    key=f"{key}_demand_{i}_{year}",
                    help=tip,
                )
                for year, value in zip(start.years, now, strict=True)
            )
        else:
            values[i] = column.slider(
                f"Demand growth: {line.label} (% a year)",
                *bounds,
                now[0],
                0.1,
                format="%.2f%%",
                key=f"{key}_demand_{i}",
                help=tip,
            )
    return values


def read_choices(start: Scenario, key: str, code: str | None) -> Choices:
    """Every widget of the scenario area (keyed by `key`, the start's generation), read into `Choices`."""
    assumptions = _assumption_inputs(start, key)
    demand = _demand_inputs(start, key)
    with st.expander("Base figures (£m), reserves policy and the DSG cliff"):
        cols = st.columns(4)
        base = {
            b.key: cols[i % 4].number_input(
                f"{b.label} ({'%' if b.unit == 'pct' else '£m'})",
                min_value=0.0,
                max_value=100.0 if b.unit == "pct" else None,
                value=float(start.base[b.key]),
                step=0.1,
                format="%.3f",
                key=f"{key}_base_{b.key}",
            )
            for i, b in enumerate(BASE)
        }
        policy = st.radio(
            "Gap not closed is met from",
            RESERVES_POLICIES,
            index=RESERVES_POLICIES.index(start.reserves_policy),
            format_func=RESERVES_POLICY_LABELS.__getitem__,
            horizontal=True,
            key=f"{key}_policy",
        )
        d1, d2 = st.columns(2)
        cliff = d1.toggle(
            f"DSG cliff: the statutory override ends {DSG_OVERRIDE_END}",
            value=start.dsg_cliff,
            key=f"{key}_dsg",
            help=f"From {year_from_start(DSG_OVERRIDE_END_DATE.year)} the cumulative DSG deficit counts against usable "
            "reserves.",
        )
        off = d2.slider(
            "Share of the DSG deficit written off by government (%)",
            0.0,
            100.0,
            start.dsg_written_off_pct,
            5.0,
            key=f"{key}_dsg_off",
            disabled=not cliff,
        )
    name = st.text_input("Scenario name", value=start.name, key=f"{key}_name")
    return Choices(name, code, assumptions, base, policy, cliff, off, demand)
