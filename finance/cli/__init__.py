"""`python -m finance [--db PATH] COMMAND`: Headroom for scripts, schedulers and finance teams' automation.

Exit codes: 0 success; 2 bad input (the message names the file and the problem, no traceback; with `--json` the
problems are printed as JSON on stdout); 1 anything unexpected (set HEADROOM_DEBUG=1 for the traceback).
Each command lives in a module of this package with a `register(subparsers, common)` function; the list below
is the whole CLI. Start-up is kept short: only the module of the command being run is imported (the others pull in
pandas, DuckDB, the PDF and spreadsheet libraries), and `--help` lists every command from `COMMANDS` without
importing any of them. A test checks that `COMMANDS` names each command every module registers, with its help line.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from importlib import import_module
from typing import Any

from finance import config, settings
from finance.cli.context import Context
from finance.errors import HeadroomError, InputError

__all__ = ["COMMANDS", "COMMAND_MODULES", "build_parser", "main"]

COMMAND_MODULES: tuple[str, ...] = (
    "finance.cli.benchmark",
    "finance.cli.capital",
    "finance.cli.collection",
    "finance.cli.demand",
    "finance.cli.indicators",
    "finance.cli.monitoring",
    "finance.cli.mtfs",
    "finance.cli.official",
    "finance.cli.overview",
    "finance.cli.pack",
    "finance.cli.scenario",
    "finance.cli.services",
    "finance.cli.targets",
    "finance.cli.trust",
)

# command -> (the module that registers it, its help line), in the order `--help` lists them
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("finance.cli.benchmark", "build the illustrative demo database"),
    "benchmark": ("finance.cli.benchmark", "rank a peer group on a reserves measure"),
    "capital": ("finance.cli.capital", "capital programme, prudential indicators, borrowing capacity"),
    "collection": (
        "finance.cli.collection",
        "income collection by stream, debt ageing, official receipts with peers",
    ),
    "demand": ("finance.cli.demand", "official demand (CLA, EHC plans, temporary accommodation) with peers"),
    "indicators": (
        "finance.cli.indicators",
        "resilience indicators for one authority and year, positioned among its peers",
    ),
    "import-borrowing": (
        "finance.cli.indicators",
        "import MHCLG's borrowing and investment live table (external borrowing and investments per authority at "
        "each quarter end; .xlsx or .ods)",
    ),
    "template": ("finance.cli.monitoring", "write the monthly monitoring workbook template"),
    "load": ("finance.cli.monitoring", "load a monthly monitoring workbook (.xlsx)"),
    "uploads": ("finance.cli.monitoring", "list monitoring uploads, newest first"),
    "withdraw": ("finance.cli.monitoring", "withdraw a monitoring upload (the previous one is current)"),
    "monitoring": ("finance.cli.monitoring", "the current monitoring lines per sheet, in £"),
    "mtfs": ("finance.cli.mtfs", "the approved MTFS of an authority by year (load it with `load`)"),
    "import-official": (
        "finance.cli.official",
        "import MHCLG RS/RSX/RO/RA returns and the ONS/DfE statistical-neighbour files (.xls .xlsx .ods .csv "
        "files, or folders of them), each recognised by its content",
    ),
    "fetch-official": (
        "finance.cli.official",
        "download the catalogued RS/RSX/RA releases from GOV.UK (and list those with no known address)",
    ),
    "overview": ("finance.cli.overview", "the overview cards (figure, basis, rating, rule)"),
    "pack": ("finance.cli.pack", "write the committee pack (PDF or Excel) for an authority, year and period"),
    "scenario": ("finance.cli.scenario", "run an MTFS scenario file: gap, savings and reserves per year"),
    "scenarios": ("finance.cli.scenario", "list the saved scenarios of an authority"),
    "services": ("finance.cli.services", "net current expenditure by service for one authority, with peers"),
    "targets": ("finance.cli.targets", "a council's targets: list, set, or the series a target may name"),
    "check": ("finance.cli.trust", "verify the database's invariants (exit 3 if any fail)"),
    "backup": ("finance.cli.trust", "write a consistent snapshot of the database into DIR"),
    "restore": (
        "finance.cli.trust",
        "verify a backup against its manifest, then replace the database with it",
    ),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The CLI's parser. With `command` (a name in `COMMANDS`), only that command's module is imported and its
    full parser registered, every other command being a help line; without it, every module is registered."""
    parser = argparse.ArgumentParser(
        prog="python -m finance",
        description="Headroom: council financial resilience data from the command line.",
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        help=f"database file, or a ducklake:postgres:… string (docs/RUNNING-AT-SCALE.md) "
        f"(default: ${config.ENV_DB}, else {config.DEFAULT_DB.relative_to(config.PROJECT_ROOT)})",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print machine-readable JSON")
    common.add_argument(
        "--user",
        metavar="NAME",
        help="who is acting (recorded; default: the operating-system user); with HEADROOM_CONFIG set, that user's "
        "access applies (default: the deployment administrator)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    if command is None:
        for name in COMMAND_MODULES:
            import_module(name).register(sub, common)
        return parser
    if command in COMMANDS:
        import_module(COMMANDS[command][0]).register(sub, common)
    for name, (_module, help_line) in COMMANDS.items():
        if name not in sub.choices:
            sub.add_parser(name, help=help_line)
    return parser


def _command_named(argv: Sequence[str] | None) -> str:
    """The command the arguments name ("" when none does), found without importing any command module."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--db")
    pre.add_argument("command", nargs="?", default="")
    known, _rest = pre.parse_known_args(argv)
    return str(known.command)


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser(_command_named(argv))
    args = parser.parse_args(argv)
    ctx = Context(args)
    try:
        result: int = args.run(ctx)
        return result
    except HeadroomError as err:
        _report_input_error(ctx, err)
        return 2
    except BrokenPipeError:
        # the reader went away (e.g. `… | head`): not an error; stop writing quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as err:  # the CLI's last line of defence: a bug, reported as one
        if settings.read().debug:
            traceback.print_exc()
        print(f"Unexpected error ({type(err).__name__}): {err}", file=sys.stderr)
        print("This is a bug in Headroom; set HEADROOM_DEBUG=1 for details.", file=sys.stderr)
        return 1
    finally:
        ctx.close()


def _report_input_error(ctx: Context, err: HeadroomError) -> None:
    if getattr(ctx.args, "json", False):
        payload: dict[str, Any] = {"error": err.title, "message": str(err)}
        if isinstance(err, InputError):
            payload["problems"] = [p.as_dict() for p in err.problems]
        print(json.dumps(payload, indent=2))
    print(f"{err.title}: {err}", file=sys.stderr)
