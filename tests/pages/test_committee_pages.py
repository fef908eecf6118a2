"""The committee pages as a user sees them (AppTest on the real app.py): every page renders on the demo data with
no exception, warning or error; the overview's figures equal the detail pages' and the CLI's; a year or council
with no monitoring is told where to upload; a new period's upload moves the overview's markers."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from finance.auth import Actor, Role
from finance.cli import main as cli
from finance.format import gbp_m, pct
from finance.indicators import nowcast_inputs
from finance.store import Store
from finance.upload import load_upload
from tests.pages.conftest import show_tables
from tests.test_committee_upload import next_period_workbook

PAGES = {  # page: (title, charts with the demo data)
    "overview": ("Overview", 0),
    "monitoring": ("In-year monitoring", 5),
    "collection": ("Income collection and debt recovery", 7),
    "dsg": ("DSG deficit", 3),
    "nowcast": ("Reserves nowcast", 2),
    "methodology": ("Methodology", 0),
}
NO_MONITORING = "No monitoring uploaded yet"


def _clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.warning, [w.value for w in at.warning]
    assert not at.error, [e.value for e in at.error]


def _open(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"pages/{page}.py").run()
    _clean(at)
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_overview_is_the_landing_page_with_twelve_cards_nine_rated(app: Callable[..., AppTest]) -> None:
    at = app()
    _clean(at)
    assert at.title[0].value == "Overview"
    assert at.session_state["financial_year"] == "2026-27"  # the newest monitoring year is offered first
    metrics = _metrics(at)
    assert len(metrics) == 12 and metrics["Largest demand driver"] == "Children looked after"
    prudential = [label for label in metrics if label.startswith("Prudential limits: projected debt and financing")]
    assert prudential == ["Prudential limits: projected debt and financing costs, 2026-27 to 2028-29"]
    assert metrics[prudential[0]] == "Within all three limits"
    assert metrics["Forecast outturn variance"].endswith("overspend")
    texts = " ".join(m.value for m in at.markdown)
    assert "**In brief.**" in texts and "Worsening since P6 (Sep)" in texts
    badges = [m.value for m in at.markdown if "-badge[" in m.value]  # status as a word and an icon's shape
    assert len(badges) == 12 and all(any(w in b for w in ("Red", "Amber", "Green", "Not rated")) for b in badges)
    assert all(m.help and "**Rule.**" in m.help for m in at.metric)
    assert at.subheader[0].value == "Northbridge (illustrative) — P7 (Oct) 2026-27"
    # every card says what kind of number it is and when; the minimum card reads the council's stated minimum
    bases = [c.value for c in at.caption if c.value.startswith("Basis: ")]
    assert len(bases) == 12 and sum("in-year forecast (monitoring P7 (Oct) 2026-27)" in b for b in bases) >= 4
    assert metrics["Headroom above minimum"] == "£0.2m above"
    assert any("stated minimum £5.0m" in c.value for c in at.caption)
    assert metrics["Risk-based minimum"] == "£7.4m" and sum("Not rated" in b for b in badges) == 3
    assert "projected 31 March 2027 vs peers' illustrative outturn at 31 March 2025" in texts + " ".join(
        c.value for c in at.caption
    )


@pytest.mark.parametrize("page", list(PAGES))
def test_each_page_renders_on_the_demo_with_a_table_caption_and_download_per_chart(
    app: Callable[..., AppTest], page: str
) -> None:
    at = _open(app(), page)
    title, charts = PAGES[page]
    assert at.title[0].value == title
    assert len(at.get("plotly_chart")) == charts
    assert len(at.get("download_button")) >= 2 * max(charts, 1)  # downloads shown, the tables on request
    assert len(show_tables(at).dataframe) >= max(charts, 1)
    if charts:
        captions = [c.value for c in at.caption]
        assert sum(c.endswith(".") and ("chart" in c.lower() or "waterfall" in c.lower()) for c in captions) >= charts


@pytest.mark.parametrize("page", [p for p in PAGES if p != "methodology"])
def test_year_with_no_monitoring_says_where_to_upload(app: Callable[..., AppTest], page: str) -> None:
    at = app()
    at.selectbox(key="sidebar_year").set_value("2024-25").run()
    at = _open(at, page)
    assert any(NO_MONITORING in i.value and "Upload monitoring page" in i.value for i in at.info)


def test_overview_equals_detail_pages_and_cli(
    app: Callable[..., AppTest], tmp_path: Path, demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "cross.duckdb"
    shutil.copy(demo_db, db)
    capsys.readouterr()
    assert cli(["--db", str(db), "monitoring", "--authority", "DEMO01", "--year", "2026-27", "--json"]) == 0
    sheets = json.loads(capsys.readouterr().out)["sheets"]
    budget = sum(r["budget_gbp"] for r in sheets["Revenue"])
    variance = sum(r["variance_gbp"] for r in sheets["Revenue"])
    overspend = max(variance, 0.0)  # met from the general fund balance; ring-fenced reserves are not usable
    closing = sum(r["closing_gbp"] for r in sheets["Reserves"] if r["reserve_type"] != "Ring-fenced") - overspend
    dsg = sum(r["cumulative_gbp"] for r in sheets["DSG"])
    ct = next(r for r in sheets["Collection"] if r["stream"] == "Council tax")

    store = Store.open(str(db), read_only=True)  # spending: NRE on the council's latest return (the peers' definition)
    inputs = nowcast_inputs(store, "DEMO01")
    store.close()
    assert inputs is not None and inputs.net_revenue_budget_gbp is not None
    spending = inputs.net_revenue_budget_gbp
    at = app(db=str(db))
    overview = _metrics(at)
    assert overview["Forecast outturn variance"] == f"{gbp_m(variance)} overspend"
    assert overview["Usable reserves"] == gbp_m(closing)
    assert overview["DSG deficit vs usable reserves"] == pct(100 * dsg / closing)
    assert ct["collectable_gbp"] > ct["collected_gbp"]
    assert overview["Reserves as % of spending"] == pct(100 * closing / spending)

    monitoring = _metrics(_open(at, "monitoring"))
    assert monitoring["Forecast variance"] == overview["Forecast outturn variance"]
    assert monitoring["Net revenue budget"] == gbp_m(budget)
    collection = _metrics(_open(at, "collection"))
    weakest = collection["Weakest stream (forecast against target)"]
    assert weakest == f"Council tax: {overview['Income collection']}"
    dsg_page = _metrics(_open(at, "dsg"))
    assert (
        dsg_page["Deficit as % of usable reserves, if the override ended"] == overview["DSG deficit vs usable reserves"]
    )
    assert dsg_page["Cumulative DSG deficit (forecast)"] == gbp_m(dsg)
    nowcast = _metrics(_open(at, "nowcast"))
    assert nowcast["Forecast usable reserves, 31 March 2027 (after the overspend)"] == overview["Usable reserves"]
    assert nowcast["Usable reserves as % of spending (projected)"] == overview["Reserves as % of spending"]


def test_uploading_a_new_period_moves_the_overview_markers(app: Callable[..., AppTest], tmp_path: Path,
                                                          demo_db: str) -> None:  # fmt: skip
    db = tmp_path / "upload.duckdb"
    shutil.copy(demo_db, db)
    at = app(db=str(db))
    before = " ".join(m.value for m in at.markdown)
    assert "Worsening since P6 (Sep)" in before and "since P7 (Oct)" not in before

    from ui.context import get_store  # the app's own store: the same DuckDB file is open in this process

    store: Store = get_store()
    assert store.path == str(db)
    finance_team = Actor("fin@northbridge.example", Role.FINANCE, "oidc")
    with store.acting(finance_team):  # the app's store refuses writes with no one signed in
        load_upload(store, next_period_workbook(store, "DEMO01", "2026-27", 8, improve=0.5), "p8.xlsx")
    at.run()
    _clean(at)
    after = " ".join(m.value for m in at.markdown)
    assert at.subheader[0].value.endswith("P8 (Nov) 2026-27")
    assert "Improving since P7 (Oct)" in after and "Worsening since P6 (Sep)" not in after


def test_a_real_council_with_only_official_data(app: Callable[..., AppTest], official_db: str, tmp_path: Path) -> None:
    db = tmp_path / "official.duckdb"
    shutil.copy(official_db, db)
    at = app(db=str(db))
    at.selectbox(key="sidebar_authority").set_value("E08000014").run()
    assert at.session_state["financial_year"] == "2023-24"
    for page in PAGES:
        at = _open(at, page)
        if page != "methodology":
            assert any(NO_MONITORING in i.value for i in at.info), page
    at = _open(at, "overview")
    assert "Sefton" in at.subheader[0].value
    assert _metrics(at)["Reserves as % of spending"].endswith("%")  # the official 2023-24 position, ranked
