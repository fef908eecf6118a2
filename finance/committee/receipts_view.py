"""The authority's council tax receipts from MHCLG's live table, against its peers: the quarterly profile of the
last three years held, and year-on-year growth in the latest year against every peer's.

Why receipts and not rates: the live table is the official quarterly series (QRC1–4) a committee can set its own
collection beside; it counts cash received in the quarter whatever year it relates to, including the precepts the
billing authority collects for others, so it is compared only with itself: growth on the same quarter or year of
the same table, never with the council's in-year rates. Only billing authorities collect council tax: a county (or
another body with no council tax bills) is "not applicable", which is not the same as a billing authority with no
figure published ("no figure").
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from finance.charts import Panel
from finance.committee import charts_receipts
from finance.format import gbp_m, pct
from finance.indicators import authority_info
from finance.official import ct_receipts
from finance.peergroups import HOUSING_AND_BILLING, PeerGroup, applicability, check_group, peer_group
from finance.store import Store
from finance.years import shift

NOT_APPLICABLE = "not applicable"
NO_FIGURE = "no figure"
SOURCE = (
    "MHCLG, council tax receipts live table (QRC1–4): receipts of council tax per billing authority per quarter, "
    "£ thousand, including the precepts collected for others; receipts in the quarter whatever year they relate to."
)


@dataclass(frozen=True)
class ReceiptsView:
    code: str
    name: str
    group: str
    latest_year: str | None  # the newest year the authority's four quarters are published for
    message: str | None  # why there is nothing to show (a county, an illustrative council, no table held)
    profile: pd.DataFrame  # financial_year, quarter, receipts_gbp, growth_pct (on the same quarter a year before)
    peers: pd.DataFrame  # code, name, class, status, latest_gbp, previous_gbp, growth_pct, is_selected
    source: str  # the file and its sha256
    panels: tuple[Panel, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """For `python -m finance collection --json`: numbers as numbers, missing as null."""

        def rows(frame: pd.DataFrame) -> list[dict[str, object]]:
            return [{k: (None if pd.isna(v) else v) for k, v in r.items()} for r in frame.to_dict("records")]

        return {
            "code": self.code,
            "peer_group": self.group,
            "latest_year": self.latest_year,
            "message": self.message,
            "basis": "official receipts (MHCLG council tax receipts live table)",
            "source": self.source,
            "quarterly_profile": rows(self.profile),
            "peers": rows(self.peers),
        }


def _annual(data: pd.DataFrame) -> pd.DataFrame:
    """code, financial_year, receipts_gbp: the four quarters' sum, only where all four are published."""
    return data.groupby(["code", "financial_year"], as_index=False).agg(
        receipts_gbp=("receipts_gbp", lambda s: s.sum() if s.notna().sum() == 4 else float("nan"))
    )


def _profile(own: pd.DataFrame, latest: str) -> pd.DataFrame:
    frame = own[["financial_year", "quarter", "receipts_gbp"]].sort_values(["financial_year", "quarter"])
    before = frame.assign(financial_year=[shift(y, 1) for y in frame["financial_year"]])
    merged = frame.merge(before, on=["financial_year", "quarter"], how="left", suffixes=("", "_before"))
    merged["growth_pct"] = 100 * (merged["receipts_gbp"] / merged["receipts_gbp_before"] - 1)
    years = [shift(latest, -2), shift(latest, -1), latest]
    return merged[merged["financial_year"].isin(years)][["financial_year", "quarter", "receipts_gbp", "growth_pct"]]


def _peers(group: PeerGroup, annual: pd.DataFrame, latest: str, code: str) -> pd.DataFrame:
    """One row per member: a billing authority's growth in annual receipts, or why it has none."""
    by = annual.set_index(["code", "financial_year"])["receipts_gbp"]
    classes = group.class_of()
    rows = []
    for m in group.members.to_dict("records"):
        now, then = by.get((m["code"], latest)), by.get((m["code"], shift(latest, -1)))
        rule = applicability(str(m["code"]), classes[str(m["code"])], HOUSING_AND_BILLING)
        if not rule.applies:
            status = f"{NOT_APPLICABLE}: {rule.reason}"
        elif now is None or then is None or pd.isna(now) or pd.isna(then) or then <= 0:
            status = NO_FIGURE
        else:
            status = "figure"
        growth = 100 * (now / then - 1) if status == "figure" else None
        rows.append(
            {"code": m["code"], "name": m["name"], "class": classes[str(m["code"])], "status": status,
             "latest_gbp": now if status == "figure" else None, "previous_gbp": then if status == "figure" else None,
             "growth_pct": growth, "is_selected": m["code"] == code}
        )  # fmt: skip
    return pd.DataFrame(rows).sort_values("growth_pct", ascending=False, na_position="last").reset_index(drop=True)


