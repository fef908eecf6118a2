"""Writing statistical-neighbour files into the store, inside the official import's one transaction.

A file replaces every row of its model (NN, SN) or the whole DfE LA lookup; the same bytes twice change nothing
('unchanged'). The source_file row of a replaced file stays as history.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from finance.official.peer_files import ParsedPeerFile
from finance.store import Source, Store, Tx

_TABLE = {"NN": "peer_neighbour", "SN": "peer_neighbour", "lookup": "dfe_la_lookup"}


def held_peer_files(store: Store, sha256s: set[str]) -> dict[str, tuple[str, int, int]]:
    """sha256 → (dataset, authorities, rows) for each of these files whose rows are the ones held now."""
    if not sha256s:
        return {}
    rows = store.query(
        """SELECT s.sha256, s.dataset,
                  (SELECT count(DISTINCT authority_key) FROM peer_neighbour n WHERE n.source_id = s.source_id),
                  (SELECT count(*) FROM peer_neighbour n WHERE n.source_id = s.source_id),
                  (SELECT count(*) FROM dfe_la_lookup l WHERE l.source_id = s.source_id)
           FROM source_file s WHERE s.kind = 'official' AND list_contains(?, s.sha256)""",
        [sorted(sha256s)],
    )
    held: dict[str, tuple[str, int, int]] = {}
    for sha, dataset, authorities, neighbours, lookup in rows:
        if neighbours:
            held[str(sha)] = (str(dataset), int(authorities), int(neighbours))
        elif lookup:
            held[str(sha)] = (str(dataset), int(lookup), int(lookup))
    return held


def write_peer_files(tx: Tx, files: Sequence[ParsedPeerFile]) -> list[str]:
    """Write each file in turn (a later file of the same model wins); returns each one's status: 'imported',
    'replaced' (another file's rows were held for the model) or 'unchanged'."""
    statuses = []
    for f in files:
        table = _TABLE[f.model]
        where, params = ("model = ?", [f.model]) if table == "peer_neighbour" else ("true", [])
        held = {int(r[0]) for r in tx.query(f"SELECT DISTINCT source_id FROM {table} WHERE {where}", params)}
        existing = tx.query("SELECT source_id FROM source_file WHERE kind = 'official' AND sha256 = ?", [f.sha256])
        source_id = int(existing[0][0]) if existing else None
        if source_id is not None and held == {source_id}:
            statuses.append("unchanged")
            continue
        statuses.append("replaced" if held - {source_id} else "imported")
        if source_id is None:
            source_id = tx.add_source(
                Source(
                    kind="official",
                    file_name=f.file_name,
                    sha256=f.sha256,
                    dataset=f.dataset,
                    # source_file allows only the money bases; a published reference list is recorded as published
                    # (outturn), as the borrowing table is
                    basis="outturn",
                    publisher_note=f.publisher_note,
                )
            )
        tx.execute(f"DELETE FROM {table} WHERE {where}", params)
        tx.insert_df(table, _frame(f, source_id))
    return statuses


def _frame(f: ParsedPeerFile, source_id: int) -> pd.DataFrame:
    if f.model == "lookup":
        return pd.DataFrame(
            {
                "dfe_la_code": [r.dfe_la_code for r in f.lookup],
                "ons_code": [r.ons_code for r in f.lookup],
                "name": [r.name for r in f.lookup],
                "region_name": [r.region_name for r in f.lookup],
                "source_id": source_id,
            }
        )
    return pd.DataFrame(
        {
            "model": f.model,
            "authority_key": [n.authority_key for n in f.neighbours],
            "authority_name": [n.authority_name for n in f.neighbours],
            "neighbour_rank": [n.rank for n in f.neighbours],
            "neighbour_key": [n.neighbour_key for n in f.neighbours],
            "neighbour_name": [n.neighbour_name for n in f.neighbours],
            "closeness": [n.closeness for n in f.neighbours],
            "source_id": source_id,
        }
    )
