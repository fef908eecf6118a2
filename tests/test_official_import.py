"""import_paths into a real store: published figures, classes, keys, idempotence, atomicity, re-keying."""

from __future__ import annotations

import csv
import re
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import finance.official.importer as importer
from finance.errors import InputError
from finance.official import import_paths
from finance.store import Store, Tx

SEFTON = "E08000014"
BIRMINGHAM = "E08000025"
OLD_2010 = "Revenue_Outturn_Summary__RS__data_2010-11_by_LA_-_27-Nov-2012-v2.xls"
RS_2015 = "RS_2015-16_data_by_LA_-_Revision.xlsx"
RS_2016 = "RS_2016-17_data_by_LA.xlsx"
RS_2023 = "RS_2023-24_data_by_LA.ods"
RA_2021 = "RA_2021-22_data_by_LA.csv"


@pytest.fixture(scope="module")
def full(official_source_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, list[Any]]]:
    """Every shared file imported once (as a folder), shared by the read-only checks below."""
    store = Store.open(str(tmp_path_factory.mktemp("official") / "full.duckdb"))
    try:
        yield store, import_paths(store, [official_source_dir])
    finally:
        store.close()


def gbp(store: Store, code: str, year: str, measure: str, point: str, basis: str = "outturn") -> Any:
    return store.scalar(
        "SELECT value_gbp FROM official_value WHERE code = ? AND financial_year = ? AND basis = ? "
        "AND measure = ? AND point = ?",
        [code, year, basis, measure, point],
    )


def test_every_file_imports(full: tuple[Store, list[Any]]) -> None:
    store, reports = full
    assert len(reports) == 10
    assert {r.status for r in reports} == {"imported"}
    assert [r.financial_year for r in reports] == sorted((r.financial_year for r in reports), reverse=True)
    for r in reports:
        assert (
            store.scalar(
                "SELECT count(*) FROM official_value WHERE financial_year = ? AND basis = ?",
                [r.financial_year, r.basis],
            )
            == r.rows
        )
        assert (
            store.scalar(
                "SELECT count(*) FROM official_return WHERE financial_year = ? AND basis = ?",
                [r.financial_year, r.basis],
            )
            == r.authorities
        )
    assert store.scalar("SELECT count(*) FROM source_file WHERE kind = 'official'") == 10


def test_sefton_published_figures(full: tuple[Store, list[Any]]) -> None:
    store, _ = full
    assert gbp(store, SEFTON, "2023-24", "unallocated_reserves", "opening") == Decimal("11991000")
    assert gbp(store, SEFTON, "2023-24", "earmarked_reserves", "opening") == Decimal("51398000")
    assert gbp(store, SEFTON, "2023-24", "net_revenue_expenditure", "year") == Decimal("299666000")
    assert gbp(store, SEFTON, "2023-24", "council_tax_requirement", "year") == Decimal("160236000")
    usable_apr_2015 = gbp(store, SEFTON, "2015-16", "unallocated_reserves", "opening") + gbp(
        store, SEFTON, "2015-16", "earmarked_reserves", "opening"
    )
    usable_mar_2018 = gbp(store, SEFTON, "2017-18", "unallocated_reserves", "closing") + gbp(
        store, SEFTON, "2017-18", "earmarked_reserves", "closing"
    )
    assert usable_apr_2015 == Decimal("52671000")
    assert usable_mar_2018 == Decimal("34352000")


def test_sefton_has_values_in_every_imported_year_under_its_ons_code(full: tuple[Store, list[Any]]) -> None:
    store, reports = full
    years = {y for (y,) in store.query("SELECT DISTINCT financial_year FROM official_value WHERE code = ?", [SEFTON])}
    assert years == {r.financial_year for r in reports}
    assert store.scalar("SELECT count(*) FROM official_value WHERE code = 'E4304'") == 0
    assert store.query_one("SELECT ecode, name, class, is_illustrative FROM authority WHERE code = ?", [SEFTON]) == (
        "E4304",
        "Sefton",
        "MD",
        False,
    )


def test_birmingham_2023_24_is_null_with_the_published_text(full: tuple[Store, list[Any]]) -> None:
    store, _ = full
    rows = store.query(
        "SELECT value_gbp, published_text FROM official_value WHERE code = ? AND financial_year = '2023-24'",
        [BIRMINGHAM],
    )
    assert len(rows) >= 10
    assert set(rows) == {(None, "[x]")}
    assert (
        store.scalar(
            "SELECT count(*) FROM official_value WHERE code = ? AND financial_year = '2023-24' AND value_gbp = 0",
            [BIRMINGHAM],
        )
        == 0
    )
    # …while earlier years hold real figures
    assert gbp(store, BIRMINGHAM, "2017-18", "net_revenue_expenditure", "year") > 0


