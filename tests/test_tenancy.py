"""Per-council access (issue 16 item 5): a user of council A can neither read nor write council B's own data through
any path, every refused attempt is audited, and official data stays public.

The paths are enumerated twice: by hand below (each one exercised), and by a scan of `finance/` for every function
whose SQL names a private table (`finance.access.PRIVATE_TABLES`), which must be one of the known, guarded places —
so a new read or write of a council's data cannot be added without a tenancy test.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from finance import access, auth
from finance.access import Grants
from finance.auth import Actor, Role
from finance.cli import main
from finance.committee.queries import selectable_years
from finance.errors import InputError, NotPermittedError
from finance.monitoring import (
    monitoring_lines,
    periods_held,
    reserve_settings,
    revenue_by_period,
    sheet_lines,
    upload_history,
    years_held,
)
from finance.mtfs import all_series, latest_series, list_versions, mtfs_series
from finance.scenarios import (
    current_scenario,
    delete_scenario,
    example_scenario,
    list_scenarios,
    load_saved,
    save_scenario,
    set_current,
)
from finance.store import Store
from finance.targets import NewTarget, current_targets, set_target, target_history
from finance.upload import load_upload, withdraw_upload
from tests.ducklake_fixtures import LocalPostgres
from tests.monitoring_corpus import add_authority, mtfs, revenue, with_fields
from tests.refusals import assert_only_refusals_added

pytestmark = pytest.mark.both_backends  # the same on a DuckDB file and on DuckLake

A, B = "DEMO01", "DEMO02"
_SOON = date(date.today().year + 2, 3, 31)
A_FINANCE = Actor("fin@a.gov.uk", Role.VIEWER, "oidc", Grants(((A, "finance"),)))
A_ADMIN = Actor("s151@a.gov.uk", Role.VIEWER, "proxy", Grants(((A, "admin"),)))
A_VIEWER = Actor("member@a.gov.uk", Role.VIEWER, "oidc", Grants(((A, "viewer"),)))
DEPLOYMENT_ADMIN = Actor("ops@shared.gov.uk", Role.ADMIN, "oidc")


def _seed(store: Store, code: str, period: str) -> dict[str, int]:
    """One council's own data, loaded by a process (no actor): monitoring, an MTFS, a current scenario."""
    add_authority(store, code, f"Council {code}")
    upload = load_upload(
        store, revenue(fields=with_fields(authority=code, period=period)), f"{code}.xlsx", isolated=False
    )
    load_upload(store, mtfs(fields=with_fields(authority=code)), f"{code}-mtfs.xlsx", isolated=False)
    scenario = replace(example_scenario(), authority=None)
    saved = save_scenario(store, scenario, authority_code=code, user="process")
    set_current(store, saved.scenario_id, user="process")
    spare = save_scenario(store, replace(scenario, name="spare"), authority_code=code, user="process")
    return {"upload": upload.upload_id, "scenario": saved.scenario_id, "spare": spare.scenario_id}


@pytest.fixture
def two(store: Store) -> tuple[Store, dict[str, dict[str, int]]]:
    ids = {A: _seed(store, A, "P5"), B: _seed(store, B, "P6")}
    return store, ids


# Every private read path: (name, call(store, code, ids of that council)).
READS: list[tuple[str, Callable[[Store, str, dict[str, int]], Any]]] = [
    ("periods_held", lambda s, c, i: periods_held(s, c, "2025-26")),
    ("years_held", lambda s, c, i: years_held(s, c)),
    ("sheet_lines", lambda s, c, i: sheet_lines(s, "Revenue", c, "2025-26")),
    ("monitoring_lines", lambda s, c, i: monitoring_lines(s, c, "2025-26")),
    ("revenue_by_period", lambda s, c, i: revenue_by_period(s, c, "2025-26")),
    ("reserve_settings", lambda s, c, i: reserve_settings(s, c, "2025-26")),
    ("upload_history", lambda s, c, i: upload_history(s, c)),
    ("list_versions", lambda s, c, i: list_versions(s, c)),
    ("latest_series", lambda s, c, i: latest_series(s, c)),
    ("mtfs_series", lambda s, c, i: mtfs_series(s, c)),
    ("all_series", lambda s, c, i: all_series(s, c)),
    ("list_scenarios", lambda s, c, i: list_scenarios(s, c)),
    ("load_saved", lambda s, c, i: load_saved(s, i["scenario"])),
    ("current_scenario", lambda s, c, i: current_scenario(s, c)),
    ("target_history", lambda s, c, i: target_history(s, c)),
    ("current_targets", lambda s, c, i: current_targets(s, c)),
]

