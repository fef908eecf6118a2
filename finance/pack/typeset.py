"""Fast text on fpdf's primitives for the pack PDF: fonts parsed once, widths summed once per word, tables and the
contents drawn line by line.

Why: fpdf's `multi_cell` (behind its `table()` and its contents) measures a line by summing every character's width
again each time it adds a character, so a table cell of n characters costs n² look-ups; the demo pack's 60-odd
tables spent most of the PDF's time there, and the contents' dot leaders grew one dot at a time, each measured
from the start. Here a word's width is summed once (from the font's own width table, as fpdf sums it) and kept,
a cell is wrapped at spaces greedily (a word wider than its column is cut between characters, as fpdf does), and
each line is placed with `FPDF.text`. Parsing DejaVu with fontTools also took a tenth of a second a face on every
document: each face is parsed once per process and every document gets a copy of it with a subset of its own.

What a table looks like is fpdf's table's: every cell bordered, the header row bold on grey and repeated at the top
of each page it continues on (never left alone at the foot of a page), text centred vertically, numbers right-aligned.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fontTools import ttLib
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import SubsetMap, TTFFont
from fpdf.outline import OutlineSection, TableOfContents

_FACES: dict[tuple[str, str], TTFFont] = {}  # (file, style) -> a parsed face no document writes to
_FACES_LOCK = threading.Lock()
_WIDTHS: dict[tuple[str, str], float] = {}  # (font file, word) -> width in 1/1000 em
_WIDTHS_MAX = 200_000


def add_font(doc: FPDF, family: str, style: str, path: Path) -> None:
    """`doc.add_font(family, style, path)`, parsing the file only the first time in this process.

    A copy shares the face's read-only tables (widths, character map, descriptor), as fpdf's own copies for its
    recorder do, and gets its own subset and its own fontTools handle: writing a document subsets that handle in place.
    """
    key = (str(path), style)
    with _FACES_LOCK:
        face = _FACES.get(key)
    if face is None:
        scratch = FPDF()
        scratch.add_font(family, style, str(path))
        parsed = scratch.fonts[f"{family.lower()}{style}"]
        assert isinstance(parsed, TTFFont)
        face = parsed
        with _FACES_LOCK:
            _FACES.setdefault(key, face)
    font = TTFFont.__new__(TTFFont)
    for name in TTFFont.__slots__:
        if hasattr(face, name):
            setattr(font, name, getattr(face, name))
    font.i = len(doc.fonts) + 1
    font.fontkey = f"{family.lower()}{style}"
    font.ttfont = ttLib.TTFont(path, recalcTimestamp=False, fontNumber=face.collection_font_number, lazy=True)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font._hbfont = None
    font.subset = SubsetMap(font)
    doc.fonts[font.fontkey] = font


def _units(font: TTFFont, word: str) -> float:
    key = (str(font.ttffile), word)
    units = _WIDTHS.get(key)
    if units is None:
        cw = font.cw
        units = sum(cw[ord(c)] for c in word)
        if len(_WIDTHS) >= _WIDTHS_MAX:
            _WIDTHS.clear()
        _WIDTHS[key] = units
    return units


def text_width(doc: FPDF, text: str) -> float:
    """The width of `text` in the current font, in the document's unit (what `get_string_width` gives)."""
    font = doc.current_font
    assert isinstance(font, TTFFont)
    space = font.cw[32]
    units = sum(_units(font, w) for w in text.split(" ")) + space * text.count(" ")
    return units * doc.font_size_pt * 0.001 / doc.k


def wrap(doc: FPDF, text: str, width: float) -> list[str]:
    """`text` broken into lines no wider than `width` in the current font: at spaces, and inside a word only when
    the word alone is wider than the line. A newline always breaks; a final one adds no line (as in fpdf). Runs of
    spaces count as one and none is kept at either end of a line (fpdf keeps some, in ways no pack text needs)."""
    font = doc.current_font
    assert isinstance(font, TTFFont)
    limit = width * doc.k * 1000 / doc.font_size_pt  # in 1/1000 em
    space = font.cw[32]
    lines: list[str] = []
    for paragraph in text.removesuffix("\n").split("\n") if text != "\n" else [""]:
        words: list[str] = []
        used = 0.0
        for word in [w for w in paragraph.split(" ") if w] or [""]:  # runs of spaces count as one, none at the ends
            units = _units(font, word)
            if words and used + space + units > limit:
                lines.append(" ".join(words))
                words, used = [], 0.0
            if words:
                words.append(word)
                used += space + units
            elif units > limit:
                *full, word = _cut(font, word, limit)
                lines.extend(full)
                words, used = [word], _units(font, word)
            else:
                words, used = [word], units
        lines.append(" ".join(words))
    return lines


