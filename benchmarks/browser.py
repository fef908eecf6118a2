"""Browser: what a person waits for in Chromium — every page, and the MTFS scenarios page's slider, Monte Carlo tab
and save — with every official return imported and Sefton selected. Prints one JSON object, targets beside.

The database is built with Headroom's own importers from ../shared/data/raw (every RS/RA year, the 2024-25
outturn files, the council tax receipts and borrowing live tables, the peer-group neighbour files and the official
demand files) into a temporary folder, plus the illustrative demo council that a first start builds anyway. The
app is started the way tests/browser/conftest.py starts it (`streamlit run app.py` on loopback) and driven by
Playwright in Debian's /usr/bin/chromium (`--no-sandbox --disable-gpu`); Sefton is chosen through the URL's query
string (`?authority=E08000014`, ui/url.py), as a shared link would.

What "settled" means: after the action (a sidebar click, a key press, a drag's release, a tab or button click),
the app has run its script (or fragment) and says so (`data-test-script-state="notRunning"`, no stale elements,
no running indicator), every Plotly chart on the page has drawn its SVG, and the document has not changed for
QUIET_MS. The time reported is from the action to the last change of the document before that quiet spell (the
quiet spell itself is not counted). A page is visited once cold (the server builds its view) and ROUNDS times
warm (the view comes from the server's cache, as for every visitor after the first); the target is on the warm
median, the cold figure is reported beside it.

Beside each wall time: the renderer's main-thread time from Chromium's own counters (CDP `Performance.getMetrics`:
script, layout, style), the CPU the server and the browser processes used (/proc), and the websocket bytes the
browser received. This machine's 2 cores are shared with other work (`load_average_1m` is reported), so wall
times here are inflated against a person's own computer, where the browser does not compete with the server.

Usage: `python benchmarks/browser.py [--db FILE] [--rounds 2] [--steps 5] [--out FILE]`. `--db` keeps the built
database at FILE (built there if absent) so later runs skip the import; each run works on a copy of it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, start_server, stop_server  # noqa: E402

SEFTON = "E08000014"
TARGET_MS = {"page": 1000.0, "slider": 300.0, "monte_carlo": 1000.0, "save": 500.0}
QUIET_MS = 400
TIMEOUT_MS = 120_000
SLIDER = "Additional pressures (new each year)"
OFFICIAL_FOLDERS = (
    "la_reserves_mhclg/source",
    "la_outturn_2024-25_mhclg/source",
    "council_tax_receipts_mhclg/source",
    "peer_groups/source",
    "demand_dfe_children_looked_after/source",
    "demand_dfe_ehc_plans/source",
    "demand_mhclg_homelessness/source",
)
BORROWING = "la_borrowing_investment_mhclg/source/Borrowing_and_Investment_Live_Table_Q4_2019_20.xlsx"

# Installed before any of the app's scripts. Records, in the page's own clock, the last change to the document and
# each message from the server that ends a script or fragment run (ForwardMsg field 6, `script_finished`, read from
# the websocket's protobuf bytes): Streamlit's `data-test-script-state` attribute is not enough, because a fast
# run's "running" and "notRunning" can land in one React commit and never show.
WATCH_JS = """
(() => {
  const w = { last: performance.now(), finished: [] };
  window.__headroomWatch = w;
  const status = (bytes) => {  // the value of top-level field 6 (varint) of a ForwardMsg, or -1
    const b = new Uint8Array(bytes);
    let i = 0;
    const varint = () => {
      let r = 0, s = 0, x;
      do { x = b[i++]; r += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80 && i < b.length);
      return r;
    };
    while (i < b.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) { const v = varint(); if (field === 6) return v; }
      else if (wire === 2) { const n = varint(); i += n; }  // (i += varint() would read i first)
      else if (wire === 1) { i += 8; } else if (wire === 5) { i += 4; } else { return -1; }
    }
    return -1;
  };
  const Socket = window.WebSocket;
  window.WebSocket = class extends Socket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        const at = performance.now();
        const note = (bytes) => { const s = status(bytes); if (s >= 0) w.finished.push([at, s]); };
        if (event.data instanceof ArrayBuffer) note(event.data);
        else if (event.data instanceof Blob) event.data.arrayBuffer().then(note);
      });
    }
  };
  const observe = () => new MutationObserver(() => { w.last = performance.now(); })
    .observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
  if (document.documentElement) observe(); else new MutationObserver((_, o) => {
    if (document.documentElement) { o.disconnect(); observe(); } }).observe(document, { childList: true });
})();
"""

# Resolves with (last change − t0) once the page has settled after t0. `ran`: a script run must have finished after
# t0 (status 0 = whole script, 3 = fragment; 2 = stopped early for a newer rerun does not count); `ready`: a JS
# function body that must also return true (the new value shown).
SETTLED_JS = """
async ([t0, quiet, ran, ready, timeout]) => {
  const w = window.__headroomWatch;
  const app = () => document.querySelector('[data-testid="stApp"]');
  const finishedRun = () => w.finished.some(([t, s]) => t >= t0 && (s === 0 || s === 3));
  const drawn = () => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .every((c) => c.querySelector('.main-svg'));
  const isReady = () => !ready || new Function(ready)();
  const calm = () => {
    const a = app();
    return a && a.getAttribute('data-test-script-state') === 'notRunning'
      && !document.querySelector('[data-stale="true"]')
      && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')
      && drawn() && isReady();
  };
  const deadline = performance.now() + timeout;
  while (performance.now() < deadline) {
    const now = performance.now();
    if ((!ran || finishedRun()) && calm() && now - w.last >= quiet) return Math.max(0, w.last - t0);
    await new Promise((r) => setTimeout(r, 25));
  }
  const a = app();
  throw new Error('not settled within ' + timeout + ' ms: ' + JSON.stringify({
    ran: !ran || finishedRun(), finished: w.finished.slice(-3), t0,
    state: a && a.getAttribute('data-test-script-state'),
    stale: document.querySelectorAll('[data-stale="true"]').length,
    drawn: drawn(), running: !!document.querySelector('[data-testid="stStatusWidgetRunningIcon"]'),
    quiet_ms: performance.now() - w.last, ready: isReady()}));
}
"""


# -- the database ---------------------------------------------------------------------------------------------------


def _raw_dir() -> Path:
    base = Path(os.environ.get("HEADROOM_SHARED_DATA", ROOT.parent / "shared" / "data" / "raw"))
    if not (base / "la_reserves_mhclg" / "source").is_dir():
        raise SystemExit(f"official data not found at {base}; set HEADROOM_SHARED_DATA")
    return base


def build_database(path: Path) -> dict[str, Any]:
    """Every shared official return imported with Headroom's importers, and the demo council a first start builds."""
    from finance.demo import build_demo
    from finance.indicators import import_borrowing
    from finance.official import import_paths
    from finance.store import Store

    raw = _raw_dir()
    started = time.perf_counter()
    store = Store.open(str(path))
    try:
        reports = import_paths(store, [raw / folder for folder in OFFICIAL_FOLDERS], user="benchmark")
        import_borrowing(store, raw / BORROWING)
        build_demo(store)
        years = [str(r[0]) for r in store.query("SELECT DISTINCT financial_year FROM official_return ORDER BY 1")]
        store.checkpoint()
    finally:
        store.close()
    loaded = [r for r in reports if r.status != "skipped"]
    return {"official_files": len(loaded), "years": years, "build_s": round(time.perf_counter() - started, 1)}


