"""What an official demand file holds once read: the metrics Headroom keeps, each with its basis and as-at point.

Why a catalogue: a count of children looked after at 31 March, a caseload of EHC plans in January and households
in temporary accommodation at a quarter end are measured at different points, by different collections, in
different units. Each metric says once what it is (title, unit, basis), how often it is measured (so a direction
of travel compares consecutive points only) and which authorities have the duty it measures (so a district is
"not applicable" for children looked after, never "no return").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from finance.peergroups import HOUSING_AND_BILLING, UPPER_TIER

#: Classes (as `authority.class`) with children's services and SEND duties: the upper tier.
CHILDRENS_CLASSES = UPPER_TIER
#: Classes with the homelessness (temporary accommodation) duty: the housing authorities.
HOUSING_CLASSES = HOUSING_AND_BILLING


@dataclass(frozen=True)
class DemandMetric:
    """One official demand series: `key` as stored, `title` as shown (says what and when), `unit`, `basis`,
    `months` between consecutive points (12 annual, 3 quarterly), the classes with the duty it measures, and
    `higher_is` — the plain-words reading of a rise (demand up), never a risk verdict."""

    key: str
    title: str
    short: str
    unit: str
    basis: str
    months: int
    classes: frozenset[str]
    service: str  # the council service whose budget carries this demand
    duty: str  # the statutory duty it measures, as in "no … duty"
    publisher: str
    decimals: int = 0


METRICS: tuple[DemandMetric, ...] = (
    DemandMetric(
        "cla_count",
        "Children looked after at 31 March",
        "Children looked after",
        "children",
        "official count",
        12,
        CHILDRENS_CLASSES,
        "children's placements",
        "children's social care",
        "DfE, Children looked after in England",
    ),
    DemandMetric(
        "cla_per_10k",
        "Children looked after at 31 March per 10,000 children aged under 18",
        "Children looked after per 10,000 children",
        "per 10,000 children",
        "official rate",
        12,
        CHILDRENS_CLASSES,
        "children's placements",
        "children's social care",
        "DfE, Children looked after in England",
    ),
    DemandMetric(
        "ehc_plans",
        "EHC plans held in January (caseload)",
        "EHC plans (caseload)",
        "plans",
        "official count",
        12,
        CHILDRENS_CLASSES,
        "DSG high needs",
        "SEND (EHC plans)",
        "DfE, Education, health and care plans (SEN2)",
    ),
    DemandMetric(
        "ehc_new_plans",
        "New EHC plans made in the calendar year",
        "New EHC plans",
        "plans",
        "official count",
        12,
        CHILDRENS_CLASSES,
        "DSG high needs",
        "SEND (EHC plans)",
        "DfE, Education, health and care plans (SEN2)",
    ),
    DemandMetric(
        "ehc_within_20_weeks_pct",
        "EHC plans issued within 20 weeks in the calendar year (% of plans issued, including exceptions)",
        "EHC plans issued within 20 weeks",
        "% of plans issued",
        "official percentage",
        12,
        CHILDRENS_CLASSES,
        "DSG high needs",
        "SEND (EHC plans)",
        "DfE, Education, health and care plans (SEN2)",
        decimals=1,
    ),
    DemandMetric(
        "ta_households",
        "Households in temporary accommodation at the quarter end",
        "Households in temporary accommodation",
        "households",
        "official count",
        3,
        HOUSING_CLASSES,
        "temporary accommodation",
        "homelessness",
        "MHCLG, Statutory homelessness (H-CLIC table TA1)",
    ),
    DemandMetric(
        "ta_per_1000",
        "Households in temporary accommodation at the quarter end per 1,000 households",
        "Households in temporary accommodation per 1,000 households",
        "per 1,000 households",
        "official rate",
        3,
        HOUSING_CLASSES,
        "temporary accommodation",
        "homelessness",
        "MHCLG, Statutory homelessness (H-CLIC table TA1)",
        decimals=2,
    ),
)
METRICS_BY_KEY = {m.key: m for m in METRICS}

#: Datasets as recorded on `source_file.dataset`.
DATASET_CLA = "DfE children looked after"
DATASET_EHC = "DfE EHC plans (SEN2)"
DATASET_TA = "MHCLG homelessness (H-CLIC TA1)"
DEMAND_DATASETS = (DATASET_CLA, DATASET_EHC, DATASET_TA)

ENGLAND = "E92000001"

#: Authorities whose ONS code changed while keeping their duties: the 2024 Barnsley–Sheffield boundary change gave
#: both new codes (E08000038, E08000039), used by H-CLIC from 2024, while the DfE files and the RS returns held
#: keep the old ones. Figures are stored under the code as published; a peer lookup reads both.
CODE_ALIASES: dict[str, tuple[str, ...]] = {
    "E08000016": ("E08000038",),
    "E08000038": ("E08000016",),
    "E08000019": ("E08000039",),
    "E08000039": ("E08000019",),
}
AUTHORITY_CODE_RE = re.compile(r"^E0[6-9]\d{6}$|^E10\d{6}$")

#: The markers these publishers put in place of a number, and what each means.
MARKERS: dict[str, str] = {
    "c": "suppressed",
    "[c]": "suppressed",
    "x": "not available",
    "[x]": "not available",
    "z": "not applicable",
    "[z]": "not applicable",
    "..": "missing return",
    "u": "low reliability",
    "[u]": "low reliability",
    "low": "fewer than 5",
    "k": "fewer than 5",
    ":": "not available",
    "-": "not available",
}


@dataclass(frozen=True)
class DemandValue:
    """One published figure: `value` None when the publisher gave a marker (`published_text`), never zero."""

    code: str
    name: str
    metric: str
    period_end: date
    period_label: str
    definition: str
    value: float | None
    published_text: str | None


@dataclass(frozen=True)
class ParsedDemand:
    """One demand file as read: provenance (file name, sha256), dataset, and its values."""

    file_name: str
    sha256: str
    dataset: str
    values: tuple[DemandValue, ...]

    def periods(self) -> dict[tuple[str, date], int]:
        """(metric, period_end) → rows the file holds for it."""
        out: dict[tuple[str, date], int] = {}
        for v in self.values:
            out[(v.metric, v.period_end)] = out.get((v.metric, v.period_end), 0) + 1
        return out

    def latest_label(self) -> str:
        """The newest as-at point the file covers, in words (for the import report)."""
        newest = max(self.values, key=lambda v: v.period_end)
        return newest.period_label


def parse_number(text: object) -> tuple[float | None, str | None] | None:
    """A published cell as (value, None) or (None, marker); None when it is neither (a layout problem)."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text), None
    s = str(text).strip()
    if s.lower() in MARKERS:
        return None, s
    try:
        return float(s.replace(",", "")), None
    except ValueError:
        return None
