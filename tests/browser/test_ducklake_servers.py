"""Two app servers on one DuckLake (catalog in a loopback PostgreSQL), written to at once from everywhere.

The deployment of docs/RUNNING-AT-SCALE.md in miniature: two `streamlit run app.py` processes on two ports share
one lake; while a browser uploads a workbook through server A and saves a scenario through server B, CLI
processes (`python -m finance load`) load four workbooks — one of them twice at the same moment — and two more
processes save versions of one scenario name. Afterwards every write is there exactly once (the duplicate load
once, the scenario versions distinct), both servers show the same monitoring figures, which are the new ones,
and `python -m finance check` is clean.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from finance.demo import build_demo
from finance.store import Store
from tests.browser.conftest import CHROMIUM, start_server, stop_server, wait_for_app_run
from tests.ducklake_fixtures import LocalPostgres
from tests.monitoring_corpus import build, with_fields

pytestmark = [pytest.mark.ducklake, pytest.mark.browser, pytest.mark.slow]
PROJECT_ROOT = Path(__file__).resolve().parents[2]
YEAR = "2026-27"  # the demo's latest year holds P1..P7: these uploads bring P8..P12
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OUTPUT = PROJECT_ROOT / "tests" / "output"

SAVE_SCENARIO = """
import sys
from finance.scenarios.storage import save_scenario
from finance.scenarios.files import example_scenario
from finance.store import Store
store = Store.open(sys.argv[1])
scenario = example_scenario()  # both processes save the same name at once: versions 1 and 2, never 1 twice
saved = save_scenario(store, scenario, authority_code=str(scenario.authority), user=sys.argv[2])
print(saved.scenario_id)
store.close()
"""


@pytest.fixture(scope="module")
def lake(postgres: LocalPostgres, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A lake of its own holding the demo, built before the servers start (as an operator would)."""
    folder = tmp_path_factory.mktemp("servers-lake")
    target = postgres.lake(postgres.create_db("two_servers"), folder / "files")
    store = Store.open(target)
    try:
        build_demo(store)
    finally:
        store.close()
    return target


