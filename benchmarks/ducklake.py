"""DuckLake (catalog in PostgreSQL) against the DuckDB file, in the same run, printed as JSON (issue 9).

1. Import every shared official file into each backend; the lake's time over the file's (target ratio <= 2).
2. A 50,000-line monitoring upload into each; the same ratio (target <= 2).
3. Server-side page reruns on the lake (AppTest of app.py: the Overview, then the Reserves benchmark), target
   median < 500 ms.

The PostgreSQL is a throwaway cluster on loopback (tests/ducklake_fixtures.py: initdb as the postgres user, a
free port, removed at the end), so the figures include real catalog round trips over TCP, not an in-process fake.
Run: `.venv/bin/python benchmarks/ducklake.py [--rows 50000]`.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from common import ROOT, shared_source_dir, timed

from benchmarks.monitoring_load import AUTHORITY, _workbook
from finance.official import import_paths
from finance.store import Source, Store, Tx
from finance.upload import Limits, load_upload
from tests.ducklake_fixtures import LocalPostgres, postgres_bin

RATIO_TARGET = 2.0
PAGE_TARGET_MS = 500


def _add_authority(store: Store) -> None:
    def write(tx: Tx) -> None:
        source_id = tx.add_source(Source("demo", "bench", "e" * 64, "Benchmark", "illustrative"))
        tx.execute("INSERT INTO authority VALUES (?, NULL, 'Bench', 'MD', true, ?)", [AUTHORITY, source_id])

    store.write(write)


def _measure(target: str, workbook: bytes, rows: int) -> dict[str, Any]:
    store = Store.open(target)
    try:
        start = time.perf_counter()
        reports = import_paths(store, [shared_source_dir()], user="benchmark")
        import_s = time.perf_counter() - start
        _add_authority(store)
        start = time.perf_counter()
        result = load_upload(store, workbook, "bench.xlsx", limits=Limits(max_rows_per_sheet=max(rows, 200_000)))
        upload_s = time.perf_counter() - start
        stored = int(store.scalar("SELECT count(*) FROM monitoring_revenue"))
        assert result.status == "loaded" and stored == rows, (result.status, stored)
    finally:
        store.close()
    return {"files_imported": len(reports), "import_all_s": round(import_s, 3), "upload_s": round(upload_s, 3)}


def _page_reruns(target: str, folder: Path) -> dict[str, Any]:
    from streamlit.testing.v1 import AppTest

    os.environ["HEADROOM_DB"] = target
    os.environ["HEADROOM_OFFICIAL_DIR"] = str(folder / "none")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.run()  # first run builds the demo on the lake (bootstrap), like a first start
    assert not at.exception, at.exception
    overview = timed(lambda: at.run(), repeat=10)
    at.switch_page("pages/reserves.py").run()
    assert not at.exception, at.exception
    reserves = timed(lambda: at.run(), repeat=10)
    return {"overview": overview, "reserves_benchmark": reserves}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=50_000, help="lines in the monitoring upload (default 50,000)")
    args = parser.parse_args()
    bindir = postgres_bin()
    if bindir is None:
        raise SystemExit("PostgreSQL is not installed (/usr/lib/postgresql/*/bin); apt-get install postgresql")
    folder = Path(tempfile.mkdtemp(prefix="headroom-bench-lake-"))
    workbook = _workbook(args.rows, 1)
    server = LocalPostgres(bindir).start()
    try:
        file_ = _measure(str(folder / "bench.duckdb"), workbook, args.rows)
        lake = server.lake(server.create_db("bench"), folder / "lake-files")
        lake_ = _measure(lake, workbook, args.rows)
        pages = _page_reruns(lake, folder)
    finally:
        server.stop()
    import_ratio = lake_["import_all_s"] / file_["import_all_s"]
    upload_ratio = lake_["upload_s"] / file_["upload_s"]
    worst_page = max(p["median_ms"] for p in pages.values())
    result = {
        "benchmark": "ducklake",
        "upload_lines": args.rows,
        "duckdb_file": file_,
        "ducklake_postgres": lake_,
        "import_ratio": round(import_ratio, 2),
        "upload_ratio": round(upload_ratio, 2),
        "ratio_target": RATIO_TARGET,
        "ducklake_page_rerun": pages,
        "page_target_ms": PAGE_TARGET_MS,
        "load_average_1m": round(os.getloadavg()[0], 2),
        "within_targets": import_ratio <= RATIO_TARGET and upload_ratio <= RATIO_TARGET and worst_page < PAGE_TARGET_MS,
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
