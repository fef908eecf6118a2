"""Reading approved MTFS versions back: the list of versions, one version's series, and how the gap moved.

"Latest" is derived, never stored, by the rule monthly monitoring uses: of the versions whose upload is not
withdrawn, the one uploaded last. The approval date is shown beside every version but does not reorder them (many
versions carry none, and mixing approval and upload dates would put an undated revision in the wrong place);
withdrawing an upload makes the previous version latest again with no pointer to keep consistent. Money comes back
in £m (the unit of the scenario model and the pages).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from itertools import accumulate
from typing import Any

import pandas as pd

from finance.errors import NotFoundError
from finance.format import period_label
from finance.monitoring import uncommitted_earmarked
from finance.store import Store

_VERSIONS_SQL = """
    SELECT v.version_id, v.upload_id, v.authority_code, v.version_name, v.approved_on, v.base_year,
           u.file_name, u.uploaded_by, u.uploaded_at_utc
    FROM mtfs_version v JOIN monitoring_upload u USING (upload_id)
    WHERE v.authority_code = ? AND u.status = 'active'
    ORDER BY v.version_id"""

_LINES_SQL = """
    SELECT mtfs_year, budget_requirement_gbp, funding_gbp, gap_before_savings_gbp, savings_identified_gbp,
           gap_after_savings_gbp, reserves_use_gbp
    FROM mtfs_line WHERE version_id = ? ORDER BY mtfs_year"""


@dataclass(frozen=True)
class MtfsVersion:
    """One uploaded version of an authority's approved MTFS."""

    version_id: int
    upload_id: int
    authority_code: str
    version_name: str
    approved_on: date | None
    base_year: str
    file_name: str
    uploaded_by: str
    uploaded_at_utc: datetime

    @property
    def dated(self) -> date:
        """The version's date: when approved, else when uploaded."""
        return self.approved_on or self.uploaded_at_utc.date()

    @property
    def date_text(self) -> str:
        return f"approved {self.approved_on:%d %b %Y}" if self.approved_on else f"uploaded {self.dated:%d %b %Y}"

    @property
    def label(self) -> str:
        return f"{self.version_name} ({self.date_text})"


def _m(value: object) -> float | None:
    return None if value is None else float(str(value)) / 1e6


@dataclass(frozen=True)
class MtfsSeries:
    """One version's figures by year, in £m; the gaps are incremental (new in that year)."""

    version: MtfsVersion
    years: tuple[str, ...]
    budget_requirement_gbp_m: tuple[float | None, ...]
    funding_gbp_m: tuple[float | None, ...]
    gap_before_savings_gbp_m: tuple[float, ...]
    savings_identified_gbp_m: tuple[float | None, ...]
    gap_after_savings_gbp_m: tuple[float | None, ...]
    reserves_use_gbp_m: tuple[float | None, ...]
    # The uncommitted earmarked reserves of the base year's latest monitoring (forecast closing, £m) and where that
    # figure comes from; None when no Reserves sheet with a Status for every earmarked reserve is held.
    earmarked_uncommitted_gbp_m: float | None = None
    earmarked_uncommitted_source: str = ""

    @property
    def savings_gbp_m(self) -> tuple[float, ...]:
        """Savings identified per year, a missing figure meaning none identified."""
        return tuple(s or 0.0 for s in self.savings_identified_gbp_m)

    @property
    def gap_gbp_m(self) -> tuple[float, ...]:
        """The approved gap new in each year after savings identified (as stated, else before − savings)."""
        return tuple(
            after if after is not None else before - saving
            for before, saving, after in zip(
                self.gap_before_savings_gbp_m, self.savings_gbp_m, self.gap_after_savings_gbp_m, strict=True
            )
        )

    @property
    def cumulative_gap_gbp_m(self) -> dict[str, float]:
        """The recurring gap in each year if nothing more is done: the running total of `gap_gbp_m` (savings
        identified recur, as in the scenario model), comparable with a scenario's cumulative gap after savings."""
        return dict(zip(self.years, accumulate(self.gap_gbp_m), strict=True))

    def reference(self) -> tuple[str, dict[str, float]]:
        """(label, {year: cumulative gap £m}) for `finance.scenarios.charts.gap_chart(proj, reference=…)`."""
        return f"Approved MTFS: {self.version.version_name}", self.cumulative_gap_gbp_m

    def table(self) -> pd.DataFrame:
        """The version as uploaded, by year, £m, with the cumulative gap the scenarios are measured against."""
        return pd.DataFrame(
            {
                "Year": list(self.years),
                "Net budget requirement £m": list(self.budget_requirement_gbp_m),
                "Funding £m": list(self.funding_gbp_m),
                "Gap before savings £m": list(self.gap_before_savings_gbp_m),
                "Savings identified £m": list(self.savings_identified_gbp_m),
                "Gap after savings £m": list(self.gap_gbp_m),
                "Cumulative gap £m": list(self.cumulative_gap_gbp_m.values()),
                "Planned use of reserves £m": list(self.reserves_use_gbp_m),
            }
        )

    def as_dict(self) -> dict[str, Any]:
        v = self.version
        return {
            "authority_code": v.authority_code,
            "version_id": v.version_id,
            "version_name": v.version_name,
            "approved_on": v.approved_on.isoformat() if v.approved_on else None,
            "base_year": v.base_year,
            "upload_id": v.upload_id,
            "file_name": v.file_name,
            "money_units": "£m",
            "years": [
                {
                    "year": year,
                    "budget_requirement_gbp_m": self.budget_requirement_gbp_m[i],
                    "funding_gbp_m": self.funding_gbp_m[i],
                    "gap_before_savings_gbp_m": self.gap_before_savings_gbp_m[i],
                    "savings_identified_gbp_m": self.savings_identified_gbp_m[i],
                    "gap_after_savings_gbp_m": self.gap_gbp_m[i],
                    "cumulative_gap_gbp_m": self.cumulative_gap_gbp_m[year],
                    "reserves_use_gbp_m": self.reserves_use_gbp_m[i],
                }
                for i, year in enumerate(self.years)
            ],
        }


