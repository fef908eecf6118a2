"""Targets a council sets itself — a value a series should reach by a date — and the one store that holds them.

Public surface: the catalogue of targetable series (`CATALOGUE`, `find_series`, `collection_key`, and the collection
rate of any income stream: `collection_series`, `series_of`), reading a
target from what a user typed (`read_target`, `NewTarget`), writing (`set_target`, `set_target_from_text`, and
`add_targets` inside an upload's write) and reading (`current_targets`, `target_history`) the store.
"""

from __future__ import annotations

from finance.targets.catalogue import (
    BASIS_WORDS,
    CATALOGUE,
    DIRECTION_WORDS,
    STREAMS,
    UNITS_WORDS,
    Direction,
    TargetSeries,
    Units,
    catalogue_rows,
    collection_key,
    collection_series,
    find_series,
    parse_direction,
    parse_units,
    series_of,
)
from finance.targets.model import (
    FIELDS,
    NewTarget,
    Target,
    date_text,
    parse_date,
    period_end,
    read_target,
    value_text,
    year_of,
)
from finance.targets.progress import NOT_JUDGED, OFF_TRACK, ON_TRACK, Progress, collection_projection, judge
from finance.targets.storage import (
    add_targets,
    current_targets,
    set_target,
    set_target_from_text,
    target_history,
)

__all__ = [
    "BASIS_WORDS",
    "CATALOGUE",
    "DIRECTION_WORDS",
    "FIELDS",
    "NOT_JUDGED",
    "OFF_TRACK",
    "ON_TRACK",
    "STREAMS",
    "UNITS_WORDS",
    "Direction",
    "NewTarget",
    "Progress",
    "Target",
    "TargetSeries",
    "Units",
    "add_targets",
    "catalogue_rows",
    "collection_key",
    "collection_projection",
    "collection_series",
    "current_targets",
    "date_text",
    "find_series",
    "judge",
    "parse_date",
    "parse_direction",
    "parse_units",
    "period_end",
    "read_target",
    "series_of",
    "set_target",
    "set_target_from_text",
    "target_history",
    "value_text",
    "year_of",
]
