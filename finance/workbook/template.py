"""The monitoring workbook template users download, fill in and upload.

Built from `schema.SHEETS` so the template and the reader cannot disagree: an instructions sheet with the
workbook-level fields (authority, financial year, period, units), then one sheet per series with a protected
header row, unlocked input cells (rows can be inserted and deleted), drop-downs where a column has a fixed
vocabulary, and grey example rows marked "Example:" that the reader refuses until they are deleted.
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import lru_cache

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from finance.format import period_label
from finance.workbook.schema import SHEETS, UNIT_MULTIPLIER_GBP, SheetSpec

INPUT_ROWS = 1000
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_EXAMPLE_FONT = Font(italic=True, color="808080")
_FIXED_TIME = (2026, 1, 1, 0, 0, 0)

# Example rows, in £000, one per sheet (DSG has no label column, so its example is the instructions' text).
_EXAMPLES: dict[str, list[tuple[object, ...]]] = {
    "Revenue": [("Example: Adults' social care", "Older people", 52_000, 53_250, 1_250)],
    "Savings": [("Example: Review of home care contracts", "Adults", 1_500, 1_100, "Amber")],
    "Collection": [("Example: Council tax", 150_000, 92_500, 4_100, 6_200, 1_700, 400, 95.5)],
    "Debt": [("Example: Council tax", "0-30 days", 51_500, 1_030)],
    "Reserves": [("Example: Transformation reserve", "Earmarked", 5_400, 1_200, 4_200, "Invest to save", "Committed")],
    "Capital": [("Example: Town centre regeneration", 8_000, 7_400, 3_150)],
    "MTFS": [("Example: 2026-27", 290_000, 275_700, 14_300, 4_000, 10_300, 10_300)],
    "Reserve plan": [("Example: Transformation reserve", "2026-27", 1_500)],
    "Risks": [("Example: FR01", "Care demand above budget", "Demand", "4", 800, 1_800, 3_500, "Demand panel", "DASS")],
    "Capital programme": [
        ("Example: Town centre regeneration", "Place", "2026-27", 8_000, 3_000, 500, 0, 4_500, 40, 600)
    ],
    "Targets": [("Example: unallocated_reserves", 23, "£m", "At least", "2028-29")],
    # the Revenue example's line: 2,000,000 hours × £26 = its £52m budget; volume £1.04m + price £0.204m of £1.25m
    "Demand": [
        ("Example: Adults' social care", "Older people", "Home care hours", "hours", 2_000_000, 26, 2_040_000, 26.1)
    ],
}
_FIELDS: tuple[tuple[str, str], ...] = (
    ("Authority", "ONS code (for example E08000014) or the authority's name"),
    ("Financial year", "written like 2025-26"),
    ("Period", "P1 (April) to P12 (March); a Period column on a sheet overrides this for its rows"),
    ("Units", "£, £000 or £m: the units of every money column (a unit in a column header overrides it)"),
    ("Version name", "MTFS sheet only: which revision this is, e.g. February budget 2026"),
    ("Date approved", "MTFS sheet only: when it was approved, e.g. 2026-02-26"),
    (
        "Minimum general fund balance",
        "the minimum the s151 officer states in the s25 report, in the Units above (blank: none stated)",
    ),
    (
        "Council share of the collection fund (%)",
        "your share of council tax and business rates in the collection fund, e.g. 84 (blank: taken as 100%)",
    ),
    (
        "Overspend already in reserves forecast",
        "Yes if the Reserves sheet's forecast use already includes the forecast overspend; No or blank: Headroom "
        "deducts it from the general fund balance",
    ),
    ("Capital financing requirement at 1 April", "in the Units above: the CFR the year opens with (capital programme)"),
    ("External debt at 1 April", "in the Units above: borrowing and other long-term liabilities"),
    ("Average interest rate on existing debt (%)", "for example 3.8"),
    ("Authorised limit", "in the Units above: from the treasury management strategy"),
    ("Operational boundary", "in the Units above: from the treasury management strategy"),
    ("Financing costs limit (% of net revenue stream)", "the council's own limit, for example 10"),
    ("MRP method", "Annuity or Straight line: how MRP on new borrowing is spread over the asset life"),
)


def _instructions(ws: Worksheet, authority: str | None, year: str | None, period: int | None, units: str) -> None:
    ws.title = "Instructions"
    ws["A1"] = "Headroom monthly budget monitoring"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:D1")
    given = (authority, year, period_label(period, month=False) if period else None, units)
    values = given + (None,) * (len(_FIELDS) - len(given))
    for offset, ((label, hint), value) in enumerate(zip(_FIELDS, values, strict=True)):
        row = 3 + offset
        ws.cell(row, 1, label).font = Font(bold=True)
        cell = ws.cell(row, 2, value)
        cell.protection = Protection(locked=False)
        cell.fill = PatternFill("solid", fgColor="FFF2CC")
        ws.cell(row, 4, hint).font = _EXAMPLE_FONT
    period_dv = DataValidation(
        type="list", formula1='"' + ",".join(period_label(p, month=False) for p in range(1, 13)) + '"'
    )
    units_dv = DataValidation(type="list", formula1='"' + ",".join(UNIT_MULTIPLIER_GBP) + '"')
    yes_no_dv = DataValidation(type="list", formula1='"Yes,No"', allow_blank=True)
    mrp_dv = DataValidation(type="list", formula1='"Annuity,Straight line"', allow_blank=True)
    for dv, ref in (
        (period_dv, "B5"),
        (units_dv, "B6"),
        (yes_no_dv, f"B{3 + [f[0] for f in _FIELDS].index('Overspend already in reserves forecast')}"),
        (mrp_dv, f"B{3 + len(_FIELDS) - 1}"),
    ):
        dv.error, dv.errorTitle = "Choose a value from the list", "Not in the list"
        ws.add_data_validation(dv)
        dv.add(ref)
    notes = [
        "How to fill this workbook",
        "1. Fill the yellow cells above. Every sheet below uses these unless a sheet says otherwise.",
        "2. Fill any of the sheets Revenue, Savings, Collection, Debt, DSG, Reserves, Capital, MTFS, Capital "
        "programme; delete or leave empty the ones you do not report. Grey rows starting 'Example:' are examples: "
        "delete them.",
        "3. Variance (Revenue) is optional: if given it must equal forecast outturn − budget, within rounding. "
        "Positive variances are overspends.",
        "4. A row whose first cell says 'Total' is checked against the lines above it and is not loaded.",
        "5. Negatives may be written -1,234 or (1,234). DSG figures are deficits (positive). Collection figures are "
        "cumulative to the end of the period.",
        "6. Reserves: forecast use is positive when drawn down and negative for a contribution; forecast closing "
        "balance must equal opening balance − forecast use. Type is Unallocated (the general fund balance), "
        "Earmarked, or Ring-fenced (public health, schools, DSG: shown but not counted as usable reserves). The "
        "Revenue sheet's forecast overspend is deducted from the general fund balance unless 'Overspend already in "
        "reserves forecast' above says Yes.",
        "5a. Collection: any income stream by name (council tax, business rates, adult social care charges, sundry "
        "debt, commercial property rents, housing benefit overpayments, or your own). Collected to date must not "
        "exceed Collectable; Arrears is what is outstanding at the end of the period; Arrears collected must not "
        "exceed Arrears brought forward; Target collection rate is the year's in-year target, 0 to 100 (%).",
        "5b. Debt (optional): the debt outstanding at the end of the period by stream and age band (0-30 days, "
        "31-90 days, 91-365 days, 1-2 years, Over 2 years) and the bad-debt provision, not negative. A stream's "
        "bands must add up to (collectable − collected) + (arrears brought forward − arrears collected − "
        "write-offs), or to (collectable − collected) + Arrears when brought forward is not given, within rounding.",
        "7. Uploading a new workbook for the same period replaces the earlier one in the dashboard; the earlier "
        "one stays in the upload history and can be made current again by withdrawing the new one.",
        "8. MTFS: the approved medium-term financial strategy, one row per year after the financial year above "
        "(consecutive years, 3 to 5). Gaps are incremental (new in that year); gap after savings, if given, must "
        "equal gap before savings − savings identified. Each upload adds a new version beside the earlier ones.",
        "9. Reserves, optional columns: Purpose (what the reserve is for) and Status, for earmarked reserves only: "
        "Committed (spoken for: contracts, grant conditions, approved schemes) or Uncommitted. With a Status "
        "column every earmarked reserve needs one; a scenario may then draw only on the uncommitted ones.",
        "10. Reserve plan (optional): one row per reserve and year, planned use over the MTFS years (positive = "
        "drawn down). Each reserve must be on the Reserves sheet; years are the MTFS sheet's, or the 5 years after "
        "the financial year above.",
        "11. Risks (optional): the financial risk register. Likelihood is a percentage (35%) or a whole score 1-5 "
        "(1 = 5%, 2 = 20%, 3 = 50%, 4 = 80%, 5 = 95%), one or the other in the column; impacts low <= most likely <= "
        "high (all three equal: a fixed cost), not negative; each Risk ID once. Headroom simulates it for the "
        "risk-based minimum balance.",
        "12. Capital programme: one row per scheme and year, the financial year above and up to five after it (or the "
        "MTFS sheet's years). Grants and contributions + capital receipts + revenue + prudential borrowing must equal "
        "the budget, within rounding (a blank source is nil). Asset life (years) is required where a scheme borrows. "
        "The Capital sheet stays the current year's budget, forecast and spend to date.",
        "13. Demand (optional): the metrics behind a Revenue line (directorate and service as on the Revenue sheet, "
        "same period): volumes are counts (hours, placements, children, households); unit costs are £ a year per "
        "unit whatever the Units above say; none negative. A line's budgeted volumes × unit costs should add up to "
        "its budget (more than 1% apart is a warning before loading). Headroom splits the line's forecast variance "
        "into volume, price and other effects.",
        "14. Targets (optional): one row per target the council sets itself — Series (a key or title from `python "
        "-m finance targets series` or the Targets page), Target, Units (£, £m, £000 or %; the series' own), "
        "Direction (at least or at most) and Target date (a date or a financial year, not before the end of the "
        "period above). Type a % target as a number of percent (95.5), not a fraction: a cell formatted as % holds "
        "95.5% as 0.955 and is refused; a target under 1% is written with its sign as text (0.5%).",
    ]
    first_note = 3 + len(_FIELDS) + 1
    for i, text in enumerate(notes):
        cell = ws.cell(first_note + i, 1, text)
        cell.alignment = Alignment(wrap_text=False)
        if i == 0:
            cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 22
    ws.protection.sheet = True


def _sheet(ws: Worksheet, spec: SheetSpec) -> None:
    ws.title = spec.name
    width = len(spec.columns)
    for col in range(1, width + 6):
        ws.column_dimensions[get_column_letter(col)].protection = Protection(locked=False)
    for col, column in enumerate(spec.columns, start=1):
        cell = ws.cell(1, col, column.label)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.protection = Protection(locked=True)
        ws.column_dimensions[get_column_letter(col)].width = 34 if column.kind == "text" else 18
        if column.kind == "choice":
            dv = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True)
            dv.error, dv.errorTitle = f"{column.label} must be one of: {', '.join(column.choices)}", "Not in the list"
            if column.open_choice:  # the list offers the usual names; any other is accepted as written
                dv.showErrorMessage = False
            ws.add_data_validation(dv)
            letter = get_column_letter(col)
            dv.add(f"{letter}2:{letter}{INPUT_ROWS + 1}")
    for r, example in enumerate(_EXAMPLES.get(spec.name, []), start=2):
        for col, value in enumerate(example, start=1):
            cell = ws.cell(r, col, value)
            cell.font = _EXAMPLE_FONT
            cell.protection = Protection(locked=False)
    ws.freeze_panes = "A2"
    protection = ws.protection
    protection.sheet = True
    protection.insertRows = protection.deleteRows = False  # False = allowed while protected
    protection.formatColumns = protection.formatCells = protection.sort = protection.autoFilter = False


@lru_cache(maxsize=16)
def template_bytes(
    *, authority: str | None = None, year: str | None = None, period: int | None = None, units: str = "£000"
) -> bytes:
    """The template as .xlsx bytes, optionally pre-filled with the workbook fields. Deterministic bytes."""
    wb = Workbook()
    assert wb.active is not None
    _instructions(wb.active, authority, year, period, units)
    for spec in SHEETS:
        _sheet(wb.create_sheet(), spec)
    return workbook_bytes(wb)


def workbook_bytes(wb: Workbook) -> bytes:
    """Save `wb` with fixed timestamps, so the same content always gives the same bytes (and sha256)."""
    from datetime import datetime

    wb.properties.created = wb.properties.modified = datetime(*_FIXED_TIME)
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with the time of saving
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", content)
            dst.writestr(fixed, content)
    return out.getvalue()
