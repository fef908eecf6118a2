"""Load: N concurrent browser sessions against one live Headroom server on loopback; p50/p95 page time and errors.

Why real browsers: the cost a user feels is the whole round trip — websocket rerun, every query of the page, the
elements sent and drawn — and the contention between sessions in one server process (one DuckDB connection, the
GIL, Tornado's event loop). Each session is its own Chromium browser context (own cookies and websocket, as two
people on two machines), driven by Playwright's async API so that 10 sessions really are concurrent.

A session opens the app, then visits PAGES in turn through the sidebar, ROUNDS times. A page time is from the
click to the page's title being drawn and the script having finished (`data-test-script-state="notRunning"`).
An error is a page that did not finish within the timeout, or that shows a Streamlit exception box.

Usage: `python benchmarks/load.py [--sessions 1 5 10] [--rounds 3] [--out FILE]` (prints JSON). Bounded: at
most sessions x rounds x pages visits, each with a 30 s timeout, plus one server start; stops by itself.
Target: p95 < 2000 ms at N = 10 on a 2-core machine, zero errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.async_api import Browser, async_playwright  # noqa: E402

from tests.browser.conftest import CHROMIUM, start_server, stop_server  # noqa: E402

PAGES = ("Reserves benchmark", "Resilience profile", "Upload history", "Data sources", "Overview")
TIMEOUT_MS = 30_000
TARGET_P95_MS = 2000.0


async def _visit(page: Any, title: str) -> float:
    start = time.perf_counter()
    await page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    await page.locator("h1", has_text=title).first.wait_for(timeout=TIMEOUT_MS)
    await page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=TIMEOUT_MS)
    if await page.get_by_test_id("stException").count():
        raise RuntimeError(f"{title}: Streamlit exception shown")
    return (time.perf_counter() - start) * 1000


async def _session(browser: Browser, url: str, rounds: int, times: list[float], errors: list[str]) -> None:
    context = await browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        page = await context.new_page()
        try:
            await page.goto(url, timeout=60_000)
            await page.get_by_test_id("stSidebarNav").wait_for(timeout=60_000)
        except Exception as err:  # a session that never got the app counts as one error per page it would visit
            errors.extend([f"open: {type(err).__name__}: {str(err).splitlines()[0][:160]}"] * rounds * len(PAGES))
            return
        for _ in range(rounds):
            for title in PAGES:
                try:
                    times.append(await _visit(page, title))
                except Exception as err:  # counted, reported; the session carries on
                    errors.append(f"{title}: {type(err).__name__}: {str(err).splitlines()[0][:160]}")
    finally:
        await context.close()


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


async def _level(browser: Browser, url: str, n: int, rounds: int) -> dict[str, Any]:
    times: list[float] = []
    errors: list[str] = []
    start = time.perf_counter()
    await asyncio.gather(*(_session(browser, url, rounds, times, errors) for _ in range(n)))
    return {
        "sessions": n,
        "page_visits": len(times) + len(errors),
        "p50_ms": round(statistics.median(times), 1) if times else None,
        "p95_ms": _percentile(times, 0.95),
        "max_ms": round(max(times), 1) if times else None,
        "errors": len(errors),
        "error_examples": errors[:5],
        "wall_s": round(time.perf_counter() - start, 1),
    }


async def run(sessions: list[int], rounds: int, url: str) -> list[dict[str, Any]]:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        try:
            await _level(browser, url, 1, 1)  # warm-up: first runs of each page, caches
            return [await _level(browser, url, n, rounds) for n in sessions]
        finally:
            await browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 5, 10])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args()

    from finance.demo import build_demo
    from finance.store import Store

    folder = Path(tempfile.mkdtemp(prefix="headroom-load-"))
    db = folder / "headroom.duckdb"
    store = Store.open(str(db))
    build_demo(store)
    store.close()
    proc, url = start_server(db, folder / "streamlit.log")
    try:
        levels = asyncio.run(run(args.sessions, args.rounds, url))
    finally:
        stop_server(proc)
    top = levels[-1]
    report = {
        "benchmark": "load",
        "pages": list(PAGES),
        "rounds_per_session": args.rounds,
        "levels": levels,
        "target": {"sessions": top["sessions"], "p95_ms": TARGET_P95_MS, "errors": 0},
        "meets_target": top["p95_ms"] is not None and top["p95_ms"] < TARGET_P95_MS and top["errors"] == 0,
    }
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
