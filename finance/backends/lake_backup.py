"""Backing up and restoring a DuckLake store: the PostgreSQL catalog dump plus the data files.

Why not `Store.snapshot` alone: that copies the lake's *current tables* into a DuckDB file (useful, portable — it
is what `python -m finance backup` writes on either backend), but a lake's own backup is its catalog and its
Parquet files, which keep the snapshot history and restore onto a lake. Order matters: the catalog is dumped
first (`pg_dump` takes one consistent snapshot of it), then the data folder is copied. DuckLake never changes a
data file once written, and only its maintenance (`ducklake_cleanup_old_files`, `ducklake_expire_snapshots`)
removes any, so every file the dumped catalog refers to is still there when it is copied; files written by later
commits are copied too and are simply unreferenced after a restore. Do not run that maintenance during a backup.

Restoring needs an empty catalog database: `pg_restore` into it, copy the files into the new data folder, and
point the catalog's `data_path` at that folder (file paths in the catalog are relative to it).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import duckdb

from finance.backends import ducklake
from finance.backends.target import LakeTarget
from finance.errors import HeadroomError

CATALOG_FILE = "catalog.pgdump"
DATA_DIR = "data"
MANIFEST = "manifest.json"


def _pg_tool(name: str) -> str:
    found = shutil.which(name) or next(
        (str(p) for p in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)), None
    )
    if found is None:
        raise HeadroomError(f"{name} not found: install PostgreSQL's client programs (Debian: postgresql-client)")
    return found


def _run(args: list[str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise HeadroomError(f"{Path(args[0]).name} failed ({done.returncode}): {done.stderr.strip()}")


def dump_lake(target: LakeTarget, folder: Path) -> dict[str, object]:
    """Back up the lake into the new folder `folder`: `catalog.pgdump` (pg_dump, custom format), then `data/`."""
    if folder.exists() and any(folder.iterdir()):
        raise HeadroomError(f"{folder} is not empty: back up into a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={folder / CATALOG_FILE}", target.conninfo])
    source = Path(target.data_path)
    if source.is_dir():
        shutil.copytree(source, folder / DATA_DIR)
    else:
        (folder / DATA_DIR).mkdir()
    files = sorted(p for p in (folder / DATA_DIR).rglob("*") if p.is_file())
    manifest: dict[str, object] = {
        "catalog": CATALOG_FILE,
        "catalog_database": target.dbname,
        "data_path": target.data_path,
        "data_files": len(files),
        "data_bytes": sum(p.stat().st_size for p in files),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def restore_lake(folder: Path, target: LakeTarget) -> dict[str, object]:
    """Restore a `dump_lake` folder onto `target`: its catalog database must exist and be empty, its data folder
    must be empty or absent."""
    if not (folder / CATALOG_FILE).is_file():
        raise HeadroomError(f"{folder} holds no {CATALOG_FILE}: not a DuckLake backup")
    data = Path(target.data_path)
    if data.exists() and any(data.iterdir()):
        raise HeadroomError(f"{data} is not empty: restore into a new data folder")
    _run(
        [
            _pg_tool("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            f"--dbname={target.conninfo}",
            str(folder / CATALOG_FILE),
        ]
    )
    shutil.copytree(folder / DATA_DIR, data, dirs_exist_ok=True)
    conn = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    try:
        conn.execute(f"LOAD {ducklake.quote(str(ducklake.extension_files()[0]))}")
        conn.execute(f"ATTACH {ducklake.quote(target.conninfo)} AS catalog (TYPE postgres)")
        conn.execute(
            "UPDATE catalog.public.ducklake_metadata SET value = ? WHERE key = 'data_path'", [target.data_path]
        )
    finally:
        conn.close()
    return {"restored_from": str(folder), "catalog_database": target.dbname, "data_path": target.data_path}
