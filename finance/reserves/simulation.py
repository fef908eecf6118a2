"""The risk-based minimum balance: a Monte Carlo over the council's financial risk register.

CIPFA's guidance on local authority reserves and balances (LAAP bulletin 99) asks the s151 officer to set the
minimum general fund balance from an assessment of the financial risks the council carries, not a fixed
percentage. This is that assessment made explicit and repeatable:

- each risk is independent of the others and occurs in a year with its likelihood;
- when it occurs, its cost is drawn from a triangular distribution over its low / most likely / high impacts
  (a fixed cost when the three are equal), by the inverse of its distribution function;
- `PATHS` years are drawn with the fixed seed `SEED`, so the same register always gives the same figures;
- the risk-based minimum is the 90th percentile of the total loss: the smallest L with P(loss ≤ L) ≥ 0.9 (numpy's
  `method="inverted_cdf"`, so it is always a loss some drawn year actually had); the expected loss is the mean
  total loss; each risk's contribution is its mean loss over the paths (they add up to the expected loss).

Pure numpy: arrays in £, a dataclass out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

SEED = 20_260_318  # fixed and stated: the same register gives the same minimum on every run
PATHS = 10_000
PERCENTILE = 90.0

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class LossSimulation:
    """The simulated total loss of every path and each risk's mean loss, in £."""

    total_gbp: Array  # (paths,)
    mean_by_risk_gbp: Array  # (risks,): each risk's mean loss over the paths
    seed: int
    percentile: float

    @property
    def paths(self) -> int:
        return int(self.total_gbp.shape[0])

    @property
    def minimum_gbp(self) -> float:
        """The risk-based minimum: the `percentile`th percentile of total loss (inverted CDF)."""
        if not self.paths:
            return 0.0
        return float(np.percentile(self.total_gbp, self.percentile, method="inverted_cdf"))

    @property
    def expected_gbp(self) -> float:
        return float(self.total_gbp.mean()) if self.paths else 0.0

    @property
    def chance_of_any_loss(self) -> float:
        return float((self.total_gbp > 0).mean()) if self.paths else 0.0


def simulate_losses(
    likelihood: Array,
    low_gbp: Array,
    likely_gbp: Array,
    high_gbp: Array,
    *,
    paths: int = PATHS,
    seed: int = SEED,
    percentile: float = PERCENTILE,
) -> LossSimulation:
    """Simulate `paths` years of independent risks. `likelihood` is each risk's chance in a year (0..1); the
    impacts are each risk's triangular low ≤ most likely ≤ high in £ (checked on upload; equal = fixed).

    Raises ValueError when the arrays differ in length or an impact ordering or likelihood is out of range."""
    p = np.asarray(likelihood, dtype=np.float64)
    a, m, b = (np.asarray(x, dtype=np.float64) for x in (low_gbp, likely_gbp, high_gbp))
    if not p.shape == a.shape == m.shape == b.shape or p.ndim != 1:
        raise ValueError("likelihood and the three impacts must be one-dimensional arrays of one length")
    if np.any((p < 0) | (p > 1)) or np.any((a > m) | (m > b)) or np.any(a < 0):
        raise ValueError("likelihood must be within 0..1 and 0 ≤ low ≤ most likely ≤ high")
    rng = np.random.default_rng(seed)
    u = rng.random((paths, len(p)))  # one uniform per path and risk
    # One uniform does both jobs: the risk occurs when u < p, and then u / p is again uniform on [0, 1), which is
    # fed to the inverse of the triangular distribution function (half the random numbers, the same law).
    occurs = u < p
    v = np.multiply(u, np.divide(1.0, p, out=np.zeros_like(p), where=p > 0), out=u)
    np.minimum(v, 1.0, out=v)  # where the risk does not occur v is not used; kept in range for the square root
    span = b - a
    split = np.divide(m - a, span, out=np.zeros_like(span), where=span > 0)  # F(most likely)
    above = v >= split
    # F⁻¹(v) = a + √(v·span·(m − a)) below the mode and b − √((1 − v)·span·(b − m)) above it; a span of 0 gives a
    root = v * (span * (m - a))
    upper = np.subtract(1.0, v, out=v)
    upper *= span * (b - m)
    np.copyto(root, upper, where=above)
    np.sqrt(root, out=root)
    loss = np.add(a, root, out=upper)
    np.copyto(loss, b - root, where=above)
    loss *= occurs
    return LossSimulation(loss.sum(axis=1), loss.mean(axis=0), seed, percentile)
