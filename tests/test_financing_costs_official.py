"""Financing costs (RS 773 + 776 + 781 + 783 + 786 as published, ÷ NRE 805), checked against the returns themselves.

The expected figures are read here straight from the shared files with python-calamine — by the printed line
numbers (2015-16 on) or, in the 2010-15 .xls files, by label from "Provision for repayment of principal" on — not
through Headroom's reader; and one 2010-15 year against values read by hand from the file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from finance.cli import main
from finance.indicators import financing_costs, resilience_profile
from finance.store import Store

pytestmark = [pytest.mark.official, pytest.mark.slow]

SEFTON, MANCHESTER, SHEFFIELD, LEEDS, BIRMINGHAM = "E08000014", "E08000003", "E08000019", "E08000035", "E08000025"
KEY = "financing_costs_pct_nre"
LINES = ("773", "776", "781", "783", "786")

#: file → (financial year, how its lines are found)
FILES = {
    "Revenue_Outturn_Summary__RS__data_2010-11_by_LA_-_27-Nov-2012-v2.xls": "2010-11",
    "Revenue_Outturn_Summary__RS__data_2011-12_by_LA_-_Revised_28-Nov-2013.xls": "2011-12",
    "Revenue_Outturn_Summary__RS__data_2012-13_by_LA__Revised__-_18-Feb-2014.xls": "2012-13",
    "Revenue_Outturn_Summary__RS__data_2013-14_by_LA_-_Revised_28-Jan-2015.xls": "2013-14",
    "Revenue_Outturn_Summary__RS__data_2014-15_by_LA_-_02-Feb-2016.xls": "2014-15",
    "RS_2015-16_data_by_LA_-_Revision.xlsx": "2015-16",
    "RS_2016-17_data_by_LA.xlsx": "2016-17",
    "RS_2017-18_data_by_LA.xlsx": "2017-18",
    "RS_2023-24_data_by_LA.ods": "2023-24",
}
#: the 2010-15 labels, in form order from "Provision for repayment of principal"
OLD_LABELS = (
    "provision for repayment of principal",
    "leasing payments",
    "interest payable and similar charges",
    "interest: hra item 8 payments and receipts",
    "interest and investment income",
)


def _raw_lines(path: Path) -> dict[str, dict[str, float | str]]:
    """ONS-or-E code → {'773': …, '805': …} in £000 as published, from the file's first authority sheet."""
    book = CalamineWorkbook.from_path(str(path))
    sheet = next(n for n in book.sheet_names if "data" in n.lower() and "drop" not in n.lower())
    rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    h = next(i for i, r in enumerate(rows) if "E-code" in [str(c).strip() for c in r])
    header = [" ".join(str(c).split()).lower() for c in rows[h]]
    numbers = [str(c).strip().removesuffix(".0") for c in rows[h - 1]]
    if "773" in numbers:
        cols = {line: numbers.index(line) for line in (*LINES, "805")}
    else:
        start = header.index(OLD_LABELS[0])  # the first one: the capital-financing block
        cols = {}
        for line, label in zip(LINES, OLD_LABELS, strict=True):
            cols[line] = next(i for i in range(start, len(header)) if header[i].startswith(label))
        cols["805"] = next(i for i, t in enumerate(header) if t.startswith("net revenue expenditure"))
    ons = header.index("ons code") if "ons code" in header else None
    out = {}
    for r in rows[h + 1 :]:
        key = str(r[ons] if ons is not None else r[0]).strip()
        if key:
            out[key] = {line: r[c] for line, c in cols.items()}
    return out


ECODES = {SEFTON: "E4304", MANCHESTER: "E4203", SHEFFIELD: "E4404", LEEDS: "E4704"}


