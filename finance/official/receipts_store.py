"""Writing the council tax receipts live table into the store, and reading it back for an authority and its peers.

The table is one running file: a newer file replaces every row (the older file's `source_file` row stays as
history), the same bytes again change nothing. Reads return £ as floats and keep a marker as missing (NaN), never
zero.
"""

from __future__ import annotations

import pandas as pd

from finance.official.receipts import DATASET, ParsedReceipts
from finance.store import Source, Store, Tx

KIND = "official"
BASIS = "outturn"  # receipts actually received in closed quarters: actuals, as an outturn is


def held_sha256(store: Store) -> str | None:
    """sha256 of the receipts file the store's rows come from (None when none is held)."""
    value = store.scalar(
        """SELECT s.sha256 FROM source_file s
           WHERE s.source_id = (SELECT max(source_id) FROM official_ct_receipts)"""
    )
    return None if value is None else str(value)


def write_receipts(tx: Tx, parsed: ParsedReceipts) -> str:
    """Replace the stored receipts with `parsed` inside `tx`; 'unchanged' when these bytes are already held,
    'replaced' when another file was, else 'imported'."""
    held = tx.query_one(
        """SELECT s.sha256 FROM source_file s
           WHERE s.source_id = (SELECT max(source_id) FROM official_ct_receipts)"""
    )
    if held is not None and held[0] == parsed.sha256:
        return "unchanged"
    note = f"quarterly receipts {min(r.financial_year for r in parsed.receipts)} to {parsed.latest_year}"
    source_id = tx.find_source(KIND, parsed.sha256) or tx.add_source(
        Source(KIND, parsed.file_name, parsed.sha256, DATASET, BASIS, None, note)
    )
    tx.execute("DELETE FROM official_ct_receipts")
    frame = pd.DataFrame(
        {
            "code": [r.code for r in parsed.receipts],
            "ecode": [r.ecode for r in parsed.receipts],
            "name_published": [r.name for r in parsed.receipts],
            "class": [r.la_class for r in parsed.receipts],
            "financial_year": [r.financial_year for r in parsed.receipts],
            "quarter": pd.array([r.quarter for r in parsed.receipts], dtype="int32"),
            "receipts_gbp": pd.array(
                [None if r.receipts_gbp is None else str(r.receipts_gbp) for r in parsed.receipts], dtype=object
            ),
            "published_text": pd.array([r.published_text for r in parsed.receipts], dtype=object),
            "source_id": source_id,
        }
    )
    tx.insert_df("official_ct_receipts", frame)
    return "replaced" if held is not None else "imported"


def ct_receipts(store: Store, codes: list[str]) -> pd.DataFrame:
    """Quarterly receipts of `codes`: code, class, financial_year, quarter, receipts_gbp (float £, NaN when not
    published), published_text, file_name, sha256. Empty when the table is not held."""
    return store.query_df(
        """SELECT r.code, r.class, r.financial_year, r.quarter, CAST(r.receipts_gbp AS DOUBLE) AS receipts_gbp,
                  r.published_text, s.file_name, s.sha256
           FROM official_ct_receipts r JOIN source_file s USING (source_id)
           WHERE r.code IN (SELECT unnest(?::VARCHAR[]))
           ORDER BY r.code, r.financial_year, r.quarter""",
        [codes],
    )
