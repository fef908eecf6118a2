"""The council's own marks on a scenario's reserves trajectory: its reserve targets and its risk-based minimum.

Why here: the trajectory projects three balances at each 31 March — the general fund (unallocated), earmarked and
usable reserves (unallocated + earmarked) — of the definitions the official returns use (a scenario starts from
them). A council target on one of those series is drawn against that line alone, naming it, so a general fund
target is never read against usable reserves; % targets (reserves as % of net revenue expenditure) are not drawn
on a chart in £m. The risk-based minimum (the 90th percentile of a year's simulated loss from the risk register,
`finance.reserves`) is a floor for the general fund balance, so it is drawn as the general fund's. Marks are drawn
only on a scenario written for the council whose targets they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from finance.targets import Target

# target series → (the trajectory's line it is drawn against, the series in words on the chart)
LINE_OF_SERIES: dict[str, tuple[str, str]] = {
    "unallocated_reserves": ("Unallocated (general fund)", "general fund balance"),
    "earmarked_reserves": ("Earmarked", "earmarked reserves"),
    "usable_reserves": ("Usable reserves", "usable reserves"),
}


@dataclass(frozen=True)
class Level:
    """A level that is not a target but is read like one: its value in £m, its label, and its hover (as at, from
    what)."""

    value_gbp_m: float
    label: str
    hover: str


@dataclass(frozen=True)
class ReserveMarks:
    """The council's reserve targets (only those drawn on the trajectory) and its risk-based minimum, if any."""

    authority_code: str
    targets: tuple[Target, ...] = ()
    risk_minimum: Level | None = None

    def for_authority(self, code: str | None) -> ReserveMarks | None:
        """These marks when the scenario is written for `code`, the council whose marks they are; else None."""
        return self if code == self.authority_code and (self.targets or self.risk_minimum) else None


def reserve_marks(code: str, targets: Mapping[str, Target], risk_minimum: Level | None = None) -> ReserveMarks:
    """The marks from the council's current `targets` (by series key): those on a balance the trajectory draws,
    in the trajectory's order (usable, general fund, earmarked)."""
    order = ("usable_reserves", "unallocated_reserves", "earmarked_reserves")
    return ReserveMarks(code, tuple(targets[k] for k in order if k in targets), risk_minimum)
