"""Storage backends behind `finance.store.Store`: the DuckDB file (embedded default) and DuckLake on PostgreSQL.

Why a package: the file backend needs nothing beyond DuckDB, while several app servers sharing one store need
DuckLake (catalog in PostgreSQL, Parquet data files on shared storage), which lacks DuckDB's constraints and has
its own write conflicts. `target` parses the configured string; `ducklake` connects, derives the lake's schema and
rules from `finance/sql`, and provides the write path's extra steps. `finance/store.py` stays the one module that
runs SQL for the rest of Headroom. See docs/RUNNING-AT-SCALE.md.
"""

from __future__ import annotations

from finance.backends import ducklake
from finance.backends.lake_backup import MANIFEST as LAKE_MANIFEST
from finance.backends.lake_backup import dump_lake, restore_lake, verify_lake_backup
from finance.backends.target import LakeTarget, is_lake, parse_lake

__all__ = [
    "LAKE_MANIFEST",
    "LakeTarget",
    "ducklake",
    "dump_lake",
    "is_lake",
    "parse_lake",
    "restore_lake",
    "verify_lake_backup",
]
