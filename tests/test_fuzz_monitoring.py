"""Hostile monitoring workbooks (hypothesis and explicit cases): refused with `InputError` or loaded, never a crash,
never a partial write.

Generated: 500 workbooks built from random sheet names, header rows and cells (huge and tiny numbers, NaN, ±inf,
text with formula prefixes and control characters, dates, booleans) with random workbook fields, uploaded under
random file names; and 200 valid workbooks with random bytes flipped or cut. Explicit: oversized files, zip
bombs, wrong extensions, .xlsm and VBA projects, external links, embedded objects, absurd numbers and periods.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from finance.check import check_database
from finance.errors import HeadroomError
from finance.store import Source, Store, Tx
from finance.upload import Limits, load_upload
from finance.workbook import SHEETS
from tests.monitoring_corpus import AUTHORITY, AUTHORITY_NAME, REVENUE_HEADER, build, revenue, with_fields, zip_of

SHEET_NAMES = [s.name for s in SHEETS] + [n for s in SHEETS for n in s.synonyms[:1]] + ["Instructions", "Notes"]
HEADERS = sorted({h for s in SHEETS for c in s.columns for h in (c.label, *c.synonyms[:1])} | set(REVENUE_HEADER))
TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["=1+1", "+cmd|' /C calc'!A0", "@SUM(A1)", "-1-1", "\t=x", "Total", "£000", "n/a", "(1,234)"]),
    st.integers(200, 3000).map(lambda n: "x" * n),
    st.sampled_from(HEADERS),
)
CELLS = st.one_of(
    st.none(),
    TEXT,
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e308, -1e308, math.nan, math.inf, 5e-324, 0.005, 1e12, -1e12]),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 1, 1)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 1, 1)),
)
FIELD = st.one_of(
    st.sampled_from([AUTHORITY, AUTHORITY_NAME, "2025-26", "2025/26", "P6", "6", "£000", "£m", "£", "P13", "-3"]),
    CELLS,
)


def _clean(value: Any) -> Any:
    """openpyxl refuses a few control characters outright; any other value goes into the cell as generated."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # openpyxl cannot write NaN/inf as numbers; Excel shows them as text like this
    return value


