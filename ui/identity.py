"""Who is using this session, from what Streamlit knows about the request; the rules are in `finance.auth`.

`guard(store, pages)` is called by app.py on every run: it resolves the identity (showing the login button, or
stopping with the reason when there is no acceptable identity), binds the actor to this script thread's writes
(`Store.bind`), says in the sidebar who is signed in and how, and drops pages the role cannot use. Pages that
offer an action call `can(action)` to hide it, and wrap the call in `acting(store)` (a fragment rerun may run on
another thread than the one bound); the store refuses it anyway if the role does not allow the action the
operation names.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

from finance import auth, settings
from finance.auth import Actor, Identity, Request, TeamConfig
from finance.errors import HeadroomError
from finance.store import Store
from ui.render import show_error

ACTOR_KEY = "headroom_actor"
# Pages listed only for roles that can use them (the page's URL path -> the action the page is for, and what it
# does in words). For any other role the page is hidden from the navigation but kept, so opening its address says
# why it cannot be used and who can grant it (`require_role`), never Streamlit's "Page not found".
PAGE_ACTIONS: dict[str, str] = {"upload": "upload", "admin": "backup"}
PAGE_PURPOSES: dict[str, str] = {
    "upload": "upload monitoring workbooks",
    "backup": "use the administration page (backups, database checks and the audit log)",
    "set_target": "set targets",
}


@st.cache_resource(show_spinner=False)
def _config(path: str) -> TeamConfig:
    return auth.load_config(path or None)


def config() -> TeamConfig:
    return _config(settings.read().config or "")


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises its own not-found error
        return False


def gather_request() -> Request:
    """The request as `finance.auth.resolve_identity` needs it."""
    oidc = _oidc_configured()
    logged_in, user, claims = False, None, {}
    if oidc:
        claims = {str(k): v for k, v in st.user.to_dict().items()}
        logged_in = bool(st.user.get("is_logged_in"))
        user = str(st.user.get("email") or st.user.get("preferred_username") or st.user.get("name") or "") or None
    headers: dict[str, str] = {}
    try:
        headers = {str(k): str(v) for k, v in st.context.headers.items()}
    except Exception:  # no request (bare script run): no headers
        headers = {}
    ip = st.context.ip_address or "127.0.0.1"  # Streamlit reports a loopback peer as None
    server = str(st.get_option("server.address") or "")
    forwarded = os.environ.get(auth.ENV_FORWARDED_ALLOW_IPS)
    return Request(oidc, logged_in, user, claims, headers, ip, server, forwarded)


def resolve() -> Identity:
    return auth.resolve_identity(config(), gather_request())


def current_actor() -> Actor | None:
    actor = st.session_state.get(ACTOR_KEY)
    return actor if isinstance(actor, Actor) else None


def can(action: str) -> bool:
    """Whether this session's role allows `action` (pages hide what it does not)."""
    actor = current_actor()
    return actor is not None and auth.allowed(actor, action)


@contextmanager
def acting(store: Store) -> Iterator[None]:
    """Run the enclosed reads and writes as this session's actor (the store checks each operation's own action)."""
    actor = current_actor()
    if actor is None:
        raise RuntimeError("acting() outside a signed-in session")
    with store.acting(actor):
        yield


def refusal_text(action: str) -> str:
    """Why this session's role cannot `action` and who can grant it (for a page that shows the rest of itself)."""
    actor = current_actor()
    return "Sign in to do this." if actor is None else auth.refusal(actor, action, PAGE_PURPOSES[action])


def require_role(action: str) -> None:
    """Stop the page, before it does anything, with why this session's role cannot use it and who can grant it."""
    actor = current_actor()
    if actor is not None and auth.allowed(actor, action):
        return
    if actor is None:
        st.error("**Not signed in** — open Headroom's front page to sign in.")
    else:
        st.error(f"**Not available to your role** — {auth.refusal(actor, action, PAGE_PURPOSES[action])}")
    st.page_link("pages/overview.py", label="Back to the overview", icon=":material/arrow_back:")
    st.stop()


def guard(store: Store, pages: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Resolve the identity or stop; returns the navigation without pages this role cannot use."""
    try:
        identity = resolve()
    except HeadroomError as err:  # a bad HEADROOM_CONFIG: say so, serve nothing
        show_error(err)
        st.stop()
    if identity.needs_login:
        st.title("Headroom")
        st.markdown("Sign in with your organisation's account to see your council's figures.")
        st.button("Sign in", on_click=st.login, type="primary", key="identity_login")
        st.stop()
    if identity.actor is None:
        st.error(f"**Not signed in** — {identity.refusal}")
        st.stop()
    actor = identity.actor
    st.session_state[ACTOR_KEY] = actor
    store.require_actor = True
    store.bind(actor)
    _sidebar(identity)
    shown = {
        section: [p if _path(p) not in PAGE_ACTIONS or can(PAGE_ACTIONS[_path(p)]) else _hidden(p) for p in entries]
        for section, entries in pages.items()
    }
    admin = st.Page("pages/admin.py", title="Administration", icon=":material/admin_panel_settings:")
    if can("backup"):
        shown["Admin"] = [admin]
    else:  # kept at its address, unlisted: the page says why (a section of hidden pages alone would show a header)
        shown["Data"] = [*shown.get("Data", []), _hidden(admin)]
    return {section: entries for section, entries in shown.items() if entries}


def _hidden(page: Any) -> Any:
    """The same page, left out of the sidebar's list (its address still opens it, and the page refuses)."""
    return st.Page(page._page, title=page.title, icon=page.icon, url_path=_path(page), visibility="hidden")


def _path(page: Any) -> str:
    """The page's URL path ('upload' for pages/upload.py)."""
    return str(getattr(page, "url_path", ""))


def _sidebar(identity: Identity) -> None:
    actor = identity.actor
    assert actor is not None
    with st.sidebar:
        if identity.mode == "local":
            st.caption(
                f":material/lock: **Local single-user mode** ({actor.role.label}): served to this computer only "
                "(127.0.0.1). See *Running for a team* to share it."
            )
        else:
            st.caption(f":material/person: {actor.user} · {_roles_text(actor)}")
            if identity.mode == "oidc":
                st.button("Sign out", on_click=st.logout, key="identity_logout")


def _roles_text(actor: Actor) -> str:
    """'admin' or 'finance in E08000014, viewer in E08000012' (per-council access)."""
    if actor.grants.unlimited or actor.deployment_admin:
        return actor.role.label
    held = ", ".join(f"{role} in {code}" for code, role in actor.grants.by_code or ())
    return held or "official data only"
