"""The MTFS scenarios page's view model: the approved MTFS and the scenarios, put together in one call.

The page shows two packages side by side — `finance.scenarios` (the model, saved scenarios, the session's starting
point) and `finance.mtfs` (the approved plan a scenario is measured against) — and `scenarios` may not import `mtfs`
(the layers in pyproject.toml). This module sits above both, so the page makes one call, `scenario_page(store, code,
state)`, and everything else it needs is a property or a method of what comes back: what the page starts from (the
state machine stays `finance.scenarios.ScenarioSession`, plain code over the session mapping), the scenario being
edited and its comparison with the approved MTFS, the MTFS's versions, the saved scenarios and the actions on them
(each action that changes the start or saves leaves a one-time message for the next run, as before).

Nothing here draws: the page keeps the widgets and `st.rerun()`; the writes' acting user is bound by the page
(`ui.identity.acting`), as for every write.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd

from finance.charts import Panel
from finance.mtfs import (
    MtfsSeries,
    all_series,
    approved_plan,
    difference_table,
    latest_series,
    scenarios_against,
    uploaded_demand,
    versions_list,
    versions_panel,
)
from finance.reserves import scenario_marks
from finance.scenarios import (
    ApprovedPlan,
    Choices,
    CompareView,
    ReserveMarks,
    SavedScenario,
    Scenario,
    ScenarioSession,
    ScenarioView,
    Start,
    UncertaintyView,
    UploadedDemand,
    compare_view,
    delete_scenario,
    from_approved,
    from_example,
    from_returns,
    from_saved,
    list_scenarios,
    load_saved,
    save_scenario,
    scenario_to_toml,
    scenario_view,
    set_current,
    uncertainty_view,
)
from finance.store import Store

Shared = Callable[..., Any]  # `ui.cache.view`: build(store, *args) once per data version, shared between sessions


@dataclass(frozen=True)
class Versions:
    """The approved MTFS's versions, oldest first: the list and the chart of how the gap moved between them."""

    table: pd.DataFrame
    panel: Panel


