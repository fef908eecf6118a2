"""The demo council's Demand sheets as uploaded, read back from the workbooks themselves (openpyxl, not Headroom's
reader), with the split worked out here from the issue's formulas — what the CLI, the page and the pack must show.

The demo database holds no workbook bytes, only each upload's file name and sha256: the workbooks are regenerated
(deterministic) from the database's own starting point and their sha256 checked against the upload's, so the
figures a test expects are traceably those of the file that was loaded.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from openpyxl import load_workbook

from finance.demo import HOME_CODE, monitoring_start
from finance.store import Store
from finance.upload import demo_workbooks


@dataclass(frozen=True)
class Metric:
    directorate: str
    service: str
    metric: str
    unit: str
    budgeted_volume: float
    budgeted_unit_cost_gbp: float
    forecast_volume: float
    forecast_unit_cost_gbp: float
    line_variance_gbp: float

    @property
    def volume_effect_gbp(self) -> float:
        return (self.forecast_volume - self.budgeted_volume) * self.budgeted_unit_cost_gbp

    @property
    def price_effect_gbp(self) -> float:
        return (self.forecast_unit_cost_gbp - self.budgeted_unit_cost_gbp) * self.forecast_volume


@dataclass(frozen=True)
class Upload:
    file_name: str
    sha256: str
    year: str
    period: int
    metrics: tuple[Metric, ...]

    def line_other_gbp(self, service: str) -> float:
        mine = [m for m in self.metrics if m.service == service]
        return mine[0].line_variance_gbp - sum(m.volume_effect_gbp + m.price_effect_gbp for m in mine)


def _read(name: str, data: bytes) -> Upload:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    about = {str(r[0]): r[1] for r in book["Instructions"].iter_rows(values_only=True) if r and r[0]}
    assert about["Units"] == "£000", about  # the Revenue sheet's money
    revenue = list(book["Revenue"].iter_rows(values_only=True))
    assert revenue[0][:5] == ("Directorate", "Service", "Budget", "Forecast outturn", "Variance")
    variance = {(r[0], r[1]): float(r[4]) * 1000 for r in revenue[1:] if r[0] != "Total"}
    demand = list(book["Demand"].iter_rows(values_only=True))
    assert demand[0] == ("Directorate", "Service", "Metric", "Unit", "Budgeted volume", "Budgeted unit cost",
                         "Forecast volume", "Forecast unit cost")  # fmt: skip
    metrics = tuple(
        Metric(str(d), str(s), str(m), str(u), float(bv), float(bc), float(fv), float(fc), variance[(d, s)])
        for d, s, m, u, bv, bc, fv, fc in demand[1:]
    )
    return Upload(name, hashlib.sha256(data).hexdigest(), str(about["Financial year"]),
                  int(str(about["Period"]).removeprefix("P")), metrics)  # fmt: skip


def demo_uploads(store: Store, year: str) -> list[Upload]:
    """Every demo workbook of `year` as loaded into `store` (oldest first); asserts each is the file the database
    recorded (same name and sha256)."""
    loaded = dict(store.query("SELECT file_name, sha256 FROM monitoring_upload WHERE authority_code = ?", [HOME_CODE]))
    out = []
    for name, data in demo_workbooks(HOME_CODE, monitoring_start(store)):
        if f"-{year}-" in name:
            upload = _read(name, data)
            assert loaded[name] == upload.sha256, name
            out.append(upload)
    return out
