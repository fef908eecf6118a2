"""Small hand-made official rows for the indicator tests, written through the store's one write path."""

from __future__ import annotations

from collections.abc import Iterable

from finance.store import Source, Store, Tx

FLOWS = {"net_revenue_expenditure", "revenue_expenditure", "council_tax_requirement"}


def seed(
    store: Store,
    authorities: Iterable[tuple[str, str, str, bool]],
    values: Iterable[tuple[str, str, str, str, str, float | None]],
) -> None:
    """`authorities`: (code, name, class, is_illustrative); `values`: (code, year, basis, measure, point, £m)."""
    auths, vals = list(authorities), list(values)

    def fn(tx: Tx) -> None:
        sid = tx.add_source(Source("demo", "hand-made", "0" * 64, "test rows", "illustrative"))
        for code, name, cls, illus in auths:
            tx.execute(
                "INSERT INTO authority (code, ecode, name, class, is_illustrative, source_id) VALUES (?,?,?,?,?,?)",
                [code, None, name, cls, illus, sid],
            )
        for code, year, basis, measure, point, gbp_m in vals:
            tx.execute(
                """INSERT INTO official_value (code, financial_year, basis, measure, point, value_gbp,
                                              published_text, source_label, source_id)
                   VALUES (?,?,?,?,?,?,?,?,?)""",
                [
                    code,
                    year,
                    basis,
                    measure,
                    point,
                    None if gbp_m is None else round(gbp_m * 1_000_000, 2),
                    "[x]" if gbp_m is None else None,
                    "test",
                    sid,
                ],
            )

    store.write(fn)


def usable(
    code: str, year: str, opening_m: float | None, closing_m: float | None, *, basis: str = "outturn"
) -> list[tuple[str, str, str, str, str, float | None]]:
    """Usable reserves as an unallocated quarter and earmarked three quarters, at opening and closing."""
    rows: list[tuple[str, str, str, str, str, float | None]] = []
    for point, total in (("opening", opening_m), ("closing", closing_m)):
        rows.append((code, year, basis, "unallocated_reserves", point, None if total is None else total / 4))
        rows.append((code, year, basis, "earmarked_reserves", point, None if total is None else total * 3 / 4))
    return rows


def flow(code: str, year: str, measure: str, gbp_m: float | None, basis: str = "outturn") -> tuple:  # type: ignore[type-arg]
    assert measure in FLOWS
    return (code, year, basis, measure, "year", gbp_m)
