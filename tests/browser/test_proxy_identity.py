"""Trusted-proxy sign-in against a live server: the identity header counts only from the proxy's own TCP address.

A plain websocket client (the protocol a browser tab speaks) connects from chosen loopback source addresses:
127.0.0.2 plays the trusted proxy, 127.0.0.1 anyone else on the machine. `X-Forwarded-For` naming the trusted
address is only a header here — no traffic goes anywhere but loopback. The server is started as run.sh starts it
(`FORWARDED_ALLOW_IPS` empty, so uvicorn keeps the TCP peer address) and, to show the app defends itself too,
with uvicorn's default (loopback peers' addresses rewritten from `X-Forwarded-For`).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from unittest import mock

import pytest
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.browser.conftest import start_server, stop_server

PROJECT_ROOT = Path(__file__).resolve().parents[2]
RUN_SH = (PROJECT_ROOT / "run.sh").read_text(encoding="utf-8")
PROXY, OTHER = "127.0.0.2", "127.0.0.1"
USER = "ada@northbridge.gov.uk"
CONFIG = f"""
[roles]
default = "none"
[roles.users]
"{USER}" = "admin"
[proxy]
header = "X-Forwarded-User"
trusted = ["10.0.0.5/32", "{PROXY}/32"]
"""


def _texts(source: str, url: str, headers: dict[str, str], page: str = "") -> str:
    """Every element text of the first page run (of `page`, by URL path; default the main page), for a session
    opened from `source` with `headers`."""

    async def run() -> str:
        port = int(url.rsplit(":", 1)[1])
        texts: list[str] = []
        async with websockets.connect(
            f"ws://127.0.0.1:{port}/_stcore/stream",
            subprotocols=[websockets.Subprotocol("streamlit")],
            origin=websockets.Origin(url),
            additional_headers=headers,
            local_addr=(source, 0),
            max_size=None,
            open_timeout=60,
        ) as ws:
            await ws.send(
                BackMsg(
                    rerun_script={"query_string": "", "page_script_hash": "", "page_name": page}
                ).SerializeToString()
            )
            while True:
                data = await asyncio.wait_for(ws.recv(), timeout=120)
                msg = ForwardMsg()
                msg.ParseFromString(data if isinstance(data, bytes) else data.encode())
                kind = msg.WhichOneof("type")
                if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                    texts.append(str(msg.delta.new_element))
                elif kind == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    return "\n".join(texts)

    # a thread of its own: pytest-playwright's sync API may hold an event loop on this one
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(run())).result(timeout=180)


def _server(tmp_path: Path, demo_db: str, forwarded_allow_ips: str | None) -> Iterator[str]:
    config = tmp_path / "headroom.toml"
    config.write_text(CONFIG, encoding="utf-8")
    db = tmp_path / "headroom.duckdb"
    db.write_bytes(Path(demo_db).read_bytes())
    env = {"HEADROOM_CONFIG": str(config)}
    if forwarded_allow_ips is not None:
        env["FORWARDED_ALLOW_IPS"] = forwarded_allow_ips
    with mock.patch.dict(os.environ):
        os.environ.pop("FORWARDED_ALLOW_IPS", None)  # unset unless the case sets it
        proc, url = start_server(db, tmp_path / "streamlit.log", env)
    try:
        yield url
    finally:
        stop_server(proc)


@pytest.fixture
def as_run_sh_starts_it(tmp_path: Path, demo_db: str) -> Iterator[str]:
    assert "FORWARDED_ALLOW_IPS= " in RUN_SH  # the server below is started the way run.sh starts it
    yield from _server(tmp_path, demo_db, "")


@pytest.fixture
def with_uvicorns_default(tmp_path: Path, demo_db: str) -> Iterator[str]:
    yield from _server(tmp_path, demo_db, None)


def _signed_in(texts: str) -> bool:
    return f"{USER} · admin" in texts and "Not signed in" not in texts


def test_only_the_trusted_proxys_own_address_signs_in(as_run_sh_starts_it: str) -> None:
    url = as_run_sh_starts_it
    identity = {"X-Forwarded-User": USER}
    spoofed = _texts(OTHER, url, {**identity, "X-Forwarded-For": "10.0.0.5"})
    assert "Not signed in" in spoofed and not _signed_in(spoofed)
    assert f"came from {OTHER}" in spoofed  # the TCP peer, not the address the header claims
    untrusted = _texts(OTHER, url, identity)
    assert "Not signed in" in untrusted and not _signed_in(untrusted)
    assert _signed_in(_texts(PROXY, url, identity))
    # a genuine proxy forwarding its client's address is still the proxy
    assert _signed_in(_texts(PROXY, url, {**identity, "X-Forwarded-For": "203.0.113.7"}))


def test_a_server_that_rewrites_addresses_signs_no_one_in_by_proxy(with_uvicorns_default: str) -> None:
    url = with_uvicorns_default
    spoofed = _texts(OTHER, url, {"X-Forwarded-User": USER, "X-Forwarded-For": "10.0.0.5"})
    assert "Not signed in" in spoofed and "FORWARDED_ALLOW_IPS=" in spoofed and not _signed_in(spoofed)
    proxied = _texts(PROXY, url, {"X-Forwarded-User": USER})
    assert "Not signed in" in proxied and not _signed_in(proxied)
