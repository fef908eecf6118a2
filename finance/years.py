"""Financial years as English councils write them: `2023-24` runs 1 April 2023 to 31 March 2024.

Kept in one place because every table, form and file names years this way, and a year typed as `2023/24`,
`2023-2024` or `23-24` must be refused the same way everywhere.
"""

from __future__ import annotations

import re

from finance.errors import InputError

_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


def is_financial_year(text: str) -> bool:
    m = _YEAR.match(text)
    return m is not None and (int(m.group(1)) + 1) % 100 == int(m.group(2))


def parse_financial_year(text: object, where: str = "financial year") -> str:
    """Return `text` as a canonical `YYYY-YY` year, or raise `InputError` naming `where`."""
    s = str(text).strip()
    alt = re.match(r"^(\d{4})\s*[/–-]\s*(\d{2}|\d{4})$", s)
    if alt:
        start, end = int(alt.group(1)), alt.group(2)
        if int(end[-2:]) == (start + 1) % 100 and (len(end) == 2 or int(end) == start + 1):
            return f"{start}-{(start + 1) % 100:02d}"
    raise InputError.single(where, "must be a financial year written like 2023-24", s)


def start_year(year: str) -> int:
    """The calendar year in which `year` starts (2023 for `2023-24`)."""
    return int(year[:4])


def year_from_start(start: int) -> str:
    return f"{start}-{(start + 1) % 100:02d}"


def shift(year: str, years: int) -> str:
    """The financial year `years` after `year` (negative for before)."""
    return year_from_start(start_year(year) + years)


def following(year: str, count: int) -> list[str]:
    """The `count` financial years after `year`."""
    return [shift(year, i) for i in range(1, count + 1)]
