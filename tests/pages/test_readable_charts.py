"""Every chart on every page follows the house layout rule (`finance.charts.readable`), read from the figure the
browser receives: a legend sits at the foot of the figure (container coordinates, so plotly makes room for it below
the axis title and notes instead of drawing over them); no title, subtitle, axis title or legend entry has a line
longer than fits; text beside bars and points is never clipped at the plot area; no note is placed below the plot
where the legend goes. Rendered through the real app.py (AppTest), on the demo and with official data."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(p.name for p in (ROOT / "pages").glob("*.py"))
LIMITS = {"title": 80, "subtitle": 110, "axis title": 55, "legend entry": 90}


def _longest_line(text: str | None) -> int:
    return max((len(re.sub(r"<[^>]+>", "", line)) for line in str(text or "").split("<br>")), default=0)


def _problems(fig: dict[str, Any]) -> list[str]:
    layout, traces = fig.get("layout", {}), fig.get("data", [])
    title = layout.get("title", {})
    found = []
    texts = [("title", title.get("text")), ("subtitle", title.get("subtitle", {}).get("text"))]
    texts += [("axis title", v.get("title", {}).get("text")) for k, v in layout.items() if re.match(r"[xy]axis", k)]
    named = [t for t in traces if t.get("showlegend", True) and t.get("name")]
    legend_shown = layout.get("showlegend") is not False and (len(named) > 1 or layout.get("showlegend") is True)
    if legend_shown:
        texts += [("legend entry", t["name"]) for t in named]
        legend = layout.get("legend", {})
        if (legend.get("yref"), legend.get("y"), legend.get("yanchor")) != ("container", 0, "bottom"):
            found.append(f"legend not at the foot of the figure: {legend}")
    found += [f"{kind} too long: {text!r}" for kind, text in texts if _longest_line(text) > LIMITS[kind]]
    for t in traces:
        outside = (t.get("type") == "bar" and "text" in t and t.get("textposition", "auto") in ("outside", "auto")) or (
            t.get("type", "scatter") == "scatter" and "text" in t.get("mode", "")
        )
        if outside and t.get("cliponaxis") is not False:
            found.append(f"text of {t.get('name')!r} may be clipped at the plot area")
    for a in layout.get("annotations", []):
        if a.get("yref") == "paper" and a.get("y", 0) < 0:
            found.append(f"note below the plot, where the legend goes: {a.get('text')!r}")
    return found


def _page_problems(at: AppTest) -> tuple[int, dict[str, list[str]]]:
    charts, problems = 0, {}
    for page in PAGES:
        at.switch_page(f"pages/{page}").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        for i, chart in enumerate(at.get("plotly_chart")):
            charts += 1
            fig = json.loads(chart.proto.spec)
            found = _problems(fig)
            if found:
                problems[f"{page} #{i} {fig.get('layout', {}).get('title', {}).get('text', '')[:40]}"] = found
    return charts, problems


def test_every_chart_of_the_demo_follows_the_layout_rule(app: Callable[..., AppTest]) -> None:
    charts, problems = _page_problems(app())
    assert charts > 25  # the pages really drew their charts
    assert problems == {}


@pytest.mark.official
def test_every_chart_with_official_data_follows_the_layout_rule(
    app: Callable[..., AppTest], demand_db: str, tmp_path: Path
) -> None:
    db = tmp_path / "official.duckdb"
    shutil.copy(demand_db, db)
    at = app(db=str(db))
    at.session_state["authority_code"] = "E08000014"
    charts, problems = _page_problems(at)
    assert charts >= 8  # the benchmark, resilience, services, DSG, nowcast and demand charts
    assert problems == {}


def test_the_rule_is_what_the_check_reads() -> None:
    """The check above fails on a figure built the old way (legend at a guessed paper offset, a long title)."""
    import plotly.graph_objects as go

    from finance.charts import base_layout, readable

    fig = go.Figure([go.Bar(x=[1, 2], y=["a", "b"], orientation="h", text=["£1m", "£2m"], name="A"), go.Bar(name="B")])
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0})
    base_layout(fig, title="A title that runs on and on " * 4, subtitle="short")
    fig.update_xaxes(title="£m (positive: short of the comparison; negative: ahead of it, a surplus)")
    before = _problems(json.loads(fig.to_json()))
    assert len(before) == 4  # legend, title, axis title, clipped text
    assert _problems(json.loads(readable(fig).to_json())) == []
    assert fig.layout.margin.r >= 70 and fig.layout.margin.t >= 2 * 24
