"""The council's marks for a scenario's reserves trajectory: its current reserve targets and its risk-based minimum.

Why here: the risk-based minimum is this package's (the register in force and its simulation), and `scenarios`,
a layer below, cannot read it; the scenarios page and the pack's MTFS section get both marks in one call and the
scenario's chart draws each against the balance it is on (`finance.scenarios.marks`).
"""

from __future__ import annotations

from finance.format import gbp_m
from finance.monitoring import years_held
from finance.reserves.register import risk_assessment
from finance.reserves.simulation import PATHS, PERCENTILE, SEED
from finance.scenarios import Level, ReserveMarks, reserve_marks
from finance.store import Store
from finance.targets import current_targets


def scenario_marks(store: Store, code: str) -> ReserveMarks:
    """`code`'s current targets on the general fund, earmarked or usable reserves, and the risk-based minimum of
    the register in force for its latest monitoring year (None without one). Empty for a user who may not read the
    council's own data."""
    if not store.readable(code):
        return ReserveMarks(code)
    held = years_held(store, code)
    found = risk_assessment(store, code, held[-1]) if held else None
    level = None
    if found is not None:
        register = found.register
        level = Level(
            found.minimum_gbp / 1e6,
            f"Risk-based minimum for the general fund balance: {gbp_m(found.minimum_gbp)} "
            f"({register.financial_year} risk register)",
            f"Risk-based minimum {gbp_m(found.minimum_gbp)}: the {PERCENTILE:g}th percentile of a year's loss from "
            f"{len(register.lines)} risks ({PATHS:,} simulated years, seed {SEED})<br>as at "
            f"{register.uploaded_at_utc:%d %b %Y}: the {register.financial_year} risk register, {register.file_name} "
            f"(sha256 {register.sha256[:12]}…)",
        )
    return reserve_marks(code, current_targets(store, code), level)
