"""The pack PDF's own text drawing (finance.pack.typeset): lines break where fpdf's `multi_cell` breaks them, a font
parsed once writes the same PDF as fpdf's `add_font`, and a table drawn on fpdf's primitives keeps fpdf's table's
look — header repeated on each page, numbers right-aligned, text left-aligned, every cell bordered."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fpdf import FPDF
from hypothesis import given, settings
from hypothesis import strategies as st

from finance.pack import typeset
from finance.pack.pdf import _font_dir

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="no poppler-utils (.ci/run installs it)")
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCMW£−–—%().,:'0123456789", min_size=1, max_size=40)


def _doc(*, fpdf_fonts: bool = False) -> FPDF:
    doc = FPDF(unit="mm", format="A4")
    doc.set_creation_date(datetime(2026, 1, 1, tzinfo=UTC))
    for style, name in (("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf")):
        if fpdf_fonts:
            doc.add_font("DejaVu", style, str(_font_dir() / name))
        else:
            typeset.add_font(doc, "DejaVu", style, _font_dir() / name)
    doc.add_page()
    return doc


@settings(max_examples=80, deadline=None)
@given(
    words=st.lists(WORD, min_size=1, max_size=12),
    newline=st.booleans(),
    width=st.floats(min_value=6, max_value=120),
    size=st.sampled_from([6.0, 7.0, 8.0, 9.5]),
    style=st.sampled_from(["", "B"]),
)
def test_lines_break_where_fpdf_multi_cell_breaks_them(
    words: list[str], newline: bool, width: float, size: float, style: str
) -> None:
    doc = _doc()
    doc.set_font("DejaVu", style, size)
    text = ("\n" if newline else " ").join(words)
    fpdf_lines = doc.multi_cell(width, 4, text, padding=0.8, dry_run=True, output="LINES")
    assert typeset.wrap(doc, text, width - 1.6) == fpdf_lines
    for line in fpdf_lines:
        assert typeset.text_width(doc, line) == pytest.approx(doc.get_string_width(line))


def _write(doc: FPDF, text: str) -> bytes:
    doc.set_font("DejaVu", "", 10)
    doc.multi_cell(0, 5, text)
    doc.set_font("DejaVu", "B", 10)
    doc.cell(0, 5, text[::-1])
    return bytes(doc.output())


def test_a_font_parsed_once_writes_the_same_pdf_as_fpdf_add_font() -> None:
    """Each document has its own subset of the shared face: the second document embeds only its own characters,
    exactly as a document whose font fpdf parsed afresh."""
    texts = ("£12.5m − Reserves ✔ Amber ▲", "xyz only here 42")
    ours = [_write(_doc(), t) for t in texts]
    fresh = [_write(_doc(fpdf_fonts=True), t) for t in texts]
    assert ours == fresh
    first, second = _doc(), _doc()
    assert first.fonts["dejavu"].cw is second.fonts["dejavu"].cw  # one parse, shared
    assert first.fonts["dejavu"].subset is not second.fonts["dejavu"].subset


def _words(pdf: Path) -> list[list[tuple[float, float, str, float]]]:
    """Each page's words as (x min, x max, text, y max) in points, read back from the PDF by poppler."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = html.split("<page ")[1:]
    word = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
    return [[(float(a), float(b), t, float(y)) for a, b, y, t in word.findall(page)] for page in pages]


@needs_poppler
def test_a_long_table_repeats_its_header_on_each_page_and_aligns_numbers_right(tmp_path: Path) -> None:
    doc = _doc()
    doc.set_auto_page_break(True, margin=18)
    doc.set_font("DejaVu", "", 10)
    doc.cell(0, 5, "Above the table", new_x="LMARGIN", new_y="NEXT")
    rows = [
        [f"Row{i}", "a note long enough to wrap onto a second line of its narrow column", f"{i * 1234.5:,.1f}"]
        for i in range(90)
    ]
    style = typeset.TableStyle("DejaVu", 8, line_h=4, padding=0.8, head_fill=(225, 225, 225))
    typeset.draw_table(doc, ["Name", "Note", "Amountgbp"], rows, [10, 16, 10], [False, False, True], style)
    doc.cell(0, 5, "Below the table")
    out = tmp_path / "table.pdf"
    out.write_bytes(bytes(doc.output()))
    pages = _words(out)
    assert len(pages) >= 3
    for page in pages:
        assert sum(t == "Amountgbp" for _, _, t, _ in page) == 1  # the header starts every page the table is on
    names = [(i, x0) for i, page in enumerate(pages) for x0, _, t, _ in page if t.startswith("Row")]
    assert [t for page in pages for _, _, t, _ in page if t.startswith("Row")] == [r[0] for r in rows]  # in order, once
    assert len({round(x0, 1) for _, x0 in names}) == 1  # text left-aligned
    amounts = [x1 for page in pages for _, x1, t, _ in page if re.fullmatch(r"[\d,]+\.\d", t)]
    assert len(amounts) == len(rows) and len({round(x1, 1) for x1 in amounts}) == 1  # numbers right-aligned
    assert any(t == "Below" for _, _, t, _ in pages[-1])
    bottom_pt = (297 - 18) * 72 / 25.4
    assert all(y1 <= bottom_pt for page in pages for *_, y1 in page)  # nothing runs into the margin


