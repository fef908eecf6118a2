"""Debt and capital: the multi-year capital programme and debt position a council uploads, what its borrowing
costs the revenue budget, and the Prudential Code indicators against the limits it sets.

Loading goes through `finance.upload` (the same reader, validation, atomic write and history as monitoring); this
package holds what is specific to capital. The public surface is named here; the modules behind it are free to
change.
"""

from __future__ import annotations

from finance.capital.checks import (
    MRP_METHOD_LABELS,
    POSITION_FIELDS,
    Position,
    ProgrammeDraft,
    check_position,
    check_programme,
    mtfs_years,
)
from finance.capital.prudential import Assessment, Indicators, assess, average_life_years, indicators
from finance.capital.storage import insert_capital
from finance.capital.view import CapitalView, build_capital_view

__all__ = [
    "MRP_METHOD_LABELS",
    "POSITION_FIELDS",
    "Assessment",
    "CapitalView",
    "Indicators",
    "Position",
    "ProgrammeDraft",
    "assess",
    "average_life_years",
    "build_capital_view",
    "check_position",
    "check_programme",
    "indicators",
    "insert_capital",
    "mtfs_years",
]
