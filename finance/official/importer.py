"""Load parsed official returns into the store: one batch of files, one transaction.

Why here and not in the readers: reading is pure and may fail on any file; writing must be all-or-nothing,
idempotent (the same bytes twice change nothing), replace a year when a different file for the same
(financial year, basis) arrives, and key authorities by ONS code even for the 2010-14 files that only give
MHCLG E-codes (learnt from the database or from newer files in the same batch, with rows re-keyed when a
later import learns a code).

Why a batch is planned in Python and written with a handful of statements: on a DuckLake store every statement
costs catalog round trips to PostgreSQL for each table it names, so writing file by file (about fifteen
statements each, and a commit with its constraint re-check per file) made an import of every return three times
slower than on a DuckDB file. So the batch reads the little it needs once (authorities, which returns are held,
which files are known), works out file by file, newest year first, exactly what writing them one after another
would do (`_Plan`), and then writes the outcome: one DELETE per table for the years replaced, one re-keying
UPDATE per table, one INSERT per table and one authority upsert, however many files there are. The whole batch
is one transaction, so an import that fails or is killed half way leaves none of it behind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from finance.errors import InputError, Problem
from finance.official.model import ONS_RE, ParsedReturn
from finance.official.reader import RECOGNISED_SUFFIXES, read_return
from finance.store import Store, Tx, sha256_file, utc_now

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
    reported as 'skipped'. Files whose exact bytes are already the loaded copy are found with one query and not
    read again. The rest are written in one transaction (all of them or, on any failure, none), newest year
    first, so ONS codes learnt from newer files key the older ones. Returns one report per file, newest year
    first (files of the same year in the order given), followed by the skipped ones.
    """
    found: list[tuple[Path, bool] | ImportReport] = []  # (file, named explicitly) or a skipped report, in order
    problems: list[Problem] = []
    for path in map(Path, paths):
        if path.is_dir():
            for child in sorted(p for p in path.iterdir() if p.is_file()):
                if child.suffix.lower() in RECOGNISED_SUFFIXES:
                    found.append((child, False))
                else:
                    found.append(_skipped(child, "not a spreadsheet or CSV"))
        elif path.is_file():
            found.append((path, True))
        else:
            problems.append(Problem(str(path), "no such file or folder"))
    hashes = {item[0]: sha256_file(item[0]) for item in found if isinstance(item, tuple)}
    loaded = _unchanged(store, set(hashes.values()))

    parsed: list[ParsedReturn] = []
    current: list[ImportReport] = []
    skipped: list[ImportReport] = []
    for item in found:
        if isinstance(item, ImportReport):
            skipped.append(item)
            continue
        path, explicit = item
        if (held := loaded.get(hashes[path])) is not None:
            current.append(ImportReport(path.name, hashes[path], *held, status="unchanged"))
            continue
        try:
            parsed.append(read_return(path))
        except InputError as err:
            if explicit:
                problems.extend(err.problems)
            else:
                skipped.append(_skipped(path, "; ".join(p.message for p in err.problems)))
    if problems:
        raise InputError(problems, summary="official returns refused; nothing was imported")

    parsed.sort(key=lambda r: r.financial_year, reverse=True)
    reports = store.write(partial(write_returns, rets=parsed), user=user) if parsed else []
    reports.extend(current)
    reports.sort(key=lambda r: r.financial_year or "", reverse=True)
    return reports + skipped


