"""One name per authority everywhere: the place name for its code, without the title some returns add
("Wigan MBC", "St Helens MBC" beside "Sefton"). Stored that way on import, brought into line by migration 205
for databases that already hold the old names, and shown that way by the CLI (codes kept)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest

from finance.cli import main
from finance.format import authority_name
from finance.store import Store
from tests.conftest import copy_database

ROOT = Path(__file__).resolve().parent.parent
MIGRATION = ROOT / "finance" / "sql" / "205_authority_names.sql"
TITLES = (" MBC", " Council", " CC", " UA", " BC", " DC")


@pytest.mark.parametrize(
    ("published", "shown"),
    [
        ("Wigan MBC", "Wigan"),
        ("St Helens MBC", "St Helens"),
        ("Sefton Metropolitan Borough Council", "Sefton"),
        ("Leeds City Council", "Leeds"),
        ("Kent CC", "Kent"),
        ("Bristol UA", "Bristol"),
        ("Sefton", "Sefton"),
        ("Greater London Authority", "Greater London Authority"),
        ("  Bury   MBC ", "Bury"),
        ("Council", "Council"),
    ],
)
def test_the_naming_rule(published: str, shown: str) -> None:
    assert authority_name(published) == shown


def _migrated(names: list[str], illustrative: bool = False) -> list[str]:
    """The names after migration 205's statement, run on an authority table holding `names`."""
    con = duckdb.connect()
    con.execute("CREATE TABLE authority (code VARCHAR, name VARCHAR, is_illustrative BOOLEAN)")
    con.executemany("INSERT INTO authority VALUES (?, ?, ?)", [[str(i), n, illustrative] for i, n in enumerate(names)])
    con.execute(MIGRATION.read_text(encoding="utf-8"))
    return [r[0] for r in con.execute("SELECT name FROM authority ORDER BY code::INTEGER").fetchall()]


def test_the_migration_renames_as_the_import_does(shared_raw: Path) -> None:
    with (shared_raw / "la_classes" / "english_la_classes_2023-24.csv").open(encoding="utf-8") as f:
        published = [" ".join(row["la_name"].split()) for row in csv.DictReader(f)]  # as the import cleans them
    names = [*published, "Sefton Metropolitan Borough Council", "Leeds City Council", "Tameside Council"]
    assert _migrated(names) == [authority_name(n) for n in names]
    assert _migrated(["Northbridge MBC"], illustrative=True) == ["Northbridge MBC"]  # the demo keeps its names


def test_a_database_holding_the_old_names_is_brought_into_line(demo_db: str, tmp_path: Path) -> None:
    path = copy_database(demo_db, tmp_path / "old.duckdb")
    con = duckdb.connect(path)  # as a database written before migration 205 left it
    con.execute(
        "INSERT INTO authority SELECT 'E08000010', 'E4210', 'Wigan MBC', 'MD', false, min(source_id) FROM source_file"
    )
    con.execute("DELETE FROM schema_migration WHERE name = '205_authority_names.sql'")
    con.close()
    store = Store.open(path)
    try:
        assert store.scalar("SELECT name FROM authority WHERE code = 'E08000010'") == "Wigan"
        assert store.scalar("SELECT name FROM authority WHERE code = 'DEMO01'") == "Northbridge (illustrative)"
    finally:
        store.close()


@pytest.mark.official
def test_imported_names_and_the_cli_display_names(official_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store.open(official_db, read_only=True)
    try:
        names = dict(store.query("SELECT code, name FROM authority WHERE NOT is_illustrative"))
    finally:
        store.close()
    assert (names["E08000010"], names["E08000013"], names["E08000014"]) == ("Wigan", "St Helens", "Sefton")
    assert [n for n in names.values() if n.endswith(TITLES)] == []
    args = ["--db", official_db, "benchmark", "--year", "2023-24", "--measure", "usable_reserves", "--json"]
    assert main(args) == 0
    rows = {r["ons_code"]: r["name"] for r in json.loads(capsys.readouterr().out)}
    assert rows["E08000013"] == "St Helens" and rows["E08000002"] == "Bury"  # codes kept beside the names
