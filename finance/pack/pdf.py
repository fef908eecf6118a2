"""The committee pack as a PDF a committee clerk can attach to a report: A4, numbered pages, readable in greyscale.

Why fpdf2: it writes Unicode text with an embedded TrueType font (so £, −, ✖ ▲ ✔ and ↘ ↗ come out as text that
pdftotext and screen readers read back exactly as the page shows them), an outline of the headings that is also
tagged in the structure tree (`start_section` with section title styles), and alt text on every chart image
(`/Figure` structure elements). Status is always a word and a symbol, charts carry patterns and dashes
(finance.pack.images), and no meaning is left to colour.

Everything drawn comes from a `Pack` (finance.pack.content): this module lays out, it never formats a figure.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import math
import struct
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from fpdf import FPDF, TextStyle
from fpdf.image_parsing import preload_image
from fpdf.outline import OutlineSection

from finance import export, settings
from finance.committee import Card
from finance.errors import HeadroomError
from finance.pack.content import ILLUSTRATIVE, Chart, Pack, Section, Table
from finance.pack.images import on_prefetched, render_pngs
from finance.pack.typeset import Contents, TableStyle, add_font, column_widths, draw_table, paragraph

SYSTEM_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVu"
MAX_PDF_ROWS = 60  # longer tables are in the Excel pack; the PDF says so
GREY = (90, 90, 90)
HEAD_FILL = (225, 225, 225)

Progress = Callable[[str], None]


class FontMissingError(HeadroomError):
    title = "PDF font not available"


def _font_dir() -> Path:
    for d in (settings.read().font_dir, SYSTEM_FONT_DIR):
        if d and (d / "DejaVuSans.ttf").exists():
            return d
    raise FontMissingError("DejaVu Sans is needed for the PDF (Debian: apt-get install fonts-dejavu-core)")


class _Doc(FPDF):
    def __init__(self, pack: Pack) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.pack = pack
        fonts = _font_dir()
        add_font(self, FONT, "", fonts / "DejaVuSans.ttf")
        add_font(self, FONT, "B", fonts / "DejaVuSans-Bold.ttf")
        add_font(self, FONT, "I", fonts / "DejaVuSans-Oblique.ttf")
        self.set_margins(15, 18, 15)
        self.set_auto_page_break(True, margin=18)
        self.set_lang("en-GB")
        self.set_title(pack.title)
        self.set_author("Headroom")
        self.set_subject(f"Financial resilience committee pack: {pack.authority.name}, {pack.when}")
        self.set_creator("Headroom (python -m finance pack)")
        self.set_section_title_styles(
            TextStyle(font_family=FONT, font_style="B", font_size_pt=16, t_margin=2, b_margin=3),
            TextStyle(font_family=FONT, font_style="B", font_size_pt=12, t_margin=3, b_margin=2),
        )
        self.body_top = self.t_margin
        self.toc = Contents(
            text_style=TextStyle(font_family=FONT, font_style="", font_size_pt=10), level_indent=6, line_spacing=1.4
        )

    def render_contents(self, _doc: FPDF, outline: list[OutlineSection]) -> None:
        """The contents, drawn by fpdf when the document is output. It does not draw the header again on the
        contents' later pages (it was drawn when they were reserved), so they start below it as other pages do."""
        self.set_top_margin(self.body_top)
        self.toc.render_toc(self, outline)

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*GREY)
        mark = " · ILLUSTRATIVE DATA" if self.pack.authority.is_illustrative else ""
        self.cell(0, 5, f"{self.pack.title}{mark}", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0)
        self.ln(2)
        self.body_top = self.get_y()

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0)

    def para(self, text: str, *, size: float = 9.5, style: str = "", h: float = 4.8) -> None:
        self.set_font(FONT, style, size)
        paragraph(self, h, text)
        self.ln(1.5)


def _cell(value: Any) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return "—"
    if isinstance(value, float) and math.isnan(value):
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text.replace("-", "−")
    if isinstance(value, datetime | pd.Timestamp):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):
        return _cell(value.item())
    return str(value)


