"""Errors a user can cause, carrying words they can act on.

Anything a user gives Headroom (a file, a form, a scenario, a command-line argument) is validated in `finance`;
when it is wrong the code raises one of these, and the UI or CLI shows `str(error)` once, never a traceback.
Anything else that escapes is a bug and is logged as one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


class HeadroomError(Exception):
    """Base for errors with a user-facing message; `title` is a short heading for the UI."""

    title = "Something is wrong with the input"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, and where it is.

    `where` names the place as the user would find it: a file name, `Revenue!D14`, a TOML key, a CLI option.
    `value` is the offending value as text (empty when the problem is an absence).
    """

    where: str
    message: str
    value: str = ""

    def __str__(self) -> str:
        shown = f' "{self.value}"' if self.value else ""
        return f"{self.where}{shown}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        return {"where": self.where, "value": self.value, "message": self.message}


class InputError(HeadroomError):
    """The input was refused; nothing was changed. Holds every problem found, not just the first."""

    title = "The input was refused"

    def __init__(self, problems: Sequence[Problem] | Problem, *, summary: str = "") -> None:
        self.problems: tuple[Problem, ...] = (problems,) if isinstance(problems, Problem) else tuple(problems)
        if not self.problems:
            raise ValueError("InputError needs at least one problem")
        head = summary or ("1 problem found" if len(self.problems) == 1 else f"{len(self.problems)} problems found")
        lines = [str(p) for p in self.problems[:20]]
        if len(self.problems) > 20:
            lines.append(f"… and {len(self.problems) - 20} more")
        super().__init__(head + ":\n" + "\n".join(f"- {line}" for line in lines))
        self.summary = head

    @classmethod
    def single(cls, where: str, message: str, value: str = "") -> InputError:
        return cls(Problem(where, message, value))


class NotFoundError(HeadroomError):
    """A thing the user named (an authority, a year, an upload) is not in the database."""

    title = "Not found"


class NotPermittedError(HeadroomError):
    """The user's role does not allow this action."""

    title = "Not allowed"


def problems_or_none(problems: Iterable[Problem]) -> None:
    """Raise `InputError` if `problems` holds anything."""
    found = list(problems)
    if found:
        raise InputError(found)
