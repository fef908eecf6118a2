"""The overview's prudential-indicators card: Red when the projected debt or financing costs breach a limit the
council has set itself, Green when every limit is stated and met, not rated ("not available") otherwise.

Why a card of its own, built from `finance.capital.assess`: the Capital page, the pack's capital section and this
card must judge the same indicators in the same way, so all three read one assessment (the council's current
programme and debt position, projected by its current scenario) and one rule (`rag.PRUDENTIAL`). A limit the
council has not given is never taken as met.
"""

from __future__ import annotations

from finance.capital import Assessment, Indicators, assess
from finance.committee import rag
from finance.committee.cards import NONE, SCENARIO_PROJECTION, Card, Travel
from finance.committee.rag import Status
from finance.format import gbp_m, pct
from finance.store import Store
from finance.years import start_year

PRUDENTIAL_TITLE = "Prudential limits: projected debt and financing costs"
CAPITAL_PAGE = ("pages/capital.py", "Capital and borrowing")
TRAVEL = Travel(NONE, "Changes when the programme, the debt position or the current scenario changes")


def _not_available(why: str) -> Card:
    r = rag.PRUDENTIAL
    return Card(r.key, PRUDENTIAL_TITLE, "Not available", f"Not available: {why}.", Status.NOT_RATED, r, TRAVEL,
                *CAPITAL_PAGE, None)  # fmt: skip


def _peak(values: tuple[float | None, ...], years: tuple[str, ...]) -> tuple[float, str] | None:
    held = [(v, y) for v, y in zip(values, years, strict=True) if v is not None]
    return max(held) if held else None


def _within_words(ind: Indicators) -> str:
    said: list[str] = []
    debt = _peak(ind.external_debt_gbp_m, ind.years)
    if debt is not None:
        limits = [f"{words} {gbp_m(v * 1e6)}" for v, words in ((ind.operational_boundary_gbp_m, "operational boundary"),
                                                            (ind.authorised_limit_gbp_m, "authorised limit"))
                  if v is not None]  # fmt: skip
        said.append(f"peak external debt {gbp_m(debt[0] * 1e6)} ({debt[1]})" + (f" vs {' and '.join(limits)}"
                                                                              if limits else ""))  # fmt: skip
    ratio = _peak(ind.financing_pct, ind.years)
    if ratio is not None:
        limit = "" if ind.financing_limit_pct is None else f" vs limit {ind.financing_limit_pct:g}%"
        said.append(f"peak financing costs {pct(ratio[0])} of net revenue stream ({ratio[1]}){limit}")
    return "; ".join(said)


def prudential_card(store: Store, code: str, year: str, found: Assessment | None = None) -> Card:
    """The card for `code` in the overview of `year`: Red on any projected breach, Green when all three limits are
    stated and met, not rated ("Not available", saying why) when a limit, the debt position, the programme or a
    scenario is missing, when the programme starts after `year`, or when the user may not read the council's data."""
    r = rag.PRUDENTIAL
    if not store.readable(code):
        return _not_available("the council's own capital programme and limits are not shown to this user")
    found = assess(store, code) if found is None else found
    if found.held is not None and found.held.financial_year > year:  # a past year quotes nothing from a later plan
        return _not_available(f"the capital programme held starts in {found.held.financial_year}, after {year}")
    ind, position = found.indicators, found.position
    if ind is None or position is None:
        return _not_available(found.why_not)
    breaches = ind.breaches()
    missing = ind.not_assessed()
    if not breaches and missing:
        return _not_available("; ".join(missing) + " (Instructions sheet)")
    first, last = ind.years[0], ind.years[-1]
    status = rag.rate(r, float(len(breaches)))
    if breaches:
        value_text = f"Breached in {breaches[0].split(':')[0]}"
        more = f" and {len(breaches) - 2} more" if len(breaches) > 2 else ""
        detail = "; ".join(breaches[:2]) + more
    else:
        value_text = "Within all three limits"
        detail = _within_words(ind)
    return Card(
        r.key, f"{PRUDENTIAL_TITLE}, {first} to {last}", value_text, detail, status, r, TRAVEL, *CAPITAL_PAGE,
        float(len(breaches)),
        figure=float(len(breaches)), units="breaches", basis=SCENARIO_PROJECTION,
        basis_text=f"scenario projection from {found.origin}, {first} to {last}, from the debt position at "
        f"{position.as_at:%-d %B %Y} stated in {position.file_name}",
        as_at=f"31 March {start_year(last) + 1}",
        compares_with="the council's authorised limit, operational boundary and financing costs limit (% of net "
        f"revenue stream), as stated in {position.file_name}",
    )  # fmt: skip
