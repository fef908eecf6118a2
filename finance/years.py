"""Financial years as English councils write them: `2023-24` runs 1 April 2023 to 31 March 2024.

Kept in one place because every table, form and file names years this way, and a year typed as `2023/24`,
`2023-2024` or `23-24` must be refused the same way everywhere.
"""

from __future__ import annotations

import re
from datetime import date

from finance.errors import InputError

_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
FIRST_START = 2000  # 2000-01: no council return or plan Headroom reads is older
YEAR_FORMAT = "must be a financial year written like 2023-24"
YEARS_AHEAD = 10  # an MTFS looks three to five years ahead; ten is the furthest any plan goes
# The statutory override keeps DSG deficits out of usable reserves until this date; from 2028-29 on they count
# against them (DOMAIN.md, "DSG high-needs deficits"). The one place the date is written: the scenarios' DSG cliff,
# the DSG page, its chart, card and methodology all read it.
DSG_OVERRIDE_END = date(2028, 3, 31)
DSG_OVERRIDE_END_TEXT = f"{DSG_OVERRIDE_END.day} {DSG_OVERRIDE_END:%B %Y}"  # "31 March 2028"


def is_financial_year(text: str) -> bool:
    m = _YEAR.match(text)
    return m is not None and (int(m.group(1)) + 1) % 100 == int(m.group(2))


def current_start(today: date | None = None) -> int:
    """The calendar year in which the financial year holding `today` (default: today) started."""
    today = today or date.today()
    return today.year if today.month >= 4 else today.year - 1


def out_of_range(year: str, today: date | None = None) -> str | None:
    """Why a well-formed `year` is not one Headroom accepts (before 2000-01 or more than ten years ahead), or None."""
    last = current_start(today) + YEARS_AHEAD
    if not FIRST_START <= start_year(year) <= last:
        return f"is outside {year_from_start(FIRST_START)} to {year_from_start(last)}, the years Headroom takes"
    return None


def parse_financial_year(text: object, where: str = "financial year") -> str:
    """Return `text` as a canonical `YYYY-YY` year, or raise `InputError` naming `where`.

    Years before 2000-01 or more than ten years after the current one are refused (a typo such as 2099-00 or
    0999-00 would otherwise be stored as a real year).
    """
    s = str(text).strip()
    alt = re.match(r"^(\d{4})\s*[/–-]\s*(\d{2}|\d{4})$", s)
    if alt:
        start, end = int(alt.group(1)), alt.group(2)
        if int(end[-2:]) == (start + 1) % 100 and (len(end) == 2 or int(end) == start + 1):
            year = f"{start:04d}-{(start + 1) % 100:02d}"
            if (problem := out_of_range(year)) is not None:
                raise InputError.single(where, problem, s)
            return year
    raise InputError.single(where, YEAR_FORMAT, s)


def start_year(year: str) -> int:
    """The calendar year in which `year` starts (2023 for `2023-24`)."""
    return int(year[:4])


def year_from_start(start: int) -> str:
    return f"{start:04d}-{(start + 1) % 100:02d}"


def shift(year: str, years: int) -> str:
    """The financial year `years` after `year` (negative for before)."""
    return year_from_start(start_year(year) + years)


def following(year: str, count: int) -> list[str]:
    """The `count` financial years after `year`."""
    return [shift(year, i) for i in range(1, count + 1)]
