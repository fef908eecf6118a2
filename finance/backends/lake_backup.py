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

Verified like a file backup (issue 16): the manifest records the sha256 and size of the catalog dump and of every
data file, and `restore_lake` checks every one of them (and that no file is missing or extra) before it touches
the target, refusing a mismatch with `InputError` naming the file: a flipped byte anywhere is never restored.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import duckdb

from finance.backends import ducklake
from finance.backends.target import LakeTarget
from finance.errors import HeadroomError, InputError, Problem

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
    files = _file_digests(folder)
    manifest: dict[str, object] = {
        "catalog": CATALOG_FILE,
        "catalog_database": target.dbname,
        "data_path": target.data_path,
        "data_files": len(files) - 1,
        "data_bytes": sum(size for name, (size, _) in files.items() if name != CATALOG_FILE),
        "files": {name: {"bytes": size, "sha256": digest} for name, (size, digest) in files.items()},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def _file_digests(folder: Path) -> dict[str, tuple[int, str]]:
    """Every file of a backup folder but its manifest (relative POSIX path -> size, sha256)."""
    out: dict[str, tuple[int, str]] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if name != MANIFEST:
            digest = hashlib.sha256()
            with path.open("rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    digest.update(chunk)
            out[name] = (path.stat().st_size, digest.hexdigest())
    return out


def verify_lake_backup(folder: Path) -> dict[str, object]:
    """Check every file of a `dump_lake` folder against its manifest; `InputError` naming each mismatch."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        wanted = {str(k): (int(v["bytes"]), str(v["sha256"])) for k, v in dict(manifest["files"]).items()}
    except FileNotFoundError:
        raise InputError.single(str(folder), f"holds no {MANIFEST}, so it cannot be verified: not restored") from None
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise InputError.single(f"{folder.name}/{MANIFEST}", f"is not a readable manifest ({err})") from None
    found = _file_digests(folder)
    problems = [
        Problem(f"{folder.name}/{name}", _mismatch(found.get(name), wanted.get(name)))
        for name in sorted(found.keys() | wanted.keys())
        if found.get(name) != wanted.get(name)
    ]
    if CATALOG_FILE not in wanted:
        problems.append(Problem(f"{folder.name}/{MANIFEST}", f"records no {CATALOG_FILE}: not a DuckLake backup"))
    if problems:
        raise InputError(problems, summary=f"{folder} does not match its manifest, so it was not restored")
    return dict(manifest)


def _mismatch(found: tuple[int, str] | None, wanted: tuple[int, str] | None) -> str:
    if found is None:
        return "is missing (the manifest records it)"
    if wanted is None:
        return "is not in the manifest"
    return f"is {found[0]:,} bytes with sha256 {found[1]}; the manifest records {wanted[0]:,} bytes, {wanted[1]}"


def restore_lake(folder: Path, target: LakeTarget) -> dict[str, object]:
    """Restore a `dump_lake` folder onto `target` once every file matches its manifest (`verify_lake_backup`):
    its catalog database must exist and be empty, its data folder must be empty or absent."""
    verify_lake_backup(folder)
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
