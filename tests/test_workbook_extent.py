"""Measuring a sheet from its XML before any reader builds it: the fast chunked measure agrees with the exact
tag-by-tag one, does not depend on where chunks are cut, trusts cells rather than the <dimension> record, and does
not refuse a sheet for formatting that reaches further than its values."""

from __future__ import annotations

import io
import zipfile
from array import array

import pytest

from finance.errors import InputError
from finance.workbook import Limits, read_workbook
from finance.workbook import extent as measuring
from tests.monitoring_corpus import (
    REVENUE_PART,
    _add_rows,
    _with_shared_strings,
    build,
    patch_sheet,
    revenue,
    with_cell,
)


def _both(data: bytes) -> tuple[measuring.Extent, measuring.Extent]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        shared = measuring.shared_string_lengths(zf, 10**6)
        assert isinstance(shared, array)
        return (
            measuring.measure(zf, "Revenue", REVENUE_PART, shared),
            measuring.measure_exactly(zf, "Revenue", REVENUE_PART, shared),
        )


def _shape(e: measuring.Extent) -> tuple[int, int, str, str, int]:
    return e.last_row, e.last_col, e.far_row_cell, e.far_col_cell, e.cells


WORKBOOKS = {
    "baseline": build,
    "far cell": lambda: with_cell("CV1500"),
    "corner": lambda: with_cell("XFD1048576"),
    "shared strings": lambda: _with_shared_strings(revenue(), ["abc", "y" * 500], 40),
}


@pytest.mark.parametrize("make", WORKBOOKS.values(), ids=list(WORKBOOKS))
def test_fast_and_exact_measures_agree(make: object) -> None:
    fast, exact = _both(make())  # type: ignore[operator]
    assert _shape(fast) == _shape(exact)
    assert fast.text_chars >= exact.text_chars  # the fast one counts numbers' digits too: it errs high


@pytest.mark.parametrize("make", WORKBOOKS.values(), ids=list(WORKBOOKS))
def test_where_chunks_are_cut_does_not_matter(make: object, monkeypatch: pytest.MonkeyPatch) -> None:
    data = make()  # type: ignore[operator]
    whole = _both(data)
    monkeypatch.setattr(measuring, "_CHUNK", 37)
    cut = _both(data)
    assert [_shape(e) for e in cut] == [_shape(e) for e in whole]
    assert cut[1].text_chars == whole[1].text_chars


def test_a_namespace_prefix_goes_through_the_exact_measure() -> None:
    data = patch_sheet(with_cell("Z40"), lambda x: x.replace(b"<c ", b"<x:c ").replace(b"</c>", b"</x:c>"))
    fast, exact = _both(data)
    assert (fast.last_row, fast.last_col) == (exact.last_row, exact.last_col) == (40, 26)


def test_a_wrong_dimension_record_is_not_trusted_either_way() -> None:
    big_claim = patch_sheet(
        revenue(), lambda x: x.replace(b'<dimension ref="A1:E5"', b'<dimension ref="A1:XFD1048576"')
    )
    assert read_workbook(big_claim, "m.xlsx", Limits()).sheets  # two cells claimed as the whole sheet: read
    small_claim = patch_sheet(with_cell("XFD1048576"), lambda x: x.replace(b'ref="A1:XFD1048576"', b'ref="A1:E5"'))
    with pytest.raises(InputError, match="XFD1048576"):
        read_workbook(small_claim, "m.xlsx", Limits())


def test_formatting_beyond_the_values_is_not_refused() -> None:
    """Readers skip a formatted cell without a value (`<c r=".." s="1"/>`), so it cannot make a grid large."""
    data = patch_sheet(revenue(), _add_rows('<row r="1048576"><c r="XFD1048576" s="0"/></row>'))
    fast, exact = _both(data)
    assert fast.empty_cells == 1 and exact.last_row == 5
    assert read_workbook(data, "m.xlsx", Limits()).sheets
