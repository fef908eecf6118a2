"""The `[capital]` table of a scenario file: the capital programme's new borrowing the scenario carries.

```toml
[capital]
mrp_method = "annuity"            # or "straight_line"
source = "upload 42, northbridge-monitoring-2026-27-P07.xlsx"
loans = [ { year = "2026-27", borrowing_gbp_m = 10.0, asset_life_years = 40 } ]
```
Kept apart from `files` so the reader of the rest stays within one screen; problems are named by TOML key.
"""

from __future__ import annotations

from typing import Any, Protocol

from finance import years as fy
from finance.errors import InputError
from finance.scenarios.financing import MAX_ASSET_LIFE_YEARS, MRP_METHODS, CapitalPlan, Loan

CAPITAL_KEYS = ("mrp_method", "source", "loans")
LOAN_KEYS = ("year", "borrowing_gbp_m", "asset_life_years")
MAX_LOANS = 500


class Adds(Protocol):
    def add(self, where: str, message: str, value: object = None) -> None: ...


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_capital(c: Adds, table: object) -> CapitalPlan | None:
    """The `[capital]` table as a plan (None when absent), adding every problem to `c`."""
    if table is None:
        return None
    if not isinstance(table, dict):
        c.add("capital", "must be a table with mrp_method and loans", table)
        return None
    for key in table:
        if key not in CAPITAL_KEYS:
            c.add(f"capital.{key}", "is not a known key (check the spelling; see docs/SCENARIOS.md)")
    method = table.get("mrp_method", "annuity")
    if method not in MRP_METHODS:
        c.add("capital.mrp_method", "must be one of " + ", ".join(f'"{m}"' for m in MRP_METHODS), method)
    source = table.get("source", "")
    if not isinstance(source, str):
        c.add("capital.source", "must be text", source)
    loans_given = table.get("loans", [])
    if not isinstance(loans_given, list) or len(loans_given) > MAX_LOANS:
        c.add("capital.loans", f"must be a list of up to {MAX_LOANS} tables {{ year, borrowing_gbp_m, "
              "asset_life_years }")  # fmt: skip
        return None
    loans = [loan for i, item in enumerate(loans_given) if (loan := _loan(c, f"capital.loans[{i}]", item))]
    if len(loans) != len(loans_given) or method not in MRP_METHODS or not isinstance(source, str):
        return None
    return CapitalPlan(tuple(loans), str(method), source)


def _loan(c: Adds, where: str, item: Any) -> Loan | None:
    if not isinstance(item, dict) or set(item) != set(LOAN_KEYS):
        c.add(where, "must be a table { year = …, borrowing_gbp_m = …, asset_life_years = … }", item)
        return None
    year: str | None = None
    try:
        year = fy.parse_financial_year(str(item["year"]), f"{where}.year")
    except InputError as err:
        c.add(f"{where}.year", err.problems[0].message, item["year"])
    amount, life = item["borrowing_gbp_m"], item["asset_life_years"]
    ok = year is not None
    if not _number(amount) or not 0 <= amount <= 100_000:
        c.add(f"{where}.borrowing_gbp_m", "must be a number of £m from 0 to 100000", amount)
        ok = False
    if not isinstance(life, int) or isinstance(life, bool) or not 1 <= life <= MAX_ASSET_LIFE_YEARS:
        c.add(f"{where}.asset_life_years", f"must be a whole number of years from 1 to {MAX_ASSET_LIFE_YEARS}", life)
        ok = False
    return Loan(str(year), float(amount), int(life)) if ok else None


def capital_to_dict(plan: CapitalPlan) -> dict[str, Any]:
    """The `[capital]` table for `plan` (reads back to an equal plan)."""
    doc: dict[str, Any] = {"mrp_method": plan.mrp_method}
    if plan.source:
        doc["source"] = plan.source
    doc["loans"] = [
        {"year": loan.year, "borrowing_gbp_m": loan.borrowing_gbp_m, "asset_life_years": loan.asset_life_years}
        for loan in plan.loans
    ]
    return doc