def paragraph(doc: FPDF, h: float, text: str) -> None:
    """`doc.multi_cell(0, h, text, new_x="LMARGIN", new_y="NEXT", align="L")` for plain text: from the cursor to
    the right margin, lines `h` apart, a new page wherever the next line would cross the page's foot."""
    x = doc.get_x()
    margin = doc.c_margin
    lift = 0.5 * h + 0.3 * doc.font_size  # the baseline below a line's top, as fpdf places it
    for line in wrap(doc, text, doc.w - doc.r_margin - x - 2 * margin):
        if doc.will_page_break(h):
            doc.add_page(same=True)
        y = doc.get_y()
        if line:
            doc.text(x + margin, y + lift, line)
        doc.set_y(y + h)
    if text.endswith("\n"):  # fpdf moves down a line more for a final newline
        doc.ln(h)
    doc.set_x(doc.l_margin)


def _cut(font: TTFFont, word: str, limit: float) -> list[str]:
    """A word too wide for a line, cut between characters into pieces that fit (at least one character each)."""
    pieces: list[str] = []
    start, used = 0, 0.0
    for i, char in enumerate(word):
        w = font.cw[ord(char)]
        if i > start and used + w > limit:
            pieces.append(word[start:i])
            start, used = i, 0
        used += w
    pieces.append(word[start:])
    return pieces


@dataclass(frozen=True)
class TableStyle:
    """How a table is drawn: the font, its size, the line height, cell padding (all in the document's unit)."""

    family: str
    size_pt: float
    line_h: float
    padding: float
    head_fill: tuple[int, int, int]


def column_widths(
    doc: FPDF, header: Sequence[str], rows: Sequence[Sequence[str]], style: TableStyle, *, max_word_share: float = 0.3
) -> list[float]:
    """Column widths (document units) that fill the page's text width and break no word where the page has room:
    each column gets at least its longest word (header in bold; capped at `max_word_share` of the page, so one long
    hash cannot take the table), then the room left is shared in proportion to how much wider each column's longest
    text would like to be. Only when even the longest words cannot all fit do the columns with the longest words give
    way, so the fewest words are broken."""
    pad = 2 * style.padding
    least: list[float] = []
    most: list[float] = []
    cap = doc.epw * max_word_share
    for j, name in enumerate(header):
        doc.set_font(style.family, "B", style.size_pt)
        word = max((text_width(doc, w) for w in name.split()), default=0.0)
        whole = text_width(doc, name)
        doc.set_font(style.family, "", style.size_pt)
        for row in rows:
            text = row[j]
            for line in text.split("\n"):
                whole = max(whole, text_width(doc, line))
                word = max(word, max((text_width(doc, w) for w in line.split()), default=0.0))
        least.append(min(word, cap) + pad)
        most.append(max(min(whole, doc.epw / 2), min(word, cap)) + pad)
    room = doc.epw - sum(least)
    if room <= 0:  # not every longest word fits: the widest columns give way, down to a common width, first
        low, high = 0.0, max(least)
        for _ in range(50):
            mid = (low + high) / 2
            low, high = (mid, high) if sum(min(w, mid) for w in least) < doc.epw else (low, mid)
        return [min(w, high) for w in least]
    want = [m - w for m, w in zip(most, least, strict=True)]
    if sum(want) <= room:  # everything fits on one line: share the rest in proportion to the widths wanted
        return [doc.epw * m / sum(most) for m in most]
    return [w + room * x / sum(want) for w, x in zip(least, want, strict=True)]


