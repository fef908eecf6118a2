"""Reserves benchmark speed: full official import, the ranking query, and the page's server-side rerun.

Targets (issue "Foundation"): import of every shared file < 20 s; benchmark query < 50 ms; page rerun < 300 ms
server-side, with every year loaded. Prints one JSON object.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from common import shared_source_dir, steady_state_apptest, timed

from finance import benchmark
from finance.official import import_paths
from finance.store import Store


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="headroom-bench-"))
    db = folder / "bench.duckdb"
    store = Store.open(str(db))
    start = time.perf_counter()
    reports = import_paths(store, [shared_source_dir()], user="benchmark")
    import_s = time.perf_counter() - start

    query = timed(
        lambda: benchmark.rank(store, year="2023-24", measure="usable_reserves_pct_nre", point="opening", group="MD")
    )
    query_all = timed(lambda: benchmark.rank(store, year="2023-24", measure="usable_reserves", group="ALL"))
    store.close()

    from streamlit.testing.v1 import AppTest

    os.environ["HEADROOM_DB"] = str(db)
    os.environ["HEADROOM_OFFICIAL_DIR"] = str(folder / "none")
    os.environ["HEADROOM_DEFAULT_AUTHORITY"] = "E08000014"
    steady_state_apptest()
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/reserves.py").run()
    assert not at.exception, at.exception
    page = timed(lambda: at.run(), repeat=15)
    measures = iter(list(benchmark.MEASURES) * 10)
    change = timed(lambda: at.selectbox(key="rb_measure").set_value(next(measures)).run(), repeat=15)

    result = {
        "benchmark": "reserves",
        "files_imported": len(reports),
        "import_all_s": round(import_s, 3),
        "import_target_s": 20,
        "rank_query_md": query,
        "rank_query_all_england": query_all,
        "query_target_ms": 50,
        "page_rerun": page,
        "page_rerun_after_measure_change": change,
        "page_target_ms": 300,
        "within_targets": import_s < 20 and query["median_ms"] < 50 and page["median_ms"] < 300,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
