"""Static PNGs of the plotly charts, for the committee pack and the per-chart downloads.

Why kaleido with Debian's chromium: the PNG must be the chart the page draws (same figure object, same plotly.js),
and kaleido 1.x renders it in a headless Chrome it finds on the machine (`/usr/bin/chromium`, or $BROWSER_PATH). It
never downloads a browser here: we never call `kaleido.get_chrome`, and MathJax (which it would fetch from a CDN)
is switched off. Starting the browser costs seconds, so one browser per process draws every chart, two tabs at a time,
and stays open for the next pack (finance.pack.browser).

Why a cache: a pack redrawn on the same data draws the same charts. Each PNG is kept in memory under the sha256 of
its figure's full plotly spec (data, layout, the print styling flag and the image size): the data are part of the key,
so when the data change the key changes and an old image can never be served for new figures; the cache is bounded
(`CACHE_BYTES`, least recently used first out), so superseded images age out. The same images are kept on disk
(finance.pack.disk_cache, in `$HEADROOM_CACHE_DIR`, default `data/cache/`), keyed also by the plotly.js, kaleido and
browser that drew them, so the first pack after a server restart on unchanged data draws nothing.

Why restyled for print: a committee pack is often printed in greyscale, where colour alone says nothing. Before
rendering, a copy of each figure gets a fill pattern per bar series (or per bar colour, where one series colours its
bars), a dash style per line and a marker symbol per series, on a white background. The figure shown on the page is
never changed.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from importlib import metadata
from pathlib import Path
from typing import Any

import plotly
import plotly.graph_objects as go
from plotly.utils import PlotlyJSONEncoder

from finance import settings
from finance.config import DATA_DIR
from finance.errors import HeadroomError
from finance.pack import browser as chart_browser
from finance.pack.disk_cache import DiskCache

CHROMIUM = "/usr/bin/chromium"
WIDTH_PX = 900
DEFAULT_HEIGHT_PX = 450
SCALE = 1.5  # 1350 px across the 180 mm text width: ~190 dpi, and a PDF a third smaller than at 2
CACHE_BYTES = 64 * 1024 * 1024  # ~800 chart images: several packs of several councils
PATTERNS = ("", "/", ".", "x", "\\", "+", "-", "|")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "cross")


class ChartImageError(HeadroomError):
    """No browser to draw the chart with, or it failed: said in words, never a traceback on a page."""

    title = "Chart image not available"


def browser_path() -> str | None:
    """The Chrome/Chromium kaleido will use: $BROWSER_PATH if set, else Debian's chromium if installed."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env
    return CHROMIUM if Path(CHROMIUM).exists() else None


def _sub(parent: dict[str, Any], name: str) -> dict[str, Any]:
    """`parent[name]`, a dict, created if absent (plotly's `trace.marker.line` on plain dicts)."""
    child = parent.get(name)
    if not isinstance(child, dict):
        child = parent[name] = {}
    return child


def _bar_patterns(trace: dict[str, Any], index: int) -> None:
    marker = _sub(trace, "marker")
    colours = marker.get("color")
    if isinstance(colours, list | tuple) and len(set(map(str, colours))) > 1:
        counts: dict[str, int] = {}
        for c in map(str, colours):
            counts[c] = counts.get(c, 0) + 1
        order = sorted(counts, key=lambda c: -counts[c])  # the commonest colour stays solid
        _sub(marker, "pattern")["shape"] = [PATTERNS[order.index(str(c)) % len(PATTERNS)] for c in colours]
    elif _sub(marker, "pattern").get("shape") is None:
        marker["pattern"]["shape"] = PATTERNS[index % len(PATTERNS)]
    line = _sub(marker, "line")
    line["color"] = line.get("color") or "#0b0c0c"
    line["width"] = line.get("width") or 0.6


def print_spec(figure: go.Figure) -> dict[str, Any]:
    """The plotly spec (plain dicts, a copy) of `figure` readable in greyscale: patterns, dashes and marker symbols
    by series; white paper. Restyled on the dicts kaleido sends to the browser anyway: a validated go.Figure copy
    cost about 30 ms a chart, more than a pack's worth of hashing and encoding."""
    spec: dict[str, Any] = figure.to_dict()
    bars = lines = 0
    for trace in spec.get("data", []):
        if trace.get("type") == "bar":
            _bar_patterns(trace, bars)
            bars += 1
        elif trace.get("type") == "scatter":
            mode = trace.get("mode") or "lines"
            if "lines" in mode and _sub(trace, "line").get("dash") is None:
                trace["line"]["dash"] = DASHES[lines % len(DASHES)]
            if "markers" in mode and _sub(trace, "marker").get("symbol") is None:
                trace["marker"]["symbol"] = SYMBOLS[lines % len(SYMBOLS)]
            lines += 1
    layout = _sub(spec, "layout")
    layout["paper_bgcolor"] = layout["plot_bgcolor"] = "white"
    return spec


