"""The reserve plan in force: planned use of each reserve over the MTFS years, as the latest upload gave it.

"In force" follows the risk register's rule: of the uploads not withdrawn for the financial year or an earlier one,
the latest that holds a Reserve plan sheet. Money in £.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from finance.store import Store

_LATEST_SQL = """
    SELECT u.upload_id, u.file_name, u.sha256, u.financial_year, u.uploaded_at_utc
    FROM monitoring_upload u
    WHERE u.authority_code = ? AND u.status = 'active' AND u.financial_year <= ?
      AND EXISTS (SELECT 1 FROM reserve_plan_line p WHERE p.upload_id = u.upload_id)
    ORDER BY u.upload_id DESC LIMIT 1"""


@dataclass(frozen=True)
class ReservePlan:
    """The plan in force: lines (reserve, plan_year, planned_use_gbp, sheet_row) and the upload it came from."""

    upload_id: int
    file_name: str
    sha256: str
    financial_year: str
    uploaded_at_utc: datetime
    lines: pd.DataFrame

    @property
    def source_text(self) -> str:
        return f"reserve plan uploaded {self.uploaded_at_utc:%d %b %Y} ({self.file_name}, sha256 {self.sha256[:12]}…)"

    def by_year(self) -> pd.DataFrame:
        """Planned use per year, £: plan_year, planned_use_gbp (drawn down minus contributions)."""
        return self.lines.groupby("plan_year", as_index=False)["planned_use_gbp"].sum()


def reserve_plan(store: Store, authority_code: str, financial_year: str) -> ReservePlan | None:
    """The plan in force for `financial_year` (module docstring), or None when none has been uploaded."""
    store.require_read(authority_code)
    row = store.query_one(_LATEST_SQL, [authority_code, financial_year])
    if row is None:
        return None
    lines = store.query_df(
        """SELECT sheet_row, reserve, plan_year, planned_use_gbp::DOUBLE AS planned_use_gbp
           FROM reserve_plan_line WHERE upload_id = ? ORDER BY plan_year, sheet_row""",
        [row[0]],
    )
    return ReservePlan(int(row[0]), str(row[1]), str(row[2]), str(row[3]), row[4], lines)
