"""The Collection sheet's target in-year collection rate, as targets in the one targets store.

Why here: the rate is read and checked (0 to 100%) with its sheet in `finance.workbook`, but a target lives in
`finance.targets`, which the workbook layer cannot reach; the upload, above both, turns each stream's stated rate
into a target "at least N% by 31 March of the workbook's year", written in the upload's own transaction (withdrawing
the upload withdraws them). A target can be held only for a stream the targets catalogue names; a rate given for
any other stream is refused at its cell, so nothing is loaded and nothing is silently dropped.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from finance.errors import Problem
from finance.store import Tx
from finance.targets import CATALOGUE, STREAMS, NewTarget, add_targets, collection_key
from finance.workbook import SheetLines
from finance.years import start_year


def check_targets(sheets: list[SheetLines]) -> list[Problem]:
    """A target rate on a stream no target can be held for, named by its cell."""
    collection = next((s for s in sheets if s.spec.name == "Collection" and len(s)), None)
    if collection is None or "target_rate_pct" not in collection.columns:
        return []
    problems = []
    for stream, rate, row in zip(
        collection.columns["stream"], collection.columns["target_rate_pct"], collection.columns["sheet_row"],
        strict=True,
    ):  # fmt: skip
        if rate is not None and collection_key(str(stream)) not in CATALOGUE:
            problems.append(
                Problem(
                    collection.ref("target_rate_pct", int(row)),
                    f"a target collection rate can be held for {', '.join(STREAMS)}; {stream} has none: leave the "
                    "cell blank",
                    str(rate),
                )
            )
    return problems


def year_end(financial_year: str) -> date:
    return date(start_year(financial_year) + 1, 3, 31)


def write_targets(tx: Tx, authority_code: str, year: str, columns: dict[str, list[Any]], upload_id: int) -> None:
    """One target per stream whose rate the upload states (its latest period's), inside the upload's write."""
    latest: dict[str, tuple[int, float, int]] = {}
    for stream, rate, period, row in zip(
        columns["stream"], columns.get("target_rate_pct", []), columns["period"], columns["sheet_row"], strict=False
    ):
        if rate is not None and (stream not in latest or int(period) >= latest[stream][0]):
            latest[str(stream)] = (int(period), float(rate), int(row))
    if not latest:
        return
    streams = sorted(latest)
    targets = [NewTarget(collection_key(s), latest[s][1], "pct", "at_least", year_end(year)) for s in streams]
    add_targets(
        tx, authority_code, targets, via="collection_sheet", upload_id=upload_id,
        sheet_rows=[latest[s][2] for s in streams],
    )  # fmt: skip
