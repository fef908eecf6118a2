"""How figures are written for people: £12.3m, 21.2%, `P6 (Sep)`, `2025-26`.

One place, so that a figure on a page, in a chart's hover text, in the plain-English summary and in an export
reads the same everywhere (a test compares them as text).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

PERIOD_MONTHS = ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar")


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def gbp_m(value_gbp: float | None, *, decimals: int = 1, signed: bool = False) -> str:
    """£ → '£12.3m' ('−£4.0m' for negatives; '+£1.2m' with signed=True); '—' when missing."""
    if _missing(value_gbp):
        return "—"
    assert value_gbp is not None
    m = value_gbp / 1e6
    sign = "−" if m < 0 and round(abs(m), decimals) != 0 else ("+" if signed and m > 0 else "")
    return f"{sign}£{abs(m):,.{decimals}f}m"


def pct(value_pct: float | None, *, decimals: int = 1, signed: bool = False) -> str:
    """Percent (21.15) → '21.2%'; '—' when missing."""
    if _missing(value_pct):
        return "—"
    assert value_pct is not None
    sign = "−" if value_pct < 0 and round(abs(value_pct), decimals) != 0 else ("+" if signed and value_pct > 0 else "")
    return f"{sign}{abs(value_pct):,.{decimals}f}%"


def period_label(period: int, *, month: bool = True) -> str:
    """6 → 'P6 (Sep)': April is P1. With `month=False` just 'P6', as workbooks, the upload preview and the CLI
    write a period (the one period label: issue 15 folded the workbook schema's copy in here)."""
    if not month:
        return f"P{period}"
    if not 1 <= period <= 12:
        raise ValueError(f"period must be 1..12, not {period}")
    return f"P{period} ({PERIOD_MONTHS[period - 1]})"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# Column headers as a person reads them. Tables are built from query results whose names are identifiers
# (`value_pct`, `ons_code`); every table shown or exported passes through `column_label`, so a raw name never
# reaches a page, a download or the pack. Names not listed here are read by the rule in `column_label`.
COLUMN_LABELS = {
    "code": "ONS code",
    "ons_code": "ONS code",
    "ecode": "E-code",
    "name": "Authority",
    "authority_name": "Authority",
    "authority_code": "ONS code",
    "sha256": "SHA-256",
    "change_pct_points": "Change (percentage points)",
    "financial_year": "Financial year",
    "year": "Financial year",
}
_ACRONYMS = {
    "ons": "ONS",
    "nre": "NRE",
    "dsg": "DSG",
    "utc": "UTC",
    "mrp": "MRP",
    "cfr": "CFR",
    "id": "ID",
    "rag": "RAG",
    "mtfs": "MTFS",
    "nndr": "NNDR",
    "sha256": "SHA-256",
}
_UNIT_SUFFIXES = (
    (("gbp", "m"), "£m"),
    (("gbp", "000"), "£000"),
    (("gbp",), "£"),
    (("pct", "points"), "percentage points"),
    (("pct",), "%"),
)


def is_raw_identifier(name: object) -> bool:
    """True for a header that is a program's name rather than words: `value_pct`, `ons_code`, `status`."""
    text = str(name)
    return bool(text) and text[0].islower() and all(c.islower() or c.isdigit() or c == "_" for c in text)


def column_label(name: object) -> str:
    """The header a person reads for a table column: `value_pct` → 'Value (%)', `ons_code` → 'ONS code',
    `sha256` → 'SHA-256', 'as at' → 'As at'. A header already in words keeps them (only its first letter is
    raised); a non-text header (a year as a number) is written as text."""
    text = str(name)
    if text in COLUMN_LABELS:
        return COLUMN_LABELS[text]
    if not is_raw_identifier(text):
        return text[:1].upper() + text[1:] if text[:1].islower() else text
    words = [w for w in text.split("_") if w]
    unit = ""
    for suffix, label in _UNIT_SUFFIXES:
        if len(words) > len(suffix) and tuple(words[-len(suffix) :]) == suffix:
            words, unit = words[: -len(suffix)], label
            break
    phrase = " ".join(_ACRONYMS.get(w, w) for w in words)
    phrase = phrase[:1].upper() + phrase[1:]
    return f"{phrase} ({unit})" if unit else phrase


# What an authority is called everywhere (pages, charts, the pack, the CLI's display names): its place name, as
# ONS names the code, without the body's title the returns add to some ("Wigan MBC", "Kent CC", "Bristol UA"),
# so "St Helens" and "Wigan" read beside "Sefton". Bodies named for what they are ("… Fire and Rescue Authority",
# "Greater London Authority") keep their names. Migration 205 applies the same rule to names already stored.
AUTHORITY_SUFFIXES = (
    "Metropolitan Borough Council",
    "Metropolitan District Council",
    "Borough Council",
    "District Council",
    "County Council",
    "City Council",
    "Council",
    "MBC",
    "BC",
    "DC",
    "CC",
    "UA",
)


def authority_name(name: str) -> str:
    """'Wigan MBC' → 'Wigan', 'Leeds City Council' → 'Leeds', 'Kent CC' → 'Kent'; any other name unchanged
    (surrounding spaces removed). A name that is only a suffix is kept as it is."""
    text = " ".join(name.split())
    for suffix in AUTHORITY_SUFFIXES:
        if text.endswith(" " + suffix):
            return text[: -len(suffix) - 1].rstrip(" ,")
    return text


def span(first: str, last: str) -> str:
    """'2025-26 to 2027-28'; one year or period said once ('2026-27', never '2026-27 to 2026-27')."""
    return first if first == last else f"{first} to {last}"


def at_points(points: Sequence[tuple[str, str]]) -> str:
    """'+£9.9m at P6 (Sep), +£12.1m at P7 (Oct)': each (value, point) in order, each point said once — a chart
    with one period has the same first and last point, and its text alternative names it once."""
    said: set[str] = set()
    parts: list[str] = []
    for value, point in points:
        if point not in said:
            said.add(point)
            parts.append(f"{value} at {point}")
    return ", ".join(parts)


def repeated_clauses(text: str) -> list[str]:
    """The clauses (between commas, semicolons and full stops) a text says more than once: a text alternative
    must not ('+£9.9m at P6 (Sep), +£9.9m at P6 (Sep)')."""
    clauses = [c.strip() for c in re.split(r"[,;:]\s|\.\s|\.$", text) if len(c.strip()) > 3]
    return sorted({c for c in clauses if clauses.count(c) > 1})
