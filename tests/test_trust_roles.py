"""Roles: who a request is (OIDC, trusted proxy, local mode), and the write path refusing what a role may not do."""

from __future__ import annotations

from pathlib import Path

import pytest

from finance import audit_chain, auth
from finance.auth import Actor, Request, Role, TeamConfig, parse_config, resolve_identity
from finance.errors import InputError, NotPermittedError
from finance.scenarios import example_scenario, save_scenario
from finance.store import NOT_SIGNED_IN, Store, Tx
from finance.upload import load_upload, withdraw_upload
from tests.monitoring_corpus import add_authority, revenue, with_fields
from tests.refusals import assert_only_refusals_added

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "headroom.example.toml"
VIEWER = Actor("vera@northbridge.gov.uk", Role.VIEWER, "oidc")
FINANCE = Actor("fin@northbridge.gov.uk", Role.FINANCE, "proxy")
ADMIN = Actor("ada@northbridge.gov.uk", Role.ADMIN, "oidc")

PROXY = parse_config(
    """
[roles]
default = "none"
[roles.users]
"fin@northbridge.gov.uk" = "finance"
[proxy]
header = "X-Forwarded-User"
trusted = ["10.0.0.5", "127.0.0.1/32"]
"""
)


def test_example_config_parses_and_maps_users_domains_and_default() -> None:
    cfg = auth.load_config(str(EXAMPLE))
    assert cfg.role_for("S151.Officer@northbridge.gov.uk") is Role.ADMIN
    assert cfg.role_for("finance.lead@northbridge.gov.uk") is Role.FINANCE
    assert cfg.role_for("someone@northbridge.gov.uk") is Role.VIEWER
    assert cfg.role_for("someone@elsewhere.org") is Role.VIEWER
    assert cfg.local_role is Role.ADMIN and cfg.proxy is None


def test_bad_config_names_every_bad_key() -> None:
    with pytest.raises(InputError) as err:
        parse_config('[roles]\ndefault = "boss"\n[roles.users]\n"a@b" = "god"\n[proxy]\nheader = ""\ntrusted = ["x"]')
    wheres = " ".join(p.where for p in err.value.problems)
    for key in ("roles.default", "roles.users.a@b", "proxy.header", "proxy.trusted"):
        assert key in wheres


def test_oidc_needs_login_then_maps_the_signed_in_user() -> None:
    cfg = auth.load_config(str(EXAMPLE))
    assert resolve_identity(cfg, Request(oidc_configured=True)).needs_login
    who = resolve_identity(
        cfg, Request(oidc_configured=True, oidc_logged_in=True, oidc_user="finance.lead@northbridge.gov.uk")
    )
    assert who.actor == Actor("finance.lead@northbridge.gov.uk", Role.FINANCE, "oidc")


def test_oidc_user_without_a_role_is_refused_when_default_is_none() -> None:
    who = resolve_identity(PROXY, Request(oidc_configured=True, oidc_logged_in=True, oidc_user="x@y.org"))
    assert who.actor is None and "no role" in (who.refusal or "")


def test_proxy_header_is_trusted_only_from_the_configured_proxy() -> None:
    headers = {"x-forwarded-user": "fin@northbridge.gov.uk"}
    ok = resolve_identity(PROXY, Request(headers=headers, client_ip="10.0.0.5", server_address="0.0.0.0"))
    assert ok.actor == Actor("fin@northbridge.gov.uk", Role.FINANCE, "proxy")
    forged = resolve_identity(PROXY, Request(headers=headers, client_ip="10.0.0.9", server_address="0.0.0.0"))
    assert forged.actor is None and "10.0.0.9" in (forged.refusal or "")
    missing = resolve_identity(PROXY, Request(headers={}, client_ip="127.0.0.1"))
    assert missing.actor is None and "X-Forwarded-User" in (missing.refusal or "")


def test_proxy_identity_needs_a_server_that_keeps_the_tcp_peer_address() -> None:
    """uvicorn's default (FORWARDED_ALLOW_IPS unset) replaces a loopback peer's address with one named in
    X-Forwarded-For, so the app cannot tell the proxy from anyone on the machine: proxy mode refuses to trust it."""
    headers = {"x-forwarded-user": "fin@northbridge.gov.uk"}
    for setting in (None, "127.0.0.1,::1", "*"):
        who = resolve_identity(PROXY, Request(headers=headers, client_ip="10.0.0.5", forwarded_allow_ips=setting))
        assert who.actor is None and "FORWARDED_ALLOW_IPS=" in (who.refusal or ""), setting
    kept = resolve_identity(PROXY, Request(headers=headers, client_ip="10.0.0.5", forwarded_allow_ips=""))
    assert kept.actor == FINANCE


