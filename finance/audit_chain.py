"""The audit trail as a hash chain, and its head kept outside the database (issue 16).

Why: the audit log is only worth something if changing it shows. Each `audit_log` row carries the sha256 of the
row before it (`prev_sha256`) and its own (`sha256`, over its canonical content including `prev_sha256`), so
changing or deleting any row breaks the chain at the next one. Deleting the *newest* rows breaks nothing inside
the database, so the head (newest id and hash) is also written outside it, in every backup's manifest and in a
small sidecar file rewritten after every audited commit: `<db>.audit-head` beside a database file, and
`headroom-<catalog>.audit-head` in a DuckLake's data folder. `check` walks the chain and requires the sidecar's
head to be in it; `restore` requires the backup's head to match its manifest. Ids are never reused: a new row
takes the next id after both the database's newest and the sidecar's, so after a restore the history that was
rolled back keeps its ids.

Pure functions and file I/O only (no database access): the store computes each row's hash in the write's own
transaction, `check` and `backup` read the rows and compare.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

GENESIS = "0" * 64  # the prev_sha256 of the first row
COLUMNS = "audit_id, at_utc, user_name, role, via, action, prev_sha256, sha256"  # SELECT list for `verify`


@dataclass(frozen=True)
class Head:
    """The newest audit row: its id and hash."""

    audit_id: int
    sha256: str

    def as_dict(self) -> dict[str, object]:
        return {"audit_id": self.audit_id, "sha256": self.sha256}


def row_hash(
    audit_id: int, at_utc: datetime, user_name: str, role: str | None, via: str, action: str, prev_sha256: str
) -> str:
    """sha256 of the row's canonical content: a compact JSON array of its fields, the time in ISO form to the
    microsecond (what DuckDB stores), ending with the previous row's hash."""
    content = [int(audit_id), at_utc.isoformat(sep=" ", timespec="microseconds"), user_name, role, via, action]
    text = json.dumps([*content, prev_sha256], separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def verify(rows: Sequence[Sequence[Any]], head: Head | None) -> list[tuple[Any, ...]]:
    """The breaks in the chain `rows` (`COLUMNS`, in id order) and against `head` (the sidecar's or a manifest's):
    one tuple per problem (audit id, what is wrong); empty when the chain holds."""
    problems: list[tuple[Any, ...]] = []
    prev, last_id = GENESIS, 0
    hashes: dict[int, str] = {}
    for audit_id, at_utc, user_name, role, via, action, prev_sha256, sha256 in rows:
        if prev_sha256 != prev:
            problems.append((audit_id, "prev_sha256 is not the previous row's hash: a row was removed or changed"))
        if sha256 != row_hash(audit_id, at_utc, user_name, role, via, action, str(prev_sha256)):
            problems.append((audit_id, "sha256 does not match the row's content: the row was changed"))
        prev, last_id = str(sha256), int(audit_id)
        hashes[last_id] = prev
    if head is not None and hashes.get(head.audit_id) != head.sha256:
        problems.append(
            (
                head.audit_id,
                f"the head recorded outside the database (id {head.audit_id}, sha256 {head.sha256[:16]}…) is not in "
                f"the chain (newest id {last_id}): rows were deleted or rewritten",
            )
        )
    return problems


def sidecar_for(db_path: str, lake: tuple[str, str] | None) -> Path | None:
    """Where the head is kept for a database: beside the file, or for a lake (data folder, catalog database) in
    its data folder, named by its catalog (one folder may serve several catalogs); None in memory."""
    if lake is not None:
        return Path(lake[0]) / f"headroom-{lake[1]}.audit-head"
    if db_path == ":memory:":
        return None
    return Path(db_path).with_name(Path(db_path).name + ".audit-head")


def read_head(path: Path | None) -> Head | None:
    """The head in `path`; None when there is no file (a fresh or copied database). A damaged file is a problem
    `check` reports, so it reads as a head no chain holds."""
    if path is None or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Head(int(data["audit_id"]), str(data["sha256"]))
    except (ValueError, KeyError, TypeError):
        return Head(-1, "unreadable head file")


def write_head(path: Path | None, head: Head, *, replace: bool = False) -> None:
    """Record `head` in `path` when it is newer than the one there (several servers of one lake write it; the
    newest wins), or unconditionally with `replace` (a restore). Locked, written to a temporary name, renamed."""
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with (path.with_name(path.name + ".lock")).open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        current = read_head(path)
        if not replace and current is not None and current.audit_id >= head.audit_id:
            return
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        partial.write_text(json.dumps(head.as_dict()), encoding="utf-8")
        partial.replace(path)


def database_id(db_path: str, lake: tuple[str, str] | None) -> str:
    """What a backup manifest records as the database it was taken of, so `check` compares a database only with
    its own backups: a file by its absolute path, a lake by catalog name and data folder (never its connection
    string, which may hold a password)."""
    if lake is not None:
        return f"ducklake:{lake[1]}@{lake[0]}"
    return db_path if db_path == ":memory:" else str(Path(db_path).resolve())


def manifest_heads(folders: Sequence[Path], database: str, newest: int = 3) -> list[tuple[str, Head]]:
    """The heads recorded in the newest `newest` backup manifests of `database` (`database_id`) in `folders`:
    (manifest name, head), oldest first. Manifests of other databases, without a head or unreadable are passed
    over (a backup's own verification reads its manifest strictly)."""
    found: list[tuple[str, Head]] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.glob("headroom-*.json"):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if not isinstance(data, dict) or data.get("database") != database or not data.get("audit_head"):
                    continue
                found.append((path.name, Head(int(data["audit_head"]["audit_id"]), str(data["audit_head"]["sha256"]))))
            except (OSError, ValueError, KeyError, TypeError):
                continue
    return sorted(found)[-newest:] if newest > 0 else []


def outside_head_problems(
    rows: Sequence[Sequence[Any]], sidecar: Head | None, has_sidecar: bool, manifests: Sequence[tuple[str, Head]]
) -> list[tuple[Any, ...]]:
    """What the heads kept outside the database say about `rows` (`COLUMNS`, in id order), beyond `verify`:

    - a database that keeps a sidecar (`has_sidecar`) but has none, while its audit log has rows: the sidecar was
      deleted (perhaps with the newest rows, which nothing inside the database can show);
    - each backup manifest's head must be in the chain — unless a `restore` row newer than it says the history
      it recorded was rolled back on purpose. A sidecar deleted (or rewritten) together with the newest rows is
      still caught when a backup was taken after them."""
    problems: list[tuple[Any, ...]] = []
    if has_sidecar and sidecar is None and rows:
        problems.append(
            (
                int(rows[-1][0]),
                f"the head file kept beside the database is missing, though the audit log has {len(rows)} rows: it "
                "was deleted (perhaps with the newest rows). If the database was copied here on purpose, copy its "
                ".audit-head file with it",
            )
        )
    hashes = {int(r[0]): str(r[7]) for r in rows}
    restores = [int(r[0]) for r in rows if r[5] == "restore"]
    for name, head in manifests:
        if hashes.get(head.audit_id) == head.sha256 or any(rid > head.audit_id for rid in restores):
            continue
        newest = max(hashes, default=0)
        problems.append(
            (
                head.audit_id,
                f"the head recorded in backup manifest {name} (id {head.audit_id}, sha256 {head.sha256[:16]}…) is not "
                f"in the chain (newest id {newest}), and no restore since explains it: rows were deleted or rewritten",
            )
        )
    return problems
