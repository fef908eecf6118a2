"""Service expenditure lines: which published column is which service, in every layout since 2010.

Why a table of its own: the same thirteen services are labelled three ways — RS 2010-11 to 2023-24 by the
service name alone ("Children Social Care", one combined "Social care" in 2010-11), the 2023-24 RS coded rows
and the 2024-25 files by asset codes (`RS-csc-net-exp`, `RSX-csc-net-cur-exp`), and the 2024-25 label row as
"Service - Measure (Cn)". Reading all of them into one key per service is what lets a page set a council's
2024-25 RSX spend beside its 2023-24 RS spend without comparing differently named things.

The RO returns (RO1–RO6) carry many more lines than these; their lines are kept under the publisher's own
service label (see `finance.official.read_coded`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from finance.official.model import ServiceValue, clean_text, gbp_from_thousands, norm_label

#: Service key → the title shown, in the publisher's order. `social_care` is 2010-11's single combined line
#: (adults' and children's together), a different definition from the two lines that replaced it.
SERVICE_TITLES: dict[str, str] = {
    "education": "Education services",
    "highways": "Highways and transport services",
    "childrens_social_care": "Children's social care",
    "adult_social_care": "Adult social care",
    "social_care": "Social care (adults' and children's combined, 2010-11 only)",
    "public_health": "Public health",
    "housing": "Housing services (GFRA only)",
    "cultural": "Cultural and related services",
    "environmental": "Environmental and regulatory services",
    "planning": "Planning and development services",
    "police": "Police services",
    "fire": "Fire and rescue services",
    "central": "Central services",
    "other": "Other services",
    "total_service": "Total service expenditure",
}

#: The asset-code service part (RS-…-net-exp, RSX-…-net-cur-exp) → service key.
_CODE_SERVICE: dict[str, str] = {
    "edu": "education",
    "trans": "highways",
    "csc": "childrens_social_care",
    "asc": "adult_social_care",
    "phs": "public_health",
    "hous": "housing",
    "cul": "cultural",
    "env": "environmental",
    "plan": "planning",
    "pol": "police",
    "frs": "fire",
    "cen": "central",
    "oth": "other",
    "totsx": "total_service",
}

#: Published service names (normalised) → service key.
_LABEL_SERVICE: dict[str, str] = {
    "education services": "education",
    "highways and transport services": "highways",
    "children social care": "childrens_social_care",
    "children's social care": "childrens_social_care",
    "adult social care": "adult_social_care",
    "social care": "social_care",
    "public health": "public_health",
    "housing services (gfra only)": "housing",
    "cultural and related services": "cultural",
    "environmental and regulatory services": "environmental",
    "planning and development services": "planning",
    "police services": "police",
    "fire and rescue services": "fire",
    "central services": "central",
    "other services": "other",
    "total service expenditure": "total_service",
}

_TOTAL_RE = re.compile(r"^total service expenditure\b")

#: The measure columns of the 2024-25 layout: asset-code suffix → (measure, published measure name).
MEASURE_BY_CODE_SUFFIX: dict[str, tuple[str, str]] = {
    "empl": ("employees", "employees"),
    "run-exp": ("running_expenses", "running expenses"),
    "tot-exp": ("total_expenditure", "total expenditure"),
    "sfc": ("sales_fees_charges", "sales, fees and charges"),
    "oth-inc": ("other_income", "other income"),
    "tot-inc": ("total_income", "total income"),
    "net-cur-exp": ("net_current_expenditure", "net current expenditure"),
}

#: Which measures are kept. Net current expenditure (C7) is what every RS layout publishes per service and what
#: the CIPFA social care ratio uses; the other columns are not read (they would multiply the rows sevenfold).
KEPT_MEASURES = frozenset({"net_current_expenditure"})

#: "<service> - <measure> (Cn …)": the measure is matched from the end of the label, because service names
#: and the measure's own formula contain " - " too ("… (C7 = C3 - C6)").
_MEASURE_SUFFIX_RE = re.compile(
    r"^(?P<service>.+?)\s+[-–]\s+(?P<measure>employees|running expenses|total expenditure"
    r"|sales, fees and charges|other income|total income|net current expenditure)\s*\(c\d[^()]*\)$"
)
_MEASURE_BY_NAME = {name: measure for measure, name in MEASURE_BY_CODE_SUFFIX.values()}


def service_from_label(label: object) -> str | None:
    """The service key a single-measure RS column label names ("Adult Social Care", "TOTAL SERVICE
    EXPENDITURE (total of lines 190 to 698)"), or None."""
    text = norm_label(label)
    if _TOTAL_RE.match(text):
        return "total_service"
    return _LABEL_SERVICE.get(text)


def service_from_name(name: str) -> str | None:
    """The service key for a service name as the 2024-25 label row writes it, or None (e.g. an RO line)."""
    return service_from_label(name)


def service_from_code_part(part: str) -> str | None:
    return _CODE_SERVICE.get(part)


def split_measure_label(label: object) -> tuple[str, str] | None:
    """Split a 2024-25 column label into (service name as published, measure), or None when it is not
    "<service> - <measure> (Cn…)". The service name keeps its own case and dashes."""
    raw = re.sub(r"\s+", " ", str(label)).strip()
    m = _MEASURE_SUFFIX_RE.match(raw.lower())
    if m is None:
        return None
    service = raw[: len(m.group("service"))]
    return service, _MEASURE_BY_NAME[m.group("measure")]


def service_columns(header: Sequence[object]) -> dict[str, tuple[int, str]]:
    """Service key → (column, published label) for the single-measure RS layouts (net current expenditure
    per service, one column each); the first column naming a service wins."""
    found: dict[str, tuple[int, str]] = {}
    for i, label in enumerate(header):
        key = service_from_label(label)
        if key is not None:
            found.setdefault(key, (i, clean_text(label)))
    return found


def row_service_values(
    ecode: str, row: Sequence[object], columns: dict[str, tuple[int, str]], label_prefix: str = ""
) -> list[ServiceValue]:
    """The net current expenditure of each service in `columns` for one authority row (blank cells skipped)."""
    out: list[ServiceValue] = []
    for key, (col, label) in columns.items():
        value, text = gbp_from_thousands(row[col] if col < len(row) else "")
        if value is None and text is None:
            continue
        out.append(ServiceValue(ecode, key, "net_current_expenditure", value, text, label_prefix + label))
    return out
