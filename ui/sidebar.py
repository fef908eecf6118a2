"""The shared sidebar: which authority, financial year and monitoring period every page shows.

Drawn in two steps around the page: `prepare` makes the choice valid before the page reads it, `render` draws the
pickers after the page has run, showing the year and period the page reported using (issue 14: a benchmark that
falls back to the latest return, or a committee page whose sheets end at an earlier period, is shown as such).

With per-council access (issue 16) a page showing a council's own data (monitoring, scenarios, the MTFS, the
committee pages) lists only the authorities the user may read; pages of official data list every authority.
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from finance import benchmark, settings
from finance.committee import selectable_years
from finance.demo import HOME_CODE
from finance.format import period_label
from finance.monitoring import periods_held
from finance.store import Store
from ui import url
from ui.cache import view
from ui.context import AUTHORITY_KEY, PERIOD_KEY, YEAR_KEY, Used, get_store, take_used

ENV_DEFAULT_AUTHORITY = settings.DEFAULT_AUTHORITY
# Pages (URL paths) of official data only: they list every authority, whoever is signed in (issue 16).
OFFICIAL_PAGES = frozenset({"reserves", "resilience", "sources"})


def _authorities(store: Store) -> tuple[tuple[str, str, bool], ...]:
    frame = benchmark.authorities(store)
    return tuple(zip(frame["code"], frame["name"], frame["is_illustrative"].astype(bool), strict=True))


def _years(store: Store, code: str) -> tuple[str, ...]:
    return tuple(selectable_years(store, code))  # official returns and monthly monitoring, newest first


def _periods(store: Store, code: str, year: str) -> tuple[int, ...]:
    return tuple(sorted(periods_held(store, code, year), reverse=True))


AUTHORITY_WIDGET = "sidebar_authority"
YEAR_WIDGET = "sidebar_year"
PERIOD_WIDGET = "sidebar_period"
_PERIOD_FOR = "monitoring_period_for"


def _copy(widget_key: str, state_key: str) -> None:
    st.session_state[state_key] = st.session_state[widget_key]
    _write_url()  # before the rerun reads the URL, so the old value in it is not taken for a new link


def _offered(page_path: str) -> tuple[tuple[tuple[str, str, bool], ...], tuple[str, ...] | None]:
    """The authorities the picker offers on this page, and the readable codes they were limited to (None: all)."""
    options = view(_authorities)
    readable = None if page_path in OFFICIAL_PAGES else get_store().readable_codes()
    if readable is not None:
        options = tuple(o for o in options if o[0] in readable)
    return options, readable


def prepare(page_path: str = "") -> DeltaGenerator | None:
    """Before the page runs: make the chosen authority, year and period valid, and keep a place in the sidebar
    for the pickers, which `render` fills after the page (so they show what the page used). None when no
    authority is loaded (said in the sidebar).

    The canonical keys are plain session state, not widget keys, so they survive pages that do not draw the
    sidebar widgets (Streamlit forgets a widget's state on a run where the widget is not drawn).
    """
    take_used()  # a report left by a page that stopped early is not this page's
    options, readable = _offered(page_path)
    if not options:
        if readable is not None:
            st.sidebar.info("You have access to no council's own data: the benchmark pages show official data.")
        else:
            st.sidebar.error("No authorities are loaded yet.")
        return None
    names = {code for code, _, _ in options}
    notes: list[str] = []
    linked = url.asked(url.AUTHORITY)
    if linked is not None:
        if linked in names:
            st.session_state[AUTHORITY_KEY] = linked
        else:
            notes.append(url.ignored_note("authority", linked, "another"))
    if st.session_state.get(AUTHORITY_KEY) not in names:
        wanted = default_authority(options)
        st.session_state[AUTHORITY_KEY] = wanted if wanted in names else options[0][0]
    code = st.session_state[AUTHORITY_KEY]
    years = view(_years, code)
    linked = url.asked(url.YEAR)
    if linked is not None:
        if linked in years:
            st.session_state[YEAR_KEY] = linked
        else:
            notes.append(url.ignored_note("year", linked, "another year"))
    if years and st.session_state.get(YEAR_KEY) not in years:
        st.session_state[YEAR_KEY] = years[0]
    year = st.session_state.get(YEAR_KEY)
    held = view(_periods, code, year) if year and get_store().readable(code) else ()
    linked = url.asked(url.PERIOD)
    if linked is not None:
        period = _period_from_url(linked)
        if period is not None and period in (0, *held):
            st.session_state[PERIOD_KEY] = period
            st.session_state[_PERIOD_FOR] = (code, year)
        else:
            notes.append(url.ignored_note("period", linked, "the latest"))
    # a new authority or year starts at its latest period, as the committee would open it
    if st.session_state.get(PERIOD_KEY) not in (0, *held) or st.session_state.get(_PERIOD_FOR) != (code, year):
        st.session_state[PERIOD_KEY] = 0
        st.session_state[_PERIOD_FOR] = (code, year)
    _write_url()
    for note in notes:
        st.sidebar.caption(note)
    return st.sidebar.container()


def default_authority(options: tuple[tuple[str, str, bool], ...]) -> str:
    """The authority a new session opens on: `HEADROOM_DEFAULT_AUTHORITY` when set and offered; else, when any
    official authority is offered, the first of them by name (the illustrative demo council is not a real one);
    else the demo council."""
    wanted = settings.read().default_authority
    codes = {code for code, _, _ in options}
    if wanted in codes:
        return str(wanted)
    official = sorted((name, code) for code, name, illustrative in options if not illustrative)
    if official:
        return official[0][1]
    return HOME_CODE if HOME_CODE in codes else options[0][0]


def _period_from_url(text: str) -> int | None:
    """`latest` (or absent) is 0; `P7` or `7` is period 7; anything else None."""
    value = text.strip().upper().removeprefix("P")
    if text.strip().lower() == "latest":
        return 0
    return int(value) if value.isdigit() and 1 <= int(value) <= 12 else None


def _write_url() -> None:
    """The URL mirrors the selection (the period only when an earlier one than the latest is chosen)."""
    url.write(url.AUTHORITY, st.session_state.get(AUTHORITY_KEY))
    url.write(url.YEAR, st.session_state.get(YEAR_KEY))
    period = st.session_state.get(PERIOD_KEY)
    url.write(url.PERIOD, f"P{period}" if period else None)


def _period_picker(code: str, year: str, used: Used | None) -> None:
    """Monitoring period for the committee pages: "Latest" by default (following new uploads), or an earlier
    report's period. The choice is stored as 0 for latest, else the period number; "Latest" names the period the
    page shows (its own sheets may end before the latest upload)."""
    held = view(_periods, code, year)  # the sidebar's lists are read once per data version, not every rerun
    if not held:
        return
    latest = used.period if used is not None and used.period is not None else held[0]
    options = [0, *held]
    st.session_state[PERIOD_WIDGET] = st.session_state[PERIOD_KEY]
    st.selectbox(
        "Monitoring period",
        options,
        format_func=lambda p: f"Latest · {period_label(latest)}" if p == 0 else period_label(p),
        key=PERIOD_WIDGET,
        on_change=_copy,
        args=(PERIOD_WIDGET, PERIOD_KEY),
        help="The committee pages and the pack show the position as reported at this period.",
    )


def render(slot: DeltaGenerator | None, page_path: str = "") -> None:
    """Draw the authority, year and period pickers into `slot` after the page has run, showing the year and
    period the page reported using (`ui.context.report_used`), and why they differ from the choice."""
    if slot is None:
        return
    used = take_used()
    options, _ = _offered(page_path)
    names = {code: name for code, name, _ in options}
    illustrative = {code for code, _, ill in options if ill}
    codes = list(names)
    code = st.session_state[AUTHORITY_KEY]
    with slot:
        st.session_state[AUTHORITY_WIDGET] = code
        st.selectbox(
            "Authority",
            codes,
            format_func=lambda c: f"{names[c]} · {c}",
            key=AUTHORITY_WIDGET,
            on_change=_copy,
            args=(AUTHORITY_WIDGET, AUTHORITY_KEY),
            help="Type to search by name or code.",
        )
        years = list(view(_years, code))
        chosen = st.session_state.get(YEAR_KEY)
        if years and chosen:
            shown = used.year if used is not None and used.year in years else chosen
            st.session_state[YEAR_WIDGET] = shown
            st.selectbox("Financial year", years, key=YEAR_WIDGET, on_change=_copy, args=(YEAR_WIDGET, YEAR_KEY))
            if used is not None and used.note:
                st.caption(used.note)
            elif shown != chosen:
                st.caption(f"This page shows {shown}: nothing for {chosen} is shown here.")
            uses_periods = used is None or used.period is not None  # a benchmark page shows no monitoring period
            if shown == chosen and uses_periods and get_store().readable(code):
                _period_picker(code, chosen, used)
        if code in illustrative:
            st.info(
                "**Illustrative data.** This authority and its peers are generated by Headroom for "
                "demonstration; the figures are not any real council's.",
                icon=":material/science:",
            )
