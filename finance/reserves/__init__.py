"""Reserve adequacy (issue 18): the quality of a council's reserves (what each is for, whether an earmarked reserve
is already committed, its planned use over the MTFS years), the council's financial risk register and the
risk-based minimum balance it implies, and the Reserve adequacy page's view.

It sits at the `indicators` layer: it reads `monitoring` (the Reserves sheet as stored), `scenarios` and
`benchmark`; `upload` calls its sheet checks and `committee` its card. The public surface is named here; the
modules behind it are free to change.
"""

from __future__ import annotations

from finance.reserves.checks import PlanDraft, check_reserve_plan, check_reserve_status, plan_years
from finance.reserves.marks import scenario_marks
from finance.reserves.plan import ReservePlan, reserve_plan
from finance.reserves.register import RiskAssessment, RiskRegister, assess, risk_assessment, risk_register
from finance.reserves.risks import SCORE_PCT, RiskDraft, check_risks, parse_likelihood
from finance.reserves.simulation import PATHS, PERCENTILE, SEED, LossSimulation, simulate_losses
from finance.reserves.view import AdequacyView, likelihood_table
from finance.reserves.view import build as build_adequacy_view

__all__ = [
    "PATHS",
    "PERCENTILE",
    "SCORE_PCT",
    "SEED",
    "AdequacyView",
    "LossSimulation",
    "PlanDraft",
    "ReservePlan",
    "RiskAssessment",
    "RiskDraft",
    "RiskRegister",
    "assess",
    "build_adequacy_view",
    "check_reserve_plan",
    "check_reserve_status",
    "check_risks",
    "likelihood_table",
    "parse_likelihood",
    "plan_years",
    "reserve_plan",
    "risk_assessment",
    "risk_register",
    "scenario_marks",
    "simulate_losses",
]
