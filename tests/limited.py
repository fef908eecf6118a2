"""Run test cases that feed hostile input to the code in a separate process under memory and time limits.

A regression that makes a parser abort, allocate hundreds of gigabytes or loop forever must fail its test, not end
the test runner (or the CI machine). `LimitedWorker` keeps one `python -m finance.sandbox --serve` process (address
space capped) and gives each call a wall-time limit; a call that kills the process or runs out of time raises
`ChildFailedError` saying how, and the next call starts a fresh process.
"""

from __future__ import annotations

import os
import pickle
import select
import subprocess
import sys
import time
from typing import Any

from finance.sandbox import PROJECT_ROOT, ChildFailedError, ChildLimits, decode_answer, how_it_ended


class LimitedWorker:
    def __init__(self, memory_bytes: int = 3 * 2**30, seconds: float = 60.0) -> None:
        self.limits = ChildLimits(memory_bytes, seconds)
        self._proc: subprocess.Popen[bytes] | None = None

    def _start(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._proc.poll() is not None:
            env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "finance.sandbox", "--serve", str(self.limits.memory_bytes)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=PROJECT_ROOT, env=env,
            )  # fmt: skip
        return self._proc

    def call(self, target: str, *args: Any) -> Any:
        """`target(*args)` ("module:function") in the worker: its value, or its `InputError` raised here."""
        proc = self._start()
        assert proc.stdin is not None and proc.stdout is not None
        request = pickle.dumps((target, args))
        try:
            proc.stdin.write(len(request).to_bytes(8, "big") + request)
            proc.stdin.flush()
        except BrokenPipeError:
            raise ChildFailedError(how_it_ended(proc.wait(), self.limits)) from None
        deadline = time.monotonic() + self.limits.seconds
        ready, _, _ = select.select([proc.stdout], [], [], self.limits.seconds)
        header = proc.stdout.read(8) if ready else b""
        if len(header) < 8:
            self._kill()
            if time.monotonic() >= deadline:
                raise ChildFailedError(f"took longer than {self.limits.seconds:.0f} seconds")
            raise ChildFailedError(how_it_ended(proc.returncode, self.limits))
        answer = proc.stdout.read(int.from_bytes(header, "big"))
        return decode_answer(answer, target, self.limits)

    def _kill(self) -> None:
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.kill()
            self._proc.wait()

    def close(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            assert self._proc.stdin is not None
            self._proc.stdin.close()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._kill()
