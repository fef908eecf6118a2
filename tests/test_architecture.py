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
    """DuckDB is owned by finance/store/; finance/backends/ holds what only one backend needs (DuckLake)."""
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "finance").rglob("*.py")
        if (ROOT / "finance" / "store") not in p.parents
        and (ROOT / "finance" / "backends") not in p.parents
        and "duckdb" in _imports(p)
    ]
    assert offenders == []


def test_every_page_runs_inside_the_shell() -> None:
    """Each page calls ui.shell.require_shell() before drawing (see ui/shell.py for why)."""
    missing = [p.name for p in (ROOT / "pages").glob("*.py") if "require_shell()" not in p.read_text(encoding="utf-8")]
    assert missing == []


MAX_PAGE_LINES = 200


def _finance_names(tree: ast.Module) -> set[str]:
    """Names a page binds to `finance` (modules and objects), and `ui.cache.view` under any alias: calling one of
    them is a call into finance (`view(build, …)` runs a finance builder)."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] == "finance":
                names.update(a.asname or a.name for a in node.names)
            elif node.module == "ui.cache":
                names.update(a.asname or a.name for a in node.names if a.name == "view")
        elif isinstance(node, ast.Import):
            names.update(a.asname or a.name.split(".")[0] for a in node.names if a.name.split(".")[0] == "finance")
    return names


def _root(expr: ast.expr) -> str | None:
    while isinstance(expr, ast.Attribute):
        expr = expr.value
    return expr.id if isinstance(expr, ast.Name) else None


def _is_acting(item: ast.withitem) -> bool:
    call = item.context_expr
    return isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "acting"


class _Calls(ast.NodeVisitor):
    """Calls into finance in one scope (a nested def is its own scope; a lambda belongs to the one it is in).
    `view_model` are the calls outside `with acting(…)`; `writes` the count inside each such block."""

    def __init__(self, names: set[str]) -> None:
        self.names, self.view_model, self.writes, self._in_write = names, [], [], False

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:  # its own scope
        return None

    def visit_With(self, node: ast.With) -> None:
        if not any(_is_acting(i) for i in node.items):
            self.generic_visit(node)
            return
        inner = _Calls(self.names)
        inner._in_write = True
        for statement in node.body:
            inner.visit(statement)
        self.writes.append(len(inner.view_model))

    def visit_Call(self, node: ast.Call) -> None:
        if _root(node.func) in self.names:
            self.view_model.append(f"line {node.lineno}: {ast.unparse(node.func)}")
        self.generic_visit(node)


def _scopes(source: str) -> dict[str, _Calls]:
    """Each render path of a page — its body, each fragment, each callback — with the finance calls it makes."""
    tree = ast.parse(source)
    names = _finance_names(tree)
    scopes: dict[str, _Calls] = {"page body": _Calls(names)}
    for statement in tree.body:
        scopes["page body"].visit(statement)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            calls = scopes[f"def {node.name}"] = _Calls(names)
            for statement in node.body:
                calls.visit(statement)
    return scopes


def _thick(source: str) -> list[str]:
    found = []
    for scope, calls in _scopes(source).items():
        if len(calls.view_model) > 1:
            found.append(f"{scope} makes {len(calls.view_model)} calls into finance: {calls.view_model}")
        found += [f"{scope}: a `with acting(…)` block makes {n} calls into finance" for n in calls.writes if n > 1]
    return found


def test_each_render_path_of_a_page_makes_at_most_one_call_into_finance() -> None:
    """Pages are thin (issue 15): widgets → ONE view-model call → render. The page body, each fragment and each
    callback may call into finance once (`ui.cache.view(build, …)` counts, the view model's own methods and
    properties do not); each write the user asks for is one call inside `with acting(store):`."""
    offenders = {p.name: found for p in sorted((ROOT / "pages").glob("*.py")) if (found := _thick(p.read_text()))}
    assert offenders == {}


def test_no_page_is_over_200_lines() -> None:
    long = {p.name: n for p in (ROOT / "pages").glob("*.py") if (n := len(p.read_text().splitlines())) > MAX_PAGE_LINES}
    assert long == {}


def test_the_thin_page_rule_catches_a_page_that_orchestrates_finance() -> None:
    """The rule itself: what the scenarios page did before its view model (issue 15) is refused, scope by scope."""
    thick = (
        "import streamlit as st\n"
        "from finance import mtfs\n"
        "from finance import scenarios as sc\n"
        "from ui.cache import view as cached\n"
        "from ui.identity import acting\n"
        "approved = mtfs.latest_series(store, code)\n"
        "marks = cached(sc.marks, code)\n"
        "@st.fragment\n"
        "def area(start):\n"
        "    v = sc.scenario_view(start, choices, approved.reference())\n"
        "    st.dataframe(mtfs.difference_table(v.evaluation.projection, approved))\n"
        "    with acting(store):\n"
        "        saved = sc.save_scenario(store, v.scenario)\n"
        "        sc.set_current(store, saved.scenario_id)\n"
        "with acting(store):\n"
        "    sc.delete_scenario(store, chosen)\n"
        "st.selectbox('Period', periods, format_func=lambda p: sc.label(p))\n"
    )
    assert _thick(thick) == [
        "page body makes 3 calls into finance: ['line 6: mtfs.latest_series', 'line 7: cached', 'line 17: sc.label']",
        "def area makes 2 calls into finance: ['line 10: sc.scenario_view', 'line 11: mtfs.difference_table']",
        "def area: a `with acting(…)` block makes 2 calls into finance",
    ]
    thin = (
        "from finance.scenario_page import scenario_page\n"
        "from ui.identity import acting\n"
        "page = scenario_page(store, code, state)\n"
        "def area(start):\n"
        "    v = page.scenario(start, choices)\n"
        "    with acting(store):\n"
        "        page.save(v, who=who, note=note)\n"
    )
    assert _thick(thin) == []
