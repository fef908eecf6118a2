"""Writing an MTFS version, inside the monitoring upload's own transaction (so a workbook loads all or nothing).

Called only from `finance.upload.load.commit_upload`: an MTFS arrives as a sheet of an uploaded workbook, and
its version belongs to that upload (withdrawing the upload withdraws the version).
"""

from __future__ import annotations

from typing import Any

from finance.mtfs.checks import MtfsDraft
from finance.store import Tx

LINE_COLUMNS = (
    "sheet_row",
    "mtfs_year",
    "budget_requirement_gbp",
    "funding_gbp",
    "gap_before_savings_gbp",
    "savings_identified_gbp",
    "gap_after_savings_gbp",
    "reserves_use_gbp",
)


def insert_version(tx: Tx, draft: MtfsDraft, upload_id: int, source_id: int, authority_code: str) -> int:
    """Add `draft` as a new version beside the authority's earlier ones; returns its version_id."""
    version_id = tx.next_id("mtfs_version", "version_id")
    tx.execute(
        """INSERT INTO mtfs_version (version_id, upload_id, source_id, authority_code, version_name, approved_on,
                                     base_year, sheet_title, line_count)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            version_id,
            upload_id,
            source_id,
            authority_code,
            draft.version_name,
            draft.approved_on,
            draft.base_year,
            draft.sheet_title,
            len(draft),
        ],
    )
    row = "(" + ", ".join("?" * (len(LINE_COLUMNS) + 2)) + ")"
    params: list[Any] = []
    for i in range(len(draft)):
        params.extend([version_id, source_id])
        for key in LINE_COLUMNS:
            value = draft.columns[key][i]
            params.append(value if key in ("sheet_row", "mtfs_year") or value is None else str(value))
    cols = ", ".join(("version_id", "source_id", *LINE_COLUMNS))
    tx.execute(f"INSERT INTO mtfs_line ({cols}) VALUES " + ", ".join([row] * len(draft)), params)
    return version_id
