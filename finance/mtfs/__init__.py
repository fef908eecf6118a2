"""The council's approved MTFS (issue 10): uploaded as an `MTFS` sheet, kept as versions, scenarios measured
against it.

Loading goes through `finance.upload` (the same reader, validation, atomic write and history as monitoring); this
package holds what is specific to the MTFS: its series checks, its versions and the comparisons. The public surface is
re-exported here; the modules behind it are free to change.
"""

from __future__ import annotations

from finance.mtfs.checks import MtfsDraft, check_mtfs
from finance.mtfs.compare import (
    approved_plan,
    difference_by_year,
    difference_table,
    scenarios_against,
    starting_scenario,
    versions_list,
    versions_table,
)
from finance.mtfs.demand_seed import uploaded_demand
from finance.mtfs.queries import MtfsSeries, MtfsVersion, all_series, latest_series, list_versions, mtfs_series
from finance.mtfs.storage import insert_version
from finance.mtfs.views import versions_chart, versions_panel

__all__ = [
    "MtfsDraft",
    "MtfsSeries",
    "MtfsVersion",
    "all_series",
    "approved_plan",
    "check_mtfs",
    "difference_by_year",
    "difference_table",
    "insert_version",
    "latest_series",
    "list_versions",
    "mtfs_series",
    "scenarios_against",
    "starting_scenario",
    "uploaded_demand",
    "versions_chart",
    "versions_list",
    "versions_panel",
    "versions_table",
]