def test_exactly_the_36_metropolitan_districts_every_year(full: tuple[Store, list[Any]], shared_raw: Path) -> None:
    store, reports = full
    with (shared_raw / "la_classes" / "metropolitan_districts.csv").open(encoding="utf-8") as f:
        mds = {row["ons_code"] for row in csv.DictReader(f)}
    assert len(mds) == 36
    for r in reports:
        got = {
            c
            for (c,) in store.query(
                "SELECT code FROM official_return WHERE financial_year = ? AND basis = ? AND class = 'MD'",
                [r.financial_year, r.basis],
            )
        }
        assert got == mds, r.financial_year


def test_2023_24_classes_agree_with_the_shared_class_list(full: tuple[Store, list[Any]], shared_raw: Path) -> None:
    store, _ = full
    with (shared_raw / "la_classes" / "english_la_classes_2023-24.csv").open(encoding="utf-8") as f:
        expected = {(row["ons_code"] or row["ecode"]): row["class"] for row in csv.DictReader(f)}
    got = dict(store.query("SELECT code, class FROM official_return WHERE financial_year = '2023-24'"))
    assert got == expected


def test_authorities_take_name_and_class_from_their_newest_year(full: tuple[Store, list[Any]]) -> None:
    store, _ = full
    mismatched = store.query(
        """SELECT a.code FROM authority a
           JOIN (SELECT code, arg_max(name_published, financial_year) AS name, arg_max(class, financial_year) AS cls
                 FROM official_return GROUP BY code) r USING (code)
           WHERE a.name <> r.name OR a.class <> r.cls"""
    )
    assert mismatched == []
    assert store.scalar("SELECT count(*) FROM authority") == store.scalar(
        "SELECT count(DISTINCT code) FROM official_return"
    )


def _long_extract(shared_raw: Path) -> dict[tuple[str, str, str, str], tuple[str, str]]:
    """(year, key, measure, point) → (£000 as printed, raw text) from the shared long extract.

    The key is the ONS code the return itself publishes (2014-15 on), else, for 2010-14, the ONS code of the
    same E-code in the newest year that publishes one (Headroom's rule, applied here to the extract's own
    columns), else the E-code."""
    measures = {
        "res_unallocated": "unallocated_reserves",
        "res_other_earmarked": "earmarked_reserves",
        "res_other_earmarked_adjusted": "earmarked_reserves_adjusted",
        "res_public_health": "public_health_reserves",
        "res_schools": "schools_reserves",
        "res_dsg": "dsg_reserves",
        "res_dsg_adjustment_account": "dsg_adjustment_account",
    }
    ons = re.compile(r"^E\d{8}$")
    with (shared_raw / "la_reserves_mhclg" / "la_reserves_long.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if not r["measure"].startswith("approp_")]
    newest: dict[str, tuple[str, str]] = {}
    for row in rows:
        if row["financial_year"] >= "2014-15" and ons.match(row["ons_code"]):
            seen = newest.get(row["ecode"])
            if seen is None or row["financial_year"] > seen[0]:
                newest[row["ecode"]] = (row["financial_year"], row["ons_code"])
    out: dict[tuple[str, str, str, str], tuple[str, str]] = {}
    for row in rows:
        m = row["measure"]
        if m.endswith(("_start", "_end")):
            stem, _, when = m.rpartition("_")
            key = (measures[stem], "opening" if when == "start" else "closing")
        else:
            key = (m, "year")
        if row["financial_year"] >= "2014-15":
            code = row["ons_code"] if ons.match(row["ons_code"]) else row["ecode"]
        else:
            code = newest.get(row["ecode"], ("", row["ecode"]))[1]
        out[(row["financial_year"], code, *key)] = (row["value_gbp_thousands"], row["raw_value"])
    return out


def test_every_value_matches_the_independent_shared_extract(full: tuple[Store, list[Any]], shared_raw: Path) -> None:
    """The shared la_reserves_long.csv was built by a different program (pandas/odfpy/xlrd): read, never copied."""
    store, _ = full
    expected = _long_extract(shared_raw)
    got = {
        (y, c, m, p): (v, t)
        for y, c, m, p, v, t in store.query(
            # the extract has none of the financing-cost lines (RS 773, 776, 781, 783, 786): those are checked
            # against the workbooks themselves in test_indicators_official and test_financing_costs_official
            """SELECT financial_year, code, measure, point, value_gbp, published_text FROM official_value
               WHERE measure NOT IN ('interest_payable', 'minimum_revenue_provision', 'leasing_payments',
                                     'hra_item8_interest', 'interest_investment_income')"""
        )
    }
    assert set(got) == set(expected)
    for key, (thousands, raw) in expected.items():
        value_gbp, text = got[key]
        if thousands:
            # the extract prints £000 to 4 decimal places; Headroom keeps pennies
            assert abs(value_gbp - Decimal(thousands) * 1000) <= Decimal("0.05"), key
            assert text is None
        else:
            assert value_gbp is None, key
            if raw:
                assert text == raw, key


# -- behaviour of the writer on small batches (fresh store per test) --------------------------------------------


def test_importing_twice_changes_nothing(store: Store, official_source_dir: Path) -> None:
    paths = [official_source_dir / RS_2023, official_source_dir / OLD_2010]
    first = import_paths(store, paths)
    before = store.dump()
    again = import_paths(store, paths)
    assert [r.status for r in first] == ["imported", "imported"]
    assert [r.status for r in again] == ["unchanged", "unchanged"]
    assert store.dump() == before


@pytest.mark.parametrize("batch", [[RS_2015], [RA_2021, RS_2015, RS_2016]])
@pytest.mark.parametrize("failing_step", ["insert_values", "upsert_authorities", "rekey"])
def test_a_failure_half_way_leaves_the_database_as_it_was(
    store: Store, official_source_dir: Path, monkeypatch: pytest.MonkeyPatch, failing_step: str, batch: list[str]
) -> None:
    import_paths(store, [official_source_dir / OLD_2010])  # stored under bare E-codes
    before = store.dump()
    real = getattr(importer, failing_step)

    def explode(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)  # do the inserts/updates, then fail
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer, failing_step, explode)
    with pytest.raises(RuntimeError, match="disk full"):
        import_paths(store, [official_source_dir / name for name in batch])
    assert store.dump() == before  # one import, one transaction: no file of the batch is left behind


