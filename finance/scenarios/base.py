"""An authority's starting point for a scenario, read from the official returns it has in the database.

The page starts every scenario from figures a finance officer can trace: each base figure carries the year,
basis and file it came from. The base year is the latest year held, preferring outturn to budget estimates
(outturn is what happened); the illustrative demo authorities use their illustrative rows, labelled as such.
Net revenue expenditure stands in for the net revenue budget. The reserves are closing balances (31 March of the
base year, so the balances at the start of the first projected year), and the scenario states that date and the
return they come from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd

from finance import years as fy
from finance.errors import NotFoundError
from finance.scenarios.model import Scenario, make_scenario
from finance.scenarios.spec import BASE_KEYS, DEFAULT_MINIMUM_PCT_OF_NRB
from finance.store import Store

# base key -> (measure, point) in official_value
_MEASURES: tuple[tuple[str, str, str], ...] = (
    ("net_revenue_budget", "net_revenue_expenditure", "year"),
    ("council_tax_requirement", "council_tax_requirement", "year"),
    ("unallocated_reserves", "unallocated_reserves", "closing"),
    ("earmarked_reserves", "earmarked_reserves", "closing"),
    # The DSG deficit sits in the unusable DSG adjustment account, published as a negative balance.
    ("dsg_deficit", "dsg_adjustment_account", "closing"),
)
_BASIS_ORDER = ("outturn", "budget_estimate", "illustrative")
_BASIS_TEXT = {"outturn": "outturn", "budget_estimate": "budget estimate", "illustrative": "illustrative"}
_RETURN = {"outturn": "RS", "budget_estimate": "RA"}  # the return each basis is published in
_BALANCE_KEYS = ("unallocated_reserves", "earmarked_reserves")


@dataclass(frozen=True)
class BaseFigure:
    """One base figure in £m with where it came from (None when the returns do not give it)."""

    key: str
    label: str
    value_gbp_m: float | None
    financial_year: str | None
    basis: str | None
    file_name: str | None
    note: str = ""

    @property
    def source_text(self) -> str:
        if self.file_name is None:
            return self.note or "not in the returns held"
        basis = _BASIS_TEXT.get(self.basis or "", self.basis or "")
        text = f"{self.financial_year} {basis}, {self.file_name}"
        return f"{text} ({self.note})" if self.note else text


@dataclass(frozen=True)
class BaseFigures:
    authority_code: str
    authority_name: str
    base_year: str
    is_illustrative: bool
    figures: tuple[BaseFigure, ...]

    def values_gbp_m(self) -> dict[str, float]:
        """Figures given, by base key (missing ones are left out, so they default to zero in a scenario)."""
        return {f.key: f.value_gbp_m for f in self.figures if f.value_gbp_m is not None}

    @property
    def missing(self) -> list[str]:
        return [f.label for f in self.figures if f.value_gbp_m is None]

    @property
    def balances_as_at(self) -> date | None:
        """31 March of the year the reserves balances close (the older one, should the two differ)."""
        years = [f.financial_year for f in self.figures if f.key in _BALANCE_KEYS and f.value_gbp_m is not None]
        return date(min(fy.start_year(str(y)) for y in years) + 1, 3, 31) if years else None

    @property
    def balances_source(self) -> str:
        """The return(s) and file(s) the reserves balances come from, e.g. 'RS 2023-24 (outturn), file.xlsx'."""
        texts: list[str] = []
        for f in self.figures:
            if f.key in _BALANCE_KEYS and f.value_gbp_m is not None:
                ret = _RETURN.get(f.basis or "", "")
                text = f"{ret} {f.financial_year} ({_BASIS_TEXT.get(f.basis or '', f.basis)}), {f.file_name}".strip()
                if text not in texts:
                    texts.append(text)
        return "; ".join(texts)

    def table(self) -> pd.DataFrame:
        """What the page shows under "Source of each base figure"."""
        return pd.DataFrame(
            {
                "Base figure": [f.label for f in self.figures],
                "£m": [None if f.value_gbp_m is None else round(f.value_gbp_m, 3) for f in self.figures],
                "Year": [f.financial_year or "" for f in self.figures],
                "Basis": [_BASIS_TEXT.get(f.basis or "", f.basis or "") for f in self.figures],
                "File": [f.file_name or "" for f in self.figures],
                "Note": [f.note for f in self.figures],
            }
        )

    def scenario(self, name: str | None = None, forecast_years: int = 3) -> Scenario:
        """A scenario starting from these figures: base year, the following years, every assumption at zero."""
        return make_scenario(
            name or f"{self.authority_name} from {self.base_year}",
            self.base_year,
            fy.following(self.base_year, forecast_years),
            self.values_gbp_m(),
            authority=self.authority_code,
            balances_as_at=self.balances_as_at,
            balances_source=self.balances_source,
        )


def _rank(basis: str) -> int:
    return _BASIS_ORDER.index(basis) if basis in _BASIS_ORDER else len(_BASIS_ORDER)


def base_figures(store: Store, authority_code: str, *, up_to_year: str | None = None) -> BaseFigures:
    """The authority's base figures from `official_value`, each with its source.

    The base year is the latest year (up to `up_to_year`, when given) in which the authority has outturn
    figures, else budget estimates, else illustrative figures. A measure missing that year is taken from the
    nearest earlier year and basis, and labelled with its own year. Raises `NotFoundError` when the authority
    has no figures at all.
    """
    auth = store.query_one("SELECT name, is_illustrative FROM authority WHERE code = ?", [authority_code])
    measures = [m for _, m, _ in _MEASURES]
    rows: Sequence[tuple[object, ...]] = store.query(
        f"""SELECT v.measure, v.point, v.financial_year, v.basis, v.value_gbp, s.file_name
            FROM official_value v JOIN source_file s USING (source_id)
            WHERE v.code = ? AND v.value_gbp IS NOT NULL AND v.measure IN ({", ".join("?" for _ in measures)})
              AND (? IS NULL OR v.financial_year <= ?)""",
        [authority_code, *measures, up_to_year, up_to_year],
    )
    if not rows:
        when = f" up to {up_to_year}" if up_to_year else ""
        raise NotFoundError(f"No official figures for {authority_code}{when}: enter the base figures by hand.")
    best_basis = min(_rank(str(r[3])) for r in rows)
    base_year = max(str(r[2]) for r in rows if _rank(str(r[3])) == best_basis)
    figures: list[BaseFigure] = []
    for key, measure, point in _MEASURES:
        label = BASE_KEYS[key].label
        candidates = [r for r in rows if r[0] == measure and r[1] == point and str(r[2]) <= base_year]
        # latest year first, then the preferred basis within a year
        candidates.sort(key=lambda r: (-fy.start_year(str(r[2])), _rank(str(r[3]))))
        if not candidates:
            figures.append(BaseFigure(key, label, None, None, None, None, "not in the returns held"))
            continue
        r = candidates[0]
        value = r[4]
        gbp_m = float(value if isinstance(value, Decimal | int | float) else Decimal(str(value))) / 1e6
        note = "net revenue expenditure, standing in for the net revenue budget" if key == "net_revenue_budget" else ""
        if key == "dsg_deficit":
            gbp_m, note = max(-gbp_m, 0.0), "the DSG adjustment account's deficit (negative in the returns)"
        if gbp_m < 0:
            # The returns publish a few negative figures (DOMAIN: 'O' bodies' NRE); a scenario base cannot start
            # from one, so it is shown and left for the user to enter rather than silently used or zeroed.
            note = f"published as −£{-gbp_m:,.3f}m, which cannot be a scenario base: enter it by hand"
            figures.append(BaseFigure(key, label, None, str(r[2]), str(r[3]), str(r[5]), note))
            continue
        figures.append(BaseFigure(key, label, gbp_m, str(r[2]), str(r[3]), str(r[5]), note))
    nrb = next(f for f in figures if f.key == "net_revenue_budget")
    if nrb.value_gbp_m is not None:
        figures.append(
            BaseFigure(
                "minimum_reserves",
                BASE_KEYS["minimum_reserves"].label,
                round(max(nrb.value_gbp_m, 0.0) * DEFAULT_MINIMUM_PCT_OF_NRB / 100, 3),
                None,
                None,
                None,
                f"{DEFAULT_MINIMUM_PCT_OF_NRB:g}% of the net revenue budget: a common convention, not guidance;"
                " set it from the s25 report",
            )
        )
    illustrative = bool(auth[1]) if auth is not None else False
    illustrative = illustrative or any(f.basis == "illustrative" for f in figures)
    return BaseFigures(
        authority_code=authority_code,
        authority_name=str(auth[0]) if auth is not None else authority_code,
        base_year=base_year,
        is_illustrative=illustrative,
        figures=tuple(figures),
    )
