"""The overview's reserve-adequacy cards: the risk-based minimum (rated), the expected loss and the reserves by
status (both shown for information, not rated).

Why here and not in `cards`: they read the risk register and its simulation (`finance.reserves`), which the other
cards do not, and `cards` is already long. They are `Card`s like the others, so the page, the pack and
`python -m finance overview --json` show them the same way.
"""

from __future__ import annotations

from typing import Any

from finance.committee import rag
from finance.committee.cards import IN_YEAR_FORECAST, NONE, Card, Travel, When
from finance.committee.figures import Position
from finance.committee.rag import Rule, Status
from finance.format import gbp_m, pct
from finance.reserves import PATHS, SEED, RiskAssessment

ADEQUACY_PAGE = ("pages/adequacy.py", "Reserve adequacy")
RISK_SIMULATION = "risk_simulation"
RISK_BASIS = f"risk-register simulation ({PATHS:,} paths, seed {SEED})"
EXPECTED_LOSS = Rule(
    "expected_loss",
    "Expected loss from the risk register",
    "not rated: shown for information",
    "Expected loss = the mean of the year's total loss over the 10,000 simulated paths of the risk register "
    "(each risk's likelihood × its mean impact, summed). Shown for information; not rated.",
    lambda _: Status.NOT_RATED,
    "Monthly monitoring: the Risks sheet (the latest uploaded for the year or before).",
)
RESERVES_BY_STATUS = Rule(
    "reserves_by_status",
    "Earmarked reserves by status",
    "not rated: shown for information",
    "Forecast closing balances of earmarked reserves by the Status the council gives them on the Reserves sheet: "
    "uncommitted ones are what a scenario may draw on; committed ones are spoken for. Shown for information; "
    "not rated.",
    lambda _: Status.NOT_RATED,
    "Monthly monitoring: the Reserves sheet's Type and Status columns.",
)
NO_REGISTER = "No risk register uploaded: add a Risks sheet to a monitoring workbook."


def _card(rule: Rule, title: str, value_text: str, detail: str, status: Status, value: float | None, **kw: Any) -> Card:
    travel = Travel(NONE, "Not compared between periods")
    return Card(rule.key, title, value_text, detail, status, rule, travel, *ADEQUACY_PAGE, value, **kw)


def risk_minimum_card(pos: Position | None, found: RiskAssessment | None, when: When | None) -> Card:
    """Red / amber / green by `rag.RISK_MINIMUM`; not rated without a register or a Reserves sheet."""
    r = rag.RISK_MINIMUM
    if found is None:
        return _card(r, "Risk-based minimum", "—", NO_REGISTER, Status.NOT_RATED, None)
    minimum = found.minimum_gbp
    res = None if pos is None else pos.reserves
    where = f"{r.source.split(':')[0].lower()}: {found.register.source_text}"
    if res is None or when is None:
        return _card(r, "Risk-based minimum", gbp_m(minimum),
                     f"no Reserves sheet for this period to compare with; {where}", Status.NOT_RATED, None,
                     figure=minimum / 1e6, units="£m", basis=RISK_SIMULATION, basis_text=RISK_BASIS)  # fmt: skip
    forecast, stated = res.unallocated_closing_gbp, res.minimum_gf_balance_gbp
    position = (
        rag.RISK_ABOVE_FORECAST
        if forecast < minimum
        else rag.RISK_ABOVE_STATED
        if stated is None or stated < minimum
        else 0
    )
    stated_text = "no minimum stated" if stated is None else f"stated minimum {gbp_m(stated)}"
    return _card(
        r, "Risk-based minimum", gbp_m(minimum),
        f"90th percentile of simulated loss; forecast general fund balance {gbp_m(forecast)} at {when.year_end}; "
        f"{stated_text}",
        rag.rate(r, position), float(position),
        figure=minimum / 1e6, units="£m", basis=RISK_SIMULATION,
        basis_text=f"{RISK_BASIS}; balance: {when.basis_text}", as_at=when.year_end,
        compares_with=f"the forecast general fund balance ({gbp_m(forecast)}) and the council's {stated_text}",
    )  # fmt: skip


def expected_loss_card(found: RiskAssessment | None, when: When | None) -> Card:
    r = EXPECTED_LOSS
    if found is None:
        return _card(r, "Expected loss", "—", NO_REGISTER, Status.NOT_RATED, None)
    top = found.top(1)
    largest = "" if top.empty else f"; largest contributor {top['risk_id'][0]} {gbp_m(float(top['mean_loss_gbp'][0]))}"
    return _card(
        r, "Expected loss", gbp_m(found.expected_gbp),
        f"mean simulated loss in a year over {len(found.register.lines)} risks{largest}",
        Status.NOT_RATED, None, figure=found.expected_gbp / 1e6, units="£m", basis=RISK_SIMULATION,
        basis_text=RISK_BASIS, as_at=when.year_end if when else "", compares_with="not compared",
    )  # fmt: skip


def status_card(pos: Position | None, when: When | None) -> Card:
    r = RESERVES_BY_STATUS
    res = None if pos is None else pos.reserves
    if res is None or when is None:
        return _card(r, "Uncommitted earmarked", "—", "No Reserves sheet uploaded for this period.",
                     Status.NOT_RATED, None)  # fmt: skip
    uncommitted, committed = res.earmarked_uncommitted_closing_gbp, res.earmarked_committed_closing_gbp
    if uncommitted is None or committed is None:
        return _card(r, "Uncommitted earmarked", "—",
                     f"no Status given on the Reserves sheet: all {gbp_m(res.earmarked_closing_gbp)} of earmarked "
                     "reserves are treated as drawable", Status.NOT_RATED, None, basis=IN_YEAR_FORECAST,
                     basis_text=when.basis_text, as_at=when.year_end)  # fmt: skip
    share = uncommitted / res.earmarked_closing_gbp * 100 if res.earmarked_closing_gbp else None
    share_text = "" if share is None else f" ({pct(share)} of earmarked)"
    return _card(
        r, "Uncommitted earmarked", gbp_m(uncommitted),
        f"forecast at {when.year_end}{share_text}; committed {gbp_m(committed)}; ring-fenced "
        f"{gbp_m(res.ring_fenced_closing_gbp)} not usable",
        Status.NOT_RATED, None, figure=uncommitted / 1e6, units="£m", basis=IN_YEAR_FORECAST,
        basis_text=when.basis_text, as_at=when.year_end, compares_with="not compared",
    )  # fmt: skip
