"""First-run set-up: make sure the database has something to show, on any machine.

On a machine with no official files and no network the app still starts on the illustrative demo dataset. Any
official returns found in the configured folder (`HEADROOM_OFFICIAL_DIR`, default `data/official/`) are imported
too; importing is idempotent (by sha256), so running this at every start only loads what is new.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from finance import demo
from finance.errors import HeadroomError
from finance.store import Store

log = logging.getLogger(__name__)

OFFICIAL_SUFFIXES = {".xls", ".xlsx", ".ods", ".csv"}


@dataclass
class BootReport:
    demo: demo.DemoReport | None = None
    official_files: list[str] = field(default_factory=list)
    official_errors: list[str] = field(default_factory=list)


def official_files_in(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in OFFICIAL_SUFFIXES)


def ensure_ready(store: Store, official_dir: Path | None) -> BootReport:
    """Build the demo dataset if absent, then import any new official files from `official_dir`."""
    report = BootReport()
    if not store.scalar("SELECT count(*) FROM authority WHERE is_illustrative"):
        report.demo = demo.build_demo(store)
    files = official_files_in(official_dir) if official_dir is not None else []
    if not files:
        return report
    from finance.official import import_paths  # only needed when there is something to import

    try:  # all at once: one transaction, and ONS codes learnt from the newer files key the older ones
        batches = [import_paths(store, files, user="startup")]
    except HeadroomError:  # a file that is not a usable return: file by file, so the others still load
        batches = []
        for path in files:
            try:
                batches.append(import_paths(store, [path], user="startup"))
            except HeadroomError as err:
                log.warning("official file not imported: %s", err)
                report.official_errors.append(str(err))
    for items in batches:
        for item in items:
            if item.status != "unchanged":
                report.official_files.append(f"{item.file_name} ({item.financial_year}, {item.status})")
    return report
