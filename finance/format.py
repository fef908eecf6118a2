"""How figures are written for people: £12.3m, 21.2%, `P6 (Sep)`, `2025-26`.

One place, so that a figure on a page, in a chart's hover text, in the plain-English summary and in an export
reads the same everywhere (a test compares them as text).
"""

from __future__ import annotations

import math

PERIOD_MONTHS = ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar")


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def gbp_m(value_gbp: float | None, *, decimals: int = 1, signed: bool = False) -> str:
    """£ → '£12.3m' ('−£4.0m' for negatives; '+£1.2m' with signed=True); '—' when missing."""
    if _missing(value_gbp):
        return "—"
    assert value_gbp is not None
    m = value_gbp / 1e6
    sign = "−" if m < 0 and round(abs(m), decimals) != 0 else ("+" if signed and m > 0 else "")
    return f"{sign}£{abs(m):,.{decimals}f}m"


def pct(value_pct: float | None, *, decimals: int = 1, signed: bool = False) -> str:
    """Percent (21.15) → '21.2%'; '—' when missing."""
    if _missing(value_pct):
        return "—"
    assert value_pct is not None
    sign = "−" if value_pct < 0 and round(abs(value_pct), decimals) != 0 else ("+" if signed and value_pct > 0 else "")
    return f"{sign}{abs(value_pct):,.{decimals}f}%"


def period_label(period: int, *, month: bool = True) -> str:
    """6 → 'P6 (Sep)': April is P1. With `month=False` just 'P6', as workbooks, the upload preview and the CLI
    write a period (the one period label: issue 15 folded the workbook schema's copy in here)."""
    if not month:
        return f"P{period}"
    if not 1 <= period <= 12:
        raise ValueError(f"period must be 1..12, not {period}")
    return f"P{period} ({PERIOD_MONTHS[period - 1]})"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
