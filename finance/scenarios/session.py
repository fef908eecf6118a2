"""Which scenario the MTFS scenarios page starts from, and the per-session state that remembers it.

The page is a Streamlit script rerun on every click; what it starts from (the approved MTFS, the current
scenario, the returns, the shipped example, an imported or reloaded file) must survive those reruns and change only
when the user asks or picks another authority. That is a small state machine over a mapping (the page passes
`st.session_state`; tests pass a dict), kept here as plain code so the starting-point rule is unit-tested:

- an officer opening the page for an authority starts from its latest approved MTFS when one is held (base figures
  from the returns up to the MTFS's base year, so nothing from after it), else its current scenario, else the
  returns, else (no authority, or no figures held) the shipped Sefton example, saying why;
- a start from the returns or the approved MTFS carries the authority's current capital programme, when one is held
  (a saved scenario carries its own), and a demand line per metric of its latest uploaded Demand sheet, when one is
  held (`UploadedDemand`, built above this package; growth 0%, so the gap is unchanged until a slider moves);
- choosing another authority starts again by that rule; every new start gets a new generation number, which keys
  the page's widgets so they take the new scenario's values.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from finance.errors import HeadroomError, InputError, Problem
from finance.scenarios.base import BaseFigures, base_figures
from finance.scenarios.demand import UploadedDemand, seed_demand, unknown_services
from finance.scenarios.files import example_scenario, parse_scenario_bytes
from finance.scenarios.model import Scenario
from finance.scenarios.programme import with_programme
from finance.scenarios.storage import SavedScenario, current_scenario
from finance.store import Store

EXAMPLE_ORIGIN = "the shipped Sefton worked example (Sefton CPC report, Nov 2023)"


@dataclass(frozen=True)
class Start:
    """A scenario to start from, with where it came from in words and the base figures behind it (if any).

    `problem` is why a wanted start could not be used (shown until the next start), e.g. no figures held."""

    scenario: Scenario
    origin: str
    base: BaseFigures | None = None
    problem: HeadroomError | None = None


@dataclass(frozen=True)
class ApprovedPlan:
    """The latest approved MTFS, as much as the starting rule needs (built by `finance.mtfs.approved_plan`)."""

    label: str
    base_year: str
    scenario: Callable[[BaseFigures | None], Scenario]  # the scenario reproducing it on these base figures


def from_example(why: str = "") -> Start:
    return Start(example_scenario(), EXAMPLE_ORIGIN if not why else f"the shipped Sefton worked example ({why})")


def _base(store: Store, code: str, up_to_year: str | None = None) -> BaseFigures | None:
    try:
        return base_figures(store, code, up_to_year=up_to_year)
    except HeadroomError:
        return None


def _demand_words(demand: UploadedDemand | None) -> str:
    return "" if demand is None or not demand.seeds else f", with the demand lines of {demand.label}"


def from_returns(store: Store, code: str | None, demand: UploadedDemand | None = None) -> Start:
    """The authority's returns (and its uploaded demand, when given); the example (with the reason) when no
    authority is chosen or no figures are held."""
    if code is None:
        return from_example("no authority selected")
    try:
        base = base_figures(store, code)
    except HeadroomError as err:
        return Start(example_scenario(), "the shipped Sefton worked example (no figures held for this authority)",
                     problem=err)  # fmt: skip
    scenario = seed_demand(with_programme(store, base.scenario()), demand)
    return Start(scenario, f"the returns held for {base.authority_name}{_demand_words(demand)}", base)


def from_approved(store: Store, code: str, plan: ApprovedPlan, demand: UploadedDemand | None = None) -> Start:
    base = _base(store, code, plan.base_year)  # nothing from after the MTFS's base year
    # Not `with_programme`: the approved plan's lines already carry its capital financing costs (its gap is the
    # reference line a scenario started from it matches at zero), so adding the programme would count them twice.
    # Seeded demand lines start at 0% growth, so the approved gap is still matched at zero.
    scenario = seed_demand(plan.scenario(base), demand)
    return Start(scenario, f"the approved MTFS, {plan.label}{_demand_words(demand)}", base)


def from_saved(store: Store, code: str | None, saved: SavedScenario, *, current: bool = False) -> Start:
    """A saved version; the current one (opened by the rule) shows the returns' base figures beside it."""
    base = _base(store, code) if code is not None and current else None
    origin = f"the current scenario, {saved.label}" if current else f"the saved scenario {saved.label}"
    return Start(saved.scenario(), origin, base)


def from_file(data: bytes, file_name: str, demand: UploadedDemand | None = None) -> Start:
    """An imported TOML file; raises `InputError` naming every problem in it, and each demand line naming no Revenue
    line of the council's latest upload (`demand`, when one is held)."""
    scenario = parse_scenario_bytes(data, source=file_name)
    unknown = unknown_services(scenario, demand)
    if unknown and demand is not None:
        message = (
            f"names no Revenue line of the council's latest upload ({demand.label}): the directorate and service "
            "must match a Revenue line"
        )
        raise InputError(
            [Problem(where, message, what) for where, what in unknown],
            summary=f"{file_name}: {len(unknown)} demand line(s) name no Revenue line",
        )
    return Start(scenario, f"the imported file {file_name}")


def opening(store: Store, code: str | None, plan: ApprovedPlan | None, demand: UploadedDemand | None = None) -> Start:
    """The starting-point rule (module docstring): approved MTFS, else current scenario, else the returns."""
    if code is not None and plan is not None:
        return from_approved(store, code, plan, demand)
    saved = current_scenario(store, code) if code is not None else None
    if saved is None:
        return from_returns(store, code, demand)
    return from_saved(store, code, saved, current=True)


START, GENERATION, FOR, FLASH, UPLOAD = "scn_start", "scn_gen", "scn_for", "scn_flash", "scn_upload_id"


class ScenarioSession:
    """The page's state in a session mapping: the current `Start`, its generation, a one-time message."""

    def __init__(self, state: MutableMapping[Any, Any]) -> None:  # a dict, or Streamlit's session state
        self.state = state

    def ensure(
        self, store: Store, code: str | None, plan: ApprovedPlan | None, demand: UploadedDemand | None = None
    ) -> Start:
        """The start in use; a first visit, or another authority than last time, starts by `opening`."""
        if self.state.get(FOR, "") != code or START not in self.state:
            self.state[FOR] = code
            self.use(opening(store, code, plan, demand))
        return self.start

    def use(self, start: Start) -> None:
        self.state[START] = start
        self.state[GENERATION] = self.generation + 1

    @property
    def start(self) -> Start:
        start = self.state[START]
        assert isinstance(start, Start)
        return start

    @property
    def generation(self) -> int:
        return int(self.state.get(GENERATION, 0))

    def flash(self, message: str) -> None:
        """A message shown once, on the next run (after a save, a delete, marking current)."""
        self.state[FLASH] = message

    def take_flash(self) -> str | None:
        return self.state.pop(FLASH, None)

    def import_file(self, data: bytes, file_name: str, file_id: str, demand: UploadedDemand | None = None) -> bool:
        """Start from an uploaded file once per upload (the uploader keeps its file across reruns). True when a
        new start was made; raises `InputError` when the file is refused (the start in use is kept); `demand` is the
        council's latest uploaded demand, whose Revenue lines the file's demand lines must name."""
        if self.state.get(UPLOAD) == file_id:
            return False
        self.state[UPLOAD] = file_id
        self.use(from_file(data, file_name, demand))
        return True
