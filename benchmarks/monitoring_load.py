"""Monitoring upload timings (issue 3), printed as JSON; targets live here, not in unit tests.

1. A 12-period workbook with 60 directorate lines per period (720 lines, a Period column): parse + validate +
   commit, target < 1 s.
2. A 50,000-line Revenue sheet: target < 10 s and peak memory < 500 MB. Memory is measured in a child process that
   only loads the file: its peak resident set (getrusage, so DuckDB and openpyxl's C parts count too). tracemalloc
   is not used for the timings: it slows every Python allocation many times over.
3. Plain `pandas.read_excel` of the same files in the same run (openpyxl and calamine engines) and our ratio to it:
   the reader does more (formula pass, validation, commit), so the ratio says what that costs.

Run: `.venv/bin/python benchmarks/monitoring_load.py [--rows 50000]`.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from finance.store import Store
from finance.upload import Limits, load_upload

AUTHORITY = "DEMO01"


def _workbook(rows: int, periods: int) -> bytes:
    wb = Workbook(write_only=True)
    info = wb.create_sheet("Instructions")
    for row in (["Authority", AUTHORITY], ["Financial year", "2025-26"], ["Period", "P1"], ["Units", "£000"]):
        info.append(row)
    ws = wb.create_sheet("Revenue")
    ws.append(["Directorate", "Service", "Budget", "Forecast outturn", "Variance", "Period"])
    per_period = rows // periods
    for period in range(1, periods + 1):
        for i in range(per_period):
            budget = 1_000 + (i * 37) % 9_000
            forecast = budget + (i * 13) % 200 - 100
            ws.append([f"Directorate {i // 10}", f"Service {i}", budget, forecast, forecast - budget, f"P{period}"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _store(folder: Path, name: str) -> Store:
    store = Store.open(str(folder / f"{name}.duckdb"))
    store.write(lambda tx: tx.execute("INSERT INTO authority VALUES (?, NULL, 'Bench', 'MD', true, 0)", [AUTHORITY]))
    return store


def _pandas_seconds(data: bytes, engine: str) -> float:
    start = time.perf_counter()
    pd.read_excel(io.BytesIO(data), sheet_name="Revenue", engine=engine)  # type: ignore[call-overload]
    return time.perf_counter() - start


def _load_seconds(folder: Path, name: str, data: bytes, rows: int) -> tuple[float, int, str]:
    store = _store(folder, name)
    try:
        start = time.perf_counter()
        result = load_upload(store, data, f"{name}.xlsx", limits=Limits(max_rows_per_sheet=max(rows, 200_000)))
        seconds = time.perf_counter() - start
        stored = int(store.scalar("SELECT count(*) FROM monitoring_revenue"))
    finally:
        store.close()
    return seconds, stored, result.status


def _child_peak_rss_mb(path: Path, rows: int) -> float:
    """Peak resident memory of a fresh process that only loads `path` (MB)."""
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(path), "--rows", str(rows)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return float(json.loads(proc.stdout)["peak_rss_mb"])


def _case(folder: Path, name: str, rows: int, periods: int, target_s: float) -> dict[str, Any]:
    data = _workbook(rows, periods)
    seconds, stored, status = _load_seconds(folder, name, data, rows)
    path = folder / f"{name}.xlsx"
    path.write_bytes(data)
    peak_mb = _child_peak_rss_mb(path, rows)
    pandas_openpyxl = _pandas_seconds(data, "openpyxl")
    pandas_calamine = _pandas_seconds(data, "calamine")
    return {
        "case": name,
        "lines": rows,
        "periods": periods,
        "file_bytes": len(data),
        "lines_stored": stored,
        "status": status,
        "load_seconds": round(seconds, 3),
        "target_seconds": target_s,
        "meets_target": seconds < target_s,
        "load_process_peak_rss_mb": round(peak_mb, 1),
        "memory_target_mb": 500,
        "meets_memory_target": peak_mb < 500,
        "pandas_read_excel_openpyxl_seconds": round(pandas_openpyxl, 3),
        "pandas_read_excel_calamine_seconds": round(pandas_calamine, 3),
        "ratio_to_pandas_openpyxl": round(seconds / pandas_openpyxl, 2),
        "ratio_to_pandas_calamine": round(seconds / pandas_calamine, 2),
    }


def _child(path: Path, rows: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        _load_seconds(Path(tmp), "child", path.read_bytes(), rows)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    print(json.dumps({"peak_rss_mb": peak_mb}))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000, help="lines in the large Revenue sheet")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(args.child, args.rows)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = [
            _case(folder, "twelve_periods_60_lines", 720, 12, 1.0),
            _case(folder, f"revenue_{args.rows}_lines", args.rows, 1, 10.0),
        ]
    out = {
        "benchmark": "monitoring_load",
        "cases": cases,
        "cpu_count": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "total_seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
