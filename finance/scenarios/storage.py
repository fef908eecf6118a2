"""Saved scenarios in DuckDB: save, list, reload, delete, and the authority's "current" scenario.

A saved scenario is its TOML text plus who saved it and when, so what is reloaded is exactly what was saved and
exports identically. Saving a name already used for the authority adds a new version beside the old one
(nothing an s151 officer presented is overwritten); lists show the latest version of each name. Every write
goes through `Store.write`, validated first, naming its action (`save_scenario`, `set_current_scenario`,
`delete_scenario`) so the store can check the signed-in role and audit the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from finance.errors import InputError, NotFoundError
from finance.scenarios.files import parse_scenario, scenario_to_toml
from finance.scenarios.model import Scenario, run
from finance.store import Store, Tx, utc_now

_COLUMNS = "scenario_id, authority_code, name, version, base_year, final_year, note, saved_by, saved_at_utc"


@dataclass(frozen=True)
class SavedScenario:
    """One saved version; `scenario()` parses it back."""

    scenario_id: int
    authority_code: str
    name: str
    version: int
    base_year: str
    final_year: str
    note: str | None
    saved_by: str
    saved_at_utc: datetime
    scenario_toml: str = ""
    is_current: bool = False

    @property
    def label(self) -> str:
        current = " (current)" if self.is_current else ""
        return f"{self.name} v{self.version}{current}"

    def scenario(self) -> Scenario:
        return parse_scenario(self.scenario_toml, source=f"saved scenario {self.label}")


def _row(row: tuple[object, ...], current_id: int | None, toml: str = "") -> SavedScenario:
    sid = int(row[0])  # type: ignore[call-overload]
    return SavedScenario(
        scenario_id=sid,
        authority_code=str(row[1]),
        name=str(row[2]),
        version=int(row[3]),  # type: ignore[call-overload]
        base_year=str(row[4]),
        final_year=str(row[5]),
        note=None if row[6] is None else str(row[6]),
        saved_by=str(row[7]),
        saved_at_utc=row[8],  # type: ignore[arg-type]
        scenario_toml=toml,
        is_current=sid == current_id,
    )


def _current_id(store: Store, authority_code: str) -> int | None:
    value = store.scalar("SELECT scenario_id FROM scenario_current WHERE authority_code = ?", [authority_code])
    return None if value is None else int(value)


def save_scenario(
    store: Store, scenario: Scenario, *, authority_code: str, user: str, note: str | None = None
) -> SavedScenario:
    """Save `scenario` for the authority as the next version of its name; returns what was saved.

    Raises `InputError` when the scenario names another authority or its name is empty or over 200 characters.
    """
    name = scenario.name.strip()
    if not user.strip():
        raise InputError.single("saved by", "give your name, so the saved scenario says who saved it")
    if not name or len(name) > 200:
        raise InputError.single("name", "must be 1 to 200 characters", scenario.name)
    if scenario.authority is not None and scenario.authority != authority_code:
        raise InputError.single(
            "authority",
            f"the scenario is for {scenario.authority}, not the selected authority {authority_code}",
            scenario.authority,
        )
    toml = scenario_to_toml(scenario)
    parse_scenario(toml, source="scenario")  # never store what could not be reloaded

    def write(tx: Tx) -> int:
        sid = tx.next_id("scenario", "scenario_id")
        row = tx.query_one(
            "SELECT coalesce(max(version), 0) + 1 FROM scenario WHERE authority_code = ? AND name = ?",
            [authority_code, name],
        )
        assert row is not None
        tx.execute(
            f"INSERT INTO scenario ({_COLUMNS}, scenario_toml) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                sid,
                authority_code,
                name,
                int(row[0]),
                scenario.base_year,
                scenario.years[-1],
                note or None,
                tx.user,
                utc_now(),
                toml,
            ],
        )
        return sid

    sid = store.write(write, user=user.strip(), action="save_scenario", authority=authority_code)
    return load_saved(store, sid)


def list_scenarios(store: Store, authority_code: str, *, all_versions: bool = False) -> list[SavedScenario]:
    """The authority's saved scenarios, newest first; only each name's latest version unless `all_versions`."""
    store.require_read(authority_code)
    latest = (
        ""
        if all_versions
        else (
            "AND version = (SELECT max(version) FROM scenario s2 WHERE s2.authority_code = scenario.authority_code"
            " AND s2.name = scenario.name)"
        )
    )
    rows = store.query(
        f"SELECT {_COLUMNS} FROM scenario WHERE authority_code = ? {latest}"
        " ORDER BY saved_at_utc DESC, scenario_id DESC",
        [authority_code],
    )
    current = _current_id(store, authority_code)
    return [_row(r, current) for r in rows]


def load_saved(store: Store, scenario_id: int) -> SavedScenario:
    """One saved version with its TOML; raises `NotFoundError` if there is none with that id."""
    row = store.query_one(f"SELECT {_COLUMNS}, scenario_toml FROM scenario WHERE scenario_id = ?", [scenario_id])
    if row is None:
        raise NotFoundError(f"There is no saved scenario {scenario_id}.")
    store.require_read(str(row[1]))  # before any of it leaves this function
    return _row(row, _current_id(store, str(row[1])), str(row[9]))


def delete_scenario(store: Store, scenario_id: int, *, user: str) -> None:
    """Delete one saved version. Refuses (InputError) to delete the authority's current scenario."""
    saved = load_saved(store, scenario_id)
    if saved.is_current:
        raise InputError.single(
            saved.label, "is the authority's current scenario: mark another as current before deleting it"
        )
    store.write(
        lambda tx: tx.execute("DELETE FROM scenario WHERE scenario_id = ?", [scenario_id]),
        user=user,
        action="delete_scenario",
        authority=saved.authority_code,
    )


def set_current(store: Store, scenario_id: int, *, user: str) -> None:
    """Mark one saved version as its authority's current scenario (replacing any other)."""
    saved = load_saved(store, scenario_id)

    def write(tx: Tx) -> None:
        tx.execute("DELETE FROM scenario_current WHERE authority_code = ?", [saved.authority_code])
        tx.execute(
            "INSERT INTO scenario_current VALUES (?, ?, ?, ?)",
            [saved.authority_code, scenario_id, tx.user, utc_now()],
        )

    store.write(write, user=user, action="set_current_scenario", authority=saved.authority_code)


def current_scenario(store: Store, authority_code: str) -> SavedScenario | None:
    """The authority's current scenario, or None when none is marked."""
    store.require_read(authority_code)
    sid = _current_id(store, authority_code)
    return None if sid is None else load_saved(store, sid)


def current_gap_gbp_m(store: Store, authority_code: str) -> tuple[str, float] | None:
    """For the overview: (final year, cumulative gap after savings in £m) of the current scenario, or None."""
    saved = current_scenario(store, authority_code)
    if saved is None:
        return None
    proj = run(saved.scenario())
    return proj.years[-1], float(proj.cumulative_gap[0, -1])
