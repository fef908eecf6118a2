"""Risk-based minimum speed: a 200-risk register simulated over 10,000 paths, beside the scenarios' Monte Carlo.

Target (issue 18): 200 risks × 10,000 paths < 200 ms, including the 90th percentile and the contributions. Baseline
in the same run: the same register simulated risk by risk in a Python loop over risks (one vectorised draw per
risk), what the one (paths × risks) array saves. The register is seeded, so every run times the same work.
Also the CPU time per run (it does not grow when other work shares the machine, unlike wall time).
Run: `.venv/bin/python benchmarks/risk_minimum.py`. Prints one JSON object.
"""

from __future__ import annotations

import json
import os
import time

import numpy as np
from common import timed

from finance.reserves import PATHS, SEED, simulate_losses

TARGET_MS = 200.0
RISKS = 200


def register(n: int = RISKS) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A register of `n` risks in £: likelihoods 5%–95%, triangular impacts up to £5m, a tenth of them fixed."""
    rng = np.random.default_rng(18)
    p = rng.uniform(0.05, 0.95, n)
    low = rng.uniform(0, 1e6, n)
    likely = low + rng.uniform(0, 1.5e6, n)
    high = likely + rng.uniform(0, 2.5e6, n)
    fixed = rng.random(n) < 0.1
    likely[fixed] = high[fixed] = low[fixed]
    return p, low, likely, high


def one_run(args: tuple[np.ndarray, ...]) -> float:
    sim = simulate_losses(*args)
    return sim.minimum_gbp + sim.expected_gbp + float(sim.mean_by_risk_gbp.sum())


def loop_baseline(args: tuple[np.ndarray, ...]) -> float:
    """The same simulation risk by risk (a vectorised draw per risk, the total added up in a Python loop)."""
    total = np.zeros(PATHS)
    for i in range(len(args[0])):
        total += simulate_losses(*(a[i : i + 1] for a in args), seed=SEED + i).total_gbp
    return float(np.percentile(total, 90, method="inverted_cdf"))


def main() -> None:
    args = register()
    result = timed(lambda: one_run(args), repeat=20, warmup=2)
    cpu = []
    for _ in range(10):
        start = time.process_time()
        one_run(args)
        cpu.append((time.process_time() - start) * 1000)
    baseline = timed(lambda: loop_baseline(args), repeat=3, warmup=1)
    out = {
        "benchmark": "risk_minimum",
        "risks": RISKS,
        "paths": PATHS,
        "seed": SEED,
        "simulate_200_risks_x_10000_paths": result | {"cpu_median_ms": round(sorted(cpu)[len(cpu) // 2], 3)},
        "target_ms": TARGET_MS,
        "baseline_loop_over_risks": baseline,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "within_target": result["median_ms"] < TARGET_MS,
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
