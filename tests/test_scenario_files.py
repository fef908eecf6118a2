"""Scenario TOML files: every problem is reported with its key; export → import round-trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from finance.errors import InputError
from finance.scenarios import example_scenario, load_scenario, parse_scenario, parse_scenario_bytes, scenario_to_toml
from finance.scenarios.model import Triangle

GOOD = """
name = "Test"
authority = "E08000014"
base_year = "2023-24"
years = ["2024-25", "2025-26", "2026-27"]
[base]
net_revenue_budget = 281.0
council_tax_requirement = 160.236
unallocated_reserves = 11.991
earmarked_reserves = 51.398
minimum_reserves = 10.0
[assumptions]
council_tax_increase_pct = 4.99
additional_pressures_gbp_m = [14.3, 13.2, 16.7]
reserves_policy = "earmarked_first"
[uncertainty]
pay_award_pct = { low = 2.5, mode = 3.5, high = 6.0 }
"""


def _problems(text: str) -> dict[str, str]:
    with pytest.raises(InputError) as info:
        parse_scenario(text, source="bad.toml")
    assert "bad.toml" in str(info.value)
    return {p.where: p.message for p in info.value.problems}


def test_good_file_reads_with_defaults() -> None:
    s = parse_scenario(GOOD)
    assert s.years == ("2024-25", "2025-26", "2026-27")
    assert s.assumptions["additional_pressures_gbp_m"] == (14.3, 13.2, 16.7)
    assert s.assumptions["council_tax_increase_pct"] == (4.99, 4.99, 4.99)
    assert s.assumptions["pay_award_pct"] == (3.5, 3.5, 3.5)  # not given: the range's mode
    assert s.assumptions["savings_delivery_pct"] == (100.0, 100.0, 100.0)
    assert s.base["pay"] == 0.0
    assert s.ranges == {"pay_award_pct": Triangle(2.5, 3.5, 6.0)}


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("council_tax_increase_pct = 4.99", "council_tax_increse_pct = 4.99", "assumptions.council_tax_increse_pct"),
        (
            "council_tax_increase_pct = 4.99",
            'council_tax_increase_pct = "4.99"',
            "assumptions.council_tax_increase_pct",
        ),
        ("[14.3, 13.2, 16.7]", "[14.3, 13.2]", "assumptions.additional_pressures_gbp_m"),
        ("[14.3, 13.2, 16.7]", '[14.3, "x", 16.7]', "assumptions.additional_pressures_gbp_m[1]"),
        ("net_revenue_budget = 281.0", "net_revenue_budget = -281.0", "base.net_revenue_budget"),
        ("earmarked_reserves = 51.398", "earmarked_reserves = true", "base.earmarked_reserves"),
        ("earmarked_reserves = 51.398", "", "base.earmarked_reserves"),
        ("minimum_reserves = 10.0", "minimum_reserve = 10.0", "base.minimum_reserve"),
        ('"earmarked_first"', '"spend_it_all"', "assumptions.reserves_policy"),
        ('years = ["2024-25", "2025-26", "2026-27"]', 'years = ["2024-25", "2026-27", "2027-28"]', "years[1]"),
        ('years = ["2024-25", "2025-26", "2026-27"]', 'years = ["2023-24", "2024-25", "2025-26"]', "years[0]"),
        ('years = ["2024-25", "2025-26", "2026-27"]', 'years = ["2024-25", "2025/26", "2026-27"]', "years[1]"),
        ('years = ["2024-25", "2025-26", "2026-27"]', 'years = ["2024-25"]', "years"),
        ('base_year = "2023-24"', 'base_year = "2023-25"', "base_year"),
        ('name = "Test"', 'name = ""', "name"),
        ('authority = "E08000014"', 'authority = "Sefton"', "authority"),
        ('name = "Test"', 'name = "Test"\ncolour = "blue"', "colour"),
        ("high = 6.0", "high = 3.0", "uncertainty.pay_award_pct"),
        ("mode = 3.5,", "mostly = 3.5,", "uncertainty.pay_award_pct"),
        ("pay_award_pct = { low", "pay_awards_pct = { low", "uncertainty.pay_awards_pct"),
        ("council_tax_increase_pct = 4.99", "savings_delivery_pct = 120.0", "assumptions.savings_delivery_pct"),
    ],
)
def test_each_problem_names_its_key(old: str, new: str, where: str) -> None:
    assert old in GOOD
    assert where in _problems(GOOD.replace(old, new))


def test_all_problems_reported_at_once() -> None:
    text = GOOD.replace("net_revenue_budget = 281.0", "net_revenue_budget = -1.0").replace(
        'council_tax_increase_pct = 4.99', 'council_tax_increse_pct = 4.99'
    ).replace('"earmarked_first"', '"both"')  # fmt: skip
    assert set(_problems(text)) >= {
        "base.net_revenue_budget",
        "assumptions.council_tax_increse_pct",
        "assumptions.reserves_policy",
    }


def test_range_on_a_year_by_year_assumption_is_refused() -> None:
    text = GOOD + "additional_pressures_gbp_m = { low = 0.0, mode = 1.0, high = 2.0 }\n"
    assert "uncertainty.additional_pressures_gbp_m" in _problems(text)


def test_invalid_toml_names_the_file() -> None:
    assert "bad.toml" in _problems("name = ")


def test_non_utf8_upload_is_refused() -> None:
    with pytest.raises(InputError) as info:
        parse_scenario_bytes(b"\xff\xfe\x00name", source="upload.toml")
    assert info.value.problems[0].where == "upload.toml"


def test_unreadable_path_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_scenario(tmp_path / "missing.toml")


def test_export_import_round_trips() -> None:
    original = parse_scenario(GOOD).with_assumptions(savings_planned_gbp_m=(1.0, 2.5, 0.0), pay_award_pct=3.1)
    text = scenario_to_toml(original)
    assert parse_scenario(text) == original
    assert scenario_to_toml(parse_scenario(text)) == text


def test_shipped_example_round_trips_and_cites_its_source() -> None:
    example = example_scenario()
    assert parse_scenario(scenario_to_toml(example)) == example
    text = Path(__file__).resolve().parents[1].joinpath("data/scenarios/sefton-mtfs-2024-27.toml").read_text()
    assert "Corporate Peer Challenge" in text
    assert example.authority == "E08000014"


def test_every_key_is_documented() -> None:
    from finance.scenarios.spec import ASSUMPTIONS, BASE, OPTION_KEYS

    doc = Path(__file__).resolve().parents[1].joinpath("docs/SCENARIOS.md").read_text()
    missing = [k for k in [*(b.key for b in BASE), *(a.key for a in ASSUMPTIONS), *OPTION_KEYS] if f"`{k}`" not in doc]
    assert missing == []
