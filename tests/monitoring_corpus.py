"""Monitoring workbooks built by code for the tests: a valid baseline, the real-world quirks, and a corpus of
malformed files (one defect each, plus a few combined), each with the cell the refusal must name.

Built in memory with openpyxl so the corpus is reviewable Python rather than binary fixtures. Cached formula values
(which openpyxl cannot write) are patched into the sheet XML, as Excel would have saved them.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from openpyxl import Workbook

from finance.store import Store, Tx
from finance.upload import Limits

AUTHORITY = "DEMO01"
AUTHORITY_NAME = "Northbridge Metropolitan Borough"
FIELDS: dict[str, Any] = {"Authority": AUTHORITY, "Financial year": "2025-26", "Period": "P6", "Units": "£000"}

REVENUE_HEADER = ["Directorate", "Service", "Budget", "Forecast outturn", "Variance"]
REVENUE_ROWS: list[list[Any]] = [
    ["Adults", "Older people", 50_000, 51_200, 1_200],
    ["Adults", "Learning disabilities", 30_000, 30_500, 500],
    ["Children's", None, 45_000, 47_000, 2_000],
    ["Resources", None, 20_000, 19_600, -400],
]
SAVINGS = [
    ["Scheme", "Directorate", "Target", "Forecast delivered", "RAG"],
    ["Home care review", "Adults", 1_500, 1_100, "Amber"],
    ["LED lighting", "Neighbourhoods", 400, 400, "Green"],
]
COLLECTION = [
    ["Stream", "Collectable", "Collected to date", "Arrears"],
    ["Council tax", 160_000, 82_000, 9_000],
    ["Business rates", 90_000, 47_000, None],
]
DSG = [["Brought forward deficit", "In-year forecast deficit", "Cumulative forecast deficit"], [18_000, 7_000, 25_000]]
RESERVES = [
    ["Reserve", "Type", "Opening balance", "Forecast use", "Forecast closing balance"],
    ["General fund", "Unallocated", 12_000, 500, 11_500],
    ["Risk reserve", "Earmarked", 15_000, 3_000, 12_000],
]
CAPITAL = [["Scheme", "Budget", "Forecast", "Spend to date"], ["Town centre", 8_000, 7_400, 3_100]]
# An approved MTFS after the workbook's year (2025-26), £000: budget requirement − funding is the cumulative gap.
MTFS_HEADER: list[Any] = [
    "Year",
    "Net budget requirement",
    "Funding",
    "Gap before savings",
    "Savings identified",
    "Gap after savings",
    "Planned use of reserves",
]
MTFS_ROWS: list[list[Any]] = [
    ["2026-27", 290_000, 275_700, 14_300, 4_000, 10_300, 10_300],
    ["2027-28", 300_000, 272_500, 13_200, 3_000, 10_200, 5_000],
    ["2028-29", 310_000, 265_800, 16_700, 2_000, 14_700, 0],
]


def add_authority(store: Store, code: str = AUTHORITY, name: str = AUTHORITY_NAME) -> None:
    """The illustrative authority the workbooks name (the demo builder adds it in the app)."""

    def write(tx: Tx) -> None:
        tx.execute("INSERT INTO authority VALUES (?, NULL, ?, 'MD', true, 0)", [code, name])

    store.write(write)


def all_sheets() -> dict[str, list[list[Any]]]:
    return {
        "Revenue": [REVENUE_HEADER, *[list(r) for r in REVENUE_ROWS]],
        "Savings": SAVINGS,
        "Collection": COLLECTION,
        "DSG": DSG,
        "Reserves": RESERVES,
        "Capital": CAPITAL,
    }


def build(
    sheets: dict[str, list[list[Any]]] | None = None,
    fields: dict[str, Any] | None = None,
    mutate: Callable[[Workbook], None] | None = None,
) -> bytes:
    """A workbook: an Instructions sheet with `fields` (label in A, value in B), then one sheet per entry."""
    wb = Workbook()
    info = wb.active
    assert info is not None
    info.title = "Instructions"
    info.append(["Monthly monitoring"])
    for label, value in (FIELDS if fields is None else fields).items():
        info.append([label, value])
    for name, rows in (all_sheets() if sheets is None else sheets).items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    if mutate:
        mutate(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def revenue(*rows: list[Any], header: list[str] | None = None, fields: dict[str, Any] | None = None) -> bytes:
    """A workbook with only a Revenue sheet: the header, then `rows` (default: the baseline lines)."""
    body = [list(r) for r in (rows or REVENUE_ROWS)]
    return build({"Revenue": [header or REVENUE_HEADER, *body]}, fields)


def mtfs(*rows: list[Any], header: list[str] | None = None, fields: dict[str, Any] | None = None) -> bytes:
    """A workbook with only an MTFS sheet: the header, then `rows` (default: the baseline years)."""
    body = [list(r) for r in (rows or MTFS_ROWS)]
    return build({"MTFS": [header or MTFS_HEADER, *body]}, fields)


def _mtfs_row(index: int = 0, **changes: Any) -> list[Any]:
    """A baseline MTFS line with some cells changed (keys: a..g for columns A..G)."""
    row = list(MTFS_ROWS[index])
    for letter, value in changes.items():
        row["abcdefg".index(letter)] = value
    return row


def with_fields(**changes: Any) -> dict[str, Any]:
    out = dict(FIELDS)
    for key, value in changes.items():
        label = {
            "authority": "Authority",
            "year": "Financial year",
            "period": "Period",
            "units": "Units",
            "version": "Version name",
            "approved": "Date approved",
        }[key]
        if value is None:
            out.pop(label)
        else:
            out[label] = value
    return out


def with_cached_values(data: bytes, sheet_part: str, values: dict[str, Any]) -> bytes:
    """Patch cached results into formula cells (`<f>…</f><v />` -> `<v>value</v>`), as Excel saves them."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == sheet_part:
                text = content.decode()
                for ref, value in values.items():
                    text, n = re.subn(rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)\s*<v\s*/>', rf"\g<1><v>{value}</v>", text)
                    assert n == 1, ref
                content = text.encode()
            dst.writestr(info, content)
    return out.getvalue()


