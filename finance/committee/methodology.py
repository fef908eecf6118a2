"""The methodology page's content: every figure and RAG rule of the committee pages defined in plain words, with
its source, and the provenance (file, sha256, release note, when and by whom loaded) of the data behind them.

Why generated from code: the rules come from `finance.committee.rag` itself and the provenance from the database,
so the page can never describe a threshold or a file other than the ones in use. docs/METHODOLOGY.md carries the
same rule texts (a test keeps them identical).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from finance import benchmark
from finance.committee import rag
from finance.committee.collection_view import ENGLAND_SOURCE
from finance.errors import HeadroomError
from finance.indicators import comparison_rules, indicator_definitions
from finance.monitoring import upload_history
from finance.official import Coverage, coverage
from finance.provenance import ATTRIBUTION_MD, HOW_TO_LOAD_MD, sources_table
from finance.store import Store
from finance.years import DSG_OVERRIDE_END_TEXT

DEFINITIONS: tuple[tuple[str, str, str], ...] = (
    (
        "Net revenue budget",
        "The total of the Budget column of the monthly Revenue sheet: what the council planned to spend on services "
        "this year, net of income.",
        "Monthly monitoring upload, Revenue sheet",
    ),
    (
        "Forecast outturn variance",
        "Forecast outturn minus budget, added up over every line of the Revenue sheet. Positive is an overspend. "
        "Also shown as a percentage of the net revenue budget.",
        "Monthly monitoring upload, Revenue sheet",
    ),
    (
        "Usable reserves (monitoring)",
        "The Reserves sheet's Unallocated (general fund) and Earmarked lines; Ring-fenced lines (public health, "
        "schools, DSG) are shown but not counted, as the RS return excludes them. Each line: opening balance − "
        "forecast use (positive = drawn down, negative = a contribution) = forecast closing balance. The forecast "
        "overspend on the Revenue sheet is deducted from the unallocated (general fund) balance unless the "
        "Instructions sheet says 'Overspend already in reserves forecast: Yes'. Forecast closing usable reserves = "
        "the usable forecast closing balances − the overspend so deducted: the one balance that years of cover, "
        "reserves as % of spending, the DSG ratio, the nowcast and the pack all use.",
        "Monthly monitoring upload, Reserves, Revenue and Instructions sheets",
    ),
    (
        "Years of cover",
        "Forecast usable reserves at 31 March (after the overspend) ÷ this year's draw on them: forecast use of "
        "usable reserves plus the overspend deducted. 'Not being drawn down' when there is no draw.",
        "Monthly monitoring upload, Reserves and Revenue sheets",
    ),
    (
        "Headroom above the minimum general fund balance",
        "Forecast unallocated (general fund) balance at 31 March, after the forecast overspend, − the minimum "
        "general fund balance the council states (Instructions sheet, 'Minimum general fund balance', in the "
        "workbook's units; set in the s151 officer's s25 report from a risk assessment). Negative means below the "
        "minimum. No minimum stated: 'no minimum stated', not rated. The scenarios' 5% of the net revenue budget "
        "is a tool convention and never stands in for the council's own minimum.",
        "Monthly monitoring upload, Instructions, Reserves and Revenue sheets",
    ),
    (
        "Usable reserves as % of spending (official)",
        "Unallocated + other earmarked reserves at 31 March (excluding schools, public health and DSG reserves) ÷ "
        "that year's net revenue expenditure, from the government's Revenue Outturn (RS) returns.",
        "MHCLG RS returns (see the files below)",
    ),
    (
        "Reserves nowcast",
        "Like for like with the peers: forecast usable reserves at 31 March (after the overspend, ring-fenced "
        "excluded) ÷ the council's net revenue expenditure on its latest RS return, placed among the peers' usable "
        "reserves at 31 March ÷ net revenue expenditure on their latest RS returns (same class of authority; "
        "illustrative authorities only among illustrative ones) by the resilience indicators' nowcast, so both "
        "pages give one projection. Same definitions, different dates: the card names both ('projected 31 March "
        "2027 vs peers' outturn at 31 March 2025'); the peers' figures are older, so the rank is indicative. "
        "Rank 1 = lowest reserves.",
        "Monitoring upload and MHCLG RS returns",
    ),
    (
        "DSG deficit",
        "The cumulative Dedicated Schools Grant deficit (mostly high needs / SEND) forecast on the DSG sheet. Under "
        f"the statutory override it is held in an unusable reserve until {DSG_OVERRIDE_END_TEXT}; 'if the override "
        "ended' compares it with forecast usable reserves. Peers: the DSG adjustment account at 31 March 2024 "
        "(a deficit is published as a negative balance).",
        "Monitoring upload, DSG sheet; MHCLG RS 2023-24 returns",
    ),
    (
        "In-year collection rate",
        "Cumulative amount collected by the end of the period ÷ the year's collectable amount, per income stream "
        "(any stream the Collection sheet names); compared with the same period of the previous year and with the "
        "year's target rate where the council sets one. " + ENGLAND_SOURCE,
        "Monitoring upload, Collection sheet",
    ),
    (
        "Forecast year-end collection rate and shortfall",
        "Forecast year-end rate = this year's rate now + (last year's final rate − last year's rate at the same "
        "period); none when last year's figures are not held. Shortfall = (the target, or with no target last "
        "year's final rate, − the forecast) × this year's collectable amount. Its cash effect on the budget: council "
        "tax and business rates go through the collection fund, so at the council's share of the fund (Instructions "
        "field 'Council share of the collection fund (%)'; not stated: 100%, with a note); any other stream in full. "
        "The weakest stream has the largest shortfall against its target, else against last year.",
        "Monitoring upload, Collection sheet and Instructions, this year and last year",
    ),
    (
        "Debt by age, write-offs and provision cover",
        "The Debt sheet's balance outstanding at the end of each period by stream and age band (0-30 days, 31-90, "
        "91-365, 1-2 years, over 2 years); a stream's bands add up to (collectable − collected) + (arrears brought "
        "forward − arrears collected − write-offs), checked on upload within rounding. Movement = the change in "
        "total debt since the previous period held; provision cover = bad-debt provision ÷ debt outstanding.",
        "Monitoring upload, Debt and Collection sheets",
    ),
    (
        "Council tax receipts (official)",
        "MHCLG's council tax receipts live table: receipts of council tax per billing authority per quarter (£ "
        "thousand, including precepts; cash in the quarter whatever year it relates to). Growth compares the four "
        "quarters' total with the year before, within the same table; counties are not billing authorities, so "
        "'not applicable', unlike a billing authority with no figure. Markers such as [z] are missing, never zero.",
        "MHCLG council tax receipts live table (QRC1-4), file and sha256 on the page",
    ),
    (
        "MTFS cumulative gap",
        "From the authority's current saved MTFS scenario: the gap between funding and spending still to close "
        "after planned savings, added up to the final year of the plan.",
        "Scenarios saved in Headroom (MTFS scenarios page)",
    ),
    (
        "Targets: on track or off track",
        "A target the council set itself (Targets page, Targets sheet or the command line) is judged only on values "
        "of its series' own basis. Year-end series (reserves, indicators): the latest value at 31 March from the "
        "outturn returns (never a budget estimate); a target not yet reached is off track until it is. In-year "
        "series (forecast variance, DSG deficit): the forecast for the year end at the latest period. Collection "
        "rates: the rate now plus what last year collected from the same period to its year end. On track when "
        "that value meets the target (at least: ≥; at most: ≤), off track when not, not judged when no value of "
        "its basis is held. Drawn as a dashed line (or a path to the target date) on every chart of its series.",
        "Targets set by the council; the series' own data",
    ),
    (
        "Direction of travel",
        "Each card compares its figure with the previous monitoring period held in the same year: 'worsening' or "
        "'improving' by what the figure means (a bigger overspend is worse, more reserves are better); 'no change' "
        "when the two round to the same shown figure.",
        "The two monitoring uploads compared",
    ),
    (
        "Demand: volume, price and other",
        "For each metric of the Demand sheet under a Revenue line: volume effect = (forecast volume − budgeted "
        "volume) × budgeted unit cost; price effect = (forecast unit cost − budgeted unit cost) × forecast volume "
        "(unit costs are £ a year per unit). Other = the line's forecast variance − the volume and price effects of "
        "all its metrics, so volume + price + other = the line's variance. A line whose budgeted volumes × unit "
        "costs differ from its budget by more than 1% is a warning before the upload is confirmed, not a refusal: "
        "the gap falls into 'other'. In-year forecast, as at the latest period with a Demand sheet.",
        "Monthly monitoring upload, Demand and Revenue sheets",
    ),
)


def rules_table() -> pd.DataFrame:
    """One row per RAG rule: what is rated, the rule in words, and where the figure comes from."""
    return pd.DataFrame(
        {
            "Card": [r.title for r in rag.RULES],
            "What is rated": [r.measure for r in rag.RULES],
            "Rule": [r.text for r in rag.RULES],
            "Source": [r.source for r in rag.RULES],
        }
    )


def definitions_table() -> pd.DataFrame:
    return pd.DataFrame(DEFINITIONS, columns=["Figure", "Definition", "Source"])


def provenance_tables(store: Store, code: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(official or illustrative files loaded, the authority's monitoring uploads) for the provenance section.

    Files: kind, dataset, year, basis, file, sha256, release note (the publisher's own statement where the file
    has one), loaded at, loaded by. Uploads: file, sha256, year, periods, status, uploaded at, by.
    """
    auth = benchmark.authority(store, code)
    files = sources_table(store)
    wanted = ["demo"] if auth.is_illustrative else ["official"]
    files = files[files["kind"].isin(wanted) & (files["basis"] != "monitoring")].rename(
        columns={"publisher's note": "release note"}
    )
    files = files[
        ["dataset", "financial year", "basis", "file", "sha256", "release note", "loaded at (UTC)", "loaded by"]
    ].reset_index(drop=True)
    history = upload_history(store, code)
    uploads = pd.DataFrame(
        {
            "file": history["file_name"],
            "sha256": history["sha256"],
            "financial year": history["financial_year"],
            "periods": history["periods"],
            "status": history["status"],
            "uploaded at (UTC)": history["uploaded_at_utc"],
            "uploaded by": history["uploaded_by"],
        }
    )
    return files, uploads


