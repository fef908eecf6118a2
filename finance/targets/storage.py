"""Reading and writing the `target` table: the one store of targets.

Why here and nowhere else: every way a target comes in (the app's form, the command line, a `Targets` sheet, the
Collection sheet's target rate) ends in `set_target` (its own audited write, action `set_target`) or `add_targets`
(inside an upload's write), so the rules — a known series, its units, who set it and when, history kept — hold
for all of them. Targets are a council's own data (`finance.access.PRIVATE_TABLES`): every read calls
`Store.require_read`, every write names the authority.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from finance.errors import InputError
from finance.store import Store, Tx, utc_now
from finance.targets.model import FIELDS, VIA, NewTarget, Target, date_out_of_range, read_target

_COLUMNS = (
    "target_id, authority_code, series_key, units, value_gbp, value_pct, direction, target_date, mandate, "
    "set_by, set_at, set_via, upload_id, sheet_row, stream"
)

_READ_SQL = """
SELECT t.target_id, t.authority_code, t.series_key, t.units, coalesce(t.value_gbp, t.value_pct), t.direction,
       t.target_date, t.mandate, t.set_by, t.set_at, t.set_via, t.upload_id, u.status, t.stream
FROM target t LEFT JOIN monitoring_upload u ON u.upload_id = t.upload_id
WHERE t.authority_code = ?
ORDER BY t.target_id
"""


def add_targets(
    tx: Tx,
    authority_code: str,
    targets: Sequence[NewTarget],
    *,
    via: str,
    upload_id: int | None = None,
    sheet_rows: Sequence[int | None] | None = None,
) -> list[int]:
    """Insert `targets` for the authority inside the caller's write (an upload's: pass its `upload_id` and the
    sheet row of each); set by `tx.user`, now. Returns the new ids. The caller validated them (`read_target`)
    and named the authority in its `Store.write`. A newer target for the same series supersedes the older one."""
    if via not in VIA:
        raise ValueError(f"unknown way in {via!r}: one of {VIA}")
    rows = list(sheet_rows) if sheet_rows is not None else [None] * len(targets)
    ids: list[int] = []
    now = utc_now()
    for new, row in zip(targets, rows, strict=True):
        target_id = tx.next_id("target", "target_id")
        tx.execute(
            f"INSERT INTO target ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                target_id,
                authority_code,
                new.series_key,
                new.units,
                new.value if new.units == "gbp" else None,
                new.value if new.units == "pct" else None,
                new.direction,
                new.target_date,
                new.mandate,
                tx.user,
                now,
                via,
                upload_id,
                row,
                new.stream,
            ],
        )
        ids.append(target_id)
    return ids


def set_target(store: Store, authority_code: str, new: NewTarget, *, user: str, via: str = "app") -> Target:
    """Set `new` as the authority's target for its series (one write, audited as `set_target`; a finance user of
    that authority, or a process); the previous target for the series stays as history. Returns it as stored.

    Raises `InputError` when no one is named as setting it or the date is in the past, `NotPermittedError` when
    the acting user may not set the authority's targets."""
    if not user.strip():
        raise InputError.single("set by", "give your name, so the target says who set it")
    if new.target_date < date.today():
        raise InputError.single("target date", "is in the past", new.target_date.isoformat())
    if (too_far := date_out_of_range(new.target_date)) is not None:
        raise InputError.single("target date", too_far, new.target_date.isoformat())
    ids = store.write(
        lambda tx: add_targets(tx, authority_code, [new], via=via),
        user=user.strip(),
        action="set_target",
        authority=authority_code,
    )
    return next(t for t in target_history(store, authority_code) if t.target_id == ids[0])


def set_target_from_text(
    store: Store,
    authority_code: str,
    fields: Mapping[str, object],
    *,
    user: str,
    via: str,
    mandate: str | None = None,
    where: Mapping[str, str] | None = None,
    streams: Sequence[str] = (),
) -> Target:
    """`set_target` from raw fields (keys `finance.targets.FIELDS`), as the form and the CLI give them; problems
    name the field (`where[field]`, by default the field's name in words). `streams`: the council's income streams
    beyond the catalogue's six, whose collection rates may be named (`find_series`)."""
    new, problems = read_target(
        fields,
        where or {f: f.replace("_", " ") for f in (*FIELDS, "mandate")},
        not_before=date.today(),
        not_before_words=f"today ({date.today().isoformat()})",
        mandate=mandate,
        streams=streams,
    )
    if problems or new is None:
        raise InputError(problems)
    return set_target(store, authority_code, new, user=user, via=via)


def target_history(store: Store, authority_code: str) -> tuple[Target, ...]:
    """Every target the authority has set, oldest first, each with its state: 'current' (the newest for its
    series whose upload, if any, is not withdrawn), 'superseded' or 'withdrawn'. Needs read access to the
    authority (`NotPermittedError` otherwise)."""
    store.require_read(authority_code)
    rows = store.query(_READ_SQL, [authority_code])
    newest: dict[str, int] = {}
    for r in rows:
        if r[12] != "withdrawn":
            newest[r[2]] = r[0]
    out = []
    for r in rows:
        state = "withdrawn" if r[12] == "withdrawn" else ("current" if newest.get(r[2]) == r[0] else "superseded")
        out.append(
            Target(
                target_id=int(r[0]),
                authority_code=r[1],
                series_key=r[2],
                value=float(r[4]),
                units=r[3],
                direction=r[5],
                target_date=r[6],
                mandate=r[7],
                set_by=r[8],
                set_at=r[9],
                set_via=r[10],
                upload_id=None if r[11] is None else int(r[11]),
                state=state,
                stream=r[13],
            )
        )
    return tuple(out)


def current_targets(store: Store, authority_code: str) -> dict[str, Target]:
    """The authority's current target for each series that has one, by series key (empty when none)."""
    return {t.series_key: t for t in target_history(store, authority_code) if t.state == "current"}
