"""Comparing a database before and after a refused attempt: nothing but the refusal's own audit row may differ."""

from __future__ import annotations

from typing import Any

Dump = dict[str, list[tuple[Any, ...]]]


def assert_only_refusals_added(before: Dump, after: Dump, *actions: str) -> None:
    """Every table is unchanged except `audit_log`, which gained exactly one row per expected refused action
    (`refused upload DEMO01`, …), in order."""
    assert {t: r for t, r in after.items() if t != "audit_log"} == {t: r for t, r in before.items() if t != "audit_log"}
    old = set(before.get("audit_log", []))
    added = sorted((r for r in after["audit_log"] if r not in old), key=lambda r: r[0])
    assert [r[5] for r in added] == list(actions)
