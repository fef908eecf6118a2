"""Tables the upload and history pages show, built here so the pages stay thin (no DataFrame surgery in pages/).

Money is shown in £m to one decimal place, as the rest of the dashboard does; the underlying queries keep £.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from finance.errors import InputError
from finance.format import period_label
from finance.monitoring import upload_history
from finance.store import Store
from finance.upload.load import PreparedUpload
from finance.workbook import SHEETS_BY_NAME


def _m(value_gbp: float) -> str:
    return f"£{value_gbp / 1e6:,.1f}m"


def problems_table(err: InputError) -> pd.DataFrame:
    """Every problem of a refused upload: where (sheet!cell), the value found, and what is wrong."""
    return pd.DataFrame([p.as_dict() for p in err.problems], columns=["where", "value", "message"]).rename(
        columns={"where": "Where", "value": "Value", "message": "Problem"}
    )


def preview_table(prepared: PreparedUpload) -> pd.DataFrame:
    """One row per sheet and period to be loaded: the line count and the total of each money column in £m."""
    rows = []
    for sheet, columns in prepared.lines.items():
        spec = SHEETS_BY_NAME[sheet]
        for period in sorted(set(columns["period"])):
            picks = [i for i, p in enumerate(columns["period"]) if p == period]
            totals = []
            for column in spec.columns:
                if column.kind != "money":
                    continue
                values = [columns[column.key][i] for i in picks if columns[column.key][i] is not None]
                if values:
                    totals.append(f"{column.label} {_m(sum(values))}")
            rows.append(
                {
                    "Sheet": sheet,
                    "Sheet in workbook": prepared.sheet_titles[sheet],
                    "Period": period_label(period, month=False),
                    "Lines": len(picks),
                    "Totals": " · ".join(totals),
                }
            )
    if prepared.mtfs is not None:
        draft = prepared.mtfs
        years = draft.years
        gaps = float(sum(draft.columns["gap_before_savings_gbp"]))
        rows.append(
            {
                "Sheet": "MTFS",
                "Sheet in workbook": draft.sheet_title,
                "Period": f"{years[0]} to {years[-1]}",
                "Lines": len(draft),
                "Totals": f"New version '{draft.version_name}' · Gap before savings {_m(gaps)}",
            }
        )
    programme = prepared.capital_programme
    if programme is not None:
        years = sorted(set(programme.columns["programme_year"]))
        budget = float(sum(programme.columns["budget_gbp"]))
        borrowing = float(sum(v for v in programme.columns["borrowing_gbp"] if v is not None))
        rows.append(
            {
                "Sheet": "Capital programme",
                "Sheet in workbook": programme.sheet_title,
                "Period": f"{years[0]} to {years[-1]}",
                "Lines": len(programme),
                "Totals": f"Budget {_m(budget)} · Prudential borrowing {_m(borrowing)}",
            }
        )
    if (plan := prepared.reserve_plan) is not None:
        years = sorted(set(plan.columns["plan_year"]))
        use = float(sum(plan.columns["planned_use_gbp"]))
        span = f"{years[0]} to {years[-1]}"
        rows.append({"Sheet": "Reserve plan", "Sheet in workbook": plan.sheet_title, "Period": span,
                     "Lines": len(plan), "Totals": f"Planned use {_m(use)}"})  # fmt: skip
    if (risks := prepared.risks) is not None:
        high = float(sum(risks.columns["impact_high_gbp"]))
        rows.append({"Sheet": "Risks", "Sheet in workbook": risks.sheet_title, "Period": "risk register",
                     "Lines": len(risks), "Totals": f"Impact high (all risks together) {_m(high)}"})  # fmt: skip
    return pd.DataFrame(rows, columns=["Sheet", "Sheet in workbook", "Period", "Lines", "Totals"])


def lines_table(prepared: PreparedUpload, sheet: str) -> pd.DataFrame:
    """The lines of one sheet as they will be stored, with column labels and money in £ (exact, as loaded)."""
    spec = SHEETS_BY_NAME[sheet]
    frame = prepared.frame(sheet)
    frame["period"] = [period_label(int(p), month=False) for p in frame["period"]]
    labels = {"period": "Period", "sheet_row": "Row"} | {
        c.key: f"{c.label} (£)" if c.kind == "money" else c.label for c in spec.columns
    }
    return frame[list(labels)].rename(columns=labels)


def mtfs_lines_table(prepared: PreparedUpload) -> pd.DataFrame:
    """The MTFS lines as they will be stored (money in £, exact), or an empty frame when the upload has none."""
    if prepared.mtfs is None:
        return pd.DataFrame()
    labels = {"sheet_row": "Row"} | {
        c.key: f"{c.label} (£)" if c.kind == "money" else c.label for c in SHEETS_BY_NAME["MTFS"].columns
    }
    money = set(SHEETS_BY_NAME["MTFS"].money_keys)
    return pd.DataFrame(
        {
            label: [float(v) if key in money and v is not None else v for v in prepared.mtfs.columns[key]]
            for key, label in labels.items()
        }
    )


def history_table(store: Store, authority_code: str | None = None) -> pd.DataFrame:
    """The upload history for people: newest first, with status in words and the hash shortened for reading."""
    return _history_table(upload_history(store, authority_code))


def _history_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Upload": frame["upload_id"],
            "Authority": frame["authority_code"],
            "Year": frame["financial_year"],
            "Periods": frame["periods"],
            "Lines by sheet": frame["sheets"],
            "File": frame["file_name"],
            "SHA-256": frame["sha256"].str.slice(0, 12),
            "Uploaded by": frame["uploaded_by"],
            "Uploaded (UTC)": frame["uploaded_at_utc"].dt.strftime("%Y-%m-%d %H:%M"),
            "Status": frame["status"].str.capitalize(),
        }
    )


def withdrawable(store: Store, authority_code: str | None = None) -> list[int]:
    """Upload ids that can still be withdrawn (not already withdrawn), newest first."""
    return _withdrawable(upload_history(store, authority_code))


def _withdrawable(frame: pd.DataFrame) -> list[int]:
    return [int(u) for u in frame.loc[frame["status"] != "withdrawn", "upload_id"]]


@dataclass(frozen=True)
class HistoryView:
    """The upload history page: the history table and the uploads that can still be withdrawn (newest first)."""

    table: pd.DataFrame
    withdrawable: list[int]


def history_view(store: Store, authority_code: str | None = None) -> HistoryView:
    """The page's view from one read of the history (`authority_code` None: every authority's uploads)."""
    frame = upload_history(store, authority_code)
    return HistoryView(_history_table(frame), _withdrawable(frame))
