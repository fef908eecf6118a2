"""The load benchmark's websocket client (benchmarks/stream_client.py) against a live server, so the benchmark
cannot rot into measuring nothing: it must see the navigation and every element of a page, in two sessions at once."""

from __future__ import annotations

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from stream_client import StreamSession  # noqa: E402


def test_stream_sessions_run_pages_and_see_their_elements(app_url: str) -> None:
    async def walk() -> dict[str, tuple[int, int, list[str]]]:
        seen: dict[str, tuple[int, int, list[str]]] = {}
        async with StreamSession(app_url) as a, StreamSession(app_url) as b:  # two sessions of one server
            await asyncio.gather(a.open_app(), b.open_app())
            assert {"Overview", "Reserves benchmark", "Data sources"} <= set(a.pages)
            for title in ("Data sources", "Resilience profile"):
                run_a, run_b = await asyncio.gather(a.open_page(title), b.open_page(title))
                assert run_b.messages > 0 and run_b.exceptions == []  # the other session got its page too
                seen[title] = (run_a.messages, run_a.bytes_received, run_a.exceptions)
        return seen

    # a thread of its own: pytest-playwright's sync API keeps an event loop running on this one
    with ThreadPoolExecutor(max_workers=1) as pool:
        seen = pool.submit(lambda: asyncio.run(walk())).result(timeout=120)
    sources, resilience = seen["Data sources"], seen["Resilience profile"]
    assert sources[2] == [] and resilience[2] == []
    assert resilience[0] > sources[0] and resilience[1] > 4 * sources[1]  # eight strip charts, not a header
