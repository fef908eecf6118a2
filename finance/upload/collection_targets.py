"""The Collection sheet's target in-year collection rate, as targets in the one targets store.

Why here: the rate is read and checked (0 to 100%) with its sheet in `finance.workbook`, but a target lives in
`finance.targets`, which the workbook layer cannot reach; the upload, above both, turns each stream's stated rate
into a target "at least N% by 31 March of the workbook's year", written in the upload's own transaction (withdrawing
the upload withdraws them). The sheet takes any stream by name, and so does a target: a stream outside the usual six
("Parking penalty charges") gets a collection-rate series of its own, the stream's name stored with its target. Two
names that differ only in case or punctuation would be one series, so two such streams both stating a rate are
refused at their cells rather than one silently superseding the other.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from finance.errors import Problem
from finance.store import Tx
from finance.targets import NewTarget, add_targets, collection_key, collection_series
from finance.workbook import SheetLines
from finance.years import start_year

NO_KEY = "collection_rate_"  # the key of a name with no letter or digit in it


def check_targets(sheets: list[SheetLines]) -> list[Problem]:
    """Target rates that cannot be held as a stream's own target, each named by its cell: a stream named with no
    letter or digit, or two streams whose names differ only in case or punctuation."""
    collection = next((s for s in sheets if s.spec.name == "Collection" and len(s)), None)
    if collection is None or "target_rate_pct" not in collection.columns:
        return []
    problems: list[Problem] = []
    named: dict[str, str] = {}  # series key → the first stream name stating a rate for it
    for stream, rate, row in zip(
        collection.columns["stream"], collection.columns["target_rate_pct"], collection.columns["sheet_row"],
        strict=True,
    ):  # fmt: skip
        if rate is None:
            continue
        name, key, cell = str(stream).strip(), collection_key(str(stream)), collection.ref("target_rate_pct", int(row))
        if key == NO_KEY:
            problems.append(Problem(cell, f"a target needs a stream named with letters or digits, not {name!r}",
                                    str(rate)))  # fmt: skip
        elif named.setdefault(key, name) != name:
            problems.append(Problem(cell, f"{name} and {named[key]} differ only in case or punctuation, so their "
                                    "targets would be one: name the stream the same way on every row, or distinctly",
                                    str(rate)))  # fmt: skip
    return problems


def year_end(financial_year: str) -> date:
    return date(start_year(financial_year) + 1, 3, 31)


def write_targets(tx: Tx, authority_code: str, year: str, columns: dict[str, list[Any]], upload_id: int) -> None:
    """One target per stream whose rate the upload states (its latest period's), inside the upload's write; a
    stream outside the catalogue's six is stored under its own name."""
    latest: dict[str, tuple[int, float, int]] = {}
    for stream, rate, period, row in zip(
        columns["stream"], columns.get("target_rate_pct", []), columns["period"], columns["sheet_row"], strict=False
    ):
        name = str(stream).strip()
        if rate is not None and (name not in latest or int(period) >= latest[name][0]):
            latest[name] = (int(period), float(rate), int(row))
    if not latest:
        return
    streams = sorted(latest)
    targets = []
    for s in streams:
        series = collection_series(s)
        targets.append(NewTarget(series.key, latest[s][1], "pct", "at_least", year_end(year), stream=series.stream))
    add_targets(
        tx, authority_code, targets, via="collection_sheet", upload_id=upload_id,
        sheet_rows=[latest[s][2] for s in streams],
    )  # fmt: skip
