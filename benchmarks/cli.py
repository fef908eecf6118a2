"""CLI start-up: how long `python -m finance --help` and `python -m finance check` take, as a person runs them.

Targets (issue 22): `--help` < 0.5 s, `check` < 1 s (a fresh process each time, on the demo database). Baseline in
the same run: a process that builds the parser the old way, importing every command module (pandas, DuckDB, the PDF
and spreadsheet libraries), which is what every command paid before the registry in `finance.cli` became lazy.
Wall time on a shared machine includes waiting for a core, so each figure also gives the child's CPU time
(user + system). Run: `.venv/bin/python benchmarks/cli.py`. Prints one JSON object.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT

TARGETS_S = {"help": 0.5, "check": 1.0}
RUNS = 7


def _child_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_process(argv: list[str], env: dict[str, str]) -> dict[str, float]:
    """Median and best wall time and median CPU time, in seconds, of `RUNS` fresh processes running `argv`."""
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(RUNS):
        cpu_before = _child_cpu_s()
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, check=False)
        walls.append(time.perf_counter() - start)
        cpus.append(_child_cpu_s() - cpu_before)
        if done.returncode not in (0, 3):  # 3 = `check` found a failing invariant: still a timed run
            raise SystemExit(f"{argv} failed ({done.returncode}): {done.stderr.decode()}")
    return {
        "median_s": round(statistics.median(walls), 3),
        "best_s": round(min(walls), 3),
        "cpu_median_s": round(statistics.median(cpus), 3),
        "runs": RUNS,
    }


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="headroom-bench-cli-"))
    db = folder / "bench.duckdb"
    env = {**os.environ, "HEADROOM_DB": str(db), "HEADROOM_OFFICIAL_DIR": str(folder / "none")}
    python = sys.executable
    subprocess.run([python, "-m", "finance", "demo"], cwd=ROOT, env=env, capture_output=True, check=True)

    results = {
        "help": timed_process([python, "-m", "finance", "--help"], env),
        "check": timed_process([python, "-m", "finance", "check"], env),
        "baseline_every_module": timed_process(
            [python, "-c", "from finance.cli import build_parser; build_parser()"], env
        ),
    }
    report = {
        "benchmark": "cli_startup",
        "results": results,
        "targets_s": TARGETS_S,
        "meets_targets": {name: results[name]["median_s"] < target for name, target in TARGETS_S.items()},
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
