"""The CLI's lazy command registry: `--help` lists every command every module registers, with its own help line,
and running one command imports only its module (no pandas, PDF or spreadsheet library for `--help` or `check`)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest

from finance.cli import COMMAND_MODULES, COMMANDS, build_parser, main
from finance.store import Store

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("pandas", "fpdf", "openpyxl", "plotly")


def _registered(module: str) -> dict[str, str]:
    sub = argparse.ArgumentParser().add_subparsers()
    import_module(module).register(sub, argparse.ArgumentParser(add_help=False))
    return {action.dest: str(action.help) for action in sub._choices_actions}


@pytest.mark.parametrize("module", COMMAND_MODULES)
def test_every_command_a_module_registers_is_listed_with_its_help(module: str) -> None:
    listed = {name: help_line for name, (owner, help_line) in COMMANDS.items() if owner == module}
    assert _registered(module) == listed


def test_every_listed_command_belongs_to_a_command_module() -> None:
    assert {owner for owner, _help in COMMANDS.values()} == set(COMMAND_MODULES)


def test_help_lists_every_command_and_its_help_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "finance", "--help"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    flat = " ".join(done.stdout.split())
    for name, (_module, help_line) in COMMANDS.items():
        assert f"{name} {' '.join(help_line.split())}" in flat


def test_a_commands_own_help_and_options_come_from_its_module(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser("check").parse_args(["check", "--help"])
    assert "--deep" in capsys.readouterr().out
    args = build_parser("check").parse_args(["check", "--deep", "--json"])
    assert args.deep and args.json and callable(args.run)


def _modules_after(code: str) -> list[str]:
    probe = f"import sys\n{code}\nprint(__import__('json').dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_help_imports_no_heavy_library() -> None:
    code = "from finance.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    assert _modules_after(code) == []


def test_check_runs_without_pandas_or_the_pack(tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    Store.open(str(db)).close()  # an existing database, as `check` is run on (creating one binds dates via pandas)
    code = f"from finance.cli import main\nprint(main(['--db', {str(db)!r}, 'check', '--json']))"
    assert _modules_after(code) == []


def test_check_still_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "cli.duckdb"
    Store.open(str(db)).close()
    assert main(["--db", str(db), "check", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True


def test_full_parser_still_registers_every_module() -> None:
    parser = build_parser()
    args = parser.parse_args(["check"])
    assert args.command == "check" and callable(args.run)