def print_figure(figure: go.Figure) -> go.Figure:
    """A copy of `figure` readable in greyscale (`print_spec` as a figure): what the pack's image shows."""
    return go.Figure(print_spec(figure))


def _opts(fig: go.Figure | dict[str, Any]) -> dict[str, Any]:
    layout = fig.get("layout", {}) if isinstance(fig, dict) else fig.layout
    height = (layout.get("height") if isinstance(layout, dict) else layout.height) or DEFAULT_HEIGHT_PX
    return {"format": "png", "width": WIDTH_PX, "height": int(height), "scale": SCALE}


class ImageCache:
    """PNG bytes by figure key, at most `limit_bytes` in all, least recently used out first; thread-safe."""

    def __init__(self, limit_bytes: int = CACHE_BYTES) -> None:
        self.limit_bytes = limit_bytes
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: str) -> bytes | None:
        with self._lock:
            png = self._items.get(key)
            if png is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return png

    def put(self, key: str, png: bytes) -> None:
        with self._lock:
            if key in self._items or len(png) > self.limit_bytes:
                return
            self._items[key] = png
            self._bytes += len(png)
            while self._bytes > self.limit_bytes:
                _, old = self._items.popitem(last=False)
                self._bytes -= len(old)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._items)


CACHE = ImageCache()
DISK_CACHE_BYTES = 256 * 1024 * 1024  # ~2000 chart images on disk
_disks: dict[Path, DiskCache] = {}


def disk_cache() -> DiskCache:
    """The on-disk image cache in `$HEADROOM_CACHE_DIR` (default `data/cache/`), folder `chart-images`."""
    folder = (settings.read().cache_dir or DATA_DIR / "cache") / "chart-images"
    with _DRAWING_LOCK:
        if folder not in _disks:
            _disks[folder] = DiskCache(folder, DISK_CACHE_BYTES)
        return _disks[folder]


@functools.cache
def _drawn_with(path: str | None) -> bytes:
    """What an image depends on besides its spec: the plotly.js, kaleido and browser build that draw it."""
    try:
        st = Path(path).stat() if path else None
    except OSError:
        st = None
    return repr((plotly.__version__, metadata.version("kaleido"), path, st and (st.st_size, st.st_mtime_ns))).encode()


def _disk_key(key: str) -> str:
    return hashlib.sha256(key.encode() + _drawn_with(browser_path())).hexdigest()


def _spec(figure: go.Figure, *, for_print: bool) -> dict[str, Any]:
    return print_spec(figure) if for_print else figure.to_dict()


def _spec_key(spec: dict[str, Any], *, for_print: bool) -> str:
    digest = hashlib.sha256(json.dumps(spec, cls=PlotlyJSONEncoder, sort_keys=True).encode())
    digest.update(repr((for_print, sorted(_opts(spec).items()))).encode())
    return digest.hexdigest()


def figure_key(figure: go.Figure, *, for_print: bool) -> str:
    """The cache key of a figure's image: sha256 of the full spec drawn (data included), the styling and the size."""
    return _spec_key(_spec(figure, for_print=for_print), for_print=for_print)


def _browser() -> chart_browser.ChartBrowser:
    path = browser_path()
    if path is None:
        raise ChartImageError(f"no Chrome or Chromium at {CHROMIUM} (install Debian's chromium, or set BROWSER_PATH)")
    return chart_browser.shared(path)


def start_browser() -> None:
    """Start the process's chart browser in the background, if there is one and it is not running: the pack calls
    this before gathering its views, so the browser's start-up overlaps them. Never raises (drawing will)."""
    path = browser_path()
    if path is not None:
        chart_browser.shared(path).start()


# Images being drawn, by key: a pack hands its charts to the browser section by section while it gathers the rest
# (`prefetch`), and `render_pngs` then waits for those rather than drawing them again.
_DRAWING: dict[str, Future[bytes]] = {}
_DRAWING_LOCK = threading.Lock()


