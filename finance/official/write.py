"""Writing a planned batch of official returns: the few set-based statements `finance.official.importer` runs.

Why apart from the planning: the plan decides what the batch does (which years go, which codes move, which
rows are new) and these functions only carry it out, one statement per table, so a batch of any size costs the
same handful of statements (see the importer's docstring for why that matters on DuckLake).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd

from finance.official.model import RA_BUDGET, RESERVES_DATASETS, ParsedReturn, ReturnAuthority
from finance.store import Tx, utc_now

KIND = "official"


@dataclass
class Written:
    """A file whose rows are to be inserted: its return, the key each E-code is stored under, its source_id."""

    ret: ParsedReturn
    codes: dict[str, str]
    source_id: int


def delete_years(tx: Tx, pairs: Sequence[tuple[str, str]]) -> None:
    """Remove these (year, dataset) rows (their old source_file rows stay as history): an RS/RA year's reserves
    and service lines, or an RSX/RO year's service lines."""
    if not pairs:
        return
    reserves = [(year, basis_of(dataset)) for year, dataset in pairs if dataset in RESERVES_DATASETS]
    if reserves:
        where = " OR ".join(["(financial_year = ? AND basis = ?)"] * len(reserves))
        params = [part for pair in reserves for part in pair]
        for table in ("official_value", "official_return"):
            tx.execute(f"DELETE FROM {table} WHERE {where}", params)
    where = " OR ".join(["(financial_year = ? AND dataset = ?)"] * len(pairs))
    params = [part for pair in pairs for part in pair]
    for table in ("service_value", "service_return"):
        tx.execute(f"DELETE FROM {table} WHERE {where}", params)


def basis_of(dataset: str) -> str:
    return RA_BUDGET[1] if dataset == RA_BUDGET[0] else "outturn"


def rekey(tx: Tx, ons_by_ecode: Mapping[str, str]) -> None:
    """Move stored rows from a bare E-code to the ONS code now known for it (values and returns; the authority
    rows are rewritten by `upsert_authorities`)."""
    if not ons_by_ecode:
        return
    params = [list(ons_by_ecode), list(ons_by_ecode.values())]
    mapping = "SELECT unnest($1::VARCHAR[]) AS ecode, unnest($2::VARCHAR[]) AS ons"
    for table in ("official_value", "official_return", "service_value", "service_return"):
        tx.execute(f"UPDATE {table} SET code = m.ons FROM ({mapping}) m WHERE {table}.code = m.ecode", params)


def insert_sources(tx: Tx, new: Sequence[tuple[ParsedReturn, int]]) -> None:
    """Record each newly seen file's provenance (one `source_file` row each, ids given by the plan)."""
    if not new:
        return
    tx.insert_df(
        "source_file",
        pd.DataFrame(
            {
                "source_id": [source_id for _, source_id in new],
                "kind": KIND,
                "file_name": [r.file_name for r, _ in new],
                "sha256": [r.sha256 for r, _ in new],
                "dataset": [r.dataset for r, _ in new],
                "financial_year": [r.financial_year for r, _ in new],
                "basis": [r.basis for r, _ in new],
                "publisher_note": pd.Series([r.publisher_note for r, _ in new], dtype=object),
                "loaded_at_utc": utc_now(),
                "loaded_by": tx.user,
            }
        ),
    )


def insert_returns(tx: Tx, written: Sequence[Written]) -> None:
    """One row per authority per file: `official_return` for RS/RA, `service_return` for RS, RSX and RO."""
    reserves = [(w, a) for w in written if w.ret.carries_reserves for a in w.ret.authorities]
    if reserves:
        tx.insert_df("official_return", _return_frame(reserves, "basis", lambda w: w.ret.basis))
    services = [(w, a) for w in written if w.ret.dataset != RA_BUDGET[0] for a in w.ret.authorities]
    if services:
        frame = _return_frame(services, "dataset", lambda w: w.ret.dataset)
        frame.insert(3, "basis", [w.ret.basis for w, _ in services])
        tx.insert_df("service_return", frame)


def _return_frame(
    authorities: Sequence[tuple[Written, ReturnAuthority]], key: str, key_of: Callable[[Written], str]
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": [w.codes[a.ecode] for w, a in authorities],
            "financial_year": [w.ret.financial_year for w, _ in authorities],
            key: [key_of(w) for w, _ in authorities],
            "class": [a.la_class for _, a in authorities],
            "name_published": [a.name for _, a in authorities],
            "certified": pd.Series([a.certified for _, a in authorities], dtype=object),
            "source_id": [w.source_id for w, _ in authorities],
        }
    )


def insert_values(tx: Tx, written: Sequence[Written]) -> None:
    """The official values (RS/RA) and the service lines of the batch, one INSERT each."""
    # value_gbp goes in as exact decimal text and is cast by DuckDB to DECIMAL(18,2) on insert, so no float
    # ever touches a published figure
    values = [(w, v) for w in written for v in w.ret.values]
    if values:
        frame = pd.DataFrame(
            {
                "code": _text([w.codes[v.ecode] for w, v in values]),
                "financial_year": _text([w.ret.financial_year for w, _ in values]),
                "basis": _text([w.ret.basis for w, _ in values]),
                "measure": _text([v.measure for _, v in values]),
                "point": _text([v.point for _, v in values]),
                "value_gbp": _decimal_text([v.value_gbp for _, v in values]),
                "published_text": _text([v.published_text for _, v in values]),
                "source_label": _text([v.source_label for _, v in values]),
                "source_id": [w.source_id for w, _ in values],
            }
        )
        tx.insert_df("official_value", frame)
    lines = [(w, v) for w in written for v in w.ret.service_values]
    if lines:
        frame = pd.DataFrame(
            {
                "code": _text([w.codes[v.ecode] for w, v in lines]),
                "financial_year": _text([w.ret.financial_year for w, _ in lines]),
                "dataset": _text([w.ret.dataset for w, _ in lines]),
                "basis": _text([w.ret.basis for w, _ in lines]),
                "line": _text([v.line for _, v in lines]),
                "measure": _text([v.measure for _, v in lines]),
                "value_gbp": _decimal_text([v.value_gbp for _, v in lines]),
                "published_text": _text([v.published_text for _, v in lines]),
                "source_label": _text([v.source_label for _, v in lines]),
                "asset_code": _text([v.asset_code for _, v in lines]),
                "source_id": [w.source_id for w, _ in lines],
            }
        )
        tx.insert_df("service_value", frame)


def _decimal_text(values: Sequence[Decimal | None]) -> pd.Series:
    return _text([None if v is None else str(v) for v in values])


def _text(values: Sequence[str | None]) -> pd.Series:
    """A text column as plain Python objects: pandas would otherwise infer its Arrow-backed `str` dtype, which
    costs a conversion building the frame and another when DuckDB scans it (about 0.7 s of CPU importing every
    return, for the 140,000 value rows)."""
    return pd.Series(values, dtype=object)


def upsert_authorities(tx: Tx, gone: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Replace the authority rows the batch changed (re-keyed, renamed, reclassed) and add the new ones."""
    if gone:
        tx.execute("DELETE FROM authority WHERE list_contains(?, code)", [list(gone)])
    if rows:
        columns = ["code", "ecode", "name", "class", "is_illustrative", "source_id"]
        frame = pd.DataFrame.from_records(list(rows), columns=columns)
        frame["ecode"] = frame["ecode"].astype(object)
        tx.insert_df("authority", frame)
