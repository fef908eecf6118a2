"""Every `HEADROOM_*` environment variable, read in one place, typed and documented (issue 15).

Why one module: the app, the CLI, the backup scheduler and the tests must agree on what each variable means, its
default and how a bad value is reported, and docs/RUNNING-FOR-A-TEAM.md lists exactly `VARIABLES` (a test keeps
the table and this list the same). `read()` takes one snapshot of the environment; it is called when a setting is
needed rather than once at import, so a test's `monkeypatch.setenv`, or the app started with another database,
sees the value as it is now. Numbers are checked where they are used (`upload_max_bytes`, `backup_schedule`) and a
bad one is an `InputError` naming the variable, so a typo in one setting never stops the rest of Headroom.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from finance.errors import InputError

DB = "HEADROOM_DB"
CONFIG = "HEADROOM_CONFIG"
DATA_PATH = "HEADROOM_DATA_PATH"
OFFICIAL_DIR = "HEADROOM_OFFICIAL_DIR"
FONT_DIR = "HEADROOM_FONT_DIR"
CACHE_DIR = "HEADROOM_CACHE_DIR"
UPLOAD_MAX_MB = "HEADROOM_UPLOAD_MAX_MB"
BACKUP_DIR = "HEADROOM_BACKUP_DIR"
BACKUP_INTERVAL_H = "HEADROOM_BACKUP_INTERVAL_H"
BACKUP_KEEP = "HEADROOM_BACKUP_KEEP"
DEBUG = "HEADROOM_DEBUG"
DEFAULT_AUTHORITY = "HEADROOM_DEFAULT_AUTHORITY"
# Read by the tests only (tests/conftest.py, tests/browser/conftest.py), listed in docs/DEVELOPING.md.
SHARED_DATA = "HEADROOM_SHARED_DATA"
CHROMIUM = "HEADROOM_CHROMIUM"
SHOW_SERVER_LOG = "HEADROOM_SHOW_SERVER_LOG"

DEFAULT_BACKUP_INTERVAL_H = 24.0
DEFAULT_BACKUP_KEEP = 14


@dataclass(frozen=True)
class Variable:
    """One variable as documented: its name, the default when unset, and what it does."""

    name: str
    default: str
    meaning: str
    test_only: bool = False


VARIABLES: tuple[Variable, ...] = (
    Variable(DB, "`data/headroom.duckdb`", "the database: a DuckDB file, or `ducklake:postgres:…` (`--db` wins)"),
    Variable(CONFIG, "none: local single-user mode", "the team config file (roles, proxy, sign-in)"),
    Variable(DATA_PATH, "none", "the DuckLake's data folder when the `ducklake:` string names no `data_path=`"),
    Variable(OFFICIAL_DIR, "`data/official/`", "folder of official returns imported on first run; fetch target"),
    Variable(FONT_DIR, "`/usr/share/fonts/truetype/dejavu`", "folder holding DejaVuSans.ttf for the PDF pack"),
    Variable(CACHE_DIR, "`data/cache/`", "folder for chart images kept between restarts (servers may share it)"),
    Variable(UPLOAD_MAX_MB, "20", "largest workbook accepted, in megabytes"),
    Variable(BACKUP_DIR, "none: no scheduled backups", "folder the app writes scheduled backups into"),
    Variable(BACKUP_INTERVAL_H, "24", "hours between scheduled backups"),
    Variable(BACKUP_KEEP, "14", "scheduled backups kept (older ones are deleted)"),
    Variable(DEBUG, "off", "any value: the CLI prints the traceback of an unexpected error"),
    Variable(
        DEFAULT_AUTHORITY,
        "the first authority by name with official data, else the demo council",
        "ONS code a new session opens on (a link's `?authority=` wins)",
    ),
    Variable(SHARED_DATA, "`../shared/data/raw/la_reserves_mhclg/source`", "official workbooks the tests read", True),
    Variable(CHROMIUM, "`/usr/bin/chromium`", "the browser the Playwright tests drive", True),
    Variable(SHOW_SERVER_LOG, "off", "any value: browser tests print the Streamlit server's log", True),
)


@dataclass(frozen=True)
class Settings:
    """One reading of the environment: each variable stripped, `None` when unset or empty."""

    values: Mapping[str, str]

    def text(self, name: str) -> str | None:
        return self.values.get(name) or None

    def path(self, name: str) -> Path | None:
        value = self.text(name)
        return Path(value) if value else None

    @property
    def db(self) -> str | None:
        return self.text(DB)

    @property
    def config(self) -> str | None:
        return self.text(CONFIG)

    @property
    def data_path(self) -> str | None:
        return self.text(DATA_PATH)

    @property
    def official_dir(self) -> Path | None:
        return self.path(OFFICIAL_DIR)

    @property
    def font_dir(self) -> Path | None:
        return self.path(FONT_DIR)

    @property
    def cache_dir(self) -> Path | None:
        return self.path(CACHE_DIR)

    @property
    def debug(self) -> bool:
        return self.text(DEBUG) is not None

    @property
    def default_authority(self) -> str | None:
        return self.text(DEFAULT_AUTHORITY)

    def upload_max_bytes(self) -> int | None:
        """The upload size limit in bytes, or None for the default; `InputError` unless a positive number."""
        raw = self.text(UPLOAD_MAX_MB)
        if raw is None:
            return None
        try:
            mb = float(raw)
        except ValueError:
            raise InputError.single(UPLOAD_MAX_MB, "must be a number of megabytes", raw) from None
        if mb <= 0:
            raise InputError.single(UPLOAD_MAX_MB, "must be more than 0", raw)
        return int(mb * 1024 * 1024)

    def backup_schedule(self) -> tuple[Path, float, int] | None:
        """(folder, interval in hours, backups kept) when scheduled backups are on; `InputError` for bad numbers."""
        folder = self.path(BACKUP_DIR)
        if folder is None:
            return None
        where = f"{BACKUP_INTERVAL_H}/{BACKUP_KEEP}"
        try:
            interval_h = float(self.text(BACKUP_INTERVAL_H) or DEFAULT_BACKUP_INTERVAL_H)
            keep = int(self.text(BACKUP_KEEP) or DEFAULT_BACKUP_KEEP)
        except ValueError:
            raise InputError.single(where, "must be numbers") from None
        if interval_h <= 0 or keep < 1:
            raise InputError.single(where, "must be more than 0")
        return folder, interval_h, keep


def read(environ: Mapping[str, str] | None = None) -> Settings:
    """The `HEADROOM_*` variables as they are now (`environ` defaults to the process environment)."""
    env = os.environ if environ is None else environ
    return Settings({v.name: env.get(v.name, "").strip() for v in VARIABLES})