@pytest.mark.parametrize(
    "forwarding",
    [
        {"X-Forwarded-For": "10.0.0.5"},
        {"X-Forwarded-For": "203.0.113.7, 10.0.0.5"},
        {"x-forwarded-for": "10.0.0.5:51234"},
        {"X-Real-IP": "10.0.0.5"},
        {"Forwarded": 'for="10.0.0.5:443";proto=https'},
        {"Forwarded": "for=203.0.113.7, for=10.0.0.5"},
    ],
)
def test_an_address_taken_from_a_forwarding_header_is_not_trusted(forwarding: dict[str, str]) -> None:
    headers = {"x-forwarded-user": "fin@northbridge.gov.uk", **forwarding}
    who = resolve_identity(PROXY, Request(headers=headers, client_ip="10.0.0.5"))
    assert who.actor is None and "forwarding headers" in (who.refusal or "")


def test_a_trusted_proxy_forwarding_its_clients_address_is_accepted() -> None:
    headers = {"x-forwarded-user": "fin@northbridge.gov.uk", "X-Forwarded-For": "203.0.113.7, 192.0.2.1"}
    assert resolve_identity(PROXY, Request(headers=headers, client_ip="10.0.0.5")).actor == FINANCE


def test_proxy_header_is_ignored_unless_configured() -> None:
    who = resolve_identity(TeamConfig(), Request(headers={"X-Forwarded-User": "ada@x"}, client_ip="10.0.0.5"))
    assert who.actor == Actor("local", Role.ADMIN, "local")


def test_local_mode_serves_loopback_only() -> None:
    assert resolve_identity(TeamConfig(), Request(server_address="127.0.0.1")).mode == "local"
    refused = resolve_identity(TeamConfig(), Request(server_address="0.0.0.0"))
    assert refused.actor is None and "0.0.0.0" in (refused.refusal or "")
    kiosk = resolve_identity(parse_config('[local]\nrole = "viewer"'), Request())
    assert kiosk.actor == Actor("local", Role.VIEWER, "local")


@pytest.mark.parametrize(
    ("role", "action", "ok"),
    [
        (Role.VIEWER, "upload", False),
        (Role.VIEWER, "write", False),
        (Role.FINANCE, "upload", True),
        (Role.FINANCE, "save_scenario", True),
        (Role.FINANCE, "withdraw_upload", False),
        (Role.FINANCE, "import_official", False),
        (Role.ADMIN, "withdraw_upload", True),
        (Role.ADMIN, "backup", True),
    ],
)
def test_permission_table(role: Role, action: str, ok: bool) -> None:
    assert auth.allowed(Actor("u", role, "oidc"), action) is ok


# -- the write path refuses anyway ---------------------------------------------------------------------------------


@pytest.fixture
def db(store: Store) -> Store:
    add_authority(store)
    return store


def test_viewer_upload_is_refused_before_any_change(db: Store) -> None:
    before = db.dump()
    with db.acting(VIEWER), pytest.raises(NotPermittedError, match="viewer"):
        load_upload(db, revenue(), "m.xlsx")
    assert_only_refusals_added(before, db.dump(), "refused upload DEMO01")


def test_direct_write_by_a_viewer_never_runs_the_callback(db: Store) -> None:
    ran: list[int] = []

    def fn(tx: Tx) -> None:
        ran.append(1)
        tx.execute("DELETE FROM authority")

    before = db.dump()
    with db.acting(VIEWER), pytest.raises(NotPermittedError):
        db.write(fn)
    with db.acting(FINANCE), pytest.raises(NotPermittedError):
        db.write(fn, action="import_official")
    assert ran == []
    assert_only_refusals_added(before, db.dump(), "refused write", "refused import_official")


