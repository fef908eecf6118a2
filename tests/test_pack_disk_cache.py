"""Chart images kept on disk (finance.pack.disk_cache): a pack after a restart on unchanged data draws nothing, a
changed figure is drawn again, and a truncated, corrupted or half-written file is never served."""

from __future__ import annotations

import os
import time
from pathlib import Path

import plotly.graph_objects as go
import pytest

from finance.pack import browser, images
from finance.pack.disk_cache import MAGIC, DiskCache
from finance.pack.images import render_pngs

needs_browser = pytest.mark.skipif(images.browser_path() is None, reason="no chromium (.ci/run installs it)")

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def _figures() -> list[go.Figure]:
    bars = go.Figure([go.Bar(x=["a", "b", "c"], y=[3, 1, 2], name="one"), go.Bar(x=["a", "b"], y=[1, 2], name="two")])
    bars.update_layout(title="Disk bars", height=300)
    lines = go.Figure([go.Scatter(x=[1, 2, 3], y=[2, 5, 3], mode="lines+markers", name="line")])
    lines.update_layout(title="Disk lines")
    return [bars, lines]


def test_an_image_put_is_read_back_whole(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "images", limit_bytes=1 << 20)
    assert cache.get("k") is None  # nothing yet (and no folder): a miss, not an error
    cache.put("k", PNG)
    assert cache.get("k") == PNG
    assert [p.name for p in (tmp_path / "images").iterdir()] == ["k.png"]  # no temporary file left behind


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated: a writer that crashed before the rename was atomic
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit of the PNG flipped
        lambda data: b"x" + data[1:],  # not a file this cache wrote
        lambda data: b"",
    ],
)
def test_a_truncated_or_corrupted_file_is_a_miss(tmp_path: Path, damage: object) -> None:
    cache = DiskCache(tmp_path, limit_bytes=1 << 20)
    cache.put("k", PNG)
    path = tmp_path / "k.png"
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    assert cache.get("k") is None
    cache.put("k", PNG)  # drawn again: the whole file replaces the damaged one
    assert cache.get("k") == PNG


def test_a_file_that_is_not_a_png_is_a_miss(tmp_path: Path) -> None:
    import hashlib

    cache = DiskCache(tmp_path, limit_bytes=1 << 20)
    (tmp_path / "k.png").write_bytes(MAGIC + hashlib.sha256(b"GIF89a").digest() + b"GIF89a")  # checksum right
    assert cache.get("k") is None


def test_the_folder_is_bounded_least_recently_used_out_and_stale_partial_files_go(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path, limit_bytes=len(PNG) * 3 + 200)
    for i, key in enumerate(["a", "b", "c"]):
        cache.put(key, PNG)
        os.utime(tmp_path / f"{key}.png", (time.time() - 100 + i, time.time() - 100 + i))
    assert cache.get("a") == PNG  # a is now the most recently used
    stale = tmp_path / ".dead-writer.part"
    stale.write_bytes(b"half")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    cache.put("d", PNG)  # four images > the limit: the oldest untouched (b, then c) go
    cache.prune()
    left = sorted(p.name for p in tmp_path.iterdir())
    assert "a.png" in left and "d.png" in left and "b.png" not in left
    assert sum((tmp_path / n).stat().st_size for n in left) <= cache.limit_bytes
    assert not stale.exists()


def test_a_folder_that_cannot_be_written_only_means_no_disk_cache(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = DiskCache(blocker / "images", limit_bytes=1 << 20)
    cache.put("k", PNG)  # no exception
    assert cache.get("k") is None


@needs_browser
def test_a_pack_after_a_restart_draws_nothing_and_a_changed_figure_is_drawn_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEADROOM_CACHE_DIR", str(tmp_path))
    figures = _figures()
    images.CACHE.clear()
    drawn = render_pngs(figures)
    assert len(list((tmp_path / "chart-images").glob("*.png"))) == len(figures)

    images.CACHE.clear()  # a new server process: nothing in memory
    shared = browser.shared(images.browser_path() or "")
    submitted: list[int] = []
    real_submit = shared.submit

    def counting_submit(jobs: list[tuple[object, dict[str, object]]]) -> object:
        submitted.append(len(jobs))
        return real_submit(jobs)

    monkeypatch.setattr(shared, "submit", counting_submit)
    assert render_pngs(figures) == drawn  # the same bytes, read from disk
    assert submitted == []

    changed = go.Figure(figures[0]).update_traces(y=[3, 1, 2.5], selector={"name": "one"})
    (png,) = render_pngs([changed])
    assert submitted == [1] and png != drawn[0]  # one value changed: a new key, drawn, never the old image

    images.CACHE.clear()
    victim = tmp_path / "chart-images" / f"{images._disk_key(images.figure_key(figures[1], for_print=True))}.png"
    victim.write_bytes(victim.read_bytes()[:100])  # half a file
    assert render_pngs([figures[1]]) == [drawn[1]]  # ignored, drawn again
    assert submitted == [1, 1]
