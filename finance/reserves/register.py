"""The risk register in force and the risk-based minimum it implies, read back from what was uploaded.

"In force" follows the rule MTFS versions use: of the uploads not withdrawn for the financial year or an earlier
one, the latest that holds a Risks sheet. The simulation (`simulation`) runs on its lines; every figure carries the
upload it came from (file name, sha256, when) so the page, card and pack can say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from finance.reserves.simulation import LossSimulation, simulate_losses
from finance.store import Store

TOP_CONTRIBUTORS = 5

_LATEST_SQL = """
    SELECT u.upload_id, u.file_name, u.sha256, u.financial_year, u.uploaded_at_utc
    FROM monitoring_upload u
    WHERE u.authority_code = ? AND u.status = 'active' AND u.financial_year <= ?
      AND EXISTS (SELECT 1 FROM risk_line r WHERE r.upload_id = u.upload_id)
    ORDER BY u.upload_id DESC LIMIT 1"""

_LINES_SQL = """
    SELECT sheet_row, risk_id, description, category, likelihood_given, likelihood_score, likelihood_pct,
           impact_low_gbp::DOUBLE AS impact_low_gbp, impact_likely_gbp::DOUBLE AS impact_likely_gbp,
           impact_high_gbp::DOUBLE AS impact_high_gbp, mitigation, owner
    FROM risk_line WHERE upload_id = ? ORDER BY sheet_row"""


@dataclass(frozen=True)
class RiskRegister:
    """The register in force: its lines (money in £, likelihood in %) and the upload it came from."""

    upload_id: int
    file_name: str
    sha256: str
    financial_year: str
    uploaded_at_utc: datetime
    lines: pd.DataFrame

    @property
    def source_text(self) -> str:
        return f"risk register uploaded {self.uploaded_at_utc:%d %b %Y} ({self.file_name}, sha256 {self.sha256[:12]}…)"


@dataclass(frozen=True)
class RiskAssessment:
    """The register and its simulation: the risk-based minimum, the expected loss and each risk's mean loss."""

    register: RiskRegister
    simulation: LossSimulation

    @property
    def minimum_gbp(self) -> float:
        return self.simulation.minimum_gbp

    @property
    def expected_gbp(self) -> float:
        return self.simulation.expected_gbp

    def contributions(self) -> pd.DataFrame:
        """Every risk with its mean loss (£), largest first: risk_id, description, category, likelihood_pct,
        mean_loss_gbp, share_pct (of the expected loss)."""
        lines = self.register.lines
        mean = self.simulation.mean_by_risk_gbp
        total = float(mean.sum())
        frame = pd.DataFrame(
            {
                "risk_id": lines["risk_id"],
                "description": lines["description"],
                "category": lines["category"],
                "likelihood_pct": lines["likelihood_pct"],
                "mean_loss_gbp": mean,
                "share_pct": mean / total * 100 if total > 0 else np.zeros_like(mean),
            }
        )
        return frame.sort_values("mean_loss_gbp", ascending=False, kind="stable").reset_index(drop=True)

    def top(self, n: int = TOP_CONTRIBUTORS) -> pd.DataFrame:
        return self.contributions().head(n)


def risk_register(store: Store, authority_code: str, financial_year: str) -> RiskRegister | None:
    """The register in force for `financial_year` (module docstring), or None when none has been uploaded."""
    store.require_read(authority_code)
    row = store.query_one(_LATEST_SQL, [authority_code, financial_year])
    if row is None:
        return None
    lines = store.query_df(_LINES_SQL, [row[0]])
    return RiskRegister(int(row[0]), str(row[1]), str(row[2]), str(row[3]), row[4], lines)


def assess(register: RiskRegister) -> RiskAssessment:
    """Simulate the register (`simulation.simulate_losses`: fixed seed, 10,000 paths)."""
    lines = register.lines
    return RiskAssessment(
        register,
        simulate_losses(
            lines["likelihood_pct"].to_numpy(dtype=float) / 100.0,
            lines["impact_low_gbp"].to_numpy(dtype=float),
            lines["impact_likely_gbp"].to_numpy(dtype=float),
            lines["impact_high_gbp"].to_numpy(dtype=float),
        ),
    )


def risk_assessment(store: Store, authority_code: str, financial_year: str) -> RiskAssessment | None:
    """`assess` of the register in force for the year, or None when none has been uploaded."""
    register = risk_register(store, authority_code, financial_year)
    return None if register is None else assess(register)
