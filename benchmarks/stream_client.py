"""A minimal Streamlit websocket client: one session that asks the server to run pages, as a browser tab does.

Why: the load benchmark wants the server's page time under N sessions without N Chromium renderers competing for
the same two cores (a user's browser draws on the user's machine). This speaks the protocol the browser speaks —
the `/_stcore/stream` websocket, protobuf `BackMsg.rerun_script` with the target page's script hash — and times a
page from the request to the server's `script_finished`, having received every element the run sent. An exception
element in the stream (a traceback a user would see) is an error.

Only what a benchmark needs: no widget state is sent (the sidebar's choices live in session state), no rendering.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
EARLY = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN


@dataclass
class PageRun:
    """One page run as the client saw it."""

    milliseconds: float
    messages: int
    bytes_received: int
    exceptions: list[str] = field(default_factory=list)


class StreamSession:
    """One Streamlit session over a websocket (`async with StreamSession(url) as s: await s.open_app()`)."""

    def __init__(self, url: str, *, timeout_s: float = 30.0) -> None:
        parsed = urlparse(url)
        self.http_url = url.rstrip("/")
        self.ws_url = f"ws://{parsed.netloc}/_stcore/stream"
        self.timeout_s = timeout_s
        self.pages: dict[str, str] = {}  # page title -> script hash, from the server's navigation message
        self._ws: Any = None

    async def __aenter__(self) -> StreamSession:
        self._ws = await websockets.connect(
            self.ws_url,
            subprotocols=[websockets.Subprotocol("streamlit")],
            origin=websockets.Origin(self.http_url),
            max_size=None,
            open_timeout=self.timeout_s,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._ws.close()

    async def open_app(self) -> PageRun:
        """The first run (the default page), which also tells us the pages of the navigation."""
        return await self._run(BackMsg(rerun_script={"query_string": "", "page_script_hash": ""}))

    async def open_page(self, title: str) -> PageRun:
        """Run the page titled `title` (as a click in the sidebar does)."""
        back = BackMsg(rerun_script={"query_string": "", "page_script_hash": self.pages[title]})
        return await self._run(back)

    async def _run(self, back: BackMsg) -> PageRun:
        start = time.perf_counter()
        await self._ws.send(back.SerializeToString())
        run = PageRun(0.0, 0, 0)
        deadline = start + self.timeout_s
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"no script_finished within {self.timeout_s:.0f} s")
            data = await _recv(self._ws, remaining)
            run.messages += 1
            run.bytes_received += len(data)
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "navigation":
                self.pages = {p.page_name: p.page_script_hash for p in msg.navigation.app_pages}
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                if element.WhichOneof("type") == "exception":
                    run.exceptions.append(f"{element.exception.type}: {element.exception.message}"[:200])
            elif kind == "script_finished" and msg.script_finished != EARLY:
                # EARLY: the app asked for a rerun (its first run does once); the page has not been drawn yet
                run.milliseconds = (time.perf_counter() - start) * 1000
                if msg.script_finished != FINISHED:
                    run.exceptions.append(f"script finished with status {msg.script_finished}")
                return run


async def _recv(ws: Any, timeout_s: float) -> bytes:
    import asyncio

    data = await asyncio.wait_for(ws.recv(), timeout=timeout_s)
    return data if isinstance(data, bytes) else data.encode()