def test_an_import_takes_the_same_statements_however_many_files_it_holds(
    official_source_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a DuckLake store every statement costs catalog round trips (issue 9): a batch is planned in Python and
    written with a fixed set of statements, in one transaction with one audit row."""
    calls: list[str] = []
    for name in ("execute", "query", "insert_df"):
        real = getattr(Tx, name)

        def counted(self: Tx, *args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            calls.append(_name)
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(Tx, name, counted)
    counts = []
    for i, batch in enumerate([[RS_2023], [RS_2023, RS_2016, RA_2021, OLD_2010]]):
        store = Store.open(str(tmp_path / f"{i}.duckdb"))
        try:
            calls.clear()
            reports = import_paths(store, [official_source_dir / name for name in batch])
            assert {r.status for r in reports} == {"imported"}
            counts.append(len(calls))
            assert store.scalar("SELECT count(*) FROM audit_log") == 1
        finally:
            store.close()
    assert counts[0] == counts[1] <= 15, counts


def _ra_and_a_revision(official_source_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The RA 2021-22 file and a copy with different bytes (the same figures), as a revised release would be."""
    original = official_source_dir / RA_2021
    revised = tmp_path / "RA_2021-22_data_by_LA_revised.csv"
    revised.write_bytes(original.read_bytes() + b"\n")
    return original, revised


def _only_source_is(store: Store, file_name: str) -> None:
    new_id = store.scalar("SELECT source_id FROM source_file WHERE file_name = ?", [file_name])
    assert {s for (s,) in store.query("SELECT DISTINCT source_id FROM official_value")} == {new_id}


def test_a_different_file_for_the_same_year_replaces_it(
    store: Store, official_source_dir: Path, tmp_path: Path
) -> None:
    original, revised = _ra_and_a_revision(official_source_dir, tmp_path)
    [first] = import_paths(store, [original])
    [second] = import_paths(store, [revised])
    assert (first.status, second.status) == ("imported", "replaced")
    assert store.scalar("SELECT count(*) FROM source_file") == 2  # the old one stays as history
    _only_source_is(store, revised.name)
    assert store.scalar("SELECT count(*) FROM official_value") == second.rows
    # going back to the first copy makes it current again (its source row is reused, not duplicated)
    [back] = import_paths(store, [original])
    assert back.status == "replaced"
    assert store.scalar("SELECT count(*) FROM source_file") == 2
    assert store.scalar("SELECT count(*) FROM official_value") == first.rows


def test_two_files_for_one_year_in_one_batch_end_as_the_later_one(
    store: Store, official_source_dir: Path, tmp_path: Path
) -> None:
    original, revised = _ra_and_a_revision(official_source_dir, tmp_path)
    first, second = import_paths(store, [original, revised])
    assert (first.status, second.status) == ("imported", "replaced")  # as if imported one after the other
    _only_source_is(store, revised.name)
    assert store.scalar("SELECT count(*) FROM official_value") == second.rows
    assert store.scalar("SELECT count(*) FROM source_file") == 2


def test_2010_11_alone_uses_e_codes_then_is_re_keyed_by_a_later_import(store: Store, official_source_dir: Path) -> None:
    [r10] = import_paths(store, [official_source_dir / OLD_2010])
    assert store.scalar("SELECT count(*) FROM authority WHERE length(code) = 9") == 0
    assert store.query_one("SELECT code, ecode, name FROM authority WHERE code = 'E4304'") == (
        "E4304",
        "E4304",
        "Sefton",
    )
    assert store.scalar("SELECT count(*) FROM official_value WHERE code = 'E4304'") > 0

    import_paths(store, [official_source_dir / RS_2015])
    for table in ("official_value", "official_return", "authority"):
        assert store.scalar(f"SELECT count(*) FROM {table} WHERE code = 'E4304'") == 0, table
    assert gbp(store, SEFTON, "2010-11", "unallocated_reserves", "opening") is not None
    assert store.scalar("SELECT count(*) FROM official_value WHERE financial_year = '2010-11'") == r10.rows
    assert store.query_one("SELECT ecode, name FROM authority WHERE code = ?", [SEFTON]) == ("E4304", "Sefton")
    assert store.scalar("SELECT count(*) FROM authority") == store.scalar(
        "SELECT count(DISTINCT code) FROM official_return"
    )


def test_old_file_after_a_newer_one_is_keyed_by_ons_code_from_the_database(
    store: Store, official_source_dir: Path
) -> None:
    import_paths(store, [official_source_dir / RS_2015])
    import_paths(store, [official_source_dir / OLD_2010])
    assert gbp(store, SEFTON, "2010-11", "net_revenue_expenditure", "year") is not None
    # name and class still come from the newest year
    assert store.query_one("SELECT name FROM authority WHERE code = ?", [SEFTON]) == ("Sefton",)


def test_one_batch_learns_ons_codes_from_its_newer_files(store: Store, official_source_dir: Path) -> None:
    reports = import_paths(store, [official_source_dir / OLD_2010, official_source_dir / RS_2016])
    assert [r.financial_year for r in reports] == ["2016-17", "2010-11"]
    assert (
        store.scalar("SELECT count(*) FROM official_return WHERE financial_year = '2010-11' AND length(code) = 5") < 50
    )
    assert gbp(store, SEFTON, "2010-11", "unallocated_reserves", "closing") is not None


def test_import_order_does_not_change_the_authorities(official_source_dir: Path, tmp_path: Path) -> None:
    files = [official_source_dir / n for n in (OLD_2010, RS_2015, RS_2023)]
    one = Store.open(str(tmp_path / "one.duckdb"))
    two = Store.open(str(tmp_path / "two.duckdb"))
    try:
        import_paths(one, files)
        for path in files:  # oldest first, one at a time
            import_paths(two, [path])
        sql = "SELECT code, ecode, name, class FROM authority ORDER BY code"
        assert one.query(sql) == two.query(sql)
        sql = "SELECT * EXCLUDE (source_id) FROM official_value ORDER BY ALL"
        assert one.query(sql) == two.query(sql)
    finally:
        one.close()
        two.close()


def test_a_bad_file_named_explicitly_refuses_the_whole_batch(
    store: Store, official_source_dir: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "RS_2022-23_data_by_LA.xlsx"
    bad.write_bytes(b"not a workbook")
    before = store.dump()
    with pytest.raises(InputError) as info:
        import_paths(store, [official_source_dir / RS_2023, bad])
    assert bad.name in str(info.value)
    assert store.dump() == before


def test_folders_skip_what_is_not_a_return(store: Store, official_source_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    (folder / "sub").mkdir(parents=True)
    shutil.copyfile(official_source_dir / RS_2023, folder / RS_2023)
    (folder / "notes.txt").write_text("hello")
    (folder / "broken.xlsx").write_bytes(b"junk")
    reports = {r.file_name: r for r in import_paths(store, [folder])}
    assert reports[RS_2023].status == "imported"
    assert reports["notes.txt"].status == "skipped"
    assert reports["broken.xlsx"].status == "skipped" and reports["broken.xlsx"].note
    assert set(reports) == {RS_2023, "notes.txt", "broken.xlsx"}


def test_a_path_that_does_not_exist(store: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        import_paths(store, [tmp_path / "missing"])
