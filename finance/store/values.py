"""Plain values every part of the store uses: file hashes, the UTC timestamp the tables hold, a loaded file's
provenance (`Source`) and the parameters a statement takes. No DuckDB here."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

Params = Sequence[Any] | dict[str, Any] | None


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def utc_now() -> datetime:
    """Naive UTC timestamp (DuckDB TIMESTAMP), so reading it back needs no time-zone library."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Source:
    """Provenance of one loaded file, as recorded in `source_file`."""

    kind: str  # 'official' | 'demo' | 'upload'
    file_name: str
    sha256: str
    dataset: str
    basis: str  # 'outturn' | 'budget_estimate' | 'illustrative' | 'monitoring'
    financial_year: str | None = None
    publisher_note: str | None = None
