"""Where Headroom keeps its data, read from the command line or the environment.

One function per setting, so the app, the CLI and the tests agree: the database path comes from `--db`, else
`HEADROOM_DB`, else `data/headroom.duckdb` beside the code; official workbooks are looked for in
`HEADROOM_OFFICIAL_DIR`, else `data/official/`.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_DB = DATA_DIR / "headroom.duckdb"
DEFAULT_OFFICIAL_DIR = DATA_DIR / "official"

ENV_DB = "HEADROOM_DB"
ENV_OFFICIAL_DIR = "HEADROOM_OFFICIAL_DIR"


def db_path(cli_value: str | None = None) -> str:
    """The database to open: `--db`, else `$HEADROOM_DB`, else `data/headroom.duckdb`."""
    if cli_value:
        return cli_value
    env = os.environ.get(ENV_DB, "").strip()
    return env or str(DEFAULT_DB)


def official_dir() -> Path:
    """Folder searched for official returns on first run, and the default download folder."""
    env = os.environ.get(ENV_OFFICIAL_DIR, "").strip()
    return Path(env) if env else DEFAULT_OFFICIAL_DIR
