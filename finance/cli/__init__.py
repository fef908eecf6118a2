"""`python -m finance [--db PATH] COMMAND`: Headroom for scripts, schedulers and finance teams' automation.

Exit codes: 0 success; 2 bad input (the message names the file and the problem, no traceback; with `--json` the
problems are printed as JSON on stdout); 1 anything unexpected (set HEADROOM_DEBUG=1 for the traceback).
Each command lives in a module of this package with a `register(subparsers, common)` function; the list below
is the whole CLI.
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

__all__ = ["COMMAND_MODULES", "build_parser", "main"]

COMMAND_MODULES: tuple[str, ...] = (
    "finance.cli.benchmark",
    "finance.cli.capital",
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


def build_parser() -> argparse.ArgumentParser:
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
    for name in COMMAND_MODULES:
        import_module(name).register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
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