def draw_table(
    doc: FPDF,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    weights: Sequence[float],
    right: Sequence[bool],
    style: TableStyle,
) -> None:
    """Draw a bordered table across the page's text width, its columns in proportion to `weights`, from the
    current position; the header row starts each page the table reaches. Leaves the cursor under the table."""
    total = float(sum(weights))
    widths = [doc.epw * w / total for w in weights]
    xs = [doc.l_margin + sum(widths[:j]) for j in range(len(widths))]
    pad = style.padding
    doc.set_font(style.family, "B", style.size_pt)
    head = _lay_row(doc, header, widths, style)
    doc.set_font(style.family, "", style.size_pt)
    body = [_lay_row(doc, row, widths, style) for row in rows]
    if body and doc.get_y() + head[0] + body[0][0] > doc.page_break_trigger:
        doc.add_page()  # the header never stands alone at the foot of a page

    def draw(row: tuple[float, list[list[str]]], bold: bool) -> None:
        height, cells = row
        y = doc.get_y()
        doc.set_font(style.family, "B" if bold else "", style.size_pt)
        if bold:
            with doc.local_context(fill_color=style.head_fill):
                for j in range(len(cells)):
                    doc.rect(xs[j], y, widths[j], height, style="DF")
        else:
            for j in range(len(cells)):
                doc.rect(xs[j], y, widths[j], height, style="D")
        for j, lines in enumerate(cells):
            top = y + (height - len(lines) * style.line_h) / 2 + 0.5 * style.line_h + 0.3 * doc.font_size
            for n, line in enumerate(lines):
                if not line:
                    continue
                x = xs[j] + widths[j] - pad - text_width(doc, line) if right[j] else xs[j] + pad
                doc.text(x, top + n * style.line_h, line)
        doc.set_xy(doc.l_margin, y + height)

    draw(head, True)
    fresh = True  # nothing under the header yet: a row too tall for any page is drawn here, not on another page
    for row in body:
        if not fresh and doc.get_y() + row[0] > doc.page_break_trigger:
            doc.add_page()
            draw(head, True)
        draw(row, False)
        fresh = False


def _lay_row(
    doc: FPDF, row: Sequence[str], widths: Sequence[float], style: TableStyle
) -> tuple[float, list[list[str]]]:
    cells = [wrap(doc, text, w - 2 * style.padding) for text, w in zip(row, widths, strict=True)]
    return max(len(c) for c in cells) * style.line_h + 2 * style.padding, cells


class Contents(TableOfContents):
    """fpdf's contents entry (title, dot leaders, page number, all one link) drawn without measuring the leaders
    one dot at a time; a title too long for one line is left to fpdf's own drawing."""

    def render_toc_item(self, pdf: FPDF, item: OutlineSection) -> None:
        style = self.get_text_style(pdf, item)
        with pdf.use_text_style(style):
            indent = item.level * self.level_indent
            label = pdf.pages[item.page_number].get_label()
            label_w = text_width(pdf, label)
            name_w = text_width(pdf, item.name)
            margin = pdf.c_margin
            if name_w + 2 * margin + label_w + 2 * margin > pdf.epw - indent:
                return super().render_toc_item(pdf, item)
            link = pdf.add_link(page=item.page_number)
            h = pdf.font_size * self.line_spacing
            pdf.set_x(pdf.l_margin + indent)
            pdf.cell(name_w + margin, h, item.name, link=link, new_x=XPos.RIGHT, new_y=YPos.TOP)  # ends at the text
            # the cell above broke the page if the entry did not fit: the leaders and number go on its line
            here, y = pdf.get_x(), pdf.get_y()
            right = pdf.w - pdf.r_margin
            space = right - here - label_w - 2 * margin
            dot = text_width(pdf, ".")
            dots = max(0, math.ceil((space - 2 * margin) / dot) - 1) if space > 0 else 0
            baseline = y + 0.5 * h + 0.3 * pdf.font_size
            if dots > 1:
                pdf.text(here + margin, baseline, "." * dots)
            pdf.text(right - margin - label_w, baseline, label)
            pdf.link(here, y, right - here, h, link)
            pdf.set_xy(pdf.l_margin, y + h)
        return None
