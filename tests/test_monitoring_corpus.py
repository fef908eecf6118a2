"""Every malformed workbook of the corpus is refused: the right cell named, words not a traceback, nothing written."""

from __future__ import annotations

import pytest

from finance.errors import InputError
from finance.store import Store
from finance.upload import load_upload
from tests.monitoring_corpus import CORPUS, Case, add_authority, build


@pytest.fixture
def loaded(store: Store) -> Store:
    """A database that already holds an authority and one good upload, so 'unchanged' is a real comparison."""
    add_authority(store)
    load_upload(store, build(), "baseline.xlsx")
    return store


def test_corpus_is_big_enough() -> None:
    one_defect = [c for c in CORPUS if len(c.expect) == 1]
    assert len(one_defect) >= 30
    assert len(CORPUS) - len(one_defect) >= 3
    assert len({c.name for c in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("case", CORPUS, ids=[c.name for c in CORPUS])
def test_malformed_workbook_is_refused_and_changes_nothing(loaded: Store, case: Case) -> None:
    before = loaded.dump()
    with pytest.raises(InputError) as caught:
        load_upload(loaded, case.make(), case.file_name, limits=case.limits)
    err = caught.value
    found = [(p.where, p.message) for p in err.problems]
    for where, words in case.expect:
        assert any(w == where and words in m for w, m in found), (where, words, found)
    text = str(err)
    assert "Traceback" not in text and "Error(" not in text
    assert all(p.message and p.where for p in err.problems)
    assert loaded.dump() == before


def test_every_problem_is_reported_not_just_the_first(loaded: Store) -> None:
    from tests.monitoring_corpus import REVENUE_HEADER, revenue

    bad = [["Adults", None, "n/a", 1, None], ["Children's", None, 1, "tbc", None], ["Place", None, "?", "x", None]]
    with pytest.raises(InputError) as caught:
        load_upload(loaded, revenue(*bad, header=REVENUE_HEADER), "many.xlsx")
    wheres = {p.where for p in caught.value.problems}
    assert {"Revenue!C2", "Revenue!D3", "Revenue!C4", "Revenue!D4"} <= wheres
