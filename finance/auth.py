"""Who may do what: roles, the permission table, the team configuration file, and how a request gets an identity.

Why here and not in the UI: the write path (`Store.write`) refuses a write the actor's role does not allow, so the
rule must live beside the data, not only in the pages that hide the buttons. The UI (`ui/identity.py`) only
collects what Streamlit knows about the request (the OIDC user, the request's headers and client address) and
hands it to `resolve_identity`, which is pure and tested without a server.

Three ways a person is identified, chosen by configuration, never guessed:
- OIDC login (`st.login`) when `.streamlit/secrets.toml` has an `[auth]` section;
- a reverse-proxy header, only when `[proxy]` in the config file names the header *and* the proxies trusted to set
  it; a request whose TCP peer is any other address is refused, so the header cannot be forged from the network.
  The peer must be the connection's own address: Streamlit serves through uvicorn, which by default replaces the
  client address of a loopback peer with one named in its `X-Forwarded-For` header (`FORWARDED_ALLOW_IPS`), so
  anyone on the machine could claim to be the proxy. Proxy mode therefore refuses to sign anyone in unless the
  server runs with `FORWARDED_ALLOW_IPS` set and empty (run.sh does), and refuses a request whose address is one
  its own forwarding headers name (an address the server took from a header, not from the connection);
- otherwise local single-user mode, which only serves a loopback address (127.0.0.1).

The role mapping lives in a TOML file named by `HEADROOM_CONFIG` (example: `docs/headroom.example.toml`).

Per-council access (issue 16, `finance.access`): when the config binds users to authorities (`[authorities.CODE]`,
an OIDC claim or a proxy header), a user's council actions (upload, withdraw, scenarios) and reads of a council's
own data need a role *in that authority*; the deployment-wide role then only opens the official data, except
`admin`, which is the deployment administrator (every authority, imports, backups). With no such binding
configured, one organisation uses the deployment and every role applies to every authority, as before.
"""

from __future__ import annotations

import ipaddress
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Any

from finance import access, settings
from finance.access import AuthorityMembers, Grants
from finance.errors import InputError, NotPermittedError, Problem

ENV_CONFIG = settings.CONFIG
ENV_FORWARDED_ALLOW_IPS = "FORWARDED_ALLOW_IPS"  # uvicorn's: peers whose X-Forwarded-For it believes


class Role(IntEnum):
    """Ordered: each role can do everything the ones below it can."""

    VIEWER = 1
    FINANCE = 2
    ADMIN = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str, where: str) -> Role:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise InputError.single(where, "must be viewer, finance or admin", text) from None


# The least role each action needs. "write" is what an unnamed write needs: any change at all; "read" is reading a
# council's own data (its monitoring, scenarios, MTFS).
PERMISSIONS: dict[str, Role] = {
    "read": Role.VIEWER,
    "write": Role.FINANCE,
    "upload": Role.FINANCE,
    "save_scenario": Role.FINANCE,
    "set_current_scenario": Role.FINANCE,
    "delete_scenario": Role.FINANCE,
    "set_target": Role.FINANCE,
    "withdraw_upload": Role.ADMIN,
    "import_official": Role.ADMIN,
    "import_borrowing": Role.ADMIN,
    "build_demo": Role.ADMIN,
    "backup": Role.ADMIN,
    "restore": Role.ADMIN,
    "settings": Role.ADMIN,
    "bootstrap": Role.ADMIN,
    "check": Role.ADMIN,  # reads every council's own data
}

# Actions on one council's own data: with per-council access they need the role in that authority.
COUNCIL_ACTIONS = frozenset(
    {"read", "upload", "save_scenario", "set_current_scenario", "delete_scenario", "withdraw_upload", "set_target"}
)


@dataclass(frozen=True)
class Actor:
    """A person (or process) acting: `via` is 'oidc', 'proxy', 'local' or 'process'."""

    user: str
    role: Role  # deployment-wide; with per-council grants only `admin` opens any council's data
    via: str
    grants: Grants = field(default_factory=Grants)  # authorities bound (default: all, at `role`)

    def role_in(self, authority_code: str) -> Role | None:
        """The actor's role in one authority: its deployment-wide role when not limited to some councils (or
        a deployment admin), else the role the authority grants, None when the user does not belong to it."""
        if self.grants.unlimited or self.role is Role.ADMIN:
            return self.role
        named = self.grants.role_in(authority_code)
        return None if named is None else Role[named.upper()]

    @property
    def deployment_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def verified(self) -> bool:
        """True when the name came from a login or a trusted proxy, so it overrides any name typed in a form."""
        return self.via in ("oidc", "proxy")


