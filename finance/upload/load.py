"""The one way monitoring workbooks get into the database: check, read, validate, then write all or nothing.

`prepare_upload` does everything that can refuse a file (safety checks, reading, validation, the authority
lookup) without writing; the upload page shows its preview and asks for confirmation. `commit_upload` then writes
the upload, its sheets and every line in one `Store.write` transaction. Demo data and the CLI go through the same
two steps, so the demo exercises the real path.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Any

import pandas as pd

from finance.capital import Position, ProgrammeDraft, check_position, check_programme, insert_capital, mtfs_years
from finance.errors import InputError, NotFoundError, Problem
from finance.format import period_label
from finance.monitoring import check_collection
from finance.mtfs import MtfsDraft, check_mtfs, insert_version
from finance.reserves import PlanDraft, RiskDraft, check_reserve_plan, check_reserve_status, check_risks
from finance.store import Source, Store, Tx, sha256_bytes, utc_now
from finance.targets import NewTarget, add_targets
from finance.upload.collection_targets import check_targets, write_targets
from finance.upload.demand_sheet import check_demand_sheet
from finance.upload.targets_sheet import check_targets_sheet
from finance.workbook import (
    CAPITAL_PROGRAMME,
    DEMAND,
    MTFS,
    REVENUE,
    SHEETS,
    FieldValue,
    Limits,
    ReserveSettings,
    SheetLines,
    normalise_header,
    read_upload,
    validate,
)

Progress = Callable[[float, str], None]
DATASET = "Monthly monitoring"
_VALUES_LIMIT = 400  # rows; above this one DataFrame insert is faster than binding parameters
# An identical file loaded before and not withdrawn: loading it again changes nothing. A withdrawn one may be loaded
# again (withdrawing was the mistake), and becomes a new upload.
_LOADED_BEFORE = "SELECT min(upload_id) FROM monitoring_upload WHERE sha256 = ? AND status <> 'withdrawn'"
NO_AUTHORITIES = (
    "Authority is not a known authority because no authorities are loaded yet{demo}: import the official returns "
    "first (put the RS/RA files in data/official/ and restart the app, or run "
    "`python -m finance import-official PATH`), then load this workbook again"
)
_COUNCIL_WORDS = frozenset({"council", "metropolitan", "borough", "city", "county", "district"})


@dataclass(frozen=True)
class PreparedUpload:
    """A workbook that passed every check, ready to commit: its lines per sheet as DataFrames, money in £."""

    file_name: str
    sha256: str
    authority_code: str
    authority_name: str
    financial_year: str
    lines: dict[str, dict[str, list[Any]]]  # sheet name -> column -> values (period, sheet_row, the sheet's columns)
    sheet_titles: dict[str, str]  # sheet name -> the sheet's name in the workbook
    totals_checked: int
    already_loaded: int | None = None  # upload_id of an identical file loaded before
    mtfs: MtfsDraft | None = None  # an approved MTFS sheet (not per period): stored as a new MTFS version
    settings: ReserveSettings = field(default_factory=ReserveSettings)  # the Instructions' reserves statements
    reserve_plan: PlanDraft | None = None  # a Reserve plan sheet (not per period): kept with its upload
    risks: RiskDraft | None = None  # a Risks sheet (the risk register, not per period): kept with its upload
    capital_programme: ProgrammeDraft | None = None  # the multi-year capital programme sheet, when held
    capital_position: Position | None = None  # the Instructions' debt position and Prudential Code limits
    targets: tuple[tuple[NewTarget, int], ...] = ()  # a Targets sheet's rows (target, sheet row): set by the upload
    collection_fund_share_pct: Decimal | None = None  # the Instructions' share of the collection fund; None: not stated
    demand: dict[str, list[Any]] | None = None  # a Demand sheet's lines: kept with the upload's Revenue lines
    warnings: tuple[str, ...] = ()  # shown before confirming, not refusals (a Demand budget more than 1% off)

    @property
    def periods(self) -> list[int]:
        return sorted({int(p) for cols in self.lines.values() for p in cols["period"]})

    @property
    def line_counts(self) -> dict[str, int]:
        counts = {name: len(cols["period"]) for name, cols in self.lines.items()}
        if self.mtfs is not None:
            counts["MTFS"] = len(self.mtfs)
        if self.reserve_plan is not None:
            counts["Reserve plan"] = len(self.reserve_plan)
        if self.risks is not None:
            counts["Risks"] = len(self.risks)
        if self.targets:
            counts["Targets"] = len(self.targets)
        if self.demand is not None:
            counts[DEMAND.name] = len(self.demand["period"])
        programme = self.capital_programme
        return counts | ({CAPITAL_PROGRAMME.name: len(programme)} if programme is not None else {})

    def frame(self, sheet: str) -> pd.DataFrame:
        """The lines of one sheet as a DataFrame: period, sheet_row, then the sheet's columns (money in £)."""
        frame = pd.DataFrame(self.lines[sheet])
        return frame.astype({"period": "int32", "sheet_row": "int32"})


