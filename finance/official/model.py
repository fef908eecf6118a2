"""What a parsed official return holds, and how its labels and cells are read.

Shared by the per-layout readers so that every layout normalises labels, spots "not published" markers and
converts £000 to £ the same way: the value a user sees must not depend on which year's layout it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

ECODE_RE = re.compile(r"^E\d{4}$")
ONS_RE = re.compile(r"^E\d{8}$")

#: The published class codes Headroom keeps; older files write London boroughs as 'L'.
CLASS_MAP = {"L": "LB", "LB": "LB", "MD": "MD", "UA": "UA", "SC": "SC", "SD": "SD", "O": "O"}

RS_OUTTURN = ("RS outturn", "outturn")
RA_BUDGET = ("RA budget", "budget_estimate")

#: The returns that carry reserves and net revenue expenditure (stored in `official_return`/`official_value`);
#: every other return (RSX, RO1–RO6) carries service spending only (`service_return`/`service_value`).
RESERVES_DATASETS = frozenset({RS_OUTTURN[0], RA_BUDGET[0]})


def outturn_dataset(return_code: str) -> tuple[str, str]:
    """(dataset, basis) of a revenue outturn return by its code: 'RS', 'RSX', 'RO3' … all outturn."""
    return f"{return_code} outturn", "outturn"


#: Cell texts the returns use for "not published" (return not received, not applicable, suppressed).
NOT_PUBLISHED = frozenset({"[x]", "[z]", "[c]", "x", "-", "..", "...", "…", "n/a", "[y]", "[n]", "m"})

_NOTE_RE = re.compile(r"\[note\s*\d+\]", re.IGNORECASE)
_SPACE_RE = re.compile(r"\s+")
_THOUSAND = Decimal(1000)
_PENNY = Decimal("0.01")


def norm_label(cell: object) -> str:
    """A published label as compared: lower case, single spaces, "[note N]" markers removed."""
    text = _NOTE_RE.sub(" ", str(cell))
    return _SPACE_RE.sub(" ", text).strip().lower()


def clean_text(cell: object) -> str:
    """A cell as text, whitespace collapsed; floats that are whole numbers lose their ".0"."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return _SPACE_RE.sub(" ", str(cell)).strip()


def gbp_from_thousands(cell: object) -> tuple[Decimal | None, str | None]:
    """Convert a published £000 cell to `(value_gbp, published_text)`.

    Numbers become exact £ (× 1000, to the penny) with no text; anything else (e.g. "[x]" = return not
    received) becomes `(None, text)`: missing stays missing, never zero. A blank cell gives `(None, None)`.
    Text numbers as saved in CSV ("11,896", "(1,234)") are read as numbers.
    """
    if isinstance(cell, bool):
        return None, str(cell)
    if isinstance(cell, int | float):
        if cell != cell or cell in (float("inf"), float("-inf")):  # NaN / inf are not figures
            return None, str(cell)
        return (Decimal(repr(float(cell))) * _THOUSAND).quantize(_PENNY), None
    text = clean_text(cell)
    if not text:
        return None, None
    if text.lower() in NOT_PUBLISHED:
        return None, text
    numeric = text.replace(",", "").replace("£", "").strip()
    negative = numeric.startswith("(") and numeric.endswith(")")
    if negative:
        numeric = numeric[1:-1]
    try:
        number = Decimal(numeric)
    except InvalidOperation:
        return None, text
    if not number.is_finite():
        return None, text
    return ((-number if negative else number) * _THOUSAND).quantize(_PENNY), None


@dataclass(frozen=True)
class ReturnAuthority:
    """One authority as a return names it (that year's E-code, ONS code if given, name and class)."""

    ecode: str
    ons_code: str | None
    name: str
    la_class: str
    certified: str | None = None


@dataclass(frozen=True)
class ReturnValue:
    """One published figure: `value_gbp` in £ (None when not published, with `published_text` kept)."""

    ecode: str
    measure: str
    point: str  # 'opening' | 'closing' | 'year'
    value_gbp: Decimal | None
    published_text: str | None
    source_label: str


@dataclass(frozen=True)
class ServiceValue:
    """One service line's figure (e.g. adult social care net current expenditure), `value_gbp` in £ (None when
    not published, with `published_text` kept). `line` is a service key (`finance.official.services`) or, for
    an RO return's detail lines, the publisher's line label; `asset_code` is the publisher's code where given."""

    ecode: str
    line: str
    measure: str  # 'net_current_expenditure'
    value_gbp: Decimal | None
    published_text: str | None
    source_label: str
    asset_code: str | None = None


@dataclass(frozen=True)
class ParsedReturn:
    """A whole official return read from one file, before anything touches the database."""

    file_name: str
    sha256: str
    financial_year: str
    dataset: str  # 'RS outturn' | 'RA budget'
    basis: str  # 'outturn' | 'budget_estimate'
    authorities: tuple[ReturnAuthority, ...]
    values: tuple[ReturnValue, ...]
    publisher_note: str | None = None
    measures: tuple[str, ...] = field(default=())
    service_values: tuple[ServiceValue, ...] = field(default=())
    layout: str = ""  # which published layout the file was read as, for the import report

    @property
    def carries_reserves(self) -> bool:
        """True for RS/RA returns (reserves and NRE); False for RSX and RO returns (service spending only)."""
        return self.dataset in RESERVES_DATASETS

    def ons_by_ecode(self) -> dict[str, str]:
        """E-code → ONS code for every authority this return gives an ONS code for."""
        return {a.ecode: a.ons_code for a in self.authorities if a.ons_code}
