"""The scenarios page's view model (finance.scenario_page), without Streamlit: the approved MTFS and the scenarios
together, the start kept in a plain session mapping across runs, the actions and the one-time messages they leave."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from finance.errors import InputError
from finance.mtfs import latest_series, uploaded_demand
from finance.reserves import scenario_marks
from finance.scenario_page import scenario_page
from finance.scenarios import Choices, list_scenarios, scenario_view
from finance.store import Store
from finance.upload import load_upload
from tests.conftest import copy_database
from tests.monitoring_corpus import build

HOME = "DEMO01"
YEARS = ("2025-26", "2026-27", "2027-28")  # the demo's base year is 2024-25


def _mtfs(gaps_gbp_m: tuple[float, ...], version: str) -> bytes:
    fields = {"Authority": HOME, "Financial year": "2024-25", "Version name": version,
              "Date approved": date(2025, 2, 27), "Units": "£m"}  # fmt: skip
    rows: list[list[Any]] = [["Year", "Gap before savings", "Savings identified", "Gap after savings"]]
    rows += [[y, g, 1.0, g - 1.0] for y, g in zip(YEARS, gaps_gbp_m, strict=True)]
    return build({"MTFS": rows}, fields)


@pytest.fixture
def demo(tmp_path: Path, demo_db: str) -> Iterator[Store]:
    store = Store.open(copy_database(demo_db, tmp_path / "demo.duckdb"))
    try:
        yield store
    finally:
        store.close()


def _unchanged(page_start: Any) -> Choices:
    """The choices of a page whose widgets still hold the start's own values."""
    return Choices(page_start.name, page_start.authority, dict(page_start.assumptions))


def test_without_an_mtfs_it_opens_on_the_current_scenario_and_keeps_the_start_across_runs(demo: Store) -> None:
    state: dict[str, object] = {}
    page = scenario_page(demo, HOME, state)
    assert page.approved is None and page.plan is None and page.versions is None
    assert page.begun.origin.startswith("the current scenario, ") and page.generation == 1
    view = page.scenario(page.begun.scenario, _unchanged(page.begun.scenario))
    assert page.against_approved(view) is None  # nothing to measure against
    assert page.saved_against_approved() is None
    page.restart_from_example()
    again = scenario_page(demo, HOME, state)  # the next run of the page
    assert again.begun.origin.startswith("the shipped Sefton") and again.generation == 2
    assert again.other_authority == (
        "This scenario was written for E08000014; it will be saved under the selected authority DEMO01."
    )
    with pytest.raises(ValueError, match="no approved MTFS"):
        again.restart_from_approved()


def test_with_an_mtfs_it_starts_from_it_at_zero_difference_and_lists_its_versions(demo: Store) -> None:
    load_upload(demo, _mtfs((9.0, 6.5, 4.0), "February budget 2025"), "feb.xlsx")
    load_upload(demo, _mtfs((9.0, 8.0, 4.0), "Budget reset"), "reset.xlsx")
    page = scenario_page(demo, HOME, {})
    approved = latest_series(demo, HOME)
    assert approved is not None and page.approved is not None
    assert page.approved.version.label == approved.version.label and "Budget reset" in page.begun.origin
    view = page.scenario(page.begun.scenario, _unchanged(page.begun.scenario))
    against = page.against_approved(view)
    assert against is not None and list(against["Year"]) == list(YEARS)
    assert list(against["Difference £m"]) == [0.0, 0.0, 0.0]  # started from the MTFS, sliders untouched
    assert view.reference == approved.reference()  # the approved gap is the reference line
    assert page.versions is not None and list(page.versions.table["Version"]) == [
        "February budget 2025",
        "Budget reset",
    ]
    table = page.saved_against_approved()  # the demo's saved scenarios, each less the approved gap
    assert table is not None and list(table["Scenario"]) == [s.label for s in page.saved]
    assert list(table.columns) == ["Scenario", *(f"{y} £m" for y in YEARS)]
    page.restart_from_returns()
    assert scenario_page(demo, HOME, page.session.state).begun.origin.startswith("the returns held for")


