"""Every resilience indicator and comparison rule in words, for the Methodology page and the docs.

Why in code: the page must describe the indicators and rules in use, not a copy that drifts. docs/METHODOLOGY-
indicators.md carries the same texts (tests/test_indicators.py keeps every one of them in it), and each
indicator in `profile.INDICATORS` must have its definition here.
"""

from __future__ import annotations

import pandas as pd

from finance.indicators.profile import INDICATORS

_WINDOW = (
    "Computed only when the level three years earlier is held on the same basis; otherwise 'not available', "
    "saying which balance it needs."
)

#: key → (definition, RS lines, caveat)
DEFINITIONS: dict[str, tuple[str, str, str]] = {
    "reserves_sustainability_years": (
        "Usable reserves at 31 March ÷ their average yearly fall over the last three years "
        "((level three years earlier − closing level) ÷ 3). Not falling: 'not depleting'.",
        "915 + 916 at 31 March and three years earlier",
        _WINDOW,
    ),
    "usable_reserves_pct_nre": (
        "Unallocated + other earmarked reserves at 31 March ÷ the year's net revenue expenditure.",
        "915 (unadjusted) + 916, 31 March; NET REVENUE EXPENDITURE",
        "Excludes schools, public health and DSG reserves.",
    ),
    "unallocated_reserves_pct_nre": (
        "Unallocated reserves (the general fund balance) at 31 March ÷ the year's net revenue expenditure.",
        "916, 31 March; NET REVENUE EXPENDITURE",
        "",
    ),
    "earmarked_reserves_pct_nre": (
        "Other earmarked reserves at 31 March ÷ the year's net revenue expenditure.",
        "915 (unadjusted), 31 March; NET REVENUE EXPENDITURE",
        "Unadjusted: 2023-24 also publishes 915b, net of COVID business-rate relief items, which is not used.",
    ),
    "usable_reserves_change_3y_pct": (
        "% change in usable reserves from three years earlier to 31 March (CIPFA's change in reserves).",
        "915 + 916",
        _WINDOW,
    ),
    "unallocated_reserves_change_3y_pct": (
        "% change in unallocated reserves from three years earlier to 31 March.",
        "916",
        _WINDOW,
    ),
    "earmarked_reserves_change_3y_pct": (
        "% change in other earmarked reserves from three years earlier to 31 March.",
        "915 (unadjusted)",
        _WINDOW,
    ),
    "usable_reserves_change_1y_pct": (
        "% change in usable reserves during the year: 1 April to 31 March, both from the year's own return.",
        "915 + 916 at 1 April and 31 March",
        "",
    ),
    "council_tax_ratio_pct": (
        "Council tax requirement ÷ net revenue expenditure, same year.",
        "COUNCIL TAX REQUIREMENT; NET REVENUE EXPENDITURE",
        "",
    ),
    "dsg_deficit_pct_usable_reserves": (
        "The DSG adjustment account deficit at 31 March ÷ usable reserves at 31 March.",
        "912 (2023-24 on; a deficit is negative)",
        "'Not reported' for years whose return has no line 912.",
    ),
    "external_borrowing_pct_nre": (
        "Outstanding external borrowing at the 31 March that ends the year ÷ the year's net revenue expenditure.",
        "MHCLG borrowing and investment live table; NET REVENUE EXPENDITURE",
        "The table covers 31 March 2014 to 2020; excludes PFI and finance leases.",
    ),
    "interest_payable_pct_nre": (
        "Interest payable (external interest payments) ÷ the year's net revenue expenditure.",
        "781: 'Interest payable and similar charges' (2010-11 to 2014-15), 'Interest: external payments' "
        "(2015-16, 2017-18, 2023-24); found by line number, or in the 2010-15 files by label in the capital "
        "financing block",
        "RS only (RA budget estimates number their lines differently and are not read for it). Interest, not "
        "total financing costs (no minimum revenue provision).",
    ),
    "financing_costs_pct_nre": (
        "Financing costs ÷ the year's net revenue expenditure, Prudential-Code style: minimum revenue provision "
        "(773) + leasing payments (776) + external interest (781) + HRA item 8 interest payments and receipts "
        "(783) + interest and investment income (786), each as published — 786, and usually 783, are negative.",
        "773 + 776 + 781 + 783 + 786; 805 (NET REVENUE EXPENDITURE); found by line number, or in the 2010-15 "
        "files by label in the capital financing block (after 'Provision for repayment of principal')",
        "RS outturn only. A line the return does not carry is 'not reported' and one not published is 'no "
        "return': never counted as zero.",
    ),
    "social_care_ratio_pct_nre": (
        "(Adults' + children's social care net current expenditure) ÷ NRE of the same year, all from year t's "
        "outturn; parts given with the value.",
        "service lines, RS column 1 (RSX 2024-25 column C7); NET REVENUE EXPENDITURE",
        "Not computed for 2010-11 (one combined social care line); not available when the year's NRE is not held.",
    ),
    "social_care_pct_total_service": (
        "Shown instead of the social care ratio, under its own title, when the year's NRE is not held (RSX 2024-25 "
        "before RS 2024-25): (adults' + children's social care) ÷ total service expenditure, one return.",
        "RSX 2024-25 column C7 (net current expenditure): social care lines and total service expenditure",
        "Never shown under the CIPFA title.",
    ),
}

