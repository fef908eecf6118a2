"""Load parsed official returns into the store: one file, one transaction.

Why here and not in the readers: reading is pure and may fail on any file; writing must be all-or-nothing per
file, idempotent (the same bytes twice change nothing), replace a year when a different file for the same
(financial year, basis) arrives, and key authorities by ONS code even for the 2010-14 files that only give
MHCLG E-codes (learnt from the database or from newer files in the same batch, with rows re-keyed when a
later import learns a code).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from finance.errors import InputError, Problem
from finance.official.model import ONS_RE, ParsedReturn
from finance.official.reader import RECOGNISED_SUFFIXES, read_return
from finance.store import Source, Store, Tx, sha256_file

KIND = "official"


@dataclass(frozen=True)
class ImportReport:
    """What happened to one file: 'imported', 'replaced' (a different file held that year), 'unchanged' (these
    exact bytes are already the loaded copy) or 'skipped' (found in a folder but not a return; see `note`).
    `authorities` and `rows` count what the file holds (authorities on the return, official values)."""

    file_name: str
    sha256: str
    financial_year: str | None
    dataset: str | None
    basis: str | None
    authorities: int
    rows: int
    status: str
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def import_paths(store: Store, paths: Sequence[Path], *, user: str = "local") -> list[ImportReport]:
    """Import official RS/RA returns from files and folders (folders: their .xls/.xlsx/.ods/.csv files).

    Every file is read before anything is written; a file named explicitly that is not a usable return
    raises `InputError` naming it (and nothing is written), while files in a folder that are not returns are
    reported as 'skipped'. Files are then written newest year first, each in its own transaction, so ONS
    codes learnt from newer files key the older ones. Returns one report per file, in the order written,
    followed by the skipped ones.
    """
    parsed: list[ParsedReturn] = []
    current: list[ImportReport] = []
    skipped: list[ImportReport] = []
    problems: list[Problem] = []
    for path in map(Path, paths):
        if path.is_dir():
            for child in sorted(p for p in path.iterdir() if p.is_file()):
                if child.suffix.lower() not in RECOGNISED_SUFFIXES:
                    skipped.append(_skipped(child, "not a spreadsheet or CSV"))
                elif (report := _unchanged(store, child)) is not None:
                    current.append(report)
                else:
                    try:
                        parsed.append(read_return(child))
                    except InputError as err:
                        skipped.append(_skipped(child, "; ".join(p.message for p in err.problems)))
        elif path.is_file():
            if (report := _unchanged(store, path)) is not None:
                current.append(report)
                continue
            try:
                parsed.append(read_return(path))
            except InputError as err:
                problems.extend(err.problems)
        else:
            problems.append(Problem(str(path), "no such file or folder"))
    if problems:
        raise InputError(problems, summary="official returns refused; nothing was imported")

    parsed.sort(key=lambda r: r.financial_year, reverse=True)
    batch_ons: dict[str, str] = {}
    for ret in parsed:
        for ecode, ons in ret.ons_by_ecode().items():
            batch_ons.setdefault(ecode, ons)
    reports = [store.write(partial(write_return, ret=ret, batch_ons=batch_ons), user=user) for ret in parsed]
    reports.extend(current)
    reports.sort(key=lambda r: r.financial_year or "", reverse=True)
    return reports + skipped


def _unchanged(store: Store, path: Path) -> ImportReport | None:
    """The report for a file whose exact bytes are already the loaded copy of their year, read from the
    database without parsing the file again (re-running an import of a whole folder stays cheap)."""
    sha256 = sha256_file(path)
    row = store.query_one(
        """SELECT s.financial_year, s.dataset, s.basis,
                  (SELECT count(*) FROM official_return r WHERE r.source_id = s.source_id),
                  (SELECT count(*) FROM official_value v WHERE v.source_id = s.source_id)
           FROM source_file s
           WHERE s.kind = ? AND s.sha256 = ?
             AND NOT EXISTS (SELECT 1 FROM official_return o WHERE o.financial_year = s.financial_year
                             AND o.basis = s.basis AND o.source_id <> s.source_id)""",
        [KIND, sha256],
    )
    if row is None or not row[3]:
        return None
    year, dataset, basis, authorities, rows = row
    return ImportReport(path.name, sha256, year, dataset, basis, int(authorities), int(rows), "unchanged")


def _skipped(path: Path, why: str) -> ImportReport:
    return ImportReport(path.name, sha256_file(path), None, None, None, 0, 0, "skipped", why)


def write_return(tx: Tx, ret: ParsedReturn, batch_ons: Mapping[str, str]) -> ImportReport:
    """Write one parsed return inside `tx` (the caller's single transaction)."""
    existing = tx.find_source(KIND, ret.sha256)
    current = {
        int(r[0])
        for r in tx.query(
            "SELECT DISTINCT source_id FROM official_return WHERE financial_year = ? AND basis = ?",
            [ret.financial_year, ret.basis],
        )
    }
    if existing is not None and current == {existing}:
        return _report(ret, "unchanged")
    status = "replaced" if current else "imported"
    delete_year(tx, ret.financial_year, ret.basis)
    source_id = existing
    if source_id is None:
        source_id = tx.add_source(
            Source(
                kind=KIND,
                file_name=ret.file_name,
                sha256=ret.sha256,
                dataset=ret.dataset,
                basis=ret.basis,
                financial_year=ret.financial_year,
                publisher_note=ret.publisher_note,
            )
        )
    codes = resolve_codes(tx, ret, batch_ons)
    rekey(tx, {e: c for e, c in codes.items() if c != e})
    newest = newest_years(tx)
    insert_returns(tx, ret, codes, source_id)
    insert_values(tx, ret, codes, source_id)
    upsert_authorities(tx, ret, codes, source_id, newest)
    return _report(ret, status)


def _report(ret: ParsedReturn, status: str) -> ImportReport:
    return ImportReport(
        file_name=ret.file_name,
        sha256=ret.sha256,
        financial_year=ret.financial_year,
        dataset=ret.dataset,
        basis=ret.basis,
        authorities=len(ret.authorities),
        rows=len(ret.values),
        status=status,
    )


def delete_year(tx: Tx, financial_year: str, basis: str) -> None:
    """Remove a year's rows (the old source_file row stays as history)."""
    for table in ("official_value", "official_return"):
        tx.execute(f"DELETE FROM {table} WHERE financial_year = ? AND basis = ?", [financial_year, basis])


def resolve_codes(tx: Tx, ret: ParsedReturn, batch_ons: Mapping[str, str]) -> dict[str, str]:
    """E-code → the key to store under: the file's ONS code, else one learnt from newer files in this batch or
    from the authority table, else the bare E-code."""
    # an E-code can sit on two ONS-coded rows (the publisher gave North Yorkshire two codes over the years):
    # the row seen in the newest return wins, as it would within a batch
    rows = tx.query(
        """SELECT a.ecode, a.code FROM authority a
           LEFT JOIN (SELECT code, max(financial_year) AS newest FROM official_return GROUP BY code) r USING (code)
           WHERE a.ecode IS NOT NULL AND NOT a.is_illustrative
           ORDER BY r.newest NULLS FIRST, a.code"""
    )
    known = {str(e): str(c) for e, c in rows if ONS_RE.match(str(c))}
    return {a.ecode: a.ons_code or batch_ons.get(a.ecode) or known.get(a.ecode) or a.ecode for a in ret.authorities}


def rekey(tx: Tx, ons_by_ecode: Mapping[str, str]) -> None:
    """Move rows stored under a bare E-code to the ONS code now known for it (values, returns, authority)."""
    stored = {str(r[0]) for r in tx.query("SELECT code FROM authority WHERE length(code) = 5")}
    pairs = {e: o for e, o in ons_by_ecode.items() if e in stored}
    if not pairs:
        return
    params = [list(pairs), list(pairs.values())]
    mapping = "SELECT unnest($1::VARCHAR[]) AS ecode, unnest($2::VARCHAR[]) AS ons"
    for table in ("official_value", "official_return"):
        tx.execute(f"UPDATE {table} SET code = m.ons FROM ({mapping}) m WHERE {table}.code = m.ecode", params)
    # an authority already stored under its ONS code keeps that row; the E-code row goes
    tx.execute(
        f"DELETE FROM authority WHERE code IN (SELECT m.ecode FROM ({mapping}) m JOIN authority a ON a.code = m.ons)",
        params,
    )
    tx.execute(
        f"UPDATE authority SET code = m.ons, ecode = m.ecode FROM ({mapping}) m WHERE authority.code = m.ecode",
        params,
    )


def newest_years(tx: Tx) -> dict[str, str]:
    """Each authority's newest financial year on any official return already stored."""
    return {str(c): str(y) for c, y in tx.query("SELECT code, max(financial_year) FROM official_return GROUP BY 1")}


def insert_returns(tx: Tx, ret: ParsedReturn, codes: Mapping[str, str], source_id: int) -> None:
    frame = pd.DataFrame(
        {
            "code": [codes[a.ecode] for a in ret.authorities],
            "financial_year": ret.financial_year,
            "basis": ret.basis,
            "class": [a.la_class for a in ret.authorities],
            "name_published": [a.name for a in ret.authorities],
            "certified": [a.certified for a in ret.authorities],
            "source_id": source_id,
        }
    )
    tx.insert_df("official_return", frame)


def insert_values(tx: Tx, ret: ParsedReturn, codes: Mapping[str, str], source_id: int) -> None:
    # value_gbp goes in as exact decimal text and is cast by DuckDB to DECIMAL(18,2) on insert, so no float
    # ever touches a published figure
    frame = pd.DataFrame(
        {
            "code": [codes[v.ecode] for v in ret.values],
            "financial_year": ret.financial_year,
            "basis": ret.basis,
            "measure": [v.measure for v in ret.values],
            "point": [v.point for v in ret.values],
            "value_gbp": pd.Series(
                [None if v.value_gbp is None else str(v.value_gbp) for v in ret.values], dtype=object
            ),
            "published_text": pd.Series([v.published_text for v in ret.values], dtype=object),
            "source_label": [v.source_label for v in ret.values],
            "source_id": source_id,
        }
    )
    tx.insert_df("official_value", frame)


def upsert_authorities(
    tx: Tx, ret: ParsedReturn, codes: Mapping[str, str], source_id: int, newest: Mapping[str, str]
) -> None:
    """Add authorities first seen here; refresh name/class/E-code where this is their newest year so far."""
    stored = {str(r[0]) for r in tx.query("SELECT code FROM authority")}
    fresh = [a for a in ret.authorities if codes[a.ecode] not in stored]
    newer = [
        a for a in ret.authorities if codes[a.ecode] in stored and ret.financial_year >= newest.get(codes[a.ecode], "")
    ]
    if fresh:
        tx.insert_df(
            "authority",
            pd.DataFrame(
                {
                    "code": [codes[a.ecode] for a in fresh],
                    "ecode": [a.ecode for a in fresh],
                    "name": [a.name for a in fresh],
                    "class": [a.la_class for a in fresh],
                    "is_illustrative": False,
                    "source_id": source_id,
                }
            ),
        )
    if newer:
        tx.execute(
            """UPDATE authority SET ecode = n.ecode, name = n.name, class = n.cls, source_id = $1
               FROM (SELECT unnest($2::VARCHAR[]) AS code, unnest($3::VARCHAR[]) AS ecode,
                            unnest($4::VARCHAR[]) AS name, unnest($5::VARCHAR[]) AS cls) n
               WHERE authority.code = n.code""",
            [
                source_id,
                [codes[a.ecode] for a in newer],
                [a.ecode for a in newer],
                [a.name for a in newer],
                [a.la_class for a in newer],
            ],
        )
