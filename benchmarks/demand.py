"""Time the official demand import and the Demand page's view; prints JSON.

Targets (a shared two-core machine): importing the three demand files (CLA CSV, EHC plans zip, H-CLIC workbook)
into a database holding the RS/RA returns in under 15 s (`import_target_s`), importing them again ('unchanged',
nothing parsed) in under 1 s, and building the Demand page's view (one section's charts, EHC plans: three series)
for Sefton against every English authority (the largest group) in under 3 s median (`view_target_ms`; the page
caches it per data version). Run: `.venv/bin/python benchmarks/demand.py`.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, shared_source_dir, timed

from finance.indicators import demand_series, demand_view
from finance.official import import_paths
from finance.store import Store

SEFTON = "E08000014"
IMPORT_TARGET_S, REIMPORT_TARGET_S, VIEW_TARGET_MS = 15.0, 1.0, 3000.0
FOLDERS = ("demand_dfe_children_looked_after", "demand_dfe_ehc_plans", "demand_mhclg_homelessness")


def main() -> int:
    raw = shared_source_dir().parent.parent
    demand = [raw / name / "source" for name in FOLDERS]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(str(Path(tmp) / "demand.duckdb"))
        import_paths(store, [shared_source_dir()])
        start = time.perf_counter()
        import_paths(store, demand)
        import_s = time.perf_counter() - start
        start = time.perf_counter()
        import_paths(store, demand)
        reimport_s = time.perf_counter() - start
        series_all = timed(lambda: demand_series(store, SEFTON, None, "ALL"), repeat=5, warmup=1)
        # as the page builds it: one section's charts (the largest, EHC plans: three series)
        view_md = timed(lambda: demand_view(store, SEFTON, None, "MD", ("send",)), repeat=5, warmup=1)
        view_all = timed(lambda: demand_view(store, SEFTON, None, "ALL", ("send",)), repeat=5, warmup=1)
        rows = int(store.scalar("SELECT count(*) FROM demand_value"))
        store.close()
    result = {
        "import_s": round(import_s, 3),
        "reimport_s": round(reimport_s, 3),
        "demand_value_rows": rows,
        "series_all_ms": series_all,
        "view_md_ms": view_md,
        "view_all_ms": view_all,
        "import_target_s": IMPORT_TARGET_S,
        "reimport_target_s": REIMPORT_TARGET_S,
        "view_target_ms": VIEW_TARGET_MS,
        "within_target": import_s < IMPORT_TARGET_S
        and reimport_s < REIMPORT_TARGET_S
        and view_all["median_ms"] < VIEW_TARGET_MS,
        "root": str(ROOT),
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
