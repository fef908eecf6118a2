"""Static PNGs of the plotly charts, for the committee pack and the per-chart downloads.

Why kaleido with Debian's chromium: the PNG must be the chart the page draws (same figure object, same plotly.js),
and kaleido 1.x renders it in a headless Chrome it finds on the machine (`/usr/bin/chromium`, or $BROWSER_PATH). It
never downloads a browser here: we never call `kaleido.get_chrome`, and MathJax (which it would fetch from a CDN)
is switched off. Starting the browser costs seconds, so every chart of a pack is rendered by one browser, two tabs.

Why restyled for print: a committee pack is often printed in greyscale, where colour alone says nothing. Before
rendering, a copy of each figure gets a fill pattern per bar series (or per bar colour, where one series colours its
bars), a dash style per line and a marker symbol per series, on a white background. The figure shown on the page is
never changed.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from finance.errors import HeadroomError

CHROMIUM = "/usr/bin/chromium"
WIDTH_PX = 900
DEFAULT_HEIGHT_PX = 450
SCALE = 1.5  # 1350 px across the 180 mm text width: ~190 dpi, and a PDF a third smaller than at 2
TABS = 2
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


async def _render(figures: Sequence[go.Figure]) -> list[bytes]:
    import kaleido  # imported here: a page that never exports a chart does not pay for it

    path = browser_path()
    if path is None:
        raise ChartImageError(f"no Chrome or Chromium at {CHROMIUM} (install Debian's chromium, or set BROWSER_PATH)")
    async with kaleido.Kaleido(n=min(TABS, max(1, len(figures))), mathjax=False, path=path) as k:
        jobs = [k.calc_fig(f, opts=_opts(f)) for f in figures]
        return list(await asyncio.gather(*jobs))


def render_pngs(figures: Sequence[go.Figure], *, for_print: bool = True) -> list[bytes]:
    """PNG bytes of each figure, in order, from one browser. Raises ChartImageError when none can be started.

    Runs in its own thread with its own event loop, so it works the same from the CLI, a test and a Streamlit
    script (which may already have a loop running).
    """
    if not figures:
        return []
    prepared = [print_figure(f) if for_print else go.Figure(f) for f in figures]
    result: list[bytes] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            result.extend(asyncio.run(_render(prepared)))
        except BaseException as err:  # handed back to the caller's thread
            failure.append(err)

    thread = threading.Thread(target=work, name="chart-png", daemon=True)
    thread.start()
    thread.join()
    if failure:
        err = failure[0]
        if isinstance(err, HeadroomError):
            raise err
        raise ChartImageError(f"the browser could not draw the chart ({type(err).__name__}: {err})") from err
    return result


def chart_png(figure: go.Figure) -> bytes:
    """One chart as a PNG (the per-chart download): the same print styling as the pack."""
    return render_pngs([figure])[0]
