"""Kept public surfaces (issue 15): each `finance` subpackage names its public API in `__init__` (`__all__`), and
every module outside it — other `finance` packages and top-level modules, `ui/`, `pages/`, `app.py` — imports only
names from that list, never a module behind it. The layers themselves are import-linter contracts
(`pyproject.toml`, run by `lint-imports`)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FINANCE = ROOT / "finance"
SUBPACKAGES = sorted(p.parent.name for p in FINANCE.glob("*/__init__.py"))


def _declared_all(package: str) -> set[str] | None:
    tree = ast.parse((FINANCE / package / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            assert node.value is not None
            return {str(ast.literal_eval(e)) for e in node.value.elts}  # type: ignore[attr-defined]
    return None


def _sources() -> list[Path]:
    return sorted(
        [*FINANCE.rglob("*.py"), *(ROOT / "ui").glob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"]
    )


def _owner(path: Path) -> str | None:
    """The finance subpackage a file belongs to (None for top-level modules, ui/, pages/, app.py)."""
    parts = path.relative_to(ROOT).parts
    return parts[1] if parts[0] == "finance" and len(parts) > 2 else None


def _reaches_past(source: str, owner: str | None, surfaces: dict[str, set[str]]) -> list[str]:
    """Imports in `source` (a file of `owner`) that reach past another finance package's declared surface."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [(a.name, None) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [(node.module, a.name) for a in node.names]
        else:
            continue
        for module, name in modules:
            parts = module.split(".")
            if parts[0] != "finance" or len(parts) < 2 or parts[1] not in surfaces or parts[1] == owner:
                continue
            if len(parts) > 2:
                found.append(f"line {node.lineno}: {module}")
            elif name is not None and name not in surfaces[parts[1]]:
                found.append(f"line {node.lineno}: {module}.{name} (not in its __all__)")
    return found


def test_every_finance_subpackage_declares_its_public_surface() -> None:
    missing = [p for p in SUBPACKAGES if not _declared_all(p)]
    assert missing == [], "these finance subpackages have no __all__ in __init__.py"


@pytest.mark.parametrize("package", SUBPACKAGES)
def test_everything_a_package_declares_exists(package: str) -> None:
    import importlib

    module = importlib.import_module(f"finance.{package}")
    declared = _declared_all(package) or set()
    assert [n for n in sorted(declared) if not hasattr(module, n)] == []


def test_no_module_imports_past_another_packages_init() -> None:
    surfaces = {p: _declared_all(p) or set() for p in SUBPACKAGES}
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in _sources()
        if (found := _reaches_past(path.read_text(encoding="utf-8"), _owner(path), surfaces))
    }
    assert offenders == {}, "import from the package's __init__ (add the name to its __all__ if it is public)"


def test_the_check_sees_a_reach_past_init() -> None:
    """The rule itself: a private module, or a name the package does not declare, is caught; the surface is not,
    and a package may import its own modules."""
    surfaces = {"upload": {"load_upload"}}
    source = (
        "from finance.upload.load import load_upload\n"
        "from finance.upload import demo\n"
        "from finance.upload import load_upload\n"
        "import finance.upload.display\n"
    )
    assert _reaches_past(source, None, surfaces) == [
        "line 1: finance.upload.load",
        "line 2: finance.upload.demo (not in its __all__)",
        "line 4: finance.upload.display",
    ]
    assert _reaches_past(source, "upload", surfaces) == []
