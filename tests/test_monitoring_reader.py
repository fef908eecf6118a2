"""The reader's finer points: both value readers agree, stated dimensions are not trusted, keys keep digits,
subtotals, formulas without saved values in required cells, and the configurable size limit."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from finance.errors import InputError
from finance.monitoring import monitoring_lines
from finance.store import Store
from finance.upload import Limits, load_upload
from finance.workbook import scan_worksheets
from tests.monitoring_corpus import AUTHORITY, REVENUE_HEADER, add_authority, build, revenue, with_cached_values


@pytest.fixture
def db(store: Store) -> Store:
    add_authority(store)
    return store


def _rewrite(data: bytes, fn: object) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                content = fn(content)  # type: ignore[operator]
            dst.writestr(info, content)
    return out.getvalue()


def _lines(store: Store) -> dict[str, list[tuple[object, ...]]]:
    return {
        sheet: [
            tuple(None if v != v else v for v in r)  # NaN (missing) compared as None
            for r in frame.drop(columns=["upload_id"]).astype(object).itertuples(index=False)
        ]
        for sheet, frame in monitoring_lines(store, AUTHORITY, "2025-26", 6).items()
    }


def test_calamine_and_openpyxl_paths_store_the_same_lines(db: Store, tmp_path: object) -> None:
    plain = build()
    assert scan_worksheets(plain) == (False, False)  # read with calamine
    with_error = build(mutate=lambda wb: wb.create_sheet("Notes").append(["#N/A"]))
    assert scan_worksheets(with_error) == (False, True)  # an error cell anywhere: read with openpyxl
    load_upload(db, plain, "plain.xlsx")
    via_calamine = _lines(db)
    second = Store.open(str(db.path) + ".second.duckdb")
    try:
        add_authority(second)
        load_upload(second, with_error, "with-error.xlsx")
        assert _lines(second) == via_calamine
    finally:
        second.close()


def test_a_wrong_stated_dimension_does_not_cut_columns_off(db: Store) -> None:
    data = _rewrite(build(), lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', xml))
    result = load_upload(db, data, "dimension.xlsx")
    assert result.line_counts["Revenue"] == 4
    assert monitoring_lines(db, AUTHORITY, "2025-26")["Revenue"]["forecast_gbp"].notna().all()


def test_duplicate_keys_keep_digits(db: Store) -> None:
    rows = [["Ward 1901", "Cost centre 2024", 1, 1, 0], ["Ward 1902", "Cost centre 2024", 1, 1, 0]]
    assert load_upload(db, revenue(*rows), "wards.xlsx").line_counts == {"Revenue": 2}


def test_subtotals_and_grand_total_reconcile_and_are_not_loaded(db: Store) -> None:
    rows = [
        ["Adults", "Older people", 100, 110, 10],
        ["Adults", "Mental health", 50, 45, -5],
        ["Adults total", None, 150, 155, 5],
        ["Children's", None, 80, 90, 10],
        ["Children's subtotal", None, 80, 90, 10],
        ["Grand total", None, 230, 245, 15],
    ]
    result = load_upload(db, revenue(*rows), "subtotals.xlsx")
    assert result.line_counts == {"Revenue": 3}
    bad = [*rows[:2], ["Adults total", None, 151.6, 155, 5]]
    with pytest.raises(InputError) as caught:
        load_upload(db, revenue(*bad), "bad-subtotal.xlsx")
    assert [p.where for p in caught.value.problems] == ["Revenue!C4"]


def test_total_tolerance_is_half_a_unit_per_line(db: Store) -> None:
    rows = [["A", None, 10, 10, 0], ["B", None, 20, 20, 0], ["Total", None, 31.4, 30, 0]]  # 3 × 0.5 = 1.5 allowed
    assert load_upload(db, revenue(*rows), "rounded.xlsx").status == "loaded"


def test_formula_without_saved_value_in_a_required_cell_is_named(db: Store) -> None:
    def mutate(wb: object) -> None:
        wb["Revenue"]["C2"] = "=1+1"  # type: ignore[index]
        wb["Revenue"]["D3"] = "=2+2"  # type: ignore[index]

    data = build({"Revenue": [REVENUE_HEADER, ["Adults", None, None, 5, None], ["Place", None, 3, None, None]]},
                 mutate=mutate)  # fmt: skip
    data = with_cached_values(data, "xl/worksheets/sheet2.xml", {"D3": 4})
    with pytest.raises(InputError) as caught:
        load_upload(db, data, "formulas.xlsx")
    assert [(p.where, "no saved value" in p.message) for p in caught.value.problems] == [("Revenue!C2", True)]


def test_size_limit_from_the_environment(monkeypatch: pytest.MonkeyPatch, db: Store) -> None:
    monkeypatch.setenv("HEADROOM_UPLOAD_MAX_MB", "0.001")
    with pytest.raises(InputError) as caught:
        load_upload(db, build(), "big.xlsx")
    assert "largest file accepted is 1 KB" in caught.value.problems[0].message
    monkeypatch.setenv("HEADROOM_UPLOAD_MAX_MB", "lots")
    with pytest.raises(InputError) as caught:
        Limits.from_env()
    assert caught.value.problems[0].where == "HEADROOM_UPLOAD_MAX_MB"
