"""The Committee pack page's view model: what the page offers for an authority and year, and the file it builds.

The page asks one thing, `pack_page(store, code, year)`, before it draws its pickers (the monitoring periods held,
in the order offered, each with its label), and builds the chosen pack with the result's `build` method, which
gathers the sections (`build_pack`), renders the format (`render`) and names the file — the same two steps and
the same file name as the CLI's pack, reported to the page's progress as they go.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from finance.format import period_label
from finance.pack.content import build_pack, pack_periods
from finance.pack.formats import FORMATS, render
from finance.pack.pdf import Progress
from finance.store import Store


@dataclass(frozen=True)
class PackFile:
    """A built pack: its file name, MIME type and bytes, and how many sections it holds."""

    name: str
    mime: str
    data: bytes
    sections: int


@dataclass(frozen=True)
class PackPage:
    """What the page offers for `code` in `year`: `periods` newest first, or `[None]` when none is held."""

    store: Store
    code: str
    year: str
    periods: tuple[int | None, ...]

    @staticmethod
    def period_text(period: int | None) -> str:
        return "No monitoring uploaded for this year" if period is None else period_label(period)

    def default_index(self, chosen: int | None) -> int:
        """The period chosen in the sidebar when it is held, else the newest."""
        return self.periods.index(chosen) if chosen in self.periods else 0

    def build(
        self,
        period: int | None,
        sections: Sequence[str],
        fmt: str,
        group: str | None = None,
        progress: Progress | None = None,
    ) -> PackFile:
        """The pack of `sections` as `fmt` ("pdf" | "xlsx"); raises `HeadroomError` saying why it cannot be made."""
        built = build_pack(
            self.store, self.code, self.year, period, sections, progress=progress, group=group, pdf=fmt == "pdf"
        )
        data = render(built, fmt, progress=progress)
        when = f"{self.year}-P{built.period}" if built.period else self.year
        return PackFile(f"committee-pack-{self.code}-{when}.{fmt}", FORMATS[fmt], data, len(built.sections))


def pack_page(store: Store, code: str, year: str) -> PackPage:
    """The page's offer for `code` in `year`; raises `HeadroomError` (e.g. an unknown authority)."""
    return PackPage(store, code, year, (*reversed(pack_periods(store, code, year)),) or (None,))
