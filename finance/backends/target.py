"""Which store to open: a DuckDB file (the embedded default) or a DuckLake whose catalog is in PostgreSQL.

Why a parser of our own: the same string travels through `--db`, `HEADROOM_DB`, the Streamlit server's
environment and the test fixtures, so it has to be one self-contained value, and a typo in it must stop Headroom
with a message naming the problem, not with a libpq error from deep inside DuckDB.

Syntax (documented in docs/RUNNING-AT-SCALE.md)::

    ducklake:postgres:dbname=headroom host=10.0.0.5 port=5432 user=headroom data_path=/srv/headroom/lake

The part after `ducklake:postgres:` is a libpq key=value connection string (no quoted values); `data_path` is
Headroom's own key and names the folder (shared by every app server) where DuckLake writes its Parquet files. It
may instead come from `HEADROOM_DATA_PATH`. The password is better left to `PGPASSWORD` or `~/.pgpass`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from finance import settings as headroom_settings
from finance.errors import InputError

LAKE_PREFIX = "ducklake:"
POSTGRES_PREFIX = "ducklake:postgres:"
ENV_DATA_PATH = headroom_settings.DATA_PATH

# libpq connection keywords Headroom passes through (https://www.postgresql.org/docs/current/libpq-connect.html).
LIBPQ_KEYS = frozenset(
    {
        "dbname", "host", "hostaddr", "port", "user", "password", "passfile", "connect_timeout", "sslmode",
        "sslcert", "sslkey", "sslrootcert", "sslcrl", "application_name", "options", "target_session_attrs",
        "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count", "gssencmode", "service",
    }
)  # fmt: skip
_PAIR = re.compile(r"([A-Za-z_]+)=(\S+)")


@dataclass(frozen=True)
class LakeTarget:
    """A DuckLake: catalog in the PostgreSQL database named by `conninfo`, Parquet files under `data_path`."""

    conninfo: str
    data_path: str

    @property
    def dbname(self) -> str:
        return self.settings()["dbname"]

    def settings(self) -> dict[str, str]:
        return dict(part.split("=", 1) for part in self.conninfo.split())

    def describe(self) -> str:
        """The target without any password, for messages and logs."""
        shown = " ".join(f"{k}={'***' if k == 'password' else v}" for k, v in self.settings().items())
        return f"{POSTGRES_PREFIX}{shown} data_path={self.data_path}"


def is_lake(value: str) -> bool:
    """True when `value` names a DuckLake rather than a DuckDB file."""
    return value.strip().lower().startswith(LAKE_PREFIX)


def parse_lake(value: str, data_path: str | None = None) -> LakeTarget:
    """Parse a `ducklake:postgres:…` string; `InputError` naming what is wrong otherwise.

    The data path is the string's `data_path=`, else `data_path` given here, else `$HEADROOM_DATA_PATH`.
    """
    where = "HEADROOM_DB / --db"
    text = value.strip()
    if not text.lower().startswith(POSTGRES_PREFIX):
        raise InputError.single(
            where,
            "only a PostgreSQL catalog is supported: write ducklake:postgres:dbname=NAME host=HOST port=PORT "
            "data_path=FOLDER",
            text.split(" ")[0],
        )
    settings: dict[str, str] = {}
    for part in text[len(POSTGRES_PREFIX) :].split():
        match = _PAIR.fullmatch(part)
        if match is None:
            raise InputError.single(where, "each setting must be key=value with no spaces or quotes", part)
        key, val = match.group(1).lower(), match.group(2)
        if key != "data_path" and key not in LIBPQ_KEYS:
            raise InputError.single(where, "unknown setting (expected one of dbname, host, port, user, …)", key)
        if key in settings:
            raise InputError.single(where, "setting given twice", key)
        settings[key] = val
    if "dbname" not in settings:
        raise InputError.single(where, "names no catalog database: add dbname=NAME", text)
    path = settings.pop("data_path", None) or data_path or headroom_settings.read().data_path
    if not path:
        raise InputError.single(
            where, f"a DuckLake needs a data path: add data_path=FOLDER or set {ENV_DATA_PATH}", text
        )
    if "'" in path:
        raise InputError.single(where, "the data path may not contain a quote", path)
    if not path.endswith("/"):
        path += "/"
    return LakeTarget(" ".join(f"{k}={v}" for k, v in settings.items()), path)