@dataclass(frozen=True)
class MethodologyView:
    """The methodology page: the rules and definitions (the same for everyone), and for the chosen authority the
    files behind its figures (`files`/`uploads`; None with no authority chosen, `refusal` when it cannot be read)."""

    rules: pd.DataFrame
    definitions: pd.DataFrame
    official_rules: pd.DataFrame
    indicators: pd.DataFrame
    attribution_md: str
    files: pd.DataFrame | None = None
    uploads: pd.DataFrame | None = None
    refusal: HeadroomError | None = None


def methodology_view(store: Store, code: str | None) -> MethodologyView:
    """The whole methodology page for authority `code` (None: none chosen); a refused or unknown authority is
    part of the view (`refusal`), so the rules still show."""
    view = MethodologyView(
        rules_table(), definitions_table(), comparison_rules(), indicator_definitions(), ATTRIBUTION_MD
    )
    if code is None:
        return view
    try:
        files, uploads = provenance_tables(store, code)
    except HeadroomError as err:
        return replace(view, refusal=err)
    return replace(view, files=files, uploads=uploads)


@dataclass(frozen=True)
class SourcesView:
    """The data sources page: every file loaded, and for the chosen authority what is held year by year
    (`coverage`; None with no authority chosen, `refusal` when it cannot be read)."""

    sources: pd.DataFrame
    attribution_md: str
    how_to_load_md: str
    coverage: Coverage | None = None
    refusal: HeadroomError | None = None


def sources_view(store: Store, code: str | None) -> SourcesView:
    """The whole data sources page for authority `code` (None: none chosen)."""
    view = SourcesView(sources_table(store), ATTRIBUTION_MD, HOW_TO_LOAD_MD)
    if code is None:
        return view
    try:
        return replace(view, coverage=coverage(store, code))
    except HeadroomError as err:
        return replace(view, refusal=err)
