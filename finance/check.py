"""`python -m finance check`: verify the database's invariants after a crash, a restore, or whenever in doubt.

Why: DuckDB guarantees each transaction is all-or-nothing, and Headroom puts each upload and each official file in
one transaction; this command checks the consequences hold in the data itself, so an operator can trust a
database after a power cut or a restored backup without reading code. Each check is one SQL query returning the
offending rows (none when the invariant holds); the report lists every failure with a few examples.

`check --deep` (and every backup's verification) first reads every column of every row of every table, so every
block of the file is read back and its checksum compared: a damaged file is reported as such (`readable`), where
the invariant queries alone read only the columns they name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from finance import audit_chain, settings
from finance.store import DamagedDatabaseError, Store

if TYPE_CHECKING:  # only the audit-log view returns a frame; `check` runs without pandas
    import pandas as pd

MONITORING_TABLES = (
    ("Revenue", "monitoring_revenue"),
    ("Savings", "monitoring_savings"),
    ("Collection", "monitoring_collection"),
    ("Debt", "monitoring_debt"),
    ("DSG", "monitoring_dsg"),
    ("Reserves", "monitoring_reserves"),
    ("Capital", "monitoring_capital"),
)


@dataclass(frozen=True)
class Failure:
    check: str
    description: str
    count: int
    examples: list[tuple[Any, ...]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "description": self.description,
            "count": self.count,
            "examples": [[str(v) for v in row] for row in self.examples],
        }


@dataclass
class CheckReport:
    checks_run: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failures

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checks_run": self.checks_run,
            "failures": [f.as_dict() for f in self.failures],
            "row_counts": self.counts,
        }

    def text(self) -> str:
        total = sum(self.counts.values())
        if self.ok:
            return f"OK: {len(self.checks_run)} checks passed on {total:,} rows in {len(self.counts)} tables."
        lines = [f"FAILED: {len(self.failures)} of {len(self.checks_run)} checks."]
        for f in self.failures:
            lines.append(f"- {f.check}: {f.description} ({f.count} offending)")
            lines.extend(f"    e.g. {', '.join(str(v) for v in row)}" for row in f.examples)
        return "\n".join(lines)


def _checks(store: Store) -> list[tuple[str, str, str]]:
    """(name, what must hold, SQL returning the offending rows)."""
    lines_per_upload = " UNION ALL ".join(
        f"SELECT upload_id, '{sheet}' AS sheet, period, count(*) AS n FROM {table} GROUP BY ALL"
        for sheet, table in MONITORING_TABLES
    )
    checks = [
        (
            "upload_line_count",
            "each upload's recorded line_count equals its sheets' line counts and the lines actually stored",
            f"""WITH lines AS ({lines_per_upload}),
                    yearly AS (SELECT v.upload_id, count(*) AS n FROM mtfs_line l JOIN mtfs_version v USING (version_id)
                               GROUP BY ALL
                               UNION ALL SELECT upload_id, count(*) FROM capital_programme_line GROUP BY ALL
                               UNION ALL SELECT upload_id, count(*) FROM reserve_plan_line GROUP BY ALL
                               UNION ALL SELECT upload_id, count(*) FROM risk_line GROUP BY ALL
                               UNION ALL SELECT upload_id, count(*) FROM target
                               WHERE upload_id IS NOT NULL AND set_via <> 'collection_sheet' GROUP BY ALL
                               UNION ALL SELECT upload_id, count(*) FROM monitoring_demand GROUP BY ALL),
                    extra AS (SELECT upload_id, sum(n) AS n FROM yearly GROUP BY ALL),
                    stored AS (SELECT upload_id, sum(n) AS n FROM lines GROUP BY ALL),
                    sheets AS (SELECT upload_id, sum(line_count) AS n FROM monitoring_upload_sheet GROUP BY ALL)
               SELECT u.upload_id, u.line_count, sheets.n, stored.n, extra.n FROM monitoring_upload u
               LEFT JOIN sheets USING (upload_id) LEFT JOIN stored USING (upload_id) LEFT JOIN extra USING (upload_id)
               WHERE coalesce(sheets.n, 0) + coalesce(extra.n, 0) <> u.line_count
                  OR coalesce(stored.n, 0) + coalesce(extra.n, 0) <> u.line_count""",
        ),
        (
            "upload_sheet_count",
            "each sheet and period of an upload holds exactly the lines its monitoring_upload_sheet row records",
            f"""WITH lines AS ({lines_per_upload})
               SELECT coalesce(s.upload_id, l.upload_id), coalesce(s.sheet, l.sheet), coalesce(s.period, l.period),
                      s.line_count, l.n
               FROM monitoring_upload_sheet s FULL JOIN lines l
                 ON s.upload_id = l.upload_id AND s.sheet = l.sheet AND s.period = l.period
               WHERE s.line_count IS DISTINCT FROM l.n""",
        ),
        (
            "orphan_lines",
            "every monitoring line and sheet belongs to a recorded upload",
            " UNION ALL ".join(
                f"SELECT '{t}', upload_id FROM {t} WHERE upload_id NOT IN (SELECT upload_id FROM monitoring_upload)"
                for t in [*(t for _, t in MONITORING_TABLES), "monitoring_upload_sheet"]
            ),
        ),
        (
            "upload_source",
            "each upload's source_id is the file recorded for it (same sha256), and its lines carry the same source",
            " UNION ALL ".join(
                [
                    """SELECT 'monitoring_upload', u.upload_id, u.source_id FROM monitoring_upload u
                       LEFT JOIN source_file s USING (source_id)
                       WHERE s.sha256 IS DISTINCT FROM u.sha256 OR s.kind NOT IN ('upload', 'demo')""",
                    *(
                        f"""SELECT '{t}', l.upload_id, l.source_id FROM {t} l JOIN monitoring_upload u
                            USING (upload_id) WHERE l.source_id <> u.source_id"""
                        for _, t in MONITORING_TABLES
                    ),
                ]
            ),
        ),
        (
            "totals_reconcile",
            "revenue variance = forecast - budget; DSG cumulative = brought forward + in year",
            """SELECT 'monitoring_revenue', upload_id, sheet_row FROM monitoring_revenue
                 WHERE variance_gbp <> forecast_gbp - budget_gbp
               UNION ALL
               SELECT 'monitoring_dsg', upload_id, sheet_row FROM monitoring_dsg
                 WHERE cumulative_gbp <> brought_forward_gbp + in_year_gbp""",
        ),
        (
            "current_upload",
            "every current (authority, year, period, sheet) points at one active upload that holds that sheet",
            """SELECT c.authority_code, c.financial_year, c.period, c.sheet, c.upload_id FROM monitoring_current c
               LEFT JOIN monitoring_upload u ON u.upload_id = c.upload_id
               LEFT JOIN monitoring_upload_sheet s
                 ON s.upload_id = c.upload_id AND s.sheet = c.sheet AND s.period = c.period
               WHERE u.status IS DISTINCT FROM 'active' OR s.upload_id IS NULL
                  OR u.authority_code <> c.authority_code OR u.financial_year <> c.financial_year
               UNION ALL
               SELECT authority_code, financial_year, period, sheet, count(*) FROM monitoring_current
               GROUP BY ALL HAVING count(*) > 1""",
        ),
        (
            "withdrawal",
            "withdrawn uploads say by whom and when; active ones do not",
            """SELECT upload_id, status, withdrawn_by, withdrawn_at_utc FROM monitoring_upload
               WHERE (status = 'withdrawn') <> (withdrawn_by IS NOT NULL AND withdrawn_at_utc IS NOT NULL)""",
        ),
        (
            "official_per_file",
            "each official year and basis comes from one file of that year and basis, and every value has its return",
            """SELECT 'return', financial_year, basis, count(DISTINCT source_id) FROM official_return
                 WHERE basis <> 'illustrative' GROUP BY ALL HAVING count(DISTINCT source_id) > 1
               UNION ALL
               SELECT 'source', r.financial_year, r.basis, r.source_id FROM official_return r
                 JOIN source_file s USING (source_id)
                 WHERE r.basis <> 'illustrative' AND (s.kind <> 'official' OR s.basis <> r.basis
                       OR s.financial_year IS DISTINCT FROM r.financial_year)
               UNION ALL
               SELECT 'value', v.financial_year, v.basis, v.code FROM official_value v
                 LEFT JOIN official_return r USING (code, financial_year, basis)
                 WHERE r.code IS NULL
               UNION ALL
               SELECT 'value source', v.financial_year, v.basis, v.code FROM official_value v
                 JOIN official_return r USING (code, financial_year, basis) WHERE v.source_id <> r.source_id""",
        ),
        (
            "official_files_complete",
            "every official file recorded has its rows (a file with no returns means a half-done import)",
            """SELECT s.source_id, s.file_name FROM source_file s
               WHERE s.kind = 'official' AND s.financial_year IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM official_return r WHERE r.source_id = s.source_id)
                 AND NOT EXISTS (SELECT 1 FROM service_return r WHERE r.source_id = s.source_id)
                 AND NOT EXISTS (SELECT 1 FROM official_return r WHERE r.financial_year = s.financial_year
                                 AND r.basis = s.basis AND s.dataset IN ('RS outturn', 'RA budget'))
                 AND NOT EXISTS (SELECT 1 FROM service_return r WHERE r.financial_year = s.financial_year
                                 AND r.dataset = s.dataset)""",
        ),
        (
            "service_per_file",
            "each service-spending year of a return comes from one file, and every value has its return",
            """SELECT 'return', financial_year, dataset, count(DISTINCT source_id) FROM service_return
                 GROUP BY ALL HAVING count(DISTINCT source_id) > 1
               UNION ALL
               SELECT 'value', v.financial_year, v.dataset, v.code FROM service_value v
                 LEFT JOIN service_return r USING (code, financial_year, dataset)
                 WHERE r.code IS NULL OR v.source_id <> r.source_id""",
        ),
        (
            "scenario_current",
            "each authority's current scenario exists and belongs to that authority",
            """SELECT c.authority_code, c.scenario_id FROM scenario_current c LEFT JOIN scenario s USING (scenario_id)
               WHERE s.authority_code IS DISTINCT FROM c.authority_code""",
        ),
    ]
    for table in _tables_with_source_id(store):
        checks.append(
            (
                f"provenance:{table}",
                f"every {table} row's source_id is a recorded source file",
                f"""SELECT DISTINCT t.source_id FROM "{table}" t
                    WHERE t.source_id IS NULL OR t.source_id NOT IN (SELECT source_id FROM source_file)""",
            )
        )
    return checks


def _tables_with_source_id(store: Store) -> list[str]:
    rows = store.query(
        """SELECT table_name FROM information_schema.columns c
           WHERE column_name = 'source_id' AND table_name <> 'source_file' AND table_schema = 'main'
             AND (SELECT table_type FROM information_schema.tables t WHERE t.table_name = c.table_name
                  AND t.table_schema = 'main') = 'BASE TABLE'
           ORDER BY 1"""
    )
    return [str(r[0]) for r in rows]


def check_database(
    store: Store, *, examples: int = 5, deep: bool = False, backup_folders: Sequence[Path] | None = None
) -> CheckReport:
    """Run every invariant check (with `deep`, read every row first); never raises for a failed check or a damaged
    file (they are in the report). Reads every council's own data, so only a deployment administrator (or a
    process) may run it: `NotPermittedError` otherwise.

    The audit chain is also held against the heads kept outside the database: its sidecar file and the newest
    manifests of its own backups in `backup_folders` (default: `default_backup_folders(store)`)."""
    store.check("check")
    report = CheckReport()
    try:
        for table in store.tables():
            if deep:
                report.checks_run.append(f"read:{table}")
                report.counts[table] = store.read_every_row(table)
            else:
                report.counts[table] = int(store.scalar(f'SELECT count(*) FROM "{table}"'))
        for name, description, sql in _checks(store):
            report.checks_run.append(name)
            rows = store.query(sql)
            if rows:
                report.failures.append(Failure(name, description, len(rows), [tuple(r) for r in rows[:examples]]))
        folders = default_backup_folders(store) if backup_folders is None else list(backup_folders)
        _check_audit_chain(store, report, examples, folders)
    except DamagedDatabaseError as err:  # the rest would only meet the same damage
        report.failures.append(Failure("readable", "every block of the file reads back", 1, [(str(err),)]))
    return report


def default_backup_folders(store: Store) -> list[Path]:
    """Where `check` looks for this database's backup manifests: the scheduled backups' folder
    (`HEADROOM_BACKUP_DIR`) and, for a file, `backups/` beside it (the admin page's default)."""
    if store.path == ":memory:":
        return []
    folders = [settings.read().path(settings.BACKUP_DIR), None if store.lake else Path(store.path).parent / "backups"]
    return [f for f in dict.fromkeys(folders) if f is not None]


def _check_audit_chain(store: Store, report: CheckReport, examples: int, folders: Sequence[Path]) -> None:
    """The audit log's hash chain holds, and the heads kept outside the database are in it: the sidecar file beside
    it (which must exist once the log has rows) and the newest of its backups' manifests — so a change to any
    row, or the deletion of any rows, even the newest together with the sidecar, is found (issue 16). A store
    with no sidecar (`head_file` None: in memory, or a backup copy being verified against its own manifest) is
    checked on its chain alone."""
    columns = {r[0] for r in store.query("SELECT column_name FROM information_schema.columns WHERE table_name = "
                                         "'audit_log' AND table_schema = 'main'")}  # fmt: skip
    if "sha256" not in columns:  # a database from before the chain, opened read-only (unmigrated)
        return
    report.checks_run.append("audit_chain")
    rows = store.query(f"SELECT {audit_chain.COLUMNS} FROM audit_log ORDER BY audit_id")
    sidecar = audit_chain.read_head(store.head_file)
    problems = audit_chain.verify(rows, sidecar)
    if store.head_file is not None:
        manifests = audit_chain.manifest_heads(folders, store.identity)
        problems += audit_chain.outside_head_problems(rows, sidecar, True, manifests)
    if problems:
        report.failures.append(
            Failure(
                "audit_chain",
                "each audit row carries the hash of the one before it, and the newest row recorded outside the "
                f"database ({store.head_file.name if store.head_file else 'none'}) is in the chain",
                len(problems),
                problems[:examples],
            )
        )


def audit_head(store: Store) -> audit_chain.Head | None:
    """The newest audit row's id and hash (None for an empty log), as a backup's manifest records it."""
    row = store.query_one("SELECT audit_id, sha256 FROM audit_log ORDER BY audit_id DESC LIMIT 1")
    return None if row is None or row[1] is None else audit_chain.Head(int(row[0]), str(row[1]))


def audit_log(store: Store, limit: int = 200) -> pd.DataFrame:
    """The latest writes, newest first: when, who, role, way in, action (the admin page's table)."""
    return store.query_df(
        """SELECT audit_id AS "#", at_utc AS "When (UTC)", user_name AS "User", role AS "Role", via AS "Via",
                  action AS "Action" FROM audit_log ORDER BY audit_id DESC LIMIT ?""",
        [limit],
    )
