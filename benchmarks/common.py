"""Shared helpers for the benchmark scripts: where the official data is, and honest timing."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def shared_source_dir() -> Path:
    """The official RS/RA workbooks (../shared/data/raw/la_reserves_mhclg/source or $HEADROOM_SHARED_DATA)."""
    base = Path(os.environ.get("HEADROOM_SHARED_DATA", ROOT.parent / "shared" / "data" / "raw"))
    path = base / "la_reserves_mhclg" / "source"
    if not path.is_dir():
        raise SystemExit(f"official data not found at {path}; set HEADROOM_SHARED_DATA")
    return path


def timed(fn: Callable[[], object], *, repeat: int = 20, warmup: int = 2) -> dict[str, float]:
    """Median, p95 and best wall time of `fn` in milliseconds, after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 3),
        "p95_ms": round(samples[min(len(samples) - 1, int(0.95 * len(samples)))], 3),
        "best_ms": round(samples[0], 3),
        "runs": repeat,
    }


def steady_state_apptest() -> None:
    """Make AppTest run app.py as a live server does after its first run (see ui/shell.py and
    tests/pages/conftest.py): AppTest otherwise resets Streamlit's legacy `pages/` flag before every run, and the
    page's shell guard then reruns the script, which would double every timing."""
    from streamlit import config
    from streamlit.runtime.pages_manager import PagesManager

    config.set_option("server.address", "127.0.0.1")  # local single-user mode serves loopback only
    original_init = PagesManager.__init__

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        original_init(self, *args, **kwargs)  # type: ignore[arg-type]
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init  # type: ignore[method-assign]