def zip_of(members: dict[str, bytes], *, deflate: bool = True) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return out.getvalue()


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        members = {i.filename: src.read(i.filename) for i in src.infolist()}
    members[name] = content
    return zip_of(members)


@dataclass(frozen=True)
class Case:
    """One malformed upload: its bytes, the name it is uploaded as, and every (where, message part) it must report.

    `isolated` reads it in the upload's child process, as the app does (the corpus runs in a limited worker
    anyway, see tests/limited.py); `only` says the expected problems are the only ones (one root cause, one message).
    """

    name: str
    make: Callable[[], bytes]
    expect: tuple[tuple[str, str], ...]
    file_name: str = "monitoring.xlsx"
    limits: Limits = field(default_factory=Limits)
    isolated: bool = False
    only: bool = False


def _row(**changes: Any) -> list[Any]:
    """The first baseline revenue line with some cells changed (keys: a..e for columns A..E)."""
    row = list(REVENUE_ROWS[0])
    for letter, value in changes.items():
        row["abcde".index(letter)] = value
    return row


def _sheet_with(sheet: str, row_index: int, col: int, value: Any) -> dict[str, list[list[Any]]]:
    sheets = all_sheets()
    rows = [list(r) for r in sheets[sheet]]
    rows[row_index][col] = value
    sheets[sheet] = rows
    return sheets


def _formula_no_value(wb: Workbook) -> None:
    wb["Revenue"]["E2"] = "=D2-C2"


def _hide_revenue_and_break_it(wb: Workbook) -> None:
    wb["Revenue"].sheet_state = "hidden"


def _bomb() -> bytes:
    base = build()
    return _replace_member(base, "xl/worksheets/sheet9.xml", b"<x>" + b"0" * (60 * 1024 * 1024) + b"</x>")


def _encrypted() -> bytes:
    return bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 512 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 512


