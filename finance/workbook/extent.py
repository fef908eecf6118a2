"""How far each worksheet of an .xlsx reaches, measured from its XML before any parser builds a cell grid.

calamine (and openpyxl's column padding) lay a sheet out as a dense grid from A1 to its furthest cell: one value
at XFD1048576 in a 5 KB file asks for 512 GB and ends the process, and one shared string of 30,000 characters
referenced by 20,000 cells becomes 600 MB of copies. So the parts a reader will open are first scanned here, as a
stream of decompressed chunks (never the whole part in memory): the furthest row and column that hold a value, the
number of value cells, and the text they will carry. A sheet beyond `Limits` is refused naming the sheet and the
cell that reaches too far, before calamine or openpyxl sees it.

Error cells (`t="e"`: `#REF!`, `#DIV/0!` …) are collected here too, with their text: calamine reads a sheet's
values quickly but blanks its errors, so the reader lays these back over its rows instead of falling back to
openpyxl (twenty times slower: a sheet full of errors would take longer than any upload may). A sheet with more
error cells than `Limits.max_error_cells_per_sheet` is refused here, naming the sheet, the count and the first.

The `<dimension>` record is read too but never trusted: generators write wrong ones in both directions (a stated
`A1:XFD1048576` over two cells is harmless; a stated `A1` over a cell at XFD1048576 is the attack), so the cells
themselves decide. The scan errs towards refusing: a cell whose position it cannot read is refused, not skipped.
"""

from __future__ import annotations

import io
import re
import zipfile
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from posixpath import dirname, join, normpath
from xml.etree.ElementTree import Element, ParseError, fromstring

from finance.errors import Problem
from finance.workbook.safety import Limits

MAX_COLUMN = 16_384  # XFD, Excel's last column
MAX_ROW = 1_048_576
_CHUNK = 1 << 22
_SMALL_PART_BYTES = 16 * 1024 * 1024  # workbook.xml and its relationships are small; larger is refused
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# A tag we care about (any namespace prefix), its attributes, and the text that follows it up to the next tag.
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|v|t|si|dimension)(?=[\s/>])([^>]*)>([^<]*)")
_ATTR_R = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ATTR_T = re.compile(rb"""(?:^|\s)t\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ATTR_REF = re.compile(rb"""(?:^|\s)ref\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_NUMERIC_TYPES = (None, b"n", b"b", b"d")
_CELL_REF = re.compile(rb"([A-Za-z]{1,3})([0-9]{1,7})")
_ANY_ERROR_TYPE = re.compile(rb"""t\s*=\s*(?:"e"|'e')""")  # t="e" however it is written
KEPT_ERRORS = 100_000  # error cells remembered per sheet, whatever the limit (bounds memory)
# An error cell as the fast path sees it: reference, then (after other attributes) t="e", an optional formula, the
# value. Counted against the plain count of ' t="e"' in the chunk: any mismatch goes to the exact measure.
_ERROR_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*? t="e"[^>/]*>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?(?:<v>([^<]*)</v>)?'
)


@dataclass(frozen=True)
class SheetPart:
    """A worksheet as workbook.xml lists it: its name, its state (visible, hidden, veryHidden) and its zip part."""

    title: str
    state: str
    part: str | None  # None when the relationship is missing or points outside the package


@dataclass
class Extent:
    """What one worksheet holds, by its XML: furthest value cell, how many value cells, how much text."""

    title: str
    last_row: int = 0
    last_col: int = 0  # 1-based
    far_row_cell: str = ""  # the cell with the largest row number, and the one with the largest column
    far_col_cell: str = ""
    cells: int = 0
    text_chars: int = 0  # inline text plus the shared strings the cells copy
    dimension: str | None = None
    empty_cells: int = 0  # formatted cells with no value that the fast measure counted in (readers skip them)
    unreadable: str | None = None  # a cell or row whose position could not be read
    error_cells: int = 0  # cells holding an error value (t="e")
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, 1-based column) -> "#REF!", the first
    # KEPT_ERRORS of them (a sheet with more is refused, so the reader never needs the rest)

    @property
    def area(self) -> int:
        """Cells of the grid a reader builds: A1 to the furthest row and column."""
        return self.last_row * self.last_col


def column_letters(col: int) -> str:
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _attr(pattern: re.Pattern[bytes], attrs: bytes) -> bytes | None:
    m = pattern.search(attrs)
    if m is None:
        return None
    return m.group(1) if m.group(1) is not None else m.group(2)