def build(store: Store, code: str, group: str | None = None) -> ReceiptsView:
    """The authority's receipts and its peers' in `group` (default: its own class). `InputError` for a group
    that is not a class code or ALL."""
    info = authority_info(store, code)
    g = check_group(group or info.class_code)
    empty = pd.DataFrame()
    if not applicability(info.code, info.class_code, HOUSING_AND_BILLING).applies:
        why = (
            f"{info.name} is not a billing authority: council tax receipts are {NOT_APPLICABLE} (the district and "
            "unitary councils that send the bills collect them)."
        )
        return ReceiptsView(info.code, info.name, g, None, why, empty, empty, "")
    peers = peer_group(store, info.code, g)
    label = peers.label
    data = ct_receipts(store, peers.codes)
    own = data[data["code"] == info.code]
    if own.empty:
        why = (
            "No official council tax receipts are held for illustrative councils."
            if info.is_illustrative
            else f"No council tax receipts are held for {info.name}: import MHCLG's council tax receipts live table "
            "(python -m finance import-official PATH)."
        )
        return ReceiptsView(info.code, info.name, label, None, why, empty, empty, "")
    annual = _annual(data)
    held = annual[(annual["code"] == info.code) & annual["receipts_gbp"].notna()]
    latest = str(held["financial_year"].max()) if not held.empty else str(own["financial_year"].max())
    source = f"{own['file_name'].iloc[0]} (sha256 {own['sha256'].iloc[0]})"
    profile = _profile(own, latest)
    view = ReceiptsView(
        info.code, info.name, label, latest, None, profile, _peers(peers, annual, latest, info.code), source
    )
    return ReceiptsView(**{**view.__dict__, "panels": _panels(view)})


def _m(values: pd.Series) -> list[float | None]:
    return [None if pd.isna(x) else round(float(x) / 1e6, 1) for x in values]


def _one(values: pd.Series) -> list[float | None]:
    return [None if pd.isna(x) else round(float(x), 1) for x in values]


def _panels(v: ReceiptsView) -> tuple[Panel, ...]:
    assert v.latest_year is not None
    prof = v.profile
    table = pd.DataFrame(
        {
            "Financial year": prof["financial_year"],
            "Quarter": [f"Q{q}" for q in prof["quarter"]],
            "Receipts (£m)": [None if pd.isna(x) else round(x / 1e6, 1) for x in prof["receipts_gbp"]],
            "Change on the same quarter a year before (%)": [
                None if pd.isna(x) else round(x, 1) for x in prof["growth_pct"]
            ],
            "Basis": "official receipts (MHCLG live table)",
        }
    )
    latest = prof[prof["financial_year"] == v.latest_year]
    said = "; ".join(
        f"Q{r.quarter} {gbp_m(r.receipts_gbp)} ({pct(r.growth_pct, signed=True)})" for r in latest.itertuples()
    )
    with_fig = v.peers[v.peers["status"] == "figure"]
    na = int(v.peers["status"].str.startswith(NOT_APPLICABLE).sum())
    none = int((v.peers["status"] == NO_FIGURE).sum())
    own = v.peers[v.peers["is_selected"]]
    own_growth = own["growth_pct"].iloc[0] if not own.empty else None
    median = float(with_fig["growth_pct"].median()) if not with_fig.empty else None
    rank = "" if own_growth is None or pd.isna(own_growth) else (
        f"{v.name} {pct(own_growth, signed=True)}, {int((with_fig['growth_pct'] > own_growth).sum()) + 1} of "
        f"{len(with_fig)} (highest growth first); "
    )  # fmt: skip
    coverage = f"{len(with_fig)} of {len(v.peers)} have a figure" + (f", {na} {NOT_APPLICABLE}" if na else "") + (
        f", {none} with {NO_FIGURE}" if none else "")  # fmt: skip
    peers_table = pd.DataFrame(
        {
            "Authority": v.peers["name"],
            "Class": v.peers["class"],
            f"Receipts {v.latest_year} (£m)": [
                None if pd.isna(x) else round(x / 1e6, 1) for x in v.peers["latest_gbp"]
            ],
            f"Receipts {shift(v.latest_year, -1)} (£m)": [
                None if pd.isna(x) else round(x / 1e6, 1) for x in v.peers["previous_gbp"]
            ],
            "Growth (%)": [None if pd.isna(x) else round(x, 1) for x in v.peers["growth_pct"]],
            "Status": v.peers["status"],
            "Basis": f"official receipts {v.latest_year} vs {shift(v.latest_year, -1)} (MHCLG live table)",
        }
    )
    return (
        Panel(
            "receipts-profile",
            f"Council tax receipts by quarter (official, latest {v.latest_year})",
            charts_receipts.profile(prof, title=f"Council tax receipts by quarter, {v.name} (official, £m)"),
            table,
            f"Grouped bar chart of {v.name}'s council tax receipts in each quarter of the three years to "
            f"{v.latest_year} from MHCLG's live table. {v.latest_year}: {said}.",
        ),
        Panel(
            "receipts-peers",
            f"Growth in council tax receipts, {v.latest_year} on {shift(v.latest_year, -1)}, against {v.group.lower()}",
            charts_receipts.peer_growth(
                v.peers,
                title=f"Growth in council tax receipts, {v.latest_year} on {shift(v.latest_year, -1)}",
                subtitle=f"{v.group}: {coverage}; median {pct(median)}",
            ),
            peers_table,
            f"Ranked bar chart of the year-on-year growth in annual council tax receipts (four quarters) in "
            f"{v.latest_year} among {v.group.lower()}: {rank}median {pct(median)}; {coverage}.",
        ),
    )