@dataclass(frozen=True)
class LoadResult:
    """What a load did: `status` is 'loaded', or 'unchanged' when the identical file was loaded before."""

    upload_id: int
    status: str
    file_name: str
    sha256: str
    authority_code: str
    financial_year: str
    periods: list[int]
    line_counts: dict[str, int]
    superseded: list[int] = field(default_factory=list)
    mtfs_version: str | None = None  # the name of the MTFS version the upload added, when it held one

    def as_dict(self) -> dict[str, Any]:
        return {
            "upload_id": self.upload_id,
            "status": self.status,
            "file_name": self.file_name,
            "sha256": self.sha256,
            "authority_code": self.authority_code,
            "financial_year": self.financial_year,
            "periods": [period_label(p, month=False) for p in self.periods],
            "line_counts": self.line_counts,
            "superseded_upload_ids": self.superseded,
            "mtfs_version": self.mtfs_version,
        }

    def summary(self) -> str:
        periods = ", ".join(period_label(p, month=False) for p in self.periods)
        if self.status == "unchanged":
            return f"{self.file_name} was already loaded as upload {self.upload_id}: nothing changed."
        counts = ", ".join(f"{name} {n}" for name, n in self.line_counts.items())
        what = f"{self.financial_year} {periods}" if periods else f"MTFS from {self.financial_year}"
        text = f"Loaded {self.file_name} as upload {self.upload_id}: {self.authority_code} {what} ({counts} lines)."
        if self.mtfs_version:
            text += f" MTFS version '{self.mtfs_version}' added beside any earlier versions."
        if self.superseded:
            text += " It supersedes upload(s) " + ", ".join(str(u) for u in self.superseded) + "."
        return text


def resolve_authority(store: Store, given: FieldValue) -> tuple[str, str] | Problem:
    """(code, name) of the authority named by ONS code, E-code or name (case-insensitive; 'Council' optional)."""
    text = " ".join(str(given.value).split())
    row = store.query_one(
        "SELECT code, name FROM authority WHERE upper(code) = upper(?) OR upper(ecode) = upper(?)", [text, text]
    )
    if row is None:
        wanted = _authority_key(text)
        for code, name in store.query("SELECT code, name FROM authority ORDER BY code"):
            if _authority_key(name) == wanted:
                row = (code, name)
                break
    if row is None:
        if not store.scalar("SELECT count(*) FROM authority WHERE NOT is_illustrative"):
            demo = " (only the illustrative demo councils)" if store.scalar("SELECT count(*) FROM authority") else ""
            return Problem(given.where, NO_AUTHORITIES.format(demo=demo), text)
        return Problem(given.where, "Authority is not a known authority: give its ONS code (E08000014) or name", text)
    return str(row[0]), str(row[1])


def _authority_key(name: str) -> str:
    words = normalise_header(name).split()
    while len(words) > 1 and words[-1] in _COUNCIL_WORDS:
        words.pop()
    return " ".join(words)


def _columns(lines: SheetLines) -> dict[str, list[Any]]:
    """Column lists ready to insert: money as float of exact pence (DuckDB casts them back exactly)."""
    data: dict[str, list[Any]] = {}
    numbers = {*lines.spec.money_keys, *(c.key for c in lines.spec.columns if c.kind == "percent")}
    for key, values in lines.columns.items():
        if key in numbers:
            data[key] = [None if v is None else float(v) for v in values]
        else:
            data[key] = list(values)
    if lines.spec is REVENUE:  # stored variance is exactly forecast − budget (a stated one was checked)
        forecast, budget = lines.columns["forecast_gbp"], lines.columns["budget_gbp"]
        data["variance_gbp"] = [float(f - b) for f, b in zip(forecast, budget, strict=True)]
    if lines.spec is DEMAND:  # counts and £-a-year unit costs, stored as DOUBLE
        for key in ("budgeted_volume", "budgeted_unit_cost_gbp", "forecast_volume", "forecast_unit_cost_gbp"):
            data[key] = [float(v) for v in data[key]]
    return data


