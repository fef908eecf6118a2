"""What a CLI command gets: its parsed arguments, the database (opened only if used) and output helpers."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from typing import TYPE_CHECKING, Any

from finance import config
from finance.errors import InputError

if TYPE_CHECKING:
    from finance.store import Store


class Context:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._store: Store | None = None

    @property
    def db_path(self) -> str:
        return config.db_path(getattr(self.args, "db", None))

    def store(self) -> Store:
        """The database, opened (and its schema brought up to date) on first use.

        The command acts as a deployment administrator (no actor bound) unless `--user` names a user while a team
        config file is set (`HEADROOM_CONFIG`): that user's access (their role and authorities there) then applies
        to every read and write of the command, refused and audited like the app's. Without a config file the one
        local user is the administrator, as in the app's local mode, and `--user` is only the name recorded.
        """
        if self._store is None:
            # imported here, not at the top: DuckDB and pandas are half a second of every command's start-up
            from finance import auth
            from finance.auth import TeamConfig
            from finance.store import Store

            store = Store.open(self.db_path)
            named = (getattr(self.args, "user", None) or "").strip()
            try:
                team = auth.load_config()
                if named and team.source != TeamConfig().source:
                    store.bind(auth.actor_for(team, named, "cli"))
            except BaseException:
                store.close()
                raise
            self._store = store
        return self._store

    @property
    def user(self) -> str:
        """Who is acting, for the audit log: `--user`, else the operating-system user (never a generic name)."""
        given = (getattr(self.args, "user", None) or "").strip()
        if given:
            return given
        try:
            return getpass.getuser()
        except (KeyError, OSError):  # no name for this uid (a container): the uid itself
            return f"uid {os.getuid()}"

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    def emit(self, data: Any, text: str) -> None:
        """Print `data` as JSON with --json, else `text` for people."""
        if self.json:
            print(json.dumps(data, indent=2, default=str, allow_nan=False))  # NaN is not JSON
        else:
            print(text)

    def info(self, text: str) -> None:
        """Progress for people; kept off stdout so --json output stays parseable."""
        print(text, file=sys.stderr)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def period_option(text: str | None) -> int | None:
    """`--period` as given (P1..P12 or 1..12, April = P1) → 1..12; None when absent; InputError otherwise."""
    if text is None:
        return None
    from finance.workbook import parse_period  # the workbook package imports openpyxl: only when a period is given

    period = parse_period(text)
    if period is None:
        raise InputError.single("--period", "must be P1..P12 or 1..12 (April = P1)", text)
    return period
