"""One identity path (issue 15 item 4): the acting user reaches the store only by being bound to the thread
(`Store.acting`, `Store.bind`), and that one binding governs reads and writes alike. No write, snapshot or backup
takes an actor as an argument any more, so there is no second way that could disagree with the first.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from finance.access import Grants
from finance.auth import SYSTEM, Actor, Role
from finance.backup import backup
from finance.errors import NotPermittedError
from finance.monitoring import upload_history
from finance.store import Store, Tx
from finance.upload import load_upload
from tests.monitoring_corpus import add_authority, revenue, with_fields
from tests.refusals import assert_only_refusals_added

A, B = "DEMO01", "DEMO02"
A_FINANCE = Actor("fin@a.gov.uk", Role.VIEWER, "oidc", Grants(((A, "finance"),)))
ADMIN = Actor("ada@shared.gov.uk", Role.ADMIN, "oidc")


def _touch(tx: Tx) -> None:
    tx.execute("UPDATE authority SET name = name || '.' WHERE authority_code = ?", [A])


@pytest.fixture
def two(store: Store) -> Store:
    for code in (A, B):
        add_authority(store, code, f"Council {code}")
        load_upload(store, revenue(fields=with_fields(authority=code)), f"{code}.xlsx", isolated=False)
    return store


def test_no_write_path_takes_an_actor_argument(store: Store, tmp_path: Path) -> None:
    add_authority(store, A, "Council A")
    before = store.dump()
    with pytest.raises(TypeError, match="actor"):
        store.write(_touch, actor=ADMIN)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="actor"):
        store.snapshot(tmp_path / "s.duckdb", actor=ADMIN)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="actor"):
        backup(store, tmp_path / "b", actor=SYSTEM)  # type: ignore[call-arg]
    with pytest.raises(TypeError), store.acting(ADMIN, "upload"):  # type: ignore[call-arg]  # no caller's label
        pass
    assert store.dump() == before
    assert not (tmp_path / "s.duckdb").exists() and not (tmp_path / "b").exists()


def test_the_bound_actor_governs_reads_and_writes(two: Store) -> None:
    store = two
    with store.acting(A_FINANCE):
        assert set(upload_history(store)["authority_code"]) == {A}  # a list leaves B out
        upload_history(store, A)
        before = store.dump()
        with pytest.raises(NotPermittedError, match=f"no access to {B}"):
            upload_history(store, B)
        with pytest.raises(NotPermittedError, match=B):
            load_upload(store, revenue(fields=with_fields(authority=B, period="P7")), "b7.xlsx", isolated=False)
        with pytest.raises(NotPermittedError, match="needs the admin role"):
            store.write(_touch, action="import_official")  # a deployment-wide action
        assert_only_refusals_added(before, store.dump(), f"refused read {B}", f"refused upload {B}",
                                   "refused import_official")  # fmt: skip
        loaded = load_upload(store, revenue(fields=with_fields(authority=A, period="P7")), "a7.xlsx", isolated=False)
    assert store.scalar("SELECT uploaded_by FROM monitoring_upload WHERE upload_id = ?", [loaded.upload_id]) == (
        A_FINANCE.user
    )
    assert store.acting_actor() is None  # the binding ends with the block
    assert set(upload_history(store)["authority_code"]) == {A, B}  # a process reads every council


def test_a_binding_belongs_to_its_thread_and_nests(two: Store) -> None:
    store = two
    seen: list[Actor | None] = []
    with store.acting(A_FINANCE):
        other = threading.Thread(target=lambda: seen.append(store.acting_actor()))
        other.start()
        other.join()
        with store.acting(ADMIN):
            assert store.acting_actor() == ADMIN
            upload_history(store, B)  # the inner binding reads B
        assert store.acting_actor() == A_FINANCE
    assert seen == [None]  # another thread (a scheduled backup, another session) does not inherit it
    store.bind(A_FINANCE)
    try:
        with pytest.raises(NotPermittedError):
            upload_history(store, B)
    finally:
        store.bind(None)
    upload_history(store, B)