def _draw(figures: Sequence[go.Figure], for_print: bool) -> list[bytes | Future[bytes]]:
    """Each figure's PNG (cached) or the future of its drawing: one drawing per key, started here unless it is
    already under way. Raises ChartImageError when there is no browser."""
    keyed = []
    for figure in figures:
        spec = _spec(figure, for_print=for_print)
        keyed.append((_spec_key(spec, for_print=for_print), spec))
    found: dict[str, bytes | Future[bytes]] = {}
    pending: dict[str, dict[str, Any]] = {}
    disk = disk_cache()
    with _DRAWING_LOCK:
        for key, spec in keyed:
            if key not in found and key not in pending:
                hit = CACHE.get(key) or _DRAWING.get(key) or _from_disk(disk, key)
                if hit is None:
                    pending[key] = spec
                else:
                    found[key] = hit
        drawing: dict[str, Future[bytes]] = {}
        started: dict[str, Future[bytes]] = {}
        if pending:
            futures = _browser().submit([(spec, _opts(spec)) for spec in pending.values()])
            drawing = dict(zip(pending, futures, strict=True))
            started = {key: Future[bytes]() for key in drawing}  # resolved once the PNG is in the caches
            _DRAWING.update(started)
            found.update(started)
    for key, future in drawing.items():  # outside the lock: a drawing already ended calls back at once
        future.add_done_callback(functools.partial(_drawn, key, started[key]))
    return [found[key] for key, _ in keyed]


def _from_disk(disk: DiskCache, key: str) -> bytes | None:
    if browser_path() is None:  # the images on disk were drawn by a browser this machine no longer has
        return None
    png = disk.get(_disk_key(key))
    if png is not None:
        CACHE.put(key, png)
    return png


def _drawn(key: str, result: Future[bytes], drawing: Future[bytes]) -> None:
    """A drawing ended: its PNG goes into the caches, then to whoever waits for it (a failure only to them)."""
    try:
        png = drawing.result()
    except BaseException as err:
        with _DRAWING_LOCK:
            _DRAWING.pop(key, None)
        result.set_exception(err)
        return
    CACHE.put(key, png)
    disk_cache().put(_disk_key(key), png)
    with _DRAWING_LOCK:
        _DRAWING.pop(key, None)
    result.set_result(png)


_LISTENERS: list[Callable[[bytes], None]] = []


def on_prefetched(listener: Callable[[bytes], None]) -> None:
    """Call `listener(png)` with each image `prefetch` hands over, once it is drawn or read (on the browser's thread
    or the caller's: it must return at once). The PDF pack uses it to read each image into fpdf in the background."""
    _LISTENERS.append(listener)


def _tell(png: bytes) -> None:
    for listener in _LISTENERS:
        with contextlib.suppress(Exception):
            listener(png)


def _tell_drawn(drawn: Future[bytes]) -> None:
    if drawn.exception() is None:
        _tell(drawn.result())


def prefetch(figures: Sequence[go.Figure], *, for_print: bool = True) -> None:
    """Start drawing `figures` in the background (those not cached or already being drawn): the pack calls this as
    each section is gathered, so the browser draws while the rest is read. Never raises (`render_pngs` will)."""
    if browser_path() is None:
        return
    with contextlib.suppress(Exception):
        for found in _draw(figures, for_print):
            if isinstance(found, bytes):
                _tell(found)
            else:
                found.add_done_callback(_tell_drawn)


def render_pngs(figures: Sequence[go.Figure], *, for_print: bool = True) -> list[bytes]:
    """PNG bytes of each figure, in order: from the cache, else drawn by the process's browser (two tabs at a
    time; waiting for those `prefetch` started) and cached. Raises ChartImageError when no browser can draw them.

    Safe from any thread: the browser runs on its own thread and event loop, so this works the same from the CLI, a
    test and a Streamlit script (which may already have a loop running).
    """
    pngs = []
    for found in _draw(figures, for_print):
        if isinstance(found, bytes):
            pngs.append(found)
            continue
        try:
            pngs.append(found.result())
        except HeadroomError:
            raise
        except BaseException as err:
            raise ChartImageError(f"the browser could not draw the chart ({type(err).__name__}: {err})") from err
    return pngs


def chart_png(figure: go.Figure) -> bytes:
    """One chart as a PNG (the per-chart download): the same print styling as the pack."""
    return render_pngs([figure])[0]
