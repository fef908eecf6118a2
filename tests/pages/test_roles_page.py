"""Roles in the UI (AppTest of the real app): each role sees only what it may do, a page it cannot use says why and
who can grant it (never "Page not found"); local mode says so."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest


def _as(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, role: str) -> None:
    config = tmp_path / f"headroom-{role}.toml"
    config.write_text(f'[local]\nrole = "{role}"\n', encoding="utf-8")
    monkeypatch.setenv("HEADROOM_CONFIG", str(config))


def _title(at: AppTest) -> str:
    return at.title[0].value if at.title else ""


def _captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.sidebar.caption)


def test_local_mode_says_so_and_admin_sees_everything(app: Callable[..., AppTest]) -> None:
    at = app()
    assert "Local single-user mode" in _captions(at) and "127.0.0.1" in _captions(at)
    at.switch_page("pages/upload.py").run()
    assert _title(at) == "Upload monthly monitoring"
    at.switch_page("pages/admin.py").run()
    assert _title(at) == "Administration"
    at.switch_page("pages/upload_history.py").run()
    assert any(b.label == "Withdraw" for b in at.get("form_submit_button"))
    at.switch_page("pages/scenarios.py").run()
    assert [b for b in at.button if b.label == "Save scenario"]
    assert not at.exception


def test_viewer_cannot_reach_the_upload_or_admin_pages(
    app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _as(monkeypatch, tmp_path, "viewer")
    at = app()
    assert "(viewer)" in _captions(at)
    # not listed for this role, but its address explains instead of "Page not found", and nothing of it runs
    for page, title, doing in (
        ("pages/upload.py", "Upload monthly monitoring", "cannot upload monitoring workbooks"),
        ("pages/admin.py", "Administration", "cannot use the administration page"),
    ):
        at.switch_page(page).run()
        assert _title(at) == title and not at.exception
        (refusal,) = [e.value for e in at.error]
        assert f"Your role (viewer) {doing}" in refusal and "Ask an administrator" in refusal, refusal
        assert "admin role" in refusal and "Nothing on this page was run" in refusal
        assert not at.get("file_uploader") and not at.button and not at.text_input and not at.dataframe
    at.switch_page("pages/targets.py").run()  # the targets are for every role to read, the form is not
    assert _title(at) and not at.exception and not at.get("form")
    assert any("Your role (viewer) cannot set targets: that needs the finance role" in i.value for i in at.info)
    at.switch_page("pages/upload_history.py").run()  # the history itself is for every role
    assert _title(at) == "Upload history" and not at.exception
    assert not any(b.label == "Withdraw" for b in at.get("form_submit_button"))
    at.switch_page("pages/scenarios.py").run()
    assert _title(at) == "MTFS scenarios" and not at.exception
    assert not [b for b in at.button if b.label == "Save scenario"]


def test_finance_uploads_but_has_no_admin_page(
    app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _as(monkeypatch, tmp_path, "finance")
    at = app()
    at.switch_page("pages/upload.py").run()
    assert _title(at) == "Upload monthly monitoring"
    at.switch_page("pages/admin.py").run()
    assert _title(at) == "Administration" and not at.exception and not at.button
    assert any("Your role (finance) cannot use the administration page" in e.value for e in at.error)


def test_admin_backs_up_from_the_running_app_and_reads_the_audit_log(
    app: Callable[..., AppTest], tmp_path: Path
) -> None:
    at = app()
    at.switch_page("pages/admin.py").run()
    at.text_input(key="admin_backup_dir").set_value(str(tmp_path / "bk")).run()
    assert any("No verified backup" in w.value for w in at.warning)
    at.button(key="admin_backup").click().run()
    assert not at.exception
    assert any("Backed up to" in s.value for s in at.success)
    (taken,) = (tmp_path / "bk").glob("headroom-*.duckdb")
    assert any(f"Last verified backup:** `{taken.name}`" in m.value for m in at.markdown)
    at.button(key="admin_verify").click().run()
    assert any(f"{taken.name} verified" in s.value for s in at.success)
    data = bytearray(taken.read_bytes())
    data[-1] ^= 0xFF
    taken.write_bytes(bytes(data))
    at.button(key="admin_verify").click().run()
    assert any("refused" in e.value for e in at.error) and not at.exception
    assert any("does not match its manifest" in " ".join(map(str, d.value["Message"])) for d in at.dataframe[:1])
    at.button(key="admin_check").click().run()
    assert any(s.value.startswith("OK:") for s in at.success)
    log = at.dataframe[0].value
    assert {"User", "Role", "Via", "Action"} <= set(log.columns) and len(log) > 0


def test_local_mode_refuses_to_serve_beyond_this_machine(app: Callable[..., AppTest]) -> None:
    from streamlit import config

    old = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    try:
        at = app()
    finally:
        config.set_option("server.address", old)
    assert any("Not signed in" in e.value and "0.0.0.0" in e.value for e in at.error)
    assert _title(at) == "" and not at.dataframe  # nothing of the data is served
