"""Demand drivers in a scenario: the pressure line's arithmetic, "never both", the file's checks, the Monte Carlo,
the tornado and the round trip through a file and the store."""

from __future__ import annotations

import json
import math
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finance.cli import main
from finance.errors import InputError
from finance.scenarios import (
    DemandLine,
    DemandSeed,
    Scenario,
    UploadedDemand,
    compare,
    default_ranges,
    demand_ranges,
    evaluate,
    growth_key,
    infer_group,
    load_saved,
    make_scenario,
    parse_scenario,
    run,
    save_scenario,
    scenario_to_toml,
    seed_demand,
    sensitivities,
    simulate,
    unknown_services,
)
from finance.scenarios.model import Triangle
from finance.store import Store
from tests.test_fuzz_scenarios import VALUES, _assert_finite_json, _paths, _set

YEARS = ("2026-27", "2027-28", "2028-29")
BASE = {"net_revenue_budget": 200.0, "council_tax_requirement": 100.0, "unallocated_reserves": 20.0,
        "earmarked_reserves": 30.0}  # fmt: skip


def line(**changes: object) -> DemandLine:
    """Children looked after: 100 children at £50,000 a year (£5m), 10% more children and 2% dearer each year."""
    base = DemandLine(
        "Children's Services", "Children's social care", "Children looked after", "children", 100.0, 50_000.0,
        (10.0,) * 3, (2.0,) * 3, "childrens", "in-year forecast (monitoring)", "P6 2025-26", "upload 7, p6.xlsx",
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


def scenario(*lines: DemandLine, **assumptions: float) -> Scenario:
    s = make_scenario("demand", "2025-26", YEARS, BASE, assumptions)
    return replace(s, demand=lines)


def test_the_pressure_line_is_volume_times_unit_cost_less_the_base_exactly() -> None:
    proj = run(scenario(line()))
    # 110 × £51,000 − £5m; 121 × £52,020 − £5m; 133.1 × £53,060.40 − £5m
    expected = [(110 * 51_000 - 5e6) / 1e6, (121 * 52_020 - 5e6) / 1e6, (133.1 * 53_060.4 - 5e6) / 1e6]
    assert np.allclose(proj.demand[0][1][0], expected, rtol=0, atol=1e-9)
    assert expected == pytest.approx([0.61, 1.29442, 2.06233924], abs=1e-9)
    # funding is flat and nothing else moves, so the gap is the pressure line
    assert np.allclose(proj.cumulative_gap_before_savings[0], expected, atol=1e-9)
    table = proj.gap_table()
    assert list(table["Demand pressure: Children looked after (Children's social care) £m"]) == [0.61, 1.294, 2.062]


def test_a_line_without_growth_or_inflation_adds_nothing() -> None:
    still = line(growth_pct=(0.0,) * 3, unit_cost_inflation_pct=(0.0,) * 3)
    assert np.allclose(run(scenario(still)).cumulative_gap, run(scenario()).cumulative_gap, atol=1e-12)


def test_a_childrens_line_replaces_the_blanket_childrens_demand_growth_and_not_the_adults() -> None:
    base = {**BASE, "childrens_social_care": 60.0, "adults_social_care": 80.0}
    blanket = make_scenario("b", "2025-26", YEARS, base, {"childrens_demand_growth_pct": 5.0,
                                                         "adults_demand_growth_pct": 4.0})  # fmt: skip
    with_line = run(replace(blanket, demand=(line(),)))
    without_childrens = run(replace(blanket.with_assumptions(childrens_demand_growth_pct=0.0), demand=(line(),)))
    # never both: the 5% on £60m is ignored once a children's line is there, the adults' 4% still counts
    assert np.allclose(with_line.cumulative_gap, without_childrens.cumulative_gap, atol=1e-12)
    adults_only = 80.0 * (1.04 ** np.arange(1, 4) - 1)
    assert np.allclose(with_line.cumulative_gap[0], adults_only + with_line.demand[0][1][0], atol=1e-9)


def test_the_group_is_read_from_the_names() -> None:
    assert infer_group("Adults' Social Care", "Older people") == "adults"
    assert infer_group("Children's Services", "Children's social care") == "childrens"
    assert infer_group("Children's Services", "Education and SEND") == "other"
    assert infer_group("Children's Services", "Home to school transport") == "other"
    assert infer_group("Housing", "Temporary accommodation") == "other"


FILE = """
name = "With demand"
base_year = "2025-26"
years = ["2026-27", "2027-28", "2028-29"]
[base]
net_revenue_budget = 200.0
council_tax_requirement = 100.0
unallocated_reserves = 20.0
earmarked_reserves = 30.0
childrens_social_care = 60.0
[assumptions]
childrens_inflation_pct = 2.0
{assumptions}
[[demand]]
directorate = "Children's Services"
service = "Children's social care"
metric = "Children looked after"
unit = "children"
base_volume = {volume}
base_unit_cost_gbp = {cost}
growth_pct = 3.0
growth_range = {{ low = 1.0, mode = 3.0, high = 8.0 }}
as_at = "P6 2025-26"
source = "upload 7, p6.xlsx"
[[demand]]
directorate = "Housing"
service = "Temporary accommodation"
metric = "Households in temporary accommodation"
unit = "households"
base_volume = 200
base_unit_cost_gbp = 12000.0
growth_pct = [5.0, 4.0, 3.0]
unit_cost_inflation_pct = 1.5
"""


def text(volume: str = "506", cost: str = "82000.0", assumptions: str = "") -> str:
    return FILE.format(volume=volume, cost=cost, assumptions=assumptions)


def problems(toml: str) -> dict[str, str]:
    with pytest.raises(InputError) as err:
        parse_scenario(toml, source="s.toml")
    return {p.where: p.message for p in err.value.problems}


def test_a_file_with_demand_lines_reads_and_round_trips() -> None:
    s = parse_scenario(text())
    labels = ["Children looked after (Children's social care)",
              "Households in temporary accommodation (Temporary accommodation)"]  # fmt: skip
    assert [d.label for d in s.demand] == labels
    first, second = s.demand
    assert (first.group, second.group) == ("childrens", "other")
    assert first.growth_pct == (3.0, 3.0, 3.0) and first.growth_range == Triangle(1.0, 3.0, 8.0)
    assert second.growth_pct == (5.0, 4.0, 3.0) and second.unit_cost_inflation_pct == (1.5, 1.5, 1.5)
    assert (first.as_at, first.source) == ("P6 2025-26", "upload 7, p6.xlsx")
    assert parse_scenario(scenario_to_toml(s)) == s


def test_saved_scenarios_keep_their_demand_lines(store: Store) -> None:
    s = parse_scenario(text())
    saved = save_scenario(store, s, authority_code="E08000014", user="Jo")
    assert load_saved(store, saved.scenario_id).scenario() == s


@pytest.mark.parametrize(
    ("volume", "cost", "where", "words"),
    [
        ("-1", "82000.0", "demand[0].base_volume", "not negative"),
        ("506", "-5.0", "demand[0].base_unit_cost_gbp", "not negative"),
        ("nan", "82000.0", "demand[0].base_volume", "must be a number"),
        ("506", "inf", "demand[0].base_unit_cost_gbp", "must be a number"),
        ('"lots"', "82000.0", "demand[0].base_volume", "must be a number"),
    ],
)
def test_bad_volumes_and_unit_costs_are_refused_by_key(volume: str, cost: str, where: str, words: str) -> None:
    found = problems(text(volume, cost))
    assert list(found) == [where] and words in found[where]


def test_a_blanket_growth_beside_a_line_that_replaces_it_is_refused() -> None:
    found = problems(text(assumptions="childrens_demand_growth_pct = 4.0\nadults_demand_growth_pct = 2.0"))
    assert list(found) == ["assumptions.childrens_demand_growth_pct"]
    assert "demand[0]" in found["assumptions.childrens_demand_growth_pct"]
    assert "never both" in found["assumptions.childrens_demand_growth_pct"]
    ranged = problems(text() + "\n[uncertainty]\nchildrens_demand_growth_pct = { low = 0, mode = 0, high = 2 }\n")
    assert list(ranged) == ["uncertainty.childrens_demand_growth_pct"]


def test_duplicates_unknown_keys_groups_and_missing_names_are_refused() -> None:
    dup = text().replace('directorate = "Housing"\nservice = "Temporary accommodation"\nmetric = "Households in '
                         'temporary accommodation"', 'directorate = "children\'s services"\nservice = "Children\'s '
                         'social care"\nmetric = "children looked after"')  # fmt: skip
    assert "repeats demand[0]" in problems(dup)["demand[1]"]
    odd = text().replace('unit = "households"', 'unit = "households"\ngroup = "housing"\nvolume = 3')
    assert set(problems(odd)) == {"demand[1].group", "demand[1].volume"}
    nameless = text().replace('metric = "Children looked after"\n', "")
    assert problems(nameless) == {"demand[0].metric": "is required: a non-empty text"}
    years = text().replace("growth_pct = [5.0, 4.0, 3.0]", "growth_pct = [5.0, 4.0]")
    assert "each of the 3 years" in problems(years)["demand[1].growth_pct"]
    wild = text().replace("growth_pct = 3.0", "growth_pct = 75.0")
    assert "from -50 to 50" in problems(wild)["demand[0].growth_pct"]


def test_the_monte_carlo_draws_each_lines_growth_from_its_range() -> None:
    s = parse_scenario(text())
    ranges = demand_ranges(s)
    assert ranges == {growth_key(0): Triangle(1.0, 3.0, 8.0)}  # the second line varies by year and gives none
    mc = simulate(s, 50_000, seed=3)  # no [uncertainty]: only the demand line is drawn
    p10, p90 = mc.gap_percentiles_gbp_m[10][-1], mc.gap_percentiles_gbp_m[90][-1]
    deterministic = float(run(s).cumulative_gap[0, -1])
    assert p10 < deterministic < p90
    # P90 of the draw (high side of 1/3/8) gives the final-year pressure of that growth exactly
    g90 = 8.0 - math.sqrt(0.1 * (8.0 - 1.0) * (8.0 - 3.0))
    at_g90 = float(
        run(replace(s, demand=(replace(s.demand[0], growth_pct=(g90,) * 3), s.demand[1]))).cumulative_gap[0, -1]
    )
    assert p90 == pytest.approx(at_g90, abs=0.02)
    collapsed = replace(s, demand=(replace(s.demand[0], growth_range=Triangle(3.0, 3.0, 3.0)), s.demand[1]))
    assert simulate(collapsed, 50, seed=1).gap_percentiles_gbp_m[50][-1] == pytest.approx(deterministic, abs=1e-9)


def test_default_ranges_draw_the_lines_and_leave_out_the_blanket_growth_they_replace() -> None:
    s = scenario(line(growth_pct=(2.0,) * 3, group="childrens"), adults_demand_growth_pct=3.0)
    ranges = default_ranges(s)
    assert ranges[growth_key(0)] == Triangle(1.0, 2.0, 5.0)
    assert "childrens_demand_growth_pct" not in ranges and "adults_demand_growth_pct" in ranges


def test_the_tornado_moves_each_lines_growth_one_point() -> None:
    s = scenario(line())
    found = {x.key: x for x in sensitivities(s)}
    item = found[growth_key(0)]
    assert item.label == "Demand growth: Children looked after (Children's social care)"
    cost3 = 50_000 * 1.02**3
    assert item.up_change_gbp_m == pytest.approx(100 * (1.11**3 - 1.10**3) * cost3 / 1e6, abs=1e-9)
    assert item.down_change_gbp_m == pytest.approx(100 * (1.09**3 - 1.10**3) * cost3 / 1e6, abs=1e-9)
    assert "childrens_demand_growth_pct" not in found  # replaced: it moves nothing


UPLOADED = UploadedDemand(
    (
        DemandSeed(
            "Adults' Social Care",
            "Older people",
            "Home care hours",
            "hours",
            1_000.0,
            25.0,
            "P6 2025-26",
            "upload 7, p6.xlsx (sha256 abc)",
        ),
    ),
    frozenset({("adults' social care", "older people")}),
    "P6 2025-26, upload 7 (p6.xlsx)",
)


def test_a_start_seeded_from_an_upload_has_lines_at_zero_growth_and_no_blanket_growth() -> None:
    start = make_scenario(
        "s", "2025-26", YEARS, {**BASE, "adults_social_care": 50.0}, {"adults_demand_growth_pct": 3.0}
    )
    seeded = seed_demand(start, UPLOADED)
    (only,) = seeded.demand
    assert (only.base_volume, only.base_unit_cost_gbp, only.group) == (1_000.0, 25.0, "adults")
    assert (only.basis, only.as_at, only.source) == ("in-year forecast (monitoring)", "P6 2025-26",
                                                     "upload 7, p6.xlsx (sha256 abc)")  # fmt: skip
    assert only.growth_pct == (0.0,) * 3 and seeded.assumptions["adults_demand_growth_pct"] == (0.0,) * 3
    assert seed_demand(start, None) is start
    assert unknown_services(seeded, UPLOADED) == []
    stray = replace(seeded, demand=(replace(only, service="Younger adults"),))
    assert unknown_services(stray, UPLOADED) == [("demand[0].service", "Adults' Social Care / Younger adults")]


def test_the_cli_json_carries_each_line_with_its_source_and_pressure(
    capsys: pytest.CaptureFixture[str], db_path: str, tmp_path: Path
) -> None:
    path = tmp_path / "with-demand.toml"
    path.write_text(text(), encoding="utf-8")
    assert main(["--db", db_path, "scenario", str(path), "--json", "--simulations", "200"]) == 0
    data = json.loads(capsys.readouterr().out)
    first = data["demand_lines"][0]
    assert (first["metric"], first["replaces"], first["as_at"], first["source"]) == (
        "Children looked after", "childrens_demand_growth_pct", "P6 2025-26", "upload 7, p6.xlsx")  # fmt: skip
    expected = [506 * 82_000 * (1.03**t - 1) / 1e6 for t in (1, 2, 3)]
    assert first["pressure_gbp_m"] == pytest.approx(expected, abs=1e-9)
    assert "demand[0].growth_pct" in data["monte_carlo"]["ranges"]
    assert any(s["assumption"] == growth_key(0) for s in data["sensitivity"])


def test_compared_scenarios_show_the_lines_growth_that_differs() -> None:
    s = parse_scenario(text())
    faster = replace(s, name="Faster", demand=(replace(s.demand[0], growth_pct=(6.0,) * 3), s.demand[1]))
    table = compare({"As planned": s, "Faster": faster}).assumptions_table
    row = table[table["Assumption"] == "Demand growth: Children looked after (Children's social care) (% a year)"]
    assert list(row.iloc[0][["As planned", "Faster"]]) == [
        "3 from 506 children at £82,000.00 a year", "6 from 506 children at £82,000.00 a year"]  # fmt: skip


DEMAND_DOC: dict[str, Any] = tomllib.loads(text())
DEMAND_PATHS = sorted((p for p in _paths(DEMAND_DOC) if p[0] == "demand"), key=repr)


@st.composite
def mutated_lines(draw: st.DrawFn) -> str:
    data: dict[str, Any] = tomllib.loads(text())
    for _ in range(draw(st.integers(1, 3))):
        try:
            _set(data, draw(st.sampled_from(DEMAND_PATHS)), draw(VALUES), draw(st.booleans()))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced the parent
    return tomli_w.dumps(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(toml=mutated_lines())
def test_mutated_demand_lines_parse_or_are_refused_naming_the_line(toml: str) -> None:
    try:
        s = parse_scenario(toml, source="fuzz.toml")
    except InputError as err:
        assert all(p.where.startswith("demand") for p in err.problems), [p.where for p in err.problems]
        return
    for d in s.demand:
        assert 0 <= d.base_volume <= 1e9 and 0 <= d.base_unit_cost_gbp <= 1e8
        assert all(-50 <= g <= 50 for g in (*d.growth_pct, *d.unit_cost_inflation_pct))
    _assert_finite_json(evaluate(s, simulations=20, seed=1).as_dict())
