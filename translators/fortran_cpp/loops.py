"""Loop nests over 0-based counters, in column-major order (first counter innermost)."""

from __future__ import annotations

from .linear import Linear


def loop_nest(counters: list[str], extents: list[Linear]) -> tuple[list[str], list[str], int]:
    """Opening lines, closing lines and the indentation depth of the body."""
    opening, closing = [], []
    order = list(reversed(range(len(counters))))
    for depth, dim in enumerate(order):
        pad = "    " * depth
        opening.append(f"{pad}for (int {counters[dim]} = 0; {counters[dim]} < {extents[dim].render()}; ++{counters[dim]}) {{")
        closing.insert(0, f"{pad}}}")
    return opening, closing, len(order)
