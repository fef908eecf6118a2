"""Committee pages speed: every page's server-side rerun, with every shared official return and two years of
monthly monitoring loaded (the demo's 2025-26 P1..P12 and 2026-27 P1..P7, for Sefton and for the illustrative
DEMO01). Target (issue 5): each page's rerun < 300 ms server-side. Prints one JSON object.

Pages cache their view per database, selection and data version, so a rerun (a widget change, coming back to a
page) is the warm path; the first view after new data also builds it. Both are reported: `page_rerun` (AppTest
rerun of the page, warm) and `view_build` (the finance function a cache miss runs, called directly).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import shared_source_dir, steady_state_apptest, timed

from finance.committee import collection_view, dsg_view, monitoring_view, nowcast_view, overview
from finance.demo import build_demo
from finance.official import import_paths
from finance.store import Store
from finance.upload import load_demo_monitoring

TARGET_MS = 300
YEAR = "2026-27"
AUTHORITIES = ("E08000014", "DEMO01")  # Sefton (real, official returns) and the illustrative home council
PAGES: dict[str, Callable[[Store, str, str], object]] = {
    "overview": overview.build,
    "monitoring": monitoring_view.build,
    "collection": collection_view.build,
    "dsg": dsg_view.build,
    "nowcast": nowcast_view.build,
    "methodology": lambda store, code, year: None,
}


def _prepare(db: Path) -> dict[str, object]:
    store = Store.open(str(db))
    start = time.perf_counter()
    files = import_paths(store, [shared_source_dir()], user="benchmark")
    imported = time.perf_counter() - start
    start = time.perf_counter()
    build_demo(store)
    uploads = load_demo_monitoring(store, "E08000014", user="benchmark")
    loaded = time.perf_counter() - start
    builds = {
        f"{code}/{page}": timed(lambda fn=fn, code=code: fn(store, code, YEAR), repeat=10)["median_ms"]
        for code in AUTHORITIES
        for page, fn in PAGES.items()
        if page != "methodology"
    }
    store.checkpoint()
    store.close()
    return {
        "official_files": len(files),
        "import_s": round(imported, 2),
        "sefton_uploads": len(uploads),
        "demo_and_monitoring_s": round(loaded, 2),
        "view_build_median_ms": builds,
    }


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="headroom-committee-bench-"))
    db = folder / "bench.duckdb"
    prepared = _prepare(db)

    from streamlit import config
    from streamlit.testing.v1 import AppTest

    steady_state_apptest()

    os.environ["HEADROOM_DB"] = str(db)
    os.environ["HEADROOM_OFFICIAL_DIR"] = str(folder / "none")
    reruns: dict[str, dict[str, float]] = {}
    charts: dict[str, int] = {}
    for code in AUTHORITIES:
        os.environ["HEADROOM_DEFAULT_AUTHORITY"] = code
        at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=120)
        config.set_option("server.address", "127.0.0.1")  # local single-user mode serves loopback only
        at.run()
        assert not at.exception, at.exception
        at.session_state["financial_year"] = YEAR
        for page in PAGES:
            at.switch_page(f"pages/{page}.py")
            start = time.perf_counter()
            at.run()
            first = (time.perf_counter() - start) * 1000
            assert not at.exception, (code, page, [e.value for e in at.exception])
            assert not any("No monitoring" in i.value for i in at.info), (code, page)  # the full page, not a notice
            assert at.title and not at.error, (code, page, [e.value for e in at.error])
            charts[f"{code}/{page}"] = len(at.get("plotly_chart"))
            result = timed(lambda at=at: at.run(), repeat=10, warmup=1)
            reruns[f"{code}/{page}"] = {"first_view_ms": round(first, 1), **result}
    worst = max(r["median_ms"] for r in reruns.values())
    print(
        json.dumps(
            {
                "benchmark": "committee_pages",
                "year": YEAR,
                **prepared,
                "charts_drawn": charts,
                "page_rerun": reruns,
                "page_target_ms": TARGET_MS,
                "worst_page_rerun_median_ms": worst,
                "within_target": worst < TARGET_MS,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