# Every write path: (name, the action audited, call(store, code, ids of that council)).
WRITES: list[tuple[str, str, Callable[[Store, str, dict[str, int]], Any]]] = [
    (
        "load_upload",
        "upload",
        lambda s, c, i: load_upload(
            s, revenue(fields=with_fields(authority=c, period="P9")), "p9.xlsx", isolated=False
        ),
    ),
    ("withdraw_upload", "withdraw_upload", lambda s, c, i: withdraw_upload(s, i["upload"])),
    (
        "save_scenario",
        "save_scenario",
        lambda s, c, i: save_scenario(s, replace(example_scenario(), authority=None), authority_code=c, user="x"),
    ),
    ("set_current", "read", lambda s, c, i: set_current(s, i["spare"], user="x")),
    ("delete_scenario", "read", lambda s, c, i: delete_scenario(s, i["spare"], user="x")),
    (
        "set_target",
        "set_target",
        lambda s, c, i: set_target(s, c, NewTarget("usable_reserves", 1e6, "gbp", "at_least", _SOON), user="x"),
    ),
]


@pytest.mark.parametrize(("name", "read"), READS, ids=[r[0] for r in READS])
def test_a_user_of_council_a_cannot_read_council_b(two: tuple[Store, dict[str, dict[str, int]]], name: str,
                                                    read: Callable[..., Any]) -> None:  # fmt: skip
    store, ids = two
    with store.acting(A_VIEWER):
        read(store, A, ids[A])  # their own council's: allowed
        before = store.dump()
        with pytest.raises(NotPermittedError, match=f"no access to {B}"):
            read(store, B, ids[B])
    assert_only_refusals_added(before, store.dump(), f"refused read {B}")
    refused = store.query_one("SELECT user_name, via FROM audit_log ORDER BY audit_id DESC LIMIT 1")
    assert refused == (A_VIEWER.user, "oidc")
    with store.acting(DEPLOYMENT_ADMIN):
        read(store, B, ids[B])  # the deployment administrator reads every council


@pytest.mark.parametrize(("name", "action", "write"), WRITES, ids=[w[0] for w in WRITES])
def test_a_user_of_council_a_cannot_write_council_b(two: tuple[Store, dict[str, dict[str, int]]], name: str,
                                                     action: str, write: Callable[..., Any]) -> None:  # fmt: skip
    store, ids = two
    before = store.dump()
    with store.acting(A_ADMIN), pytest.raises(NotPermittedError, match=B):
        write(store, B, ids[B])
    assert_only_refusals_added(before, store.dump(), f"refused {action} {B}")
    with store.acting(A_ADMIN):
        write(store, A, ids[A])  # the same write on their own council is allowed


def test_finance_users_write_their_council_and_viewers_do_not(two: tuple[Store, dict[str, dict[str, int]]]) -> None:
    store, ids = two
    data = revenue(fields=with_fields(authority=A, period="P8"))
    before = store.dump()
    with store.acting(A_VIEWER), pytest.raises(NotPermittedError, match=f"viewer in {A}"):
        load_upload(store, data, "p8.xlsx", isolated=False)
    with store.acting(A_FINANCE), pytest.raises(NotPermittedError, match="admin role"):
        withdraw_upload(store, ids[A]["upload"])
    assert_only_refusals_added(before, store.dump(), f"refused upload {A}", f"refused withdraw_upload {A}")
    with store.acting(A_FINANCE):
        loaded = load_upload(store, data, "p8.xlsx", isolated=False)
    assert store.scalar("SELECT uploaded_by FROM monitoring_upload WHERE upload_id = ?", [loaded.upload_id]) == (
        A_FINANCE.user
    )


