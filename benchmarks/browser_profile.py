"""Browser profile: where Chromium spends its time on one action, to find what to make faster.

Opens the app as benchmarks/browser.py does (same database, Sefton chosen through the URL), visits PAGE once to
warm the server's cache, goes to another page, then records a Chromium JavaScript CPU profile (CDP `Profiler`)
of the visit to PAGE, warm. Prints JSON: the settled time and renderer counters (as browser.py measures them), the
profile's self time grouped by library (plotly.js, Streamlit's bundle, the data-frame grid …), its top functions,
and the websocket messages received by kind with their sizes. `--trace FILE` also writes a full Chromium
performance trace (open it in chrome://tracing or Perfetto) for layout, paint and scripting in detail.

Usage: `python benchmarks/browser_profile.py [--page "Resilience profile"] [--db FILE] [--trace FILE]`;
`--slider-step` profiles one key step of the MTFS scenarios page's slider (warm) instead of a page visit.
Not a pass/fail benchmark: it has no target; browser.py holds the targets.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from browser import (
    SEFTON,
    SLIDER,
    TIMEOUT_MS,
    WATCH_JS,
    Meter,
    _copy_database,
    _gap_changed_js,
    _gap_text,
    _visit,
    build_database,
)

from tests.browser.conftest import CHROMIUM, start_server, stop_server

# which library a profiled function belongs to, by its script's file name in Streamlit's static bundle
LIBRARIES = (("plotly", "plotly"), ("glide", "data-grid"), ("arrow", "arrow"), ("index.", "streamlit"))


def _library(url: str, name: str) -> str:
    if not url:
        return {"(garbage collector)": "garbage collection", "(program)": "browser (not JavaScript)"}.get(name, "other")
    file = url.rsplit("/", 1)[-1].lower()
    return next((label for marker, label in LIBRARIES if marker in file), file.split("?")[0] or "other")


def summarise(profile: dict[str, Any], top: int = 15) -> dict[str, Any]:
    """Self time per library and the `top` functions by self time, in ms, from a CDP CPU profile."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    deltas = profile.get("timeDeltas", [])
    self_us: Counter[int] = Counter()
    for node_id, delta in zip(profile.get("samples", []), deltas, strict=False):
        self_us[node_id] += delta
    by_library: defaultdict[str, float] = defaultdict(float)
    by_function: defaultdict[str, float] = defaultdict(float)
    for node_id, us in self_us.items():
        frame = nodes[node_id]["callFrame"]
        url, name = frame.get("url", ""), frame.get("functionName") or "(anonymous)"
        library = _library(url, name)
        by_library[library] += us / 1000
        by_function[f"{library}: {name}"] += us / 1000
    return {
        "self_ms_by_library": {k: round(v, 1) for k, v in sorted(by_library.items(), key=lambda kv: -kv[1])},
        "top_functions_self_ms": {k: round(v, 1) for k, v in sorted(by_function.items(), key=lambda kv: -kv[1])[:top]},
    }


def _messages(frames: list[bytes]) -> dict[str, Any]:
    """The ForwardMsgs received, by kind (delta element types where they are deltas), count and kB."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    kinds: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
    for payload in frames:
        msg = ForwardMsg()
        msg.ParseFromString(payload)
        kind = msg.WhichOneof("type") or "?"
        if kind == "delta":
            what = msg.delta.WhichOneof("type")
            kind = f"delta.{msg.delta.new_element.WhichOneof('type')}" if what == "new_element" else f"delta.{what}"
        kinds[kind][0] += 1
        kinds[kind][1] += len(payload)
    return {k: {"count": c, "kb": round(b / 1024, 1)} for k, (c, b) in sorted(kinds.items(), key=lambda kv: -kv[1][1])}


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--page", default="Resilience profile", help="the page's title in the sidebar")
    parser.add_argument("--db", type=Path, help="as browser.py: keep the built database here (built if absent)")
    parser.add_argument("--slider-step", action="store_true", help="profile one scenarios slider step instead")
    parser.add_argument("--trace", type=Path, help="also write a full Chromium performance trace here")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="headroom-browser-profile-"))
    built = args.db if args.db is not None else folder / "built.duckdb"
    if not built.is_file():
        build_database(built)
    db = folder / "headroom.duckdb"
    _copy_database(built, db)
    proc, url = start_server(db, folder / "streamlit.log")
    report: dict[str, Any] = {
        "benchmark": "browser_profile",
        "action": "scenarios slider step" if args.slider_step else f"visit {args.page}",
        "authority": SEFTON,
    }
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
            )
            try:
                context = browser.new_context(viewport={"width": 1440, "height": 1000})
                context.add_init_script(WATCH_JS)
                page = context.new_page()
                meter = Meter(page, proc.pid)
                meter.measure(lambda: page.goto(f"{url}/?authority={SEFTON}", timeout=TIMEOUT_MS))
                other = "Data sources" if args.page != "Data sources" else "Overview"
                _visit(meter, args.page)  # cold: the server builds and caches the page's view
                _visit(meter, other)
                if args.slider_step:  # the action profiled: one step of the scenarios page's slider, warm
                    _visit(meter, "MTFS scenarios")
                    slider = page.get_by_test_id("stSlider").filter(has_text=SLIDER).get_by_role("slider").first
                    slider.wait_for(state="attached", timeout=TIMEOUT_MS)
                    before = _gap_text(page)
                    slider.focus()
                    meter.measure(lambda: slider.press("ArrowRight"), ready=_gap_changed_js(before))
                    before = _gap_text(page)

                    def action() -> dict[str, Any]:
                        return meter.measure(lambda: slider.press("ArrowRight"), ready=_gap_changed_js(before))
                else:

                    def action() -> dict[str, Any]:
                        return _visit(meter, args.page)

                first_frame = len(meter.frames)
                if args.trace is not None:
                    browser.start_tracing(page=page, path=str(args.trace), screenshots=False)
                meter.cdp.send("Profiler.enable")
                meter.cdp.send("Profiler.setSamplingInterval", {"interval": 200})
                meter.cdp.send("Profiler.start")
                report["warm_action"] = action()
                profile = meter.cdp.send("Profiler.stop")["profile"]
                if args.trace is not None:
                    browser.stop_tracing()
                    report["trace"] = str(args.trace)
                report.update(summarise(profile))
                report["messages_received"] = _messages(meter.frames[first_frame:])
            finally:
                browser.close()
    finally:
        stop_server(proc)
    print(json.dumps(report, indent=2))
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
