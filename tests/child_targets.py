"""Functions the sandbox tests run in a child process: each ends the way a misbehaving parser might."""

from __future__ import annotations

import io
import os
import time
from typing import Any

from finance.errors import InputError, Problem


def echo(value: Any) -> Any:
    return value


def refuse() -> None:
    raise InputError([Problem("Revenue!D14", "must be a number", "tbc"), Problem("Revenue!A2", "is required")])


def abort() -> None:
    os.abort()


def allocate(gib: int) -> int:
    return len(bytearray(gib * 2**30))


def spin() -> None:
    while True:
        time.sleep(0.01)


def calamine_sheet(data: bytes, title: str) -> int:
    """What the reader did before sheets were measured: ask calamine for the whole sheet."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return len(book.get_sheet_by_name(title).to_python(skip_empty_area=False))


class _Runs:
    def __reduce__(self) -> tuple[Any, ...]:
        return (os.getcwd, ())


def smuggle() -> Any:
    """An answer whose pickle would call a function when loaded: the parent must refuse to load it."""
    return _Runs()


def burn() -> None:
    """Processor time without end: only RLIMIT_CPU stops it before the wall clock does."""
    n = 0
    while True:
        n += 1