@st.composite
def workbooks(draw: st.DrawFn) -> bytes:
    wb = Workbook()
    info = wb.active
    assert info is not None
    info.title = "Instructions"
    for label in draw(st.lists(st.sampled_from(["Authority", "Financial year", "Period", "Units"]), max_size=5)):
        info.append([label, _clean(draw(FIELD))])
    used = {"instructions"}
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from(SHEET_NAMES) | st.text(min_size=1, max_size=31))
        name = "".join(ch for ch in name if ch not in "[]:*?/\\'") or "S"
        if name.lower() in used or ILLEGAL_CHARACTERS_RE.search(name):
            continue
        used.add(name.lower())
        ws = wb.create_sheet(name)
        if draw(st.booleans()):
            ws.append(draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6)))
        for row in draw(st.lists(st.lists(CELLS, max_size=6), max_size=6)):
            ws.append([_clean(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


FILE_NAMES = st.one_of(
    st.just("monitoring.xlsx"),
    st.text(max_size=40).map(lambda t: t + ".xlsx"),
    st.sampled_from(["=cmd.xlsx", "\x00.xlsx", "a\x1b[31m.xlsx", "x.XLSX", "x.xlsm", "x.csv", "x", "../../etc.xlsx"]),
)


@pytest.fixture(scope="module")
def fuzz_store() -> Iterator[Store]:
    store = Store.open(":memory:")  # the same store code; no disk sync per commit, so 500 cases stay quick

    def setup(tx: Tx) -> None:
        source = tx.add_source(Source("demo", "fuzz", "0" * 64, "Illustrative demo", "illustrative"))
        tx.execute("INSERT INTO authority VALUES (?, NULL, ?, 'MD', true, ?)", [AUTHORITY, AUTHORITY_NAME, source])

    store.write(setup)
    yield store
    assert check_database(store).ok, check_database(store).text()
    store.close()


_DUMPS: dict[int, dict[str, Any]] = {}


def _load_or_refuse(store: Store, data: bytes, name: str, limits: Limits | None = None) -> bool:
    """True if loaded; on refusal the database must be exactly as before. Anything but HeadroomError fails.

    The dump before is kept between cases (a refusal changes nothing, so it stays valid), which halves the cost.
    Sheets are read in this process (`isolated=False`): these workbooks are openpyxl-written and small, and a
    child per case would cost 700 interpreter starts; the corpus (tests/test_monitoring_corpus.py) runs the files
    that can crash a reader, each in a limited process.
    """
    before = _DUMPS.get(id(store)) or store.dump()
    try:
        load_upload(store, data, name, limits=limits, isolated=False)
    except HeadroomError as err:
        assert str(err)
        after = store.dump()
        assert after == before
        _DUMPS[id(store)] = after
        return False
    _DUMPS.pop(id(store), None)
    return True


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=workbooks(), name=FILE_NAMES)
def test_generated_workbooks_load_or_are_refused(data: bytes, name: str, fuzz_store: Store) -> None:
    _load_or_refuse(fuzz_store, data, name)


BASE = build()


@settings(max_examples=200, deadline=None)
@given(
    flips=st.lists(st.tuples(st.integers(0, len(BASE) - 1), st.integers(0, 255)), min_size=1, max_size=8),
    cut=st.none() | st.integers(0, len(BASE)),
)
def test_corrupted_bytes_are_refused_or_load(flips: list[tuple[int, int]], cut: int | None, fuzz_store: Store) -> None:
    data = bytearray(BASE)
    for index, value in flips:
        data[index] = value
    _load_or_refuse(fuzz_store, bytes(data[:cut]), "monitoring.xlsx")


# -- explicit hostile files ------------------------------------------------------------------------------------------


def _with_members(data: bytes, extra: dict[str, bytes], patch: dict[str, tuple[bytes, bytes]] | None = None) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        members = {i.filename: src.read(i.filename) for i in src.infolist()}
    for name, (old, new) in (patch or {}).items():
        members[name] = members[name].replace(old, new)
    return zip_of({**members, **extra})


EXTERNAL_LINK = _with_members(
    revenue(),
    {
        "xl/externalLinks/externalLink1.xml": b'<externalLink xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><externalBook r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships"/></externalLink>',
        "xl/externalLinks/_rels/externalLink1.xml.rels": b'<Relationships xmlns="http://schemas.openxmlformats.org/'
        b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/externalLinkPath" Target="file:///\\\\evil\\share\\x.xlsx" '
        b'TargetMode="External"/></Relationships>',
    },
)
EMBEDDED = _with_members(revenue(), {"xl/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 2048})
MACROS = _with_members(revenue(), {"xl/vbaProject.bin": b"\0" * 512})
MACRO_TYPES = _with_members(revenue(), {}, {"[Content_Types].xml": (b"sheet.main+xml", b"sheet.macroEnabled.main+xml")})


def _bomb() -> bytes:
    with zipfile.ZipFile(io.BytesIO(revenue())) as src:
        members = {i.filename: src.read(i.filename) for i in src.infolist()}
    members["xl/worksheets/sheet3.xml"] = b"<x>" + b"0" * (80 * 1024 * 1024) + b"</x>"
    return zip_of(members)


@pytest.mark.parametrize(
    ("case", "make", "name", "limits", "message"),
    [
        ("oversized", revenue, "m.xlsx", Limits(max_bytes=2_000), "largest file accepted"),
        ("zip bomb", _bomb, "m.xlsx", None, "zip bomb"),
        ("xlsm name", revenue, "m.xlsm", None, "macro-enabled"),
        ("vba project", lambda: MACROS, "m.xlsx", None, "macros"),
        ("macro content type", lambda: MACRO_TYPES, "m.xlsx", None, "macro-enabled"),
        ("csv name", revenue, "m.csv", None, ".csv"),
        ("pdf bytes", lambda: b"%PDF-1.7\n" + b"0" * 100, "m.xlsx", None, "does not start like one"),
        ("xlsx named .txt", revenue, "m.txt", None, ".txt"),
        ("1e308 budget", lambda: revenue(["A", "x", 1e308, 1e308, 0]), "m.xlsx", None, "too large"),
        ("NaN budget", lambda: revenue(["A", "x", "nan", 1, 0]), "m.xlsx", None, "Revenue!C2"),
        ("negative period", lambda: revenue(fields=with_fields(period=-3)), "m.xlsx", None, "Period"),
        ("period 1e308", lambda: revenue(fields=with_fields(period=1e308)), "m.xlsx", None, "Period"),
        ("very long name", lambda: revenue(["A" * 40_000, "x", 1, 1, 0]), "m.xlsx", None, "longer than"),
        ("formula prefix", lambda: revenue(["=1+1", "x", 1, 1, 0]), "m.xlsx", None, "formula"),
    ],
)
def test_hostile_files_are_refused_by_name(
    case: str, make: Any, name: str, limits: Limits | None, message: str, fuzz_store: Store
) -> None:
    before = fuzz_store.dump()
    with pytest.raises(HeadroomError, match=message):
        load_upload(fuzz_store, make(), name, limits=limits)
    assert fuzz_store.dump() == before


@pytest.mark.parametrize("data", [EXTERNAL_LINK, EMBEDDED], ids=["external link", "embedded object"])
def test_links_and_embedded_objects_are_never_followed(data: bytes, fuzz_store: Store) -> None:
    """The reader reads cell values only: a link or an embedded object is inert (loaded or refused, never run)."""
    _load_or_refuse(fuzz_store, data, "linked.xlsx")


def test_text_with_control_characters_and_formula_prefixes_is_kept_as_text(fuzz_store: Store) -> None:
    data = revenue(["Adults\tand\ncare", "+cmd|' /C calc'!A0", 1, 2, 1], fields=with_fields(period="P11"))
    assert _load_or_refuse(fuzz_store, data, "=cmd\x1b.xlsx")
    row = fuzz_store.query_one("SELECT directorate, service FROM monitoring_revenue WHERE period = 11")
    assert row == ("Adults and care", "+cmd|' /C calc'!A0")  # whitespace normalised; the formula stays text