def test_targets_are_set_by_finance_users_of_their_council_and_read_by_its_viewers(
    two: tuple[Store, dict[str, dict[str, int]]],
) -> None:
    store, _ = two
    new = NewTarget("usable_reserves_pct_nre", 12.5, "pct", "at_least", date(date.today().year + 2, 3, 31))
    before = store.dump()
    with store.acting(A_VIEWER), pytest.raises(NotPermittedError, match=f"viewer in {A}"):
        set_target(store, A, new, user="x")
    assert_only_refusals_added(before, store.dump(), f"refused set_target {A}")
    with store.acting(A_FINANCE):
        assert set_target(store, A, new, user="x").set_by == A_FINANCE.user  # the signed-in user, not the label
    with store.acting(A_VIEWER):
        assert list(current_targets(store, A)) == ["usable_reserves_pct_nre"]


def test_lists_leave_out_other_councils_and_official_data_stays_public(
    two: tuple[Store, dict[str, dict[str, int]]],
) -> None:
    store, _ = two
    with store.acting(A_VIEWER):
        assert set(upload_history(store)["authority_code"]) == {A}
        assert store.readable_codes() == (A,) and store.readable(A) and not store.readable(B)
        assert selectable_years(store, B) == []  # B's monitoring years are not offered (no official data here)
        assert selectable_years(store, A) == ["2025-26"]
        assert store.scalar("SELECT count(*) FROM authority") == 2  # official tables: readable by everyone
    assert set(upload_history(store)["authority_code"]) == {A, B}  # a process (the CLI as administrator)


# Every function in finance/ whose SQL names a private table, and why it is safe. A new one fails this test until
# it is guarded and added here with a test above.
KNOWN_PRIVATE_SQL: dict[tuple[str, str], str] = {
    ("finance/monitoring/queries.py", "periods_held"): "require_read",
    ("finance/monitoring/queries.py", "years_held"): "require_read",
    ("finance/monitoring/queries.py", "sheet_lines"): "require_read",
    ("finance/monitoring/queries.py", "revenue_by_period"): "require_read",
    ("finance/monitoring/queries.py", "reserve_settings"): "require_read",
    ("finance/committee/queries.py", "collection_fund_share"): "require_read",
    ("finance/committee/queries.py", "collection_streams"): "require_read",
    ("finance/monitoring/queries.py", "upload_history"): "require_read / readable_codes",
    ("finance/mtfs/queries.py", "<module>"): "_VERSIONS_SQL via list_versions (require_read), _LINES_SQL via it",
    ("finance/mtfs/storage.py", "insert_version"): "inside commit_upload's write (authority=)",
    ("finance/capital/storage.py", "insert_capital"): "inside commit_upload's write (authority=)",
    ("finance/scenarios/programme.py", "<module>"): "SQL constants run by current_programme / current_position, "
    "which call require_read",
    ("finance/upload/load.py", "<module>"): "_LOADED_BEFORE: prepare_upload after store.check('upload')",
    ("finance/upload/load.py", "write"): "commit_upload's write (authority=) / withdraw_upload's (authority=)",
    ("finance/upload/load.py", "_currently_held"): "inside commit_upload's write",
    ("finance/upload/load.py", "withdraw_upload"): "reads the upload's authority, then write(authority=)",
    ("finance/scenarios/storage.py", "_current_id"): "called after require_read",
    ("finance/scenarios/storage.py", "write"): "save_scenario / set_current writes (authority=)",
    ("finance/scenarios/storage.py", "list_scenarios"): "require_read",
    ("finance/scenarios/storage.py", "load_saved"): "require_read of the row's authority",
    ("finance/scenarios/storage.py", "delete_scenario"): "load_saved, then write(authority=)",
    ("finance/check.py", "_checks"): "check_database: store.check('check'), deployment admin only",
    ("finance/targets/storage.py", "<module>"): "_READ_SQL via target_history (require_read)",
    ("finance/targets/storage.py", "add_targets"): "inside set_target's write (authority=) or an upload's",
    ("finance/monitoring/queries.py", "uncommitted_earmarked"): "require_read",
    ("finance/reserves/plan.py", "<module>"): "_LATEST_SQL via reserve_plan (require_read)",
    ("finance/reserves/plan.py", "reserve_plan"): "require_read",
    ("finance/monitoring/demand_split.py", "<module>"): "_DEMAND_SQL via demand_split (require_read)",
    ("finance/monitoring/demand_split.py", "demand_split"): "require_read",
    ("finance/reserves/register.py", "<module>"): "_LATEST_SQL, _LINES_SQL via risk_register (require_read)",
}