@needs_poppler
def test_a_paragraph_breaks_lines_and_pages_where_multi_cell_does(tmp_path: Path) -> None:
    text = " ".join(f"Word{i} £{i}.5m −{i}% ✔" for i in range(400)) + "\nA last line\n"
    ends: list[tuple[int, float]] = []
    for name, draw in (
        ("fpdf", lambda d: d.multi_cell(0, 4.8, text, new_x="LMARGIN", new_y="NEXT", align="L")),
        ("ours", lambda d: typeset.paragraph(d, 4.8, text)),
    ):
        doc = _doc()
        doc.set_auto_page_break(True, margin=18)
        doc.set_y(250)  # the first lines fit, then the page breaks
        doc.set_font("DejaVu", "", 9.5)
        draw(doc)
        ends.append((doc.page, round(doc.get_y(), 6)))
        (tmp_path / f"{name}.pdf").write_bytes(bytes(doc.output()))
    assert ends[0] == ends[1] and ends[0][0] >= 3
    fpdf_words, our_words = (_words(tmp_path / f"{n}.pdf") for n in ("fpdf", "ours"))
    assert [[(round(x0, 1), t, round(y1, 1)) for x0, _, t, y1 in p] for p in our_words] == [
        [(round(x0, 1), t, round(y1, 1)) for x0, _, t, y1 in p] for p in fpdf_words
    ]  # every word on the same page at the same place


def test_table_columns_fit_their_longest_word_when_the_page_has_room() -> None:
    """The committee pack's 13-column "All indicators" table once broke its words ("Val ue", "illust rativ e"):
    columns are at least as wide as their longest word, in bold for the header, and together fill the page."""
    doc = _doc()
    header = ["Indicator", "Unit", "Value", "Basis", "Peer median", "Peer quartiles", "Position",
              "Peers with a figure", "Risk quartile (1 = highest risk)", "Higher risk when", "Years used", "Note",
              "Direction of travel"]  # fmt: skip
    row = ["Level of usable reserves", "% of NRE", "19.2%", "illustrative", "24.8%", "19.7% – 35.5%",
           "9th lowest of 35", "35 of 36 peers have a figure", "1", "lower",
           "usable reserves at 31 March 2025 ÷ NRE 2024-25", "—", "worsening since 2023-24 (illustrative)"]  # fmt: skip
    style = typeset.TableStyle("DejaVu", 6.0, line_h=3.0, padding=0.8, head_fill=(225, 225, 225))
    widths = typeset.column_widths(doc, header, [row, row], style)
    assert sum(widths) == pytest.approx(doc.epw)
    for texts, bold in ((header, "B"), (row, "")):
        doc.set_font("DejaVu", bold, 6.0)
        for text, width in zip(texts, widths, strict=True):
            lines = typeset.wrap(doc, text, width - 2 * style.padding)
            assert " ".join(lines).split() == text.split(), (text, lines)  # every line ends at a space
    # a column holding a very long word (a sha256) cannot take the table: the other columns keep their words
    long_row = ["a" * 64 if j == 11 else text for j, text in enumerate(row)]
    widths = typeset.column_widths(doc, header, [long_row], style)
    assert widths[11] < 0.4 * doc.epw
    doc.set_font("DejaVu", "", 6.0)
    for j, text in enumerate(long_row):
        if j != 11:
            assert " ".join(typeset.wrap(doc, text, widths[j] - 2 * style.padding)).split() == text.split()


def test_runs_of_spaces_count_as_one() -> None:
    doc = _doc()
    doc.set_font("DejaVu", "", 8.0)
    for width in (6.0, 12.0, 40.0):
        assert typeset.wrap(doc, "  Council   tax  ratio ", width) == typeset.wrap(doc, "Council tax ratio", width)
    assert typeset.wrap(doc, "", 20.0) == [""]


def test_when_not_every_word_fits_the_widest_columns_give_way() -> None:
    doc = _doc()
    style = typeset.TableStyle("DejaVu", 6.0, line_h=3.0, padding=0.8, head_fill=(225, 225, 225))
    header = [f"C{j}" for j in range(14)]
    row = ["short"] * 12 + ["w" * 90, "x" * 90]  # the two long words cannot both fit beside the rest
    widths = typeset.column_widths(doc, header, [row], style)
    assert sum(widths) == pytest.approx(doc.epw)
    doc.set_font("DejaVu", "", 6.0)
    assert all(typeset.wrap(doc, "short", w - 2 * style.padding) == ["short"] for w in widths[:12])
    assert widths[12] == pytest.approx(widths[13])
