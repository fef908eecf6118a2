"""Browser tests: a live Streamlit server on loopback, driven by Debian's chromium through Playwright.

The server fixture follows streamlit's own e2e habit: a free port, poll `/_stcore/health`, server output to a
file that is printed if the server dies. `playwright install` is never run: the browser is /usr/bin/chromium.
Screenshots go to tests/output/ (ignored by git, kept as CI artifacts).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("HEADROOM_CHROMIUM", "/usr/bin/chromium")
OUTPUT_DIR = PROJECT_ROOT / "tests" / "output"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            if not Path(CHROMIUM).exists():
                item.add_marker(pytest.mark.skip(reason=f"no chromium at {CHROMIUM} (.ci/run installs it)"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    db_path: Path, log_path: Path, extra_env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """Start `streamlit run app.py` on a free loopback port; returns (process, base URL) once healthy."""
    port = _free_port()
    env = {
        **os.environ,
        "HEADROOM_DB": str(db_path),
        "HEADROOM_OFFICIAL_DIR": str(db_path.parent / "no-official-files"),
        **(extra_env or {}),
    }
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "app.py"),
            "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
        ],
        cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"streamlit did not become healthy in 90 s:\n{log_path.read_text()}")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory, demo_db: str) -> Iterator[str]:
    """Base URL of a live Headroom server on its own copy of the demo database."""
    folder = tmp_path_factory.mktemp("live-app")
    log_path = folder / "streamlit.log"
    db = folder / "headroom.duckdb"
    shutil.copy(demo_db, db)
    proc, url = start_server(db, log_path)
    try:
        yield url
    finally:
        stop_server(proc)
        if os.environ.get("HEADROOM_SHOW_SERVER_LOG"):
            print(log_path.read_text())


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-quic", "--no-first-run",
        ],
    }  # fmt: skip


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1440, "height": 1000}}


@pytest.fixture
def screenshot_dir() -> Path:
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    return OUTPUT_DIR


def wait_for_app_run(page: Any, timeout_ms: int = 120_000) -> None:
    """Wait until the script run the page is showing has finished (Streamlit marks the app `notRunning`).

    Elements arrive one by one while a script runs, so a snapshot read (`all_inner_texts`) taken before this can
    see half a page; `expect(...)` assertions retry and need no such wait.
    """
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms)


def assert_no_streamlit_exception(page: Any) -> None:
    """Fail if the page shows a Streamlit exception box (a traceback a user would see)."""
    count = page.get_by_test_id("stException").count()
    assert count == 0, page.get_by_test_id("stException").first.inner_text()
