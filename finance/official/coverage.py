"""Which official returns are held, year by year, for one authority and its peers, and what a missing year needs.

Why: a page that says "no figures for 2022-23" leaves a user guessing whether the year was never published, not
yet imported, or not returned by the council. This grid answers it per return (RS outturn, RSX outturn, RO3
outturn, RA budget estimate) and basis, for the authority and for the other authorities of its class, and says
for each missing outturn year what to do ("RS 2022-23: not held — fetch it or place the file in the official
folder"), naming whether fetch-official knows an address for it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from finance.errors import NotFoundError
from finance.official.catalogue import RELEASES
from finance.store import Store

#: (column title, table, key value) for each return shown, in order.
RETURNS: tuple[tuple[str, str, str], ...] = (
    ("RS (outturn)", "official", "outturn"),
    ("RSX (outturn)", "service", "RSX outturn"),
    ("RO3 (outturn)", "service", "RO3 outturn"),
    ("RA (budget estimate)", "official", "budget_estimate"),
    ("Illustrative", "official", "illustrative"),
)
FIRST_YEAR = 2010


@dataclass(frozen=True)
class Coverage:
    code: str
    name: str
    peer_class: str
    n_peers: int  # authorities of the class, the authority included
    grid: pd.DataFrame  # Year, then one column per return: "held · 35 of 36 peers" / "not held · 0 of 36 peers"
    needs: tuple[str, ...]  # what each missing outturn year needs, newest first


def _held(store: Store, codes: list[str]) -> dict[tuple[str, str], set[str]]:
    """(year, return key) → codes holding it."""
    rows = store.query(
        """SELECT financial_year, basis, code FROM official_return WHERE code IN (SELECT unnest(?::VARCHAR[]))
           UNION ALL
           SELECT financial_year, dataset, code FROM service_return
           WHERE dataset <> 'RS outturn' AND code IN (SELECT unnest(?::VARCHAR[]))""",
        [codes, codes],
    )
    held: dict[tuple[str, str], set[str]] = {}
    for year, key, code in rows:
        held.setdefault((str(year), str(key)), set()).add(str(code))
    return held


def _years(held: dict[tuple[str, str], set[str]]) -> list[str]:
    latest = max([int(y[:4]) for y, _ in held] + [int(r.financial_year[:4]) for r in RELEASES])
    return [f"{y}-{(y + 1) % 100:02d}" for y in range(latest, FIRST_YEAR - 1, -1)]


def _address_known(dataset: str, year: str) -> bool:
    return any(r.dataset == dataset and r.financial_year == year and r.url is not None for r in RELEASES)


def _published(dataset: str, year: str) -> bool:
    return any(r.dataset == dataset and r.financial_year == year for r in RELEASES)


def _need(ret: str, year: str, why: str = "") -> str:
    dataset = f"{ret} outturn"
    how = (
        "fetch it (python -m finance fetch-official) or place the file in the official folder"
        if _address_known(dataset, year)
        else "place the file in the official folder (no download address is known for it)"
    )
    return f"{ret} {year}: not held — {why}{how}"


def coverage(store: Store, code: str) -> Coverage:
    """The coverage grid for `code` (its class as the peer group). `NotFoundError` for an unknown authority."""
    row = store.query_one("SELECT code, name, class, is_illustrative FROM authority WHERE code = ?", [code])
    if row is None:
        raise NotFoundError(f"No authority with code {code!r} is in the database.")
    code, name, la_class, illustrative = str(row[0]), str(row[1]), str(row[2]), bool(row[3])
    peers = [
        str(r[0])
        for r in store.query(
            "SELECT code FROM authority WHERE class = ? AND is_illustrative = ? ORDER BY code", [la_class, illustrative]
        )
    ]
    held = _held(store, peers)
    shown = [(title, key) for title, _table, key in RETURNS if illustrative == (key == "illustrative")]
    records = []
    needs: list[str] = []
    for year in _years(held):
        record: dict[str, str] = {"Year": year}
        for title, key in shown:
            codes = held.get((year, key), set())
            mine = "held" if code in codes else "not held"
            record[title] = f"{mine} · {len(codes)} of {len(peers)} peers"
        records.append(record)
        if illustrative or not _published("RS outturn", year):
            continue
        has_rs = code in held.get((year, "outturn"), set())
        has_rsx = code in held.get((year, "RSX outturn"), set())
        if has_rsx and not has_rs:
            needs.append(_need("RS", year, f"reserves and net revenue expenditure for {year} need it; "))
        elif not has_rs:
            needs.append(_need("RS", year))
    return Coverage(code, name, la_class, len(peers), pd.DataFrame(records), tuple(needs))
