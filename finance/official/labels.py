"""The published column labels Headroom reads, and the measure each one is.

The RS/RA returns have renamed, reordered and re-noted their columns many times since 2010 ("Estimated …",
"[note 12]", "(unadjusted)", a point in time in the label or in a section heading above it), so columns are
found by what their label says, never by position. One table here serves every layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from finance.official.model import norm_label

#: Reserve stems as published (normalised) → measure.
_RESERVE_STEMS: dict[str, str] = {
    "schools reserves": "schools_reserves",
    "schools financial reserves": "schools_reserves",
    "dedicated schools grant adjustment account": "dsg_adjustment_account",
    "dedicated schools grant reserves": "dsg_reserves",
    "dedicated schools grant financial reserves": "dsg_reserves",
    "public health financial reserves": "public_health_reserves",
    "other earmarked financial reserves": "earmarked_reserves",
    "unallocated financial reserves": "unallocated_reserves",
}

_RESERVE_RE = re.compile(
    r"^(?:estimated )?(?P<stem>.+?) level"
    r"(?: at (?P<when>1 april|31 march)(?: \d{4})?)?"
    r"(?: \((?P<adj>adjusted|unadjusted)\))?$"
)

_FLOWS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^net revenue expenditure(?: \(.*\))?$"), "net_revenue_expenditure"),
    (re.compile(r"^revenue expenditure(?: \(.*\))?$"), "revenue_expenditure"),
    (re.compile(r"^council tax requirement(?: \(.*\))?(?: \([a-z]\))?$"), "council_tax_requirement"),
)

#: RA has no NET REVENUE EXPENDITURE line; it is line 900 plus this one (line 904).
GRANTS_INSIDE_AEF_RE = re.compile(r"^specific and special grants inside aef\b")

SECTION_RE = re.compile(r"financial reserves levels at (?P<when>1 april|31 march)(?: (?P<year>\d{4}))?")

POINT_BY_WHEN = {"1 april": "opening", "31 march": "closing"}

#: Without these a file is not a usable return.
REQUIRED: tuple[tuple[str, str], ...] = (
    ("unallocated_reserves", "opening"),
    ("unallocated_reserves", "closing"),
    ("earmarked_reserves", "opening"),
    ("earmarked_reserves", "closing"),
    ("net_revenue_expenditure", "year"),
)

REQUIRED_TEXT = {
    ("unallocated_reserves", "opening"): "unallocated financial reserves level at 1 April",
    ("unallocated_reserves", "closing"): "unallocated financial reserves level at 31 March",
    ("earmarked_reserves", "opening"): "other earmarked financial reserves level at 1 April",
    ("earmarked_reserves", "closing"): "other earmarked financial reserves level at 31 March",
    ("net_revenue_expenditure", "year"): "NET REVENUE EXPENDITURE",
}


@dataclass(frozen=True)
class Match:
    measure: str
    point: str | None  # None: a reserve level whose date is in the section heading above (old layout)


def match_label(label: object) -> Match | None:
    """The measure a published column label holds, or None if Headroom does not read it."""
    text = norm_label(label)
    if not text:
        return None
    for pattern, flow in _FLOWS:
        if pattern.match(text):
            return Match(flow, "year")
    m = _RESERVE_RE.match(text)
    if m is None:
        return None
    measure = _RESERVE_STEMS.get(m.group("stem"))
    if measure is None:
        return None
    if m.group("adj") == "adjusted":
        if measure != "earmarked_reserves":
            return None
        measure = "earmarked_reserves_adjusted"
    when = m.group("when")
    return Match(measure, POINT_BY_WHEN[when] if when else None)
