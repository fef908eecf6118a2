"""The RAG (red / amber / green) rules of the overview cards, in one place.

Why one module: an audit committee member must be able to read exactly why a card is red, so each rule is data
(`Rule`) with its thresholds and the sentence that states it; the overview's tooltips, the methodology page,
docs/METHODOLOGY.md and the tests all read these objects, never a copy of the numbers. A status is always shown
as a word and an icon as well as a colour (colour is never the only signal).

Thresholds are Headroom's conventions, not statutory limits (there are none): they are chosen to flag what
section 151 officers and auditors commonly treat as warning signs, and are stated wherever a status is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Literal

# The colours a status badge can take (the names Streamlit's `st.badge` accepts; finance never imports it).
BadgeColour = Literal["red", "orange", "green", "gray"]


class Status(Enum):
    """A card's status: the word and icon are what carry the meaning; the colour repeats it."""

    RED = ("Red", "✖", "red", ":material/error:")
    AMBER = ("Amber", "▲", "orange", ":material/warning:")
    GREEN = ("Green", "✔", "green", ":material/check_circle:")
    NOT_RATED = ("Not rated", "–", "gray", ":material/remove:")

    def __init__(self, word: str, symbol: str, colour: BadgeColour, material_icon: str) -> None:
        self.word = word
        self.symbol = symbol
        self.colour: BadgeColour = colour
        self.material_icon = material_icon

    @property
    def label(self) -> str:
        """'✖ Red': symbol and word, for tables, charts and text where no badge can be drawn."""
        return f"{self.symbol} {self.word}"


@dataclass(frozen=True)
class Rule:
    """One card's rule: `classify(value)` gives the status; `text` says the same in words."""

    key: str
    title: str
    measure: str  # what `classify` is given, with its unit
    text: str
    classify: Callable[[float], Status]
    source: str


# -- thresholds (the only place they are written) --------------------------------------------------------------
VARIANCE_RED_PCT = 2.0  # forecast overspend above 2% of the net revenue budget
VARIANCE_AMBER_PCT = 1.0
COVER_RED_YEARS = 3.0  # reserves that would be gone within a typical 3–5 year MTFS period
COVER_AMBER_YEARS = 5.0
PEER_RANK_RED_QUARTER = 1  # lowest quarter of the peer group
DSG_RED_PCT = 50.0  # DSG deficit as % of usable reserves, if the statutory override ended
DSG_AMBER_PCT = 20.0
MTFS_RED_PCT = 5.0  # cumulative MTFS gap as % of the net revenue budget
MINIMUM_AMBER_YEARS = 1.0  # headroom above the stated minimum that one more year like this one would use up
RISK_ABOVE_FORECAST = 2  # the risk-based minimum is above the forecast general fund balance
RISK_ABOVE_STATED = 1  # … above the council's stated minimum only (or no minimum is stated)
COLLECTION_RED_POINTS = 1.0  # percentage points the weakest stream's forecast year-end rate falls short
COLLECTION_AMBER_POINTS = 0.5
PRUDENTIAL_RED_BREACHES = 1  # any projected breach of a limit the council has set itself


def _variance(pct_of_budget: float) -> Status:
    if pct_of_budget > VARIANCE_RED_PCT:
        return Status.RED
    return Status.AMBER if pct_of_budget > VARIANCE_AMBER_PCT else Status.GREEN


def _cover(years: float) -> Status:
    if years < COVER_RED_YEARS:
        return Status.RED
    return Status.AMBER if years < COVER_AMBER_YEARS else Status.GREEN


def _peer_quarter(quarter_from_lowest: float) -> Status:
    if quarter_from_lowest <= PEER_RANK_RED_QUARTER:
        return Status.RED
    return Status.AMBER if quarter_from_lowest <= 2 else Status.GREEN


def _dsg(pct_of_reserves: float) -> Status:
    if pct_of_reserves >= DSG_RED_PCT:
        return Status.RED
    return Status.AMBER if pct_of_reserves >= DSG_AMBER_PCT else Status.GREEN


def _mtfs(pct_of_budget: float) -> Status:
    if pct_of_budget >= MTFS_RED_PCT:
        return Status.RED
    return Status.AMBER if pct_of_budget > 0 else Status.GREEN


