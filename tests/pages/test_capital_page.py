"""The Capital and borrowing page as a user sees it (AppTest on the real app.py, demo data): the programme by year and
funding source, this year's forecast by directorate, the prudential indicators, each with its basis, and the same
figures as the view the CLI and the pack read."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from finance.committee import build_capital_page
from finance.store import Store


def test_the_page_shows_every_panel_with_its_basis(app: Callable[..., AppTest], demo_db: str) -> None:
    at = app()
    at.switch_page("pages/capital.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Capital and borrowing"
    assert [s.value for s in at.subheader] == [
        "The capital programme (approved plan)",
        "This year's capital forecast (in-year forecast)",
        "Prudential indicators (scenario projection)",
    ]
    assert len(at.get("plotly_chart")) == 3
    store = Store.open(demo_db, read_only=True)
    try:
        view = build_capital_page(store, "DEMO01", "2026-27")
    finally:
        store.close()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == dict(view.metrics)
    assert metrics["Programme budget (approved plan)"] == "£112.2m"
    assert metrics["Prudential indicators"] == "Within limits (Green)"
    captions = " ".join(c.value for c in at.caption)
    assert "Borrowing capacity in 2028-29 (scenario projection) = (limit 10% × net revenue stream" in captions
    assert "Approved plan, upload" in captions and "In-year forecast at P7 (Oct) 2026-27" in captions
    tables = [d.value for d in at.dataframe]
    assert list(tables[0]["Basis"].unique()) == ["approved plan"]
    assert list(tables[1]["Basis"].unique()) == ["in-year forecast"]
    assert list(tables[2]["Basis"].unique()) == ["scenario projection"]
    assert not at.error  # no breach in the demo


def test_a_council_with_no_programme_is_told_why(app: Callable[..., AppTest]) -> None:
    at = app()
    at.session_state["authority_code"] = "DEMO02"
    at.switch_page("pages/capital.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("No capital programme is held" in i.value for i in at.info)


def test_the_prudential_indicators_read_as_a_report_does(app: Callable[..., AppTest], demo_db: str) -> None:
    """Indicators as rows and years as columns, as a prudential indicators report lays them out: the table has a
    column per projected year (not one per indicator, 13 of which scrolled sideways at 1280 px), its headers and
    indicator names in words with their units, every cell a number (kept a number for the downloads)."""
    at = app()
    at.switch_page("pages/capital.py").run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[2].value
    store = Store.open(demo_db, read_only=True)
    try:
        panel = build_capital_page(store, "DEMO01", "2026-27").panels[2]
    finally:
        store.close()
    years = [c for c in table.columns if c not in ("Indicator", "Basis")]
    assert list(table.columns) == ["Indicator", "Basis", *years] and 1 <= len(years) <= 6
    assert all(len(y) == 7 and y[4] == "-" for y in years)  # "2026-27"
    indicators = list(table["Indicator"])
    assert indicators[0] == "External debt, £m" and len(indicators) == 10
    assert all(("£m" in name or "%" in name) for name in indicators)  # every figure says its unit
    assert all(str(table[y].dtype) == "float64" for y in years)
    assert list(table.iloc[0][years]) == [round(v, 1) for v in panel_debt(panel, years)]
    assert set(table["Basis"]) == {"scenario projection"}


def panel_debt(panel: object, years: list[str]) -> list[float]:
    """External debt per year as the panel's chart draws it (the line the table's first row must match)."""
    trace = next(t for t in panel.figure.data if t.name == "External debt")  # type: ignore[attr-defined]
    by_year = dict(zip(trace.x, trace.y, strict=True))
    return [float(by_year[y]) for y in years]