def _copy_database(source: Path, target: Path) -> None:
    shutil.copy(source, target)
    head = Path(f"{source}.audit-head")
    if head.is_file():
        shutil.copy(head, f"{target}.audit-head")


# -- CPU from /proc ---------------------------------------------------------------------------------------------------


_TICK_S = 1 / os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, tuple[int, float]]:
    """pid → (parent pid, CPU seconds used so far) for every process we can read."""
    out: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        out[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) * _TICK_S)
    return out


def _tree_cpu_s(root: int, exclude: int) -> float:
    """CPU seconds of `root`'s descendants (not `root` itself), leaving out `exclude` and its descendants."""
    procs = _processes()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in procs.items():
        children.setdefault(ppid, []).append(pid)
    total, todo = 0.0, list(children.get(root, []))
    while todo:
        pid = todo.pop()
        if pid == exclude:
            continue
        total += procs[pid][1]
        todo.extend(children.get(pid, []))
    return total


def _cpu_s(pid: int) -> float:
    return _processes().get(pid, (0, 0.0))[1]


# -- measuring one action ------------------------------------------------------------------------------------------


class Meter:
    """Times actions in one page: wall to settled, renderer main-thread time, process CPU, websocket bytes."""

    def __init__(self, page: Any, server_pid: int) -> None:
        self.page, self.server_pid = page, server_pid
        self.failure_shot: Path | None = None  # where to keep a screenshot of a page that does not settle
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Performance.enable")
        self.ws_bytes = 0
        self.frames: list[bytes] = []  # every binary message from the server (browser_profile.py reads them)
        page.on("websocket", lambda ws: ws.on("framereceived", self._received))

    def _received(self, payload: str | bytes) -> None:
        self.ws_bytes += len(payload)
        if isinstance(payload, bytes):
            self.frames.append(payload)

    def _metrics(self) -> dict[str, float]:
        return {m["name"]: m["value"] for m in self.cdp.send("Performance.getMetrics")["metrics"]}

    def measure(self, action: Callable[[], None], *, ran: bool = True, ready: str = "") -> dict[str, Any]:
        """Run `action` and wait until the page settles; `ready`: a JS expression that must also hold."""
        before, ws0 = self._metrics(), self.ws_bytes
        server0, browser0 = _cpu_s(self.server_pid), _tree_cpu_s(os.getpid(), self.server_pid)
        t0 = self.page.evaluate("performance.now()")
        action()
        try:
            settled = self.page.evaluate(SETTLED_JS, [t0, QUIET_MS, ran, ready, TIMEOUT_MS])
        except Exception:
            if self.failure_shot is not None:
                self.page.screenshot(path=str(self.failure_shot), full_page=True)
            raise
        after = self._metrics()
        if self.page.get_by_test_id("stException").count():
            raise RuntimeError(
                "the page shows a Streamlit exception: " + self.page.get_by_test_id("stException").first.inner_text()
            )

        def ms(name: str) -> float:
            return round((after.get(name, 0.0) - before.get(name, 0.0)) * 1000, 1)

        return {
            "settled_ms": round(settled, 1),
            "renderer_script_ms": ms("ScriptDuration"),
            "renderer_layout_ms": round(ms("LayoutDuration") + ms("RecalcStyleDuration"), 1),
            "renderer_task_ms": ms("TaskDuration"),
            "server_cpu_ms": round((_cpu_s(self.server_pid) - server0) * 1000, 1),
            "browser_cpu_ms": round((_tree_cpu_s(os.getpid(), self.server_pid) - browser0) * 1000, 1),
            "ws_received_kb": round((self.ws_bytes - ws0) / 1024, 1),
        }


