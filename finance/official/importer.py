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

from finance.errors import InputError, Problem
from finance.official.demand_model import ParsedDemand
from finance.official.demand_read import demand_kind, read_demand
from finance.official.demand_write import authorities_in, unchanged_demand, write_demand
from finance.official.model import ONS_RE, ParsedReturn
from finance.official.ons_names import apply_ons_names
from finance.official.peer_files import ParsedPeerFile, UnreadablePeerFileError, read_peer_file
from finance.official.peer_write import held_peer_files, write_peer_files
from finance.official.reader import RECOGNISED_SUFFIXES, UnreadableReturnError, read_return
from finance.official.receipts import DATASET, ParsedReceipts, read_receipts
from finance.official.receipts_store import BASIS, held_sha256, write_receipts
from finance.official.write import (
    KIND,
    Written,
    delete_years,
    insert_returns,
    insert_sources,
    insert_values,
    rekey,
    upsert_authorities,
)
from finance.store import Store, Tx, sha256_file


@dataclass(frozen=True)
class ImportReport:
    """What happened to one file: 'imported', 'replaced' (a different file held that year), 'unchanged' (these
    exact bytes are already the loaded copy) or 'skipped' (found in a folder but not a return; see `note`).
    `authorities`, `rows` and `service_rows` count what the file holds (authorities on the return, official
    reserves/NRE values, service-spending values)."""

    file_name: str
    sha256: str
    financial_year: str | None
    dataset: str | None
    basis: str | None
    authorities: int
    rows: int
    status: str
    note: str = ""
    service_rows: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def import_paths(store: Store, paths: Sequence[Path], *, user: str = "local") -> list[ImportReport]:
    """Import official RS/RA returns, demand files (children looked after, EHC plans, H-CLIC TA1) and the
    statistical-neighbour files of the NN and SN peer groups, each recognised by its content, from files and folders
    (folders: their .xls/.xlsx/.ods/.csv/.zip files).

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
                if child.suffix.lower() in RECOGNISED_SUFFIXES or child.suffix.lower() == ".zip":
                    found.append((child, False))
                else:
                    found.append(_skipped(child, "not a spreadsheet or CSV"))
        elif path.is_file():
            found.append((path, True))
        else:
            problems.append(Problem(str(path), "no such file or folder"))
    hashes = {item[0]: sha256_file(item[0]) for item in found if isinstance(item, tuple)}
    loaded = _unchanged(store, set(hashes.values()))
    demand_loaded = unchanged_demand(store, set(hashes.values()))
    peers_held = held_peer_files(store, set(hashes.values()))
    receipts_held = held_sha256(store)
    receipts: list[ParsedReceipts] = []

    parsed: list[ParsedReturn] = []
    demand: list[ParsedDemand] = []
    peer_files: list[ParsedPeerFile] = []
    current: list[ImportReport] = []
    skipped: list[ImportReport] = []
    for item in found:
        if isinstance(item, ImportReport):
            skipped.append(item)
            continue
        path, explicit = item
        if (held := loaded.get(hashes[path])) is not None:
            year, dataset, basis, authorities, rows, service_rows = held
            current.append(
                ImportReport(
                    path.name, hashes[path], year, dataset, basis, authorities, rows, "unchanged", "", service_rows
                )
            )
            continue
        if (peer := peers_held.get(hashes[path])) is not None:
            current.append(ImportReport(path.name, hashes[path], None, peer[0], None, peer[1], peer[2], "unchanged"))
            continue
        if (held_demand := demand_loaded.get(hashes[path])) is not None:
            dataset, rows, note = held_demand
            current.append(ImportReport(path.name, hashes[path], None, dataset, None, 0, rows, "unchanged", note))
            continue
        if demand_kind(path) is not None:
            try:  # a recognised demand file that cannot be read is never passed over
                demand.append(read_demand(path))
            except InputError as err:
                problems.extend(err.problems)
            continue
        if path.suffix.lower() not in RECOGNISED_SUFFIXES:
            if explicit:
                problems.append(Problem(path.name, "not a recognised official file (an RS/RA return or a demand file)"))
            else:
                skipped.append(_skipped(path, "not an EHC plans release zip"))
            continue
        if hashes[path] == receipts_held:
            current.append(ImportReport(path.name, hashes[path], None, DATASET, BASIS, 0, 0, "unchanged"))
            continue
        try:
            parsed.append(read_return(path))
        except UnreadableReturnError as err:  # a return Headroom cannot read is never passed over
            problems.extend(err.problems)
        except InputError as err:
            if (table := _receipts_or_none(path)) is not None:  # recognised by its content, not its name
                receipts.append(table)
                continue
            try:  # not a return: it may be a statistical-neighbour file (peer groups), recognised by its content
                peer_files.append(read_peer_file(path))
            except UnreadablePeerFileError as peer_err:
                problems.extend(peer_err.problems)
            except InputError:
                if explicit:
                    problems.extend(err.problems)
                else:
                    skipped.append(_skipped(path, "; ".join(p.message for p in err.problems)))
    if problems:
        raise InputError(problems, summary="official returns refused; nothing was imported")

    if len(receipts) > 1:
        names = ", ".join(r.file_name for r in receipts)
        raise InputError.single(names, "more than one council tax receipts table: import one (the newest)")
    parsed.sort(key=lambda r: r.financial_year, reverse=True)
    reports = (
        store.write(
            partial(_write_batch, rets=parsed, demand=demand, peer_files=peer_files, receipts=receipts),
            user=user,
            action="import_official",
        )
        if parsed or demand or peer_files or receipts
        else []
    )
    reports.extend(current)
    reports.sort(key=lambda r: r.financial_year or "", reverse=True)
    return reports + skipped


def _receipts_or_none(path: Path) -> ParsedReceipts | None:
    try:
        return read_receipts(path)
    except InputError:
        return None


#: official_return holds RS and RA years by basis; which dataset each basis is.
_HELD_SQL = """
    SELECT code, financial_year, CASE basis WHEN 'outturn' THEN 'RS outturn' WHEN 'budget_estimate' THEN 'RA budget'
                                  ELSE basis END AS dataset, source_id, false AS service_only
    FROM official_return
    UNION ALL
    SELECT code, financial_year, dataset, source_id, true FROM service_return"""


def _unchanged(store: Store, sha256s: set[str]) -> dict[str, tuple[str, str, str, int, int, int]]:
    """sha256 → (year, dataset, basis, authorities, rows, service rows) for each of these files whose exact bytes
    are already the loaded copy of their year, in one query and without parsing the files again (re-running an
    import of a whole folder stays cheap). An RS file loaded before service lines were read is not unchanged: it is read
    again so that its service lines are added."""
    if not sha256s:
        return {}
    rows = store.query(
        f"""WITH held AS ({_HELD_SQL})
           SELECT s.sha256, s.financial_year, s.dataset, s.basis,
                  (SELECT count(DISTINCT h.code) FROM held h WHERE h.source_id = s.source_id),
                  (SELECT count(*) FROM official_value v WHERE v.source_id = s.source_id),
                  (SELECT count(*) FROM service_value v WHERE v.source_id = s.source_id)
           FROM source_file s
           WHERE s.kind = ? AND list_contains(?, s.sha256)
             AND NOT EXISTS (SELECT 1 FROM held o WHERE o.financial_year = s.financial_year
                             AND o.dataset = s.dataset AND o.source_id <> s.source_id)
             AND (s.dataset <> 'RS outturn'
                  OR EXISTS (SELECT 1 FROM service_return r WHERE r.source_id = s.source_id))""",
        [KIND, sorted(sha256s)],
    )
    return {str(r[0]): (r[1], r[2], r[3], int(r[4]), int(r[5]), int(r[6])) for r in rows if r[4]}


def _write_batch(
    tx: Tx,
    rets: Sequence[ParsedReturn],
    demand: Sequence[ParsedDemand],
    peer_files: Sequence[ParsedPeerFile],
    receipts: Sequence[ParsedReceipts] = (),
) -> list[ImportReport]:
    """The returns, then the demand files, then the statistical-neighbour files, then the council tax receipts
    table, then the ONS names for the codes (`apply_ons_names`), in the caller's one transaction."""
    reports = write_returns(tx, rets) if rets else []
    for table in receipts:
        status = write_receipts(tx, table)
        reports.append(
            ImportReport(
                table.file_name, table.sha256, table.latest_year, DATASET, BASIS, table.authorities,
                len(table.receipts), status, f"quarterly receipts to {table.latest_year}",
            )
        )  # fmt: skip
    for f, status in zip(peer_files, write_peer_files(tx, peer_files), strict=True):
        reports.append(ImportReport(f.file_name, f.sha256, None, f.dataset, None, f.authorities, f.rows, status))
    for parsed, status in zip(demand, write_demand(tx, demand), strict=True):
        reports.append(
            ImportReport(
                parsed.file_name,
                parsed.sha256,
                None,
                parsed.dataset,
                None,
                authorities_in(parsed),
                len(parsed.values),
                status,
                f"as at {parsed.latest_label()}",
            )
        )
    if rets or peer_files:  # a return writes its own name; the ONS name for the code wins where one is held
        apply_ons_names(tx)
    return reports


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
class _Plan:
    """The database as writing the batch's files one after another would leave it, worked out in memory from
    one read of each table the writes depend on (see the module docstring). Only what the importer touches is
    modelled: authorities, which source holds each official return, the official files already known."""

    authorities: dict[str, _Authority]
    held: dict[tuple[str, str], dict[str, int]]  # (year, dataset) -> code -> source_id, as the returns hold
    sources: dict[str, int]  # sha256 -> source_id of the official files known
    next_source_id: int
    with_services: set[int] = field(default_factory=set)  # source_ids of RS files whose service lines are held
    before: dict[str, tuple[Any, ...]] = field(default_factory=dict)  # authority rows as read
    new_sources: list[tuple[ParsedReturn, int]] = field(default_factory=list)
    replaced: list[tuple[str, str]] = field(default_factory=list)  # (year, dataset) whose stored rows go
    rekeyed: dict[str, str] = field(default_factory=dict)  # stored E-code -> ONS code, for rows kept
    written: dict[tuple[str, str], Written] = field(default_factory=dict)

    @classmethod
    def read(cls, tx: Tx) -> _Plan:
        authorities = {
            str(row[0]): _Authority(str(row[0]), row[1], str(row[2]), str(row[3]), bool(row[4]), int(row[5]))
            for row in tx.query("SELECT code, ecode, name, class, is_illustrative, source_id FROM authority")
        }
        held: dict[tuple[str, str], dict[str, int]] = {}
        with_services: set[int] = set()
        for code, year, dataset, source_id, from_service in tx.query(_HELD_SQL):
            held.setdefault((str(year), str(dataset)), {})[str(code)] = int(source_id)
            if from_service and dataset == "RS outturn":
                with_services.add(int(source_id))
        sources: dict[str, int] = {}
        top = 0
        for source_id, kind, sha256 in tx.query("SELECT source_id, kind, sha256 FROM source_file"):
            top = max(top, int(source_id))
            if kind == KIND:
                sources[str(sha256)] = int(source_id)
        plan = cls(authorities, held, sources, top + 1, with_services)
        plan.before = {code: a.row() for code, a in authorities.items()}
        return plan

    def add(self, ret: ParsedReturn, batch_ons: Mapping[str, str]) -> str:
        """Take in one file as if written now, after those added before it; returns its status."""
        pair = (ret.financial_year, ret.dataset)
        existing = self.sources.get(ret.sha256)
        current = set(self.held.get(pair, {}).values())
        services_held = not ret.service_values or ret.dataset != "RS outturn" or existing in self.with_services
        if existing is not None and current == {existing} and services_held:
            return "unchanged"
        status = "replaced" if current - {existing} else "imported"
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
        self.written[pair] = Written(ret, codes, source_id)
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
        for (year, _dataset), codes in self.held.items():
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
        service_rows=len(ret.service_values),
    )
