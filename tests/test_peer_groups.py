"""NN and SN peer groups (issue 20): the ONS and DfE statistical-neighbour files through the project's own reader,
compared with the same lists read straight from the raw files here; the applicability rule; refusals."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest

from finance.bootstrap import ensure_ready
from finance.errors import InputError, NotFoundError
from finance.official import import_paths
from finance.peergroups import (
    EVERY_CLASS,
    HOUSING_AND_BILLING,
    UPPER_TIER,
    applicability,
    check_group,
    peer_group,
)
from finance.store import Store

pytestmark = pytest.mark.official

ONS_FILE = "clusteringsimilarlocalauthoritiesandnearestneighbours.xlsx"
SN_FILE = "sn_model_2025_wide.csv"
LOOKUP_FILE = "la-lookup.csv"
SEFTON, LANCASHIRE, CAMDEN = "E08000014", "E10000017", "E09000007"


def _ons_neighbours(folder: Path, code: str) -> list[str]:
    """The authority's 20 global neighbours, read from table 7a with openpyxl (not the project's reader)."""
    book = openpyxl.load_workbook(folder / ONS_FILE, read_only=True)
    for row in book["7.a"].iter_rows(values_only=True):
        if row and row[0] == code:
            return [str(row[2 + 2 * n]) for n in range(20)]
    raise AssertionError(f"{code} not in table 7a")


def _dfe_neighbours(folder: Path, code: str) -> list[str]:
    """The authority's 10 DfE statistical neighbours as ONS codes, joined with the lookup here."""
    with (folder / LOOKUP_FILE).open(encoding="utf-8-sig") as f:
        lookup = {r["old_la_code"]: r["la_code"] for r in csv.DictReader(f)}
    number = next(k for k, v in lookup.items() if v == code)
    with (folder / SN_FILE).open(encoding="utf-8-sig") as f:
        row = next(r for r in csv.DictReader(f) if r["old_la_code"] == number)
    return [lookup[row[f"SN_{n}"]] for n in range(1, 11)]


@pytest.mark.parametrize("code", [SEFTON, LANCASHIRE, CAMDEN, "E06000001"])
def test_nn_members_are_the_authority_and_its_20_global_neighbours(
    peer_store: Store, peer_groups_dir: Path, code: str
) -> None:
    group = peer_group(peer_store, code, "nn")
    assert group.codes == [code, *_ons_neighbours(peer_groups_dir, code)]
    assert len(group.codes) == 21 and group.members["is_self"].tolist() == [True] + [False] * 20


@pytest.mark.parametrize("code", [SEFTON, LANCASHIRE, CAMDEN])
def test_sn_members_are_the_authority_and_its_10_dfe_neighbours(
    peer_store: Store, peer_groups_dir: Path, code: str
) -> None:
    group = peer_group(peer_store, code, "SN")
    assert group.codes == [code, *_dfe_neighbours(peer_groups_dir, code)]


def test_sefton_check_figures_from_the_provenance(peer_store: Store) -> None:
    nn = peer_group(peer_store, SEFTON, "NN")
    assert nn.codes[1:5] == ["E08000015", "E06000007", "E08000002", "E10000028"]
    names = nn.members["name"].tolist()[1:5]  # as the returns name them ('Warrington UA')
    assert [n.split()[0] for n in names] == ["Wirral", "Warrington", "Bury", "Staffordshire"]
    sn = peer_group(peer_store, SEFTON, "SN")
    words = ["Wirral", "Helens", "Wigan", "Lancashire", "Halton", "Durham", "Stockton", "Knowsley", "Darlington"]
    words.append("Bury")
    assert all(w in n for w, n in zip(words, sn.members["name"].tolist()[1:], strict=True))
    # class from the returns: Staffordshire is a shire county, Warrington a unitary
    classes = nn.class_of()
    assert classes["E10000028"] == "SC" and classes["E06000007"] == "UA"


def test_group_states_its_definition_and_source(peer_store: Store, peer_groups_dir: Path) -> None:
    from finance.store import sha256_file

    nn = peer_group(peer_store, SEFTON, "NN")
    assert nn.definition.startswith("ONS statistical nearest neighbours (global model, released 14 February 2025)")
    assert ONS_FILE in nn.source and sha256_file(peer_groups_dir / ONS_FILE) in nn.source
    sn = peer_group(peer_store, SEFTON, "SN")
    assert "2025 model" in sn.definition
    assert SN_FILE in sn.source and LOOKUP_FILE in sn.source
    assert sha256_file(peer_groups_dir / LOOKUP_FILE) in sn.source
    assert nn.as_dict()["members"][1] == {"ons_code": "E08000015", "name": "Wirral", "class": "MD", "neighbour_rank": 1}


def test_nn_members_outside_england_are_not_applicable(peer_store: Store) -> None:
    # Middlesbrough's global neighbours include Glasgow City and Newport
    group = peer_group(peer_store, "E06000002", "NN")
    table = group.comparison_table(EVERY_CLASS, with_figure={"E06000002"})
    status = dict(zip(table["ONS code"], table["In this comparison"], strict=True))
    assert status["S12000049"].startswith("not applicable: outside England")
    assert status["W06000022"].startswith("not applicable: outside England")
    assert status["E06000002"] == "yes" and status["E08000012"] == "no return"
    assert "S12000049" not in group.applicable(EVERY_CLASS)


