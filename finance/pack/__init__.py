"""The committee pack (issue 6): what the pages show, as a PDF to attach to a committee report or an Excel workbook
of every table, for the selected authority, year and period; and a PNG of any single chart.

Built from the pages' own view functions (finance.pack.content), so a pack can never say something the pages do
not. `render(pack, "pdf" | "xlsx")` gives the file's bytes; the CLI (`python -m finance pack`) and the Committee
pack page both call `build_pack` then `render` (the page through `pack_page`, its view model).
"""

from __future__ import annotations

from finance.pack.content import SECTIONS, Chart, Pack, Section, Table, build_pack, check_request, pack_periods
from finance.pack.excel import sheet_names, xlsx_bytes
from finance.pack.formats import FORMATS, render
from finance.pack.images import ChartImageError, browser_path, chart_png, render_pngs
from finance.pack.page import PackFile, PackPage, pack_page
from finance.pack.pdf import pdf_bytes

__all__ = [
    "FORMATS",
    "SECTIONS",
    "Chart",
    "ChartImageError",
    "Pack",
    "PackFile",
    "PackPage",
    "Section",
    "Table",
    "browser_path",
    "build_pack",
    "chart_png",
    "check_request",
    "pack_page",
    "pack_periods",
    "pdf_bytes",
    "render",
    "render_pngs",
    "sheet_names",
    "xlsx_bytes",
]
