"""The committee pack (issue 6): the PDF renders, says exactly what the overview page says, and the Excel pack holds
the database's figures with user text kept as text.

The demo authority with a current MTFS scenario (so every section is in the pack) is built once; the PDF is drawn
once per session (kaleido's browser start is slow) and every PDF test reads that one file.
"""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from streamlit.testing.v1 import AppTest

from finance import export, pack
from finance.cli import main as cli
from finance.committee import overview
from finance.format import column_label
from finance.monitoring import sheet_lines
from finance.pack.images import browser_path
from finance.scenarios import base_figures, save_scenario, set_current
from finance.store import Store
from finance.upload import load_upload

ROOT = Path(__file__).resolve().parent.parent
CODE, YEAR = "DEMO01", "2026-27"
INJECTION = '=HYPERLINK("http://x","y")'
needs_browser = pytest.mark.skipif(browser_path() is None, reason="no chromium (.ci/run installs it)")
needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="no poppler-utils (.ci/run installs it)")


@pytest.fixture(scope="session")
def pack_db(demo_db: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo, plus a current MTFS scenario for DEMO01 (so the MTFS card and section have figures)."""
    path = tmp_path_factory.mktemp("pack") / "pack.duckdb"
    shutil.copy(demo_db, path)
    store = Store.open(str(path))
    try:
        scenario = base_figures(store, CODE).scenario("Pack test plan")
        set_current(store, save_scenario(store, scenario, authority_code=CODE, user="tests").scenario_id, user="tests")
        store.checkpoint()
    finally:
        store.close()
    return str(path)


@dataclass(frozen=True)
class Rendered:
    built: pack.Pack
    pdf: Path
    text: str  # pdftotext output


@pytest.fixture(scope="session")
def rendered(pack_db: str, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    if browser_path() is None or shutil.which("pdftotext") is None:
        pytest.skip("needs chromium and poppler-utils (.ci/run installs them)")
    store = Store.open(pack_db, read_only=True)
    try:
        built = pack.build_pack(store, CODE, YEAR)
    finally:
        store.close()
    out = tmp_path_factory.mktemp("pack-pdf") / "pack.pdf"
    out.write_bytes(pack.render(built, "pdf"))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], check=True, capture_output=True, text=True)
    return Rendered(built, out, text.stdout)


def _squash(text: str) -> str:
    """Line breaks fall where the PDF wraps: compare without any whitespace."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def writable(pack_db: str, tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "copy.duckdb"
    shutil.copy(pack_db, path)
    store = Store.open(str(path))
    try:
        yield store
    finally:
        store.close()


@needs_poppler
def test_pdf_renders_to_a4_png_pages(rendered: Rendered, tmp_path: Path) -> None:
    info = subprocess.run(["pdfinfo", str(rendered.pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert "595.28 x 841.89 pts (A4)" in info
    assert "Tagged:          yes" in info
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(rendered.pdf), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == pages >= len(rendered.built.sections) + 2  # cover, contents, a page per section at least
    assert all(p.stat().st_size > 1000 for p in images)
    for n in (1, pages):
        assert f"Page {n} of {pages}" in rendered.text


def test_every_pdf_page_has_content(rendered: Rendered) -> None:
    """No blank page: past the running header and the page number, every page has text of its own (a chart page
    has the chart's heading and caption)."""
    pages = rendered.text.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]  # pdftotext ends the last page with a form feed
    header = rendered.built.title
    empty = []
    for n, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        own = [line for line in lines if not line.startswith(header) and not re.fullmatch(r"Page \d+ of \d+", line)]
        if not own:
            empty.append(n)
    assert len(pages) >= len(rendered.built.sections) + 2
    assert not empty, f"pages with nothing but the header and page number: {empty}"


def _pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True)
    return text.stdout.split("\f")[:-1]  # pdftotext ends every page with a form feed


def _assert_numbered_and_contents_point_right(pages: list[str]) -> int:
    """Every page's footer is its own position in the file, and every contents entry's page shows that heading.
    Returns how many pages the contents take."""
    numbers = [re.findall(r"Page (\d+) of (\d+)", page) for page in pages]
    assert numbers == [[(str(k), str(len(pages)))] for k in range(1, len(pages) + 1)]
    entry = re.compile(r"^(\S.*?)\s*\.{3,}\s*(\d+)$")
    first = entry.match(next(line for line in pages[1].splitlines() if entry.match(line)))
    assert first is not None
    contents = pages[1 : int(first.group(2)) - 1]
    entries = [m.groups() for page in contents for line in page.splitlines() if (m := entry.match(line.strip()))]
    assert len(entries) > 10
    wrong = [(title, n) for title, n in entries if _squash(title) not in _squash(pages[int(n) - 1])]
    assert not wrong, f"contents entries whose page does not show them: {wrong}"
    return len(contents)


def test_every_footer_is_the_pages_place_and_the_contents_point_to_the_right_pages(rendered: Rendered) -> None:
    """The demo pack's contents take two pages: the pages after it are numbered from their real place (a committee
    member told "see page 12" finds it on the twelfth page), as are the contents' entries."""
    assert _assert_numbered_and_contents_point_right(_pdf_pages(rendered.pdf)) == 2


def test_a_pack_whose_contents_fit_one_page_is_numbered_right(rendered: Rendered, tmp_path: Path) -> None:
    short = dataclasses.replace(rendered.built, sections=rendered.built.sections[:4])
    out = tmp_path / "short.pdf"
    out.write_bytes(pack.render(short, "pdf"))
    assert _assert_numbered_and_contents_point_right(_pdf_pages(out)) == 1


def test_a_pack_drawn_again_is_laid_out_once_and_numbered_the_same(
    rendered: Rendered, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same pack again starts from the contents' length it needed last time, so it is laid out once, not twice;
    a wrong guess (another pack's) is still corrected before output."""
    from finance.pack import pdf

    layouts: list[int] = []
    real = pdf._layout

    def counted(*args: object) -> object:
        layouts.append(int(args[-1]))  # type: ignore[call-overload]
        return real(*args)  # type: ignore[arg-type]

    pack.render(rendered.built, "pdf")  # whatever ran before, the cache now knows this pack
    monkeypatch.setattr(pdf, "_layout", counted)
    again = tmp_path / "again.pdf"
    again.write_bytes(pack.render(rendered.built, "pdf"))
    assert layouts == [2]
    assert _assert_numbered_and_contents_point_right(_pdf_pages(again)) == 2
    pdf._CONTENTS_PAGES[pdf._shape(rendered.built)] = 1  # a stale guess is found and laid out again
    layouts.clear()
    stale = tmp_path / "stale.pdf"
    stale.write_bytes(pack.render(rendered.built, "pdf"))
    assert layouts == [1, 2]
    assert _assert_numbered_and_contents_point_right(_pdf_pages(stale)) == 2


def _image_streams(raw: bytes) -> list[bytes]:
    return [chunk.rsplit(b"stream", 1)[-1] for chunk in raw.split(b"endstream") if b"/Subtype /Image" in chunk]


@needs_browser
def test_a_pdf_drawn_again_reuses_every_image_and_places_the_same_bytes(rendered: Rendered) -> None:
    """The second PDF of a pack takes every chart from the image cache and fpdf's parse of it from the last
    document: its image streams are byte for byte those of the first PDF."""
    from finance.pack import images

    first = pack.render(rendered.built, "pdf")  # fills both caches, whatever ran before
    hits = images.CACHE.hits
    again = pack.render(rendered.built, "pdf")
    assert images.CACHE.hits == hits + len(rendered.built.charts())
    streams = _image_streams(rendered.pdf.read_bytes())
    assert len(streams) >= len(rendered.built.charts())
    assert _image_streams(again) == _image_streams(first) == streams


def test_excel_sheet_names_are_unique_readable_and_within_31_characters(rendered: Rendered) -> None:
    """Excel's limit is 31 characters; a longer title is shortened at a word (never mid-word, never ending on a
    connecting word) and marked with "…"; two sheets never share a name, whatever their case."""
    sheets = pack.render(rendered.built, "xlsx")
    names = load_workbook(io.BytesIO(sheets), read_only=True).sheetnames
    assert len(names) >= 30
    assert all(len(n) <= 31 for n in names)
    assert len({n.casefold() for n in names}) == len(names)
    titles = [f"{s.title} headline" for s in rendered.built.sections if s.metrics]
    titles += [t.title for _, t in rendered.built.tables()]
    words_of_titles = {w.rstrip(",;") for t in titles for w in re.split(r"[\s\[\]:*?/\\]+", t) if w}
    words_of_titles |= set(export.ABBREVIATIONS.values())
    for name in names:
        stem = re.sub(r" \(\d+\)$", "", name).removesuffix("…")
        for word in stem.split():
            assert word.rstrip(",;") in words_of_titles or name in ("About", "Contents"), (name, word)
        assert stem.split()[-1].casefold() not in {"of", "and", "the", "as", "to", "for", "in", "a"}, name
    assert any(n.endswith("…") for n in names) or all(len(t) <= 31 for t in titles)


def test_pdf_has_every_section_chart_and_table(rendered: Rendered) -> None:
    keys = [s.key for s in rendered.built.sections]
    assert keys == list(pack.SECTIONS)  # with a current scenario, nothing is left out
    text = _squash(rendered.text)
    for section in rendered.built.sections:
        assert _squash(section.title) in text
        for item in section.items if section.key != "overview" else ():  # the overview's table is drawn as cards
            charted = isinstance(item, pack.Table) and any(c.key == item.key for c in rendered.built.charts())
            if isinstance(item, pack.Table) and not item.same_as and len(item.frame) <= 60:
                assert _squash(column_label(item.frame.columns[-1])) in text  # its header row is drawn, in words
            if not charted:  # a chart's table sits under the chart's heading
                assert _squash(item.title) in text
    raw = rendered.pdf.read_bytes()
    charts = rendered.built.charts()
    assert len(charts) >= 15
    assert raw.count(b"/Alt") >= len(charts)  # every chart image carries its alt text in the structure tree
    assert b"/StructTreeRoot" in raw and b"/Outlines" in raw
    assert "Illustrative data generated by Headroom" in rendered.text  # a demo authority is marked as such


def _overview_strings(db: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """Every headline string the overview page shows: metric values, card captions, travel lines, the summary and
    the statuses of its table — read from the running page (AppTest), not from the view."""
    copy = tmp_path / "app.duckdb"
    shutil.copy(db, copy)
    monkeypatch.setenv("HEADROOM_DB", str(copy))
    monkeypatch.setenv("HEADROOM_OFFICIAL_DIR", str(tmp_path / "no-official"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["authority_code"] == CODE and at.session_state["financial_year"] == YEAR
    shown = [m.value for m in at.metric] + [m.label for m in at.metric]
    assert len(at.metric) == 12
    shown += [
        m.value.removeprefix("**In brief.** ")
        for m in at.markdown
        if m.value.startswith(("**In brief.**", "↘", "↗", "→", "–"))
    ]
    table = next(d.value for d in at.dataframe if "Direction of travel" in d.value.columns)
    shown += [str(v) for c in ("Value", "Basis", "As at", "Detail", "Status", "Direction of travel") for v in table[c]]
    return shown


def test_pdf_text_has_every_overview_figure_as_the_page_shows_it(
    rendered: Rendered, pack_db: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shown = _overview_strings(pack_db, monkeypatch, tmp_path)
    assert len(shown) >= 7 * 7 + 1  # values, titles, details, travel lines, the summary, statuses …
    assert any(s.startswith("At P7 (Oct) 2026-27") for s in shown)  # the summary was read from the page
    assert any("£" in s and "m" in s for s in shown)
    text = _squash(rendered.text)
    missing = [s for s in shown if _squash(s) not in text]
    assert not missing, missing


def test_pdf_says_the_cover_facts(rendered: Rendered) -> None:
    built = rendered.built
    head = rendered.text.split("\f")[0]
    assert built.authority.name in head and "P7 (Oct) 2026-27" in head
    assert "Data as at" in head and built.data_as_at.split(" UTC")[0] in " ".join(head.split())
    for source in built.sources:
        assert _squash(source) in _squash(head)


def _sheet_rows(data: bytes, name: str) -> list[list[object]]:
    ws = load_workbook(io.BytesIO(data))[name]
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_excel_values_equal_the_database(pack_db: str) -> None:
    store = Store.open(pack_db, read_only=True)
    try:
        built = pack.build_pack(store, CODE, YEAR, sections=["monitoring", "methodology"])
        data = pack.render(built, "xlsx")
        revenue = store.query(
            """SELECT l.directorate, sum(l.budget_gbp)::DOUBLE, sum(l.forecast_gbp)::DOUBLE, sum(l.variance_gbp)::DOUBLE
               FROM monitoring_revenue l
               JOIN monitoring_current c ON c.upload_id = l.upload_id AND c.period = l.period AND c.sheet = 'Revenue'
               WHERE c.authority_code = ? AND c.financial_year = ? AND l.period = 7
               GROUP BY l.directorate""",
            [CODE, YEAR],
        )
        hashes = store.query(
            """SELECT s.sha256 FROM monitoring_upload u JOIN source_file s USING (source_id)
               WHERE u.authority_code = ?""",
            [CODE],
        )
    finally:
        store.close()
    names = pack.sheet_names(built)
    by_dir = next(t for s, t in built.tables() if t.key == "monitoring-variance-by-directorate")
    wb = load_workbook(io.BytesIO(data))
    ws = wb[names[id(by_dir)]]
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    assert header[:4] == ["Directorate", "Budget (£m)", "Forecast outturn (£m)", "Variance (£m, + = overspend)"]
    got = {row[0].value: row for row in ws.iter_rows(min_row=2)}
    assert len(got) == len(revenue) > 3
    for name, budget, forecast, variance in revenue:
        cells = got[name]
        assert all(c.data_type == "n" for c in cells[1:4])  # numbers stay numbers
        assert [c.value for c in cells[1:4]] == [round(v / 1e6, 1) for v in (budget, forecast, variance)]
    uploads = next(t for s, t in built.tables() if t.key == "uploads")
    rows = _sheet_rows(data, names[id(uploads)])
    assert sorted(r[1] for r in rows[1:]) == sorted(h[0] for h in hashes)


def _workbook_with_directorate(store: Store, name: str) -> bytes:
    """A P8 workbook: the P7 Revenue lines with the first directorate renamed to `name`, as a finance team might."""
    wb = Workbook()
    info = wb.active
    assert info is not None
    info.title = "Instructions"
    for row in (["Authority", CODE], ["Financial year", YEAR], ["Period", "P8"], ["Units", "£"]):
        info.append(row)
    ws = wb.create_sheet("Revenue")
    ws.append(["Directorate", "Service", "Budget", "Forecast outturn", "Variance"])
    lines = sheet_lines(store, "Revenue", CODE, YEAR, 7)
    first = lines["directorate"].iloc[0]
    for r in lines.itertuples():
        directorate = name if r.directorate == first else r.directorate
        budget, forecast = round(r.budget_gbp), round(r.forecast_gbp)
        ws.append([directorate, r.service, budget, forecast, forecast - budget])
        ws.cell(ws.max_row, 1).data_type = "s"  # typed as text, as Excel keeps '=… entered with a leading quote
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_user_text_that_looks_like_a_formula_is_text_in_the_excel_pack(writable: Store) -> None:
    load_upload(writable, _workbook_with_directorate(writable, INJECTION), "p8.xlsx", user="tests")
    built = pack.build_pack(writable, CODE, YEAR, sections=["overview", "monitoring"])
    assert built.period == 8
    data = pack.render(built, "xlsx")
    wb = load_workbook(io.BytesIO(data))
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
                if cell.value == INJECTION:
                    found.append(cell)
    assert found and all(c.data_type == "s" and c.quotePrefix for c in found)
    assert any(c.parent.title.startswith("Forecast variance by dir") for c in found)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--authority", "NOPE", "--year", YEAR], "NOPE"),
        (["--authority", CODE, "--year", "2040-41"], "2040-41"),
        (["--authority", CODE, "--year", YEAR, "--period", "11"], "held: P1 (Apr)"),
        (["--authority", CODE, "--year", YEAR, "--period", "P13"], "P1..P12"),
        (["--authority", CODE, "--year", YEAR, "--sections", "overview,nonsense"], "nonsense"),
    ],
)
def test_cli_refuses_with_exit_2_and_writes_nothing(
    pack_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    out = tmp_path / "pack.xlsx"
    assert cli(["--db", pack_db, "pack", *args, "--out", str(out)]) == 2
    assert says in capsys.readouterr().err
    assert not out.exists()


def test_cli_refuses_an_unsupported_extension_before_opening_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing_db = tmp_path / "never-created.duckdb"
    args = ["--db", str(missing_db), "pack", "--authority", CODE, "--year", YEAR, "--out", str(tmp_path / "p.docx")]
    assert cli(args) == 2
    assert "must end in .pdf or .xlsx" in capsys.readouterr().err
    assert not missing_db.exists()


def test_cli_writes_the_excel_pack(pack_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out" / "pack.xlsx"
    assert (
        cli(
            [
                "--db",
                pack_db,
                "pack",
                "--authority",
                CODE,
                "--year",
                YEAR,
                "--period",
                "P7",
                "--out",
                str(out),
                "--json",
            ]
        )
        == 0
    )
    assert '"period": 7' in capsys.readouterr().out
    wb = load_workbook(out)
    assert wb.sheetnames[:2] == ["About", "Contents"]
    about = dict(_sheet_rows(out.read_bytes(), "About")[1:])
    assert about["Authority code"] == CODE and about["Monitoring period"] == "P7 (Oct) 2026-27"
    assert str(about["Illustrative"]).startswith("Illustrative data")


@needs_browser
def test_cli_writes_a_pdf(pack_db: str, tmp_path: Path) -> None:
    out = tmp_path / "rules.pdf"
    assert (
        cli(["--db", pack_db, "pack", "--authority", CODE, "--year", YEAR, "--sections", "rules", "--out", str(out)])
        == 0
    )
    assert out.read_bytes().startswith(b"%PDF-")


def test_print_styling_separates_series_without_colour_and_leaves_the_page_figure_alone() -> None:
    import plotly.graph_objects as go

    from finance.pack.images import print_figure

    fig = go.Figure(
        [
            go.Bar(x=["a", "b", "c"], y=[1, 2, 3], marker={"color": ["#1d70b8", "#f46a25", "#1d70b8"]}),
            go.Bar(x=["a", "b", "c"], y=[3, 2, 1]),
            go.Scatter(x=[1, 2], y=[1, 2], mode="lines+markers"),
            go.Scatter(x=[1, 2], y=[2, 1], mode="lines"),
        ]
    )
    printed = print_figure(fig)
    assert list(printed.data[0].marker.pattern.shape) == ["", "/", ""]  # the odd colour out gets a pattern
    assert printed.data[1].marker.pattern.shape == "/"
    assert printed.data[2].line.dash != printed.data[3].line.dash
    assert printed.data[2].marker.symbol is not None
    assert fig.data[0].marker.pattern.shape is None and fig.data[2].line.dash is None


@needs_browser
def test_a_single_chart_png_has_the_chart_size(pack_db: str) -> None:
    from finance import reserves_view
    from finance.pack.images import DEFAULT_HEIGHT_PX, SCALE, WIDTH_PX

    store = Store.open(pack_db, read_only=True)
    try:
        view = reserves_view.build(
            store, code=CODE, year=YEAR, measure="usable_reserves_pct_nre", point="opening", group="MD"
        )
    finally:
        store.close()
    png = pack.chart_png(view.series_figure)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width == int(WIDTH_PX * SCALE)
    assert height == int((view.series_figure.layout.height or DEFAULT_HEIGHT_PX) * SCALE)


def test_a_year_with_no_monitoring_packs_the_official_position_and_says_so(pack_db: str) -> None:
    store = Store.open(pack_db, read_only=True)
    try:
        built = pack.build_pack(store, CODE, "2024-25")
        page = overview.build(store, CODE, "2024-25")
    finally:
        store.close()
    assert built.period is None and built.when == "2024-25"
    assert built.overview.message == page.message and page.message
    monitoring = next(s for s in built.sections if s.key == "monitoring")
    assert monitoring.text == (page.message,) and not monitoring.items
    about = dict(_sheet_rows(pack.render(built, "xlsx"), "About")[1:])
    assert about["Monitoring period"] == "none uploaded"


def test_the_section_25_adequacy_section_is_in_the_pdf_and_the_excel_pack(rendered: Rendered, pack_db: str) -> None:
    section = next(s for s in rendered.built.sections if s.key == "adequacy")
    assert section.title == "Section 25 adequacy"
    assert dict(section.metrics)["Risk-based minimum"] == "£7.4m"
    text = _squash(rendered.text)
    for needle in ("Section 25 adequacy", "Loss distribution and the risk-based minimum", "Contribution of each risk",
                   "Likelihood score read as a percentage", "90th percentile", "Risk-based minimum £7.4m"):  # fmt: skip
        assert _squash(needle) in text, needle
    workbook = load_workbook(io.BytesIO(pack.render(rendered.built, "xlsx")), read_only=True)
    contents = [tuple(r) for r in workbook["Contents"].iter_rows(values_only=True)]
    adequacy = [r[0] for r in contents if r[1] == "Section 25 adequacy"]
    assert len(adequacy) == 8  # the headline figures, six panels' tables and the likelihood mapping
    risks = next(n for n in adequacy if str(n).startswith("Contribution"))
    header = next(workbook[risks].iter_rows(values_only=True))
    assert "Mean loss £m" in header and "Likelihood as given" in header


def test_the_mtfs_sections_reserves_chart_draws_the_councils_reserve_targets(pack_db: str) -> None:
    """The pack's twin of the scenarios page's reserves chart: the demo council's general fund target and its
    risk-based minimum against the general fund line, the 20%-of-NRE target left off the £m chart."""
    from finance.charts import target_traces

    store = Store.open(pack_db, read_only=True)
    try:
        built = pack.build_pack(store, CODE, YEAR)
    finally:
        store.close()
    section = next(s for s in built.sections if s.key == "mtfs")
    chart = next(i for i in section.items if i.key == "mtfs-reserves" and hasattr(i, "figure"))
    gf = "Target for general fund balance: at least £15.0m by 31 Mar 2029 (set by demo)"
    assert target_traces(chart.figure) == [gf]
    levels = [t.name for t in chart.figure.data if t.meta == "level"]
    assert len(levels) == 1 and levels[0].startswith("Risk-based minimum for the general fund balance: £7.4m")


def test_every_excel_sheet_header_is_in_words(pack_db: str) -> None:
    """Every table of the pack (every section) has headers a person reads, never `value_pct` or `ons_code`."""
    store = Store.open(pack_db, read_only=True)
    try:
        data = pack.render(pack.build_pack(store, CODE, YEAR), "xlsx")
    finally:
        store.close()
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    headers = {ws.title: [c.value for c in next(ws.iter_rows(max_row=1))] for ws in workbook.worksheets}
    assert len(headers) > 20
    raw = {sheet: [h for h in row if h and re.search(r"^[a-z]|_", str(h))] for sheet, row in headers.items()}
    assert {sheet: names for sheet, names in raw.items() if names} == {}
