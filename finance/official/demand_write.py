"""Loading parsed demand files into the store, inside the official import's one transaction.

Why by (metric, as-at point): a file replaces exactly the points it carries — a new H-CLIC quarter adds a quarter
and leaves the others; a revised CLA release replaces the years it republishes. The file that held a point before
stays in `source_file` as history. The same bytes again change nothing ('unchanged'), checked without reading the
file: `demand_file` records how many rows each file gave each point, so a file is the loaded copy when every point
it gave is still held from it, row for row.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from finance.official.demand_model import ENGLAND, METRICS_BY_KEY, ParsedDemand
from finance.store import Tx, utc_now

KIND = "official"
#: `source_file.basis` admits the revenue bases only; a published statistic of what happened is recorded as
#: outturn there, and each value carries its own basis ('official count', 'official rate', …) in demand_value.
SOURCE_BASIS = "outturn"

_UNCHANGED_SQL = """
    SELECT s.sha256, s.dataset, any_value(s.publisher_note) AS note,
           sum(f.row_count) AS rows,
           bool_and(f.row_count = (SELECT count(*) FROM demand_value v WHERE v.source_id = f.source_id
                                   AND v.metric = f.metric AND v.period_end = f.period_end)) AS held
    FROM source_file s JOIN demand_file f USING (source_id)
    WHERE s.kind = ? AND list_contains(?, s.sha256)
    GROUP BY s.sha256, s.dataset"""


_POINT = "metric || '|' || strftime(period_end, '%Y-%m-%d') IN (SELECT unnest(?::VARCHAR[]))"


def unchanged_demand(tx_or_store: object, sha256s: set[str]) -> dict[str, tuple[str, int, str]]:
    """sha256 → (dataset, rows, 'as at …') for the files whose exact bytes are the loaded copy of every point they
    carry. `tx_or_store` is a `Store` or `Tx` (anything with `query`)."""
    if not sha256s:
        return {}
    rows = tx_or_store.query(_UNCHANGED_SQL, [KIND, sorted(sha256s)])  # type: ignore[attr-defined]
    return {str(r[0]): (str(r[1]), int(r[3]), str(r[2] or "")) for r in rows if r[4]}


def write_demand(tx: Tx, files: Sequence[ParsedDemand]) -> list[str]:
    """Write `files` (in order; a later file's point replaces an earlier one's) inside `tx`; one status per file:
    'imported', 'replaced' (some of its points were held from another file) or 'unchanged'."""
    statuses: list[str] = []
    held = unchanged_demand(tx, {f.sha256 for f in files})
    for parsed in files:
        if parsed.sha256 in held:
            statuses.append("unchanged")
            continue
        periods = parsed.periods()
        keys = [(m, d) for m, d in periods]
        metrics = [m for m, _ in keys]
        ends = [d for _, d in keys]
        points = [f"{m}|{d.isoformat()}" for m, d in keys]
        source_id = _source(tx, parsed)
        before = tx.query_one(
            f"SELECT count(*) FROM demand_value WHERE {_POINT} AND source_id <> ?", [points, source_id]
        )
        replaced = bool(before and before[0])
        tx.execute(f"DELETE FROM demand_value WHERE {_POINT}", [points])
        tx.execute("DELETE FROM demand_file WHERE source_id = ?", [source_id])
        tx.insert_df(
            "demand_file",
            pd.DataFrame(
                {
                    "source_id": source_id,
                    "metric": pd.Series(metrics, dtype=object),
                    "period_end": pd.to_datetime(pd.Series(ends)).dt.date,
                    "row_count": [periods[k] for k in keys],
                }
            ),
        )
        tx.insert_df("demand_value", _frame(parsed, source_id))
        statuses.append("replaced" if replaced else "imported")
    return statuses


def _source(tx: Tx, parsed: ParsedDemand) -> int:
    row = tx.query_one("SELECT source_id FROM source_file WHERE kind = ? AND sha256 = ?", [KIND, parsed.sha256])
    if row is not None:
        return int(row[0])
    source_id = tx.next_id("source_file", "source_id")
    tx.insert_df(
        "source_file",
        pd.DataFrame(
            {
                "source_id": [source_id],
                "kind": KIND,
                "file_name": [parsed.file_name],
                "sha256": [parsed.sha256],
                "dataset": [parsed.dataset],
                "financial_year": pd.Series([None], dtype=object),
                "basis": SOURCE_BASIS,
                "publisher_note": pd.Series([f"as at {parsed.latest_label()}"], dtype=object),
                "loaded_at_utc": utc_now(),
                "loaded_by": tx.user,
            }
        ),
    )
    return source_id


def _frame(parsed: ParsedDemand, source_id: int) -> pd.DataFrame:
    values = parsed.values
    return pd.DataFrame(
        {
            "code": pd.Series([v.code for v in values], dtype=object),
            "name_published": pd.Series([v.name for v in values], dtype=object),
            "metric": pd.Series([v.metric for v in values], dtype=object),
            "period_end": pd.Series([v.period_end for v in values], dtype=object),
            "period_label": pd.Series([v.period_label for v in values], dtype=object),
            "basis": pd.Series([METRICS_BY_KEY[v.metric].basis for v in values], dtype=object),
            "definition": pd.Series([v.definition for v in values], dtype=object),
            "value": pd.Series([v.value for v in values], dtype="float64"),
            "published_text": pd.Series([v.published_text for v in values], dtype=object),
            "source_id": source_id,
        }
    )


def authorities_in(parsed: ParsedDemand) -> int:
    """How many authorities (England not counted) a file has figures or markers for."""
    return len({v.code for v in parsed.values if v.code != ENGLAND})
