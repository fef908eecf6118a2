"""The scenarios page's state machine and starting-point rule (finance.scenarios.session), without Streamlit."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from finance.errors import InputError
from finance.scenarios import base_figures, example_scenario, save_scenario, set_current
from finance.scenarios import session as ss
from finance.scenarios.base import BaseFigures
from finance.scenarios.files import EXAMPLE_FILE
from finance.scenarios.model import Scenario
from finance.store import Store

HOME = "DEMO01"


@pytest.fixture
def demo_copy(tmp_path: Path, demo_db: str) -> Iterator[Store]:
    path = tmp_path / "demo.duckdb"
    path.write_bytes(Path(demo_db).read_bytes())
    store = Store.open(str(path))
    try:
        yield store
    finally:
        store.close()


def _plan(seen: list[BaseFigures | None]) -> ss.ApprovedPlan:
    def build(base: BaseFigures | None) -> Scenario:
        seen.append(base)
        return example_scenario()

    return ss.ApprovedPlan("Budget reset (approved 18 Sep 2025)", "2023-24", build)


def test_the_rule_prefers_the_approved_mtfs_with_returns_up_to_its_base_year(demo_copy: Store) -> None:
    seen: list[BaseFigures | None] = []
    start = ss.opening(demo_copy, HOME, _plan(seen))
    assert start.origin == "the approved MTFS, Budget reset (approved 18 Sep 2025)"
    assert seen[0] is not None and seen[0].base_year <= "2023-24"  # nothing from after the MTFS's base year


def test_then_the_current_scenario_then_the_returns(demo_copy: Store) -> None:
    current = ss.opening(demo_copy, HOME, None)  # the demo marks a current scenario
    assert current.origin.startswith("the current scenario, Northbridge") and current.base is not None
    other = "DEMO02"
    returns = ss.opening(demo_copy, other, None)
    assert returns.origin.startswith("the returns held for") and returns.base is not None
    assert returns.scenario.balances_as_at is not None  # a start from the returns states its balances' date
    saved = save_scenario(demo_copy, replace(returns.scenario, name="Own"), authority_code=other, user="tests")
    set_current(demo_copy, saved.scenario_id, user="tests")
    assert ss.opening(demo_copy, other, None).origin == f"the current scenario, {saved.name} v1 (current)"


def test_no_authority_or_no_figures_falls_back_to_the_example_saying_why(demo_copy: Store) -> None:
    assert ss.opening(demo_copy, None, None).origin == "the shipped Sefton worked example (no authority selected)"
    missing = ss.from_returns(demo_copy, "E99999999")
    assert "no figures held" in missing.origin and missing.problem is not None


def test_the_session_restarts_only_for_another_authority(demo_copy: Store) -> None:
    state: dict[str, object] = {}
    session = ss.ScenarioSession(state)
    first = session.ensure(demo_copy, HOME, None)
    assert session.generation == 1
    session.use(ss.from_example())
    assert session.ensure(demo_copy, HOME, None).origin.startswith("the shipped Sefton")  # kept across reruns
    assert session.generation == 2
    again = session.ensure(demo_copy, "DEMO02", None)  # another authority: the rule again
    assert again.origin.startswith("the returns held for") and session.generation == 3
    assert first.origin != again.origin


def test_an_upload_starts_once_and_a_bad_one_keeps_the_start(demo_copy: Store) -> None:
    session = ss.ScenarioSession({})
    session.ensure(demo_copy, HOME, None)
    data = EXAMPLE_FILE.read_bytes()
    assert session.import_file(data, "sefton.toml", "f1") is True
    assert session.start.origin == "the imported file sefton.toml" and session.generation == 2
    assert session.import_file(data, "sefton.toml", "f1") is False  # the uploader keeps its file across reruns
    with pytest.raises(InputError):
        session.import_file(b"name = ", "bad.toml", "f2")
    assert session.start.origin == "the imported file sefton.toml" and session.generation == 2


def test_flash_is_shown_once() -> None:
    session = ss.ScenarioSession({})
    session.flash("Saved Flat v1.")
    assert session.take_flash() == "Saved Flat v1." and session.take_flash() is None


def test_base_figures_of_the_demo_state_their_balances(demo_copy: Store) -> None:
    base = base_figures(demo_copy, HOME)
    assert base.balances_as_at is not None and base.balances_as_at.month == 3
    assert "illustrative" in base.balances_source