def _private_sql_places() -> set[tuple[str, str]]:
    root = Path(__file__).resolve().parent.parent
    found: set[tuple[str, str]] = set()
    for path in sorted((root / "finance").rglob("*.py")):
        if path.name == "access.py":
            continue
        rel = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and access.names_private_table(text) and not _is_docstring(tree, node):
                found.add((rel, _innermost(tree, node) or "<module>"))
    return found


def _is_docstring(tree: ast.AST, target: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and n.body
        and isinstance(n.body[0], ast.Expr)
        and n.body[0].value is target
        for n in ast.walk(tree)
    )


def _innermost(tree: ast.AST, target: ast.AST) -> str | None:
    """The name of the innermost function holding `target`, None at module level."""
    best: str | None = None

    def visit(node: ast.AST, name: str | None) -> bool:
        nonlocal best
        if node is target:
            best = name
            return True
        here = node.name if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else name
        return any(visit(child, here) for child in ast.iter_child_nodes(node))

    visit(tree, None)
    return best


def test_every_place_whose_sql_names_a_private_table_is_known_and_guarded() -> None:
    assert _private_sql_places() == set(KNOWN_PRIVATE_SQL)


TEAM = """
[roles]
default = "viewer"
[roles.users]
"ops@shared.gov.uk" = "admin"
[authorities.DEMO01]
users = { "fin@a.gov.uk" = "finance" }
domains = { "a.gov.uk" = "viewer" }
[authorities.DEMO02]
users = { "fin@b.gov.uk" = "admin" }
[oidc]
authorities_claim = "councils"
[proxy]
header = "X-Forwarded-User"
authorities_header = "X-Headroom-Authorities"
trusted = ["127.0.0.2"]
"""


def test_users_are_bound_by_the_config_an_oidc_claim_or_a_proxy_header() -> None:
    config = auth.parse_config(TEAM)
    assert config.per_council

    def oidc(user: str, claims: dict[str, Any] | None = None) -> Actor | None:
        request = auth.Request(True, True, user, claims or {})
        return auth.resolve_identity(config, request).actor

    fin = oidc("fin@a.gov.uk")
    assert fin is not None and fin.role_in(A) is Role.FINANCE and fin.role_in(B) is None
    member = oidc("someone@a.gov.uk")
    assert member is not None and member.role_in(A) is Role.VIEWER
    ops = oidc("ops@shared.gov.uk")
    assert ops is not None and ops.deployment_admin and ops.role_in(B) is Role.ADMIN
    outsider = oidc("x@elsewhere.org")  # official data only
    assert outsider is not None and outsider.grants.codes == () and outsider.role_in(A) is None
    claimed = oidc("x@elsewhere.org", {"councils": ["DEMO02=finance", "DEMO01"]})
    assert claimed is not None and claimed.role_in(B) is Role.FINANCE and claimed.role_in(A) is Role.VIEWER
    bad = auth.resolve_identity(config, auth.Request(True, True, "x@e.org", {"councils": "DEMO02=owner"}))
    assert bad.actor is None and "councils" in str(bad.refusal)
    proxied = auth.resolve_identity(
        config,
        auth.Request(
            headers={"X-Forwarded-User": "y@e.org", "X-Headroom-Authorities": "DEMO01=admin"}, client_ip="127.0.0.2"
        ),
    ).actor
    assert proxied is not None and proxied.role_in(A) is Role.ADMIN and proxied.role_in(B) is None