def _minimum(headroom_in_years_of_draw: float) -> Status:
    if headroom_in_years_of_draw < 0:
        return Status.RED
    return Status.AMBER if headroom_in_years_of_draw < MINIMUM_AMBER_YEARS else Status.GREEN


def _risk_minimum(position: float) -> Status:
    if position >= RISK_ABOVE_FORECAST:
        return Status.RED
    return Status.AMBER if position >= RISK_ABOVE_STATED else Status.GREEN


def _collection(points_vs_comparison: float) -> Status:
    if points_vs_comparison <= -COLLECTION_RED_POINTS:
        return Status.RED
    return Status.AMBER if points_vs_comparison <= -COLLECTION_AMBER_POINTS else Status.GREEN


def _prudential(breaches: float) -> Status:
    return Status.RED if breaches >= PRUDENTIAL_RED_BREACHES else Status.GREEN


VARIANCE = Rule(
    "variance",
    "Forecast outturn variance",
    "forecast overspend as % of the net revenue budget",
    f"Red if the forecast overspend is more than {VARIANCE_RED_PCT:g}% of the net revenue budget; amber if more "
    f"than {VARIANCE_AMBER_PCT:g}% and up to {VARIANCE_RED_PCT:g}%; green at {VARIANCE_AMBER_PCT:g}% or less, "
    "or an underspend.",
    _variance,
    "Monthly monitoring, Revenue sheet: forecast outturn − budget, summed over every line.",
)
RESERVES_COVER = Rule(
    "reserves_cover",
    "Usable reserves and years of cover",
    "years of cover",
    "Years of cover = forecast usable reserves at 31 March (after the forecast overspend) ÷ this year's draw on "
    f"them (forecast use of reserves plus the overspend). Red below {COVER_RED_YEARS:g} years (gone within a "
    f"medium-term plan); amber from {COVER_RED_YEARS:g} to under {COVER_AMBER_YEARS:g} years; green at "
    f"{COVER_AMBER_YEARS:g} years or more, "
    "or when reserves are not being drawn down.",
    _cover,
    "Monthly monitoring, Reserves sheet (opening balance, forecast use, forecast closing balance; ring-fenced lines "
    "excluded) and Revenue sheet (the forecast overspend, deducted from the general fund balance unless the "
    "Instructions say it is already in the reserves forecast).",
)
RESERVES_RANK = Rule(
    "reserves_rank",
    "Reserves as % of net revenue expenditure, among peers",
    "quarter of the peer group, counted from the lowest (1 = lowest quarter)",
    "Red if usable reserves as % of spending are in the lowest quarter of the peer group; amber in the second "
    "quarter (below the median); green in the upper half.",
    _peer_quarter,
    "Projected (the resilience indicators' nowcast), like for like: the monitoring's forecast closing usable "
    "reserves (after the forecast overspend; ring-fenced excluded) ÷ the council's net revenue expenditure on its "
    "latest RS return, ranked among the peers' closing usable reserves ÷ net revenue expenditure on their latest "
    "RS returns (MHCLG). The card names both dates and bases. Without monitoring: the latest official figures only.",
)
DSG_RATIO = Rule(
    "dsg_ratio",
    "DSG deficit as % of usable reserves",
    "cumulative DSG deficit as % of forecast usable reserves",
    f"Red if the cumulative DSG deficit is {DSG_RED_PCT:g}% or more of usable reserves (if the statutory override "
    f"ended, it would take at least half of them); amber from {DSG_AMBER_PCT:g}% to under {DSG_RED_PCT:g}%; green "
    f"below {DSG_AMBER_PCT:g}%.",
    _dsg,
    "Monthly monitoring, DSG sheet (cumulative forecast deficit) and forecast closing usable reserves (Reserves "
    "sheet, after the forecast overspend).",
)
MTFS_GAP = Rule(
    "mtfs_gap",
    "MTFS cumulative gap",
    "cumulative gap after savings in the final MTFS year as % of the net revenue budget",
    f"Red if the cumulative gap still to close is {MTFS_RED_PCT:g}% or more of the net revenue budget; amber if "
    f"there is any gap below {MTFS_RED_PCT:g}%; green when the plan is balanced (no gap). Not rated (unless red) "
    "when the scenario has no pay or price assumptions (no pay bill or non-pay spending and no additional "
    "pressures): its gap leaves those costs out.",
    _mtfs,
    "The authority's current saved MTFS scenario (Scenarios page), and the monitoring net revenue budget.",
)
MINIMUM_HEADROOM = Rule(
    "minimum_headroom",
    "Headroom above the minimum general fund balance",
    "headroom above the stated minimum, in years of this year's draw on the general fund balance",
    "Headroom = forecast unallocated (general fund) balance at 31 March, after the forecast overspend, − the "
    "council's stated minimum general fund balance. Red if it is below the minimum (negative headroom), whatever "
    "else holds; amber if one more year of this year's draw on the general fund balance would take it below the "
    "minimum; green otherwise. No minimum stated: not rated (Headroom never assumes one; "
    "the scenarios' 5% of the net revenue budget is a tool convention, not the council's minimum).",
    _minimum,
    "Monthly monitoring: the Instructions sheet's 'Minimum general fund balance' (the s25 report's minimum), the "
    "Reserves sheet's Unallocated lines and the Revenue sheet's forecast overspend.",
)
RISK_MINIMUM = Rule(
    "risk_minimum",
    "Risk-based minimum balance",
    "where the risk-based minimum lies: 2 = above the forecast general fund balance, 1 = above the council's "
    "stated minimum only (or none stated), 0 = covered by both",
    "Risk-based minimum = the 90th percentile of the year's total loss simulated from the council's risk register "
    "(10,000 paths, fixed seed; each risk independent, occurring with its likelihood, its cost triangular over its "
    "low / most likely / high impacts). Red if the forecast unallocated (general fund) balance at 31 March, after "
    "the forecast overspend, is below it; amber if the council's stated minimum general fund balance is below it "
    "(or no minimum is stated); green otherwise. No risk register uploaded: not rated.",
    _risk_minimum,
    "Monthly monitoring: the Risks sheet (the latest uploaded for the year or before), the Reserves sheet's "
    "Unallocated lines, the Revenue sheet's forecast overspend and the Instructions sheet's 'Minimum general fund "
    "balance'.",
)
COLLECTION = Rule(
    "collection",
    "Income collection",
    "percentage points the weakest stream's forecast year-end in-year collection rate stands above (+) or below (−) "
    "its target (with no target: last year's final rate)",
    f"The weakest stream is the one whose forecast year-end rate falls furthest short of its target in £ (with no "
    f"stream short of a target: of last year's final rate); forecast = this year's rate now + (last year's final "
    f"rate − last year's rate at the same period). Red if its forecast is {COLLECTION_RED_POINTS:g} percentage "
    f"point or more short; amber if {COLLECTION_AMBER_POINTS:g} to under {COLLECTION_RED_POINTS:g} point short; "
    "green otherwise (no stream short: green).",
    _collection,
    "Monthly monitoring, Collection sheet (collected to date ÷ collectable, and the year's target rate), this year "
    "and last year.",
)
PRUDENTIAL = Rule(
    "prudential",
    "Prudential indicators against the council's limits",
    "number of breaches (limit × year) of the council's own prudential limits over the projected years",
    "Projected external debt (external debt at 1 April plus the capital programme's new borrowing) in each year of "
    "the projection against the council's authorised limit and operational boundary, and projected financing costs "
    "as % of the net revenue stream against its financing costs limit — the Capital page's indicators. Red if any "
    "limit is breached in any year; green when all three limits and the external debt at 1 April are stated and "
    "none is breached; not rated (not available) otherwise: a limit the council has not given is never taken as "
    "met.",
    _prudential,
    "Monthly monitoring: the Capital programme sheet and the Instructions sheet's debt position and limits "
    "('External debt at 1 April', 'Authorised limit', 'Operational boundary', 'Financing costs limit (% of net "
    "revenue stream)'), projected by the current MTFS scenario (else a scenario from the returns held).",
)

RULES: tuple[Rule, ...] = (
    VARIANCE,
    RESERVES_COVER,
    MINIMUM_HEADROOM,
    RISK_MINIMUM,
    RESERVES_RANK,
    MTFS_GAP,
    DSG_RATIO,
    COLLECTION,
    PRUDENTIAL,
)


def rate(rule: Rule, value: float | None) -> Status:
    """The status `rule` gives `value`; NOT_RATED when there is no value."""
    return Status.NOT_RATED if value is None else rule.classify(value)