def _unchanged(store: Store, sha256s: set[str]) -> dict[str, tuple[str, str, str, int, int]]:
    """sha256 → (year, dataset, basis, authorities, rows) for each of these files whose exact bytes are already
    the loaded copy of their year, in one query and without parsing the files again (re-running an import of a
    whole folder stays cheap)."""
    if not sha256s:
        return {}
    rows = store.query(
        """SELECT s.sha256, s.financial_year, s.dataset, s.basis,
                  (SELECT count(*) FROM official_return r WHERE r.source_id = s.source_id),
                  (SELECT count(*) FROM official_value v WHERE v.source_id = s.source_id)
           FROM source_file s
           WHERE s.kind = ? AND list_contains(?, s.sha256)
             AND NOT EXISTS (SELECT 1 FROM official_return o WHERE o.financial_year = s.financial_year
                             AND o.basis = s.basis AND o.source_id <> s.source_id)""",
        [KIND, sorted(sha256s)],
    )
    return {str(sha): (year, dataset, basis, int(n), int(m)) for sha, year, dataset, basis, n, m in rows if n}


def _skipped(path: Path, why: str) -> ImportReport:
    return ImportReport(path.name, sha256_file(path), None, None, None, 0, 0, "skipped", why)


# -- planning a batch -------------------------------------------------------------------------------------------


@dataclass
class _Authority:
    code: str
    ecode: str | None
    name: str
    la_class: str
    is_illustrative: bool
    source_id: int

    def row(self) -> tuple[Any, ...]:
        return (self.code, self.ecode, self.name, self.la_class, self.is_illustrative, self.source_id)


@dataclass
class _Written:
    """A file whose rows are to be inserted: its return, the key each E-code is stored under, its source_id."""

    ret: ParsedReturn
    codes: dict[str, str]
    source_id: int


