"""The reserves benchmark page as a user sees it (AppTest on the real app.py)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from finance import benchmark
from finance.auth import Actor, Role
from tests.rs_file import sefton_2023_24


def _reserves(app: Callable[..., AppTest], **kwargs: str) -> AppTest:
    """The app, switched to the reserves benchmark page (the landing page is the overview)."""
    at = app(**kwargs)
    at.switch_page("pages/reserves.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_demo_first_run_shows_ranked_illustrative_benchmark(app: Callable[..., AppTest]) -> None:
    at = _reserves(app)
    assert at.session_state["authority_code"] == "DEMO01"
    assert any("Illustrative data" in i.value for i in at.sidebar.info)
    metrics = _metrics(at)
    assert metrics["Northbridge (illustrative)"].endswith("%")
    assert "lowest of 35" in metrics["Position among peers"]
    assert len(at.get("plotly_chart")) == 2
    ranking_table = at.dataframe[0].value
    assert len(ranking_table) == 36
    assert (ranking_table["Status"] == "no return").sum() == 1


def test_a_write_reaches_the_cached_views_at_the_next_rerun(app: Callable[..., AppTest]) -> None:
    """Views are cached per data version (ui/cache.py): a change made anywhere shows at once, never a stale copy."""
    at = _reserves(app)
    rank = _metrics(at)["Position among peers"]
    from ui.context import get_store  # the app's own store: the same DuckDB file, open in this process

    store = get_store()
    admin = Actor("admin@northbridge.example", Role.ADMIN, "oidc")
    with store.acting(admin):
        store.write(
            lambda tx: tx.execute("UPDATE authority SET name = 'Southgate (illustrative)' WHERE code = 'DEMO01'")
        )
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert _metrics(at)["Southgate (illustrative)"].endswith("%")  # the ranking view, built again
    assert _metrics(at)["Position among peers"] == rank
    authorities = at.selectbox(key="sidebar_authority")
    assert authorities.format_func("DEMO01") == "Southgate (illustrative) · DEMO01"  # the sidebar's cached list too


def test_changing_measure_point_and_group_rerenders(app: Callable[..., AppTest]) -> None:
    at = _reserves(app)
    before = _metrics(at)["Northbridge (illustrative)"]
    at.selectbox(key="rb_measure").set_value("usable_reserves").run()
    after = _metrics(at)["Northbridge (illustrative)"]
    assert after.startswith("£") and after.endswith("m") and after != before
    assert "Usable reserves (unallocated + other earmarked), £m" in at.dataframe[0].value.columns
    at.radio(key="rb_point").set_value("closing").run()
    assert not at.exception
    at.selectbox(key="rb_group").set_value("LB").run()
    assert not at.exception
    assert any("not in the london boroughs group" in m.value for m in at.markdown)
    assert at.session_state["authority_code"] == "DEMO01"


def test_page_figures_equal_the_query(app: Callable[..., AppTest], official_db: str, tmp_path: Path) -> None:
    db = tmp_path / "official-copy.duckdb"
    shutil.copy(official_db, db)
    at = _reserves(app, db=str(db))
    at.selectbox(key="sidebar_authority").set_value("E08000014").run()
    at.selectbox(key="sidebar_year").set_value("2023-24").run()
    assert at.session_state["financial_year"] == "2023-24"
    assert not at.exception
    metrics = _metrics(at)
    assert metrics["Sefton"] == "21.2%"
    assert metrics["Position among peers"] == "4th lowest of 35"
    assert not any("Illustrative data" in i.value for i in at.sidebar.info)
    table = at.dataframe[0].value
    birmingham = table[table["ONS code"] == "E08000025"].iloc[0]
    assert birmingham["Status"] == "no return"
    assert set(table["Basis"]) == {"Outturn (RS)"} and set(table["As at"]) == {"1 April 2023"}


def test_sefton_2023_24_closing_direction_is_the_fall_in_the_year(
    app: Callable[..., AppTest], official_db: str, official_source_dir: Path, tmp_path: Path
) -> None:
    """Like for like: RS 2023-24 gives both ends of the year, so the direction is that fall — never a change from
    RA 2021-22's budget estimate (the 'Up £5.1m since 2021-22' the issue found)."""
    f = sefton_2023_24(official_source_dir)
    fall_m = (f["usable_open"] - f["usable_close"]) / 1000
    db = tmp_path / "official-copy.duckdb"
    shutil.copy(official_db, db)
    at = _reserves(app, db=str(db))
    at.selectbox(key="sidebar_authority").set_value("E08000014").run()
    at.selectbox(key="sidebar_year").set_value("2023-24").run()
    at.selectbox(key="rb_measure").set_value("usable_reserves").run()
    at.radio(key="rb_point").set_value("closing").run()
    assert not at.exception
    metrics = _metrics(at)
    assert metrics["Sefton"] == f"£{f['usable_close'] / 1000:.1f}m" == "£49.0m"
    assert metrics["Direction of travel in 2023-24"] == f"Down £{fall_m:.1f}m" == "Down £14.4m"
    sentence = " ".join(m.value for m in at.markdown)
    assert "£63.4m at 1 April 2023 → £49.0m at 31 March 2024, both from RS 2023-24 (outturn)" in sentence
    assert "Down £14.4m in 2023-24: " in sentence and "since 2021-22" not in sentence
    series = at.dataframe[1].value
    row = series[series["Financial year"] == "2023-24"].iloc[0]
    assert row["Basis"] == "Outturn (RS)" and row["Compared with"] == "1 April 2023 (RS 2023-24)"
    assert row["Direction"] == "down"
    estimate = series[series["Financial year"] == "2021-22"].iloc[0]
    assert estimate["Basis"] == "Budget estimate (RA)"


def test_year_without_returns_is_explained_not_a_traceback(app: Callable[..., AppTest]) -> None:
    at = _reserves(app)
    at.selectbox(key="rb_group").set_value("SC").run()
    assert not at.exception
    assert any("not in the shire counties group" in m.value for m in at.markdown)


def test_sources_page_lists_provenance(app: Callable[..., AppTest]) -> None:
    at = app()
    at.switch_page("pages/sources.py").run()
    assert not at.exception
    sources = at.dataframe[0].value
    assert set(sources["Kind"]) == {"demo"}
    # the generated peer group, and the home council's monitoring workbooks loaded through the upload path
    assert set(sources["Basis"]) == {"illustrative", "monitoring"}
    assert (sources["Rows supplied"] > 0).all()
    assert sources["SHA-256"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert any("Open Government Licence v3.0" in m.value for m in at.markdown)
    assert benchmark.MEASURES  # the page and the benchmark share one vocabulary


def test_first_run_on_an_empty_database_builds_the_demo(app: Callable[..., AppTest], tmp_path: Path) -> None:
    at = _reserves(app, db=str(tmp_path / "first-run.duckdb"))
    assert at.session_state["authority_code"] == "DEMO01"
    assert len(at.get("plotly_chart")) == 2


def test_a_monitoring_only_year_falls_back_to_the_latest_official_year(app: Callable[..., AppTest]) -> None:
    at = _reserves(app)
    at.selectbox(key="sidebar_year").set_value("2026-27").run()
    assert not at.exception
    assert any("No illustrative returns are held for 2026-27 yet; showing 2024-25" in i.value for i in at.info)
    assert "2024-25" in at.get("plotly_chart")[0].proto.spec
