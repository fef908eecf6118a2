"""Official returns: MHCLG Revenue Outturn Summary (RS) and Revenue Account budget (RA) files, as published, and
the official demand statistics (DfE children looked after, DfE EHC plans, MHCLG H-CLIC temporary accommodation).

Public surface:
- `read_return(path) -> ParsedReturn`: read one file (.xls/.xlsx/.ods/.csv); pure, no database.
- `import_paths(store, paths, *, user) -> list[ImportReport]`: import files and folders, all of them in one
  transaction (every file or none); demand files are recognised by their content (`demand_kind`).
- `DEMAND_METRICS`: the demand series held, each with its title, unit, basis, frequency and the authority
  classes with the duty it measures.
- `fetch_official(dest, *, base_url, timeout_s) -> list[FetchReport]` (in `finance.official.fetch`):
  download the catalogued releases from GOV.UK.
- `read_receipts(path)`, `ct_receipts(store, codes)`: MHCLG's council tax receipts live table (quarterly receipts
  per billing authority), recognised by its content in `import_paths`.
- `coverage(store, code) -> Coverage`: which returns are held, year by year, for an authority and its class,
  and what each missing outturn year needs.
"""

from __future__ import annotations

from finance.official.coverage import Coverage, coverage
from finance.official.demand_model import CODE_ALIASES as DEMAND_CODE_ALIASES
from finance.official.demand_model import METRICS as DEMAND_METRICS
from finance.official.demand_model import METRICS_BY_KEY as DEMAND_METRICS_BY_KEY
from finance.official.demand_model import DemandMetric
from finance.official.demand_read import demand_kind
from finance.official.fetch import FetchReport, fetch_official
from finance.official.importer import ImportReport, import_paths
from finance.official.model import ParsedReturn, ReturnAuthority, ReturnValue
from finance.official.reader import read_return
from finance.official.receipts import ParsedReceipts, is_receipts_table, read_receipts
from finance.official.receipts_store import ct_receipts

__all__ = [
    "DEMAND_CODE_ALIASES",
    "DEMAND_METRICS",
    "DEMAND_METRICS_BY_KEY",
    "Coverage",
    "DemandMetric",
    "FetchReport",
    "ImportReport",
    "ParsedReceipts",
    "ParsedReturn",
    "ReturnAuthority",
    "ReturnValue",
    "coverage",
    "ct_receipts",
    "demand_kind",
    "fetch_official",
    "import_paths",
    "is_receipts_table",
    "read_receipts",
    "read_return",
]
