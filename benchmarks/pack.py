"""Time the committee pack for the demo authority (DEMO01, 2026-27, with a current MTFS scenario): the full PDF, the
Excel pack, and the time per chart image.

Why: a finance officer clicks "Build the pack" and waits; issue 6 sets the full PDF pack under 20 s on this machine.
Chart images dominate (kaleido drives Debian's chromium: a start-up of a few seconds, then each chart), so they are
timed on their own: start-up once, then per chart. Prints JSON; exits 1 if the target is missed.

    .venv/bin/python benchmarks/pack.py [--repeat 1]

Wall times on a shared machine depend on its load: the 1-minute load average is printed beside them, with the
CPU time of this process and of the browsers it started (which depend on the load much less).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from finance import pack  # noqa: E402
from finance.demo import build_demo  # noqa: E402
from finance.pack.images import render_pngs  # noqa: E402
from finance.scenarios import base_figures, save_scenario, set_current  # noqa: E402
from finance.store import Store  # noqa: E402

TARGET_S = 20.0


def _children_cpu_s() -> float:
    """CPU time of finished child processes (the browsers kaleido started and closed)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


CODE, YEAR = "DEMO01", "2026-27"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="full PDF builds to time (the median is reported)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(str(Path(tmp) / "bench.duckdb"))
        build_demo(store)
        scenario = base_figures(store, CODE).scenario("Benchmark plan")
        set_current(store, save_scenario(store, scenario, authority_code=CODE, user="benchmark").scenario_id, user="b")
        load_before = os.getloadavg()[0]

        pdf_s, cpu_s, browser_cpu_s, size = [], [], [], 0
        for _ in range(max(1, args.repeat)):
            t, c, b = time.perf_counter(), time.process_time(), _children_cpu_s()
            built = pack.build_pack(store, CODE, YEAR)
            data = pack.render(built, "pdf")
            pdf_s.append(time.perf_counter() - t)
            cpu_s.append(time.process_time() - c)
            browser_cpu_s.append(_children_cpu_s() - b)
            size = len(data)

        t = time.perf_counter()
        xlsx = pack.render(pack.build_pack(store, CODE, YEAR), "xlsx")
        xlsx_s = time.perf_counter() - t

        t = time.perf_counter()
        built = pack.build_pack(store, CODE, YEAR)
        gather_s = time.perf_counter() - t
        figures = [c.figure for c in built.charts()]
        t = time.perf_counter()
        render_pngs(figures[:1])
        one_s = time.perf_counter() - t  # browser start-up + one chart
        t, b = time.perf_counter(), _children_cpu_s()
        render_pngs(figures)
        all_s = time.perf_counter() - t
        all_browser_cpu_s = _children_cpu_s() - b
        per_chart_s = max(all_s - one_s, 0.0) / max(len(figures) - 1, 1)
        store.close()

    pdf_median = statistics.median(pdf_s)
    result = {
        "pdf_pack_s": round(pdf_median, 2),
        "pdf_pack_runs_s": [round(x, 2) for x in pdf_s],
        "pdf_pack_cpu_s_this_process": round(statistics.median(cpu_s), 2),
        "pdf_pack_cpu_s_browser": round(statistics.median(browser_cpu_s), 2),
        "pdf_bytes": size,
        "target_s": TARGET_S,
        "charts": len(figures),
        "chart_image_s_per_chart": round(per_chart_s, 3),
        "chart_images_browser_start_plus_first_s": round(one_s, 2),
        "chart_images_all_s": round(all_s, 2),
        "chart_images_all_cpu_s_browser": round(all_browser_cpu_s, 2),
        "gather_views_s": round(gather_s, 2),
        "xlsx_pack_s": round(xlsx_s, 2),
        "xlsx_bytes": len(xlsx),
        "load_average_1min_before": round(load_before, 2),
        "load_average_1min_after": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
        "met": pdf_median < TARGET_S,
    }
    print(json.dumps(result, indent=2))
    return 0 if result["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