def test_finance_uploads_but_only_admin_withdraws(db: Store) -> None:
    with db.acting(FINANCE):
        result = load_upload(db, revenue(), "m.xlsx", user="typed name")
    row = db.query_one("SELECT uploaded_by FROM monitoring_upload WHERE upload_id = ?", [result.upload_id])
    assert row == (FINANCE.user,)  # a verified name wins over a typed one
    before = db.dump()
    with db.acting(FINANCE), pytest.raises(NotPermittedError, match="admin"):
        withdraw_upload(db, result.upload_id)
    assert_only_refusals_added(before, db.dump(), "refused withdraw_upload DEMO01")
    with db.acting(ADMIN):
        withdraw_upload(db, result.upload_id)
    assert db.scalar("SELECT withdrawn_by FROM monitoring_upload") == ADMIN.user


def test_viewer_cannot_save_a_scenario(store: Store) -> None:
    before = store.dump()
    with store.acting(VIEWER), pytest.raises(NotPermittedError):
        save_scenario(store, example_scenario(), authority_code="E08000014", user="Vera")
    assert_only_refusals_added(before, store.dump(), "refused save_scenario E08000014")
    with store.acting(FINANCE):
        save_scenario(store, example_scenario(), authority_code="E08000014", user="Vera")
    assert store.scalar("SELECT saved_by FROM scenario") == FINANCE.user


def test_app_store_refuses_writes_with_no_actor(db: Store) -> None:
    db.require_actor = True
    before = db.dump()
    with pytest.raises(NotPermittedError, match="signed in"):
        load_upload(db, revenue(fields=with_fields(period="P7")), "m.xlsx")
    with pytest.raises(NotPermittedError, match="signed in"):
        db.write(lambda tx: tx.execute("DELETE FROM authority"))
    # audited like every other refusal (issue 16): its own row, naming no user, and nothing else changed
    assert_only_refusals_added(before, db.dump(), "refused upload DEMO01", "refused write")
    refused = db.query("SELECT user_name, role, via FROM audit_log ORDER BY audit_id DESC LIMIT 2")
    assert refused == [(NOT_SIGNED_IN, None, "none")] * 2
    rows = db.query(f"SELECT {audit_chain.COLUMNS} FROM audit_log ORDER BY audit_id")
    assert audit_chain.verify(rows, audit_chain.read_head(db.head_file)) == []  # chained; the sidecar's head
    db.bind(FINANCE)
    load_upload(db, revenue(fields=with_fields(period="P7")), "m.xlsx")
    db.bind(None)


def test_every_change_is_audited_and_unchanged_writes_are_not(db: Store) -> None:
    data = revenue()
    with db.acting(FINANCE):
        load_upload(db, data, "m.xlsx")
    audited = db.query("SELECT user_name, role, via, action FROM audit_log ORDER BY audit_id")
    assert audited[-1] == (FINANCE.user, "finance", "proxy", "upload")
    assert audited[0] == ("local", None, "process", "write")  # add_authority: a process write, no actor
    before = db.dump()
    with db.acting(FINANCE):
        assert load_upload(db, data, "m.xlsx").status == "unchanged"
    assert db.dump() == before


def test_snapshot_needs_the_admin_role(db: Store, tmp_path: Path) -> None:
    with db.acting(FINANCE), pytest.raises(NotPermittedError):
        db.snapshot(tmp_path / "b.duckdb")
    assert not (tmp_path / "b.duckdb").exists()
    with db.acting(ADMIN):
        db.snapshot(tmp_path / "b.duckdb")
    assert (tmp_path / "b.duckdb").exists()


def test_a_refused_page_says_the_role_held_the_role_needed_and_who_grants_it() -> None:
    from ui.identity import PAGE_ACTIONS, PAGE_PURPOSES

    viewer = auth.Actor("ana@council.gov.uk", auth.Role.VIEWER, "oidc")
    text = auth.refusal(viewer, "upload", PAGE_PURPOSES["upload"])
    assert text.startswith("Your role (viewer) cannot upload monitoring workbooks: that needs the finance role.")
    assert "Ask an administrator (a user with the admin role" in text and auth.ENV_CONFIG in text
    finance = auth.Actor("bo@council.gov.uk", auth.Role.FINANCE, "oidc")
    admin_page = auth.refusal(finance, "backup", PAGE_PURPOSES["backup"])
    assert admin_page.startswith("Your role (finance) cannot use the administration page")
    assert "that needs the admin role" in admin_page
    assert set(PAGE_ACTIONS.values()) <= set(PAGE_PURPOSES) <= set(auth.PERMISSIONS)  # every gated page has words