def _insert(tx: Tx, table: str, columns: dict[str, list[Any]], constants: dict[str, Any]) -> None:
    """Insert column lists: a parameterised VALUES statement for the usual small sheet, a DataFrame for big ones."""
    count = len(next(iter(columns.values())))
    if count > _VALUES_LIMIT:
        frame = pd.DataFrame(columns)
        for key, value in constants.items():
            frame[key] = value
        tx.insert_df(table, frame)
        return
    names = [*constants, *columns]
    row = "(" + ", ".join("?" * len(names)) + ")"
    params: list[Any] = []
    for i in range(count):
        params.extend(constants.values())
        params.extend(values[i] for values in columns.values())
    cols = ", ".join(f'"{n}"' for n in names)
    tx.execute(f"INSERT INTO {table} ({cols}) VALUES " + ", ".join([row] * count), params)


def prepare_upload(
    store: Store,
    data: bytes,
    file_name: str,
    *,
    limits: Limits | None = None,
    progress: Progress | None = None,
    isolated: bool = True,
) -> PreparedUpload:
    """Check, read and validate a workbook without writing anything.

    Raises `InputError` holding every problem found (cells named like `Revenue!D14`). The result's
    `already_loaded` is set when the identical file (same sha256) was loaded before. The sheets are read in a child
    process under `limits` unless `isolated` is False (see `isolated.read_upload`).
    """
    limits = limits or Limits.from_env()
    name = PurePath(file_name).name or "upload.xlsx"
    if progress:
        progress(0.02, "Checking the file")
    try:
        raw = read_upload(data, name, limits, isolated=isolated, progress=progress)
    except InputError as err:  # the file itself was refused: say so as every other refusal does
        raise InputError(err.problems, summary=f"{name}: {_count(list(err.problems))}, nothing was loaded") from None
    if progress:
        progress(0.6, "Checking every line")
    checked = validate(raw)
    problems = list(checked.problems)
    income = [s for s in checked.sheets if s.spec.name in ("Collection", "Debt")]
    if not any(p.where.startswith(tuple(f"{s.title}!" for s in income)) for p in problems):
        problems.extend(check_collection(income))  # on lines whose every cell passed
        problems.extend(check_targets(income))
    mtfs = _check_mtfs(checked.sheets, raw.fields, checked.year, name, problems)
    problems.extend(check_reserve_status(checked.sheets))
    plan = None
    if mtfs is not None or not any(s.spec is MTFS and len(s) for s in checked.sheets):  # a failed MTFS: no years
        plan = check_reserve_plan(checked.sheets, checked.year, mtfs.years if mtfs else None, problems)
    risks = check_risks(checked.sheets, problems)
    programme, position = _check_capital(checked.sheets, raw.fields, checked.year, mtfs, name, problems)
    targets = check_targets_sheet(checked.sheets, checked.year, problems)
    warnings = check_demand_sheet(checked.sheets, problems)
    authority: tuple[str, str] | None = None
    if checked.authority is not None:
        found = resolve_authority(store, checked.authority)
        if isinstance(found, Problem):
            problems.append(found)
        else:
            authority = found
    if problems:
        raise InputError(problems, summary=f"{name}: {_count(problems)}, nothing was loaded")
    year = checked.year or (mtfs.base_year if mtfs is not None else None)
    assert authority is not None and year is not None, "validate requires a year unless an MTFS gives one"
    if progress:
        progress(0.8, "Preparing the lines")
    store.check("upload", authority[0])  # before anything of the authority's own data is read
    sha = sha256_bytes(data)
    existing = store.scalar(_LOADED_BEFORE, [sha])
    ordered = sorted(
        (s for s in checked.sheets if len(s) and s.spec.per_period and s.spec is not DEMAND),
        key=lambda s: [x.name for x in SHEETS].index(s.spec.name),
    )
    return PreparedUpload(
        file_name=name,
        sha256=sha,
        authority_code=authority[0],
        authority_name=authority[1],
        financial_year=year,
        lines={s.spec.name: _columns(s) for s in ordered},
        sheet_titles={s.spec.name: s.title for s in ordered},
        totals_checked=sum(s.totals_checked for s in checked.sheets),
        already_loaded=None if existing is None else int(existing),
        mtfs=mtfs,
        settings=checked.settings,
        reserve_plan=plan,
        risks=risks,
        capital_programme=programme,
        capital_position=position,
        targets=targets,
        collection_fund_share_pct=checked.collection_fund_share_pct,
        demand=next((_columns(s) for s in checked.sheets if s.spec is DEMAND and len(s)), None),
        warnings=warnings,
    )


