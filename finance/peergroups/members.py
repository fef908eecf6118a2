"""Who is in an authority's peer group, and how each member stands in one comparison.

Why here: the members of a class group are read from the `authority` table and those of a neighbour group (NN, SN)
from the published neighbour lists (`peer_neighbour`, `dfe_la_lookup`); every page and command lists them the
same way, with the group's definition and source (file and sha256) in words.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import pandas as pd

from finance.errors import NotFoundError
from finance.peergroups.definitions import (
    GROUP_LABELS,
    LOOKUP_DATASET,
    MODEL_DATASETS,
    MODEL_MEMBERS,
    MODEL_NAMES,
    applicability,
    check_group,
    is_neighbour_group,
)
from finance.store import Store

MEMBER_COLUMNS = ("code", "name", "class", "neighbour_rank", "is_self")

IN_COMPARISON = "yes"
NO_RETURN = "no return"


@dataclass(frozen=True)
class PeerGroup:
    """The peer group of one authority.

    `members`: one row per member, the authority itself included — code (ONS code; a published code outside
    England for NN members in Wales, Scotland or Northern Ireland), name, class (the class on the returns; None
    where Headroom holds no return for it), neighbour_rank (0 for the authority itself, 1… for neighbours, None in
    class groups), is_self. `definition` and `source` say what the group is and where its members come from.
    """

    group: str
    label: str
    authority_code: str
    definition: str
    source: str
    members: pd.DataFrame

    @property
    def codes(self) -> list[str]:
        return [str(c) for c in self.members["code"]]

    def class_of(self) -> dict[str, str | None]:
        """Code → class (None when Headroom holds no return for the member)."""
        return {
            str(c): (None if pd.isna(k) else str(k))
            for c, k in zip(self.members["code"], self.members["class"], strict=True)
        }

    def applicable(self, applies_to: frozenset[str]) -> list[str]:
        """The members a measure applying to classes `applies_to` is compared across (in England, of those
        classes), the authority itself always included."""
        classes = self.class_of()
        return [c for c in self.codes if c == self.authority_code or applicability(c, classes[c], applies_to).applies]

    def comparison_table(self, applies_to: frozenset[str], with_figure: Collection[str]) -> pd.DataFrame:
        """The members as a page lists them under one measure: Authority, ONS code, Class, In this comparison
        ('yes' for a member with a figure, 'no return', or 'not applicable: <why>')."""
        classes = self.class_of()
        rows = []
        for code, name in zip(self.members["code"], self.members["name"], strict=True):
            rule = applicability(str(code), classes[str(code)], applies_to)
            if not rule.applies:
                status = f"not applicable: {rule.reason}"
            else:
                status = IN_COMPARISON if code in with_figure else NO_RETURN
            rows.append(
                {
                    "Authority": str(name),
                    "ONS code": str(code),
                    "Class": classes[str(code)] or "—",
                    "In this comparison": status,
                }
            )
        return pd.DataFrame(rows, columns=["Authority", "ONS code", "Class", "In this comparison"])

    def as_dict(self) -> dict[str, Any]:
        """The group as JSON output carries it: code, label, definition, source and the members."""
        return {
            "group": self.group,
            "label": self.label,
            "definition": self.definition,
            "source": self.source,
            "members": [
                {
                    "ons_code": str(c),
                    "name": str(n),
                    "class": k,
                    "neighbour_rank": None if pd.isna(r) else int(r),
                }
                for c, n, k, r in zip(
                    self.members["code"],
                    self.members["name"],
                    [self.class_of()[str(c)] for c in self.members["code"]],
                    self.members["neighbour_rank"],
                    strict=True,
                )
            ],
        }


def peer_group(store: Store, code: str, group: str) -> PeerGroup:
    """The peer `group` of authority `code`: a class code, ALL, NN or SN (see `finance.peergroups`).

    A class group or ALL holds the authorities Headroom knows with the same illustrative flag (real and illustrative
    never mixed), the authority itself always included. NN and SN hold the authority and its published neighbours.
    Raises `NotFoundError` for an unknown authority, a neighbour model that is not loaded or that has no entry
    for the authority (illustrative ones never have), `InputError` for an unknown group.
    """
    g = check_group(group)
    row = store.query_one(
        "SELECT code, name, class, is_illustrative FROM authority WHERE code = ?", [code.strip().upper()]
    )
    if row is None:
        raise NotFoundError(f"No authority with code {code!r} is in the database.")
    own, name, own_class, illustrative = str(row[0]), str(row[1]), str(row[2]), bool(row[3])
    if not is_neighbour_group(g):
        members = store.query_df(
            """SELECT code, name, class, CAST(NULL AS INTEGER) AS neighbour_rank, code = ? AS is_self
               FROM authority WHERE is_illustrative = ? AND (? = 'ALL' OR class = ? OR code = ?)
               ORDER BY code""",
            [own, illustrative, g, g, own],
        )
        what = "every English authority" if g == "ALL" else f"every authority of class {g}"
        return PeerGroup(
            g,
            GROUP_LABELS[g],
            own,
            f"{GROUP_LABELS[g]}: {what} ({'illustrative' if illustrative else 'real'} authorities only)",
            "the class each authority has on the MHCLG revenue returns",
            members,
        )
    if illustrative:
        raise NotFoundError(
            f"{name} is illustrative: the published neighbour models ({g}) have no entry for it. Choose a class group."
        )
    sources = _model_sources(store, g)
    neighbours = _neighbours(store, g, own)
    if neighbours.empty:
        raise NotFoundError(f"{name} ({own}) has no entry in the {GROUP_LABELS[g]} model held ({sources}).")
    self_row = pd.DataFrame([{"code": own, "name": name, "class": own_class, "neighbour_rank": 0, "is_self": True}])
    members = pd.concat([self_row, neighbours], ignore_index=True)
    definition = f"{MODEL_NAMES[g]} ({_edition(store, g)}): {MODEL_MEMBERS[g]}"
    return PeerGroup(g, GROUP_LABELS[g], own, definition, sources, members)


def _neighbours(store: Store, group: str, code: str) -> pd.DataFrame:
    if group == "NN":
        sql = """SELECT n.neighbour_key AS code, coalesce(a.name, n.neighbour_name) AS name, a.class,
                        n.neighbour_rank, false AS is_self
                 FROM peer_neighbour n LEFT JOIN authority a ON a.code = n.neighbour_key AND NOT a.is_illustrative
                 WHERE n.model = 'NN' AND n.authority_key = ?
                 ORDER BY n.neighbour_rank"""
    else:
        sql = """SELECT coalesce(l2.ons_code, 'DfE ' || n.neighbour_key) AS code,
                        coalesce(a.name, l2.name, 'DfE LA ' || n.neighbour_key || ' (not in the lookup)') AS name,
                        a.class, n.neighbour_rank, false AS is_self
                 FROM dfe_la_lookup l1
                 JOIN peer_neighbour n ON n.model = 'SN' AND n.authority_key = l1.dfe_la_code
                 LEFT JOIN dfe_la_lookup l2 ON l2.dfe_la_code = n.neighbour_key
                 LEFT JOIN authority a ON a.code = l2.ons_code AND NOT a.is_illustrative
                 WHERE l1.ons_code = ?
                 ORDER BY n.neighbour_rank"""
    return store.query_df(sql, [code])


def _files(store: Store, dataset: str) -> list[tuple[str, str, str | None]]:
    """(file name, sha256, publisher note) of the file whose rows are held for `dataset`."""
    table = "dfe_la_lookup" if dataset == LOOKUP_DATASET else "peer_neighbour"
    rows = store.query(
        f"""SELECT DISTINCT s.file_name, s.sha256, s.publisher_note
            FROM source_file s JOIN {table} t USING (source_id) WHERE s.dataset = ?""",
        [dataset],
    )
    return [(str(r[0]), str(r[1]), None if r[2] is None else str(r[2])) for r in rows]


def _model_sources(store: Store, group: str) -> str:
    """'file.xlsx (sha256 4263…)' for the model, and the lookup for SN; `NotFoundError` when not loaded."""
    needed = [MODEL_DATASETS[group]] + ([LOOKUP_DATASET] if group == "SN" else [])
    parts = []
    for dataset in needed:
        files = _files(store, dataset)
        if not files:
            raise NotFoundError(
                f"The {dataset} file is not loaded, so the {group} peer group is not available: import the peer "
                "group files (python -m finance import-official <folder>, or put them in the official folder)."
            )
        parts += [f"{f} (sha256 {sha})" for f, sha, _ in files]
    return "; ".join(parts)


def _edition(store: Store, group: str) -> str:
    """The model and edition as the file states it (kept as the source's publisher note on import)."""
    notes = [n for _, _, n in _files(store, MODEL_DATASETS[group]) if n]
    return notes[0] if notes else "edition not stated in the file"
