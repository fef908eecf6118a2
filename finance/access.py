"""Per-council access (issue 16): which authorities a user belongs to, their role in each, and which tables hold a
council's own data.

Why a module of its own: one deployment may serve several councils (a shared service, a combined authority, a
county and its districts), and a council's monitoring, scenarios and approved MTFS must be seen only by its own
people. Official data (the government returns) stays public to everyone signed in. The rule is enforced where the
data is read and written (`Store.require_read`, `Store.write(..., authority=…)`), never by hiding controls.

A user is bound to authorities three ways, all optional and combined:
- the team config file: `[authorities.CODE]` tables naming users and e-mail domains with a role each;
- an OIDC claim (`[oidc] authorities_claim`), its value a list or comma-separated string of `CODE` or `CODE=role`;
- a header set by the trusted proxy (`[proxy] authorities_header`), the same format.
A bare `CODE` means the viewer role there. `Grants(None)` means every authority (local mode, the command line as
a deployment administrator, a deployment-wide admin, or a deployment with no per-council access configured).

Generic on purpose: a table that holds a council's own data carries its `authority_code` (or reaches it through
its upload) and is listed in `PRIVATE_TABLES`; a new private table (targets, risk registers) is added there, and
the tenancy tests' source scan fails until its read and write paths check access.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from finance.errors import Problem

# Tables holding one council's own data. Each carries `authority_code`, or an `upload_id` / `version_id` whose
# row does; every read of them goes through a function that calls `Store.require_read`, every write names its
# authority (`Store.write(..., authority=…)`).
PRIVATE_TABLES: frozenset[str] = frozenset(
    {
        "monitoring_upload",
        "monitoring_upload_sheet",
        "monitoring_current",
        "monitoring_revenue",
        "monitoring_savings",
        "monitoring_collection",
        "monitoring_debt",
        "monitoring_demand",
        "monitoring_dsg",
        "monitoring_reserves",
        "monitoring_capital",
        "capital_programme_line",
        "capital_position",
        "reserve_plan_line",
        "risk_line",
        "mtfs_version",
        "mtfs_line",
        "scenario",
        "scenario_current",
        "target",
    }
)

ROLE_NAMES = ("viewer", "finance", "admin")  # finance.auth.Role by name (auth sits above this module)
_CODE = re.compile(r"E[0-9]{8}|E[0-9]{4}|DEMO[0-9]{2}")
_TABLES = "|".join(sorted(PRIVATE_TABLES))
_PRIVATE_SQL = re.compile(rf"\b(FROM|JOIN|INTO|UPDATE)\s+\"?({_TABLES})\b", re.IGNORECASE)


def names_private_table(sql: str) -> bool:
    """Whether `sql` reads or writes a private table: the tenancy tests use it to
    find every place in `finance` that touches a council's own data."""
    return _PRIVATE_SQL.search(sql.strip()) is not None


@dataclass(frozen=True)
class Grants:
    """A user's role name in each authority; `by_code` None means every authority (no per-council limit)."""

    by_code: tuple[tuple[str, str], ...] | None = None

    @property
    def unlimited(self) -> bool:
        return self.by_code is None

    def role_in(self, code: str) -> str | None:
        """The role name in `code`, or None when the user does not belong to it (unlimited: None as well — the
        caller then uses the deployment-wide role)."""
        if self.by_code is None:
            return None
        return dict(self.by_code).get(code)

    @property
    def codes(self) -> tuple[str, ...]:
        return () if self.by_code is None else tuple(code for code, _ in self.by_code)

    def merged(self, more: Mapping[str, str]) -> Grants:
        """These grants plus `more`, keeping the higher role where both name an authority."""
        out = dict(self.by_code or ())
        for code, role in more.items():
            if code not in out or ROLE_NAMES.index(role) > ROLE_NAMES.index(out[code]):
                out[code] = role
        return Grants(tuple(sorted(out.items())))


@dataclass(frozen=True)
class AuthorityMembers:
    """One `[authorities.CODE]` table: users and e-mail domains with their role name there."""

    users: tuple[tuple[str, str], ...] = ()
    domains: tuple[tuple[str, str], ...] = ()

    def role_for(self, user: str) -> str | None:
        key = user.strip().lower()
        named = dict(self.users)
        if key in named:
            return named[key]
        domain = key.rpartition("@")[2] if "@" in key else ""
        return dict(self.domains).get(domain) if domain else None


def parse_authorities(table: Any, source: str, problems: list[Problem]) -> dict[str, AuthorityMembers]:
    """The `[authorities]` section: `{CODE: {users = {name = role}, domains = {domain = role}}}`."""
    out: dict[str, AuthorityMembers] = {}
    if not isinstance(table, Mapping):
        problems.append(Problem(f"{source}: authorities", "must be a table of [authorities.CODE] tables"))
        return out
    for code, entry in table.items():
        where = f"{source}: authorities.{code}"
        if not _CODE.fullmatch(str(code)):
            problems.append(Problem(where, "is not an authority code (E06000001, DEMO01 …)", str(code)))
            continue
        if not isinstance(entry, Mapping) or set(entry) - {"users", "domains"}:
            problems.append(Problem(where, "takes only `users` and `domains` tables (name = role)"))
            continue
        users = _roles(entry.get("users", {}), f"{where}.users", problems)
        domains = _roles(entry.get("domains", {}), f"{where}.domains", problems)
        out[str(code)] = AuthorityMembers(
            tuple((k.strip().lower(), r) for k, r in users.items()),
            tuple((k.strip().lower().lstrip("@"), r) for k, r in domains.items()),
        )
    return out


def _roles(table: Any, where: str, problems: list[Problem]) -> dict[str, str]:
    if not isinstance(table, Mapping):
        problems.append(Problem(where, "must be a table of name = role"))
        return {}
    out: dict[str, str] = {}
    for key, value in table.items():
        role = str(value).strip().lower()
        if role not in ROLE_NAMES:
            problems.append(Problem(f"{where}.{key}", "must be viewer, finance or admin", str(value)))
        else:
            out[str(key)] = role
    return out


def from_config(members: Mapping[str, AuthorityMembers], user: str) -> dict[str, str]:
    """The authorities the config file binds `user` to, with the role in each."""
    return {code: role for code, m in members.items() if (role := m.role_for(user)) is not None}


def parse_claim(value: Any, where: str) -> dict[str, str] | str:
    """An OIDC claim or proxy header value (`CODE`, `CODE=role`, comma-separated, or a list of those) as
    {code: role}; a string saying what is wrong when any entry is not understood (the user is then refused)."""
    if value is None:
        return {}
    entries: Iterable[Any] = value if isinstance(value, list | tuple) else str(value).split(",")
    out: dict[str, str] = {}
    for entry in entries:
        text = str(entry).strip()
        if not text:
            continue
        code, _, role = text.partition("=") if "=" in text else text.partition(":")
        code, role = code.strip(), (role.strip().lower() or "viewer")
        if not _CODE.fullmatch(code) or role not in ROLE_NAMES:
            return f"{where} names {text!r}: expected CODE or CODE=viewer|finance|admin (e.g. E08000014=finance)"
        if code not in out or ROLE_NAMES.index(role) > ROLE_NAMES.index(out[code]):
            out[code] = role
    return out