@dataclass
class _Plan:
    """The database as writing the batch's files one after another would leave it, worked out in memory from
    one read of each table the writes depend on (see the module docstring). Only what the importer touches is
    modelled: authorities, which source holds each official return, the official files already known."""

    authorities: dict[str, _Authority]
    held: dict[tuple[str, str], dict[str, int]]  # (year, basis) -> code -> source_id, as official_return holds
    sources: dict[str, int]  # sha256 -> source_id of the official files known
    next_source_id: int
    before: dict[str, tuple[Any, ...]] = field(default_factory=dict)  # authority rows as read
    new_sources: list[tuple[ParsedReturn, int]] = field(default_factory=list)
    replaced: list[tuple[str, str]] = field(default_factory=list)  # (year, basis) whose stored rows go
    rekeyed: dict[str, str] = field(default_factory=dict)  # stored E-code -> ONS code, for rows kept
    written: dict[tuple[str, str], _Written] = field(default_factory=dict)

    @classmethod
    def read(cls, tx: Tx) -> _Plan:
        authorities = {
            str(row[0]): _Authority(str(row[0]), row[1], str(row[2]), str(row[3]), bool(row[4]), int(row[5]))
            for row in tx.query("SELECT code, ecode, name, class, is_illustrative, source_id FROM authority")
        }
        held: dict[tuple[str, str], dict[str, int]] = {}
        for code, year, basis, source_id in tx.query(
            "SELECT code, financial_year, basis, source_id FROM official_return"
        ):
            held.setdefault((str(year), str(basis)), {})[str(code)] = int(source_id)
        sources: dict[str, int] = {}
        top = 0
        for source_id, kind, sha256 in tx.query("SELECT source_id, kind, sha256 FROM source_file"):
            top = max(top, int(source_id))
            if kind == KIND:
                sources[str(sha256)] = int(source_id)
        plan = cls(authorities, held, sources, top + 1)
        plan.before = {code: a.row() for code, a in authorities.items()}
        return plan

    def add(self, ret: ParsedReturn, batch_ons: Mapping[str, str]) -> str:
        """Take in one file as if written now, after those added before it; returns its status."""
        pair = (ret.financial_year, ret.basis)
        existing = self.sources.get(ret.sha256)
        current = set(self.held.get(pair, {}).values())
        if existing is not None and current == {existing}:
            return "unchanged"
        status = "replaced" if current else "imported"
        self.held.pop(pair, None)  # the year's rows go (the old source_file row stays as history)
        self.written.pop(pair, None)
        if pair not in self.replaced:
            self.replaced.append(pair)
        source_id = existing
        if source_id is None:
            source_id = self.next_source_id
            self.next_source_id += 1
            self.sources[ret.sha256] = source_id
            self.new_sources.append((ret, source_id))
        codes = self.resolve_codes(ret, batch_ons)
        self.rekey({e: c for e, c in codes.items() if c != e})
        newest = self.newest_years()
        self.held[pair] = {codes[a.ecode]: source_id for a in ret.authorities}
        self.written[pair] = _Written(ret, codes, source_id)
        self.upsert_authorities(ret, codes, source_id, newest)
        return status

    def resolve_codes(self, ret: ParsedReturn, batch_ons: Mapping[str, str]) -> dict[str, str]:
        """E-code → the key to store under: the file's ONS code, else one learnt from newer files in this batch
        or from the authority table, else the bare E-code."""
        # an E-code can sit on two ONS-coded rows (the publisher gave North Yorkshire two codes over the years):
        # the row seen in the newest return wins, as it would within a batch
        newest = self.newest_years()
        rows = sorted(
            (a for a in self.authorities.values() if a.ecode is not None and not a.is_illustrative),
            key=lambda a: (a.code in newest, newest.get(a.code, ""), a.code),
        )
        known = {str(a.ecode): a.code for a in rows if ONS_RE.match(a.code)}
        return {a.ecode: a.ons_code or batch_ons.get(a.ecode) or known.get(a.ecode) or a.ecode for a in ret.authorities}

    def rekey(self, ons_by_ecode: Mapping[str, str]) -> None:
        """Move what is stored under a bare E-code to the ONS code now known for it (returns, values, authority)."""
        pairs = {e: o for e, o in ons_by_ecode.items() if e in self.authorities and len(e) == 5}
        if not pairs:
            return
        for codes in self.held.values():
            for ecode in pairs.keys() & codes.keys():
                codes[pairs[ecode]] = codes.pop(ecode)
        for written in self.written.values():
            written.codes = {e: pairs.get(c, c) for e, c in written.codes.items()}
        self.rekeyed = {e: pairs.get(o, o) for e, o in self.rekeyed.items()} | pairs
        for ecode, ons in pairs.items():
            # an authority already stored under its ONS code keeps that row; the E-code row goes
            row = self.authorities.pop(ecode)
            if ons not in self.authorities:
                row.code, row.ecode = ons, ecode
                self.authorities[ons] = row

    def newest_years(self) -> dict[str, str]:
        """Each authority's newest financial year on any official return held."""
        newest: dict[str, str] = {}
        for (year, _basis), codes in self.held.items():
            for code in codes:
                if year > newest.get(code, ""):
                    newest[code] = year
        return newest

    def upsert_authorities(
        self, ret: ParsedReturn, codes: Mapping[str, str], source_id: int, newest: Mapping[str, str]
    ) -> None:
        """Add authorities first seen here; refresh name/class/E-code where this is their newest year so far."""
        stored = set(self.authorities)
        for a in ret.authorities:
            code = codes[a.ecode]
            if code not in stored:
                self.authorities[code] = _Authority(code, a.ecode, a.name, a.la_class, False, source_id)
            elif ret.financial_year >= newest.get(code, ""):
                row = self.authorities[code]
                row.ecode, row.name, row.la_class, row.source_id = a.ecode, a.name, a.la_class, source_id

    def changed_authorities(self) -> tuple[list[str], list[tuple[Any, ...]]]:
        """(codes whose stored row goes or changes, the rows to store in their place)."""
        after = {code: a.row() for code, a in self.authorities.items()}
        gone = [code for code, row in self.before.items() if after.get(code) != row]
        new = [row for code, row in after.items() if self.before.get(code) != row]
        return gone, new


# -- writing a batch -------------------------------------------------------------------------------------------


