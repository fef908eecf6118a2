"""Hostile scenario files (hypothesis): the parser refuses with `InputError` or returns a scenario, never crashes,
and a refused save leaves the database exactly as it was.

Two generators, 500 cases each: the shipped example with values replaced, keys deleted or added at random (any
TOML value: huge integers, NaN, ±inf, 1e308, control characters, formula prefixes, nested tables, dates), and
arbitrary bytes and text. A scenario that parses is saved; the save either succeeds or is refused cleanly.
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finance.cli import main
from finance.errors import HeadroomError, InputError
from finance.scenarios import (
    evaluate,
    example_scenario,
    parse_scenario,
    parse_scenario_bytes,
    save_scenario,
    scenario_to_toml,
)
from finance.store import Store

AUTHORITY = "E08000014"
EXAMPLE: dict[str, Any] = tomllib.loads(scenario_to_toml(example_scenario()))
HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["=cmd|' /C calc'!A0", "+1+1", "@SUM(A1)", "-2+3", "\x00\x1b[31m", "E08000014", "2023-24"]),
    st.integers(1000, 5000).map(lambda n: "a\tb\n" * n),  # very long strings, generated cheaply
)
NUMBERS = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e308, -1e308, math.nan, math.inf, 0.0, -0.0, 5e-324]),
)
LEAVES = st.one_of(
    NUMBERS, HOSTILE_TEXT, st.booleans(), st.dates(min_value=date(1, 1, 1)), st.datetimes(min_value=datetime(1, 1, 1))
)
VALUES = st.recursive(
    LEAVES, lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)  # fmt: skip


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield (*prefix, i)
            yield from _paths(value, (*prefix, i))


PATHS = sorted(_paths(EXAMPLE), key=repr)


def _set(data: Any, path: tuple[Any, ...], value: Any, delete: bool) -> None:
    for key in path[:-1]:
        data = data[key]
    if isinstance(data, dict) != isinstance(path[-1], str):
        raise TypeError("the parent was replaced by another kind of value")
    if delete and isinstance(data, dict):
        del data[path[-1]]
    else:
        data[path[-1]] = value


@st.composite
def mutated(draw: st.DrawFn) -> str:
    data: dict[str, Any] = tomllib.loads(tomli_w.dumps(EXAMPLE))
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(PATHS))
        try:
            _set(data, path, draw(VALUES), draw(st.booleans()))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced the parent
    if draw(st.booleans()):
        data[draw(st.text(min_size=1, max_size=10))] = draw(VALUES)
    return tomli_w.dumps(data)


@pytest.fixture(scope="module")
def fuzz_store() -> Iterator[Store]:
    store = Store.open(":memory:")  # the same store code; no disk sync per commit, so 500 cases stay quick
    yield store
    store.close()


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mutated())
def test_mutated_scenario_files_parse_or_are_refused(text: str, fuzz_store: Store) -> None:
    try:
        scenario = parse_scenario(text, source="fuzz.toml")
    except HeadroomError:
        return
    _assert_finite_json(evaluate(scenario, simulations=20, seed=1).as_dict())
    before = fuzz_store.dump()
    try:
        save_scenario(fuzz_store, replace(scenario, authority=AUTHORITY), authority_code=AUTHORITY, user="fuzz")
    except HeadroomError:
        assert fuzz_store.dump() == before
    else:  # keep the database (and so each dump) small; the audit log is append-only and only grows a row a case
        fuzz_store.write(lambda tx: tx.execute("DELETE FROM scenario"))


@settings(max_examples=500, deadline=None)
@given(data=st.one_of(st.binary(max_size=2000), st.text(max_size=2000).map(lambda t: t.encode("utf-8", "replace"))))
def test_arbitrary_bytes_are_refused_cleanly(data: bytes) -> None:
    try:
        parse_scenario_bytes(data, source="upload.toml")
    except HeadroomError as err:
        assert str(err)


def _assert_finite_json(result: dict[str, Any]) -> None:
    """What `python -m finance scenario --json` prints: valid JSON (no NaN or Infinity tokens), every number finite."""
    text = json.dumps(result, default=str, allow_nan=False)
    stack: list[Any] = [json.loads(text)]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, float):
            assert math.isfinite(value)


def _nested(depth: int) -> str:
    return "name = 'x'\nbase_year = '2023-24'\nx = " + "[" * depth + "1" + "]" * depth + "\n"


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"base_year": "2023-24\x00"}, "base_year"),
        ({"years": ["2024-25"] * 10_000}, "years"),
        ({"assumptions": {"pay_award_pct": [1e308, 1e308, 1e308]}}, "assumptions.pay_award_pct"),
        ({"assumptions": {"pay_award_pct": [math.nan, 1.0, 1.0]}}, "assumptions.pay_award_pct"),
        ({"base": {"net_revenue_budget": math.nan}}, "base.net_revenue_budget"),
        ({"base": {"net_revenue_budget": math.inf}}, "base.net_revenue_budget"),
        ({"base": {"unallocated_reserves": 1e308}}, "base.unallocated_reserves"),
        ({"base": {"earmarked_reserves": 10**400}}, "base.earmarked_reserves"),
        ({"base": {"collection_rate_pct": math.nan}}, "base.collection_rate_pct"),
        ({"balances": {"earmarked_available_gbp_m": math.nan}}, "balances.earmarked_available_gbp_m"),
        ({"uncertainty": {"pay_award_pct": {"low": 1, "mode": 2, "high": 10**400}}}, "uncertainty.pay_award_pct"),
        ({"assumptions": {"dsg_written_off_pct": math.inf}}, "assumptions.dsg_written_off_pct"),
        ({"base_year": "0999-00", "years": ["1000-01", "1001-02", "1002-03"]}, "base_year"),
        ({"base_year": "2098-99", "years": ["2099-00", "2100-01", "2101-02"]}, "base_year"),
        ({"name": "\u200b\u200d"}, "name"),
        ({"name": "Budget \u202egnissim"}, "name"),
        ({"assumptions": {"pay_award_pct": [[[[[1.0]]]]]}}, "assumptions.pay_award_pct[0][0][0]"),
    ],
)
def test_absurd_values_are_refused_by_key(change: dict[str, Any], where: str) -> None:
    data = {**EXAMPLE, **change}
    for key, value in change.items():  # tables are changed key by key, not replaced
        if isinstance(value, dict) and isinstance(EXAMPLE.get(key), dict):
            data[key] = {**EXAMPLE[key], **value}
    try:
        parse_scenario(tomli_w.dumps(data))
    except HeadroomError as err:
        assert where in str(err)
    else:
        pytest.fail(f"{where} was accepted")


def test_an_oversized_scenario_file_is_refused_before_parsing() -> None:
    with pytest.raises(InputError, match="at most 1 MB"):
        parse_scenario_bytes(b"# x\n" * 300_000 + scenario_to_toml(example_scenario()).encode(), source="big.toml")


@pytest.mark.parametrize("depth", [6, 500, 5000])
def test_deep_nesting_is_refused_in_words(depth: int) -> None:
    with pytest.raises(InputError, match="deep"):
        parse_scenario(_nested(depth), source="n.toml")


def test_cli_json_has_no_nan_tokens(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.toml"
    path.write_text(scenario_to_toml(example_scenario()), encoding="utf-8")
    assert main(["scenario", str(path), "--json", "--simulations", "50"]) == 0
    _assert_finite_json(json.loads(capsys.readouterr().out))


def test_a_huge_formula_like_name_parses_but_is_not_saved(fuzz_store: Store) -> None:
    scenario = parse_scenario(tomli_w.dumps({**EXAMPLE, "name": '=HYPERLINK("http://x")' * 20}))
    before = fuzz_store.dump()
    with pytest.raises(HeadroomError, match="name"):
        save_scenario(fuzz_store, scenario, authority_code=AUTHORITY, user="fuzz")
    assert fuzz_store.dump() == before
