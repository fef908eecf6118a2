"""The pack's file formats: PDF to attach to a committee report, or an Excel workbook of every table."""

from __future__ import annotations

from finance.errors import InputError
from finance.pack.content import Pack
from finance.pack.excel import sheet_names, xlsx_bytes
from finance.pack.pdf import Progress, pdf_bytes

FORMATS: dict[str, str] = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def render(pack: Pack, fmt: str, progress: Progress | None = None) -> bytes:
    """The pack as `fmt` ("pdf" or "xlsx") bytes."""
    if fmt == "pdf":
        return pdf_bytes(pack, sheets=sheet_names(pack), progress=progress)
    if fmt == "xlsx":
        return xlsx_bytes(pack)
    raise InputError.single("format", f"must be one of {', '.join(FORMATS)}", fmt)