def list_versions(store: Store, authority_code: str) -> list[MtfsVersion]:
    """The authority's MTFS versions that are not withdrawn, oldest first (the last one is the latest)."""
    store.require_read(authority_code)
    return [
        MtfsVersion(int(r[0]), int(r[1]), str(r[2]), str(r[3]), r[4], str(r[5]), str(r[6]), str(r[7]), r[8])
        for r in store.query(_VERSIONS_SQL, [authority_code])
    ]


def _series(store: Store, version: MtfsVersion) -> MtfsSeries:
    rows = store.query(_LINES_SQL, [version.version_id])
    cols = list(zip(*rows, strict=True)) if rows else [()] * 7
    uncommitted = uncommitted_earmarked(store, version.authority_code, version.base_year)
    return MtfsSeries(
        version,
        tuple(str(y) for y in cols[0]),
        tuple(_m(v) for v in cols[1]),
        tuple(_m(v) for v in cols[2]),
        tuple(float(str(v)) / 1e6 for v in cols[3]),
        tuple(_m(v) for v in cols[4]),
        tuple(_m(v) for v in cols[5]),
        tuple(_m(v) for v in cols[6]),
        None if uncommitted is None else uncommitted[0] / 1e6,
        ""
        if uncommitted is None
        else f"uncommitted earmarked reserves, forecast closing balance at {period_label(uncommitted[1], month=False)}"
        f" {version.base_year} (monthly monitoring)",
    )


def latest_series(store: Store, authority_code: str) -> MtfsSeries | None:
    """The authority's latest approved MTFS, or None when none has been uploaded (or all were withdrawn)."""
    versions = list_versions(store, authority_code)
    return _series(store, versions[-1]) if versions else None


def mtfs_series(store: Store, authority_code: str, version: str | None = None) -> MtfsSeries:
    """One version by name (the latest of that name) or, by default, the latest; `NotFoundError` if none."""
    versions = list_versions(store, authority_code)
    if version is not None:
        versions = [v for v in versions if v.version_name.casefold() == version.strip().casefold()]
    if not versions:
        named = f" named '{version}'" if version is not None else ""
        raise NotFoundError(f"There is no approved MTFS{named} for {authority_code}: upload one with an MTFS sheet.")
    return _series(store, versions[-1])


def all_series(store: Store, authority_code: str) -> list[MtfsSeries]:
    """Every version's series, oldest first."""
    return [_series(store, v) for v in list_versions(store, authority_code)]
