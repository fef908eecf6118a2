"""Refuse files that are not safe or not plain workbooks, before any parser sees them.

An upload is untrusted bytes. Everything here looks only at the file's size, signature and zip directory, so a
hostile file (a zip bomb, a macro-enabled or encrypted workbook, something that is not a spreadsheet at all) is
refused with words a finance officer can act on before openpyxl decompresses anything.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from finance import settings
from finance.errors import InputError, Problem

ENV_MAX_MB = settings.UPLOAD_MAX_MB
DEFAULT_MAX_MB = 20.0

OLE2_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")  # Compound File Binary: legacy .xls, or an encrypted .xlsx
ZIP_SIGNATURE = b"PK\x03\x04"
_ENCRYPTED_MARKERS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))


@dataclass(frozen=True)
class Limits:
    """What an upload may be. The defaults hold a year of monthly monitoring with room to spare.

    `max_ratio` is the largest compression ratio of any one member: spreadsheet XML compresses about 5-30 times;
    a zip bomb compresses thousands of times. The per-sheet limits bound what a reader builds for a sheet it reads
    (a grid from A1 to the furthest cell, and a copy of every piece of text per cell), so that any file within
    `max_bytes` is parsed in well under 1 GB; `parse_memory_bytes` and `parse_seconds` bound the child process
    that parses an upload, in case a reader fails in a way no check foresaw.
    """

    max_bytes: int = int(DEFAULT_MAX_MB * 1024 * 1024)
    max_uncompressed_bytes: int = 400 * 1024 * 1024
    max_ratio: float = 200.0
    max_members: int = 5_000
    max_rows_per_sheet: int = 200_000
    max_columns_per_sheet: int = 200  # GR: a monitoring sheet needs dozens; a year of monthly profiles fits easily
    max_cells_per_sheet: int = 5_000_000  # rows × columns of the grid from A1
    max_text_chars_per_sheet: int = 100_000_000
    max_shared_strings: int = 2_000_000
    # cells showing an error (#REF!, #DIV/0! …) in one sheet: each is refused with its cell named, so a few
    # hundred are worth listing; thousands mean a broken sheet, refused as such before it is read
    max_error_cells_per_sheet: int = 2_000
    parse_memory_bytes: int = 1536 * 1024 * 1024  # the child's address space, libraries and all
    parse_seconds: float = 25.0  # of processor time; the wall clock allows three times that on a busy server

    @classmethod
    def from_env(cls) -> Limits:
        """Defaults, with the size limit taken from $HEADROOM_UPLOAD_MAX_MB (megabytes) when set."""
        max_bytes = settings.read().upload_max_bytes()
        return cls() if max_bytes is None else cls(max_bytes=max_bytes)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def check_upload(data: bytes, file_name: str, limits: Limits | None = None) -> None:
    """Raise `InputError` (naming the file) unless `data` is a plain .xlsx that is safe to open.

    Checks, in order: size; extension (.xlsx only: .xlsm/.xlsb/.xls/.ods/.csv are refused with what to do);
    signature (encrypted or legacy files are OLE2 containers); the zip directory (readable, member count, total
    uncompressed size, compression ratio of each member, no VBA project, has a workbook part).
    """
    limits = limits or Limits.from_env()
    where = PurePath(file_name).name or "upload"

    def refuse(message: str, value: str = "") -> InputError:
        return InputError(Problem(where, message, value))

    if len(data) > limits.max_bytes:
        raise refuse(f"is {_mb(len(data))}; the largest file accepted is {_mb(limits.max_bytes)}")
    if not data:
        raise refuse("is empty")
    ext = PurePath(file_name).suffix.lower()
    if ext == ".xlsm" or ext == ".xltm":
        raise refuse("is a macro-enabled workbook (.xlsm), which is refused for safety: save it as .xlsx")
    if data.startswith(OLE2_SIGNATURE):
        if any(marker in data for marker in _ENCRYPTED_MARKERS):
            raise refuse("is password-protected (encrypted): remove the password in Excel and save as .xlsx")
        raise refuse("is an old-format Excel file (.xls) or another binary document: save it as .xlsx")
    if ext in (".xls", ".xlsb", ".ods", ".csv", ".txt"):
        raise refuse(f"is a {ext} file: save it as an Excel workbook (.xlsx)")
    if not data.startswith(ZIP_SIGNATURE):
        raise refuse("is not an Excel workbook (.xlsx): it does not start like one")
    if ext != ".xlsx":
        raise refuse("must be an Excel workbook with the extension .xlsx", ext or "(no extension)")
    _check_zip(data, limits, refuse)


def _check_zip(data: bytes, limits: Limits, refuse: Callable[..., InputError]) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > limits.max_members:
                raise refuse(f"holds {len(infos)} parts; a workbook has far fewer (the limit is {limits.max_members})")
            total = sum(i.file_size for i in infos)
            if total > limits.max_uncompressed_bytes:
                raise refuse(
                    f"expands to {_mb(total)}, more than the {_mb(limits.max_uncompressed_bytes)} allowed "
                    "(a zip bomb, or far larger than a monitoring workbook)"
                )
            for info in infos:
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > 1024 * 1024 and ratio > limits.max_ratio:
                    raise refuse(
                        f"has a part ({info.filename}) compressed {ratio:.0f} times; more than "
                        f"{limits.max_ratio:.0f} times is refused as a likely zip bomb"
                    )
            names = {i.filename for i in infos}
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise refuse("contains macros (a VBA project), which are refused for safety: save it as .xlsx")
            if "[Content_Types].xml" not in names or not any(re.fullmatch(r"xl/workbook\d*\.xml", n) for n in names):
                raise refuse("is a zip file but not an Excel workbook (.xlsx)")
            content_types = zf.read("[Content_Types].xml")
            if b"macroEnabled" in content_types:
                raise refuse("is a macro-enabled workbook, which is refused for safety: save it as .xlsx")
    except (zipfile.BadZipFile, zlib.error) as err:
        raise refuse("is corrupt: it could not be opened as a workbook (re-save it in Excel)", str(err)) from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as err:
        raise refuse("could not be opened as a workbook (re-save it in Excel)", str(err)) from None


def scan_worksheets(data: bytes) -> tuple[bool, bool]:
    """(has formulas, has error cells) over every worksheet part, read from the zip without parsing the XML.

    Formulas make the reader pay for a formula-mode pass (to find formulas with no saved value). Error cells
    (`t="e"`, e.g. #REF!) are found, with their position and text, by `extent` (the reader lays them over
    calamine's values, which blank them); the flag says only that there are some.
    """
    formulas = errors = False
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            if not info.filename.startswith("xl/worksheets/"):
                continue
            with zf.open(info) as f:
                tail = b""
                while chunk := f.read(1 << 20):
                    window = tail + chunk
                    formulas = formulas or bool(_FORMULA.search(window))
                    errors = errors or bool(_ERROR_CELL.search(window))
                    if formulas and errors:
                        return True, True
                    tail = chunk[-256:]
    return formulas, errors


_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")
_ERROR_CELL = re.compile(rb"<(?:\w+:)?c [^>]*\bt=\"e\"")
