"""The one headless browser a process draws chart images with, started once and kept open between packs.

Why: kaleido starts Chromium for every `async with Kaleido()` (seconds of wall time) and, after every chart, reloads
the tab (plotly.js, 4 MB, parsed again): together most of a pack's time. Here the browser is started once per
process — in the background, while the pack's views are gathered (`start`) — and kept for the next pack; a tab is
reloaded only every `RELOAD_EVERY` charts (kaleido's own JS purges each plot, so the next chart starts from a clean
page: the images are byte for byte those of a reloaded tab, `tests/test_pack_images.py`). The browser is closed
after `IDLE_CLOSE_S` without work, at exit, and after any failure (the next call starts a new one).

kaleido's tab hand-back (`Kaleido._return_kaleido_tab`) is private API: requirements.txt pins kaleido, and the test
above fails if the hook goes away.

It runs on its own thread with its own event loop, so callers on any thread (a Streamlit script, which may already
have a loop running; the CLI; tests) hand it work and wait for the result.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from typing import Any

TABS = 2  # two cores on the machines this runs on: more tabs only queue for them
RELOAD_EVERY = 100  # charts a tab draws before it is reloaded (bounds whatever a page keeps between plots)
IDLE_CLOSE_S = 600.0
RENDER_TIMEOUT_S = 90.0  # per chart, kaleido's default


def _kaleido_class() -> Any:
    import kaleido  # imported here: a page that never exports a chart does not pay for it

    class _Kaleido(kaleido.Kaleido):  # type: ignore[misc]
        """kaleido, reloading a tab only every RELOAD_EVERY charts instead of after each."""

        _drawn: dict[int, int]

        async def _return_kaleido_tab(self, tab: Any) -> None:
            drawn = self._drawn.get(id(tab), 0) + 1
            if drawn >= RELOAD_EVERY:
                self._drawn[id(tab)] = 0
                await super()._return_kaleido_tab(tab)  # reloads, then hands back
                return
            self._drawn[id(tab)] = drawn
            await self.tabs_ready.put(tab)

    return _Kaleido


class ChartBrowser:
    """A lazily started kaleido (`TABS` tabs) on a private event loop; thread-safe."""

    def __init__(self, path: str, tabs: int = TABS) -> None:
        self.path = path
        self.tabs = tabs
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._opened: Future[Any] | None = None  # resolves to the open kaleido
        self._idle: asyncio.TimerHandle | None = None
        self._busy = 0  # charts being drawn (read and written on the loop's thread only)
        self.starts = 0  # browsers started by this object (benchmarks and tests read it)

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="chart-browser", daemon=True).start()
            self._loop = loop
        return self._loop

    def start(self) -> Future[Any]:
        """Start the browser in the background if it is not running; returns the future of the open browser."""
        with self._lock:
            loop = self._ensure_loop()
            if self._opened is None:
                self._opened = asyncio.run_coroutine_threadsafe(self._open(), loop)
                self.starts += 1
            return self._opened

    async def _open(self) -> Any:
        k = _kaleido_class()(n=self.tabs, mathjax=False, path=self.path, timeout=RENDER_TIMEOUT_S)
        k._drawn = {}
        await k.open()
        return k

    def submit(self, jobs: Sequence[tuple[Any, dict[str, Any]]]) -> list[Future[bytes]]:
        """Start drawing each (figure or figure dict, kaleido options); the futures of their PNG bytes, in order.
        Returns at once: the tabs draw while the caller goes on (the pack hands over each section's charts as it is
        gathered). A failure closes the browser (the next call starts a new one) and is raised by its future."""
        opened = self.start()
        assert self._loop is not None
        futures = [asyncio.run_coroutine_threadsafe(self._draw(opened, fig, opts), self._loop) for fig, opts in jobs]
        for future in futures:
            future.add_done_callback(lambda f: self._failed(opened, f))
        return futures

    def _failed(self, opened: Future[Any], drawn: Future[bytes]) -> None:
        if drawn.cancelled() or drawn.exception() is not None:
            self._discard(opened)

    def render(self, jobs: Sequence[tuple[Any, dict[str, Any]]]) -> list[bytes]:
        """PNG bytes of each (figure or figure dict, kaleido options), in order. Any failure closes the browser (the
        next call starts a new one) and is raised here."""
        return [future.result() for future in self.submit(jobs)]

    async def _draw(self, opened: Future[Any], fig: Any, opts: dict[str, Any]) -> bytes:
        k = await asyncio.wrap_future(opened)
        self._busy += 1
        if self._idle is not None:
            self._idle.cancel()
        try:
            png: bytes = await k.calc_fig(fig, opts=opts)
            return png
        finally:
            self._busy -= 1
            if not self._busy:  # the last chart drawn: close after IDLE_CLOSE_S unless more come
                assert self._loop is not None
                self._idle = self._loop.call_later(IDLE_CLOSE_S, lambda: self._discard(opened))

    def _discard(self, opened: Future[Any]) -> None:
        """Close the browser behind `opened` if it is still the current one."""
        with self._lock:
            if self._opened is not opened:
                return
            self._opened = None
        if self._loop is not None:
            asyncio.run_coroutine_threadsafe(_close(opened), self._loop)

    def close(self) -> None:
        """Close the browser (if any) and wait for it to go."""
        with self._lock:
            opened, self._opened = self._opened, None
        if opened is not None and self._loop is not None and self._loop.is_running():
            with contextlib.suppress(Exception):  # closing at exit or after a failure: nothing more to do
                asyncio.run_coroutine_threadsafe(_close(opened), self._loop).result(timeout=30)

    @property
    def running(self) -> bool:
        return self._opened is not None


async def _close(opened: Future[Any]) -> None:
    try:
        k = await asyncio.wrap_future(opened)
    except BaseException:
        return  # it never opened
    await k.close()


_browsers: dict[str, ChartBrowser] = {}
_browsers_lock = threading.Lock()


def shared(path: str) -> ChartBrowser:
    """The process's browser for the Chromium at `path` (one per path; closed at exit)."""
    with _browsers_lock:
        if path not in _browsers:
            _browsers[path] = ChartBrowser(path)
        return _browsers[path]


@atexit.register
def close_all() -> None:
    """Close every browser this process started."""
    for browser in list(_browsers.values()):
        browser.close()
