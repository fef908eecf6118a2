"""The one way a council's workbook gets into the database (issue 15 lifted it out of `finance.monitoring`):
prepare (safety checks, reading, validation, the authority lookup) → check (each series' own rules, such as the
approved MTFS's) → commit (one `Store.write` transaction), plus the upload page's preview tables and the demo
workbooks, which go through the same path.

It sits above both `finance.monitoring` and `finance.mtfs` and is the only package that uses both, so neither
imports the other. The public surface is named here; the modules behind it are free to change.
"""

from __future__ import annotations

from finance.upload.demo import (
    DEMO_BORROWING_RATE_PCT,
    PERIODS_BY_YEAR,
    DemoStart,
    demo_capital_plan,
    demo_workbooks,
    load_demo_monitoring,
)
from finance.upload.display import (
    HistoryView,
    history_table,
    history_view,
    lines_table,
    mtfs_lines_table,
    preview_table,
    problems_table,
    withdrawable,
)
from finance.upload.load import (
    LoadResult,
    PreparedUpload,
    commit_upload,
    load_file,
    load_upload,
    prepare_upload,
    withdraw_upload,
)
from finance.upload.view import CheckedFile, UploadView, confirm_upload, needs_check, upload_view
from finance.workbook import Limits, template_bytes

__all__ = [
    "DEMO_BORROWING_RATE_PCT",
    "PERIODS_BY_YEAR",
    "CheckedFile",
    "DemoStart",
    "HistoryView",
    "Limits",
    "LoadResult",
    "PreparedUpload",
    "UploadView",
    "commit_upload",
    "confirm_upload",
    "demo_capital_plan",
    "demo_workbooks",
    "history_table",
    "history_view",
    "lines_table",
    "load_demo_monitoring",
    "load_file",
    "load_upload",
    "mtfs_lines_table",
    "needs_check",
    "prepare_upload",
    "preview_table",
    "problems_table",
    "template_bytes",
    "upload_view",
    "withdraw_upload",
    "withdrawable",
]