def _table(doc: _Doc, shown: pd.DataFrame, *, excel_sheet: str = "") -> None:
    frame = export.human_columns(shown)  # the same headers as the page and the Excel sheet
    if frame.empty:
        doc.para("(No rows.)", size=8.5, style="I")
        return
    if len(frame) > MAX_PDF_ROWS:
        doc.para(f"{len(frame)} rows: see the Excel pack{f' (sheet {excel_sheet})' if excel_sheet else ''}.", style="I")
        return
    n = len(frame.columns)
    size = 8.0 if n <= 5 else 7.0 if n <= 8 else 6.0
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c]) for c in frame]
    header = [str(c) for c in frame.columns]
    rows = [[_cell(v) for v in row] for row in frame.itertuples(index=False)]
    style = TableStyle(FONT, size, line_h=size * 0.5, padding=0.8, head_fill=HEAD_FILL)
    draw_table(doc, header, rows, column_widths(doc, header, rows, style), numeric, style)
    doc.ln(3)


def _png_size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


# fpdf decodes every PNG it places, splits off the alpha channel and compresses both again: a quarter of a second
# a chart. The result depends only on the PNG's bytes, so it is kept (by fpdf's own key for them, the md5) for
# the next pack that places the same chart; bounded like the chart images themselves.
_PARSED: OrderedDict[str, Any] = OrderedDict()
_PARSED_MAX = 256
_PARSED_LOCK = threading.Lock()


_PREPARSE = ThreadPoolExecutor(1, thread_name_prefix="pack-png")


def _remember(key: str, info: Any) -> None:
    if info is not None and info.get("iccp_i") is None:  # an ICC profile is kept per document: not reused
        with _PARSED_LOCK:
            if key not in _PARSED:
                _PARSED[key] = type(info)(info)
                while len(_PARSED) > _PARSED_MAX:
                    _PARSED.popitem(last=False)


def _preparse(png: bytes) -> None:
    """fpdf's parse of a chart image, by fpdf itself in a scratch document, kept for `_image`."""
    key = hashlib.md5(png.strip(), usedforsecurity=False).hexdigest()
    try:
        scratch = FPDF()
        preload_image(scratch.image_cache, io.BytesIO(png))
        _remember(key, scratch.image_cache.images.get(key))
    finally:
        with _PARSED_LOCK:
            _PREPARSING.pop(key, None)


# Each chart the pack hands the browser while gathering (finance.pack.images.prefetch) is read into fpdf on a worker
# thread as soon as it is drawn (PIL's decoding and zlib release the GIL): off the path of the layout, which otherwise
# spent ~40 ms a chart on it (2 s CPU for the demo pack) after the last chart was drawn.
_PREPARSING: dict[str, Future[None]] = {}  # by md5: `_image` waits for these rather than parsing the PNG twice


def _preparse_later(png: bytes) -> None:
    key = hashlib.md5(png.strip(), usedforsecurity=False).hexdigest()
    with _PARSED_LOCK:
        if key in _PARSED or key in _PREPARSING:
            return
        _PREPARSING[key] = _PREPARSE.submit(_preparse, png)


on_prefetched(_preparse_later)


def _image(doc: _Doc, png: bytes, **kwargs: Any) -> None:
    """`doc.image` of a PNG, reusing fpdf's parse of the same bytes from an earlier document."""
    key = hashlib.md5(png.strip(), usedforsecurity=False).hexdigest()  # fpdf's name for in-memory image bytes
    placed = doc.image_cache.images
    if key not in placed:
        with _PARSED_LOCK:
            pending = _PREPARSING.get(key)
        if pending is not None:
            with contextlib.suppress(Exception):  # a failed parse is done again below, raising where it should
                pending.result()
        with _PARSED_LOCK:
            parsed = _PARSED.get(key)
            if parsed is not None:
                _PARSED.move_to_end(key)
        if parsed is not None:
            info = type(parsed)(parsed)
            info["i"], info["usages"] = len(placed) + 1, 0
            placed[key] = info
    doc.image(io.BytesIO(png), **kwargs)
    _remember(key, placed.get(key))


