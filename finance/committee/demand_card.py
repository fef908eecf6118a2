"""The overview's demand card: the largest demand driver in the council's own Demand sheet, for information.

Why a card: a committee needs to see whether an overspend is a demand or a price story; this names the metric
whose volume and price effects on its Revenue line's forecast variance are largest (`finance.monitoring
.demand_split`), with both effects. Not rated: there is no threshold for a driver, only its size.
"""

from __future__ import annotations

from finance.committee.cards import IN_YEAR_FORECAST, NONE, Card, Travel, When
from finance.committee.rag import Rule, Status
from finance.format import gbp_m, period_label
from finance.monitoring import DemandSplit

DEMAND_DRIVER = Rule(
    "demand_driver",
    "Largest demand driver",
    "not rated: shown for information",
    "The Demand sheet's metric whose volume effect ((forecast − budgeted volume) × budgeted unit cost) plus price "
    "effect ((forecast − budgeted unit cost) × forecast volume) on its Revenue line's forecast variance is largest "
    "in size, at the latest period with a Demand sheet. Shown for information; not rated.",
    lambda _: Status.NOT_RATED,
    "Monthly monitoring: the Demand sheet beside the Revenue sheet of the same upload.",
)
DEMAND_PAGE = ("pages/demand.py", "Demand")
NO_DEMAND = "No Demand sheet uploaded for this year: add one to a monitoring workbook."


def demand_card(split: DemandSplit | None, when: When | None) -> Card:
    r = DEMAND_DRIVER
    travel = Travel(NONE, "Not compared between periods")
    top = None if split is None else split.largest
    if split is None or top is None or split.period is None:
        return Card(r.key, r.title, "—", NO_DEMAND, Status.NOT_RATED, r, travel, *DEMAND_PAGE, None)
    year_end = when.year_end if when is not None else ""
    basis = f"in-year forecast (monitoring {period_label(split.period)} {split.financial_year})"
    return Card(
        r.key, r.title, top.metric,
        f"{top.directorate} / {top.service or top.directorate}: volume effect {gbp_m(top.volume_effect_gbp)}, "
        f"price effect {gbp_m(top.price_effect_gbp)} of the line's {gbp_m(top.line_variance_gbp)} forecast "
        f"variance; upload {split.upload_id}",
        Status.NOT_RATED, r, travel, *DEMAND_PAGE, None,
        figure=top.demand_effect_gbp / 1e6, units="£m", basis=IN_YEAR_FORECAST, basis_text=basis, as_at=year_end,
        compares_with="the line's budgeted volume and unit cost",
    )  # fmt: skip
