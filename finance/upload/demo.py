"""Illustrative monthly monitoring for the demo authority, generated as real workbooks and loaded like uploads.

The figures are invented (seeded, so every build is identical) for a fictional metropolitan district with a net
revenue budget of about £300m. They are written into .xlsx files in memory in £000 (with a Total row that the
reader reconciles) and go through `load_upload`, so the demo exercises exactly the path users' files take.

The monitoring reconciles with the rest of the demo (`DemoStart`, filled by `finance.demo`): the first year opens
with the reserves and DSG deficit the council's last (illustrative) outturn closed with, each year's net revenue
budget is the current MTFS scenario's for that year, and each year opens with the previous year's P12 closing
balances, the general fund balance less the P12 overspend it met. Savings ratings follow a seeded path per scheme
(a scheme can slip from Green to Amber to Red, or be delivered late in the year; a delivered one stays delivered).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import lru_cache

from openpyxl import Workbook

from finance.scenarios import CapitalPlan, Loan
from finance.store import Store
from finance.upload import demo_collection
from finance.upload.demo_demand import DEMAND_HEADER, demand_rows
from finance.upload.load import load_upload
from finance.workbook import workbook_bytes
from finance.years import shift

SEED = 20251
FIRST_YEAR = "2025-26"
PERIODS_BY_YEAR = {"2025-26": 12, "2026-27": 7}  # today is November 2026: P7 (October) is the latest closed

# (directorate, services with net budget in £000) for 2025-26; 2026-27 budgets grow by the figure in _GROWTH.
_REVENUE: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = (
    ("Adults' Social Care", (("Older people", 58_400), ("Learning disabilities", 39_200), ("Mental health", 14_600))),
    ("Children's Services", (("Children's social care", 52_300), ("Education and SEND", 17_900))),
    ("Neighbourhoods", (("Waste and recycling", 21_800), ("Highways", 12_400), ("Parks and leisure", 6_900))),
    ("Place and Regeneration", (("Planning and housing", 8_600), ("Economic growth", 4_100))),
    ("Public Health", (("Public health services", 1_900),)),
    ("Resources", (("Finance and revenues", 11_300), ("ICT and digital", 9_800), ("People and legal", 6_200))),
    ("Corporate and Central", (("Capital financing", 24_100), ("Levies and contingency", 9_800))),
)
_DRIFT_PCT = {"Adults' Social Care": 0.1, "Children's Services": 0.15, "Neighbourhoods": 0.03}  # per month
_GROWTH = 1.045
_SAVINGS = (
    ("Home care recommissioning", "Adults' Social Care", 2_400),
    ("Reablement first", "Adults' Social Care", 1_800),
    ("Placement sufficiency", "Children's Services", 3_100),
    ("SEND transport review", "Children's Services", 900),
    ("Waste round optimisation", "Neighbourhoods", 1_200),
    ("Street lighting LED", "Neighbourhoods", 450),
    ("Office rationalisation", "Resources", 1_600),
    ("Digital customer service", "Resources", 1_100),
    ("Fees and charges review", "Place and Regeneration", 700),
    ("Treasury management", "Corporate and Central", 1_500),
)
_RESERVES = (
    ("General fund balance", "Unallocated", 12_600),
    ("Budget risk reserve", "Earmarked", 14_800),
    ("Social care reserve", "Earmarked", 9_300),
    ("Insurance reserve", "Earmarked", 6_100),
    ("Transformation reserve", "Earmarked", 5_400),
    ("Public health grant reserve", "Ring-fenced", 1_100),
    ("Schools balances", "Ring-fenced", 8_700),
)
# What each reserve is for and, for earmarked ones, whether it is already committed (illustrative).
_QUALITY: dict[str, tuple[str, str | None]] = {
    "General fund balance": ("Working balance against unforeseen costs", None),
    "Budget risk reserve": ("Cushion for budget risks and savings slippage", "Uncommitted"),
    "Social care reserve": ("Care market sustainability grant conditions", "Committed"),
    "Insurance reserve": ("Self-insured claims already notified", "Committed"),
    "Transformation reserve": ("Invest-to-save schemes not yet approved", "Uncommitted"),
    "Public health grant reserve": ("Unspent public health grant (grant conditions)", None),
    "Schools balances": ("Schools' own balances", None),
}
# Planned use (£000) of each reserve in the years after the monitoring year: positive = drawn down (illustrative).
_PLAN_K: dict[str, tuple[int, int, int]] = {
    "General fund balance": (0, 0, 0),
    "Budget risk reserve": (2_500, 2_000, 1_500),
    "Social care reserve": (1_800, 1_200, 800),
    "Insurance reserve": (600, 600, 600),
    "Transformation reserve": (1_500, 1_000, 500),
    "Public health grant reserve": (-200, -200, 0),
}
# The demo council's financial risk register (illustrative), £000: likelihood as a 1-5 score (3 = 50%).
_RISKS_HEADER = ["Risk ID", "Description", "Category", "Likelihood", "Impact low", "Impact most likely",
                 "Impact high", "Mitigation", "Owner"]  # fmt: skip
_RISKS: tuple[tuple[object, ...], ...] = (
    ("FR01", "Adults' care demand above budget", "Demand", 4, 800, 1_800, 3_500, "Demand panel", "DASS"),
    ("FR02", "Children's placement costs", "Demand", 3, 1_000, 2_000, 4_000, "Sufficiency strategy", "DCS"),
    ("FR03", "Pay award 1% above budget", "Inflation", 3, 1_200, 1_200, 1_200, "Pay contingency", "s151 officer"),
    ("FR04", "Savings programme slippage", "Delivery", 3, 400, 1_000, 2_200, "Monthly tracking", "s151 officer"),
    ("FR05", "Business rates appeals", "Funding", 2, 300, 700, 1_800, "Appeals provision", "Head of revenues"),
    ("FR06", "Uninsured claims", "Other", 1, 500, 1_000, 2_500, "Insurance reserve", "Head of risk"),
    ("FR07", "Energy and contract inflation", "Inflation", 2, 200, 600, 1_500, "Forward buying", "Head of procurement"),
    ("FR08", "Temporary accommodation demand", "Demand", 4, 200, 500, 1_000, "Prevention fund", "Director of place"),
)
_GENERAL_FUND = "General fund balance"
_PUBLIC_HEALTH = "Public health grant reserve"
_SCHOOLS = "Schools balances"


@dataclass(frozen=True)
class DemoStart:
    """Where the demo council's monitoring starts, in £000: its last outturn's closing balances, the minimum general
    fund balance its s25 report states, and the net revenue budget of each monitoring year (from its MTFS)."""

    unallocated_k: int = 12_600
    earmarked_k: int = 35_600
    public_health_k: int = 1_100
    schools_k: int = 8_700
    dsg_deficit_k: int = 18_400
    minimum_gf_balance_k: int = 5_000
    budget_k: tuple[tuple[str, int], ...] = ()  # (year, net revenue budget); a year not given: the lines as listed

    def opening(self) -> dict[str, int]:
        """Opening balance of each reserve line: the earmarked total shared among the earmarked reserves."""
        earmarked = [(name, k) for name, kind, k in _RESERVES if kind == "Earmarked"]
        listed = sum(k for _, k in earmarked)
        shares = {name: round(self.earmarked_k * k / listed) for name, k in earmarked}
        first = earmarked[0][0]
        shares[first] += self.earmarked_k - sum(shares.values())
        return {_GENERAL_FUND: self.unallocated_k, **shares, _PUBLIC_HEALTH: self.public_health_k,
                _SCHOOLS: self.schools_k}  # fmt: skip


_CAPITAL = (
    ("Town centre regeneration", 18_000),
    ("Highways maintenance", 9_500),
    ("School places", 12_200),
    ("Leisure centre refurbishment", 6_300),
    ("Fleet replacement", 3_800),
    ("ICT infrastructure", 2_400),
)

# The demo council's multi-year capital programme (£000), held in its latest workbook: (scheme, directorate, year,
# grants and contributions, capital receipts, revenue, prudential borrowing, asset life in years, slippage). The
# budget is the sum of the four sources. Illustrative, like every demo figure.
_PROGRAMME: tuple[tuple[str, str, str, int, int, int, int, int | None, int], ...] = (
    ("Town centre regeneration", "Place and Regeneration", "2026-27", 6_000, 2_000, 0, 10_000, 40, 1_500),
    ("Town centre regeneration", "Place and Regeneration", "2027-28", 4_000, 0, 0, 8_000, 40, 0),
    ("Town centre regeneration", "Place and Regeneration", "2028-29", 2_000, 0, 0, 4_000, 40, 0),
    ("Highways maintenance", "Neighbourhoods", "2026-27", 7_000, 0, 500, 2_000, 20, 0),
    ("Highways maintenance", "Neighbourhoods", "2027-28", 7_000, 0, 500, 2_000, 20, 0),
    ("Highways maintenance", "Neighbourhoods", "2028-29", 7_000, 0, 500, 2_000, 20, 0),
    ("Highways maintenance", "Neighbourhoods", "2029-30", 7_000, 0, 500, 2_000, 20, 0),
    ("School places", "Children's Services", "2026-27", 12_200, 0, 0, 0, None, 2_100),
    ("School places", "Children's Services", "2027-28", 8_000, 0, 0, 0, None, 0),
    ("Leisure centre refurbishment", "Neighbourhoods", "2026-27", 0, 1_300, 0, 5_000, 25, 800),
    ("Fleet replacement", "Neighbourhoods", "2026-27", 0, 0, 0, 3_800, 7, 0),
    ("Fleet replacement", "Neighbourhoods", "2028-29", 0, 0, 0, 3_500, 7, 0),
    ("ICT infrastructure", "Resources", "2026-27", 0, 0, 400, 2_000, 5, 0),
    ("ICT infrastructure", "Resources", "2027-28", 0, 0, 400, 1_600, 5, 0),
)
# The demo council's debt position at 1 April 2026 and its treasury management strategy's limits (£000, %).
_POSITION: tuple[tuple[str, object], ...] = (
    ("Capital financing requirement at 1 April", 420_000),
    ("External debt at 1 April", 310_000),
    ("Average interest rate on existing debt (%)", 3.9),
    ("Authorised limit", 480_000),
    ("Operational boundary", 450_000),
    ("Financing costs limit (% of net revenue stream)", 10),
    ("MRP method", "Annuity"),
)
PROGRAMME_IN = ("2026-27", 7)  # the workbook (year, period) that carries the programme: the latest one
DEMO_BORROWING_RATE_PCT = 4.5  # the demo scenario's rate on new borrowing


def demo_capital_plan() -> CapitalPlan:
    """The demo programme's borrowing as its MTFS scenario carries it (the scenario is saved before the workbooks
    are loaded, because their budgets are its net revenue budget), by year and asset life, £m."""
    loans: dict[tuple[str, int], float] = {}
    for _, _, year, _, _, _, borrowing, life, _ in _PROGRAMME:
        if borrowing and life:
            loans[(year, life)] = loans.get((year, life), 0.0) + borrowing / 1000
    method = str(dict(_POSITION)["MRP method"]).lower().replace(" ", "_")
    source = f"the demo council's capital programme (illustrative), its {PROGRAMME_IN[0]} P{PROGRAMME_IN[1]} workbook"
    return CapitalPlan(tuple(Loan(y, amount, life) for (y, life), amount in sorted(loans.items())), method, source)


def _programme(wb: Workbook, info: object) -> None:
    """The Capital programme sheet and the debt position on the Instructions sheet."""
    for label, value in _POSITION:
        info.append([label, value])  # type: ignore[attr-defined]
    header = ["Scheme", "Directorate", "Year", "Budget", "Grants and contributions", "Capital receipts", "Revenue",
              "Prudential borrowing", "Asset life (years)", "Slippage"]  # fmt: skip
    rows: list[list[object]] = [
        [scheme, directorate, year, grants + receipts + revenue + borrowing, grants, receipts, revenue, borrowing,
         life, slippage]
        for scheme, directorate, year, grants, receipts, revenue, borrowing, life, slippage in _PROGRAMME
    ]  # fmt: skip
    _write(wb.create_sheet("Capital programme"), header, rows)


@dataclass
class _State:
    """What carries from month to month (and from one year into the next)."""

    variance_pct: dict[str, float]
    dsg_brought_forward: int
    reserves_opening: dict[str, int]
    debt: demo_collection.DebtState = field(default_factory=demo_collection.DebtState)


def _rag_path(scheme: str, year_index: int) -> list[str]:
    """The scheme's rating at P1..P12 of a year: seeded by its name, so every build gives the same path.

    Most schemes stay Green and are delivered from P10; some slip once to Amber (and a few of those on to Red);
    a scheme rated Delivered stays Delivered.
    """
    rng = random.Random(f"{SEED}-{year_index}-{scheme}")
    path = ["Green"] * 12
    slip = rng.random()
    if slip < 0.45:
        start = rng.randint(2, 9)
        for p in range(start - 1, 12):
            path[p] = "Amber"
        if slip < 0.15:
            for p in range(min(start + rng.randint(1, 3), 12) - 1, 12):
                path[p] = "Red"
    if path[-1] == "Green":
        for p in range(rng.randint(9, 11), 12):
            path[p] = "Delivered"
    return path


def _budgets(year: str, year_index: int, start: DemoStart) -> list[int]:
    """Each service's net budget (£000) for the year, scaled so they add up to the year's MTFS budget if given."""
    listed = [round(budget * _GROWTH**year_index) for _, services in _REVENUE for _, budget in services]
    target = dict(start.budget_k).get(year)
    if target is None:
        return listed
    scaled = [round(b * target / sum(listed)) for b in listed]
    largest = scaled.index(max(scaled))
    scaled[largest] += target - sum(scaled)  # rounding: the total is the MTFS budget to the £000
    return scaled


def _revenue(ws: object, budgets: list[int], st: _State, rng: random.Random) -> list[list[object]]:
    """Write the Revenue sheet; returns its rows (the forecast variance, £000, positive = overspend, is the last)."""
    rows: list[list[object]] = []
    i = 0
    for directorate, services in _REVENUE:
        drift = _DRIFT_PCT.get(directorate, 0.0)
        st.variance_pct[directorate] += drift / 100 + rng.uniform(-0.1, 0.1) / 100
        for service, _ in services:
            budget_k = budgets[i]
            i += 1
            forecast_k = round(budget_k * (1 + st.variance_pct[directorate] * rng.uniform(0.6, 1.4)))
            rows.append([directorate, service, budget_k, forecast_k, forecast_k - budget_k])
    _write(ws, ["Directorate", "Service", "Budget", "Forecast outturn", "Variance"], rows, total_from=2)
    return rows


def _write(ws: object, header: list[str], rows: list[list[object]], *, total_from: int | None = None) -> None:
    append = ws.append  # type: ignore[attr-defined]
    append(header)
    for row in rows:
        append(row)
    if total_from is not None:
        total: list[object] = ["Total"] + [None] * (total_from - 1)
        total += [sum(int(r[i]) for r in rows) for i in range(total_from, len(header))]  # type: ignore[call-overload]
        append(total)


# The home council's targets (illustrative, like everything here), set by the Targets sheet of its first 2026-27
# workbook: the general fund balance rebuilt to £15m and usable reserves back to 20% of NRE by 2028-29, the year's
# budget balanced, council tax collection at 94%.
DEMO_TARGETS: tuple[tuple[str, float, str, str, str], ...] = (
    ("Unallocated reserves (general fund balance) at 31 March", 15, "£m", "At least", "2028-29"),
    ("usable_reserves_pct_nre", 20, "%", "At least", "2028-29"),
    ("forecast_variance", 0, "£m", "At most", "2026-27"),
    ("collection_rate_council_tax", 94, "%", "At least", "2026-27"),
)


def _use_k(reserve: str, kind: str, opening: int, period: int) -> int:
    """Forecast use (£000): earmarked reserves drawn for their purposes, the general fund a little; the public
    health grant reserve takes the year's unspent grant (a contribution), schools balances are drawn slightly."""
    if reserve == _PUBLIC_HEALTH:
        return -round(150 + 10 * period)
    rate = (0.08 + 0.02 * period / 12) * {"Earmarked": 1.6, "Unallocated": 0.5}.get(kind, 0.3)
    return round(opening * rate)


