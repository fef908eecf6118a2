"""Where Headroom keeps its data, read from the command line or the environment.

One function per setting, so the app, the CLI and the tests agree: the database path comes from `--db`, else
`HEADROOM_DB`, else `data/headroom.duckdb` beside the code; official workbooks are looked for in
`HEADROOM_OFFICIAL_DIR`, else `data/official/`.

The database is either a DuckDB file path or, for several app servers sharing one store, a DuckLake:
`ducklake:postgres:dbname=… host=… port=… data_path=FOLDER` (or the data folder in `HEADROOM_DATA_PATH`); see
`finance.backends.target` and docs/RUNNING-AT-SCALE.md. A malformed DuckLake string is refused here, naming the
problem, before anything is opened.
"""

from __future__ import annotations

from pathlib import Path

from finance import settings
from finance.backends import is_lake, parse_lake

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_DB = DATA_DIR / "headroom.duckdb"
DEFAULT_OFFICIAL_DIR = DATA_DIR / "official"

ENV_DB = settings.DB
ENV_OFFICIAL_DIR = settings.OFFICIAL_DIR


def db_path(cli_value: str | None = None) -> str:
    """The database to open: `--db`, else `$HEADROOM_DB`, else `data/headroom.duckdb`.

    A `ducklake:…` value is checked here (`InputError` naming what is wrong) and returned as given.
    """
    value = cli_value or settings.read().db or str(DEFAULT_DB)
    if is_lake(value):
        parse_lake(value)
    return value


def official_dir() -> Path:
    """Folder searched for official returns on first run, and the default download folder."""
    return settings.read().official_dir or DEFAULT_OFFICIAL_DIR
