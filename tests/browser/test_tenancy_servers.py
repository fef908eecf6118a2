"""Per-council access on two app servers sharing one DuckLake (issue 16 item 5), signed in through a trusted proxy.

Each server runs as run.sh starts it (`FORWARDED_ALLOW_IPS` empty) with a team config binding users to
authorities by the config file and by the proxy's authorities header. A session opened from the proxy's address
(127.0.0.2) as a user of one council is offered only that council on a page of a council's own data (the
overview), every authority on an official page (the reserves benchmark), and the overview of its council renders
without an error; a user bound to no council is told so. The store-level refusals themselves are tested in
tests/test_tenancy.py (both backends, every path).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from unittest import mock

import pytest

from finance.demo import build_demo
from finance.store import Store
from tests.browser.conftest import start_server, stop_server
from tests.browser.test_proxy_identity import PROXY, _texts
from tests.ducklake_fixtures import LocalPostgres

pytestmark = [pytest.mark.ducklake, pytest.mark.browser, pytest.mark.slow]
A, B = "DEMO01", "DEMO02"
CONFIG = f"""
[roles]
default = "viewer"
[authorities.{A}]
users = {{ "fin@a.gov.uk" = "finance" }}
[proxy]
header = "X-Forwarded-User"
authorities_header = "X-Headroom-Authorities"
trusted = ["{PROXY}/32"]
"""


@pytest.fixture(scope="module")
def servers(postgres: LocalPostgres, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    folder = tmp_path_factory.mktemp("tenancy-servers")
    lake = postgres.lake(postgres.create_db("tenancy_servers"), folder / "files")
    store = Store.open(lake)
    try:
        build_demo(store)
    finally:
        store.close()
    config = folder / "headroom.toml"
    config.write_text(CONFIG, encoding="utf-8")
    env = {"HEADROOM_DB": lake, "HEADROOM_CONFIG": str(config), "FORWARDED_ALLOW_IPS": ""}
    started: list[subprocess.Popen[bytes]] = []
    urls: list[str] = []
    try:
        with mock.patch.dict(os.environ):
            for name in ("one", "two"):
                proc, url = start_server(folder / name / "unused.duckdb", folder / f"{name}.log", env)
                started.append(proc)
                urls.append(url)
        yield urls
    finally:
        for proc in started:
            stop_server(proc)


def _offered(texts: str, code: str) -> bool:
    return f"\\302\\267 {code}" in texts or f"· {code}" in texts


def test_each_server_offers_a_user_only_their_councils_on_private_pages(servers: list[str]) -> None:
    one, two = servers
    a_user = {"X-Forwarded-User": "fin@a.gov.uk"}
    overview = _texts(PROXY, one, a_user)
    assert "fin@a.gov.uk" in overview and "finance in DEMO01" in overview
    assert _offered(overview, A) and not _offered(overview, B)
    assert "stException" not in overview and "Traceback" not in overview
    b_user = {"X-Forwarded-User": "member@b.gov.uk", "X-Headroom-Authorities": f"{B}=viewer"}
    other = _texts(PROXY, two, b_user)
    assert _offered(other, B) and not _offered(other, A)
    nobody = _texts(PROXY, two, {"X-Forwarded-User": "someone@elsewhere.org"})
    assert "access to no council" in nobody
    official = _texts(PROXY, one, a_user, page="reserves")
    assert _offered(official, A) and _offered(official, B)