def _chart(doc: _Doc, chart: Chart, png: bytes) -> None:
    """The chart's heading, image (alt text = the page's caption) and caption, kept together on one page."""
    width_px, height_px = _png_size(png)
    w = doc.epw
    h = w * height_px / width_px
    if doc.get_y() + h + 24 > doc.page_break_trigger:
        doc.add_page()
    doc.start_section(chart.title, level=1)
    _image(doc, png, x=doc.l_margin, w=w, h=h, alt_text=chart.alt, title=chart.title)
    doc.set_y(doc.get_y() + 1)
    doc.para(chart.alt, size=8, style="I", h=4)


def _cover(doc: _Doc, pack: Pack) -> None:
    doc.add_page()
    doc.set_font(FONT, "B", 22)
    doc.multi_cell(0, 10, pack.authority.name, new_x="LMARGIN", new_y="NEXT", align="L")
    doc.set_font(FONT, "", 14)
    doc.multi_cell(0, 7, f"Financial resilience: committee pack, {pack.when}", new_x="LMARGIN", new_y="NEXT", align="L")
    doc.ln(4)
    if pack.authority.is_illustrative:
        doc.set_font(FONT, "B", 11)
        doc.multi_cell(
            0, 7, f"ILLUSTRATIVE — {ILLUSTRATIVE}", border=1, padding=2, new_x="LMARGIN", new_y="NEXT", align="L"
        )
        doc.ln(4)
    facts = (
        ("Authority", f"{pack.authority.name} ({pack.authority.code})"),
        ("Financial year", pack.year),
        ("Monitoring period", pack.when if pack.period else "No monitoring uploaded for this year"),
        ("Data as at", pack.data_as_at),
        ("Pack generated", pack.generated_at),
    )
    for label, value in facts:
        doc.set_font(FONT, "B", 10)
        doc.cell(45, 6, label)
        doc.set_font(FONT, "", 10)
        doc.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT", align="L")
    doc.ln(4)
    doc.para("Sources", size=11, style="B")
    for line in pack.sources:
        doc.para(f"• {line}", size=9.5)
    doc.ln(2)
    doc.para(
        "Each section shows what the Headroom page of the same name shows, with the same figures and words; every "
        "chart is followed by its data. The methodology appendix lists the files behind the figures with their "
        "sha256 hashes. Statuses are written as a word and a symbol (✖ Red, ▲ Amber, ✔ Green).",
        size=9,
        style="I",
    )


def _card(doc: _Doc, card: Card) -> None:
    if doc.get_y() + 30 > doc.page_break_trigger:
        doc.add_page()
    top = doc.get_y()
    doc.set_font(FONT, "B", 10)
    paragraph(doc, 5.5, f"{card.title}: {card.value_text}   {card.status.label}")
    doc.set_font(FONT, "", 9)
    paragraph(doc, 4.6, card.detail_text)
    if card.basis_text:
        doc.multi_cell(0, 4.6, f"Basis: {card.basis_text}; as at {card.as_at}", new_x="LMARGIN", new_y="NEXT")
    paragraph(doc, 4.6, f"{card.travel.symbol} {card.travel.text}")
    doc.set_font(FONT, "I", 7.5)
    doc.set_text_color(*GREY)
    paragraph(doc, 3.8, f"Rule: {card.rule.text}")
    doc.set_text_color(0)
    doc.set_draw_color(150)
    doc.line(doc.l_margin, doc.get_y() + 1.5, doc.l_margin + doc.epw, doc.get_y() + 1.5)
    doc.set_draw_color(0)
    doc.set_y(max(doc.get_y() + 3, top))


def _metrics(doc: _Doc, metrics: tuple[tuple[str, str], ...]) -> None:
    for label, value in metrics:
        doc.set_font(FONT, "", 9.5)
        doc.cell(100, 5.5, label)
        doc.set_font(FONT, "B", 9.5)
        paragraph(doc, 5.5, value)
    doc.ln(2)


