"""Static PNGs of the plotly charts, for the committee pack and the per-chart downloads.

Why kaleido with Debian's chromium: the PNG must be the chart the page draws (same figure object, same plotly.js),
and kaleido 1.x renders it in a headless Chrome it finds on the machine (`/usr/bin/chromium`, or $BROWSER_PATH). It
never downloads a browser here: we never call `kaleido.get_chrome`, and MathJax (which it would fetch from a CDN)
is switched off. Starting the browser costs seconds, so one browser per process draws every chart, two tabs at a time,
and stays open for the next pack (finance.pack.browser).

Why a cache: a pack redrawn on the same data draws the same charts. Each PNG is kept in memory under the sha256 of
its figure's full plotly spec (data, layout, the print styling flag and the image size): the data are part of the key,
so when the data change the key changes and an old image can never be served for new figures; the cache is bounded
(`CACHE_BYTES`, least recently used first out), so superseded images age out.

Why restyled for print: a committee pack is often printed in greyscale, where colour alone says nothing. Before
rendering, a copy of each figure gets a fill pattern per bar series (or per bar colour, where one series colours its
bars), a dash style per line and a marker symbol per series, on a white background. The figure shown on the page is
never changed.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from finance.errors import HeadroomError
from finance.pack import browser as chart_browser

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


def _bar_patterns(trace: Any, index: int) -> None:
    colours = trace.marker.color
    if isinstance(colours, list | tuple) and len(set(map(str, colours))) > 1:
        counts: dict[str, int] = {}
        for c in map(str, colours):
            counts[c] = counts.get(c, 0) + 1
        order = sorted(counts, key=lambda c: -counts[c])  # the commonest colour stays solid
        trace.marker.pattern.shape = [PATTERNS[order.index(str(c)) % len(PATTERNS)] for c in colours]
    elif trace.marker.pattern.shape is None:
        trace.marker.pattern.shape = PATTERNS[index % len(PATTERNS)]
    trace.marker.line.color = trace.marker.line.color or "#0b0c0c"
    trace.marker.line.width = trace.marker.line.width or 0.6


def print_figure(figure: go.Figure) -> go.Figure:
    """A copy of `figure` readable in greyscale: patterns, dashes and marker symbols by series; white paper."""
    fig = go.Figure(figure)
    bars = lines = 0
    for trace in fig.data:
        if trace.type == "bar":
            _bar_patterns(trace, bars)
            bars += 1
        elif trace.type == "scatter":
            mode = trace.mode or "lines"
            if "lines" in mode and trace.line.dash is None:
                trace.line.dash = DASHES[lines % len(DASHES)]
            if "markers" in mode and trace.marker.symbol is None:
                trace.marker.symbol = SYMBOLS[lines % len(SYMBOLS)]
            lines += 1
    fig.update_layout(paper_bgcolor="white", plot_bgcolor="white")
    return fig


def _opts(fig: go.Figure) -> dict[str, Any]:
    height = fig.layout.height or DEFAULT_HEIGHT_PX
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


def figure_key(figure: go.Figure, *, for_print: bool) -> str:
    """The cache key of a figure's image: sha256 of its full spec (data included), the styling and the size."""
    digest = hashlib.sha256(figure.to_json().encode())
    digest.update(repr((for_print, sorted(_opts(figure).items()))).encode())
    return digest.hexdigest()


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


def render_pngs(figures: Sequence[go.Figure], *, for_print: bool = True) -> list[bytes]:
    """PNG bytes of each figure, in order: from the cache, else drawn by the process's browser (two tabs at a
    time) and cached. Raises ChartImageError when no browser can draw them.

    Safe from any thread: the browser runs on its own thread and event loop, so this works the same from the CLI, a
    test and a Streamlit script (which may already have a loop running).
    """
    keys = [figure_key(f, for_print=for_print) for f in figures]
    found = [CACHE.get(k) for k in keys]
    missing = sorted({k: i for i, (k, png) in enumerate(zip(keys, found, strict=True)) if png is None}.values())
    if missing:
        jobs = []
        for i in missing:
            fig = print_figure(figures[i]) if for_print else go.Figure(figures[i])
            jobs.append((fig, _opts(fig)))
        try:
            drawn = _browser().render(jobs)
        except HeadroomError:
            raise
        except BaseException as err:
            raise ChartImageError(f"the browser could not draw the chart ({type(err).__name__}: {err})") from err
        for i, png in zip(missing, drawn, strict=True):
            CACHE.put(keys[i], png)
        by_key = {keys[i]: png for i, png in zip(missing, drawn, strict=True)}
        found = [png if png is not None else by_key[k] for k, png in zip(keys, found, strict=True)]
    return [png for png in found if png is not None]


def chart_png(figure: go.Figure) -> bytes:
    """One chart as a PNG (the per-chart download): the same print styling as the pack."""
    return render_pngs([figure])[0]
