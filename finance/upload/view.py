"""The upload page's view: the template, and for the chosen file its check (done once per file) and either every
problem found or a preview of what would be loaded.

Why here: the page only reads its widgets, asks `upload_view` what to show and draws it; which file needs
checking, the refusal's problem table and the preview's wording are plain functions a test can call without
Streamlit. Loading itself stays `commit_upload` (the page's confirm button).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Protocol

import pandas as pd

from finance.errors import HeadroomError, InputError
from finance.format import period_label
from finance.store import Store
from finance.upload.display import lines_table, mtfs_lines_table, preview_table, problems_table
from finance.upload.load import PreparedUpload, Progress, commit_upload, prepare_upload
from finance.workbook import template_bytes


class UploadedFile(Protocol):
    """What the page's file uploader hands over (Streamlit's `UploadedFile` has these)."""

    @property
    def file_id(self) -> str: ...

    @property
    def name(self) -> str: ...

    def getvalue(self) -> bytes: ...


@dataclass(frozen=True)
class CheckedFile:
    """One file's check, kept by the page so a file is checked once: what would be loaded, or why not."""

    file_id: str
    name: str
    prepared: PreparedUpload | None
    failure: HeadroomError | None


@dataclass(frozen=True)
class UploadView:
    template: bytes
    checked: CheckedFile | None  # None: no file chosen
    status: str = ""  # "<file> passed every check" / "<file> was refused"
    problems: pd.DataFrame | None = None  # every problem of a refused file, for download
    already_loaded: str | None = None  # the file was loaded before: nothing to do
    headline: str | None = None  # what will be loaded, in words
    preview: pd.DataFrame | None = None
    sheets: list[tuple[str, pd.DataFrame]] = field(default_factory=list)  # (expander title, its lines)
    mtfs: tuple[str, pd.DataFrame] | None = None
    warnings: tuple[str, ...] = ()  # shown before confirming, not refusals (a Demand budget more than 1% off)


Begin = Callable[[str], Progress]  # called with a new file's name as its check starts: where to report progress


def needs_check(file: UploadedFile | None, checked: CheckedFile | None) -> bool:
    """Whether `file` is new (not the one `checked` holds), so `upload_view` will read and check it."""
    return file is not None and (checked is None or checked.file_id != file.file_id)


def upload_view(
    store: Store,
    authority_code: str | None,
    file: UploadedFile | None,
    checked: CheckedFile | None,
    begin: Begin | None = None,
) -> UploadView:
    """The page for `file` (None: none chosen): `checked` is reused when it is this file's, else the file is
    checked now (`prepare_upload`, reporting to what `begin(file name)` returns, called only then: the page opens
    its status box there); a refusal is part of the view, not raised."""
    template = template_bytes(authority=authority_code)
    if file is None:
        return UploadView(template, None)
    if checked is None or needs_check(file, checked):
        progress = begin(file.name) if begin is not None else None
        try:
            prepared = prepare_upload(store, file.getvalue(), file.name, progress=progress)
        except HeadroomError as err:
            checked = CheckedFile(file.file_id, file.name, None, err)
        else:
            checked = CheckedFile(file.file_id, file.name, prepared, None)
    if checked.failure is not None or checked.prepared is None:
        problems = problems_table(checked.failure) if isinstance(checked.failure, InputError) else None
        return UploadView(template, checked, f"{checked.name} was refused", problems=problems)
    prepared = checked.prepared
    passed = f"{checked.name} passed every check"
    if prepared.already_loaded is not None:
        said = f"This exact file was already loaded as upload {prepared.already_loaded}: there is nothing to do."
        return UploadView(template, checked, passed, already_loaded=said)
    periods = ", ".join(period_label(p, month=False) for p in prepared.periods) or "(MTFS only)"
    headline = (
        f"**{prepared.authority_name}** ({prepared.authority_code}), **{prepared.financial_year}** {periods}: "
        f"{sum(prepared.line_counts.values()):,} lines; {prepared.totals_checked} totals row(s) reconciled."
    )
    sheets = [
        (f"{sheet}: {prepared.line_counts[sheet]:,} lines", lines_table(prepared, sheet)) for sheet in prepared.lines
    ]
    mtfs = None
    if prepared.mtfs is not None:
        title = f"MTFS: {len(prepared.mtfs)} years, new version '{prepared.mtfs.version_name}'"
        mtfs = (title, mtfs_lines_table(prepared))
    return UploadView(template, checked, passed, headline=headline, preview=preview_table(prepared), sheets=sheets,
                      mtfs=mtfs, warnings=prepared.warnings)  # fmt: skip


def confirm_upload(store: Store, checked: CheckedFile) -> tuple[str, CheckedFile]:
    """Load the checked file (as the actor bound to this thread): the summary to show, and the check as it now
    stands (the file is loaded, so checking it again says so). Raises what `commit_upload` raises."""
    assert checked.prepared is not None
    result = commit_upload(store, checked.prepared)
    return result.summary(), replace(checked, prepared=replace(checked.prepared, already_loaded=result.upload_id))