SYSTEM = Actor("system", Role.ADMIN, "process")


def allowed(actor: Actor, action: str, authority_code: str | None = None) -> bool:
    """Whether `actor` may do `action`; for a council action, in `authority_code` (None: in any authority the
    actor belongs to, which is what a page asks before an authority is chosen)."""
    needed = PERMISSIONS.get(action)
    if needed is None:
        raise ValueError(f"unknown action {action!r}: add it to finance.auth.PERMISSIONS")
    if action not in COUNCIL_ACTIONS or actor.grants.unlimited or actor.deployment_admin:
        return actor.role >= needed
    if authority_code is None:
        return any((role := actor.role_in(code)) is not None and role >= needed for code in actor.grants.codes)
    role = actor.role_in(authority_code)
    return role is not None and role >= needed


def require(actor: Actor, action: str, authority_code: str | None = None) -> None:
    """Raise `NotPermittedError` unless `actor` may do `action` (in `authority_code`, for a council action)."""
    if allowed(actor, action, authority_code):
        return
    needed = PERMISSIONS[action]
    what = "reading its data" if action == "read" else action.replace("_", " ")
    if action in COUNCIL_ACTIONS and not actor.grants.unlimited and authority_code is not None:
        role = actor.role_in(authority_code)
        held = f"is {role.label} in {authority_code}" if role else f"has no access to {authority_code}"
        raise NotPermittedError(
            f"{actor.user} {held}; {what} there needs the {needed.label} role in that authority. Ask its "
            "administrator if you need it."
        )
    raise NotPermittedError(
        f"{actor.user} is signed in as {actor.role.label}; {what} needs the {needed.label} role. Ask an "
        "administrator if you need it."
    )


def refusal(actor: Actor, action: str, doing: str) -> str:
    """Why `actor` cannot use a page for `action`, and who can grant it — the words a page shows instead of itself.
    `doing` is the page's purpose as a verb phrase ("upload monitoring workbooks")."""
    needed = PERMISSIONS[action]
    where = " in the council" if action in COUNCIL_ACTIONS and not actor.grants.unlimited else ""
    return (
        f"Your role ({actor.role.label}) cannot {doing}: that needs the {needed.label} role{where}. Ask an "
        f"administrator (a user with the {Role.ADMIN.label} role, who sets roles in the team configuration "
        f"named by {ENV_CONFIG}) to grant it if you need it. Nothing on this page was run."
    )


@dataclass(frozen=True)
class ProxyConfig:
    header: str
    trusted: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]
    authorities_header: str | None = None  # the header naming the user's authorities (finance.access)


@dataclass(frozen=True)
class TeamConfig:
    """The parsed `HEADROOM_CONFIG` file (all optional: no file means local mode with the admin role)."""

    users: dict[str, Role] = field(default_factory=dict)  # lower-case e-mail / user name -> role
    domains: dict[str, Role] = field(default_factory=dict)  # lower-case e-mail domain -> role
    default_role: Role | None = Role.VIEWER  # for signed-in users not listed; None refuses them
    local_role: Role = Role.ADMIN
    proxy: ProxyConfig | None = None
    source: str = "(defaults)"
    authorities: dict[str, AuthorityMembers] = field(default_factory=dict)  # [authorities.CODE]
    authorities_claim: str | None = None  # [oidc] authorities_claim

    @property
    def per_council(self) -> bool:
        """Whether users are bound to authorities (else every role applies to every authority)."""
        return bool(self.authorities or self.authorities_claim or (self.proxy and self.proxy.authorities_header))

    def role_for(self, user: str) -> Role | None:
        key = user.strip().lower()
        if key in self.users:
            return self.users[key]
        domain = key.rpartition("@")[2] if "@" in key else ""
        if domain and domain in self.domains:
            return self.domains[domain]
        return self.default_role


