"""The domain/UI boundary, enforced: finance/ never imports streamlit; pages/ hold no SQL."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_finance_sources_never_import_streamlit() -> None:
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "finance").rglob("*.py") if "streamlit" in _imports(p)]
    assert offenders == []


def test_importing_every_finance_module_does_not_load_streamlit() -> None:
    code = (
        "import pkgutil, importlib, sys, finance\n"
        "for m in pkgutil.walk_packages(finance.__path__, 'finance.'):\n"
        "    importlib.import_module(m.name)\n"
        "print('streamlit' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out.stderr


SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b\s+[\w*\"]", re.IGNORECASE)


def test_pages_are_thin_no_sql_and_no_duckdb() -> None:
    for page in [ROOT / "app.py", *(ROOT / "pages").glob("*.py")]:
        text = page.read_text(encoding="utf-8")
        assert "duckdb" not in _imports(page), page.name
        assert not SQL.search(text), f"{page.name} contains SQL; put it in finance/"


def test_only_the_store_and_its_backends_import_duckdb() -> None:
    """DuckDB is owned by finance/store.py; finance/backends/ holds what only one backend needs (DuckLake)."""
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "finance").rglob("*.py")
        if p != ROOT / "finance" / "store.py"
        and (ROOT / "finance" / "backends") not in p.parents
        and "duckdb" in _imports(p)
    ]
    assert offenders == []


def test_every_page_runs_inside_the_shell() -> None:
    """Each page calls ui.shell.require_shell() before drawing (see ui/shell.py for why)."""
    missing = [p.name for p in (ROOT / "pages").glob("*.py") if "require_shell()" not in p.read_text(encoding="utf-8")]
    assert missing == []
