"""Storage backends behind `finance.store.Store`: the DuckDB file (embedded default) and DuckLake on PostgreSQL.

Why a package: the file backend needs nothing beyond DuckDB, while several app servers sharing one store need
DuckLake (catalog in PostgreSQL, Parquet data files on shared storage), which lacks DuckDB's constraints and has
its own write conflicts. `target` parses the configured string; `ducklake` connects, derives the lake's schema and
rules from `finance/sql`, and provides the write path's extra steps. `finance/store/` stays the one package that
runs SQL for the rest of Headroom. See docs/RUNNING-AT-SCALE.md.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from finance.backends.target import LakeTarget, is_lake, parse_lake

if TYPE_CHECKING:
    from finance.backends import ducklake
    from finance.backends.lake_backup import MANIFEST as LAKE_MANIFEST
    from finance.backends.lake_backup import dump_lake, restore_lake, verify_lake_backup

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

# the DuckLake modules import DuckDB: reading the configured target (`finance.config`, every CLI start) must not
# pay for them, so they are imported on first use
_LAZY = {
    "ducklake": ("finance.backends.ducklake", None),
    "LAKE_MANIFEST": ("finance.backends.lake_backup", "MANIFEST"),
    "dump_lake": ("finance.backends.lake_backup", "dump_lake"),
    "restore_lake": ("finance.backends.lake_backup", "restore_lake"),
    "verify_lake_backup": ("finance.backends.lake_backup", "verify_lake_backup"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _LAZY[name]
    loaded = import_module(module)
    return loaded if attribute is None else getattr(loaded, attribute)
