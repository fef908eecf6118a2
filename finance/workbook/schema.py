"""What a monitoring workbook holds: its sheets, their columns, the words councils use for them, and the units.

Kept apart from the reader so that the template, the reader, the validator and the database agree on one list of
sheets and columns, and so that a later sheet (the approved MTFS) is one more `SheetSpec` here rather than a change
to the reader. Everything here is pure: text in, canonical values out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Literal

ColumnKind = Literal["text", "money", "choice", "year", "number", "percent"]  # "year": 2026-27; "number": a count

# Units a workbook may state, and the £ multiplier of each. The "step" is the precision councils report each unit
# in (whole £, whole £000, £0.1m); "within rounding" in this package is measured in these steps.
UNIT_MULTIPLIER_GBP: dict[str, Decimal] = {"£": Decimal(1), "£000": Decimal(1000), "£m": Decimal(1_000_000)}
UNIT_STEP_GBP: dict[str, Decimal] = {"£": Decimal(1), "£000": Decimal(1000), "£m": Decimal(100_000)}

_UNIT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("£m", re.compile(r"£\s*m\b|£\s*mill?i?o?n?s?\b|\bgbp\s*m\b|\bmillions?\b|£\s*m$", re.IGNORECASE)),
    ("£000", re.compile(r"£\s*'?0{3}s?|£\s*k\b|£\s*thousands?|\b0{3}s\b|\bthousands\b|\bgbp\s*'?0{3}", re.I)),
)


@dataclass(frozen=True)
class Column:
    """One column of a monitoring sheet: its key (the database column), label (the template header) and synonyms."""

    key: str
    label: str
    kind: ColumnKind
    required: bool = True
    synonyms: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()  # canonical values, for kind "choice"
    choice_aliases: dict[str, str] = field(default_factory=dict)  # normalised alias -> canonical value
    non_negative: bool = False  # money that cannot be below zero (an MTFS's funding and budget requirement)
    positive: bool = False  # a number that must be above zero (an asset life in years)
    open_choice: bool = False  # a "choice" whose listed values are the usual ones: any other text is kept as written
    stored: bool = True  # False: read and checked with its sheet, stored elsewhere (a target in the targets store)

    def header_names(self) -> set[str]:
        return {normalise_header(self.label), *(normalise_header(s) for s in self.synonyms)}


@dataclass(frozen=True)
class Check:
    """`total` must equal the sum of `plus` minus the sum of `minus`, within rounding (three figures, 1.5 steps)."""

    total: str
    plus: tuple[str, ...]
    minus: tuple[str, ...]
    message: str
    blank_is_zero: bool = False  # a blank part counts as nil (a funding source left empty), not "cannot check"


@dataclass(frozen=True)
class SheetSpec:
    """One series in the workbook: a sheet, its columns, the key that must be unique per period, and its checks."""

    name: str
    table: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    synonyms: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    description: str = ""
    per_period: bool = True  # False for a series that is not monthly (the MTFS: one line per financial year)

    @property
    def money_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.kind == "money")

    @property
    def label_key(self) -> str | None:
        """The first text column: where a row says 'Total' or 'Example'."""
        return next((c.key for c in self.columns if c.kind in ("text", "choice", "year")), None)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def stored_keys(self) -> tuple[str, ...]:
        """The columns its database table holds (a target column is stored in the targets store instead)."""
        return tuple(c.key for c in self.columns if c.stored)


def _money(key: str, label: str, *synonyms: str, required: bool = True, non_negative: bool = False) -> Column:
    return Column(key, label, "money", required, synonyms, non_negative=non_negative)


def _text(key: str, label: str, *synonyms: str, required: bool = True) -> Column:
    return Column(key, label, "text", required, synonyms)


RAG_CHOICES = ("Delivered", "Green", "Amber", "Red")
# The income streams councils report most; the Collection and Debt sheets take any other stream by name too.
STREAM_CHOICES = (
    "Council tax",
    "Business rates",
    "Adult social care charges",
    "Sundry debt",
    "Commercial property rents",
    "Housing benefit overpayments",
)
# Streams collected through the collection fund: a shortfall falls on the council at its share of the fund.
COLLECTION_FUND_STREAMS = ("Council tax", "Business rates")
AGE_BANDS = ("0-30 days", "31-90 days", "91-365 days", "1-2 years", "Over 2 years")
_STREAM_ALIASES = {
    "ctax": "Council tax",
    "council tax ctax": "Council tax",
    "nndr": "Business rates",
    "business rates nndr": "Business rates",
    "non domestic rates": "Business rates",
    "national non domestic rates": "Business rates",
    "asc charges": "Adult social care charges",
    "adult social care": "Adult social care charges",
    "sundry debtors": "Sundry debt",
    "sundry income": "Sundry debt",
    "commercial rents": "Commercial property rents",
    "commercial property": "Commercial property rents",
    "property rents": "Commercial property rents",
    "commercial estate": "Commercial property rents",
    "hb overpayments": "Housing benefit overpayments",
    "housing benefit overpayment": "Housing benefit overpayments",
    "hbop": "Housing benefit overpayments",
}


def _stream() -> Column:
    return Column(
        "stream",
        "Stream",
        "choice",
        True,
        ("Income stream", "Income type", "Debt stream", "Debt type"),
        STREAM_CHOICES,
        _STREAM_ALIASES,
        open_choice=True,
    )


RESERVE_TYPES = ("Unallocated", "Earmarked", "Ring-fenced")
# Usable reserves, as the RS return counts them: the general fund balance and earmarked reserves. Ring-fenced
# balances (public health grant, schools, DSG) are held for a purpose the council cannot redirect: shown, not usable.
USABLE_RESERVE_TYPES = ("Unallocated", "Earmarked")
# Whether an earmarked reserve is already spoken for (contracts, grant conditions, approved schemes): only the
# uncommitted ones are what a scenario may draw on to meet a gap.
RESERVE_STATUSES = ("Committed", "Uncommitted")

_BUDGET = ("Net budget", "Current budget", "Revised budget", "Budget", "Annual budget", "Net revenue budget")
_FORECAST = ("Forecast", "Projected outturn", "Outturn forecast", "Forecast out turn", "Projected out turn")

REVENUE = SheetSpec(
    name="Revenue",
    table="monitoring_revenue",
    synonyms=("Revenue monitoring", "Revenue budget", "Budget monitoring", "Revenue summary"),
    description="Net revenue budget and forecast outturn by directorate (and service, optionally).",
    columns=(
        _text("directorate", "Directorate", "Department", "Portfolio", "Service area"),
        _text("service", "Service", "Service line", "Cost centre", required=False),
        _money("budget_gbp", "Budget", *_BUDGET),
        _money("forecast_gbp", "Forecast outturn", *_FORECAST),
        _money(
            "variance_gbp", "Variance", "Forecast variance", "Over/(under)spend", "Over (under) spend", required=False
        ),
    ),
    key=("directorate", "service"),
    checks=(
        Check("variance_gbp", ("forecast_gbp",), ("budget_gbp",), "Variance must equal forecast outturn − budget"),
    ),
)

SAVINGS = SheetSpec(
    name="Savings",
    table="monitoring_savings",
    synonyms=("Savings tracker", "Savings delivery", "Savings programme"),
    description="Savings schemes: target, forecast delivered and RAG.",
    columns=(
        _text("scheme", "Scheme", "Saving", "Savings scheme", "Proposal", "Description"),
        _text("directorate", "Directorate", "Department", "Portfolio"),
        _money("target_gbp", "Target", "Savings target", "Target saving", "Planned saving", "Saving target"),
        _money(
            "forecast_gbp",
            "Forecast delivered",
            "Forecast delivery",
            "Forecast saving",
            "Forecast",
            "Forecast achieved",
        ),
        Column(
            "rag",
            "RAG",
            "choice",
            True,
            ("RAG status", "Status", "Rating", "RAG rating"),
            RAG_CHOICES,
            {
                "g": "Green",
                "a": "Amber",
                "r": "Red",
                "d": "Delivered",
                "achieved": "Delivered",
                "on track": "Green",
                "at risk": "Amber",
                "undeliverable": "Red",
                "not deliverable": "Red",
            },
        ),
    ),
    key=("scheme", "directorate"),
)

COLLECTION = SheetSpec(
    name="Collection",
    table="monitoring_collection",
    synonyms=("Income collection", "Collection rates", "Collection fund", "Income"),
    description="Income collection by stream, cumulative to the end of the period; Arrears is the arrears "
    "outstanding at the end of the period.",
    columns=(
        _stream(),
        _money(
            "collectable_gbp", "Collectable", "Amount collectable", "Net collectable", "Collectable debit", "Net debit"
        ),
        _money(
            "collected_gbp", "Collected to date", "Collected", "Cash collected", "Receipts to date", "Received to date"
        ),
        _money("arrears_gbp", "Arrears", "Arrears outstanding", "Outstanding arrears", required=False),
        _money(
            "arrears_brought_forward_gbp",
            "Arrears brought forward",
            "Arrears b/f",
            "Opening arrears",
            "Arrears at 1 April",
            required=False,
            non_negative=True,
        ),
        _money(
            "arrears_collected_gbp",
            "Arrears collected",
            "Arrears collected to date",
            "Arrears recovered",
            required=False,
            non_negative=True,
        ),
        _money("write_offs_gbp", "Write-offs", "Written off", "Write offs to date", "Debt written off", required=False),
        Column(
            "target_rate_pct",
            "Target collection rate (%)",
            "percent",
            False,
            ("Target in-year collection rate", "Target rate", "Collection target", "Target collection rate"),
            stored=False,
        ),
    ),
    key=("stream",),
)

DEBT = SheetSpec(
    name="Debt",
    table="monitoring_debt",
    synonyms=("Debt ageing", "Aged debt", "Debt age", "Aged debtors", "Debtors"),
    description="Debt outstanding at the end of the period by stream and age band, and the bad-debt provision.",
    columns=(
        _stream(),
        Column(
            "age_band",
            "Age band",
            "choice",
            True,
            ("Age", "Age of debt", "Debt age", "Ageing band", "Aged"),
            AGE_BANDS,
            {
                "0 30": "0-30 days",
                "0 30 days": "0-30 days",
                "under 30 days": "0-30 days",
                "31 90": "31-90 days",
                "91 365": "91-365 days",
                "91 days to 1 year": "91-365 days",
                "1 2": "1-2 years",
                "1 to 2 years": "1-2 years",
                "over 2": "Over 2 years",
                "more than 2 years": "Over 2 years",
                "2 years": "Over 2 years",
                "over 2 years old": "Over 2 years",
            },
        ),
        _money("balance_gbp", "Balance", "Debt outstanding", "Outstanding", "Balance outstanding", non_negative=True),
        _money(
            "provision_gbp",
            "Bad-debt provision",
            "Bad debt provision",
            "Provision",
            "Impairment allowance",
            required=False,
            non_negative=True,
        ),
    ),
    key=("stream", "age_band"),
)

DSG = SheetSpec(
    name="DSG",
    table="monitoring_dsg",
    synonyms=("Dedicated schools grant", "DSG deficit", "High needs", "DSG high needs"),
    description="Dedicated Schools Grant deficit: positive figures are deficits.",
    columns=(
        _money(
            "brought_forward_gbp",
            "Brought forward deficit",
            "Brought forward",
            "Opening deficit",
            "Deficit brought forward",
            "B/f deficit",
        ),
        _money(
            "in_year_gbp", "In-year forecast deficit", "In year deficit", "In-year deficit", "Forecast in-year deficit"
        ),
        _money(
            "cumulative_gbp",
            "Cumulative forecast deficit",
            "Cumulative deficit",
            "Forecast cumulative deficit",
            "Carried forward deficit",
            "Closing deficit",
        ),
    ),
    key=(),
    checks=(
        Check(
            "cumulative_gbp",
            ("brought_forward_gbp", "in_year_gbp"),
            (),
            "Cumulative deficit must equal brought forward + in-year deficit",
        ),
    ),
)

RESERVES = SheetSpec(
    name="Reserves",
    table="monitoring_reserves",
    synonyms=("Reserves forecast", "Usable reserves", "Reserve balances"),
    description="Reserves: forecast use is positive when drawn down, negative for a contribution; ring-fenced "
    "balances (public health, schools, DSG) are shown but are not usable.",
    columns=(
        _text("reserve", "Reserve", "Reserve name", "Description"),
        Column(
            "reserve_type",
            "Type",
            "choice",
            True,
            ("Reserve type", "Category"),
            RESERVE_TYPES,
            {
                "general fund": "Unallocated",
                "general fund balance": "Unallocated",
                "general": "Unallocated",
                "general reserve": "Unallocated",
                "general balance": "Unallocated",
                "working balance": "Unallocated",
                "unallocated reserve": "Unallocated",
                "unallocated reserves": "Unallocated",
                "unearmarked": "Unallocated",
                "un earmarked": "Unallocated",
                "earmarked reserve": "Earmarked",
                "earmarked reserves": "Earmarked",
                "usable earmarked": "Earmarked",
                "ringfenced": "Ring-fenced",
                "ring fenced reserve": "Ring-fenced",
                "ringfenced reserve": "Ring-fenced",
                "public health": "Ring-fenced",
                "public health reserve": "Ring-fenced",
                "public health grant": "Ring-fenced",
                "schools": "Ring-fenced",
                "school": "Ring-fenced",
                "schools reserve": "Ring-fenced",
                "school balances": "Ring-fenced",
                "schools balances": "Ring-fenced",
                "dsg": "Ring-fenced",
                "dsg reserve": "Ring-fenced",
                "dedicated schools grant": "Ring-fenced",
                "not usable": "Ring-fenced",
                "unusable": "Ring-fenced",
                "non usable": "Ring-fenced",
            },
        ),
        _money("opening_gbp", "Opening balance", "Opening", "Balance brought forward", "Balance at 1 April"),
        _money("forecast_use_gbp", "Forecast use", "Planned use", "Forecast movement", "Use of reserve"),
        _money("closing_gbp", "Forecast closing balance", "Closing balance", "Forecast balance", "Balance at 31 March"),
        _text("purpose", "Purpose", "Reserve purpose", "Purpose of reserve", "What it is for", required=False),
        Column(
            "status",
            "Status",
            "choice",
            False,
            ("Commitment", "Commitment status", "Committed or uncommitted", "Reserve status"),
            RESERVE_STATUSES,
            {
                "committed in full": "Committed",
                "fully committed": "Committed",
                "allocated": "Committed",
                "contractually committed": "Committed",
                "spoken for": "Committed",
                "not committed": "Uncommitted",
                "uncommited": "Uncommitted",
                "available": "Uncommitted",
                "free": "Uncommitted",
                "unallocated": "Uncommitted",
                "not allocated": "Uncommitted",
            },
        ),
    ),
    key=("reserve",),
    checks=(
        Check(
            "closing_gbp",
            ("opening_gbp",),
            ("forecast_use_gbp",),
            "Forecast closing balance must equal opening balance − forecast use",
        ),
    ),
)

CAPITAL = SheetSpec(
    name="Capital",
    table="monitoring_capital",
    synonyms=("Capital programme", "Capital monitoring"),  # "Capital programme": old workbooks' name for this sheet
    description="Capital programme by scheme.",
    columns=(
        _text("scheme", "Scheme", "Project", "Capital scheme", "Programme"),
        _money("budget_gbp", "Budget", *_BUDGET, "Capital budget"),
        _money("forecast_gbp", "Forecast", "Forecast outturn", "Forecast spend", "Projected outturn"),
        _money("spend_to_date_gbp", "Spend to date", "Actual to date", "Actuals to date", "Expenditure to date"),
    ),
    key=("scheme",),
)

# The council's approved medium-term financial strategy (issue 10): one line per future financial year, not per
# period. Its own Year column (kept apart from the workbook's "Financial year", which is the MTFS's base year);
# the gaps are incremental (new in each year), as MTFS reports state them.
MTFS = SheetSpec(
    name="MTFS",
    table="mtfs_line",
    synonyms=("Medium term financial strategy", "Medium term financial plan", "MTFP", "MTFS summary", "Approved MTFS"),
    description="The approved MTFS by year: budget requirement, funding, the incremental gap, savings, reserves.",
    columns=(
        Column("mtfs_year", "Year", "year", True, ("Financial year", "Budget year", "Forecast year")),
        _money(
            "budget_requirement_gbp",
            "Net budget requirement",
            "Budget requirement",
            "Net revenue budget",
            "Net budget",
            "Net expenditure",
            required=False,
            non_negative=True,
        ),
        _money(
            "funding_gbp",
            "Funding",
            "Total funding",
            "Resources",
            "Funding available",
            required=False,
            non_negative=True,
        ),
        _money(
            "gap_before_savings_gbp",
            "Gap before savings",
            "Budget gap",
            "Gap",
            "Funding gap",
            "Incremental gap",
            "In-year gap",
        ),
        _money(
            "savings_identified_gbp",
            "Savings identified",
            "Savings",
            "Savings proposals",
            "Identified savings",
            required=False,
        ),
        _money("gap_after_savings_gbp", "Gap after savings", "Remaining gap", "Net gap", required=False),
        _money(
            "reserves_use_gbp",
            "Planned use of reserves",
            "Use of reserves",
            "Reserves use",
            "Contribution from reserves",
            required=False,
        ),
    ),
    key=("mtfs_year",),
    checks=(
        Check(
            "gap_after_savings_gbp",
            ("gap_before_savings_gbp",),
            ("savings_identified_gbp",),
            "Gap after savings must equal gap before savings − savings identified",
        ),
    ),
    per_period=False,
)

# Planned use of each reserve over the MTFS years: a long table (one row per reserve and year) because a header
# such as "2027/28" loses its year when headers are normalised.
RESERVE_PLAN = SheetSpec(
    name="Reserve plan",
    table="reserve_plan_line",
    synonyms=("Reserves plan", "Planned use of reserves", "Reserves strategy", "Reserve strategy", "Reserve plans"),
    description="Planned use of each reserve in each MTFS year (positive = drawn down, negative = a contribution).",
    columns=(
        _text("reserve", "Reserve", "Reserve name"),
        Column("plan_year", "Year", "year", True, ("Financial year", "Plan year", "MTFS year")),
        _money("planned_use_gbp", "Planned use", "Planned use of reserve", "Planned draw", "Use of reserve"),
    ),
    key=("reserve", "plan_year"),
    per_period=False,
)

# The council's financial risk register, from which the risk-based minimum balance is simulated. Likelihood is text
# here (a percentage or a 1-5 score; `finance.reserves` reads it); impacts are money in the workbook's units.
RISKS = SheetSpec(
    name="Risks",
    table="risk_line",
    synonyms=("Risk register", "Financial risks", "Financial risk register", "Risk assessment", "Budget risks"),
    description="Financial risks: likelihood (% or a 1-5 score) and low / most likely / high impact.",
    columns=(
        _text("risk_id", "Risk ID", "Risk ref", "Risk reference", "Ref", "Reference", "Risk number", "ID"),
        _text("description", "Description", "Risk", "Risk description", "Risk title"),
        _text("category", "Category", "Risk category", "Risk type", required=False),
        _text("likelihood", "Likelihood", "Probability", "Likelihood score", "Likelihood of occurring"),
        _money("impact_low_gbp", "Impact low", "Low impact", "Minimum impact", "Impact minimum", non_negative=True),
        _money(
            "impact_likely_gbp",
            "Impact most likely",
            "Most likely impact",
            "Likely impact",
            "Impact likely",
            non_negative=True,
        ),
        _money("impact_high_gbp", "Impact high", "High impact", "Maximum impact", "Impact maximum", non_negative=True),
        _text("mitigation", "Mitigation", "Mitigating actions", "Controls", "Mitigations", required=False),
        _text("owner", "Owner", "Risk owner", "Lead officer", "Responsible officer", required=False),
    ),
    key=("risk_id",),
    per_period=False,
)

_FUNDING = ("grants_gbp", "receipts_gbp", "revenue_gbp", "borrowing_gbp")

# The multi-year capital programme: one row per scheme and year (headers lose their years when normalised, so the
# years are rows). Not per period. Its name is also an old synonym of the current-year Capital sheet: the reader
# tells them apart by their headers (a Year column and the funding sources).
CAPITAL_PROGRAMME = SheetSpec(
    name="Capital programme",
    table="capital_programme_line",
    synonyms=("Multi-year capital programme", "Capital programme by year", "Capital plan", "Capital investment plan"),
    description="The capital programme by scheme and year, with how each year's budget is funded.",
    columns=(
        _text("scheme", "Scheme", "Project", "Capital scheme"),
        _text("directorate", "Directorate", "Department", "Portfolio"),
        Column("programme_year", "Year", "year", True, ("Financial year", "Programme year", "Budget year")),
        _money("budget_gbp", "Budget", "Capital budget", "Total budget", "Scheme budget", non_negative=True),
        _money(
            "grants_gbp",
            "Grants and contributions",
            "Grants",
            "Grant and contributions",
            "External funding",
            required=False,
            non_negative=True,
        ),
        _money("receipts_gbp", "Capital receipts", "Receipts", required=False, non_negative=True),
        _money("revenue_gbp", "Revenue", "Revenue contributions", "Revenue funding", required=False, non_negative=True),
        _money("borrowing_gbp", "Prudential borrowing", "Borrowing", required=False, non_negative=True),
        Column("asset_life_years", "Asset life (years)", "number", False, ("Asset life", "Useful life"), positive=True),
        _money("slippage_gbp", "Slippage", "Forecast slippage", "Reprofiling", required=False),
    ),
    key=("scheme", "programme_year"),
    checks=(
        Check(
            "budget_gbp",
            _FUNDING,
            (),
            "Budget must equal grants and contributions + capital receipts + revenue + prudential borrowing",
            blank_is_zero=True,
        ),
    ),
    per_period=False,
)

# The council's own targets (issue 18): one row per series, not per period. The cells are read as written; the
# series, units and date are checked by `finance.targets.read_target` (called from `finance.upload`), so the sheet
# and the app's form and the command line keep one set of rules. The target is a number in its own Units column
# (£, £000, £m or %), never the workbook's units: a % target has none.
TARGETS = SheetSpec(
    name="Targets",
    table="target",
    synonyms=("Target", "Council targets", "Performance targets", "Financial targets"),
    description="Targets the council sets itself: a series, the value it should reach, units, direction and date.",
    columns=(
        _text("series", "Series", "Indicator", "Measure", "Target series"),
        _text("target_value", "Target", "Target value", "Value"),
        _text("target_units", "Units", "Unit", "Target units"),
        _text("direction", "Direction", "Target direction"),
        _text("target_date", "Target date", "By", "Date", "Deadline", "Target year"),
    ),
    key=("series",),
    per_period=False,
)


# The council's own demand (issue 20): per period, one row per metric of a Revenue line (directorate and service
# as on the Revenue sheet). Volumes are counts (children, hours, plans, households); unit costs are £ a year per unit,
# never the workbook's units. Whether the service is a Revenue line of the upload, and the 1% budget check, are
# `finance.upload.demand_sheet`'s.
def _count(key: str, label: str, *synonyms: str) -> Column:
    return Column(key, label, "number", True, synonyms, non_negative=True)


DEMAND = SheetSpec(
    name="Demand",
    table="monitoring_demand",
    synonyms=("Demand metrics", "Activity", "Demand and activity"),
    description="Demand behind a Revenue line: budgeted and forecast volume and unit cost (£ a year per unit).",
    columns=(
        _text("directorate", "Directorate", "Department", "Portfolio"),
        _text("service", "Service", "Service line", required=False),  # blank where the Revenue line has none
        _text("metric", "Metric", "Demand metric", "Measure"),
        _text("unit", "Unit", "Units of volume"),
        _count("budgeted_volume", "Budgeted volume", "Budget volume"),
        _count("budgeted_unit_cost_gbp", "Budgeted unit cost", "Budget unit cost"),
        _count("forecast_volume", "Forecast volume"),
        _count("forecast_unit_cost_gbp", "Forecast unit cost"),
    ),
    key=("directorate", "service", "metric"),
)

MONITORING_SHEETS: tuple[SheetSpec, ...] = (REVENUE, SAVINGS, COLLECTION, DEBT, DSG, RESERVES, CAPITAL)
SHEETS: tuple[SheetSpec, ...] = (*MONITORING_SHEETS, MTFS, RESERVE_PLAN, RISKS, CAPITAL_PROGRAMME, TARGETS, DEMAND)
SHEETS_BY_NAME: dict[str, SheetSpec] = {s.name: s for s in SHEETS}
INSTRUCTIONS_NAMES = ("instructions", "cover", "information", "details", "readme", "read me", "guidance")

# Columns any sheet may carry per row: they override the workbook-level field for that row.
PERIOD_HEADERS = {"period", "month", "period number", "monitoring period"}
FIELD_LABELS: dict[str, set[str]] = {
    "authority": {"authority", "council", "local authority", "authority code", "ons code"},
    "year": {"financial year", "year"},
    "period": PERIOD_HEADERS,
    "units": {"units", "unit", "figures in", "amounts in"},
    # an MTFS workbook's version: which revision it is, and when it was approved
    "version": {"version", "version name", "mtfs version", "mtfs version name"},
    "approved": {"date approved", "approved", "approved on", "approval date", "date of approval"},
    # the reserves forecast: whether the forecast overspend is already in it, and the council's stated minimum
    # general fund balance (s25 report), in the workbook's units
    "overspend_in_reserves": {
        "overspend already in reserves forecast",
        "overspend already in the reserves forecast",
        "overspend already in reserve forecast",
        "overspend in reserves forecast",
        "overspend included in reserves forecast",
        "overspend included in the reserves forecast",
        "overspend already included in reserves forecast",
    },
    # the debt position and Prudential Code limits (the capital programme's financing), in the workbook's units
    "cfr": {
        "capital financing requirement at 1 april",
        "capital financing requirement",
        "cfr at 1 april",
        "opening capital financing requirement",
    },
    "external_debt": {"external debt at 1 april", "external debt", "external borrowing at 1 april", "gross debt"},
    "existing_rate": {
        "average interest rate on existing debt",
        "average interest rate on existing debt pct",
        "average interest rate",
        "average rate on existing debt",
    },
    "authorised_limit": {"authorised limit", "authorized limit", "authorised limit for external debt"},
    "operational_boundary": {"operational boundary", "operational boundary for external debt"},
    "financing_limit": {
        "financing costs limit",
        "financing cost limit",
        "financing costs limit of net revenue stream",
        "limit on financing costs",
    },
    "mrp_method": {"mrp method", "minimum revenue provision method", "mrp policy"},
    # the council's share of the collection fund: a council tax or business rates shortfall falls on it at this share
    "collection_fund_share": {
        "council share of the collection fund",
        "council share of collection fund",
        "council s share of the collection fund",
        "share of the collection fund",
        "collection fund share",
        "council share of collection fund surplus deficit",
    },
    "minimum_balance": {
        "minimum general fund balance",
        "minimum general fund",
        "minimum general fund reserve",
        "minimum balance",
        "minimum unallocated balance",
        "minimum unallocated reserves",
        "minimum level of general fund balance",
        "minimum level of reserves",
        "minimum working balance",
        "minimum prudent balance",
        "prudent minimum balance",
        "s25 minimum balance",
        "section 25 minimum balance",
    },
}

_MONTHS = ("apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "jan", "feb", "mar")


# Characters that take no space: pasted from the web or a PDF they make "Adults" and "Adults\u200b" two names.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"))
# Controls that reorder how text is displayed (the "Trojan Source" characters): a name holding one can read as
# something other than what it is, so a cell holding one is refused rather than cleaned.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def strip_invisible(text: str) -> str:
    """`text` without zero-width characters (zero-width space and joiners, word joiner, BOM, soft hyphen)."""
    return text.translate(_INVISIBLE)


def bidi_control_in(text: str) -> str | None:
    """The first text-direction control character in `text`, as U+XXXX, or None."""
    found = next((ch for ch in text if ch in BIDI_CONTROLS), None)
    return None if found is None else f"U+{ord(found):04X}"


@lru_cache(maxsize=8192)
def normalise_header(text: object) -> str:
    """Lower-case words only, units and punctuation dropped: "Forecast Outturn £000" -> "forecast outturn"."""
    s = strip_invisible(str(text)).lower().replace("\n", " ")
    s = re.sub(r"£\s*'?0{3}s?|£\s*m\b|£\s*k\b|£|\bgbp\b|\b0{3}s\b", " ", s)
    s = s.replace("&", " and ")
    s = re.sub(r"[^a-z0-9]+", " ", s)
    s = re.sub(r"\b(?:19|20)\d{2}(?: \d{2}(?:\d{2})?)?\b|\bp\d{1,2}\b", " ", s)  # "Budget 2025/26", "(P6)"
    return " ".join(s.split())


def units_in(text: object) -> str | None:
    """The unit named in a header or title ("Budget £000" -> "£000"), or None when it names none."""
    s = str(text)
    for unit, pattern in _UNIT_PATTERNS:
        if pattern.search(s):
            return unit
    return None


def parse_units(text: object) -> str | None:
    """A stated unit ("£000", "£'000", "£k", "£m", "£", "pounds") as its canonical name, or None if not one."""
    s = str(text).strip()
    if not s:
        return None
    found = units_in(s)
    if found:
        return found
    if normalise_header(s) in {"", "pounds", "gbp", "pound", "sterling"} and ("£" in s or s.isalpha()):
        return "£"
    return None


def parse_period(value: object) -> int | None:
    """P1..P12 (April = P1) from `P6`, `p06`, `6`, `6.0`, `Period 6`, `September`; None when not a period."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        n = float(value)
        return int(n) if n.is_integer() and 1 <= n <= 12 else None
    s = str(value).strip().lower()
    m = re.fullmatch(r"(?:p|period|month|m)?\s*0*(\d{1,2})", s)
    if m:
        n = int(m.group(1))
        return n if 1 <= n <= 12 else None
    if len(s) >= 3 and s[:3] in _MONTHS and s.isalpha():
        return _MONTHS.index(s[:3]) + 1
    return None