def _summary(samples: list[dict[str, Any]], target: float) -> dict[str, Any]:
    settled = [s["settled_ms"] for s in samples]
    median = round(statistics.median(settled), 1)
    keys = [k for k in samples[0] if k != "settled_ms"]
    return {
        "settled_median_ms": median,
        "settled_max_ms": max(settled),
        "target_ms": target,
        "meets_target": median < target,
        "runs": len(samples),
        **{f"{k}_median": round(statistics.median(s[k] for s in samples), 1) for k in keys},
    }


# -- the journeys ----------------------------------------------------------------------------------------------------


def _nav_titles(page: Any) -> list[str]:
    links = page.get_by_test_id("stSidebarNav").locator("a")
    return [t.strip().splitlines()[-1].strip() for t in links.all_inner_texts() if t.strip()]  # after the icon


def _visit(meter: Meter, title: str) -> dict[str, Any]:
    """Click `title` in the sidebar; settled once the new page's own title heading is shown and drawn."""
    nav = meter.page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True)
    before = meter.page.locator("h1").first.inner_text() if meter.page.locator("h1").count() else ""
    new_heading = f"const h = document.querySelector('h1'); return !!h && h.innerText !== {json.dumps(before)};"
    try:
        return meter.measure(nav.click, ready=new_heading)
    except Exception as err:
        shown = meter.page.locator("h1").all_inner_texts()
        raise RuntimeError(f"{title}: {err} (at {meter.page.url}, showing {shown})") from err