#: The comparison rules every official figure follows, in words.
RULES: tuple[tuple[str, str], ...] = (
    (
        "Basis",
        "Every official value carries its basis: outturn (the RS return) where the year has one, else the "
        "authority's budget estimate (the RA return), labelled as such. A ranking uses one basis for everyone.",
    ),
    (
        "Like for like",
        "A change, trend or direction of travel compares values of the same basis and definition only; an outturn "
        "is never compared with a budget estimate. Where nothing comparable is held, it says so in words.",
    ),
    (
        "Change at 31 March",
        "The reserves benchmark's direction at 31 March is the change during the year, from the same return's "
        "1 April balance (Sefton 2023-24: down £14.4m, £63.4m → £49.0m, both RS 2023-24).",
    ),
    (
        "Honest windows",
        "An indicator defined over three years is computed only when the level three years earlier is held on the "
        "same basis; otherwise it reads 'not available: needs the balance at …' and is null in JSON — never a "
        "shorter window under the longer title.",
    ),
    (
        "Peer groups",
        "A peer group is a class of the returns (MD by default), all of England, or the authority's published "
        "neighbours: NN (ONS statistical nearest neighbours, global model, 20 + the authority) or SN (DfE children's "
        "services statistical neighbours, 10 + the authority). A member the measure does not apply to (a shire "
        "district for DSG and social care, a shire county for housing, any member outside England) is 'not "
        "applicable': listed, never ranked or counted; an applicable member with no figure is 'no return'.",
    ),
    (
        "Rank words",
        "A position is said in the words of its risk direction: '8th lowest of 35' where a low value is the risk, "
        "'2nd highest of 35' where a high one is; coverage separately: '35 of 36 peers have a figure'.",
    ),
)


def indicators_table() -> pd.DataFrame:
    """One row per indicator: title, unit, higher risk when, definition, the RS lines it reads, caveat."""
    rows = []
    for spec in INDICATORS:
        definition, lines, caveat = DEFINITIONS[spec.key]
        rows.append(
            {
                "Indicator": spec.title,
                "Unit": spec.unit,
                "Higher risk when": spec.higher_risk_when,
                "Definition": definition,
                "RS lines": lines,
                "Caveat": caveat,
            }
        )
    return pd.DataFrame(rows)


def rules_table() -> pd.DataFrame:
    """The comparison rules (basis, like for like, windows, rank words) as two columns."""
    return pd.DataFrame(RULES, columns=["Rule", "What it means"])
