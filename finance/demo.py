"""The illustrative demo dataset: a fictional peer group of 36 metropolitan districts, generated, never real.

Headroom must run on a machine with no official files and no network, and still show every page working. The
data for that is generated here, deterministically (a fixed seed), and is labelled illustrative everywhere it
shows: the authorities' codes are DEMO01..DEMO36, their names end in "(illustrative)", their rows have basis
'illustrative' and their provenance is a `source_file` of kind 'demo'. They are never mixed into a real
authority's peer group. No figure here is derived from the official returns.

The home council, DEMO01 "Northbridge (illustrative)", is given a story worth showing: usable reserves falling
year on year towards the bottom quartile, and a growing DSG deficit.

The demo reconciles, as real data would: every balance a year closes with is the one the next year opens with;
the home council's monitoring opens with the reserves and DSG deficit its last return closed with; and its
monitoring budgets are its current MTFS scenario's net revenue budget for each year (tests assert each).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from finance import years as fy
from finance.store import Source, Store, Tx, sha256_bytes
from finance.years import year_from_start

if TYPE_CHECKING:
    from finance.upload import DemoStart

# 2: years open with last closing balances; 3: reserve quality; 4: capital programme; 5: targets; 6: income streams;
# 7: a Demand sheet in every workbook
DEMO_VERSION = "7"
HOME_CODE = "DEMO01"
DEMO_YEARS = [year_from_start(y) for y in range(2019, 2025)]  # 2019-20 .. 2024-25
NO_RETURN = ("DEMO29", "2024-25")  # one late return in the latest year, as happens in the real data

_NAMES = [
    "Northbridge", "Ashcombe Vale", "Brackenfold", "Caldwick", "Dunmere", "Elmstead Moor", "Farrowby",
    "Glenholme", "Harrowmere", "Ivybank", "Kestrel Dale", "Larkhaven", "Millbeck", "Netherwick", "Oakmere",
    "Pennyford", "Quarrydale", "Ravensholt", "Saltmarsh", "Thornleigh", "Upperton", "Valebridge",
    "Wolverdale", "Yarrowfield", "Ashby Fold", "Birchcombe", "Coldharbour Vale", "Drayfield", "Edgecote",
    "Fallowmere", "Greyhaven", "Hollinsworth", "Irondale", "Kirkmoor", "Lowbeck", "Marshby",
]  # fmt: skip


@dataclass(frozen=True)
class DemoReport:
    source_id: int
    authorities: int
    rows: int
    status: str  # 'built' | 'unchanged'
    monitoring_uploads: int = 0
    scenario_id: int | None = None


def demo_authorities() -> pd.DataFrame:
    """code, name, class for the 36 illustrative authorities."""
    return pd.DataFrame(
        {
            "code": [f"DEMO{i:02d}" for i in range(1, 37)],
            "name": [f"{n} (illustrative)" for n in _NAMES],
            "class": "MD",
        }
    )


def _series(rng: np.random.Generator, start: float, drift: float, noise: float, n: int) -> np.ndarray:
    steps = 1 + drift + rng.normal(0, noise, n)
    return start * np.cumprod(steps)


def demo_values() -> pd.DataFrame:
    """The generated returns, long format: code, financial_year, measure, point, value_gbp (£, to £1,000)."""
    rng = np.random.default_rng(20261123)
    n_years = len(DEMO_YEARS)
    rows: list[tuple[str, str, str, str, float]] = []
    for i, code in enumerate(demo_authorities()["code"]):
        home = code == HOME_CODE
        nre0 = 240e6 if home else rng.uniform(170e6, 680e6)
        nre = _series(rng, nre0, 0.035, 0.01, n_years)
        if home:
            unalloc_pct = np.linspace(5.2, 3.7, n_years + 1)
            earm_pct = np.linspace(29.0, 15.5, n_years + 1)
        else:
            unalloc_pct = _series(rng, rng.uniform(3.0, 9.0), 0.0, 0.08, n_years + 1)
            earm_pct = _series(rng, rng.uniform(10.0, 42.0), rng.uniform(-0.06, 0.05), 0.07, n_years + 1)
        ct_share = rng.uniform(0.42, 0.60)
        dsg_start = 0.0 if (i % 3 == 2 and not home) else -rng.uniform(0.5, 3.0) * 1e6
        dsg = dsg_start * np.cumprod(np.full(n_years + 1, 1.0 + (0.65 if home else rng.uniform(0.1, 0.6))))
        # balances at each 31 March (index 0: the 1 April the first year opens with); a year's opening balance
        # is the previous year's closing one
        nre_then = np.concatenate([[nre[0]], nre])
        levels = {
            "unallocated_reserves": nre_then * unalloc_pct / 100,
            "earmarked_reserves": nre_then * earm_pct / 100,
            "public_health_reserves": nre_then * np.concatenate([[0.004], np.full(n_years, 0.0035)]),
            "schools_reserves": nre_then * np.concatenate([[0.03], np.full(n_years, 0.028)]),
            "dsg_adjustment_account": dsg,
        }
        for t, year in enumerate(DEMO_YEARS):
            for measure, level in levels.items():
                rows.append((code, year, measure, "opening", level[t]))
                rows.append((code, year, measure, "closing", level[t + 1]))
            rows.append((code, year, "net_revenue_expenditure", "year", nre[t]))
            rows.append((code, year, "council_tax_requirement", "year", nre[t] * ct_share))
    frame = pd.DataFrame(rows, columns=["code", "financial_year", "measure", "point", "value_gbp"])
    frame["value_gbp"] = (frame["value_gbp"] / 1000).round() * 1000
    late = (frame["code"] == NO_RETURN[0]) & (frame["financial_year"] == NO_RETURN[1])
    frame["published_text"] = pd.Series(pd.NA, index=frame.index, dtype="string")
    frame.loc[late, "value_gbp"] = np.nan
    frame.loc[late, "published_text"] = "[x]"
    return frame


def demo_fingerprint(values: pd.DataFrame) -> str:
    buf = io.StringIO()
    buf.write(f"headroom-demo v{DEMO_VERSION}\n")
    values.to_csv(buf, index=False)
    return sha256_bytes(buf.getvalue().encode("utf-8"))


def build_demo(store: Store, *, user: str = "demo") -> DemoReport:
    """Load the illustrative dataset into `store`; a second call changes nothing.

    First the peer group's official-style returns (one transaction), then the home council's monthly monitoring,
    generated as workbooks and loaded through the same loader as a finance team's uploads (one transaction
    each), so the demo exercises the real path.
    """
    from finance.upload import load_demo_monitoring

    report = _build_peer_group(store, user=user)
    scenario_id = _build_current_scenario(store, user=user)
    uploads = load_demo_monitoring(store, HOME_CODE, user=user, start=monitoring_start(store))
    return DemoReport(report.source_id, report.authorities, report.rows, report.status, len(uploads), scenario_id)


def monitoring_start(store: Store) -> DemoStart:
    """Where the home council's monitoring starts: its last illustrative return's closing balances and DSG
    deficit, a stated minimum general fund balance, and its current scenario's net revenue budget per year."""
    from finance import scenarios
    from finance.upload import PERIODS_BY_YEAR, DemoStart

    values = demo_values()
    closing = values[
        (values["code"] == HOME_CODE) & (values["financial_year"] == DEMO_YEARS[-1]) & (values["point"] == "closing")
    ].set_index("measure")["value_gbp"]

    def k(measure: str) -> int:
        return round(float(closing[measure]) / 1000)

    budgets: tuple[tuple[str, int], ...] = ()
    saved = scenarios.current_scenario(store, HOME_CODE)
    if saved is not None:
        projection = scenarios.run(saved.scenario())
        budgets = tuple(
            (year, round(float(projection.net_revenue_budget[0, projection.years.index(year)]) * 1000))
            for year in PERIODS_BY_YEAR
            if year in projection.years
        )
    return DemoStart(
        unallocated_k=k("unallocated_reserves"),
        earmarked_k=k("earmarked_reserves"),
        public_health_k=k("public_health_reserves"),
        schools_k=k("schools_reserves"),
        dsg_deficit_k=-k("dsg_adjustment_account"),
        minimum_gf_balance_k=MINIMUM_GF_BALANCE_K,
        budget_k=budgets,
    )


