"""The demo council's income collection and debt: six streams, their arrears, write-offs and targets, and the age
of what is still owed, period by period (illustrative figures, in £000).

Why it reconciles: the Debt sheet's age bands of a stream add up exactly to what the Collection sheet implies is
outstanding — (collectable − collected) + (arrears brought forward − arrears collected − write-offs) — which is the
rule uploads are held to; and each year's arrears brought forward are the previous year's P12 outstanding debt.
The council tax and business rates rates draw on the demo's one seeded generator in the order they always did, so
the other demo sheets keep their figures; the other streams draw on generators of their own.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from finance.workbook import AGE_BANDS

# (stream, collectable 2025-26 £000, final in-year rate, arrears at 1 April 2025 £000, target rate %, share of the
# arrears brought forward collected in the year, share written off in the year)
STREAMS: tuple[tuple[str, int, float, int, float, float, float], ...] = (
    ("Council tax", 162_000, 0.952, 21_400, 95.5, 0.32, 0.04),
    ("Business rates", 94_000, 0.968, 6_900, 96.0, 0.45, 0.06),
    ("Adult social care charges", 24_500, 0.87, 5_800, 90.0, 0.40, 0.05),
    ("Sundry debt", 31_000, 0.90, 7_300, 92.0, 0.50, 0.08),
    ("Commercial property rents", 8_600, 0.93, 1_450, 92.0, 0.55, 0.10),
    ("Housing benefit overpayments", 4_200, 0.42, 9_700, 41.5, 0.18, 0.07),
)
# The demo's story: in its second year adult social care charges and sundry debt slip behind last year's pace and
# council tax a little (points of the final rate lost per year).
_SLIP = {"Council tax": 0.006, "Adult social care charges": 0.035, "Sundry debt": 0.045}
COLLECTION_FUND_SHARE_PCT = 84  # illustrative: the district's own share; the rest is precepts and the government's
_BAND_PROVISION = (0.02, 0.10, 0.35, 0.60, 0.90)  # bad-debt provision held against each age band
_ORIGINAL = ("Council tax", "Business rates", "Adult social care charges", "Sundry debt")
COLLECTION_HEADER = [
    "Stream",
    "Collectable",
    "Collected to date",
    "Arrears",
    "Arrears brought forward",
    "Arrears collected",
    "Write-offs",
    "Target collection rate (%)",
]
DEBT_HEADER = ["Stream", "Age band", "Balance", "Bad-debt provision"]


@dataclass
class DebtState:
    """Each stream's arrears brought forward into the current year (£000), carried from one year's P12."""

    brought_forward_k: dict[str, int] = field(default_factory=lambda: {s[0]: s[3] for s in STREAMS})


def _in_year_bands(outstanding_k: int, period: int) -> list[int]:
    """In-year debt by age: most is not yet old early in the year; the share over 90 days grows with the months."""
    older = min(0.05 * (period - 1), 0.45)
    middle = min(0.10 + 0.01 * period, 0.20) if period > 1 else 0.0
    k91 = round(outstanding_k * older)
    k31 = round(outstanding_k * middle)
    return [outstanding_k - k31 - k91, k31, k91]


def _arrears_bands(arrears_k: int) -> list[int]:
    k91 = round(arrears_k * 0.25)
    k1 = round(arrears_k * 0.40)
    return [k91, k1, arrears_k - k91 - k1]


def sheets(
    year_index: int, period: int, state: DebtState, rng: random.Random
) -> tuple[list[list[object]], list[list[object]]]:
    """The Collection and Debt rows of one period (£000). At P12 the outstanding debt becomes next year's arrears."""
    collection: list[list[object]] = []
    debt: list[list[object]] = []
    closing: dict[str, int] = {}
    for stream, collectable, final_rate, _, target, collect_share, write_share in STREAMS:
        own = rng if stream in _ORIGINAL else random.Random(f"{stream}-{year_index}-{period}")
        collectable_k = round(collectable * (1.05**year_index))
        profile = min(period, 10) / 10 if stream in ("Council tax", "Business rates") else period / 12
        rate = (final_rate - _SLIP.get(stream, 0.0) * year_index) * profile
        collected_k = min(round(collectable_k * rate * own.uniform(0.985, 1.005)), collectable_k)
        brought_k = state.brought_forward_k[stream]
        arrears_collected_k = round(brought_k * collect_share * period / 12)
        written_off_k = round(brought_k * write_share * period / 12)
        arrears_k = brought_k - arrears_collected_k - written_off_k
        collection.append(
            [stream, collectable_k, collected_k, arrears_k, brought_k, arrears_collected_k, written_off_k, target]
        )
        in_year_k = collectable_k - collected_k
        in_year = _in_year_bands(in_year_k, period)
        arrears = _arrears_bands(arrears_k)
        balances = [in_year[0], in_year[1], in_year[2] + arrears[0], arrears[1], arrears[2]]
        for band, balance, provision in zip(AGE_BANDS, balances, _BAND_PROVISION, strict=True):
            debt.append([stream, band, balance, round(balance * provision)])
        closing[stream] = in_year_k + arrears_k
    if period == 12:
        state.brought_forward_k = closing
    return collection, debt