def _workbook(
    authority_code: str, year: str, year_index: int, period: int, st: _State, rng: random.Random, start: DemoStart
) -> bytes:
    wb = Workbook()  # not write_only: that mode spools every sheet through a temporary file, 5x slower here
    info = wb.active
    assert info is not None
    info.title = "Instructions"
    info.append(["Illustrative monitoring for a fictional council: the figures are invented."])
    for label, value in (
        ("Authority", authority_code),
        ("Financial year", year),
        ("Period", f"P{period}"),
        ("Units", "£000"),
        ("Minimum general fund balance", start.minimum_gf_balance_k),
        ("Overspend already in reserves forecast", "No"),
        ("Council share of the collection fund (%)", demo_collection.COLLECTION_FUND_SHARE_PCT),
    ):
        info.append([label, value])
    revenue = _revenue(wb.create_sheet("Revenue"), _budgets(year, year_index, start), st, rng)
    overspend_k = max(sum(int(r[4]) for r in revenue), 0)  # type: ignore[call-overload]
    _write(wb.create_sheet("Demand"), DEMAND_HEADER, demand_rows(revenue))
    savings = []
    for scheme, directorate, target in _SAVINGS:
        rag = _rag_path(scheme, year_index)[period - 1]
        share = {"Delivered": 1.0, "Green": 0.95, "Amber": 0.7, "Red": 0.3}[rag]
        savings.append([scheme, directorate, target, round(target * share), rag])
    _write(wb.create_sheet("Savings"), ["Scheme", "Directorate", "Target", "Forecast delivered", "RAG"], savings)
    collection, debt = demo_collection.sheets(year_index, period, st.debt, rng)
    _write(wb.create_sheet("Collection"), demo_collection.COLLECTION_HEADER, collection)
    _write(wb.create_sheet("Debt"), demo_collection.DEBT_HEADER, debt)
    in_year = round(6_800 * (1 + year_index * 0.3) * (1 + period * rng.uniform(0.005, 0.02)))
    _write(
        wb.create_sheet("DSG"),
        ["Brought forward deficit", "In-year forecast deficit", "Cumulative forecast deficit"],
        [[st.dsg_brought_forward, in_year, st.dsg_brought_forward + in_year]],
    )
    reserves: list[list[object]] = []
    closing: dict[str, int] = {}
    for reserve, kind, _ in _RESERVES:
        opening = st.reserves_opening[reserve]
        use = _use_k(reserve, kind, opening, period)
        closing[reserve] = opening - use
        purpose, status = _QUALITY[reserve]
        reserves.append([reserve, kind, opening, use, opening - use, purpose, status])
    _write(
        wb.create_sheet("Reserves"),
        ["Reserve", "Type", "Opening balance", "Forecast use", "Forecast closing balance", "Purpose", "Status"],
        reserves,
    )
    if period == PERIODS_BY_YEAR[year]:  # the latest workbook of each year brings the reserve plan and risks
        plan = [[name, shift(year, i + 1), k] for name, ks in _PLAN_K.items() for i, k in enumerate(ks)]
        _write(wb.create_sheet("Reserve plan"), ["Reserve", "Year", "Planned use"], plan)
        _write(wb.create_sheet("Risks"), _RISKS_HEADER, [list(r) for r in _RISKS])
    if year == max(PERIODS_BY_YEAR) and period == 1:  # the council sets its targets at the start of the year
        _write(wb.create_sheet("Targets"), ["Series", "Target", "Units", "Direction", "Target date"],
               [list(row) for row in DEMO_TARGETS])  # fmt: skip
    capital = []
    for scheme, budget in _CAPITAL:
        forecast = round(budget * rng.uniform(0.82, 1.04))
        capital.append([scheme, budget, forecast, round(forecast * period / 12 * rng.uniform(0.7, 1.0))])
    _write(wb.create_sheet("Capital"), ["Scheme", "Budget", "Forecast", "Spend to date"], capital, total_from=1)
    if (year, period) == PROGRAMME_IN:
        _programme(wb, info)
    if period == 12:  # the outturn becomes next year's opening position; the general fund met the overspend
        st.dsg_brought_forward += in_year
        st.reserves_opening = closing | {_GENERAL_FUND: closing[_GENERAL_FUND] - overspend_k}
        st.variance_pct = dict.fromkeys(st.variance_pct, 0.0)
    return workbook_bytes(wb)


