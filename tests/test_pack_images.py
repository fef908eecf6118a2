"""Chart images for the pack: the process's browser draws them as kaleido's own reloaded tabs do, once per figure
spec (cached), starts once per process and again after it is closed."""

from __future__ import annotations

import asyncio
import inspect

import plotly.graph_objects as go
import pytest

from finance.pack import browser, images
from finance.pack.images import ImageCache, figure_key, render_pngs

needs_browser = pytest.mark.skipif(images.browser_path() is None, reason="no chromium (.ci/run installs it)")


def _figures() -> list[go.Figure]:
    bars = go.Figure([go.Bar(x=["a", "b", "c"], y=[3, 1, 2], name="one"), go.Bar(x=["a", "b"], y=[1, 2], name="two")])
    bars.update_layout(title="Bars", height=300)
    lines = go.Figure([go.Scatter(x=[1, 2, 3], y=[2, 5, 3], mode="lines+markers", name="line")])
    lines.update_layout(title="Lines")
    stacked = go.Figure([go.Bar(x=["x", "y"], y=[5, -2]), go.Scatter(x=["x", "y"], y=[4, 4], mode="lines")])
    stacked.update_layout(title="Mixed", height=350, barmode="relative")
    return [bars, lines, stacked]


def test_the_kaleido_hook_the_browser_overrides_is_there() -> None:
    """browser._kaleido_class overrides a private kaleido method: a kaleido without it must fail here."""
    import kaleido

    hook = kaleido.Kaleido._return_kaleido_tab
    assert inspect.iscoroutinefunction(hook)
    assert list(inspect.signature(hook).parameters) == ["self", "tab"]


def test_the_key_follows_the_figure_spec_and_the_styling() -> None:
    first, again = _figures()[0], _figures()[0]
    assert figure_key(first, for_print=True) == figure_key(again, for_print=True)  # same spec, same key
    changed = go.Figure(first).update_traces(y=[3, 1, 2.5], selector={"name": "one"})  # one value of the data
    assert figure_key(changed, for_print=True) != figure_key(first, for_print=True)
    assert figure_key(first, for_print=False) != figure_key(first, for_print=True)
    taller = go.Figure(first).update_layout(height=500)
    assert figure_key(taller, for_print=True) != figure_key(first, for_print=True)


def test_the_cache_is_bounded_and_drops_the_least_recently_used() -> None:
    cache = ImageCache(limit_bytes=10)
    cache.put("a", b"1234")
    cache.put("b", b"1234")
    assert cache.get("a") == b"1234"  # a is now the most recently used
    cache.put("c", b"1234")  # 12 bytes > 10: b goes
    assert cache.get("b") is None and cache.get("a") == b"1234" and cache.get("c") == b"1234"
    cache.put("huge", b"x" * 11)  # larger than the whole cache: never kept
    assert cache.get("huge") is None and len(cache) == 2


@needs_browser
def test_images_equal_kaleidos_reloaded_tabs_and_are_drawn_once() -> None:
    figures = _figures()
    printed = [images.print_figure(f) for f in figures]

    async def reference() -> list[bytes]:
        import kaleido

        async with kaleido.Kaleido(n=1, mathjax=False, path=images.browser_path()) as k:
            return [await k.calc_fig(f, opts=images._opts(f)) for f in printed]

    expected = asyncio.run(reference())
    images.CACHE.clear()
    shared = browser.shared(images.browser_path() or "")
    starts = shared.starts
    first = render_pngs(figures)
    assert first == expected  # byte for byte, although the tab was not reloaded between charts
    hits = images.CACHE.hits
    assert render_pngs(list(reversed(figures))) == list(reversed(expected))  # from the cache, in the asked order
    assert images.CACHE.hits == hits + len(figures)
    assert shared.starts - starts <= 1  # one browser for the process (none if an earlier test started it)
    images.CACHE.clear()
    images.disk_cache().clear()
    assert render_pngs(figures[1:]) == expected[1:]  # drawn again by the same open browser: still the same bytes
    assert shared.starts - starts <= 1