def test_per_council_config_refuses_a_deployment_wide_finance_role_and_bad_codes() -> None:
    with pytest.raises(InputError) as info:
        auth.parse_config('[roles.users]\n"a@x" = "finance"\n[authorities.NOPE]\nusers = { "b@x" = "boss" }\n')
    wheres = [p.where for p in info.value.problems]
    assert "config: authorities.NOPE" in wheres and "config: roles.users.a@x" not in wheres  # NOPE not counted
    with pytest.raises(InputError, match=r"roles\.users\.a@x"):
        auth.parse_config('[roles.users]\n"a@x" = "finance"\n[authorities.DEMO01]\nusers = { "b@x" = "viewer" }\n')


def test_the_cli_is_the_administrator_unless_user_names_one(
    two: tuple[Store, dict[str, dict[str, int]]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    store, ids = two
    if store.lake is not None:
        pytest.skip("the CLI opens its own store: the file backend shows it")
    path = store.path
    store.close()
    config = tmp_path / "team.toml"
    config.write_text(TEAM, encoding="utf-8")
    monkeypatch.setenv(auth.ENV_CONFIG, str(config))
    assert main(["--db", path, "uploads", "--json"]) == 0  # no --user: the deployment administrator
    assert {u["authority_code"] for u in json.loads(capsys.readouterr().out)} == {A, B}
    assert main(["--db", path, "uploads", "--json", "--user", "fin@a.gov.uk"]) == 0
    assert {u["authority_code"] for u in json.loads(capsys.readouterr().out)} == {A}
    assert main(["--db", path, "withdraw", str(ids[B]["upload"]), "--user", "fin@a.gov.uk"]) != 0
    assert main(["--db", path, "withdraw", str(ids[B]["upload"]), "--user", "fin@b.gov.uk"]) == 0
    reopened = Store.open(path)
    try:
        rows = reopened.query("SELECT user_name, via, action FROM audit_log ORDER BY audit_id DESC LIMIT 2")
    finally:
        reopened.close()
    assert rows == [("fin@b.gov.uk", "cli", "withdraw_upload"), ("fin@a.gov.uk", "cli", f"refused withdraw_upload {B}")]


@pytest.mark.ducklake
def test_two_app_servers_on_one_lake_apply_the_same_access(postgres: LocalPostgres) -> None:
    """Two servers' stores on one DuckLake: a council's data written through one is refused to another council's
    user on the other, and each refusal is in the one audit log both see."""
    lake = postgres.fresh_lake()
    one, two = Store.open(lake), Store.open(lake)
    try:
        add_authority(one, A, "Council A")
        add_authority(two, B, "Council B")
        b_fin = Actor("fin@b.gov.uk", Role.VIEWER, "oidc", Grants(((B, "finance"),)))
        with two.acting(b_fin):
            data = revenue(fields=with_fields(authority=B, period="P6"))
            loaded = load_upload(two, data, "b.xlsx", isolated=False)
            saved = save_scenario(two, replace(example_scenario(), authority=None), authority_code=B, user="b")
        with one.acting(A_ADMIN):
            with pytest.raises(NotPermittedError, match=B):
                sheet_lines(one, "Revenue", B, "2025-26")
            with pytest.raises(NotPermittedError, match=B):
                load_saved(one, saved.scenario_id)
            with pytest.raises(NotPermittedError, match=B):
                withdraw_upload(one, loaded.upload_id)
            assert upload_history(one).empty  # nothing of A's yet, and B's is left out
        refused = two.query("SELECT user_name, action FROM audit_log WHERE action LIKE 'refused%' ORDER BY audit_id")
        assert refused == [
            (A_ADMIN.user, f"refused read {B}"),
            (A_ADMIN.user, f"refused read {B}"),
            (A_ADMIN.user, f"refused withdraw_upload {B}"),
        ]
        assert one.data_version() == two.data_version()  # each server's cached views see the other's refusals
        with two.acting(b_fin):
            assert len(sheet_lines(two, "Revenue", B, "2025-26")) > 0
    finally:
        one.close()
        two.close()