def measure_pages(meter: Meter, rounds: int, only: list[str] | None = None) -> dict[str, Any]:
    every = _nav_titles(meter.page)
    titles = [t for t in every if only is None or t in only]
    if not titles:
        raise SystemExit(f"none of {only} is in the sidebar")
    titles = titles[1:] + titles[:1]  # the app opens on the first: clicking the page shown does not run it again

    def visit(title: str) -> dict[str, Any]:
        timed = _visit(meter, title)
        if only is not None and title != every[0]:  # a few pages: leave each (untimed), so the next visit runs it
            _visit(meter, every[0])
        return timed

    cold = {title: visit(title) for title in titles}
    warm: dict[str, list[dict[str, Any]]] = {title: [] for title in titles}
    for _ in range(rounds):
        for title in titles:
            warm[title].append(visit(title))
    return {
        title: {**_summary(warm[title], TARGET_MS["page"]), "cold_settled_ms": cold[title]["settled_ms"]}
        for title in titles
    }


def _gap_text(page: Any) -> str:
    gap = page.get_by_test_id("stMetric").filter(has_text="Cumulative gap by").get_by_test_id("stMetricValue")
    return str(gap.first.inner_text())


def _gap_changed_js(before: str) -> str:
    return (
        "const m = [...document.querySelectorAll('[data-testid=\"stMetric\"]')]"
        ".find((e) => e.innerText.includes('Cumulative gap by'));"
        f" return !!m && !m.innerText.includes({json.dumps(before)});"
    )


def measure_scenarios(meter: Meter, steps: int) -> dict[str, Any]:
    page = meter.page
    _visit(meter, "MTFS scenarios")
    slider = page.get_by_test_id("stSlider").filter(has_text=SLIDER).get_by_role("slider").first
    slider.wait_for(state="attached", timeout=TIMEOUT_MS)
    slider.scroll_into_view_if_needed()
    results: dict[str, Any] = {}

    samples = []
    for _ in range(steps):
        before = _gap_text(page)
        slider.focus()
        samples.append(meter.measure(lambda: slider.press("ArrowRight"), ready=_gap_changed_js(before)))
    results["slider_keyboard_step"] = _summary(samples, TARGET_MS["slider"])

    before = _gap_text(page)
    slider.focus()

    def burst() -> None:
        for _ in range(10):
            slider.press("ArrowRight")

    results["slider_keyboard_10_steps"] = {
        **meter.measure(burst, ready=_gap_changed_js(before)),
        "note": "ten ArrowRight presses in a row, timed from the first press to settled",
    }

    samples = []
    for dx in (30, -30, 30):  # within the track: a release near the end could miss the thumb
        before = _gap_text(page)
        thumb = slider.locator("xpath=..")  # the slider's input is hidden inside the thumb a person drags
        thumb.scroll_into_view_if_needed()
        box = thumb.bounding_box()
        assert box is not None
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + dx, y, steps=8)
        samples.append(meter.measure(page.mouse.up, ready=_gap_changed_js(before)))
    results["slider_drag_release"] = {**_summary(samples, TARGET_MS["slider"]), "timed_from": "mouse release"}

    tab = page.get_by_role("tab", name="Uncertainty")
    mc = meter.measure(tab.click, ready="return document.body.innerText.includes('Ranges used');")
    results["monte_carlo_tab"] = {**mc, "target_ms": TARGET_MS["monte_carlo"],
                                  "meets_target": mc["settled_ms"] < TARGET_MS["monte_carlo"]}  # fmt: skip
    page.get_by_role("tab", name="Budget gap").click()
    meter.measure(lambda: None, ran=False)

    page.get_by_label("Your name (recorded with the saved scenario)").fill("benchmark")
    page.keyboard.press("Tab")
    meter.measure(lambda: None, ran=False)
    save = page.get_by_role("button", name="Save scenario")
    saved = meter.measure(save.click, ready="return document.body.innerText.includes('Saved ');")
    results["save"] = {**saved, "target_ms": TARGET_MS["save"], "meets_target": saved["settled_ms"] < TARGET_MS["save"]}
    return results


