"""Monthly budget monitoring workbooks (issue 3): template, safe reading, validation, atomic load, history.

The public surface is re-exported here; the modules behind it are free to change.
"""

from __future__ import annotations

from finance.monitoring.load import (
    LoadResult,
    PreparedUpload,
    commit_upload,
    load_file,
    load_upload,
    prepare_upload,
    withdraw_upload,
)
from finance.monitoring.safety import Limits
from finance.monitoring.template import template_bytes

__all__ = [
    "Limits",
    "LoadResult",
    "PreparedUpload",
    "commit_upload",
    "load_file",
    "load_upload",
    "prepare_upload",
    "template_bytes",
    "withdraw_upload",
]
