"""`python -m finance targets list|set|series`: set a target from the command line, list it back as JSON with who
set it, and a bad option refused (exit 2) naming the option, the database unchanged."""

from __future__ import annotations

import json
from datetime import date

import pytest

from finance.cli import main
from finance.store import Store
from tests.monitoring_corpus import AUTHORITY, add_authority

YEAR = f"{date.today().year + 2}-{(date.today().year + 3) % 100:02d}"


@pytest.fixture
def db(db_path: str) -> str:
    store = Store.open(db_path)
    add_authority(store)
    store.close()
    return db_path


def _dump(db: str) -> dict[str, object]:
    store = Store.open(db)
    try:
        return store.dump()  # type: ignore[return-value]
    finally:
        store.close()


def _set(db: str, *extra: str, value: str = "23") -> int:
    return main(["--db", db, "targets", "set", "--user", "s151@council", "--authority", AUTHORITY,
                 "--series", "unallocated_reserves", "--value", value, "--units", "£m", "--direction", "at least",
                 "--date", YEAR, *extra])  # fmt: skip


def test_set_then_list_as_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _set(db, "--mandate", "Peer challenge recommendation 8") == 0
    said = capsys.readouterr().out
    assert said.startswith(f"{AUTHORITY}: Target: at least £23.0m by 31 Mar {int(YEAR[:4]) + 1} (set by s151@council)")
    assert _set(db, value="25") == 0
    capsys.readouterr()
    assert main(["--db", db, "targets", "list", "--authority", AUTHORITY, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["targets"]
    assert [(t["series"], t["value"], t["units"], t["direction"], t["set_by"], t["set_via"]) for t in listed] == [
        ("unallocated_reserves", 25e6, "£", "at least", "s151@council", "cli")
    ]
    assert main(["--db", db, "targets", "list", "--authority", AUTHORITY, "--history", "--json"]) == 0
    history = json.loads(capsys.readouterr().out)["targets"]
    assert [(t["value"], t["state"], t["mandate"]) for t in history] == [
        (23e6, "superseded", "Peer challenge recommendation 8"),
        (25e6, "current", None),
    ]


def test_bad_options_are_named_and_nothing_is_written(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = _dump(db)
    code = main(["--db", db, "targets", "set", "--authority", AUTHORITY, "--series", "morale", "--value", "x",
                 "--units", "%", "--direction", "upwards", "--date", "2001-02"])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    for words in (
        '--series "morale": is not a series',
        '--value "x": must be a number',
        "--direction \"upwards\": must be 'at least' or 'at most'",
        '--date "2002-03-31": is before today',
    ):
        assert words in err  # fmt: skip
    assert main(["--db", db, "targets", "set", "--authority", AUTHORITY, "--series", "council_tax_ratio_pct",
                 "--value", "40", "--units", "£", "--direction", "at least", "--date", YEAR]) == 2  # fmt: skip
    assert '--units "£": Council tax ratio (% of NRE) is in %, not £' in capsys.readouterr().err
    assert main(["--db", db, "targets", "list", "--authority", "NOPE01"]) == 2
    assert _dump(db) == before


def test_series_lists_the_catalogue(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db, "targets", "series", "--json"]) == 0
    keys = {r["key"]: r["units"] for r in json.loads(capsys.readouterr().out)["series"]}
    assert keys["collection_rate_council_tax"] == "%" and keys["unallocated_reserves"] == "£"
