"""The published MHCLG RS/RA releases Headroom knows where to download, with the copies it is tested with.

Why a fixed list: GOV.UK asset URLs carry an opaque media id that cannot be worked out from the year, and a
release is sometimes replaced by a revision. Every URL below was found cited in public code or documentation
(the source is named on each entry); none was guessed. `sha256` is set only for the releases whose bytes
Headroom's tests use (../shared/data/raw/la_reserves_mhclg/SHA256SUMS.txt); for the others a download is
accepted with no checksum to compare against.

Not listed because no cited URL was found: RS 2010-11 to 2014-15 (.xls), RS 2018-19 to 2020-21, and the RA
2021-22 workbook (the shared RA 2021-22 CSV is a re-save of it, not a published file). Import those copies by
hand with `python -m finance import-official PATH`.

Collection page: https://www.gov.uk/government/collections/local-authority-revenue-expenditure-and-financing
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Release:
    financial_year: str
    dataset: str  # 'RS outturn' | 'RA budget'
    url: str
    cited_in: str
    sha256: str | None = None  # the copy Headroom is tested with, where there is one

    @property
    def file_name(self) -> str:
        return urlsplit(self.url).path.rsplit("/", 1)[-1]


_BBC = "BBC-Data-Unit/council-reserves @ 8de7c49a (3estimate_vs_spend.Rmd)"
_AIDOGE = "tompickup23/burnleycouncil (burnley-council/scripts/govuk_budgets.py, DOWNLOAD_URLS)"
_OLD = "https://www.gov.uk/government/uploads/system/uploads/attachment_data/file"
_ASSETS = "https://assets.publishing.service.gov.uk"

RELEASES: tuple[Release, ...] = (
    Release(
        "2015-16",
        "RS outturn",
        f"{_OLD}/659783/RS_2015-16_data_by_LA_-_Revision.xlsx",
        _BBC,
        "4a4b811a33fb96cd4fbd58be28e3fec2caa7b44385947ae497c99cb523082cae",
    ),
    Release(
        "2016-17",
        "RS outturn",
        f"{_OLD}/659764/RS_2016-17_data_by_LA.xlsx",
        _BBC,
        "391b46e4d51ba0bac58946288270235e4e01816d8b09acd15736e9e825ee1bc6",
    ),
    Release(
        "2017-18",
        "RS outturn",
        f"{_ASSETS}/government/uploads/system/uploads/attachment_data/file/735627/RS_2017-18_data_by_LA.xlsx",
        _BBC,
        "24225a1e7ecd03ea6e2efd6124722ff7f2fb93f9242ed9d0acbe30e18ddc8f00",
    ),
    Release(
        "2021-22",
        "RS outturn",
        f"{_ASSETS}/media/6880c142f47abf78ca1d3532/RS_2021-22_data_by_LA_July_2025.ods",
        _AIDOGE,
    ),
    Release(
        "2022-23",
        "RS outturn",
        f"{_ASSETS}/media/686be4192cfe301b5fb67819/RS_2022-23_data_by_LA.ods",
        _AIDOGE,
    ),
    Release(
        "2023-24",
        "RS outturn",
        f"{_ASSETS}/media/6759b6e7ad4694c785b0edb1/RS_2023-24_data_by_LA.ods",
        "PROVENANCE.md of ../shared/data/raw/la_reserves_mhclg; also " + _AIDOGE,
        "c6f3fa9fb13f6f2a698523d62574a09cb5bdb4c3ad7c687c4754875d040d4f88",
    ),
    Release(
        "2024-25",
        "RS outturn",
        f"{_ASSETS}/media/692ed8ac9c1eda2cdf03440b/RS_LA_Data_2024-25_data_by_LA.ods",
        _AIDOGE,
    ),
)
