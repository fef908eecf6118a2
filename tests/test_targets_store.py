"""The one store of targets (issue 18 item 3): a known series in its own units, who set it and when, audited as
`set_target`, history kept when a target is set again, and every problem with what was typed named at once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from finance.errors import InputError
from finance.indicators import INDICATORS
from finance.store import Store
from finance.targets import (
    CATALOGUE,
    NewTarget,
    collection_key,
    current_targets,
    find_series,
    period_end,
    read_target,
    set_target,
    set_target_from_text,
    target_history,
)
from tests.monitoring_corpus import add_authority

FUTURE = date(date.today().year + 3, 3, 31)
WHERE = {"series": "A", "value": "B", "units": "C", "direction": "D", "target_date": "E"}


def _read(**fields: object) -> tuple[NewTarget | None, list[str]]:
    base: dict[str, object] = {
        "series": "Unallocated reserves",
        "value": 23,
        "units": "£m",
        "direction": "at least",
        "target_date": "2028-29",
    }
    new, problems = read_target(
        {**base, **fields}, WHERE, not_before=date(2025, 9, 30), not_before_words="the end of P6 2025-26"
    )
    return new, [str(p) for p in problems]


def test_a_target_is_read_in_its_series_units_from_words_a_user_types() -> None:
    new, problems = _read()
    assert problems == []
    assert new == NewTarget("unallocated_reserves", 23_000_000.0, "gbp", "at_least", date(2029, 3, 31))
    rate, _ = _read(series="In-year collection rate, Council tax (%)", value="95.5%", units="%",
                    direction="At most", target_date="31/03/2026")  # fmt: skip
    assert rate == NewTarget(collection_key("Council tax"), 95.5, "pct", "at_most", date(2026, 3, 31),
                             stream="Council tax")  # fmt: skip
    assert find_series("collection_rate_business_rates") is CATALOGUE["collection_rate_business_rates"]


def test_every_problem_is_named_with_where_it_was_typed() -> None:
    new, problems = _read(series="Happiness index", value="lots", units="£", direction="roughly",
                          target_date="2025-06-30")  # fmt: skip
    assert new is None
    assert problems[0].startswith('A "Happiness index": is not a series Headroom can hold a target for')
    assert problems[1:] == [
        'B "lots": must be a number',
        "D \"roughly\": must be 'at least' or 'at most'",
        'E "2025-06-30": is before the end of P6 2025-26',
    ]
    _, units = _read(series="usable_reserves_pct_nre", units="£m")
    assert units == ['C "£m": Level of usable reserves (% of NRE) is in %, not £']
    _, no_units = _read(units="euros")
    assert no_units == ['C "euros": must be £, £m, £000 or %']
    _, typo = _read(target_date="2092-03-31")
    assert typo[0].startswith('E "2092-03-31": is outside 2000-01 to ')


def test_the_catalogue_names_only_series_headroom_charts() -> None:
    indicator_units = {spec.key: spec.unit for spec in INDICATORS}
    for series in CATALOGUE.values():
        if series.basis == "year_end" and series.key.endswith(("_pct", "_pct_nre", "_pct_usable_reserves")):
            assert series.key in indicator_units, series.key  # an indicator the profile computes
            assert indicator_units[series.key].startswith("%"), series.key
    assert {"unallocated_reserves", "earmarked_reserves", "usable_reserves"} <= set(CATALOGUE)
    assert "reserves_sustainability_years" not in CATALOGUE  # in years: a target is in £ or %


def test_period_end_is_the_last_day_of_the_period() -> None:
    assert period_end("2025-26", 6) == date(2025, 9, 30)
    assert period_end("2025-26", 11) == date(2026, 2, 28)
    assert period_end("2023-24", 11) == date(2024, 2, 29)
    assert period_end("2025-26", 12) == date(2026, 3, 31)


def test_setting_a_target_is_audited_and_setting_it_again_keeps_the_history(store: Store) -> None:
    add_authority(store, "DEMO01", "Council DEMO01")
    first = set_target(
        store, "DEMO01", NewTarget("unallocated_reserves", 20e6, "gbp", "at_least", FUTURE, "Budget report"),
        user="s151@council",
    )  # fmt: skip
    assert first.state == "current" and first.set_by == "s151@council" and first.set_via == "app"
    assert first.label == f"Target: at least £20.0m by 31 Mar {FUTURE.year} (set by s151@council)"
    assert store.query_one("SELECT user_name, action FROM audit_log ORDER BY audit_id DESC LIMIT 1") == (
        "s151@council",
        "set_target",
    )
    second = set_target_from_text(
        store, "DEMO01",
        {"series": "unallocated_reserves", "value": "23", "units": "£m", "direction": "at least",
         "target_date": FUTURE.isoformat()},
        user="cfo@council", via="cli", mandate="Peer challenge recommendation 8",
    )  # fmt: skip
    history = target_history(store, "DEMO01")
    assert [(t.value, t.state) for t in history] == [(20e6, "superseded"), (23e6, "current")]
    assert current_targets(store, "DEMO01") == {"unallocated_reserves": second}
    assert second.mandate == "Peer challenge recommendation 8" and second.set_via == "cli"
    assert current_targets(store, "DEMO02") == {}


def test_a_refused_target_changes_nothing(store: Store) -> None:
    add_authority(store, "DEMO01", "Council DEMO01")
    before = store.dump()
    with pytest.raises(InputError, match=r"target date.*is in the past"):
        set_target(store, "DEMO01", NewTarget("unallocated_reserves", 1.0, "gbp", "at_least",
                                               date.today() - timedelta(days=1)), user="x")  # fmt: skip
    with pytest.raises(InputError, match='series "GDP": is not a series'):
        set_target_from_text(store, "DEMO01", {"series": "GDP", "value": 1, "units": "%", "direction": "at most",
                                               "target_date": FUTURE}, user="x", via="cli")  # fmt: skip
    with pytest.raises(InputError, match="give your name"):
        set_target(store, "DEMO01", NewTarget("usable_reserves", 1.0, "gbp", "at_least", FUTURE), user=" ")
    assert store.dump() == before


def test_judging_says_on_track_off_track_or_not_judged_in_words() -> None:
    from datetime import datetime

    from finance.targets import Target, collection_projection, judge

    target = Target(1, "DEMO01", "unallocated_reserves", 23e6, "gbp", "at_least", date(2029, 3, 31), None,
                    "s151", datetime(2026, 1, 5), "app", None, "current")  # fmt: skip
    assert judge(target, 24e6, "outturn (RS) at 31 March 2025").status == "on track"
    short = judge(target, 12e6, "outturn (RS) at 31 March 2025")
    assert short.status == "off track" and short.text.endswith("£12.0m (outturn (RS) at 31 March 2025), £11.0m short.")
    assert judge(target, None, "").status == "not judged"
    # collection: the rate now plus what last year collected from the same period to its year end
    assert collection_projection(60.0, 7, 61.0, 96.5) == (95.5, "projected with last year's profile")
    assert collection_projection(95.0, 12, None, None)[0] == 95.0
    assert collection_projection(60.0, 7, None, 96.5)[0] is None
