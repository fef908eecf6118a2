"""Concurrent sessions in one server: readers carry on while uploads and scenario saves queue for the one writer.

Threads stand in for Streamlit sessions (each session's script runs in its own thread, on the same `Store`). Two
uploads for different periods and one for the same period as another go in at once, through the real monitoring
loader, while other threads read the pages' queries and save scenarios. No thread may see an error, and the end
state must equal the state after some serial order of the same uploads: nothing lost, nothing interleaved.
"""

from __future__ import annotations

import itertools
import shutil
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from finance import benchmark
from finance.demo import HOME_CODE
from finance.monitoring import monitoring_lines, upload_history
from finance.scenarios import example_scenario, list_scenarios, save_scenario
from finance.store import Store, sha256_bytes
from finance.upload import load_upload
from tests.monitoring_corpus import REVENUE_HEADER, build, with_fields

YEAR = "2027-28"


def _upload(period: int, bump: int) -> bytes:
    rows = [
        ["Adults", "Older people", 50_000 + bump, 51_000 + bump, 1_000],
        ["Children's", None, 45_000, 47_000 + bump, 2_000 + bump],
    ]
    sheets = {"Revenue": [REVENUE_HEADER, *rows], "DSG": [["Brought forward deficit", "In-year forecast deficit",
              "Cumulative forecast deficit"], [18_000, 7_000 + bump, 25_000 + bump]]}  # fmt: skip
    return build(sheets, with_fields(authority=HOME_CODE, year=YEAR, period=f"P{period}"))


UPLOADS = {"A (P3)": _upload(3, 0), "B (P4)": _upload(4, 10), "C (P3 again)": _upload(3, 20)}


def _state(store: Store) -> dict[str, Any]:
    """The monitoring as the pages show it, with upload ids replaced by the file they came from."""
    sha_of = {int(u): s for u, s in store.query("SELECT upload_id, sha256 FROM monitoring_upload")}
    history = upload_history(store, HOME_CODE)
    history = history[history["financial_year"] == YEAR]
    lines = {}
    for period in (3, 4):
        for sheet, frame in monitoring_lines(store, HOME_CODE, YEAR, period).items():
            records = frame.to_dict("records")
            for r in records:
                r["upload_id"] = sha_of[int(r["upload_id"])]
            lines[(period, sheet)] = records
    return {
        "uploads": sorted((sha_of[int(u)], st) for u, st in zip(history["upload_id"], history["status"], strict=True)),
        "lines": lines,
    }


@pytest.fixture
def fresh(tmp_path: Path, demo_db: str) -> Any:
    count = itertools.count()

    def make() -> Store:
        path = tmp_path / f"db{next(count)}.duckdb"
        shutil.copy(demo_db, path)
        return Store.open(str(path))

    return make


def test_simultaneous_uploads_equal_some_serial_order(fresh: Any) -> None:
    serial = []
    for order in itertools.permutations(UPLOADS):
        store = fresh()
        for name in order:
            load_upload(store, UPLOADS[name], f"{name}.xlsx", user="serial")
        serial.append(_state(store))
        store.close()

    for _round in range(3):
        store = fresh()
        try:
            errors = _concurrent_round(store)
            assert not errors, errors
            got = _state(store)
            assert got in serial, got  # the result of some serial order
            assert len(got["uploads"]) == len(UPLOADS)  # nothing lost
            assert {sha256_bytes(d) for d in UPLOADS.values()} == {s for s, _ in got["uploads"]}
            saved = list_scenarios(store, HOME_CODE, all_versions=True)
            for n in range(2):
                assert sorted(s.version for s in saved if s.name == f"session {n}") == [1, 2, 3]
        finally:
            store.close()


def _concurrent_round(store: Store) -> list[BaseException]:
    """Three uploads and two scenario-saving sessions at once, two sessions reading throughout; the errors seen."""
    errors: list[BaseException] = []
    start = threading.Barrier(len(UPLOADS) + 4)
    writers_done = threading.Event()

    def guarded(fn: Any, *args: Any) -> None:
        try:
            start.wait()
            fn(*args)
        except BaseException as err:  # any error reaching a "user" fails the test
            errors.append(err)

    def upload(name: str) -> None:
        load_upload(store, UPLOADS[name], f"{name}.xlsx", user=name)

    def read() -> None:
        while not writers_done.is_set():
            benchmark.rank(store, year="2023-24", measure="usable_reserves_pct_nre", illustrative=True)
            monitoring_lines(store, HOME_CODE, "2025-26")
            upload_history(store, HOME_CODE)

    def save(n: int) -> None:
        for v in range(3):
            scenario = replace(example_scenario(), authority=HOME_CODE, name=f"session {n}")
            save_scenario(store, scenario, authority_code=HOME_CODE, user=f"user {n}", note=str(v))

    writers = [threading.Thread(target=guarded, args=(upload, name)) for name in UPLOADS]
    writers += [threading.Thread(target=guarded, args=(save, n)) for n in range(2)]
    readers = [threading.Thread(target=guarded, args=(read,)) for _ in range(2)]
    for t in writers + readers:
        t.start()
    for t in writers:
        t.join(timeout=120)
    writers_done.set()
    for t in readers:
        t.join(timeout=60)
    return errors
