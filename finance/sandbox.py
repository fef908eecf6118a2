"""Run one parse of untrusted bytes in a child process, under memory and time limits.

A spreadsheet library can fail in ways no check foresees: a Rust panic, an allocation of hundreds of gigabytes that
aborts the process, a loop that never ends. In the app such a failure would end the Streamlit server for every
user. Here the parse runs in a fresh Python process whose address space (RLIMIT_AS) and CPU time (RLIMIT_CPU) are
capped and whose wall time the parent enforces; if the child dies, runs out of memory or time, the caller gets
`ChildFailedError` and refuses the file, and the server carries on. Where the platform has no resource limits (Windows)
the child still isolates a crash.

The child is started with `python -m finance.sandbox` and imports only the module that holds the function, so it
costs the interpreter start and that module's imports (measured in benchmarks/upload_isolation.py). Its answer
comes back as a pickle that only finance's own classes and plain values may appear in.
"""

from __future__ import annotations

import importlib
import io
import logging
import os
import pickle
import signal
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from finance.errors import InputError

PROJECT_ROOT = Path(__file__).resolve().parents[1]
_GRACE_SECONDS = 5.0  # interpreter start and imports, on top of the parse's own allowance
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChildLimits:
    """The child's address space in bytes (libraries included) and its CPU time in seconds.

    Its wall time is allowed `wall_factor` times that (and a few seconds to start): on a busy server a parse waits
    for a core, and a file must not be refused for that; a child that uses no CPU and never ends is still stopped.
    """

    memory_bytes: int
    seconds: float
    wall_factor: float = 3.0

    @property
    def wall_seconds(self) -> float:
        return self.seconds * self.wall_factor + _GRACE_SECONDS


class ChildFailedError(Exception):
    """The child ended without an answer; `reason` says how, in words for a refusal message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def run_in_child(target: str, args: tuple[Any, ...], limits: ChildLimits) -> Any:
    """`module:function(*args)` run in a child process; its result, or its `InputError` raised here.

    Raises `ChildFailedError` when the child crashes, is killed, exceeds `limits` or fails with any other exception
    (whose traceback is logged: it may be a bug rather than a bad file).
    """
    payload = pickle.dumps((target, args, limits.memory_bytes, limits.seconds), protocol=pickle.HIGHEST_PROTOCOL)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "finance.sandbox"],
            input=payload,
            capture_output=True,
            timeout=limits.wall_seconds,
            cwd=PROJECT_ROOT,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ChildFailedError(f"took longer than {limits.wall_seconds:.0f} seconds") from None
    if done.returncode != 0 or not done.stdout:
        if done.stderr:
            log.warning("parse child for %s ended with %s:\n%s", target, done.returncode, done.stderr[-4000:].decode())
        raise ChildFailedError(how_it_ended(done.returncode, limits))
    return decode_answer(done.stdout, target, limits)


def decode_answer(answer: bytes, target: str, limits: ChildLimits) -> Any:
    """The value a child answered, or its `InputError` raised here, or `ChildFailedError` when it failed."""
    kind, value = _SafeUnpickler(io.BytesIO(answer)).load()
    if kind == "ok":
        return value
    if kind == "refused":
        problems, summary = value
        raise InputError(problems, summary=summary)
    if kind == "memory":
        raise ChildFailedError(f"needed more than {limits.memory_bytes / 2**30:.1f} GB of memory")
    log.warning("parse child for %s failed:\n%s", target, value)
    raise ChildFailedError("failed while reading it")


def how_it_ended(returncode: int, limits: ChildLimits) -> str:
    if returncode in (-signal.SIGKILL, -getattr(signal, "SIGXCPU", signal.SIGKILL)):
        return f"was stopped after using its {limits.seconds:.0f} seconds of processor time or its memory"
    if returncode in (-signal.SIGABRT, 134):
        return "stopped abruptly (it asked for more memory than is allowed)"
    if returncode < 0:
        return f"stopped abruptly (signal {-returncode})"
    return f"stopped abruptly (exit status {returncode})"


class _SafeUnpickler(pickle.Unpickler):
    """Only classes from finance, plain containers, dates and decimals: the child read hostile bytes."""

    _PLAIN = frozenset(
        {
            ("builtins", "set"),
            ("builtins", "frozenset"),
            ("builtins", "slice"),
            ("datetime", "datetime"),
            ("datetime", "date"),
            ("datetime", "time"),
            ("datetime", "timedelta"),
            ("decimal", "Decimal"),
            ("copyreg", "_reconstructor"),
            ("builtins", "object"),
        }
    )

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self._PLAIN:
            return super().find_class(module, name)
        if module.startswith("finance.") and "." not in name:
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        raise pickle.UnpicklingError(f"the parse child returned a {module}.{name}, which is not allowed")


def _limit_self(memory_bytes: int, seconds: float | None) -> None:
    try:
        import resource
    except ImportError:  # no resource limits on this platform: the child still isolates a crash
        return
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    if seconds is not None:
        cpu = int(seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def _answer(target: str, args: tuple[Any, ...]) -> bytes:
    """Run `target(*args)` and pickle what happened: ok, refused (InputError), out of memory, or failed."""
    result: tuple[str, Any]
    try:
        module, function = target.split(":")
        result = ("ok", getattr(importlib.import_module(module), function)(*args))
    except InputError as err:
        result = ("refused", (list(err.problems), err.summary))
    except MemoryError:
        result = ("memory", None)
    except BaseException:  # a library panic (pyo3's PanicException is a BaseException) or a bug: say which
        result = ("failed", traceback.format_exc()[-4000:])
    try:
        return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        return pickle.dumps(("memory", None))


def _child() -> None:
    target, args, memory_bytes, seconds = pickle.load(sys.stdin.buffer)
    _limit_self(memory_bytes, seconds)
    sys.stdout.buffer.write(_answer(target, args))
    sys.stdout.flush()


def _serve(memory_bytes: int) -> None:
    """Answer length-prefixed requests until stdin closes (tests run a corpus through one limited process, and
    start a new one when a case kills it); the caller enforces each request's wall time."""
    _limit_self(memory_bytes, None)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while header := stdin.read(8):
        target, args = pickle.loads(stdin.read(int.from_bytes(header, "big")))
        answer = _answer(target, args)
        stdout.write(len(answer).to_bytes(8, "big") + answer)
        stdout.flush()


__all__ = ["ChildFailedError", "ChildLimits", "decode_answer", "how_it_ended", "run_in_child"]

if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        _serve(int(sys.argv[2]))
    else:
        _child()
