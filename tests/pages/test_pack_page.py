"""The Committee pack page: choices from the sidebar and the page, a build with progress, then a download."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from finance.pack import SECTIONS


def _pack_page(app: Callable[..., AppTest]) -> AppTest:
    at = app()
    at.switch_page("pages/pack.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _downloads(at: AppTest) -> list[str]:
    return [str(b.proto.label) for b in at.get("download_button")]


def test_the_page_offers_every_period_latest_first_every_section_and_both_formats(
    app: Callable[..., AppTest],
) -> None:
    at = _pack_page(app)
    period = at.selectbox(key="pk_period")
    assert period.options == ["P7 (Oct)", "P6 (Sep)", "P5 (Aug)", "P4 (Jul)", "P3 (Jun)", "P2 (May)", "P1 (Apr)"]
    assert period.value == 7  # the sidebar's "Latest"
    assert at.radio(key="pk_fmt").options == ["PDF", "Excel"]
    assert at.multiselect(key="pk_sections").value == list(SECTIONS)  # every section, in the pack's order
    assert not _downloads(at)  # nothing is built until asked


def test_building_the_excel_pack_gives_its_download(app: Callable[..., AppTest]) -> None:
    at = _pack_page(app)
    at.radio(key="pk_fmt").set_value("xlsx")
    at.button(key="pk_build").click().run()
    assert not at.exception and not at.error, [e.value for e in at.exception] + [e.value for e in at.error]
    status = at.status[0]
    assert status.label.startswith("Pack ready")
    assert [m.value for m in status.markdown][-2:] == ["RAG rules", "Methodology and data sources"]  # progress shown
    assert "Download committee-pack-DEMO01-2026-27-P7.xlsx" in _downloads(at)


def test_a_pdf_of_the_chosen_sections(app: Callable[..., AppTest]) -> None:
    at = _pack_page(app)
    at.multiselect(key="pk_sections").set_value(["rules", "methodology"])
    at.button(key="pk_build").click().run()
    assert not at.exception and not at.error
    assert "Download committee-pack-DEMO01-2026-27-P7.pdf" in _downloads(at)
    at.multiselect(key="pk_sections").set_value(["rules"]).run()  # a different choice: the old file is not offered
    assert not _downloads(at)


def test_no_sections_means_nothing_to_build(app: Callable[..., AppTest]) -> None:
    at = _pack_page(app)
    at.multiselect(key="pk_sections").set_value([]).run()
    assert at.button(key="pk_build").disabled


def test_reserves_charts_each_offer_a_png(app: Callable[..., AppTest]) -> None:
    at = app()
    at.switch_page("pages/reserves.py").run()
    assert not at.exception, [e.value for e in at.exception]
    pngs = [b for b in at.get("download_button") if b.proto.label == "Download PNG"]
    assert len(pngs) == 2
