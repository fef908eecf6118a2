"""A throwaway PostgreSQL on loopback for the DuckLake tests and benchmark, and lakes made from it.

Why start our own: the DuckLake backend's catalog lives in PostgreSQL, and the tests must exercise the real thing
(Debian's postgresql, installed by .ci/run) without touching any server of the machine's. So a session-scoped
cluster is initdb'd into a temporary folder, listens on 127.0.0.1 only (no Unix socket) on a free port, and is
stopped and deleted at the end. PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.

Each test gets its own catalog database, cloned (`CREATE DATABASE … TEMPLATE`) from one migrated once per
session, so a fresh lake costs a PostgreSQL file copy rather than the whole schema's DDL. All lakes of a session
share one data folder: DuckLake names its Parquet files by UUID, and the clones keep the template's data path.
Locally, with no PostgreSQL installed, the tests skip saying so; in CI (CI=true) they fail instead.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

TEMPLATE_DB = "headroom_template"


def postgres_bin() -> Path | None:
    """Debian's PostgreSQL binaries (/usr/lib/postgresql/N/bin), newest version first; None when absent."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[4]), reverse=True)
    return found[0].parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LocalPostgres:
    """One PostgreSQL cluster in a temporary folder, on 127.0.0.1:`port`, trusting loopback connections."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.folder = Path(tempfile.mkdtemp(prefix="headroom-pg-"))
        self.port = free_port()
        self.data = self.folder / "data"
        self.lake_data = self.folder / "lake-files"
        self._as: list[str] = []
        if os.geteuid() == 0:  # postgres will not run as root
            self._as = ["runuser", "-u", "postgres", "--"]
            pg = pwd.getpwnam("postgres")
            os.chown(self.folder, pg.pw_uid, pg.pw_gid)
        self.folder.chmod(0o755)
        self._names = itertools.count(1)

    def _run(self, *args: str) -> str:
        done = subprocess.run([*self._as, *args], capture_output=True, text=True, cwd=self.folder, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def start(self) -> LocalPostgres:
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories='' -c fsync=off"
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"),
                  "-w", "-t", "60", "start")  # fmt: skip
        return self

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def psql(self, sql: str, dbname: str = "postgres") -> str:
        return self._run(str(self.bindir / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                         "-d", dbname, "-v", "ON_ERROR_STOP=1", "-qAtc", sql)  # fmt: skip

    def conninfo(self, dbname: str) -> str:
        return f"dbname={dbname} host=127.0.0.1 port={self.port} user=postgres"

    def lake(self, dbname: str, data_path: Path | None = None) -> str:
        """The `ducklake:postgres:…` string Headroom is configured with for catalog `dbname`."""
        return f"ducklake:postgres:{self.conninfo(dbname)} data_path={data_path or self.lake_data}"

    def create_db(self, dbname: str, template: str | None = None) -> str:
        self.psql(f'CREATE DATABASE "{dbname}"' + (f' TEMPLATE "{template}"' if template else ""))
        return dbname

    def fresh_lake(self) -> str:
        """A new, migrated, empty lake (a clone of the session's template catalog)."""
        if not self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{TEMPLATE_DB}'").strip():
            from finance.store import Store

            self.create_db(TEMPLATE_DB)
            Store.open(self.lake(TEMPLATE_DB)).close()
        return self.lake(self.create_db(f"lake_{os.getpid()}_{next(self._names)}", TEMPLATE_DB))


def start_or_skip() -> LocalPostgres:
    """Start a cluster; skip (fail in CI) with the reason when Debian's postgresql is not installed."""
    bindir = postgres_bin()
    if bindir is None:
        reason = "PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb); .ci/run installs it"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return LocalPostgres(bindir).start()


@pytest.fixture(scope="session")
def postgres() -> Iterator[LocalPostgres]:
    """A PostgreSQL cluster on loopback for this test session (one per xdist worker)."""
    server = start_or_skip()
    try:
        yield server
    finally:
        server.stop()
