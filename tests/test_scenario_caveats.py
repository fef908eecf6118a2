"""Scenarios that do not flatter (issue 14, item 9): missing cost lines, a surplus in words, dated starting balances
with their source, and earmarked reserves drawn only as far as the scenario says they are available."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from finance.cli import main
from finance.errors import InputError
from finance.scenarios import (
    base_figures,
    caveats,
    example_scenario,
    make_scenario,
    parse_scenario,
    run,
    scenario_to_toml,
)
from finance.scenarios.files import EXAMPLE_FILE
from finance.scenarios.model import Scenario
from finance.scenarios.report import evaluate
from finance.store import Store

YEARS = ("2024-25", "2025-26", "2026-27")
BASE = {"net_revenue_budget": 200.0, "council_tax_requirement": 100.0, "unallocated_reserves": 20.0,
        "earmarked_reserves": 40.0}  # fmt: skip


def _scenario(base: dict[str, float] | None = None, **assumptions: object) -> Scenario:
    return make_scenario("t", "2023-24", YEARS, {**BASE, **(base or {})}, assumptions)  # type: ignore[arg-type]


# -- the real returns ------------------------------------------------------------------------------------------


def test_sefton_from_rs_2023_24_starts_from_the_balances_at_31_march_2024(official_store: Store) -> None:
    base = base_figures(official_store, "E08000014")
    scenario = base.scenario()
    assert base.base_year == "2023-24" and scenario.years[0] == "2024-25"
    assert scenario.base["unallocated_reserves"] == pytest.approx(16.3, abs=0.05)
    assert scenario.base["earmarked_reserves"] == pytest.approx(32.7, abs=0.05)
    assert scenario.balances_as_at == date(2024, 3, 31)  # the day before the first projected year starts
    assert scenario.balances_source.startswith("RS 2023-24 (outturn), RS_2023-24_data_by_LA")
    text = caveats.balances_text(scenario)
    assert "unallocated £16.3m and earmarked £32.7m at 31 March 2024 from RS 2023-24" in text
    assert "older than" not in text
    # and the returns give no pay, prices or social care lines: the scenario says so and cannot be rated green
    assert caveats.missing_cost_lines(scenario) == (
        "pay", "prices (non-pay spending)", "adults' social care", "children's social care",
    )  # fmt: skip
    assert caveats.lacks_pay_or_prices(scenario)
    warning = caveats.missing_lines_text(scenario)
    assert warning is not None and warning.startswith("This scenario lacks pay, prices (non-pay spending),")


def test_an_mtfs_started_scenario_has_the_balances_up_to_its_base_year(official_store: Store) -> None:
    base = base_figures(official_store, "E08000014", up_to_year="2017-18")
    assert base.balances_as_at == date(2018, 3, 31) and base.balances_source.startswith("RS 2017-18")


# -- the shipped example ---------------------------------------------------------------------------------------


def test_the_sefton_example_keeps_the_peer_challenges_31_march_2023_balances_and_says_so() -> None:
    s = example_scenario()
    assert (s.base["unallocated_reserves"], s.base["earmarked_reserves"]) == (11.991, 51.398)
    assert s.balances_as_at == date(2023, 3, 31) and "CPC report" in s.balances_source
    text = caveats.balances_text(s)
    assert "at 31 March 2023 from the Sefton CPC report" in text
    assert "older than the start of the first projected year (1 April 2024)" in text
    # its costs are the published gaps, entered as pressures: said, but not a warning that the gap is too small
    assert not caveats.lacks_pay_or_prices(s)
    assert "additional pressures entered must carry those costs" in (caveats.missing_lines_text(s) or "")


# -- a surplus in words ----------------------------------------------------------------------------------------


def test_a_negative_gap_is_a_surplus_in_words() -> None:
    assert caveats.gap_text(-12.94) == "£12.9m surplus"
    assert caveats.gap_text(3.0) == "£3.0m"
    assert caveats.gap_text(0.0) == caveats.gap_text(-0.01) == "£0.0m"
    s = _scenario(council_tax_increase_pct=5.0)  # council tax rises, nothing else moves: funding outruns spending
    ev = evaluate(s)
    assert ev.final_gap_gbp_m < 0 and ev.final_gap_text.endswith(" surplus")
    assert any(t.startswith("Funding exceeds spending by") for t in ev.cautions())
    assert caveats.surplus_text(5.0, "2026-27") is None


def test_a_scenario_with_pay_and_prices_lacks_only_what_it_lacks() -> None:
    s = _scenario({"pay": 80.0, "non_pay": 60.0}, pay_award_pct=3.0)
    assert caveats.missing_cost_lines(s) == ("adults' social care", "children's social care")
    assert not caveats.lacks_pay_or_prices(s)
    assert caveats.missing_lines_text(_scenario({"pay": 1, "non_pay": 1, "adults_social_care": 1,
                                                 "childrens_social_care": 1})) is None  # fmt: skip
    only_pay = _scenario({"pay": 80.0})
    assert caveats.lacks_pay_or_prices(only_pay)  # prices are missing: still no comfort


# -- earmarked reserves available ------------------------------------------------------------------------------


def test_earmarked_first_draws_only_the_earmarked_reserves_said_to_be_available() -> None:
    gap = _scenario(additional_pressures_gbp_m=[10.0, 0.0, 0.0])  # £10m a year, recurring: £30m over three years
    everything = run(gap)
    assert list(everything.earmarked_closing[0]) == pytest.approx([30.0, 20.0, 10.0])
    assert list(everything.unallocated_closing[0]) == pytest.approx([20.0, 20.0, 20.0])
    capped = run(replace(gap, earmarked_available_gbp_m=15.0))
    assert list(capped.earmarked_closing[0]) == pytest.approx([30.0, 25.0, 25.0])  # £15m in all, then no more
    assert list(capped.unallocated_closing[0]) == pytest.approx([20.0, 15.0, 5.0])
    assert list(capped.usable_closing[0]) == pytest.approx(list(everything.usable_closing[0]))
    assert run(replace(gap, earmarked_available_gbp_m=0.0)).earmarked_closing[0, -1] == pytest.approx(40.0)


def test_not_saying_what_is_available_is_a_visible_warning() -> None:
    s = _scenario()
    warning = caveats.earmarked_text(s)
    assert warning is not None and warning.startswith("All £40.0m of earmarked reserves are assumed drawable")
    assert caveats.earmarked_text(replace(s, earmarked_available_gbp_m=10.0)) is None
    assert caveats.earmarked_text(replace(s, reserves_policy="unallocated_only")) is None
    assert "£10.0m is stated as available" in (
        caveats.earmarked_available_text(replace(s, earmarked_available_gbp_m=10.0)) or ""
    )


# -- files and the CLI -----------------------------------------------------------------------------------------


def test_balances_round_trip_through_toml_and_old_files_still_load() -> None:
    s = replace(_scenario(), balances_as_at=date(2024, 3, 31), balances_source="RS 2023-24",
                earmarked_available_gbp_m=12.5)  # fmt: skip
    text = scenario_to_toml(s)
    assert "[balances]" in text and "as_at = 2024-03-31" in text
    assert parse_scenario(text) == s
    old = EXAMPLE_FILE.read_text(encoding="utf-8")
    cut = old[: old.index("[balances]")] + old[old.index("[assumptions]") :]
    legacy = parse_scenario(cut)
    assert legacy.balances_as_at is None and legacy.earmarked_available_gbp_m is None
    assert "does not say what date they are at" in caveats.balances_text(legacy)


@pytest.mark.parametrize(
    ("table", "where"),
    [
        ('as_at = "31/03/2024"', "balances.as_at"),
        ("as_at = 2024-03-31T10:00:00", "balances.as_at"),
        ("earmarked_available_gbp_m = -1", "balances.earmarked_available_gbp_m"),
        ("earmarked_available_gbp_m = 60.0", "balances.earmarked_available_gbp_m"),  # more than the £51.398m held
        ("source = 3", "balances.source"),
        ("as_of = 2024-03-31", "balances.as_of"),
    ],
)
def test_bad_balances_are_refused_naming_the_key(table: str, where: str) -> None:
    text = EXAMPLE_FILE.read_text(encoding="utf-8")
    start = text.index("[balances]")
    bad = text[:start] + f"[balances]\n{table}\n\n" + text[text.index("[assumptions]") :]
    with pytest.raises(InputError) as err:
        parse_scenario(bad)
    assert [p.where for p in err.value.problems] == [where]


def test_cli_json_carries_the_balances_and_the_cautions(capsys: pytest.CaptureFixture[str], db_path: str) -> None:
    assert main(["--db", db_path, "scenario", str(EXAMPLE_FILE), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["basis"] == "scenario projection"
    assert data["starting_balances"] == {
        "as_at": "2023-03-31",
        "source": example_scenario().balances_source,
        "unallocated_reserves_gbp_m": 11.991,
        "earmarked_reserves_gbp_m": 51.398,
        "earmarked_available_gbp_m": None,
    }
    assert data["missing_cost_lines"][0] == "pay" and data["final_gap_text"] == "£19.0m"
    assert any("assumed drawable" in c for c in data["cautions"])
