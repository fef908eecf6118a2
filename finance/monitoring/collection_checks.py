"""The Collection and Debt sheets' own rules, which look across columns and across the two sheets.

Why here: the generic validator checks each cell and each stated sum; these rules say what income collection
means. Cash collected cannot exceed what was collectable; arrears collected cannot exceed the arrears brought
forward; and the debt a council ages on its Debt sheet must be the debt its Collection sheet implies — for each
stream and period, the age bands add up to the in-year debt still uncollected (collectable − collected) plus the
arrears still outstanding (arrears brought forward − arrears collected − write-offs; or, where those are not
given, the Arrears column, which is the arrears outstanding at the period end). "Within rounding" is the
validator's rule for a sum of figures: 1.5 steps of the unit the figures were given in (whole £, £000 or £0.1m).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from finance.errors import Problem
from finance.format import period_label
from finance.workbook import SheetLines

ROUNDING_STEPS = Decimal("1.5")


def _rows(lines: SheetLines) -> list[dict[str, Any]]:
    keys = list(lines.columns)
    return [{k: lines.columns[k][i] for k in keys} | {"step_gbp": lines.step_gbp[i]} for i in range(len(lines))]


def _row_rules(lines: SheetLines) -> list[Problem]:
    problems: list[Problem] = []
    for row in _rows(lines):
        at = int(row["sheet_row"])
        if row["collected_gbp"] > row["collectable_gbp"]:
            problems.append(
                Problem(
                    lines.ref("collected_gbp", at),
                    f"Collected to date (£{row['collected_gbp']:,.2f}) must not exceed Collectable "
                    f"(£{row['collectable_gbp']:,.2f})",
                    row["stream"],
                )
            )
        brought, collected = row.get("arrears_brought_forward_gbp"), row.get("arrears_collected_gbp")
        if collected is not None and brought is None:
            problems.append(
                Problem(
                    lines.ref("arrears_brought_forward_gbp", at),
                    "Arrears collected needs Arrears brought forward on the same row",
                    row["stream"],
                )
            )
        elif collected is not None and brought is not None and collected > brought:
            problems.append(
                Problem(
                    lines.ref("arrears_collected_gbp", at),
                    f"Arrears collected (£{collected:,.2f}) must not exceed Arrears brought forward (£{brought:,.2f})",
                    row["stream"],
                )
            )
    return problems


def outstanding_gbp(row: dict[str, Any]) -> Decimal | None:
    """The debt a Collection line implies at the period end: in-year debt plus arrears outstanding (None when
    neither the arrears brought forward nor the Arrears column is given)."""
    in_year = row["collectable_gbp"] - row["collected_gbp"]
    brought = row.get("arrears_brought_forward_gbp")
    if brought is not None:
        return in_year + brought - (row.get("arrears_collected_gbp") or 0) - (row.get("write_offs_gbp") or 0)
    if row.get("arrears_gbp") is not None:
        return in_year + row["arrears_gbp"]
    return None


def _ageing_rule(collection: SheetLines | None, debt: SheetLines) -> list[Problem]:
    by_key: dict[tuple[int, str], dict[str, Any]] = {}
    if collection is not None:
        by_key = {(int(r["period"]), str(r["stream"]).casefold()): r for r in _rows(collection)}
    bands: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for row in _rows(debt):
        bands.setdefault((int(row["period"]), str(row["stream"]).casefold()), []).append(row)
    problems: list[Problem] = []
    for (period, _), rows in bands.items():
        last = rows[-1]
        where = debt.ref("balance_gbp", int(last["sheet_row"]))
        stream, when = str(last["stream"]), period_label(period, month=False)
        line = by_key.get((period, stream.casefold()))
        if line is None:
            problems.append(
                Problem(where, f"{stream} {when} is aged on the Debt sheet but has no line on the Collection sheet")
            )
            continue
        expected = outstanding_gbp(line)
        row_ref = f"{collection.title if collection else 'Collection'} row {line['sheet_row']}"
        if expected is None:
            problems.append(
                Problem(
                    where,
                    f"{stream} {when}: the Collection sheet ({row_ref}) gives neither Arrears brought forward nor "
                    "Arrears, so the age bands cannot be checked",
                )
            )
            continue
        total = sum((r["balance_gbp"] for r in rows), Decimal(0))
        step = max([line["step_gbp"], *(r["step_gbp"] for r in rows)])
        if abs(total - expected) > ROUNDING_STEPS * step:
            problems.append(
                Problem(
                    where,
                    f"the age bands of {stream} {when} add up to £{total:,.2f}; the Collection sheet ({row_ref}) "
                    f"implies £{expected:,.2f} outstanding ((collectable − collected) + (arrears brought forward − "
                    "arrears collected − write-offs)), within rounding",
                    stream,
                )
            )
    return problems


def check_collection(sheets: list[SheetLines]) -> list[Problem]:
    """Every problem with the Collection and Debt sheets' own rules (empty when they hold or are absent)."""
    collection = next((s for s in sheets if s.spec.name == "Collection" and len(s)), None)
    debt = next((s for s in sheets if s.spec.name == "Debt" and len(s)), None)
    problems = _row_rules(collection) if collection is not None else []
    if debt is not None:
        problems.extend(_ageing_rule(collection, debt))
    return problems
