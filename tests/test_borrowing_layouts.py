"""Borrowing and investment sheets of any edition: quarterly and investment sheets, instrument columns added,
removed and reordered, and the .ods format — on workbooks built here from the held 2019-20 edition's own sheets.

Expected figures come from the held workbook's cells (read here with python-calamine) and from the shared tidy
extract (la_borrowing_investment_long.csv, made by another program), never from Headroom's output.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pandas as pd
import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from finance.errors import InputError
from finance.indicators import import_borrowing
from finance.store import Store

pytestmark = pytest.mark.official

FILE = "la_borrowing_investment_mhclg/source/Borrowing_and_Investment_Live_Table_Q4_2019_20.xlsx"
EXTRACT = "la_borrowing_investment_mhclg/la_borrowing_investment_long.csv"
BORROWING_Q3, INVESTMENTS_Q3 = "LA Borrowing 19-20 Q3", "LA Investments 19-20 Q3"
SAMPLE = ("E4304", "E4203", "E0101", "E5030")  # Sefton, Manchester, Bath & NE Somerset, Camden
Rows = list[list[Any]]


def _held(shared_raw: Path, sheet: str) -> Rows:
    return CalamineWorkbook.from_path(str(shared_raw / FILE)).get_sheet_by_name(sheet).to_python()


def _header(rows: Rows) -> int:
    return next(i for i, r in enumerate(rows) if str(r[0]).strip() == "LGF code")


def _instrument_cols(rows: Rows) -> list[int]:
    """The instrument columns of the held sheet: every labelled column after the name (and blank) columns."""
    h = _header(rows)
    return [j for j, c in enumerate(rows[h]) if j >= 2 and str(c).strip()]


def _by_code(rows: Rows) -> dict[str, list[Any]]:
    return {str(r[0]).strip(): r for r in rows[_header(rows) + 1 :] if str(r[0]).strip() in SAMPLE}


def _with_columns(rows: Rows, order: list[int], extra: tuple[str, Callable[[list[Any]], Any]] | None = None) -> Rows:
    """The sheet with its instrument columns in `order` (some may be left out), plus an `extra` column."""
    h = _header(rows)
    out = []
    for i, r in enumerate(rows):
        cells = [r[0], r[1], *(r[j] for j in order)]
        if extra is not None and i >= h:
            cells.append(extra[0] if i == h else extra[1](r))
        out.append(cells)
    return out


def _xlsx(path: Path, sheets: dict[str, Rows]) -> Path:
    wb = Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append([None if c == "" else c for c in r])
    wb.save(path)
    return path


def _ods(path: Path, sheets: dict[str, Rows]) -> Path:
    """A minimal OpenDocument spreadsheet, written by hand (no ODS writer is installed): mimetype first and
    stored, a manifest, and content.xml with one table per sheet."""

    def cell(value: Any) -> str:
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = f'office:value-type="float" office:value="{value}"'
            return f"<table:table-cell {number}><text:p>{value}</text:p></table:table-cell>"
        if value in ("", None):
            return "<table:table-cell/>"
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join(f"<table:table-row>{''.join(cell(c) for c in r)}</table:table-row>" for r in rows)
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def _values(store: Store, measure: str, period_end: str) -> dict[str, Decimal | None]:
    rows = store.query(
        "SELECT lgf_code, value_gbp FROM borrowing_value WHERE measure = ? AND period_end = CAST(? AS DATE)",
        [measure, period_end],
    )
    return {str(c): v for c, v in rows if c in SAMPLE}


def _sum_gbp(row: list[Any], cols: list[int]) -> Decimal:
    return sum((Decimal(str(row[j])) for j in cols), Decimal(0)) * 1000


def test_quarter_ends_and_investments_match_the_shared_extract(store: Store, shared_raw: Path) -> None:
    report = import_borrowing(store, shared_raw / FILE)
    extract = pd.read_csv(shared_raw / EXTRACT, dtype={"period_end": str})
    sample = extract[extract["lgf_code"].isin(SAMPLE)]
    assert set(sample["period_end"]) == set(report.period_ends)  # 7 year ends and 6 quarter ends
    for row in sample.itertuples():
        got = dict(
            store.query(
                "SELECT measure, value_gbp FROM borrowing_value WHERE lgf_code = ? AND period_end = CAST(? AS DATE)",
                [row.lgf_code, row.period_end],
            )
        )
        assert got == {
            "external_borrowing": Decimal(int(row.total_borrowing)) * 1000,
            "pwlb_borrowing": Decimal(int(row.pwlb_borrowing)) * 1000,
            "investments": Decimal(int(row.total_investments)) * 1000,
        }, row
    # each value: outturn as at its sheet's date, from the file by sha256
    label, year, file_name, sha, basis = store.query_one(
        """SELECT b.source_label, b.financial_year, s.file_name, s.sha256, s.basis
           FROM borrowing_value b JOIN source_file s USING (source_id)
           WHERE b.lgf_code = 'E4304' AND b.period_end = DATE '2019-12-31' AND b.measure = 'investments'"""
    ) or ("", "", "", "", "")
    assert label == "LA Investments 19-20 Q3: sum of the 13 investments instrument columns"
    assert (year, file_name, sha, basis) == ("2019-20", Path(FILE).name, report.sha256, "outturn")
    # the publisher gives E7028 to two bodies on the Q1 2019-20 sheets: which is which cannot be told, so missing
    value, text = store.query_one(
        """SELECT value_gbp, published_text FROM borrowing_value
           WHERE lgf_code = 'E7028' AND period_end = DATE '2019-06-30' AND measure = 'investments'"""
    ) or (0, "")
    assert value is None and text.startswith("the sheet lists this code 2 times ('Northamptonshire Police and Crime")


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_columns_added_removed_and_reordered_load(store: Store, shared_raw: Path, tmp_path: Path, fmt: str) -> None:
    borrowing, investments = _held(shared_raw, BORROWING_Q3), _held(shared_raw, INVESTMENTS_Q3)
    b_cols, i_cols = _instrument_cols(borrowing), _instrument_cols(investments)
    assert len(b_cols) == 21 and len(i_cols) == 13  # the held layout
    labels = [str(c).strip() for c in borrowing[_header(borrowing)]]
    dropped = next(j for j in b_cols if labels[j] == "Loans short term - Households sector")
    kept = [j for j in reversed(b_cols) if j != dropped]  # 20 instruments, in reverse order
    new_label = "Loans Longer-term - UK Infrastructure Bank"
    sheets = {
        BORROWING_Q3: _with_columns(borrowing, kept, (new_label, lambda r: 7.0)),
        INVESTMENTS_Q3: _with_columns(investments, list(reversed(i_cols))),
    }
    write = _ods if fmt == "ods" else _xlsx
    path = write(tmp_path / f"later_edition.{fmt}", sheets)
    report = import_borrowing(store, path)
    assert report.period_ends == ["2019-12-31"]
    held_b, held_i = _by_code(borrowing), _by_code(investments)
    assert _values(store, "external_borrowing", "2019-12-31") == {
        code: _sum_gbp(r, kept) + 7000 for code, r in held_b.items()
    }
    assert _values(store, "investments", "2019-12-31") == {code: _sum_gbp(r, i_cols) for code, r in held_i.items()}
    pwlb = next(j for j in b_cols if "PWLB" in labels[j])
    assert _values(store, "pwlb_borrowing", "2019-12-31") == {code: _sum_gbp(r, [pwlb]) for code, r in held_b.items()}
    assert store.scalar("SELECT sha256 FROM source_file WHERE source_id = ?", [report.source_id]) == report.sha256


def test_an_unpublished_instrument_makes_the_total_missing_not_a_smaller_sum(
    store: Store, shared_raw: Path, tmp_path: Path
) -> None:
    borrowing = _held(shared_raw, BORROWING_Q3)
    cols = _instrument_cols(borrowing)
    sefton = next(i for i, r in enumerate(borrowing) if str(r[0]).strip() == "E4304")
    borrowing[sefton][cols[0]] = "[x]"
    import_borrowing(store, _xlsx(tmp_path / "gap.xlsx", {BORROWING_Q3: borrowing}))
    value, text = store.query_one(
        """SELECT value_gbp, published_text FROM borrowing_value
           WHERE lgf_code = 'E4304' AND measure = 'external_borrowing'"""
    ) or (0, "")
    assert value is None and text == "Loans short term - Banks in UK: [x]"


@pytest.mark.parametrize(
    ("change", "where", "says"),
    [
        ("unknown column", f"{INVESTMENTS_Q3}!row 4", "'Crypto assets'"),
        ("no PWLB column", f"{BORROWING_Q3}!row 4", "one of them the PWLB"),
        ("no header", INVESTMENTS_Q3, "no header row starting 'LGF code'"),
        ("no date", f"{BORROWING_Q3}!A1", "no as-at date in the title"),
    ],
)
def test_an_unknown_layout_is_refused_naming_the_sheet_and_nothing_is_loaded(
    store: Store, shared_raw: Path, tmp_path: Path, change: str, where: str, says: str
) -> None:
    borrowing, investments = _held(shared_raw, BORROWING_Q3), _held(shared_raw, INVESTMENTS_Q3)
    b_cols, i_cols = _instrument_cols(borrowing), _instrument_cols(investments)
    if change == "unknown column":
        investments = _with_columns(investments, i_cols, ("Crypto assets", lambda r: 1.0))
    elif change == "no PWLB column":
        labels = [str(c) for c in borrowing[_header(borrowing)]]
        borrowing = _with_columns(borrowing, [j for j in b_cols if "PWLB" not in labels[j]])
    elif change == "no header":
        for r in investments:  # every header row (some sheets repeat it below the UK totals)
            r[0] = "Code" if str(r[0]).strip() == "LGF code" else r[0]
    else:
        borrowing[0][0] = "Outstanding borrowing by local authority and category"
    path = _xlsx(tmp_path / "bad.xlsx", {BORROWING_Q3: borrowing, INVESTMENTS_Q3: investments})
    before = store.dump()
    with pytest.raises(InputError) as err:
        import_borrowing(store, path)
    problem = next(p for p in err.value.problems if p.where == where)
    assert says in problem.message or says in str(problem.value)
    if change == "unknown column":
        assert "'Deposits'" in problem.message  # the headers it expected
    assert store.dump() == before
