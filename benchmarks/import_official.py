"""Time importing every shared official return into a fresh temporary database; prints JSON.

Target: every file of the folders in under 5 s (`target_s`, issue 17: the RS/RA files of
../shared/data/raw/la_reserves_mhclg/source and the 2024-25 RSX and RO3 of la_outturn_2024-25_mhclg/source).
Run: `.venv/bin/python benchmarks/import_official.py [SOURCE_DIR ...]` (default: both folders). `per_file_s`
times each file alone (read + one write transaction) in its own database; `import_all_s` is one `import_paths`
call over the folders; `reimport_s` is the same call again, when every file is 'unchanged'.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))  # run as a script from anywhere

from finance.official import import_paths  # noqa: E402
from finance.official.reader import RECOGNISED_SUFFIXES  # noqa: E402
from finance.store import Store  # noqa: E402

RAW = PROJECT_ROOT.parent / "shared" / "data" / "raw"
DEFAULT_SOURCES = (RAW / "la_reserves_mhclg" / "source", RAW / "la_outturn_2024-25_mhclg" / "source")
TARGET_S = 5


def main(argv: list[str]) -> int:
    sources = [Path(a) for a in argv] or [p for p in DEFAULT_SOURCES if p.is_dir()]
    files = sorted(p for source in sources for p in source.iterdir() if p.suffix.lower() in RECOGNISED_SUFFIXES)
    per_file_s: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i, path in enumerate(files):
            store = Store.open(str(Path(tmp) / f"one_{i}.duckdb"))
            start = time.perf_counter()
            import_paths(store, [path])
            per_file_s[path.name] = round(time.perf_counter() - start, 3)
            store.close()
        store = Store.open(str(Path(tmp) / "all.duckdb"))
        start = time.perf_counter()
        reports = import_paths(store, sources)
        import_all_s = time.perf_counter() - start
        start = time.perf_counter()
        import_paths(store, sources)
        reimport_s = time.perf_counter() - start
        rows = int(store.scalar("SELECT count(*) FROM official_value"))
        service_rows = int(store.scalar("SELECT count(*) FROM service_value"))
        store.close()
    result = {
        "import_all_s": round(import_all_s, 3),
        "reimport_s": round(reimport_s, 3),
        "per_file_s": per_file_s,
        "files": sum(1 for r in reports if r.status != "skipped"),
        "official_value_rows": rows,
        "service_value_rows": service_rows,
        "sources": [str(p) for p in sources],
        "target_s": TARGET_S,
        "within_target": import_all_s < TARGET_S,
    }
    print(json.dumps(result, indent=2))
    return 0 if import_all_s < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