@lru_cache(maxsize=4)
def demo_workbooks(authority_code: str, start: DemoStart | None = None) -> tuple[tuple[str, bytes], ...]:
    """The demo's monitoring workbooks, oldest first, as (file name, .xlsx bytes). Same bytes on every call
    (cached: generation is deterministic, and the app and tests build the demo more than once per process)."""
    start = start or DemoStart()
    rng = random.Random(SEED)
    st = _State(
        variance_pct={d: 0.0 for d, _ in _REVENUE},
        dsg_brought_forward=start.dsg_deficit_k,
        reserves_opening=start.opening(),
    )
    out: list[tuple[str, bytes]] = []
    for year_index, (year, last) in enumerate(PERIODS_BY_YEAR.items()):
        assert year == shift(FIRST_YEAR, year_index)
        for period in range(1, last + 1):
            name = f"{authority_code.lower()}-monitoring-{year}-P{period:02d}.xlsx"
            out.append((name, _workbook(authority_code, year, year_index, period, st, rng, start)))
    return tuple(out)


def load_demo_monitoring(
    store: Store, authority_code: str, *, user: str = "demo", start: DemoStart | None = None
) -> list[int]:
    """Load the demo monitoring (2025-26 P1..P12, 2026-27 P1..P7) for `authority_code`; returns the upload ids.

    The authority must already be in the `authority` table. Loading twice changes nothing (identical files).
    `start`: where the monitoring starts (the demo's last outturn and MTFS); default: a stand-alone start.
    """
    return [
        load_upload(store, data, name, user=user, source_kind="demo", isolated=False).upload_id
        for name, data in demo_workbooks(authority_code, start)
    ]