MINIMUM_GF_BALANCE_K = 5_000  # the demo council's stated minimum general fund balance (its illustrative s25 report)

# Illustrative shares of the net revenue budget for the spending and funding lines the returns do not split, and
# the home council's illustrative MTFS assumptions (% a year unless _gbp_m). Typical of a metropolitan district's
# published MTFS, not taken from any one council.
_DEMO_SPLIT = {
    "pay": 0.30, "non_pay": 0.22, "adults_social_care": 0.32, "childrens_social_care": 0.16,
    "business_rates": 0.20, "grants": 0.22, "fees_and_charges": 0.08,
}  # fmt: skip
_DEMO_ASSUMPTIONS: dict[str, float | tuple[float, ...]] = {
    "council_tax_increase_pct": 2.99, "adult_social_care_precept_pct": 2.0, "tax_base_growth_pct": 0.8,
    "business_rates_growth_pct": 2.0, "grant_change_pct": 1.0, "fees_growth_pct": 3.0, "pay_award_pct": 3.0,
    "non_pay_inflation_pct": 2.5, "adults_inflation_pct": 3.5, "adults_demand_growth_pct": 2.5,
    "childrens_inflation_pct": 4.0, "childrens_demand_growth_pct": 3.0,
    "additional_pressures_gbp_m": (6.0, 4.0, 4.0, 3.0), "savings_planned_gbp_m": (8.0, 6.0, 5.0, 5.0),
    "savings_delivery_pct": 75.0,
}  # fmt: skip
DEMO_SCENARIO_NAME = "Northbridge MTFS 2025-29 (illustrative)"


