"""Saved scenarios on a temporary database, and base figures read from the official returns' tables."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from finance.errors import InputError, NotFoundError
from finance.scenarios import (
    base_figures,
    current_gap_gbp_m,
    current_scenario,
    delete_scenario,
    example_scenario,
    list_scenarios,
    load_saved,
    run,
    save_scenario,
    set_current,
)
from finance.store import Source, Store, Tx
from tests.refusals import assert_only_refusals_added

SEFTON = "E08000014"


def test_save_and_reload_round_trip(store: Store) -> None:
    scenario = example_scenario().with_assumptions(savings_planned_gbp_m=(1.0, 2.0, 3.0))
    saved = save_scenario(store, scenario, authority_code=SEFTON, user="Jo Bloggs", note="for cabinet")
    assert (saved.name, saved.version, saved.saved_by, saved.note) == (scenario.name, 1, "Jo Bloggs", "for cabinet")
    assert load_saved(store, saved.scenario_id).scenario() == scenario
    assert [s.scenario_id for s in list_scenarios(store, SEFTON)] == [saved.scenario_id]


@pytest.mark.both_backends  # the same on a DuckDB file and on DuckLake
def test_same_name_makes_a_new_version_and_keeps_the_old(store: Store) -> None:
    first = save_scenario(store, example_scenario(), authority_code=SEFTON, user="a")
    changed = example_scenario().with_assumptions(council_tax_increase_pct=1.99)
    second = save_scenario(store, changed, authority_code=SEFTON, user="b")
    assert second.version == 2
    assert [s.version for s in list_scenarios(store, SEFTON)] == [2]
    assert sorted(s.version for s in list_scenarios(store, SEFTON, all_versions=True)) == [1, 2]
    assert load_saved(store, first.scenario_id).scenario() == example_scenario()
    elsewhere = replace(example_scenario(), authority=None)
    other = save_scenario(store, elsewhere, authority_code="DEMO01", user="a")
    assert other.version == 1  # names are per authority


@pytest.mark.both_backends  # the same on a DuckDB file and on DuckLake
def test_current_scenario_and_its_gap(store: Store) -> None:
    assert current_scenario(store, SEFTON) is None
    assert current_gap_gbp_m(store, SEFTON) is None
    saved = save_scenario(store, example_scenario(), authority_code=SEFTON, user="a")
    other = save_scenario(store, example_scenario().with_assumptions(council_tax_increase_pct=0.0,
                          adult_social_care_precept_pct=0.0), authority_code=SEFTON, user="a")  # fmt: skip
    set_current(store, saved.scenario_id, user="a")
    current = current_scenario(store, SEFTON)
    assert current is not None and current.scenario_id == saved.scenario_id and current.is_current
    year, gap = current_gap_gbp_m(store, SEFTON)  # type: ignore[misc]
    assert year == "2026-27" and gap == pytest.approx(float(run(example_scenario()).cumulative_gap[0, -1]))
    set_current(store, other.scenario_id, user="a")
    assert current_gap_gbp_m(store, SEFTON) == ("2026-27", pytest.approx(44.2))


@pytest.mark.both_backends  # the same on a DuckDB file and on DuckLake
def test_delete_refuses_the_current_and_removes_others(store: Store) -> None:
    keep = save_scenario(store, example_scenario(), authority_code=SEFTON, user="a")
    set_current(store, keep.scenario_id, user="a")
    before = store.dump()
    with pytest.raises(InputError, match="current"):
        delete_scenario(store, keep.scenario_id, user="a")
    assert store.dump() == before
    newer = save_scenario(store, example_scenario(), authority_code=SEFTON, user="a")
    delete_scenario(store, newer.scenario_id, user="a")
    with pytest.raises(NotFoundError):
        load_saved(store, newer.scenario_id)


@pytest.mark.both_backends  # the same on a DuckDB file and on DuckLake
def test_refused_saves_change_nothing(store: Store) -> None:
    before = store.dump()
    with pytest.raises(InputError, match="E08000014"):
        save_scenario(store, example_scenario(), authority_code="DEMO01", user="a")
    with pytest.raises(InputError, match="name"):
        save_scenario(store, example_scenario(), authority_code=SEFTON, user="  ")
    with pytest.raises(InputError, match="200"):
        save_scenario(store, replace(example_scenario(), name="x" * 201), authority_code=SEFTON, user="a")
    assert store.dump() == before


def _official(store: Store, rows: list[tuple[str, str, str, str, float | None]], basis: str, file: str) -> None:
    def write(tx: Tx) -> None:
        sid = tx.add_source(Source("official" if basis != "illustrative" else "demo", file, f"{len(file):064x}",
                                   "test", basis))  # fmt: skip
        for year, measure, point, text, value in rows:
            tx.execute(
                "INSERT INTO official_value VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [SEFTON if basis != "illustrative" else "DEMO01", year, basis, measure, point,
                 None if value is None else Decimal(str(value)), text, "label", sid],
            )  # fmt: skip

    store.write(write)


def test_base_figures_prefer_the_latest_outturn_and_name_their_source(store: Store) -> None:
    _official(store, [
        ("2022-23", "net_revenue_expenditure", "year", None, 270e6),
        ("2023-24", "net_revenue_expenditure", "year", None, 281e6),
        ("2023-24", "council_tax_requirement", "year", None, 160.236e6),
        ("2023-24", "unallocated_reserves", "closing", "[x]", None),
        ("2022-23", "unallocated_reserves", "closing", None, 11.991e6),
        ("2023-24", "earmarked_reserves", "closing", None, 51.398e6),
        ("2023-24", "dsg_adjustment_account", "closing", None, -24e6),
    ], "outturn", "RS_2023-24_data_by_LA.ods")  # fmt: skip
    _official(store, [("2025-26", "net_revenue_expenditure", "year", None, 300e6)], "budget_estimate", "RA.csv")
    base = base_figures(store, SEFTON)
    assert base.base_year == "2023-24" and not base.is_illustrative
    values = base.values_gbp_m()
    assert values["net_revenue_budget"] == pytest.approx(281.0)
    assert values["unallocated_reserves"] == pytest.approx(11.991)  # 2023-24 was '[x]': the year before is used
    assert values["minimum_reserves"] == pytest.approx(14.05)
    assert values["dsg_deficit"] == pytest.approx(24.0)  # a deficit is published as a negative balance
    sources = {f.key: f for f in base.figures}
    assert sources["unallocated_reserves"].financial_year == "2022-23"
    assert sources["council_tax_requirement"].file_name == "RS_2023-24_data_by_LA.ods"
    assert "not guidance" in sources["minimum_reserves"].note
    table = base.table()
    assert list(table.columns) == ["Base figure", "£m", "Year", "Basis", "File", "Note"]
    scenario = base.scenario()
    assert scenario.base_year == "2023-24" and scenario.years == ("2024-25", "2025-26", "2026-27")
    assert run(scenario).cumulative_gap[0] == pytest.approx([0.0, 0.0, 0.0])


def test_base_figures_for_an_illustrative_authority_are_labelled(store: Store) -> None:
    _official(store, [("2024-25", "net_revenue_expenditure", "year", None, 100e6)], "illustrative", "demo")
    base = base_figures(store, "DEMO01")
    assert base.is_illustrative and base.base_year == "2024-25"
    assert "Council tax requirement" in base.missing


def test_base_figures_for_an_unknown_authority(store: Store) -> None:
    with pytest.raises(NotFoundError):
        base_figures(store, "E08000099")


def test_a_negative_published_figure_is_shown_not_used(store: Store) -> None:
    _official(store, [
        ("2023-24", "net_revenue_expenditure", "year", None, -2e6),
        ("2023-24", "council_tax_requirement", "year", None, 10e6),
    ], "outturn", "RS.ods")  # fmt: skip
    base = base_figures(store, SEFTON)
    nrb = next(f for f in base.figures if f.key == "net_revenue_budget")
    assert nrb.value_gbp_m is None and "−£2.000m" in nrb.note
    assert "net_revenue_budget" not in base.values_gbp_m()
    assert base.scenario().base["net_revenue_budget"] == 0.0


def test_writes_name_their_action_so_a_viewer_is_refused(store: Store) -> None:
    from finance.auth import Actor, Role
    from finance.errors import NotPermittedError

    before = store.dump()
    with store.acting(Actor("viewer@council", Role.VIEWER, "local")), pytest.raises(NotPermittedError) as info:
        save_scenario(store, example_scenario(), authority_code=SEFTON, user="viewer@council")
    assert "save scenario" in str(info.value)
    assert_only_refusals_added(before, store.dump(), f"refused save_scenario {SEFTON}")
    with store.acting(Actor("finance@council", Role.FINANCE, "local")):
        saved = save_scenario(store, example_scenario(), authority_code=SEFTON, user="finance@council")
        set_current(store, saved.scenario_id, user="finance@council")
    assert current_gap_gbp_m(store, SEFTON) is not None
