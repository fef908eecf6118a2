"""The child process that parses uploads: answers come back, refusals keep their problems, and a child that
aborts, runs out of memory or time, or answers with something other than plain data ends in `ChildFailedError` or
a refused pickle, never in the caller's death."""

from __future__ import annotations

import pickle
import sys

import pytest

from finance.errors import InputError
from finance.sandbox import ChildFailedError, ChildLimits, run_in_child
from tests.limited import LimitedWorker
from tests.monitoring_corpus import CORNER, with_cell

LIMITS = ChildLimits(memory_bytes=1536 * 2**20, seconds=20)
needs_rlimit = pytest.mark.skipif(sys.platform == "win32", reason="no resource limits on Windows")


def test_the_value_comes_back() -> None:
    assert run_in_child("tests.child_targets:echo", ({"a": [1, 2.5, "x"]},), LIMITS) == {"a": [1, 2.5, "x"]}


def test_a_refusal_keeps_every_problem() -> None:
    with pytest.raises(InputError) as caught:
        run_in_child("tests.child_targets:refuse", (), LIMITS)
    assert [p.where for p in caught.value.problems] == ["Revenue!D14", "Revenue!A2"]
    assert caught.value.problems[0].value == "tbc"


def test_an_aborting_child_is_reported_not_fatal() -> None:
    with pytest.raises(ChildFailedError, match="stopped abruptly"):
        run_in_child("tests.child_targets:abort", (), LIMITS)


@needs_rlimit
def test_memory_beyond_the_limit_is_refused() -> None:
    with pytest.raises(ChildFailedError, match="memory"):
        run_in_child("tests.child_targets:allocate", (4,), LIMITS)


@needs_rlimit
def test_calamine_asking_for_512_gb_ends_only_the_child() -> None:
    """The library failure itself (no extent check in the way): the child aborts, the caller carries on."""
    with pytest.raises(ChildFailedError):
        run_in_child("tests.child_targets:calamine_sheet", (with_cell(CORNER), "Revenue"), LIMITS)


def test_calamine_panic_ends_only_the_child() -> None:
    with pytest.raises(ChildFailedError):
        run_in_child(
            "tests.child_targets:calamine_sheet", (with_cell(CORNER, sheets={"Revenue": []}), "Revenue"), LIMITS
        )


def test_a_child_that_never_finishes_is_stopped() -> None:
    with pytest.raises(ChildFailedError, match="seconds"):
        run_in_child("tests.child_targets:spin", (), ChildLimits(LIMITS.memory_bytes, seconds=1, wall_factor=1))


@needs_rlimit
def test_a_child_burning_processor_time_is_stopped_by_its_cpu_limit() -> None:
    with pytest.raises(ChildFailedError, match="processor time"):
        run_in_child("tests.child_targets:burn", (), ChildLimits(LIMITS.memory_bytes, seconds=1, wall_factor=60))


def test_an_answer_that_would_run_code_is_not_loaded() -> None:
    with pytest.raises(pickle.UnpicklingError, match="not allowed"):
        run_in_child("tests.child_targets:smuggle", (), LIMITS)


def test_the_test_worker_survives_a_case_that_kills_it() -> None:
    worker = LimitedWorker(memory_bytes=1536 * 2**20, seconds=20)
    try:
        assert worker.call("tests.child_targets:echo", 1) == 1
        with pytest.raises(ChildFailedError):
            worker.call("tests.child_targets:abort")
        assert worker.call("tests.child_targets:echo", 2) == 2
    finally:
        worker.close()