@needs_browser
def test_a_closed_browser_is_started_again() -> None:
    shared = browser.shared(images.browser_path() or "")
    figure = _figures()[1]
    render_pngs([figure])
    shared.close()
    assert not shared.running
    images.CACHE.clear()
    images.disk_cache().clear()
    starts = shared.starts
    png = render_pngs([figure])[0]
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and shared.starts == starts + 1 and shared.running


def test_no_browser_is_said_in_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "browser_path", lambda: None)
    images.CACHE.clear()
    with pytest.raises(images.ChartImageError, match="no Chrome or Chromium"):
        render_pngs([_figures()[0]])
    images.start_browser()  # never raises: drawing says why


def test_print_styling_is_restyled_on_the_spec_and_leaves_the_figure_alone() -> None:
    bars, lines, mixed = _figures()
    spec = images.print_spec(bars)
    assert [t["marker"]["pattern"]["shape"] for t in spec["data"]] == ["", "/"]  # one pattern per bar series
    assert all(t["marker"]["line"] == {"color": "#0b0c0c", "width": 0.6} for t in spec["data"])
    assert spec["layout"]["paper_bgcolor"] == spec["layout"]["plot_bgcolor"] == "white"
    line = images.print_spec(lines)["data"][0]
    assert (line["line"]["dash"], line["marker"]["symbol"]) == ("solid", "circle")
    assert bars.data[0].marker.pattern.shape is None and bars.layout.paper_bgcolor is None  # the page's figure
    assert images.print_figure(mixed).to_dict() == images.print_spec(mixed)


@needs_browser
def test_charts_handed_over_while_the_pack_is_gathered_are_drawn_once(monkeypatch: pytest.MonkeyPatch) -> None:
    figures = _figures()
    images.CACHE.clear()
    expected = render_pngs(figures)  # drawn once, to compare with
    images.CACHE.clear()
    images.disk_cache().clear()
    shared = browser.shared(images.browser_path() or "")
    submitted: list[int] = []
    real_submit = shared.submit

    def counting_submit(jobs: list[tuple[object, dict[str, object]]]) -> object:
        submitted.append(len(jobs))
        return real_submit(jobs)

    monkeypatch.setattr(shared, "submit", counting_submit)
    images.prefetch(figures[:2])  # returns at once: the browser draws in the background
    images.prefetch(figures[:2])  # already being drawn (or drawn): not handed over again
    assert render_pngs(figures) == expected  # waits for the two, draws only the third
    assert submitted == [2, 1]


def test_prefetch_without_a_browser_says_nothing_and_drawing_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "browser_path", lambda: None)
    images.CACHE.clear()
    images.prefetch(_figures())  # never raises: the pack goes on gathering
    with pytest.raises(images.ChartImageError, match="no Chrome or Chromium"):
        render_pngs(_figures())


@needs_browser
def test_images_handed_over_are_read_into_fpdf_in_the_background_as_fpdf_reads_them() -> None:
    import hashlib
    import io

    from fpdf import FPDF

    from finance.pack import pdf

    figures = _figures()
    images.CACHE.clear()
    images.disk_cache().clear()
    with pdf._PARSED_LOCK:
        pdf._PARSED.clear()
    images.prefetch(figures)
    pngs = render_pngs(figures)
    pdf._PREPARSE.submit(lambda: None).result()  # the worker is done with everything handed to it before
    for png in pngs:
        key = hashlib.md5(png.strip(), usedforsecurity=False).hexdigest()
        doc = FPDF()
        doc.add_page()
        doc.image(io.BytesIO(png), w=50)  # fpdf's own parse, in a document
        own = doc.image_cache.images[key]
        kept = pdf._PARSED[key]
        assert (kept["data"], kept.get("smask"), kept["w"], kept["h"]) == (
            own["data"],
            own.get("smask"),
            own["w"],
            own["h"],
        )
