"""The risk-based minimum's simulation against distributions known exactly, and the triangular impacts' law."""

from __future__ import annotations

import math

import numpy as np
import pytest

from finance.reserves import PATHS, SEED, simulate_losses


def _fixed(p: list[float], impacts: list[float]) -> object:
    x = np.array(impacts, dtype=float)
    return simulate_losses(np.array(p), x, x, x)


def test_two_fixed_risks_give_the_four_atoms_of_their_exact_distribution() -> None:
    # A: 30% chance of £10m; B: 20% chance of £4m, independent. Exactly: P(0) = 0.56, P(4) = 0.14, P(10) = 0.24,
    # P(14) = 0.06, so P(loss ≤ 4) = 0.70 and P(loss ≤ 10) = 0.94: the 90th percentile is £10m; the mean is
    # 0.3 × 10 + 0.2 × 4 = £3.8m.
    sim = _fixed([0.3, 0.2], [10e6, 4e6])
    assert sim.paths == PATHS and sim.seed == SEED
    values, counts = np.unique(sim.total_gbp, return_counts=True)
    assert list(values) == [0.0, 4e6, 10e6, 14e6]
    exact = {0.0: 0.56, 4e6: 0.14, 10e6: 0.24, 14e6: 0.06}
    for value, count in zip(values, counts, strict=True):
        p = exact[float(value)]
        assert abs(count / PATHS - p) < 4 * math.sqrt(p * (1 - p) / PATHS), value  # within four standard errors
    assert sim.minimum_gbp == 10e6
    sd_of_mean = math.sqrt(0.21 * 100 + 0.16 * 16) * 1e6 / math.sqrt(PATHS)
    assert abs(sim.expected_gbp - 3.8e6) < 4 * sd_of_mean
    means = sim.mean_by_risk_gbp
    assert means.sum() == pytest.approx(sim.expected_gbp)
    assert abs(means[0] - 3e6) < 4 * math.sqrt(0.21) * 10e6 / math.sqrt(PATHS)


def test_the_minimum_is_the_smallest_loss_with_at_least_90_percent_at_or_below_it() -> None:
    sim = simulate_losses(np.array([0.4, 0.7, 0.1]), np.array([1e6, 0, 2e6]), np.array([2e6, 1e6, 5e6]),
                          np.array([6e6, 3e6, 9e6]))  # fmt: skip
    ordered = np.sort(sim.total_gbp)
    expected = ordered[math.ceil(0.9 * sim.paths) - 1]
    assert sim.minimum_gbp == expected
    assert (sim.total_gbp <= sim.minimum_gbp).mean() >= 0.9
    assert (sim.total_gbp < sim.minimum_gbp).mean() < 0.9


def test_a_certain_triangular_risk_has_the_triangles_mean_and_90th_percentile() -> None:
    # low 0, most likely 0, high £10m: mean 10/3; F(x) = 1 − ((10 − x)/10)², so the 90th percentile is 10 − √10.
    sim = simulate_losses(np.array([1.0]), np.array([0.0]), np.array([0.0]), np.array([10e6]))
    assert sim.total_gbp.min() >= 0 and sim.total_gbp.max() <= 10e6
    assert sim.expected_gbp == pytest.approx(10e6 / 3, rel=0.02)
    assert sim.minimum_gbp == pytest.approx((10 - math.sqrt(10)) * 1e6, rel=0.02)


def test_a_symmetric_triangle_is_symmetric_and_stays_within_its_range() -> None:
    sim = simulate_losses(np.array([1.0]), np.array([2e6]), np.array([5e6]), np.array([8e6]))
    assert sim.total_gbp.min() >= 2e6 and sim.total_gbp.max() <= 8e6
    assert sim.expected_gbp == pytest.approx(5e6, rel=0.01)
    assert float(np.median(sim.total_gbp)) == pytest.approx(5e6, rel=0.02)
    assert (sim.total_gbp < 3.5e6).mean() == pytest.approx(0.125, abs=0.01)  # F(3.5) = 1.5² / (6 × 3)


def test_the_same_register_gives_the_same_figures_and_a_risk_never_occurs_at_zero_likelihood() -> None:
    args = (np.array([0.5, 0.0]), np.array([1e6, 5e6]), np.array([2e6, 5e6]), np.array([3e6, 5e6]))
    one, two = simulate_losses(*args), simulate_losses(*args)
    assert np.array_equal(one.total_gbp, two.total_gbp)
    assert one.mean_by_risk_gbp[1] == 0.0


def test_an_empty_register_loses_nothing_and_bad_arrays_are_refused() -> None:
    empty = simulate_losses(np.array([]), np.array([]), np.array([]), np.array([]))
    assert empty.minimum_gbp == 0.0 and empty.expected_gbp == 0.0
    with pytest.raises(ValueError):
        simulate_losses(np.array([1.2]), np.array([1.0]), np.array([1.0]), np.array([1.0]))
    with pytest.raises(ValueError):
        simulate_losses(np.array([0.5]), np.array([2.0]), np.array([1.0]), np.array([3.0]))