class ScenarioPage:
    """One run of the scenarios page for an authority (None: none chosen) over a session mapping."""

    def __init__(
        self, store: Store, code: str | None, state: MutableMapping[Any, Any], shared: Shared | None = None
    ) -> None:
        self.store, self.code = store, code
        self.approved: MtfsSeries | None = latest_series(store, code) if code is not None else None
        self.plan: ApprovedPlan | None = approved_plan(self.approved) if self.approved is not None else None
        self.reference = self.approved.reference() if self.approved is not None else None
        # the council's reserve targets and risk-based minimum, drawn on the reserves chart (a simulation: shared)
        build = shared if shared is not None else (lambda fn, *args: fn(store, *args))
        self.marks: ReserveMarks | None = build(scenario_marks, code) if code is not None else None
        # the council's latest uploaded Demand sheet: a start from the returns or the approved MTFS is seeded from it
        self.demand: UploadedDemand | None = build(uploaded_demand, code) if code is not None else None
        self.session = ScenarioSession(state)
        self.begun: Start = self.session.ensure(store, code, self.plan, self.demand)
        self.flash: str | None = self.session.take_flash()

    @property
    def generation(self) -> int:
        """Keys the scenario's widgets: a new start gets a new number, so the widgets take its values."""
        return self.session.generation

    @property
    def other_authority(self) -> str | None:
        """The warning when the scenario in use was written for another authority than the one selected."""
        written_for = self.begun.scenario.authority
        if written_for and self.code and written_for != self.code:
            return (f"This scenario was written for {written_for}; it will be saved under the selected authority "
                    f"{self.code}.")  # fmt: skip
        return None

    # -- where the scenario starts (each starts the session again; the page then reruns) ----------------------
    def restart_from_returns(self) -> None:
        self.session.use(from_returns(self.store, self.code, self.demand))

    def restart_from_approved(self) -> None:
        if self.code is None or self.plan is None:
            raise ValueError("no approved MTFS is held for the authority selected")  # the page hides the button
        self.session.use(from_approved(self.store, self.code, self.plan, self.demand))

    def restart_from_example(self) -> None:
        self.session.use(from_example())

    def import_file(self, data: bytes, file_name: str, file_id: str) -> bool:
        """True when the file made a new start; raises `InputError` naming every problem when it is refused (a demand
        line naming no Revenue line of the council's latest upload among them)."""
        return self.session.import_file(data, file_name, file_id, self.demand)

    # -- the scenario being edited (the page's fragment) -------------------------------------------------------
    def scenario(self, start: Scenario, choices: Choices) -> ScenarioView:
        return scenario_view(start, choices, self.reference, self.marks)

    def uncertainty(self, view: ScenarioView, start: Scenario, simulations: int, seed: int) -> UncertaintyView:
        return uncertainty_view(view.scenario, start, simulations, seed, self.reference, self.marks)

    def against_approved(self, view: ScenarioView) -> pd.DataFrame | None:
        """This scenario's cumulative gap against the approved MTFS's, by year (None when none is held)."""
        return difference_table(view.evaluation.projection, self.approved) if self.approved is not None else None

    @staticmethod
    def export_toml(view: ScenarioView) -> str:
        return scenario_to_toml(view.scenario)

    def save(self, view: ScenarioView, *, who: str, note: str) -> SavedScenario:
        if self.code is None:
            raise ValueError("no authority selected to save the scenario under")  # the page disables the button
        saved = save_scenario(self.store, view.scenario, authority_code=self.code, user=who, note=note)
        self._forget_saved()
        self.session.flash(f"Saved {saved.label}.")
        return saved

    def take_flash(self) -> str | None:
        """The one-time message an action left since this page was built (the saved scenarios' fragment shows it:
        a save, a delete or marking current reruns that fragment alone, not the page)."""
        return self.session.take_flash()

    # -- the approved MTFS's versions --------------------------------------------------------------------------
    @cached_property
    def versions(self) -> Versions | None:
        held = all_series(self.store, self.code) if self.code is not None else []
        return Versions(versions_list(held), versions_panel(held)) if held else None

    # -- saved scenarios and their comparison ------------------------------------------------------------------
    @cached_property
    def saved(self) -> list[SavedScenario]:
        """Every saved version for the authority, newest first (none when no authority is chosen)."""
        return list_scenarios(self.store, self.code, all_versions=True) if self.code is not None else []

    @cached_property
    def saved_labels(self) -> dict[int, str]:
        """scenario id -> what the pickers show: name · saved by · when (UTC)."""
        return {s.scenario_id: f"{s.label} · {s.saved_by} · {s.saved_at_utc:%d %b %Y %H:%M}" for s in self.saved}

    def saved_against_approved(self) -> pd.DataFrame | None:
        """Each saved scenario's cumulative gap less the approved MTFS's, £m (None when there is nothing to set
        against it); raises `HeadroomError` when a saved scenario cannot be run."""
        if not self.saved or self.approved is None:
            return None
        # the list carries no scenario files: each is loaded with its own (the list alone could not be run)
        loaded = (load_saved(self.store, s.scenario_id) for s in self.saved)
        return scenarios_against({s.label: s.scenario() for s in loaded}, self.approved)

    def _forget_saved(self) -> None:
        """After a write: the saved list is read again (a fragment rerun reuses this object)."""
        for name in ("saved", "saved_labels"):
            self.__dict__.pop(name, None)

    def _name(self, scenario_id: int) -> str:
        return self.saved_labels[scenario_id].split(" · ")[0]

    def reload(self, scenario_id: int) -> None:
        self.session.use(from_saved(self.store, self.code, load_saved(self.store, scenario_id)))

    def mark_current(self, scenario_id: int, *, user: str) -> None:
        name = self._name(scenario_id)
        set_current(self.store, scenario_id, user=user)
        self._forget_saved()
        self.session.flash(f"{name} is now the current scenario.")

    def delete(self, scenario_id: int, *, user: str) -> None:
        name = self._name(scenario_id)
        delete_scenario(self.store, scenario_id, user=user)
        self._forget_saved()
        self.session.flash(f"Deleted {name}.")

    def compare(self, scenario_ids: Sequence[int]) -> CompareView:
        """Two to four saved scenarios side by side, with the approved gap as the reference line."""
        loaded = (load_saved(self.store, i) for i in scenario_ids)
        return compare_view({s.label: s.scenario() for s in loaded}, self.reference, self.marks)


def scenario_page(
    store: Store, code: str | None, state: MutableMapping[Any, Any], shared: Shared | None = None
) -> ScenarioPage:
    """The scenarios page for `code` over `state` (the page passes `st.session_state`; tests pass a dict).

    `shared` builds what every session may share once per data version (the page passes `ui.cache.view`; None
    builds it here)."""
    return ScenarioPage(store, code, state, shared)