def _check_mtfs(
    sheets: list[SheetLines], fields: dict[str, FieldValue], year: str | None, name: str, problems: list[Problem]
) -> MtfsDraft | None:
    """The workbook's MTFS sheet as a draft version (adding its problems), once its own cells all passed."""
    sheet = next((s for s in sheets if s.spec is MTFS and len(s)), None)
    if sheet is None or any(p.where.startswith(f"{sheet.title}!") for p in problems):
        return None
    draft = check_mtfs(sheet, fields, year, name)
    if isinstance(draft, list):
        problems.extend(draft)
        return None
    return draft


def _check_capital(
    sheets: list[SheetLines],
    fields: dict[str, FieldValue],
    year: str | None,
    mtfs: MtfsDraft | None,
    name: str,
    problems: list[Problem],
) -> tuple[ProgrammeDraft | None, Position | None]:
    """The capital programme (once its own cells all passed) and the Instructions' debt position, adding problems."""
    base_year = year or (mtfs.base_year if mtfs is not None else None)
    position = check_position(fields, base_year, problems)
    sheet = next((s for s in sheets if s.spec is CAPITAL_PROGRAMME and len(s)), None)
    if sheet is None or any(p.where.startswith(f"{sheet.title}!") for p in problems):
        return None, position
    allowed = mtfs_years(base_year, mtfs.years if mtfs is not None else None)
    draft = check_programme(sheet, allowed, name)
    if isinstance(draft, list):
        problems.extend(draft)
        return None, position
    return draft, position


def _count(problems: list[Problem]) -> str:
    return "1 problem" if len(problems) == 1 else f"{len(problems)} problems"


def commit_upload(
    store: Store, prepared: PreparedUpload, *, user: str = "local", source_kind: str = "upload"
) -> LoadResult:
    """Write a prepared upload in one transaction: the source, the upload, its sheets and every line.

    An identical file (same sha256) already loaded, and not withdrawn, changes nothing and returns status
    'unchanged'. Earlier
    uploads for the same authority, year, period and sheet stay in history but stop being current.
    """

    def write(tx: Tx) -> LoadResult:
        existing = tx.query_one(_LOADED_BEFORE, [prepared.sha256])
        if existing is not None and existing[0] is not None:
            return _result(prepared, int(existing[0]), "unchanged", [])
        superseded = _currently_held(tx, prepared)
        source_id = tx.find_source(source_kind, prepared.sha256) or tx.add_source(
            Source(source_kind, prepared.file_name, prepared.sha256, DATASET, "monitoring", prepared.financial_year)
        )
        upload_id = tx.next_id("monitoring_upload", "upload_id")
        tx.execute(
            """INSERT INTO monitoring_upload (upload_id, source_id, authority_code, financial_year, file_name, sha256,
                   uploaded_by, uploaded_at_utc, line_count, status, overspend_in_reserves, minimum_gf_balance_gbp,
                   collection_fund_share_pct)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)""",
            [
                upload_id,
                source_id,
                prepared.authority_code,
                prepared.financial_year,
                prepared.file_name,
                prepared.sha256,
                tx.user,
                utc_now(),
                sum(prepared.line_counts.values()),
                prepared.settings.overspend_in_reserves,
                prepared.settings.minimum_gf_balance_gbp,
                prepared.collection_fund_share_pct,
            ],
        )
        for sheet, columns in prepared.lines.items():
            counts = Counter(columns["period"])
            periods = sorted(counts)
            _insert(
                tx,
                "monitoring_upload_sheet",
                {"period": periods, "line_count": [counts[p] for p in periods]},
                {"upload_id": upload_id, "sheet": sheet, "sheet_title": prepared.sheet_titles[sheet]},
            )
            spec = next(s for s in SHEETS if s.name == sheet)
            stored = {k: v for k, v in columns.items() if k in ("period", "sheet_row", *spec.stored_keys)}
            _insert(tx, spec.table, stored, {"upload_id": upload_id, "source_id": source_id})
        if "Collection" in prepared.lines:
            write_targets(tx, prepared.authority_code, prepared.financial_year, prepared.lines["Collection"], upload_id)
        if prepared.mtfs is not None:
            insert_version(tx, prepared.mtfs, upload_id, source_id, prepared.authority_code)
        if prepared.reserve_plan is not None:
            plan = prepared.reserve_plan.columns
            money = {"planned_use_gbp": [float(v) for v in plan["planned_use_gbp"]]}
            _insert(tx, "reserve_plan_line", plan | money, {"upload_id": upload_id, "source_id": source_id})
        if prepared.risks is not None:
            risks = prepared.risks.columns
            impacts = {
                k: [float(v) for v in risks[k]] for k in ("impact_low_gbp", "impact_likely_gbp", "impact_high_gbp")
            }
            _insert(tx, "risk_line", risks | impacts, {"upload_id": upload_id, "source_id": source_id})
        insert_capital(tx, prepared.capital_programme, prepared.capital_position, upload_id, source_id)
        if prepared.demand is not None:  # current while the same upload's Revenue lines of the period are
            _insert(tx, "monitoring_demand", prepared.demand, {"upload_id": upload_id, "source_id": source_id})
        if prepared.targets:
            add_targets(
                tx,
                prepared.authority_code,
                [t for t, _ in prepared.targets],
                via="sheet",
                upload_id=upload_id,
                sheet_rows=[row for _, row in prepared.targets],
            )
        return _result(prepared, upload_id, "loaded", superseded)

    return store.write(write, user=user, action="upload", authority=prepared.authority_code)


