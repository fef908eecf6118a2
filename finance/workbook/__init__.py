"""Reading the workbooks councils upload (issue 15 moved it here from `finance.monitoring`): the sheets and their
columns, the blank template, the safety checks, the reader that keeps every cell's position, value parsing and the
generic sheet validation.

It sits below both `finance.monitoring` and `finance.mtfs` (and knows neither), so that a new kind of sheet is one
more `SheetSpec` plus its own checks in the package that owns it, never an import back up. It never touches the
database. The public surface is named here; the modules behind it are free to change.
"""

from __future__ import annotations

from finance.workbook.isolated import read_upload
from finance.workbook.reader import FieldValue, RawWorkbook, SheetTable, cell_ref, read_workbook
from finance.workbook.safety import Limits, check_upload, scan_worksheets
from finance.workbook.schema import (
    AGE_BANDS,
    CAPITAL_PROGRAMME,
    COLLECTION_FUND_STREAMS,
    DEMAND,
    MONITORING_SHEETS,
    MTFS,
    RESERVE_PLAN,
    RESERVE_STATUSES,
    REVENUE,
    SHEETS,
    SHEETS_BY_NAME,
    STREAM_CHOICES,
    TARGETS,
    UNIT_MULTIPLIER_GBP,
    USABLE_RESERVE_TYPES,
    Column,
    SheetSpec,
    bidi_control_in,
    normalise_header,
    parse_period,
    parse_units,
    strip_invisible,
)
from finance.workbook.settings import ReserveSettings
from finance.workbook.sheet import SheetLines
from finance.workbook.template import template_bytes, workbook_bytes
from finance.workbook.validate import Validated, validate
from finance.workbook.values import duplicate_key, is_blank, parse_number, parse_text, to_gbp

__all__ = [
    "AGE_BANDS",
    "CAPITAL_PROGRAMME",
    "COLLECTION_FUND_STREAMS",
    "DEMAND",
    "MONITORING_SHEETS",
    "MTFS",
    "RESERVE_PLAN",
    "RESERVE_STATUSES",
    "REVENUE",
    "SHEETS",
    "SHEETS_BY_NAME",
    "STREAM_CHOICES",
    "TARGETS",
    "UNIT_MULTIPLIER_GBP",
    "USABLE_RESERVE_TYPES",
    "Column",
    "FieldValue",
    "Limits",
    "RawWorkbook",
    "ReserveSettings",
    "SheetLines",
    "SheetSpec",
    "SheetTable",
    "Validated",
    "bidi_control_in",
    "cell_ref",
    "check_upload",
    "duplicate_key",
    "is_blank",
    "normalise_header",
    "parse_number",
    "parse_period",
    "parse_text",
    "parse_units",
    "read_upload",
    "read_workbook",
    "scan_worksheets",
    "strip_invisible",
    "template_bytes",
    "to_gbp",
    "validate",
    "workbook_bytes",
]