@pytest.mark.parametrize("file_name", list(FILES))
def test_every_line_and_the_ratio_match_the_file(
    official_store: Store, official_source_dir: Path, file_name: str
) -> None:
    raw = _raw_lines(official_source_dir / file_name)
    year = FILES[file_name]
    checked = 0
    for code in (SEFTON, MANCHESTER, SHEFFIELD, LEEDS):
        published = raw.get(code) or raw[ECODES[code]]
        got = next(y for y in financing_costs(official_store, code).years if y.financial_year == year)
        assert got.basis == "outturn" and got.as_at == f"{int(year[:4]) + 1}-03-31"
        assert got.source_file == file_name and len(got.source_sha256) == 64
        for line, value in got.lines_gbp:
            assert value == pytest.approx(float(published[line]) * 1000), (code, year, line)
        total = sum(float(published[line]) for line in LINES)
        assert got.financing_costs_gbp == pytest.approx(total * 1000)
        assert got.pct_nre == pytest.approx(total / float(published["805"]) * 100)
        checked += 1
    assert checked == 4


def test_2012_13_against_values_read_by_hand(official_store: Store) -> None:
    """Manchester, RS 2012-13 sheet (1), read by eye in the .xls: MRP 28,459; leasing 311; interest payable and
    similar charges 29,078 (the block's, not the memo column after 'Total Capital items', which is 0); HRA item 8
    −3,637; interest and investment income −23,193; NRE 493,081 (£000)."""
    got = next(y for y in financing_costs(official_store, MANCHESTER).years if y.financial_year == "2012-13")
    assert dict(got.lines_gbp) == {
        "773": 28_459_000, "776": 311_000, "781": 29_078_000, "783": -3_637_000, "786": -23_193_000,
    }  # fmt: skip
    assert got.financing_costs_gbp == 31_018_000
    assert got.net_revenue_expenditure_gbp == 493_081_000
    assert got.pct_nre == pytest.approx(31_018 / 493_081 * 100)


def test_sefton_2023_24_is_9_0m_and_3_0_pct(official_store: Store) -> None:
    got = next(y for y in financing_costs(official_store, SEFTON).years if y.financial_year == "2023-24")
    assert got.financing_costs_gbp == 9_032_000  # 7,318 + 0 + 4,194 + 0 − 2,480
    assert round((got.pct_nre or 0), 1) == 3.0
    assert got.source_file == "RS_2023-24_data_by_LA.ods"
    years = [y.financial_year for y in financing_costs(official_store, SEFTON).years]
    assert years == [*sorted(set(FILES.values()))]  # outturn only: RA 2021-22 is not read for these lines


def test_unpublished_lines_are_missing_never_zero(official_store: Store) -> None:
    got = next(y for y in financing_costs(official_store, BIRMINGHAM).years if y.financial_year == "2023-24")
    assert got.status == "no_return" and got.pct_nre is None and got.financing_costs_gbp is None
    assert all(v is None for _, v in got.lines_gbp)


def test_in_the_profile_with_peers_and_like_for_like_travel(official_store: Store) -> None:
    profile = resilience_profile(official_store, SEFTON, "2023-24", "MD")
    r = next(x for x in profile.results if x.spec.key == KEY)
    assert r.spec.title == "Financing costs (RS lines 773 + 776 + 781 + 783 + 786, as published)"
    assert round(r.reading.value or 0, 1) == 3.0
    assert r.stats.n_peers == 36 and r.stats.n_ranked == 35  # Birmingham: no 2023-24 return, not ranked
    assert r.stats.lower_quartile is not None and r.stats.upper_quartile is not None
    assert r.previous_year == "2017-18" and r.previous is not None and r.previous.basis == "outturn"
    ra_year = resilience_profile(official_store, SEFTON, "2021-22", "MD")
    ra = next(x for x in ra_year.results if x.spec.key == KEY)
    assert ra.reading.value is None and ra.reading.status == "not_reported"
    assert ra.reading.basis == "budget_estimate" and ra.previous is None


def test_indicators_json_carries_it(official_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", official_db, "indicators", "--authority", SEFTON, "--year", "2023-24", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    row = next(i for i in out["indicators"] if i["key"] == KEY)
    assert row["title"].startswith("Financing costs (RS lines 773 + 776 + 781 + 783 + 786")
    assert row["basis"] == "outturn" and row["parts"]["financing_costs_gbp"] == 9_032_000
    assert row["parts"]["interest_investment_income_gbp"] == -2_480_000
    assert row["previous_year"] == "2017-18" and row["direction_of_travel"]