def run(db: Path, folder: Path, rounds: int, steps: int, only: list[str] | None) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    proc, url = start_server(db, folder / "streamlit.log")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
            )
            try:
                context = browser.new_context(viewport={"width": 1440, "height": 1000})
                context.add_init_script(WATCH_JS)
                page = context.new_page()
                meter = Meter(page, proc.pid)
                meter.failure_shot = folder / "not-settled.png"
                nav_shown = "return !!document.querySelector('[data-testid=\"stSidebarNav\"]');"
                first = meter.measure(
                    lambda: page.goto(f"{url}/?authority={SEFTON}", timeout=TIMEOUT_MS), ready=nav_shown
                )
                if f"authority={SEFTON}" not in page.url:  # the URL mirrors the session's selection (ui/url.py)
                    raise RuntimeError(f"Sefton is not selected: the app's address is {page.url}")
                pages = measure_pages(meter, rounds, only)
                scenarios = measure_scenarios(meter, steps)
            finally:
                browser.close()
    finally:
        stop_server(proc)
    return {"first_load": first, "pages": pages, "scenarios": scenarios}


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--db", type=Path, help="keep the built database here (built if absent); runs use a copy")
    parser.add_argument("--rounds", type=int, default=2, help="warm visits of every page")
    parser.add_argument("--steps", type=int, default=5, help="single slider steps timed")
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    parser.add_argument("--pages", nargs="+", help="only these pages (titles as in the sidebar; default: all)")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="headroom-browser-bench-"))
    built = args.db if args.db is not None else folder / "built.duckdb"
    database: dict[str, Any] = {"reused": built.is_file()}
    if not built.is_file():
        database.update(build_database(built))
    db = folder / "headroom.duckdb"
    _copy_database(built, db)

    wall0 = time.perf_counter()
    report: dict[str, Any] = {"benchmark": "browser", "authority": SEFTON, "database": database}
    report.update(run(db, folder, args.rounds, args.steps, args.pages))
    pages_ok = all(p["meets_target"] for p in report["pages"].values()) and args.pages is None
    scn = report["scenarios"]
    report["targets_ms"] = TARGET_MS
    report["meets_targets"] = {
        "every_page": pages_ok,
        "slider_keyboard_step": scn["slider_keyboard_step"]["meets_target"],
        "slider_drag_release": scn["slider_drag_release"]["meets_target"],
        "monte_carlo_tab": scn["monte_carlo_tab"]["meets_target"],
        "save": scn["save"]["meets_target"],
    }
    report["run_wall_s"] = round(time.perf_counter() - wall0, 1)
    report["load_average_1m"] = round(os.getloadavg()[0], 2)
    report["cores"] = os.cpu_count()
    text = json.dumps(report, indent=2)
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n", encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
