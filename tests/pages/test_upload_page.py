"""The upload and upload-history pages as a user sees them (AppTest on the real app.py, temporary database)."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from tests.monitoring_corpus import REVENUE_HEADER, REVENUE_ROWS, build, revenue

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload_page(app: Callable[..., AppTest]) -> AppTest:
    at = app()
    at.switch_page("pages/upload.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Upload monthly monitoring"
    return at


def _texts(at: AppTest) -> str:
    return "\n".join(
        [e.value for e in at.error] + [s.value for s in at.success] + [i.value for i in at.info]
        + [m.value for m in at.markdown]
    )  # fmt: skip


def test_valid_workbook_previews_then_loads_on_confirm(app: Callable[..., AppTest]) -> None:
    at = _upload_page(app)
    at.file_uploader(key="upload_file").set_value(("p6.xlsx", build(), XLSX)).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    preview = at.dataframe[0].value
    assert list(preview["Sheet"]) == ["Revenue", "Savings", "Collection", "DSG", "Reserves", "Capital"]
    revenue_row = preview.set_index("Sheet").loc["Revenue"]
    assert revenue_row["Lines"] == 4 and "Budget £145.0m" in revenue_row["Totals"]
    assert "What will be loaded" in [h.value for h in at.subheader]

    at.button(key="upload_confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    # one outcome message for the one action: the success, not also "already loaded" for the same file
    assert [s.value for s in at.success if "Loaded p6.xlsx as upload" in s.value]
    assert not [i.value for i in at.info if "already loaded" in i.value]
    assert not [b for b in at.button if b.key == "upload_confirm"]

    at.switch_page("pages/upload_history.py").run()
    assert not at.exception, [e.value for e in at.exception]
    history = at.dataframe[0].value
    assert history.iloc[0]["File"] == "p6.xlsx" and history.iloc[0]["Status"] == "Current"


def test_invalid_workbook_shows_every_problem_once_and_loads_nothing(app: Callable[..., AppTest]) -> None:
    at = _upload_page(app)
    bad = revenue(["Adults", None, "n/a", 100, None], ["Adults", None, 1, 2, 1])
    at.file_uploader(key="upload_file").set_value(("bad.xlsx", bad, XLSX)).run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1 and "refused" in at.error[0].value
    problems = at.dataframe[0].value
    assert {"Revenue!C2", "Revenue!A3"} <= set(problems["Where"])
    assert "Budget must be a number" in set(problems["Message"])
    assert "Traceback" not in _texts(at)
    assert not [b for b in at.button if b.key == "upload_confirm"]
    labels = [d.proto.label for d in at.get("download_button")]
    assert "Download CSV" in labels

    at.switch_page("pages/upload_history.py").run()
    assert any("No monitoring workbooks" in i.value for i in at.info) or "bad.xlsx" not in set(
        at.dataframe[0].value["File"]
    )


def test_not_a_workbook_is_refused_in_words(app: Callable[..., AppTest]) -> None:
    at = _upload_page(app)
    at.file_uploader(key="upload_file").set_value(("notes.xlsx", b"just some text", XLSX)).run()
    assert not at.exception
    assert "not an Excel workbook" in at.dataframe[0].value["Message"].iloc[0]


def test_history_page_withdraws_an_upload(app: Callable[..., AppTest]) -> None:
    at = _upload_page(app)
    at.file_uploader(key="upload_file").set_value(("first.xlsx", build(), XLSX)).run()
    at.button(key="upload_confirm").click().run()
    at.switch_page("pages/upload_history.py").run()
    upload_id = int(at.dataframe[0].value.iloc[0]["Upload"])
    at.selectbox(key="history_upload").set_value(upload_id)
    at.checkbox(key="history_sure").check()
    submit = next(b for b in at.button if b.label == "Withdraw")
    submit.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(f"Upload {upload_id} was withdrawn" in s.value for s in at.success)
    assert at.dataframe[0].value.set_index("Upload").loc[upload_id, "Status"] == "Withdrawn"


def test_a_demand_budget_more_than_1pct_off_is_a_warning_before_confirming(app: Callable[..., AppTest]) -> None:
    """The Demand sheet's children looked after (500 × £80,000 = £40m) against the line's £45m budget: the upload
    page warns, naming the cells and both figures, and still offers to confirm (a warning, not a refusal)."""
    at = _upload_page(app)
    demand = [
        ["Directorate", "Service", "Metric", "Unit", "Budgeted volume", "Budgeted unit cost", "Forecast volume",
         "Forecast unit cost"],
        ["Children's", None, "Children looked after", "children", 500, 80_000, 520, 82_000],
    ]  # fmt: skip
    data = build({"Revenue": [REVENUE_HEADER, *REVENUE_ROWS], "Demand": demand})
    at.file_uploader(key="upload_file").set_value(("p6-demand.xlsx", data, XLSX)).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    (warning,) = [w.value for w in at.warning if "Demand!" in w.value]
    assert warning.startswith("Demand!E2:F2 (Children looked after; P6)")
    assert "£40,000,000 differs from the Revenue line's budget £45,000,000 by -11.1%" in warning
    at.button(key="upload_confirm").click().run()
    assert not at.exception and [s.value for s in at.success if "Loaded p6-demand.xlsx as upload" in s.value]
