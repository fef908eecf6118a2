"""How deeply a scenario document nests tables and lists, measured without recursion.

A scenario needs three levels (`[uncertainty]` → an assumption → `{ low, mode, high }`); a file nesting hundreds
deep is refused by key before the checks (which recurse when they show a value) see it.
"""

from __future__ import annotations

from finance.scenarios.spec import MAX_DEPTH


def too_deep(data: object) -> str | None:
    """The key of the first value nested more than `MAX_DEPTH` tables or lists deep, or None."""
    stack: list[tuple[object, str, int]] = [(data, "", 0)]
    while stack:
        value, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            return where
        if isinstance(value, dict):
            stack.extend((v, f"{where}.{k}" if where else str(k), depth + 1) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, f"{where}[{i}]", depth + 1) for i, v in enumerate(value))
    return None
