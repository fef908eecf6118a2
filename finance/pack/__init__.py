"""The committee pack (issue 6): what the pages show, as a PDF to attach to a committee report or an Excel workbook
of every table, for the selected authority, year and period; and a PNG of any single chart.

Built from the pages' own view functions (finance.pack.content), so a pack can never say something the pages do
not. `render(pack, "pdf" | "xlsx")` gives the file's bytes; the CLI (`python -m finance pack`) and the Committee
pack page both call `build_pack` then `render`.
"""

from __future__ import annotations

from finance.errors import InputError
from finance.pack.content import SECTIONS, Chart, Pack, Section, Table, build_pack, check_request, pack_periods
from finance.pack.excel import sheet_names, xlsx_bytes
from finance.pack.images import ChartImageError, browser_path, chart_png, render_pngs
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


__all__ = [
    "FORMATS",
    "SECTIONS",
    "Chart",
    "ChartImageError",
    "Pack",
    "Section",
    "Table",
    "browser_path",
    "build_pack",
    "chart_png",
    "check_request",
    "pack_periods",
    "pdf_bytes",
    "render",
    "render_pngs",
    "xlsx_bytes",
]
