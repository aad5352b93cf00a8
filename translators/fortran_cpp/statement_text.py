"""Small text helpers shared by the statement translators."""

from __future__ import annotations

INDENT = "    "


def implied_control(control):
    items = control.items
    if isinstance(items[1], (list, tuple)):
        bounds = items[1]
        return items[0], bounds[0], bounds[1], bounds[2] if len(bounds) > 2 else None
    return items[0], items[1], items[2], items[3] if len(items) > 3 else None


def first_line(node) -> str:
    return str(node).splitlines()[0] if str(node) else type(node).__name__