def _section(
    doc: _Doc, pack: Pack, section: Section, pngs: dict[int, bytes], sheets: dict[int, str], *, new_page: bool = True
) -> None:
    if new_page:
        doc.add_page()
    doc.start_section(section.title, level=0)
    if section.key == "overview":
        doc.para(pack.overview.heading, size=11, style="B")
        if pack.overview.message:
            doc.para(pack.overview.message)
        doc.para(f"In brief. {pack.overview.summary}")
        for card in pack.overview.cards:
            _card(doc, card)
        return
    for text in section.text:
        doc.para(text)
    if section.metrics:
        _metrics(doc, section.metrics)
    for item in section.items:
        if isinstance(item, Chart):
            _chart(doc, item, pngs[id(item)])
        elif isinstance(item, Table):
            if item.same_as:
                doc.para(f"Data: the same rows as the table under “{item.same_as}”.", size=8.5, style="I")
                continue
            if not any(isinstance(i, Chart) and i.key == item.key for i in section.items):
                if doc.get_y() + 30 > doc.page_break_trigger:
                    doc.add_page()
                doc.start_section(item.title, level=1)
            _table(doc, item.frame, excel_sheet=sheets.get(id(item), ""))


def _contents_heading(doc: _Doc) -> None:
    doc.add_page()
    doc.set_font(FONT, "B", 16)
    doc.cell(0, 10, "Contents", new_x="LMARGIN", new_y="NEXT")


def _contents_pages(pack: Pack, outline: list[OutlineSection], shift: int) -> int:
    """How many pages the contents take for these headings, each `shift` pages later than laid out: the contents
    drawn in a scratch document of the same pages (a page number's width can move its entry to a new line)."""
    scratch = _Doc(pack)
    scratch.add_page()
    _contents_heading(scratch)
    start, top = scratch.page, scratch.get_y()
    entries = [OutlineSection(s.name, s.level, s.page_number + shift, s.dest) for s in outline if s.page_number > start]
    for _ in range(max((e.page_number for e in entries), default=start) - start):
        scratch.add_page()
    scratch.page = start
    scratch.set_y(top)
    for entry in entries:
        scratch.toc.render_toc_item(scratch, entry)
    return scratch.page - start + 1


def _layout(pack: Pack, pngs: dict[int, bytes], sheets: dict[int, str], pages: int) -> _Doc:
    doc = _Doc(pack)
    _cover(doc, pack)
    _contents_heading(doc)
    doc.insert_toc_placeholder(doc.render_contents, pages=pages)  # ends with a page break of its own
    for i, section in enumerate(pack.sections):
        _section(doc, pack, section, pngs, sheets, new_page=i > 0)
    return doc


def pdf_bytes(pack: Pack, *, sheets: dict[int, str] | None = None, progress: Progress | None = None) -> bytes:
    """The pack as PDF bytes. Charts are drawn first, all by one browser (finance.pack.images).

    The contents' length is fixed before the pages after it are laid out (fpdf numbers a page's footer when the page
    ends; pages it adds to the contents later would make every later footer one short): laid out once for one page
    of contents, then again if the headings need more.
    """
    say = progress or (lambda _text: None)
    charts = pack.charts()
    say(f"Drawing {len(charts)} charts")
    pngs = dict(zip((id(c) for c in charts), render_pngs([c.figure for c in charts]), strict=True))
    say("Laying out the PDF")
    shape = _shape(pack)
    guess = _CONTENTS_PAGES.get(shape, 1)  # the same pack drawn again needs the same contents: lay out once
    doc = _layout(pack, pngs, sheets or {}, guess)
    # the headings as laid out (fpdf 2.8 passes them only to the contents' renderer), as if the contents took 1 page
    outline = [OutlineSection(s.name, s.level, s.page_number - (guess - 1), s.dest) for s in doc._outline]
    pages = guess  # the count this pack settled on last time settles again at once (first time: 1)
    for _ in range(4):  # a page number a digit longer can move an entry to a new line: settle the count
        counted = _contents_pages(pack, outline, pages - 1)
        if counted == pages:
            break
        pages = counted
    if pages != guess:  # (were it unsettled, fpdf refuses to output rather than misnumber)
        doc = _layout(pack, pngs, sheets or {}, pages)
    if len(_CONTENTS_PAGES) > 256:
        _CONTENTS_PAGES.clear()
    _CONTENTS_PAGES[shape] = pages
    return bytes(doc.output())


_CONTENTS_PAGES: dict[tuple[object, ...], int] = {}


def _shape(pack: Pack) -> tuple[object, ...]:
    """What the contents' length depends on before layout: the pack's title and every section and item it holds."""
    return (pack.title, tuple((s.title, tuple(i.title for i in s.items)) for s in pack.sections))