def test_applicability_by_class() -> None:
    assert not applicability("E10000017", "SC", HOUSING_AND_BILLING).applies  # a county: no TA duty, no billing
    assert "shire county" in applicability("E10000017", "SC", HOUSING_AND_BILLING).reason
    assert not applicability("E07000123", "SD", UPPER_TIER).applies  # a district: no DSG, no children's services
    assert "shire district" in applicability("E07000123", "SD", UPPER_TIER).reason
    assert applicability("E07000123", "SD", HOUSING_AND_BILLING).applies
    assert applicability("E08000014", "MD", UPPER_TIER).applies
    assert applicability("E08000014", None, UPPER_TIER).applies  # English, no return held: "no return", not n/a
    assert not applicability("W06000022", None, EVERY_CLASS).applies


def test_check_group_names_the_option() -> None:
    assert check_group(" sn ") == "SN"
    with pytest.raises(InputError) as err:
        check_group("CIPFA")
    assert err.value.problems[0].where == "--group" and "NN" in err.value.problems[0].message


def test_class_groups_keep_their_members(peer_store: Store) -> None:
    md = peer_group(peer_store, SEFTON, "MD")
    assert len(md.codes) == 36 and SEFTON in md.codes
    assert "illustrative" not in md.definition or "real" in md.definition


def test_neighbour_group_not_loaded_or_illustrative_is_not_found(official_store: Store, demo_db: str) -> None:
    with pytest.raises(NotFoundError, match="not loaded"):
        peer_group(official_store, SEFTON, "NN")
    demo = Store.open(demo_db, read_only=True)
    try:
        code = str(demo.scalar("SELECT min(code) FROM authority WHERE is_illustrative"))
        with pytest.raises(NotFoundError, match="illustrative"):
            peer_group(demo, code, "SN")
    finally:
        demo.close()


def test_reimport_is_unchanged_and_the_reports_say_what_each_file_is(store: Store, peer_groups_dir: Path) -> None:
    first = {r.file_name: r for r in import_paths(store, [peer_groups_dir])}
    assert first[ONS_FILE].dataset == "ONS nearest neighbours" and first[ONS_FILE].status == "imported"
    assert first[ONS_FILE].rows == 382 * 20
    assert first[SN_FILE].dataset == "DfE statistical neighbours" and first[SN_FILE].rows == 153 * 10
    assert first[LOOKUP_FILE].dataset == "DfE LA lookup" and first[LOOKUP_FILE].rows == 153
    before = store.dump()
    again = import_paths(store, [peer_groups_dir])
    assert {r.status for r in again} == {"unchanged"}
    assert store.dump() == before


def test_official_folder_read_at_start_loads_the_peer_files(
    store: Store, peer_groups_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "official"
    folder.mkdir()
    for name in (ONS_FILE, SN_FILE, LOOKUP_FILE):
        (folder / name).symlink_to(peer_groups_dir / name)
    report = ensure_ready(store, folder)
    assert not report.official_errors
    assert store.scalar("SELECT count(*) FROM peer_neighbour WHERE model = 'SN'") == 1530


def test_sn_file_of_an_unknown_layout_is_refused_naming_it(store: Store, peer_groups_dir: Path, tmp_path: Path) -> None:
    with (peer_groups_dir / SN_FILE).open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    keep = [j for j, c in enumerate(rows[0]) if c not in ("SN_10", "SN_10P")]
    bad = tmp_path / "sn_model_2026_wide.csv"
    with bad.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([[r[j] for j in keep] for r in rows])
    before = store.dump()
    with pytest.raises(InputError) as err:
        import_paths(store, [tmp_path])  # in a folder too: a neighbour file is never skipped
    problem = err.value.problems[0]
    assert problem.where == f"{bad.name} row 1" and "sn_10" in problem.message
    assert store.dump() == before


def test_ons_workbook_of_an_unknown_layout_is_refused_naming_the_sheet(store: Store, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "7.a"
    sheet.append(["Table 7a: Global statistical nearest neighbours"])
    sheet.append(["LA code", "LA name", "First neighbour"])
    sheet.append(["E08000014", "Sefton", "E08000015"])
    bad = tmp_path / "neighbours.xlsx"
    book.save(bad)
    before = store.dump()
    with pytest.raises(InputError) as err:
        import_paths(store, [bad])
    assert err.value.problems[0].where == "neighbours.xlsx sheet '7.a'"
    assert "Local Authority Code" in err.value.problems[0].message
    assert store.dump() == before


def test_bad_neighbour_code_is_refused_naming_the_cell(store: Store, peer_groups_dir: Path, tmp_path: Path) -> None:
    with (peer_groups_dir / LOOKUP_FILE).open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    rows[3][0] = "Sefton"  # la_code of the third authority
    bad = tmp_path / "lookup.csv"
    with bad.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    with pytest.raises(InputError) as err:
        import_paths(store, [bad])
    assert err.value.problems[0].where == "lookup.csv A4" and err.value.problems[0].value == "Sefton"


def test_a_file_that_is_no_neighbour_list_is_still_skipped_in_a_folder(store: Store, tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    shutil.copyfile(tmp_path / "notes.csv", tmp_path / "more.csv")
    reports = import_paths(store, [tmp_path])
    assert {r.status for r in reports} == {"skipped"}
