"""The council's latest uploaded demand as a scenario starts from it: one seed per metric of its Demand sheet.

Why here: the Demand sheet is read from `finance.monitoring`, the scenario's demand lines are `finance.scenarios`'s,
and neither may import the other; the approved MTFS (this package) already joins the two for the scenarios page's
starting rule (`approved_plan`), so the uploaded demand the same rule seeds from is put together here too.
"""

from __future__ import annotations

from finance.format import period_label
from finance.monitoring import demand_split, sheet_lines, years_held
from finance.scenarios import DemandSeed, UploadedDemand
from finance.store import Store


def _fold(text: object) -> str:
    return " ".join(str(text or "").split()).casefold()


def uploaded_demand(store: Store, code: str) -> UploadedDemand | None:
    """The demand of the latest year and period with Demand lines in the council's current monitoring: per metric,
    the forecast volume and unit cost (£ a year) as at that period, with the upload (number, file, sha256) as the
    source; and that period's Revenue lines, which an imported scenario's demand lines must name. None when no
    Demand sheet is held."""
    for year in reversed(years_held(store, code)):
        split = demand_split(store, code, year)
        if split.period is None or not split.metrics:
            continue
        source = f"upload {split.upload_id}, {split.file_name} (sha256 {split.sha256})"
        seeds = tuple(
            DemandSeed(
                m.directorate,
                m.service,
                m.metric,
                m.unit,
                m.forecast_volume,
                m.forecast_unit_cost_gbp,
                split.as_at,
                source,
            )
            for m in split.metrics
        )
        revenue = sheet_lines(store, "Revenue", code, year, split.period)
        lines = frozenset((_fold(r.directorate), _fold(r.service)) for r in revenue.itertuples())
        label = f"{period_label(split.period, month=False)} {year}, upload {split.upload_id} ({split.file_name})"
        return UploadedDemand(seeds, lines, label)
    return None