@pytest.fixture(scope="module")
def servers(lake: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM} (.ci/run installs it)")
    folder = tmp_path_factory.mktemp("servers")
    started: list[tuple[subprocess.Popen[bytes], str]] = []
    errors: list[BaseException] = []

    def start(name: str) -> None:
        try:
            started.append(start_server(folder / name / "unused.duckdb", folder / f"{name}.log", {"HEADROOM_DB": lake}))
        except BaseException as err:  # reported below, after both have had their chance
            errors.append(err)

    threads = [threading.Thread(target=start, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert not errors, errors
        yield [url for _, url in started]
    finally:
        for proc, _ in started:
            stop_server(proc)


def _cli(lake: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "HEADROOM_DB": lake}
    return subprocess.Popen(
        [sys.executable, *args], cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _open(page: Any, url: str, path: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{url}/{path}")
    try:
        expect(page.get_by_test_id("stSidebarNav")).to_be_visible(timeout=120_000)
        expect(page.get_by_test_id("stMain").get_by_role("heading").first).to_be_visible(timeout=120_000)
    except AssertionError:
        OUTPUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUTPUT / f"ducklake-servers-{path}.png"), full_page=True)
        raise


def _monitoring_figures(page: Any, url: str) -> list[str]:
    from playwright.sync_api import expect

    _open(page, url, "monitoring")
    expect(page.get_by_role("heading", name="In-year monitoring")).to_be_visible(timeout=30_000)
    metrics = page.get_by_test_id("stMetric")
    # The page draws four cards in two rows; a snapshot taken while a run is still replacing elements can see one
    # row only (CI saw the second row alone once). So: all four there, the run finished, and two reads 0.5 s apart
    # the same, before the figures are compared.
    expect(metrics).to_have_count(4, timeout=60_000)
    previous: list[str] = []
    for _ in range(20):
        wait_for_app_run(page)
        figures = [str(t) for t in metrics.all_inner_texts()]
        if figures == previous and len(figures) == 4:
            break
        previous = figures
        page.wait_for_timeout(500)
    assert page.get_by_test_id("stException").count() == 0
    return figures


def _upload_in_browser(page: Any, url: str, data: bytes) -> None:
    from playwright.sync_api import expect

    _open(page, url, "upload")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        {"name": "browser-p12.xlsx", "mimeType": XLSX, "buffer": data}
    )
    expect(page.get_by_role("heading", name="What will be loaded")).to_be_visible(timeout=60_000)
    page.get_by_role("button", name="Confirm and load").click()
    expect(page.get_by_test_id("stAlert").filter(has_text="Loaded browser-p12.xlsx")).to_be_visible(timeout=90_000)


def _save_scenario_in_browser(page: Any, url: str) -> None:
    from playwright.sync_api import expect

    _open(page, url, "scenarios")
    page.get_by_label("Your name (recorded with the saved scenario)").fill("browser-b")
    page.get_by_role("button", name="Save scenario").click()
    expect(page.get_by_text("Saved ", exact=False).first).to_be_visible(timeout=90_000)


def test_two_servers_and_cli_processes_write_at_once_and_agree(
    lake: str, servers: list[str], tmp_path: Path, browser: Any
) -> None:
    """`browser`: pytest-playwright's session Chromium (Debian's, tests/browser/conftest.py); a sync Playwright of
    the test's own would refuse to start in a worker where that one is already running."""
    url_a, url_b = servers
    files = []
    for period in (8, 9, 10, 11):
        path = tmp_path / f"cli-p{period}.xlsx"
        path.write_bytes(build(fields=with_fields(year=YEAR, period=f"P{period}")))
        files.append(path)
    baseline = Store.open(lake)
    try:
        uploads_before = baseline.scalar("SELECT count(*) FROM monitoring_upload")
        scenarios_before = baseline.scalar("SELECT count(*) FROM scenario")
    finally:
        baseline.close()

    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        page_a, page_b = context.new_page(), context.new_page()
        # both servers' first runs (the bootstrap's one-off checks) before the writers start; they agree already
        before = _monitoring_figures(page_b, url_b)
        assert _monitoring_figures(page_a, url_a) == before
        procs = [_cli(lake, "-m", "finance", "load", str(p), "--user", f"cli-{p.stem}") for p in files]
        procs.append(_cli(lake, "-m", "finance", "load", str(files[0]), "--user", "cli-again"))
        procs += [_cli(lake, "-c", SAVE_SCENARIO, lake, f"cli-{i}") for i in (1, 2)]
        _upload_in_browser(page_a, url_a, build(fields=with_fields(year=YEAR, period="P12")))
        _save_scenario_in_browser(page_b, url_b)
        for proc in procs:
            out, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, f"{proc.args}: {out}\n{err}"
        after_a = _monitoring_figures(page_a, url_a)
        after_b = _monitoring_figures(page_b, url_b)
    finally:
        context.close()

    assert after_a == after_b, "the two servers show different figures"
    assert after_b != before, "server B does not show the uploads made through A and the CLI"

    store = Store.open(lake)
    try:
        shas = store.query("SELECT sha256, count(*) FROM monitoring_upload GROUP BY 1 HAVING count(*) > 1")
        assert shas == []
        assert store.scalar("SELECT count(*) FROM monitoring_upload") == uploads_before + 5  # 4 CLI files + browser
        periods = store.query(
            """SELECT DISTINCT s.period FROM monitoring_upload u JOIN monitoring_upload_sheet s USING (upload_id)
               WHERE u.financial_year = ? AND s.period >= 8 ORDER BY 1""",
            [YEAR],
        )
        assert [r[0] for r in periods] == [8, 9, 10, 11, 12]
        versions = store.query(
            "SELECT authority_code, name, version, count(*) FROM scenario GROUP BY ALL HAVING count(*) > 1"
        )
        assert versions == []
        assert store.scalar("SELECT count(*) FROM scenario") == scenarios_before + 3
        ids = [r[0] for r in store.query("SELECT audit_id FROM audit_log ORDER BY 1")]
        assert ids == list(range(1, len(ids) + 1))
    finally:
        store.close()
    check = _cli(lake, "-m", "finance", "check", "--json")
    out, err = check.communicate(timeout=120)
    assert check.returncode == 0, out + err
