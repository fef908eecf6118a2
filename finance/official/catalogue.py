"""Every published MHCLG RS, RSX and RA release from 2010-11 on, with the layout it uses and, where one was found
cited in public code or documentation, its GOV.UK download address.

Why a fixed list: GOV.UK asset URLs carry an opaque media id that cannot be worked out from the year, and a
release is sometimes replaced by a revision. Every URL below was found cited somewhere public (named on each
entry); none was guessed. A release whose address was not found is still listed, with `url=None`: fetch-official
reports it as having no known address, and the file can be placed in the official folder by hand. `sha256` is set
only for the releases whose bytes Headroom's tests use (../shared/data/raw/*/SHA256SUMS.txt); for the others a
download is accepted with no checksum to compare against.

RA (the budget estimates) is published in two parts from 2023-24 on (Part 1: service expenditure; Part 2:
financing, reserves); they are listed separately. Collection page:
https://www.gov.uk/government/collections/local-authority-revenue-expenditure-and-financing
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

#: The layouts, as Headroom reads them (finance.official.reader) or, for releases no copy was seen of, says so.
LAYOUT_OLD = "2010-15 sheets: several 'LA Data' sheets, reserve dates in section headings (.xls)"
LAYOUT_WIDE = "one sheet: one header row, dated reserve labels (.xlsx/.ods)"
LAYOUT_CODED_ROWS = "one sheet with six coded header rows above the labels (.ods)"
LAYOUT_2024 = "2024-25 family: one 'Service - Measure (Cn)' label row, asset codes in a hidden last row (.ods)"
LAYOUT_RA_CSV = "one sheet: one header row (RA data sheet; Headroom holds a CSV save of it)"
LAYOUT_UNSEEN = "not seen: no copy held or cited; Headroom reads it if it is one of the layouts above"


@dataclass(frozen=True)
class Release:
    financial_year: str
    dataset: str  # 'RS outturn' | 'RSX outturn' | 'RA budget' | 'RA budget Part 1' | 'RA budget Part 2'
    layout: str
    url: str | None = None  # None: no cited GOV.UK address was found
    cited_in: str = ""
    sha256: str | None = None  # the copy Headroom is tested with, where there is one

    @property
    def file_name(self) -> str | None:
        return None if self.url is None else urlsplit(self.url).path.rsplit("/", 1)[-1]


_BBC = "BBC-Data-Unit/council-reserves @ 8de7c49a (3estimate_vs_spend.Rmd)"
_AIDOGE = "tompickup23/burnleycouncil (burnley-council/scripts/govuk_budgets.py, DOWNLOAD_URLS)"
_OLD = "https://www.gov.uk/government/uploads/system/uploads/attachment_data/file"
_ASSETS = "https://assets.publishing.service.gov.uk"

_DFE = "dfe-analytical-services/CSC_outcomes_and_enablers (the shared 2024-25 copy's source; its bytes)"
_CITED_2526 = "public code found by search (a 2025-26 England services dashboard; index id 71291638485)"

_KNOWN: tuple[Release, ...] = (
    Release("2015-16", "RS outturn", LAYOUT_WIDE, f"{_OLD}/659783/RS_2015-16_data_by_LA_-_Revision.xlsx", _BBC,
            "4a4b811a33fb96cd4fbd58be28e3fec2caa7b44385947ae497c99cb523082cae"),
    Release("2016-17", "RS outturn", LAYOUT_WIDE, f"{_OLD}/659764/RS_2016-17_data_by_LA.xlsx", _BBC,
            "391b46e4d51ba0bac58946288270235e4e01816d8b09acd15736e9e825ee1bc6"),
    Release("2017-18", "RS outturn", LAYOUT_WIDE,
            f"{_ASSETS}/government/uploads/system/uploads/attachment_data/file/735627/RS_2017-18_data_by_LA.xlsx",
            _BBC, "24225a1e7ecd03ea6e2efd6124722ff7f2fb93f9242ed9d0acbe30e18ddc8f00"),
    Release("2021-22", "RS outturn", LAYOUT_UNSEEN,
            f"{_ASSETS}/media/6880c142f47abf78ca1d3532/RS_2021-22_data_by_LA_July_2025.ods", _AIDOGE),
    Release("2022-23", "RS outturn", LAYOUT_UNSEEN,
            f"{_ASSETS}/media/686be4192cfe301b5fb67819/RS_2022-23_data_by_LA.ods", _AIDOGE),
    Release("2023-24", "RS outturn", LAYOUT_CODED_ROWS,
            f"{_ASSETS}/media/6759b6e7ad4694c785b0edb1/RS_2023-24_data_by_LA.ods",
            "PROVENANCE.md of ../shared/data/raw/la_reserves_mhclg; also " + _AIDOGE,
            "c6f3fa9fb13f6f2a698523d62574a09cb5bdb4c3ad7c687c4754875d040d4f88"),
    Release("2024-25", "RS outturn", LAYOUT_2024,
            f"{_ASSETS}/media/692ed8ac9c1eda2cdf03440b/RS_LA_Data_2024-25_data_by_LA.ods", _AIDOGE),
    Release("2021-22", "RSX outturn", LAYOUT_UNSEEN,
            f"{_ASSETS}/media/6825a5a1ab96d4ed0b262f78/RSX_2021-22_data_by_LA_Live.ods", _AIDOGE),
    Release("2022-23", "RSX outturn", LAYOUT_UNSEEN,
            f"{_ASSETS}/media/686be42881dd8f70f5de3c18/RSX_2022-23_data_by_LA.ods", _AIDOGE),
    Release("2023-24", "RSX outturn", LAYOUT_UNSEEN,
            f"{_ASSETS}/media/6759b6e89f669f2e28ce2b44/RSX_2023-24_data_by_LA.ods", _AIDOGE),
    Release("2024-25", "RSX outturn", LAYOUT_2024,
            f"{_ASSETS}/media/692ed8baa245b0985f0343e5/RSX_LA_Data_2024-25_data_by_LA.ods",
            _AIDOGE + "; the tested copy is from " + _DFE + ", not checked against this address",
            "a824c696fe3f085d3e89739ef8f6d43da1c6959935aded49e16c08208aeb6051"),
    Release("2025-26", "RSX outturn", LAYOUT_2024,
            f"{_ASSETS}/media/6ab26f73997a4b2950cced10/RSX_LA_Data_2025-26_data_by_LA.ods", _CITED_2526),
)  # fmt: skip

#: Releases with no cited address: (year, dataset, layout). Layouts are those of the copies held where there is
#: one (the shared RS 2010-11 to 2014-15 files, the RA 2021-22 CSV); otherwise not seen.
_UNKNOWN_ADDRESS: tuple[tuple[str, str, str], ...] = (
    *((f"{y}-{(y + 1) % 100:02d}", "RS outturn", LAYOUT_OLD) for y in range(2010, 2015)),
    *((f"{y}-{(y + 1) % 100:02d}", "RS outturn", LAYOUT_UNSEEN) for y in range(2018, 2021)),
    ("2025-26", "RS outturn", LAYOUT_UNSEEN),
    *((f"{y}-{(y + 1) % 100:02d}", "RSX outturn", LAYOUT_UNSEEN) for y in range(2010, 2021)),
    *((f"{y}-{(y + 1) % 100:02d}", "RA budget", LAYOUT_UNSEEN) for y in range(2010, 2021)),
    ("2021-22", "RA budget", LAYOUT_RA_CSV),
    ("2022-23", "RA budget", LAYOUT_UNSEEN),
    *(
        (f"{y}-{(y + 1) % 100:02d}", f"RA budget {part}", LAYOUT_UNSEEN)
        for y in range(2023, 2027)
        for part in ("Part 1", "Part 2")
    ),
)

#: Every release, by dataset then year.
RELEASES: tuple[Release, ...] = tuple(
    sorted(
        (*_KNOWN, *(Release(year, dataset, layout) for year, dataset, layout in _UNKNOWN_ADDRESS)),
        key=lambda r: (r.dataset, r.financial_year),
    )
)