def _currently_held(tx: Tx, prepared: PreparedUpload) -> list[int]:
    """Uploads that are current now for any sheet and period this upload brings (they become superseded)."""
    pairs = {(sheet, int(p)) for sheet, columns in prepared.lines.items() for p in columns["period"]}
    rows = tx.query(
        """SELECT DISTINCT c.upload_id, c.sheet, c.period FROM monitoring_current c
           WHERE c.authority_code = ? AND c.financial_year = ?""",
        [prepared.authority_code, prepared.financial_year],
    )
    return sorted({int(u) for u, sheet, period in rows if (sheet, int(period)) in pairs})


def _result(prepared: PreparedUpload, upload_id: int, status: str, superseded: list[int]) -> LoadResult:
    return LoadResult(
        upload_id,
        status,
        prepared.file_name,
        prepared.sha256,
        prepared.authority_code,
        prepared.financial_year,
        prepared.periods,
        prepared.line_counts,
        superseded,
        prepared.mtfs.version_name if prepared.mtfs is not None else None,
    )


def load_upload(
    store: Store,
    data: bytes,
    file_name: str,
    *,
    user: str = "local",
    limits: Limits | None = None,
    progress: Progress | None = None,
    source_kind: str = "upload",
    isolated: bool = True,
) -> LoadResult:
    """Prepare and commit in one call (the CLI, demo data and tests). Raises `InputError`; nothing written then."""
    prepared = prepare_upload(store, data, file_name, limits=limits, progress=progress, isolated=isolated)
    return commit_upload(store, prepared, user=user, source_kind=source_kind)


def load_file(store: Store, path: Path, *, user: str = "local", limits: Limits | None = None) -> LoadResult:
    """`load_upload` for a file on disk; the size limit is checked before the file is read."""
    limits = limits or Limits.from_env()
    if not path.is_file():
        raise InputError.single(str(path), "no such file")
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise InputError.single(
            path.name, f"is {size / 1048576:.1f} MB; the largest file accepted is {limits.max_bytes / 1048576:.1f} MB"
        )
    return load_upload(store, path.read_bytes(), path.name, user=user, limits=limits)


def withdraw_upload(store: Store, upload_id: int, *, user: str = "local") -> None:
    """Mark an upload withdrawn: it leaves every view, and the previous upload for its periods is current again.

    Raises `NotFoundError` for an unknown id and `InputError` if it is already withdrawn; `NotPermittedError`
    unless the acting user is an admin of the upload's authority.
    """
    authority = store.scalar("SELECT authority_code FROM monitoring_upload WHERE upload_id = ?", [upload_id])
    if authority is None:
        raise NotFoundError(f"There is no upload {upload_id}.")

    def write(tx: Tx) -> None:
        row = tx.query_one("SELECT status FROM monitoring_upload WHERE upload_id = ?", [upload_id])
        if row is None:
            raise NotFoundError(f"There is no upload {upload_id}.")
        if row[0] == "withdrawn":
            raise InputError.single(f"upload {upload_id}", "is already withdrawn")
        tx.execute(
            """UPDATE monitoring_upload SET status = 'withdrawn', withdrawn_by = ?, withdrawn_at_utc = ?
               WHERE upload_id = ?""",
            [tx.user, utc_now(), upload_id],
        )

    store.write(write, user=user, action="withdraw_upload", authority=str(authority))
