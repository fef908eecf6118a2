"""What a capital programme's borrowing costs the revenue budget: MRP and interest on new borrowing, by year.

A council borrowing for capital must set aside a minimum revenue provision (MRP) to repay it over the life of the
asset, and pays interest on it; both are revenue costs the MTFS must carry. The conventions here (issue 19):

- MRP on a year's new borrowing starts the year after the spend, by the method the council states: **straight
  line** (the borrowing ÷ the asset life, each year of the life) or **annuity** (the principal part of an annuity at
  the borrowing rate over the life: year k of n takes B·r·(1+r)^(k−1) ÷ ((1+r)^n − 1), which adds up to B; at a
  zero rate it is the straight line);
- interest on a year's new borrowing is charged on half of it in its first year (borrowed through the year) and on
  all of it after, at the scenario's borrowing rate for the year it was borrowed (fixed-rate loans, as PWLB loans
  are); MRP does not reduce the debt the interest is paid on (it provides for repayment, it does not repay);
- borrowing in the base year is counted: its MRP and full-year interest fall in the projected years, while its
  half-year interest is already in the base year's budget, so the gap line is the change from that base-year cost;
- borrowing in a year before the base year is already in the base budget, and borrowing after the last projected
  year costs nothing within it: both are left out, and the plan's `outside` says which.

Arrays are (simulations, years) like the rest of the model, so the Monte Carlo draws the borrowing rate with the
other assumptions and the tornado moves it by a point.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]
MRP_METHODS: tuple[str, ...] = ("annuity", "straight_line")
MRP_METHOD_TEXT = {"annuity": "annuity at the borrowing rate", "straight_line": "straight line over the asset life"}
MAX_ASSET_LIFE_YEARS = 250


@dataclass(frozen=True)
class Loan:
    """New prudential borrowing in one year for assets of one life (schemes of a year with the same life add up)."""

    year: str
    borrowing_gbp_m: float
    asset_life_years: int


@dataclass(frozen=True)
class CapitalPlan:
    """The borrowing-funded part of a capital programme, as a scenario carries it."""

    loans: tuple[Loan, ...]
    mrp_method: str = "annuity"
    source: str = ""  # where the programme comes from, in words (an upload, a file)

    def borrowing_by_year(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for loan in self.loans:
            out[loan.year] = out.get(loan.year, 0.0) + loan.borrowing_gbp_m
        return out

    def outside(self, base_year: str, years: tuple[str, ...]) -> list[str]:
        """Years of the plan that fall outside the base year and the projected years (left out of the costs)."""
        inside = {base_year, *years}
        return sorted({loan.year for loan in self.loans if loan.year not in inside})


@dataclass(frozen=True)
class Financing:
    """Costs of the plan's new borrowing in each projected year, £m, (simulations, years)."""

    mrp: Array
    interest: Array
    in_base_budget: Array  # (simulations, 1): the base year's half-year interest, already in the base budget
    new_borrowing: Array  # (1, years): borrowing in each projected year
    cumulative_borrowing: Array  # (1, years): new borrowing to the end of each projected year, base year included

    @property
    def costs(self) -> Array:
        """MRP plus interest on the new borrowing in each projected year."""
        return np.asarray(self.mrp + self.interest)

    @property
    def change_from_base(self) -> Array:
        """What the gap carries: the costs less those already in the base year's budget."""
        return np.asarray(self.costs - self.in_base_budget)


def _mrp(amount: float, life: int, rate: Array, k: Array, method: str) -> Array:
    """MRP in year k (1-based, k ≤ life) of `amount` over `life`; `rate` (simulations, 1) as a fraction."""
    if method == "straight_line":
        return np.broadcast_to(np.where(k <= life, amount / life, 0.0), (rate.shape[0], k.shape[-1]))
    growth = (1.0 + rate) ** life - 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        annuity = np.where(rate > 1e-12, amount * rate * (1.0 + rate) ** (k - 1) / growth, amount / life)
    return np.asarray(np.where(k <= life, annuity, 0.0))


def financing(plan: CapitalPlan, base_year: str, years: tuple[str, ...], rate_pct: Array) -> Financing:
    """The plan's MRP and interest in each of `years`; `rate_pct` is the borrowing rate, (simulations, years).

    The base year's borrowing uses the first projected year's rate. Raises ValueError for an unknown method.
    """
    if plan.mrp_method not in MRP_METHODS:
        raise ValueError(f"unknown MRP method {plan.mrp_method!r}")
    n_sims, n_years = rate_pct.shape
    columns = (base_year, *years)
    rates = np.concatenate([rate_pct[:, :1], rate_pct], axis=1) / 100.0  # column 0: the base year
    mrp = np.zeros((n_sims, n_years + 1))
    interest = np.zeros((n_sims, n_years + 1))
    borrowed = np.zeros((1, n_years + 1))
    for loan in plan.loans:
        if loan.year not in columns or loan.borrowing_gbp_m == 0:
            continue
        c = columns.index(loan.year)
        amount = loan.borrowing_gbp_m
        rate = rates[:, c : c + 1]
        borrowed[0, c] += amount
        interest[:, c : c + 1] += 0.5 * rate * amount
        interest[:, c + 1 :] += rate * amount
        k = np.arange(1, n_years + 1 - c, dtype=float).reshape(1, -1)
        if k.size:
            mrp[:, c + 1 :] += _mrp(amount, loan.asset_life_years, rate, k, plan.mrp_method)
    return Financing(
        mrp=mrp[:, 1:],
        interest=interest[:, 1:],
        in_base_budget=interest[:, :1],
        new_borrowing=borrowed[:, 1:],
        cumulative_borrowing=np.cumsum(borrowed, axis=1)[:, 1:],
    )