def _truncated() -> bytes:
    data = build()
    return data[: len(data) // 2]


REVENUE_PART = "xl/worksheets/sheet2.xml"  # build() writes Instructions first, then Revenue


def patch_sheet(data: bytes, change: Callable[[bytes], bytes], part: str = REVENUE_PART) -> bytes:
    """`data` with one sheet's XML rewritten (cells openpyxl cannot write, or writes differently from Excel)."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        return _replace_member(data, part, change(src.read(part)))


def with_cell(
    ref: str, value: Any = 1, sheets: dict[str, list[list[Any]]] | None = None, sheet: str = "Revenue"
) -> bytes:
    """A workbook with one more value at `ref` (XFD1048576 is the last cell Excel has)."""

    def put(wb: Workbook) -> None:
        wb[sheet][ref] = value

    return build(sheets, mutate=put)


def _letters(col: int) -> str:
    out = ""
    while col:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out


def _error_rows(first: int, rows: int, columns: int) -> str:
    """`rows` rows of `columns` cells showing an error, as Excel writes them (#REF!, and #DIV/0! with its formula)."""
    letters = [_letters(c) for c in range(1, columns + 1)]
    cells = [
        (
            f'<c r="{x}{{r}}" t="e"><v>#REF!</v></c>'
            if i % 2
            else f'<c r="{x}{{r}}" s="1" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
        )
        for i, x in enumerate(letters)
    ]
    row = "".join(cells)
    return "".join(f'<row r="{r}">' + row.replace("{r}", str(r)) + "</row>" for r in range(first, first + rows))


def _lines_with_one_error(lines: int, error_row: int) -> str:
    """`lines` valid Revenue lines from row 10 (numbers as Excel stores them), one showing #REF! as its forecast."""
    out = []
    for r in range(10, 10 + lines):
        forecast = '<c r="D{r}" t="e"><v>#REF!</v></c>' if r == error_row else '<c r="D{r}"><v>1010</v></c>'
        out.append(
            f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>Adults</t></is></c>'
            f'<c r="B{r}" t="inlineStr"><is><t>Service {r}</t></is></c><c r="C{r}"><v>1000</v></c>'
            + forecast.format(r=r)
            + f'<c r="E{r}"><v>10</v></c></row>'
        )
    return "".join(out)


def _add_rows(xml: str) -> Callable[[bytes], bytes]:
    return lambda sheet: sheet.replace(b"</sheetData>", xml.encode() + b"</sheetData>")


def _with_shared_strings(data: bytes, strings: list[str], cells: int, text_len: int = 0) -> bytes:
    """`data` with a shared-string table and `cells` Revenue cells (column F, from row 10) that refer to string 0."""
    table = "".join(f"<si><t>{s}</t></si>" for s in strings)
    rows = "".join(f'<row r="{r}"><c r="F{r}" t="s"><v>0</v></c></row>' for r in range(10, 10 + cells))
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        members = {i.filename: src.read(i.filename) for i in src.infolist()}
    members["xl/sharedStrings.xml"] = (
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{table}</sst>'.encode()
    )
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sharedStrings+xml"/></Types>',
    )
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    members[REVENUE_PART] = members[REVENUE_PART].replace(b"</sheetData>", rows.encode() + b"</sheetData>")
    return zip_of(members)


BAD_INPUT: tuple[Case, ...] = (
    Case(
        "year 0999-00",
        lambda: revenue(fields=with_fields(year="0999-00")),
        (("Instructions!B3", "outside 2000-01"),),
        only=True,
    ),
    Case(
        "year 2099-00",
        lambda: revenue(fields=with_fields(year="2099-00")),
        (("Instructions!B3", "outside 2000-01"),),
        only=True,
    ),
    Case(
        "year 1066-67",
        lambda: revenue(fields=with_fields(year="1066-67")),
        (("Instructions!B3", "outside 2000-01"),),
        only=True,
    ),
    Case(
        "year 2099-00 in a Year column",
        lambda: revenue([*REVENUE_ROWS[0], "2099-00"], header=[*REVENUE_HEADER, "Year"], fields=with_fields(year=None)),
        (("Revenue!F2", "outside 2000-01"),),
        only=True,
    ),
    Case(
        "zero-width space makes no new line",
        lambda: revenue(REVENUE_ROWS[0], ["Adul\u200bts", "Old\u200ber people", 1, 2, 1]),
        (("Revenue!A3", "duplicate line"),),
        only=True,
    ),
    Case(
        "zero-width space is not a name",
        lambda: revenue(_row(a="\u200b\u200d")),
        (("Revenue!A2", "Directorate is required"),),
        only=True,
    ),
    Case(
        "text-direction control in a name",
        lambda: revenue(_row(b="Older people\u202e")),
        (("Revenue!B2", "text-direction control (U+202E)"),),
        only=True,
    ),
    Case(
        "bad Period, one message",
        lambda: revenue(fields=with_fields(period="P13")),
        (("Instructions!B4", "Period must be"),),
        only=True,
    ),
    Case(
        "a Period that reads like a label",
        lambda: revenue(
            fields={"Period": "Authority", "Authority": AUTHORITY, "Financial year": "2025-26", "Units": "£000"}
        ),
        (("Instructions!B2", "Period must be"),),
        only=True,
    ),
    Case(
        "NaN saved as a number",
        lambda: patch_sheet(revenue(), lambda x: re.sub(rb'(<c r="C2"[^>]*>)<v>[^<]*</v>', rb"\g<1><v>NaN</v>", x)),
        (("Revenue!C2", "must be"),),
    ),
    Case(
        "infinity saved as a number",
        lambda: patch_sheet(revenue(), lambda x: re.sub(rb'(<c r="D2"[^>]*>)<v>[^<]*</v>', rb"\g<1><v>INF</v>", x)),
        (("Revenue!D2", "must be"),),
    ),
)

# What the reader did before sheets were measured: these limits let every sheet through to calamine.
NO_EXTENT_LIMITS = Limits(
    max_rows_per_sheet=10**7, max_columns_per_sheet=16_384, max_cells_per_sheet=2**62, max_text_chars_per_sheet=2**62
)
CORNER = "XFD1048576"
CORNER_MESSAGE = "holds a value on row 1,048,576 in column XFD"

HOSTILE: tuple[Case, ...] = (
    # a sheet whose only value is Excel's last cell: calamine panics ("chunk size must be non-zero")
    Case(
        "corner cell only",
        lambda: with_cell(CORNER, sheets={"Revenue": []}),
        ((f"Revenue!{CORNER}", CORNER_MESSAGE),),
        only=True,
    ),
    # A1 and the last cell: calamine asks for a 512 GB grid and aborts the process
    Case("A1 and the corner cell", lambda: with_cell(CORNER), ((f"Revenue!{CORNER}", CORNER_MESSAGE),), only=True),
    Case(
        "corner cell, read in the child",
        lambda: with_cell(CORNER),
        ((f"Revenue!{CORNER}", CORNER_MESSAGE),),
        isolated=True,
        only=True,
    ),
    Case("far column", lambda: with_cell("XFD20000"), (("Revenue!XFD20000", "column XFD"),), only=True),
    Case("far row", lambda: with_cell("A1048576"), (("Revenue!A1048576", "row 1,048,576"),), only=True),
    Case(
        "corner of the Instructions sheet",
        lambda: with_cell(CORNER, sheet="Instructions"),
        ((f"Instructions!{CORNER}", CORNER_MESSAGE),),
        only=True,
    ),
    Case(
        "dimension record hides the corner cell",
        lambda: patch_sheet(with_cell(CORNER), lambda x: x.replace(b'ref="A1:XFD1048576"', b'ref="A1:E5"')),
        ((f"Revenue!{CORNER}", CORNER_MESSAGE),),
    ),
    Case(
        "a sheet full of error cells (20,000 rows x 25 columns; the benchmark reads 100,000)",
        lambda: patch_sheet(revenue(), _add_rows(_error_rows(10, 20_000, 25))),
        (("Revenue!A10", "holds 500,000 cells showing an error"),),
        isolated=True,
        only=True,
    ),
    Case(
        "more error cells than a sheet may hold, in a hidden monitoring sheet",
        lambda: patch_sheet(build(mutate=_hide_revenue_and_break_it), _add_rows(_error_rows(10, 300, 10))),
        (("Revenue!A10", "holds 3,000 cells showing an error"),),
        only=True,
    ),
    Case(
        "cells without references run past the last column",
        lambda: patch_sheet(revenue(), _add_rows('<row r="7">' + "<c><v>1</v></c>" * 201 + "</row>")),
        (("Revenue!GS7", "column GS"),),
        only=True,
    ),
    Case(
        "unreadable cell reference",
        lambda: patch_sheet(revenue(), _add_rows('<row r="7"><c r="&#65;7"><v>1</v></c></row>')),
        (("Revenue", "whose position could not be read"),),
    ),
    Case(
        "grid too large",
        lambda: with_cell("Z200000"),
        (("Revenue!Z200000", "spans A1:Z200000"),),
        only=True,
    ),
    Case(
        "one long shared string copied into many cells",
        lambda: _with_shared_strings(revenue(), ["y" * 30_000], 4_000),
        (("Revenue", "characters of text, more than the 100,000,000"),),
    ),
    Case(
        "too many shared strings",
        lambda: _with_shared_strings(revenue(), [f"s{i}" for i in range(20)], 1),
        (("monitoring.xlsx", "more than 10 different pieces of text"),),
        limits=Limits(max_shared_strings=10),
    ),
    # with the extent checks switched off, the upload's child process still turns the crash into a refusal
    Case(
        "calamine panic in the child",
        lambda: with_cell(CORNER, sheets={"Revenue": []}),
        (("monitoring.xlsx", "could not be read"),),
        limits=NO_EXTENT_LIMITS,
        isolated=True,
        only=True,
    ),
    Case(
        "calamine abort in the child",
        lambda: with_cell(CORNER),
        (("monitoring.xlsx", "could not be read"),),
        limits=NO_EXTENT_LIMITS,
        isolated=True,
        only=True,
    ),
)

CORPUS: tuple[Case, ...] = (
    Case("text budget", lambda: revenue(_row(c="n/a")), (("Revenue!C2", "Budget must be a number"),)),
    Case("missing forecast", lambda: revenue(_row(d=None)), (("Revenue!D2", "Forecast outturn is required"),)),
    Case("missing directorate", lambda: revenue(_row(a=None)), (("Revenue!A2", "Directorate is required"),)),
    Case("variance wrong", lambda: revenue(_row(e=999)), (("Revenue!E2", "Variance must equal"),)),
    Case(
        "total does not reconcile",
        lambda: revenue(*REVENUE_ROWS, ["Total", None, 150_000, 148_300, 3_300]),
        (("Revenue!C6", "does not reconcile"),),
    ),
    Case(
        "duplicate line",
        lambda: revenue(REVENUE_ROWS[0], ["adults", "Older People", 1, 2, 1]),
        (("Revenue!A3", "duplicate line"),),
    ),
    Case("#REF! error", lambda: revenue(_row(d="#REF!")), (("Revenue!D2", "#REF!"),)),
    Case(
        "a #REF! among 10,000 lines (read on the fast path, the error laid back over calamine's blank)",
        lambda: patch_sheet(revenue(), _add_rows(_lines_with_one_error(10_000, 5_000))),
        (("Revenue!D5000", "the cell shows the error #REF!"),),
        only=True,
    ),
    Case(
        "an error cell written with single quotes (t='e': the exact measure finds it)",
        lambda: patch_sheet(
            revenue(),
            _add_rows(
                '<row r="9"><c r="A9" t="inlineStr"><is><t>Adults</t></is></c><c r="B9" t="inlineStr">'
                '<is><t>Extra</t></is></c><c r="C9"><v>10</v></c><c r="D9" t=\'e\'><v>#N/A</v></c>'
                '<c r="E9"><v>0</v></c></row>'
            ),
        ),
        (("Revenue!D9", "the cell shows the error #N/A"),),
        only=True,
    ),
    Case("#DIV/0! error", lambda: revenue(_row(c="#DIV/0!")), (("Revenue!C2", "#DIV/0!"),)),
    Case(
        "formula without a saved value",
        lambda: build({"Revenue": [REVENUE_HEADER, _row(e=None)]}, mutate=_formula_no_value),
        (("Revenue!E2", "formula with no saved value"),),
    ),
    Case(
        "RAG not in the list",
        lambda: build(_sheet_with("Savings", 1, 4, "Purple")),
        (("Savings!E2", "RAG must be one of"),),
    ),
    Case(
        "collected more than collectable",
        lambda: build(_sheet_with("Collection", 2, 2, 95_000)),
        (("Collection!C3", "must not exceed Collectable"),),
    ),
    Case(
        "unknown age band",
        lambda: build(
            {"Collection": COLLECTION, "Debt": [["Stream", "Age band", "Balance"], ["Council tax", "3-4 years", 5]]}
        ),
        (("Debt!B2", "Age band must be one of"),),
    ),
    Case(
        "unknown reserve type",
        lambda: build(_sheet_with("Reserves", 1, 1, "Rainy day")),
        (("Reserves!B2", "Type must be one of"),),
    ),
    Case(
        "DSG cumulative wrong",
        lambda: build(_sheet_with("DSG", 1, 2, 30_000)),
        (("DSG!C2", "Cumulative deficit must equal"),),
    ),
    Case(
        "reserve closing wrong",
        lambda: build(_sheet_with("Reserves", 2, 4, 9_000)),
        (("Reserves!E3", "closing balance must equal"),),
    ),
    Case("period P13", lambda: revenue(fields=with_fields(period="P13")), (("Instructions!B4", "Period must be"),)),
    Case(
        "bad Period column",
        lambda: revenue([*REVENUE_ROWS[0], "Q3"], header=[*REVENUE_HEADER, "Period"]),
        (("Revenue!F2", "Period must be"),),
    ),
    Case("bad year", lambda: revenue(fields=with_fields(year="2025-27")), (("Instructions!B3", "Financial year"),)),
    Case("bad units", lambda: revenue(fields=with_fields(units="dollars")), (("Instructions!B5", "Units must be"),)),
    Case(
        "units not stated", lambda: revenue(fields=with_fields(units=None)), (("Revenue!1:1", "Units are not stated"),)
    ),
    Case(
        "unknown authority",
        lambda: revenue(fields=with_fields(authority="E08000999")),
        (("Instructions!B2", "not a known authority"),),
    ),
    Case(
        "authority not stated",
        lambda: revenue(fields=with_fields(authority=None)),
        (("monitoring.xlsx", "Authority is not stated"),),
    ),
    Case(
        "year not stated",
        lambda: revenue(fields=with_fields(year=None)),
        (("monitoring.xlsx", "Financial year is not stated"),),
    ),
    Case(
        "period not stated",
        lambda: revenue(fields=with_fields(period=None)),
        (("Revenue!2:2", "Period is not stated"),),
    ),
    Case(
        "header lacks a column",
        lambda: revenue(header=["Directorate", "Service", "Budget", "Spend", "Variance"]),
        (("Revenue!1:1", "Forecast outturn"),),
    ),
    Case("no header row", lambda: build({"Revenue": [["a", "b"], [1, 2]]}), (("Revenue!A1", "no header row"),)),
    Case("no monitoring sheet", lambda: build({"Notes": [["hello"]]}), (("monitoring.xlsx", "no monitoring sheet"),)),
    Case(
        "ambiguous budget columns",
        lambda: build({"Revenue": [["Directorate", "Net budget", "Revised budget", "Forecast"], ["Adults", 1, 1, 2]]}),
        (("Revenue!C1", "could all be 'Budget'"),),
    ),
    Case(
        "example row left in",
        lambda: revenue(REVENUE_ROWS[0], ["Example: Adults", None, 1, 1, 0]),
        (("Revenue!A3", "example row"),),
    ),
    Case("TRUE as a number", lambda: revenue(_row(c=True)), (("Revenue!C2", "TRUE/FALSE"),)),
    Case("date as a number", lambda: revenue(_row(d=date(2025, 9, 30))), (("Revenue!D2", "holds a date"),)),
    Case("text too long", lambda: revenue(_row(b="x" * 300)), (("Revenue!B2", "longer than 200"),)),
    Case("bad thousands grouping", lambda: revenue(_row(c="1,23")), (("Revenue!C2", "must be a number"),)),
    Case("absurdly large", lambda: revenue(_row(c=1e20, d=1e20, e=0)), (("Revenue!C2", "too large"),)),
    Case(
        "two years in a Year column",
        lambda: revenue(
            [*REVENUE_ROWS[0], "2025-26"],
            [*REVENUE_ROWS[1], "2024-25"],
            header=[*REVENUE_HEADER, "Year"],
            fields=with_fields(year=None),
        ),
        (("monitoring.xlsx", "one financial year"),),
    ),
    Case(
        "two Revenue sheets",
        lambda: build({"Revenue": [REVENUE_HEADER, _row()], "Revenue monitoring": [REVENUE_HEADER, _row()]}),
        (("Revenue monitoring!A1", "a second Revenue sheet"),),
    ),
    Case(
        "two DSG rows for one period",
        lambda: build({"DSG": [DSG[0], DSG[1], DSG[1]]}),
        (("DSG!3:3", "duplicate line"),),
    ),
    Case(
        "only a hidden sheet",
        lambda: build({"Revenue": [REVENUE_HEADER, _row()]}, mutate=_hide_revenue_and_break_it),
        (("Revenue", "is hidden"),),
        only=True,
    ),
    # files refused before parsing
    Case("not a spreadsheet", lambda: b"Directorate,Budget\nAdults,100\n", (("monitoring.xlsx", "not an Excel"),)),
    Case("csv extension", lambda: b"Directorate,Budget\n", (("monitoring.csv", ".csv file"),), "monitoring.csv"),
    Case("macro-enabled extension", lambda: build(), (("monitoring.xlsm", "macro-enabled"),), "monitoring.xlsm"),
    Case(
        "VBA project inside",
        lambda: _replace_member(build(), "xl/vbaProject.bin", b"\0" * 64),
        (("monitoring.xlsx", "macros"),),
    ),
    Case("password-protected", _encrypted, (("monitoring.xlsx", "password-protected"),)),
    Case("legacy .xls", lambda: bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 1024, (("monitoring.xlsx", "old-format"),)),
    Case("corrupt zip", _truncated, (("monitoring.xlsx", "corrupt"),)),
    Case(
        "zip but not a workbook", lambda: zip_of({"hello.txt": b"hi"}), (("monitoring.xlsx", "not an Excel workbook"),)
    ),
    Case("empty file", lambda: b"", (("monitoring.xlsx", "is empty"),)),
    Case(
        "over the size limit",
        build,
        (("monitoring.xlsx", "the largest file accepted is"),),
        limits=Limits(max_bytes=2_000),
    ),
    Case("zip bomb (ratio)", _bomb, (("monitoring.xlsx", "zip bomb"),)),
    Case(
        "zip bomb (total size)",
        build,
        (("monitoring.xlsx", "expands to"),),
        limits=Limits(max_uncompressed_bytes=5_000),
    ),
    # the approved MTFS sheet (issue 10)
    Case(
        "MTFS years not consecutive",
        lambda: mtfs(MTFS_ROWS[0], _mtfs_row(1, a="2028-29"), _mtfs_row(2, a="2029-30")),
        (("MTFS!A3", "Years must be consecutive"),),
    ),
    Case(
        "MTFS year repeated",
        lambda: mtfs(MTFS_ROWS[0], MTFS_ROWS[1], _mtfs_row(2, a="2027-28")),
        (("MTFS!A4", "Years must be consecutive"),),
    ),
    Case(
        "MTFS gap arithmetic wrong",
        lambda: mtfs(_mtfs_row(0, f=9_000), MTFS_ROWS[1], MTFS_ROWS[2]),
        (("MTFS!F2", "Gap after savings must equal gap before savings − savings identified"),),
    ),
    Case(
        "MTFS text in a number",
        lambda: mtfs(MTFS_ROWS[0], _mtfs_row(1, d="tbc"), MTFS_ROWS[2]),
        (("MTFS!D3", "Gap before savings must be a number"),),
    ),
    Case(
        "MTFS negative funding",
        lambda: mtfs(MTFS_ROWS[0], MTFS_ROWS[1], _mtfs_row(2, c="(265,800)")),
        (("MTFS!C4", "Funding must not be negative"),),
    ),
    Case(
        "MTFS negative budget requirement",
        lambda: mtfs(_mtfs_row(0, b=-290_000), MTFS_ROWS[1], MTFS_ROWS[2]),
        (("MTFS!B2", "Net budget requirement must not be negative"),),
    ),
    Case(
        "MTFS year not after the base year",
        lambda: mtfs(*MTFS_ROWS, fields=with_fields(year="2026-27")),
        (("MTFS!A2", "must come after the base year 2026-27"),),
    ),
    Case(
        "MTFS year not a year",
        lambda: mtfs(_mtfs_row(0, a="2026/28"), MTFS_ROWS[1], MTFS_ROWS[2]),
        (("MTFS!A2", "Year must be a financial year"),),
    ),
    Case("MTFS of two years", lambda: mtfs(*MTFS_ROWS[:2]), (("MTFS!A3", "an MTFS must cover 3 to 5 years"),)),
    Case(
        "MTFS gap missing",
        lambda: mtfs(_mtfs_row(0, d=None, e=None, f=None), MTFS_ROWS[1], MTFS_ROWS[2]),
        (("MTFS!D2", "Gap before savings is required"),),
    ),
    Case(
        "MTFS date approved not a date",
        lambda: mtfs(fields=with_fields(approved="next Tuesday")),
        (("Instructions!B6", "Date approved must be a date"),),
    ),
    # several defects at once: every one is reported
    Case(
        "combined: cells in three sheets",
        lambda: build(_sheet_with("Savings", 1, 4, "Purple") | {"Revenue": [REVENUE_HEADER, _row(c="n/a"), _row()]}),
        (("Revenue!C2", "must be a number"), ("Revenue!A3", "duplicate line"), ("Savings!E2", "RAG must be one of")),
    ),
    Case(
        "combined: unknown authority and a bad cell",
        lambda: revenue(_row(d="tbc"), fields=with_fields(authority="Atlantis")),
        (("Instructions!B2", "not a known authority"), ("Revenue!D2", "must be a number")),
    ),
    Case(
        "combined: bad year, bad units, bad total",
        lambda: revenue(*REVENUE_ROWS, ["Total", None, 1, 2, 1], fields=with_fields(year="26/27", units="€")),
        (("Instructions!B3", "Financial year"), ("Instructions!B5", "Units must be")),
    ),
    Case(
        "combined: MTFS text in a number and a bad revenue cell",
        lambda: build({"Revenue": [REVENUE_HEADER, _row(c="n/a")], "MTFS": [MTFS_HEADER, _mtfs_row(0, b="lots")]}),
        (("Revenue!C2", "must be a number"), ("MTFS!B2", "Net budget requirement must be a number")),
    ),
    *BAD_INPUT,
    *HOSTILE,
)


_WORKER_STORE: list[Store] = []


def attempt(case_name: str) -> tuple[list[tuple[str, str]], str, bool]:
    """Load one corpus case into a database that holds a baseline upload (run in a limited worker process):
    the (where, message) of each problem, the refusal's text, and whether the database stayed unchanged.
    Raises AssertionError if the case loaded."""
    from finance.errors import InputError
    from finance.upload import load_upload

    if not _WORKER_STORE:
        store = Store.open(":memory:")
        add_authority(store)
        load_upload(store, build(), "baseline.xlsx", isolated=False)
        _WORKER_STORE.append(store)
    store = _WORKER_STORE[0]
    case = next(c for c in CORPUS if c.name == case_name)
    before = store.dump()
    try:
        load_upload(store, case.make(), case.file_name, limits=case.limits, isolated=case.isolated)
    except InputError as err:
        return [(p.where, p.message) for p in err.problems], str(err), store.dump() == before
    raise AssertionError(f"{case_name} was loaded")
