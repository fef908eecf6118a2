"""Writing a capital programme and debt position inside the monitoring upload's own transaction.

Called only from `finance.upload.load.commit_upload`: both arrive in an uploaded workbook and belong to that upload
(withdrawing the upload withdraws them), so a workbook loads all or nothing.
"""

from __future__ import annotations

from typing import Any

from finance.capital.checks import Position, ProgrammeDraft
from finance.store import Tx

LINE_COLUMNS = (
    "sheet_row",
    "scheme",
    "directorate",
    "programme_year",
    "budget_gbp",
    "grants_gbp",
    "receipts_gbp",
    "revenue_gbp",
    "borrowing_gbp",
    "asset_life_years",
    "slippage_gbp",
)


def insert_capital(
    tx: Tx, programme: ProgrammeDraft | None, position: Position | None, upload_id: int, source_id: int
) -> None:
    """Store the programme's lines and the position (either may be None) under `upload_id`."""
    if programme is not None and len(programme):
        row = "(" + ", ".join("?" * (len(LINE_COLUMNS) + 2)) + ")"
        params: list[Any] = []
        for i in range(len(programme)):
            params.extend([upload_id, source_id])
            params.extend(programme.columns[key][i] for key in LINE_COLUMNS)
        names = ", ".join(("upload_id", "source_id", *LINE_COLUMNS))
        tx.execute(f"INSERT INTO capital_programme_line ({names}) VALUES " + ", ".join([row] * len(programme)), params)
    if position is not None and position.stated:
        tx.execute(
            """INSERT INTO capital_position (upload_id, source_id, as_at, cfr_gbp, external_debt_gbp,
                   existing_rate_pct, authorised_limit_gbp, operational_boundary_gbp, financing_limit_pct, mrp_method)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                upload_id,
                source_id,
                position.as_at,
                position.cfr_gbp,
                position.external_debt_gbp,
                position.existing_rate_pct,
                position.authorised_limit_gbp,
                position.operational_boundary_gbp,
                position.financing_limit_pct,
                position.mrp_method,
            ],
        )