def write_returns(tx: Tx, rets: Sequence[ParsedReturn]) -> list[ImportReport]:
    """Write parsed returns (newest year first) inside `tx` (the caller's single transaction), as writing each in
    turn would; one report per return, in that order."""
    batch_ons: dict[str, str] = {}
    for ret in rets:
        for ecode, ons in ret.ons_by_ecode().items():
            batch_ons.setdefault(ecode, ons)
    plan = _Plan.read(tx)
    reports = [_report(ret, plan.add(ret, batch_ons)) for ret in rets]
    delete_years(tx, plan.replaced)
    rekey(tx, plan.rekeyed)
    insert_sources(tx, plan.new_sources)
    written = list(plan.written.values())
    insert_returns(tx, written)
    insert_values(tx, written)
    upsert_authorities(tx, *plan.changed_authorities())
    return reports


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


def delete_years(tx: Tx, pairs: Sequence[tuple[str, str]]) -> None:
    """Remove these (year, basis) rows (their old source_file rows stay as history)."""
    if not pairs:
        return
    where = " OR ".join(["(financial_year = ? AND basis = ?)"] * len(pairs))
    params = [part for pair in pairs for part in pair]
    for table in ("official_value", "official_return"):
        tx.execute(f"DELETE FROM {table} WHERE {where}", params)


def rekey(tx: Tx, ons_by_ecode: Mapping[str, str]) -> None:
    """Move stored rows from a bare E-code to the ONS code now known for it (values and returns; the authority
    rows are rewritten by `upsert_authorities`)."""
    if not ons_by_ecode:
        return
    params = [list(ons_by_ecode), list(ons_by_ecode.values())]
    mapping = "SELECT unnest($1::VARCHAR[]) AS ecode, unnest($2::VARCHAR[]) AS ons"
    for table in ("official_value", "official_return"):
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


def insert_returns(tx: Tx, written: Sequence[_Written]) -> None:
    authorities = [(w, a) for w in written for a in w.ret.authorities]
    frame = pd.DataFrame(
        {
            "code": [w.codes[a.ecode] for w, a in authorities],
            "financial_year": [w.ret.financial_year for w, _ in authorities],
            "basis": [w.ret.basis for w, _ in authorities],
            "class": [a.la_class for _, a in authorities],
            "name_published": [a.name for _, a in authorities],
            "certified": pd.Series([a.certified for _, a in authorities], dtype=object),
            "source_id": [w.source_id for w, _ in authorities],
        }
    )
    tx.insert_df("official_return", frame)


def insert_values(tx: Tx, written: Sequence[_Written]) -> None:
    # value_gbp goes in as exact decimal text and is cast by DuckDB to DECIMAL(18,2) on insert, so no float
    # ever touches a published figure
    values = [(w, v) for w in written for v in w.ret.values]
    frame = pd.DataFrame(
        {
            "code": [w.codes[v.ecode] for w, v in values],
            "financial_year": [w.ret.financial_year for w, _ in values],
            "basis": [w.ret.basis for w, _ in values],
            "measure": [v.measure for _, v in values],
            "point": [v.point for _, v in values],
            "value_gbp": pd.Series(
                [None if v.value_gbp is None else str(v.value_gbp) for _, v in values], dtype=object
            ),
            "published_text": pd.Series([v.published_text for _, v in values], dtype=object),
            "source_label": [v.source_label for _, v in values],
            "source_id": [w.source_id for w, _ in values],
        }
    )
    tx.insert_df("official_value", frame)


def upsert_authorities(tx: Tx, gone: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Replace the authority rows the batch changed (re-keyed, renamed, reclassed) and add the new ones."""
    if gone:
        tx.execute("DELETE FROM authority WHERE list_contains(?, code)", [list(gone)])
    if rows:
        columns = ["code", "ecode", "name", "class", "is_illustrative", "source_id"]
        frame = pd.DataFrame.from_records(list(rows), columns=columns)
        frame["ecode"] = frame["ecode"].astype(object)
        tx.insert_df("authority", frame)
