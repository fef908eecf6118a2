"""Every malformed or hostile workbook of the corpus is refused: the right cell named, words not a traceback,
nothing written. Each case runs in a worker process under memory and time limits (tests/limited.py), so a
regression that makes a reader abort or allocate without bound fails its case instead of ending the test run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from finance.errors import InputError
from finance.store import Store
from finance.upload import load_upload
from tests.limited import LimitedWorker
from tests.monitoring_corpus import CORPUS, HOSTILE, Case, add_authority, build


@pytest.fixture(scope="module")
def worker() -> Iterator[LimitedWorker]:
    limited = LimitedWorker(memory_bytes=3 * 2**30, seconds=60)
    yield limited
    limited.close()


def test_corpus_is_big_enough() -> None:
    one_defect = [c for c in CORPUS if len(c.expect) == 1]
    assert len(one_defect) >= 30
    assert len(CORPUS) - len(one_defect) >= 3
    assert len({c.name for c in CORPUS}) == len(CORPUS)
    assert {"corner cell only", "A1 and the corner cell"} <= {c.name for c in HOSTILE}


@pytest.mark.parametrize("case", CORPUS, ids=[c.name for c in CORPUS])
def test_malformed_workbook_is_refused_and_changes_nothing(worker: LimitedWorker, case: Case) -> None:
    found, text, unchanged = worker.call("tests.monitoring_corpus:attempt", case.name)
    for where, words in case.expect:
        assert any(w == where and words in m for w, m in found), (where, words, found)
    if case.only:
        assert len(found) == len(case.expect), found
    assert "Traceback" not in text and "Error(" not in text
    assert all(message and where for where, message in found)
    assert unchanged


@pytest.fixture
def loaded(store: Store) -> Store:
    """A database that already holds an authority and one good upload."""
    add_authority(store)
    load_upload(store, build(), "baseline.xlsx")
    return store


def test_every_problem_is_reported_not_just_the_first(loaded: Store) -> None:
    from tests.monitoring_corpus import REVENUE_HEADER, revenue

    bad = [["Adults", None, "n/a", 1, None], ["Children's", None, 1, "tbc", None], ["Place", None, "?", "x", None]]
    with pytest.raises(InputError) as caught:
        load_upload(loaded, revenue(*bad, header=REVENUE_HEADER), "many.xlsx")
    wheres = {p.where for p in caught.value.problems}
    assert {"Revenue!C2", "Revenue!D3", "Revenue!C4", "Revenue!D4"} <= wheres
