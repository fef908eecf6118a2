"""The committee pack as an Excel workbook: one sheet per table the pages show, for officers who re-use the data.

Why through finance.export.xlsx_bytes: it is the one writer that keeps numbers as numbers, freezes the header row
and writes user-typed text (directorate and scheme names from uploaded workbooks) as string cells, never formulas.
The tables are the pages' own (units in their column names); this module only names the sheets and adds an
"About" sheet (authority, period, data as at, illustrative or not) and a contents sheet.
"""

from __future__ import annotations

import pandas as pd

from finance import export
from finance.pack.content import ILLUSTRATIVE, Pack

ABOUT, CONTENTS = "About", "Contents"


def _layout(pack: Pack) -> list[tuple[str, pd.DataFrame, str, str, int]]:
    """(sheet name, frame, section title, table title, id of the pack's table or 0) for every sheet after Contents.

    A section with headline figures gets a "… headline" sheet of them (as shown, text) before its tables.
    """
    taken = {ABOUT.lower(), CONTENTS.lower()}
    out: list[tuple[str, pd.DataFrame, str, str, int]] = []
    for section in pack.sections:
        tables = [t for s, t in pack.tables() if s is section]
        if section.metrics:
            frame = pd.DataFrame(section.metrics, columns=["Measure", "Value (as shown)"])
            name = export.sheet_name(f"{section.title} headline", taken)
            out.append((name, frame, section.title, "Headline figures", 0))
        for table in tables:
            out.append((export.sheet_name(table.title, taken), table.frame, section.title, table.title, id(table)))
    return out


def sheet_names(pack: Pack) -> dict[int, str]:
    """id(table) → its sheet name: the table's title, made valid and unique (the PDF refers to these names)."""
    return {key: name for name, _, _, _, key in _layout(pack) if key}


def _about(pack: Pack) -> pd.DataFrame:
    rows = [
        ("Authority", pack.authority.name),
        ("Authority code", pack.authority.code),
        ("Financial year", pack.year),
        ("Monitoring period", pack.when if pack.period else "none uploaded"),
        ("Data as at", pack.data_as_at),
        ("Pack generated", pack.generated_at),
        ("Illustrative", ILLUSTRATIVE if pack.authority.is_illustrative else "No: official and uploaded data"),
        ("In brief", pack.overview.summary),
    ] + [("Source", s) for s in pack.sources]
    return pd.DataFrame(rows, columns=["Field", "Value"])


def sheets(pack: Pack) -> dict[str, pd.DataFrame]:
    """Every sheet of the workbook, in order: About, Contents, then one per table shown."""
    layout = _layout(pack)
    contents = pd.DataFrame(
        {
            "Sheet": [name for name, *_ in layout],
            "Section": [section for _, _, section, _, _ in layout],
            "Table": [title for _, _, _, title, _ in layout],
            "Rows": [len(frame) for _, frame, *_ in layout],
        }
    )
    out = {ABOUT: _about(pack), CONTENTS: contents}
    out.update({name: frame for name, frame, *_ in layout})
    return out


def xlsx_bytes(pack: Pack) -> bytes:
    return export.xlsx_bytes(sheets(pack))
