"""Reserve adequacy (issue 18): the quality of a council's reserves (what each is for, whether an earmarked reserve
is already committed, its planned use over the MTFS years), the council's financial risk register and the
risk-based minimum balance it implies, and the Reserve adequacy page's view.

It sits at the `indicators` layer: it reads `monitoring` (the Reserves sheet as stored), `scenarios` and
`benchmark`; `upload` calls its sheet checks and `committee` its card. The public surface is named here; the
modules behind it are free to change.
"""

from __future__ import annotations

from finance.reserves.checks import PlanDraft, check_reserve_plan, check_reserve_status, plan_years
from finance.reserves.register import RiskAssessment, RiskRegister, assess, risk_assessment, risk_register
from finance.reserves.risks import SCORE_PCT, RiskDraft, check_risks, parse_likelihood
from finance.reserves.simulation import PATHS, PERCENTILE, SEED, LossSimulation, simulate_losses

__all__ = [
    "PATHS",
    "PERCENTILE",
    "SCORE_PCT",
    "SEED",
    "LossSimulation",
    "PlanDraft",
    "RiskAssessment",
    "RiskDraft",
    "RiskRegister",
    "assess",
    "check_reserve_plan",
    "check_reserve_status",
    "check_risks",
    "parse_likelihood",
    "plan_years",
    "risk_assessment",
    "risk_register",
    "simulate_losses",
]