def parse_config(text: str, *, source: str = "config") -> TeamConfig:
    """Read the team configuration TOML; raises `InputError` naming every bad key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise InputError.single(source, f"is not valid TOML: {err}") from None
    problems: list[Problem] = []

    def role(value: Any, where: str) -> Role | None:
        try:
            return Role.parse(str(value), f"{source}: {where}")
        except InputError as err:
            problems.extend(err.problems)
            return None

    roles = data.get("roles", {})
    users: dict[str, Role] = {}
    domains: dict[str, Role] = {}
    for key, value in dict(roles.get("users", {})).items():
        if (r := role(value, f"roles.users.{key}")) is not None:
            users[key.strip().lower()] = r
    for key, value in dict(roles.get("domains", {})).items():
        if (r := role(value, f"roles.domains.{key}")) is not None:
            domains[key.strip().lower().lstrip("@")] = r
    default: Role | None = Role.VIEWER
    if "default" in roles:
        default = None if str(roles["default"]).lower() == "none" else role(roles["default"], "roles.default")
    local_role = Role.ADMIN
    if "role" in data.get("local", {}):
        local_role = role(data["local"]["role"], "local.role") or Role.ADMIN
    proxy = None
    if "proxy" in data:
        proxy = _proxy(data["proxy"], source, problems)
    authorities = access.parse_authorities(data.get("authorities", {}), source, problems)
    claim = str(data.get("oidc", {}).get("authorities_claim", "")).strip() or None
    config = TeamConfig(users, domains, default, local_role, proxy, source, authorities, claim)
    if config.per_council:
        wide = [(f"roles.users.{k}", r) for k, r in users.items()] + [
            (f"roles.domains.{k}", r) for k, r in domains.items()
        ]
        wide += [("roles.default", default)] if default is not None else []
        problems += [
            Problem(
                f"{source}: {where}",
                "with per-council access, deployment-wide roles are viewer (official data only) or admin (the "
                "deployment administrator): give finance in [authorities.CODE]",
                r.label,
            )
            for where, r in wide
            if r is Role.FINANCE
        ]
    if problems:
        raise InputError(problems, summary=f"{source} has problems")
    return config


def _proxy(table: Mapping[str, Any], source: str, problems: list[Problem]) -> ProxyConfig | None:
    header = str(table.get("header", "")).strip()
    if not header:
        problems.append(Problem(f"{source}: proxy.header", "name the header the proxy sets (e.g. X-Forwarded-User)"))
    nets = []
    for text in table.get("trusted", []):
        try:
            nets.append(ipaddress.ip_network(str(text), strict=False))
        except ValueError:
            problems.append(Problem(f"{source}: proxy.trusted", "is not an IP address or network", str(text)))
    if not nets:
        problems.append(Problem(f"{source}: proxy.trusted", "list the proxy addresses allowed to set the header"))
    named = str(table.get("authorities_header", "")).strip() or None
    return ProxyConfig(header, tuple(nets), named) if header and nets else None


def load_config(path: str | None = None) -> TeamConfig:
    """The config named by `path`, else `$HEADROOM_CONFIG`, else defaults (local mode, admin)."""
    name = path or settings.read().config
    if not name:
        return TeamConfig()
    file = Path(name)
    if not file.is_file():
        raise InputError.single(ENV_CONFIG, "names no file", name)
    return parse_config(file.read_text(encoding="utf-8"), source=file.name)


@dataclass(frozen=True)
class Request:
    """What the UI knows about one request, gathered by `ui/identity.py`."""

    oidc_configured: bool = False
    oidc_logged_in: bool = False
    oidc_user: str | None = None
    oidc_claims: Mapping[str, Any] = field(default_factory=dict)  # the login's claims (st.user)
    headers: Mapping[str, str] = field(default_factory=dict)
    client_ip: str | None = None
    server_address: str = "127.0.0.1"
    # the server's FORWARDED_ALLOW_IPS: None when unset (uvicorn then rewrites loopback peers' addresses)
    forwarded_allow_ips: str | None = ""


@dataclass(frozen=True)
class Identity:
    """The outcome: an actor, or why there is none (`refusal`), or that a login is needed first."""

    actor: Actor | None
    mode: str  # 'oidc' | 'proxy' | 'local'
    refusal: str | None = None
    needs_login: bool = False


LOOPBACK_ADDRESSES = frozenset({"127.0.0.1", "localhost", "::1"})


def resolve_identity(config: TeamConfig, request: Request) -> Identity:
    """Who is asking, by the configured mode only (see the module docstring)."""
    if request.oidc_configured:
        if not request.oidc_logged_in or not request.oidc_user:
            return Identity(None, "oidc", needs_login=True)
        claim = request.oidc_claims.get(config.authorities_claim) if config.authorities_claim else None
        return _mapped(config, request.oidc_user, "oidc", claim, f"the login's {config.authorities_claim} claim")
    if config.proxy is not None:
        if (unverifiable := _unverifiable_peer(request)) is not None:
            return Identity(None, "proxy", unverifiable)
        ip = _ip(request.client_ip)
        if ip is None or not any(ip in net for net in config.proxy.trusted):
            return Identity(None, "proxy", f"requests must come through the trusted proxy (this one came from "
                            f"{request.client_ip or 'an unknown address'})")  # fmt: skip
        wanted = config.proxy.header.lower()
        user = next((v for k, v in request.headers.items() if k.lower() == wanted), "").strip()
        if not user:
            return Identity(None, "proxy", f"the proxy did not say who you are (no {config.proxy.header} header)")
        named = config.proxy.authorities_header
        value = next((v for k, v in request.headers.items() if named and k.lower() == named.lower()), None)
        return _mapped(config, user, "proxy", value, f"the proxy's {named} header")
    if request.server_address.strip() not in LOOPBACK_ADDRESSES:
        return Identity(
            None,
            "local",
            f"local single-user mode only serves this machine, but the server listens on "
            f'{request.server_address or "every address"} (set server.address = "127.0.0.1"), or '
            "configure a login ([auth] in .streamlit/secrets.toml) or a trusted proxy (HEADROOM_CONFIG)",
        )
    return Identity(Actor("local", config.local_role, "local"), "local")


def _mapped(config: TeamConfig, user: str, via: str, claimed: Any = None, where: str = "") -> Identity:
    role = config.role_for(user)
    if not config.per_council:
        if role is None:
            return Identity(None, via, f"{user} has no role in Headroom: ask an administrator to add you")
        return Identity(Actor(user, role, via), via)
    if role is Role.ADMIN:
        return Identity(Actor(user, role, via), via)  # the deployment administrator: every authority
    from_claim = access.parse_claim(claimed, where)
    if isinstance(from_claim, str):
        return Identity(None, via, from_claim)
    grants = Grants(()).merged(access.from_config(config.authorities, user)).merged(from_claim)
    if role is None and not grants.codes:
        return Identity(None, via, f"{user} has no role in Headroom: ask an administrator to add you")
    return Identity(Actor(user, Role.VIEWER, via, grants), via)


def actor_for(config: TeamConfig, user: str, via: str = "cli") -> Actor:
    """The actor a named user is (the CLI's `--user`): their role and authorities from the config file alone.
    `NotPermittedError` when the config gives them none."""
    identity = _mapped(config, user, via)
    if identity.actor is None:
        raise NotPermittedError(identity.refusal or f"{user} has no role in Headroom")
    return identity.actor


def _unverifiable_peer(request: Request) -> str | None:
    """Why the request's address cannot be taken as its TCP peer's, or None when it can."""
    allow = request.forwarded_allow_ips
    if allow is None or allow.strip():
        setting = "is not set (uvicorn then trusts it from loopback)" if allow is None else f"is {allow!r}"
        return (
            f"the server takes client addresses from X-Forwarded-For ({ENV_FORWARDED_ALLOW_IPS} {setting}), so the "
            f"proxy's own address cannot be verified: start Headroom with {ENV_FORWARDED_ALLOW_IPS}= (empty), as "
            "run.sh does (see docs/RUNNING-FOR-A-TEAM.md)"
        )
    ip = _ip(request.client_ip)
    if ip is not None and ip in _forwarded_addresses(request.headers):
        return (
            f"this request's address ({request.client_ip}) is one its forwarding headers name, not the "
            "connection's own, so it cannot be trusted"
        )
    return None


def _forwarded_addresses(headers: Mapping[str, str]) -> set[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Every address named by X-Forwarded-For, X-Real-IP or Forwarded `for=` (ports and brackets removed)."""
    found: set[ipaddress.IPv4Address | ipaddress.IPv6Address] = set()
    for name, value in headers.items():
        key = name.lower()
        if key in ("x-forwarded-for", "x-real-ip"):
            parts = value.split(",")
        elif key == "forwarded":
            pairs = (p.strip() for p in value.replace(",", ";").split(";"))
            parts = [p.split("=", 1)[1] for p in pairs if p.lower().startswith("for=")]
        else:
            continue
        for part in parts:
            text = part.strip().strip('"')
            host = text[1 : text.find("]")] if text.startswith("[") else text
            if host.count(":") == 1:  # IPv4 with a port
                host = host.split(":")[0]
            if (ip := _ip(host)) is not None:
                found.add(ip)
    return found


def _ip(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None
