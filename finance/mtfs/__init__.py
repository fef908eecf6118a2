"""The council's approved MTFS (issue 10): uploaded as an `MTFS` sheet, kept as versions, scenarios measured
against it.

Loading goes through `finance.monitoring` (the same reader, validation, atomic write and history); this package
holds what is specific to the MTFS: its series checks, its versions and the comparisons. The public surface is
re-exported here; the modules behind it are free to change.
"""

from __future__ import annotations

from finance.mtfs.compare import (
    approved_plan,
    difference_by_year,
    difference_table,
    scenarios_against,
    starting_scenario,
    versions_list,
    versions_table,
)
from finance.mtfs.queries import MtfsSeries, MtfsVersion, all_series, latest_series, list_versions, mtfs_series
from finance.mtfs.views import versions_chart, versions_panel

__all__ = [
    "MtfsSeries",
    "MtfsVersion",
    "all_series",
    "approved_plan",
    "difference_by_year",
    "difference_table",
    "latest_series",
    "list_versions",
    "mtfs_series",
    "scenarios_against",
    "starting_scenario",
    "versions_chart",
    "versions_list",
    "versions_panel",
    "versions_table",
]