def _chunks(zf: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The part's XML in pieces that each end just before a `<`, so no tag (or the text after one) is split."""
    with zf.open(part) as f:
        tail = b""
        while chunk := f.read(_CHUNK):
            buffer = tail + chunk
            cut = buffer.rfind(b"<")
            if cut <= 0:  # no tag boundary in 4 MB: carry on, bounded by the part's (already checked) size
                tail = buffer
                continue
            yield buffer[:cut]
            tail = buffer[cut:]
        if tail:
            yield tail


def sheet_parts(zf: zipfile.ZipFile) -> list[SheetPart]:
    """The worksheets in workbook order, with the part each lives in (from workbook.xml and its relationships)."""
    book = next((n for n in zf.namelist() if re.fullmatch(r"xl/workbook\d*\.xml", n)), "xl/workbook.xml")
    rels_name = join(dirname(book), "_rels", book.rsplit("/", 1)[-1] + ".rels")
    targets: dict[str, str] = {}
    if rels_name in zf.namelist():
        for rel in _small_xml(zf, rels_name):
            if rel.tag.endswith("Relationship") and rel.get("TargetMode") != "External":
                target = rel.get("Target") or ""
                path = target.lstrip("/") if target.startswith("/") else normpath(join(dirname(book), target))
                targets[rel.get("Id") or ""] = path
    sheets: list[SheetPart] = []
    for element in _small_xml(zf, book):
        if element.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rid = element.get(f"{{{_NS_REL}}}id") or ""
        part = targets.get(rid)
        sheets.append(SheetPart(element.get("name") or "", element.get("state") or "visible", part))
    return sheets


def _small_xml(zf: zipfile.ZipFile, name: str) -> Iterator[Element]:
    """The elements of a small index part. expat (2.4+) refuses entity-expansion bombs and ElementTree never
    fetches external entities, so the standard parser is safe for these parts."""
    info = zf.getinfo(name)
    if info.file_size > _SMALL_PART_BYTES:
        raise ValueError(f"{name} is {info.file_size} bytes, far more than a workbook's index needs")
    try:
        root = fromstring(zf.read(name))
    except ParseError as err:
        raise ValueError(f"{name} is not readable XML ({err})") from None
    return iter(root.iter())


def shared_string_lengths(zf: zipfile.ZipFile, limit: int) -> array[int] | Problem:
    """The length in characters (approximately: XML bytes of its text) of each shared string, in table order.

    More than `limit` strings is refused before the table is kept; the lengths are what a cell copies.
    """
    name = next((n for n in zf.namelist() if n.lower() == "xl/sharedstrings.xml"), None)
    lengths: array[int] = array("q")
    if name is None:
        return lengths
    current = -1
    for chunk in _chunks(zf, name):
        for m in _TAG.finditer(chunk):
            tag, attrs, text = m.group(1), m.group(2), m.group(3)
            if tag == b"si" and not attrs.endswith(b"/"):
                lengths.append(0)
                current = len(lengths) - 1
                if len(lengths) > limit:
                    return Problem("xl/sharedStrings.xml", f"holds more than {limit:,} different pieces of text")
            elif tag == b"si":
                lengths.append(0)
            elif tag == b"t" and current >= 0:
                lengths[current] += len(text)
    return lengths


def measure(zf: zipfile.ZipFile, title: str, part: str, shared: array[int]) -> Extent:
    """Scan one worksheet part: the furthest value cell, the value cells and the text they carry.

    Sheets as Excel, LibreOffice and openpyxl write them (`<c r="B7" …>`, no namespace prefix) are measured a chunk
    at a time by byte counts and regular expressions with a literal start, without Python work per cell. The fast
    result errs high when a part holds formatted empty cells (`<c r="X9" s="1"/>`, which readers skip; it counts
    them in `empty_cells`). A part the fast path cannot read (a cell without a reference, a prefix, other
    attributes before `r`) is measured by `measure_exactly`, which follows rows and cells tag by tag as readers do.
    """
    extent = Extent(title)
    longest_shared = max(shared, default=0)
    for chunk in _chunks(zf, part):
        if not _measure_chunk(extent, chunk, shared, longest_shared):
            return measure_exactly(zf, title, part, shared)
    return extent


_LETTERS = re.compile(rb'<c r="([A-Z]+)')
_EMPTY_CELL = re.compile(rb'<c r="[^>]*/>')
_ROWS = re.compile(rb'<c r="[A-Z]+([0-9]+)')
_VALUE_TEXT = re.compile(rb"<v>([^<]*)")
_INLINE_TEXT = re.compile(rb'<t(?: xml:space="preserve")?>([^<]*)')
_SHARED_INDEX = re.compile(rb't="s"(?: [^>]*)?><v>([0-9]{1,9})<')
_DIMENSION = re.compile(rb"<dimension ([^>]*)>")


def _measure_chunk(extent: Extent, chunk: bytes, shared: array[int], longest_shared: int) -> bool:
    """Add one chunk of sheet XML to `extent`; False when it holds anything the fast path cannot place."""
    cells = chunk.count(b"<c ") + chunk.count(b"<c>")
    with_ref = chunk.count(b'<c r="')
    plain = (
        cells == with_ref
        and chunk.count(b' r="') == with_ref + chunk.count(b'<row r="')  # no second r= hidden after a quoted '>'
        and not any(marker in chunk for marker in (b":c ", b":c>", b":v>", b":t>", b":t ", b"<v ", b"<c\t", b"<c\n"))
        and chunk.count(b"<t ") == chunk.count(b'<t xml:space="preserve">')
    )
    if not plain:
        return False
    if extent.dimension is None and (dim := _DIMENSION.search(chunk)) is not None:
        stated = _attr(_ATTR_REF, dim.group(1))
        extent.dimension = stated[:40].decode(errors="replace") if stated is not None else ""
    if with_ref:
        extent.empty_cells += len(_EMPTY_CELL.findall(chunk))
        letters = set(_LETTERS.findall(chunk))
        rows = _ROWS.findall(chunk)
        if len(rows) != with_ref or any(len(text) > 3 for text in letters) or any(len(r) > 7 for r in rows):
            return False
        extent.cells += with_ref
        far_row = max(map(int, rows))
        far_letters = max(letters, key=lambda text: (len(text), text))
        if far_row > extent.last_row:
            extent.last_row = far_row
            found = re.search(rb'<c r="([A-Z]+)' + str(far_row).encode() + rb'"', chunk)
            extent.far_row_cell = f"{found.group(1).decode() if found else ''}{far_row}"
        if (far_col := _column_number(far_letters)) > extent.last_col:
            extent.last_col = far_col
            found = re.search(rb'<c r="' + far_letters + rb'([0-9]+)"', chunk)
            extent.far_col_cell = f"{far_letters.decode()}{found.group(1).decode() if found else ''}"
    extent.text_chars += sum(map(len, _VALUE_TEXT.findall(chunk))) + sum(map(len, _INLINE_TEXT.findall(chunk)))
    if not _measure_errors(extent, chunk):
        return False
    if b't="s"' in chunk:
        indices = _SHARED_INDEX.findall(chunk)
        unplaced = chunk.count(b't="s"') - len(indices)  # an index this pattern cannot see: counted at the longest
        count = len(shared)
        extent.text_chars += sum(shared[i] if i < count else longest_shared for i in map(int, indices))
        extent.text_chars += unplaced * longest_shared
    return True


def _measure_errors(extent: Extent, chunk: bytes) -> bool:
    """Count (and keep, up to `KEPT_ERRORS`) the chunk's error cells; False when one cannot be placed, or is
    written any other way than ` t="e"` (single quotes, spaces around `=`): the exact measure reads those."""
    stated = chunk.count(b't="e"')
    if len(_ANY_ERROR_TYPE.findall(chunk)) != chunk.count(b' t="e"'):
        return False
    if len(extent.errors) >= KEPT_ERRORS:  # only the count still matters
        if stated != chunk.count(b' t="e"'):
            return False
        extent.error_cells += stated
        return True
    found = _ERROR_CELL.findall(chunk)
    if len(found) != stated:
        return False
    extent.error_cells += stated
    for letters, row, text in found[: KEPT_ERRORS - len(extent.errors)]:
        extent.errors[(int(row), _column_number(letters))] = text.decode(errors="replace") or "#N/A"
    return True


def measure_exactly(zf: zipfile.ZipFile, title: str, part: str, shared: array[int]) -> Extent:
    """The tag-by-tag scan: rows and cells without references are placed by counting, as readers place them."""
    extent = Extent(title)
    row = col = 0
    cell_type: bytes | None = None
    longest_shared = max(shared, default=0)
    for chunk in _chunks(zf, part):
        for m in _TAG.finditer(chunk):
            tag, attrs, text = m.group(1), m.group(2), m.group(3)
            if attrs.count(b'"') % 2 or attrs.count(b"'") % 2:  # a '>' inside a quoted value: cannot be read safely
                extent.unreadable = extent.unreadable or f"a <{tag.decode()}> element"
                continue
            if tag == b"c":
                ref = _attr(_ATTR_R, attrs)
                if ref is None:
                    col += 1
                else:
                    found = _CELL_REF.fullmatch(ref)
                    if found is None:
                        extent.unreadable = extent.unreadable or f"cell reference '{ref[:20].decode(errors='replace')}'"
                        continue
                    col = _column_number(found.group(1))
                    row = int(found.group(2))
                if attrs.endswith(b"/"):
                    continue  # an empty (formatted) cell: readers skip it
                cell_type = _attr(_ATTR_T, attrs)
                _reach(extent, max(row, 1), col)
                if cell_type == b"e":
                    extent.error_cells += 1
                    if len(extent.errors) < KEPT_ERRORS:
                        extent.errors[(max(row, 1), col)] = "#N/A"  # its text, if any, comes with its <v>
            elif tag == b"row":
                ref = _attr(_ATTR_R, attrs)
                if ref is None:
                    row += 1
                elif ref.isdigit() and len(ref) <= 7:
                    row = int(ref)
                else:
                    extent.unreadable = extent.unreadable or f"row number '{ref[:20].decode(errors='replace')}'"
                col = 0
            elif tag == b"v":
                if cell_type == b"e" and (max(row, 1), col) in extent.errors:
                    extent.errors[(max(row, 1), col)] = text.strip().decode(errors="replace") or "#N/A"
                if cell_type == b"s":
                    index = text.strip()
                    in_table = index.isdigit() and len(index) <= 9 and int(index) < len(shared)
                    extent.text_chars += shared[int(index)] if in_table else longest_shared
                elif cell_type not in _NUMERIC_TYPES:
                    extent.text_chars += len(text)
                cell_type = None
            elif tag == b"t":
                extent.text_chars += len(text)
            elif tag == b"dimension" and extent.dimension is None:
                stated = _attr(_ATTR_REF, attrs)
                extent.dimension = stated[:40].decode(errors="replace") if stated is not None else None
    return extent


def _reach(extent: Extent, row: int, col: int) -> None:
    extent.cells += 1
    if row > extent.last_row:
        extent.last_row = row
        extent.far_row_cell = f"{column_letters(col)}{row}"
    if col > extent.last_col:
        extent.last_col = col
        extent.far_col_cell = f"{column_letters(col)}{row}"


def open_zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def refusals(extent: Extent, limits: Limits, header_rows: int) -> list[Problem]:
    """Why `extent` is too large to read (each problem names the sheet and the cell), or nothing.

    `header_rows` is the allowance above the data for titles and the header (the reader looks that far for it).
    """
    title = extent.title
    problems: list[Problem] = []
    if extent.unreadable:
        problems.append(
            Problem(title, f"has {extent.unreadable} whose position could not be read: re-save the file in Excel")
        )
    too_far_down = extent.last_row > limits.max_rows_per_sheet + header_rows
    too_far_right = extent.last_col > limits.max_columns_per_sheet
    rows_rule = f"a monitoring sheet may have at most {limits.max_rows_per_sheet:,} rows"
    columns_rule = f"may use columns A to {column_letters(limits.max_columns_per_sheet)}"
    if too_far_down and too_far_right and extent.far_row_cell == extent.far_col_cell:  # one cell, one message
        problems.append(
            Problem(
                f"{title}!{extent.far_row_cell}",
                f"holds a value on row {extent.last_row:,} in column {column_letters(extent.last_col)}; "
                f"{rows_rule} and {columns_rule}: delete what lies outside the table and save",
            )
        )
    elif too_far_down or too_far_right:
        if too_far_down:
            problems.append(
                Problem(
                    f"{title}!{extent.far_row_cell}",
                    f"holds a value on row {extent.last_row:,}; {rows_rule}: delete the rows below the table and save",
                )
            )
        if too_far_right:
            problems.append(
                Problem(
                    f"{title}!{extent.far_col_cell}",
                    f"holds a value in column {column_letters(extent.last_col)}; a monitoring sheet {columns_rule}: "
                    "delete the columns to the right of the table and save",
                )
            )
    if not problems and extent.area > limits.max_cells_per_sheet:
        corner = f"{column_letters(extent.last_col)}{extent.last_row}"
        problems.append(
            Problem(
                f"{title}!{corner}",
                f"spans A1:{corner}, {extent.area:,} cells; a monitoring sheet may span at most "
                f"{limits.max_cells_per_sheet:,}: delete unused rows and columns and save",
            )
        )
    most_errors = min(limits.max_error_cells_per_sheet, KEPT_ERRORS)  # beyond KEPT_ERRORS not all were kept
    if extent.error_cells > most_errors:
        row, col = min(extent.errors) if extent.errors else (0, 0)
        first = f"{column_letters(col)}{row}" if extent.errors else "A1"
        problems.append(
            Problem(
                f"{title}!{first}",
                f"holds {extent.error_cells:,} cells showing an error (#REF!, #DIV/0! …; the first is {first}); a "
                f"monitoring sheet may hold at most {most_errors:,}: correct the formulas in Excel, or paste the "
                "figures as values, and save",
            )
        )
    if extent.text_chars > limits.max_text_chars_per_sheet:
        problems.append(
            Problem(
                title,
                f"holds {extent.text_chars:,} characters of text, more than the {limits.max_text_chars_per_sheet:,} "
                "a monitoring sheet may hold",
            )
        )
    return problems
