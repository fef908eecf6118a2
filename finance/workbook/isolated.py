"""Read an upload's workbook in a child process, so that a reader failing in a way no check foresaw refuses the
file instead of ending the server.

`check_upload` (size, signature, zip directory) runs here, in the server: it reads only the zip directory and keeps
oversized files from being copied to a child at all. Everything that decompresses and parses sheets
(`read_workbook`: the extent checks, calamine, openpyxl) runs in the child under `Limits.parse_memory_bytes` and
`Limits.parse_seconds`.
"""

from __future__ import annotations

from pathlib import PurePath

from finance.errors import InputError
from finance.sandbox import ChildFailedError, ChildLimits, run_in_child
from finance.workbook.reader import Progress, RawWorkbook, read_workbook
from finance.workbook.safety import Limits, check_upload
from finance.workbook.schema import SHEETS_BY_NAME


def read_upload(
    data: bytes, file_name: str, limits: Limits, *, isolated: bool = True, progress: Progress | None = None
) -> RawWorkbook:
    """Check and read an uploaded workbook; raise `InputError` naming the file (or its cells) if it is refused.

    With `isolated` (the default) the sheets are read in a child process; without it (demo data the code built
    itself, and in-process fuzzing) in this process, reporting progress per sheet.
    """
    check_upload(data, file_name, limits)
    if not isolated:
        return read_workbook(data, file_name, limits, progress)
    if progress:
        progress(0.1, "Reading the sheets")
    child = ChildLimits(limits.parse_memory_bytes, limits.parse_seconds)
    try:
        raw: RawWorkbook = run_in_child("finance.workbook.reader:read_workbook", (data, file_name, limits), child)
    except ChildFailedError as failed:
        where = PurePath(file_name).name or "upload"
        raise InputError.single(
            where, f"could not be read: reading it {failed.reason}. Re-save it in Excel (or as a new file) and retry"
        ) from None
    for table in raw.sheets:  # the pickle copied each spec; the validator compares specs by identity
        table.spec = SHEETS_BY_NAME[table.spec.name]
    return raw