def _build_current_scenario(store: Store, *, user: str) -> int | None:
    """Save an illustrative MTFS scenario for the home council and mark it current (once)."""
    from finance import scenarios
    from finance.upload import DEMO_BORROWING_RATE_PCT, demo_capital_plan

    existing = [s for s in scenarios.list_scenarios(store, HOME_CODE) if s.name == DEMO_SCENARIO_NAME]
    if existing:
        return existing[0].scenario_id
    base = scenarios.base_figures(store, HOME_CODE)
    values = base.values_gbp_m()
    nrb = values["net_revenue_budget"]
    values.update({key: round(share * nrb, 1) for key, share in _DEMO_SPLIT.items()})
    scenario = scenarios.make_scenario(
        DEMO_SCENARIO_NAME,
        base.base_year,
        fy.following(base.base_year, 4),
        values,
        {**_DEMO_ASSUMPTIONS, "borrowing_rate_pct": DEMO_BORROWING_RATE_PCT},
        authority=HOME_CODE,
        description="Illustrative: generated by Headroom for the demo council; not any real council's MTFS.",
        balances_as_at=base.balances_as_at,
        balances_source=base.balances_source,
        capital=demo_capital_plan(),
    )
    saved = scenarios.save_scenario(
        store, scenario, authority_code=HOME_CODE, user=user, note="Illustrative demo scenario"
    )
    scenarios.set_current(store, saved.scenario_id, user=user)
    return saved.scenario_id


def _build_peer_group(store: Store, *, user: str) -> DemoReport:
    values = demo_values()
    digest = demo_fingerprint(values)

    def load(tx: Tx) -> DemoReport:
        existing = tx.find_source("demo", digest)
        if existing is not None:
            return DemoReport(existing, 0, 0, "unchanged")
        source_id = tx.add_source(
            Source(
                kind="demo",
                file_name=f"headroom-demo-v{DEMO_VERSION} (generated by finance/demo.py)",
                sha256=digest,
                dataset="Illustrative demo",
                basis="illustrative",
                publisher_note="Illustrative figures generated by Headroom; not any real council's.",
            )
        )
        auth = demo_authorities()
        tx.execute("DELETE FROM official_value WHERE basis = 'illustrative'")
        tx.execute("DELETE FROM official_return WHERE basis = 'illustrative'")
        tx.execute("DELETE FROM authority WHERE is_illustrative")
        tx.insert_df(
            "authority",
            auth.assign(ecode=None, is_illustrative=True, source_id=source_id),
        )
        returns = auth.merge(pd.DataFrame({"financial_year": DEMO_YEARS}), how="cross")
        tx.insert_df(
            "official_return",
            returns.rename(columns={"name": "name_published"}).assign(
                basis="illustrative", certified=None, source_id=source_id
            ),
        )
        rows = tx.insert_df(
            "official_value",
            values.assign(basis="illustrative", source_label="Illustrative (generated)", source_id=source_id),
        )
        return DemoReport(source_id, len(auth), rows, "built")

    return store.write(load, user=user, action="build_demo")
