"""The MTFS versions chart and panel: the approved gap new in each year, one line per version, so a reader sees at a
glance whether a revision (budget reset, February budget) made a year's gap bigger or smaller."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from finance.charts import Panel
from finance.mtfs.compare import versions_table
from finance.mtfs.queries import MtfsSeries
from finance.scenarios import lines_chart


def versions_chart(versions: Sequence[MtfsSeries]) -> go.Figure:
    """The gap new in each year after savings identified, £m, one line per version (oldest first)."""
    labels = [s.version.label for s in versions]
    series = {
        (label if labels.count(label) == 1 else f"{label}, upload {s.version.upload_id}"): dict(
            zip(s.years, s.gap_gbp_m, strict=True)
        )
        for label, s in zip(labels, versions, strict=True)
    }
    return lines_chart("Approved MTFS gap by year, each version", series, "Gap new in the year, after savings (£m)")


def versions_panel(versions: Sequence[MtfsSeries]) -> Panel:
    """The versions chart beside the table of each year's gap by version and the change between them."""
    return Panel(
        "mtfs-versions",
        "The approved gap by version",
        versions_chart(versions),
        versions_table(versions),
        "The gap new in each year after savings identified, £m, by version (oldest first), and the change "
        "between consecutive versions.",
    )