def test_save_mark_current_delete_and_compare_leave_one_message_each(demo: Store) -> None:
    state: dict[str, object] = {}
    page = scenario_page(demo, HOME, state)
    flat = dict(page.begun.scenario.assumptions) | {"council_tax_increase_pct": 0.0}
    view = scenario_view(page.begun.scenario, Choices("Flat", HOME, flat))
    saved = page.save(view, who="tests", note="")
    page = scenario_page(demo, HOME, state)
    assert page.flash == f"Saved {saved.label}." and scenario_page(demo, HOME, state).flash is None
    assert page.saved_labels[saved.scenario_id].startswith(f"{saved.label} · tests · ")
    page.mark_current(saved.scenario_id, user="tests")
    page = scenario_page(demo, "DEMO02", state)  # the message outlives a change of authority, as before
    assert page.flash == f"{saved.label} is now the current scenario."
    page = scenario_page(demo, HOME, state)  # back: the rule opens on the new current scenario
    assert page.begun.origin == f"the current scenario, {saved.name} v1 (current)"
    ids = [s.scenario_id for s in page.saved[:2]]
    compared = page.compare(ids)
    assert list(compared.assumptions.columns)[1:] == [page.saved_labels[i].split(" · ")[0] for i in ids]
    assert "Council tax increase" in " ".join(compared.assumptions["Assumption"])  # Flat froze council tax
    with pytest.raises(InputError, match="current scenario"):  # refused: no message, nothing deleted
        page.delete(saved.scenario_id, user="tests")
    assert scenario_page(demo, HOME, state).flash is None
    other = ids[1]
    name = page.saved_labels[other].split(" · ")[0]
    page.delete(other, user="tests")
    assert scenario_page(demo, HOME, state).flash == f"Deleted {name}."
    assert [s.scenario_id for s in list_scenarios(demo, HOME, all_versions=True)] == [
        s.scenario_id for s in page.saved if s.scenario_id != other
    ]


def test_a_write_is_seen_by_the_same_page_and_its_message_taken_once(demo: Store) -> None:
    """The saved scenarios' fragment reruns alone after a save, a delete or marking current, on the page object of
    the last full run: its saved list is read again after each write and it takes the write's message itself."""
    state: dict[str, object] = {}
    page = scenario_page(demo, HOME, state)
    before = [s.scenario_id for s in page.saved]
    view = scenario_view(page.begun.scenario, Choices("Fragment", HOME, dict(page.begun.scenario.assumptions)))
    saved = page.save(view, who="tests", note="")
    assert [s.scenario_id for s in page.saved] == [saved.scenario_id, *before]
    assert saved.scenario_id in page.saved_labels
    assert page.take_flash() == f"Saved {saved.label}." and page.take_flash() is None
    page.mark_current(saved.scenario_id, user="tests")
    assert page.saved_labels[saved.scenario_id].startswith(f"{saved.label} (current) · tests · ")
    assert page.take_flash() == f"{saved.label} is now the current scenario."
    other = before[-1]
    page.delete(other, user="tests")
    assert other not in page.saved_labels and page.take_flash() is not None


def test_no_authority_starts_from_the_example_and_saves_nothing(demo: Store) -> None:
    page = scenario_page(demo, None, {})
    assert page.begun.origin == "the shipped Sefton worked example (no authority selected)"
    assert page.saved == [] and page.versions is None and page.other_authority is None
    view = page.scenario(page.begun.scenario, _unchanged(page.begun.scenario))
    with pytest.raises(ValueError, match="no authority"):
        page.save(view, who="tests", note="")


def test_the_councils_reserve_marks_are_built_once_through_the_shared_builder_and_reach_the_view(demo: Store) -> None:
    built: list[tuple[object, ...]] = []

    def shared(build: Any, *args: Any) -> Any:  # what ui.cache.view does, without the cache
        built.append((build, *args))
        return build(demo, *args)

    page = scenario_page(demo, HOME, {}, shared)
    assert built == [(scenario_marks, HOME), (uploaded_demand, HOME)]  # the council's uploaded demand: shared too
    assert page.marks == scenario_marks(demo, HOME)
    view = page.scenario(page.begun.scenario, _unchanged(page.begun.scenario))
    assert view.marks == page.marks
    assert scenario_page(demo, None, {}, shared).marks is None and len(built) == 2  # no authority: nothing built
