"""Array views: whole arrays, elements and sections mapped onto flat column-major storage.

A Fortran reference such as `a(2:n, j)` becomes a view with one range subscript and one
fixed subscript.  Walking the view with a counter per range yields flat C++ offsets
(`a[k + 1 + (j - 1) * m]`), which is how whole-array assignments, sections and
reductions are all translated.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import UnsupportedConstruct
from .linear import Linear
from .symbols import Symbol


@dataclass
class Subscript:
    index: Linear | None = None  # a fixed (scalar) subscript
    start: Linear | None = None  # a range: first index, stride, number of elements
    stride: int = 1
    count: Linear | None = None
    gather: "ArrayView | None" = None  # a vector subscript x(idx): the index array's view


    @property
    def is_range(self) -> bool:
        return self.index is None


@dataclass
class ArrayView:
    symbol: Symbol
    subscripts: list[Subscript]
    lowers: list[Linear]
    extents: list[Linear | None]
    whole: bool = False

    @property
    def rank(self) -> int:
        return sum(1 for s in self.subscripts if s.is_range)

    @property
    def shape(self) -> list[Linear]:
        return [s.count for s in self.subscripts if s.is_range]

    def contiguous_prefix(self) -> bool:
        """The view is one contiguous run of memory (usable as a pointer to its first element)."""
        seen_partial = False
        for position, sub in enumerate(self.subscripts):
            if sub.gather is not None:
                return False
            if sub.is_range:
                if seen_partial or sub.stride != 1:
                    return False
                full = sub.start is not None and _same(sub.start, self.lowers[position]) and \
                    sub.count is not None and self.extents[position] is not None and \
                    _same(sub.count, self.extents[position])
                if not full:
                    seen_partial = True
            else:
                seen_partial = True
        return True

    def first_offset(self) -> str:
        return self.offset([Linear.constant(0)] * self.rank)

    def element(self, counters: list[str]) -> str:
        return f"{self.symbol.cname}[{self.offset([Linear.of(c) for c in counters])}]"

    def offset(self, counters: list[Linear]) -> str:
        indices: list[Linear] = []
        position = 0
        for sub in self.subscripts:
            if sub.gather is not None:
                indices.append(Linear.of(f"{sub.gather.symbol.cname}[{sub.gather.offset([counters[position]])}]"))
                position += 1
            elif sub.is_range:
                indices.append(sub.start + counters[position].scale(sub.stride))
                position += 1
            else:
                indices.append(sub.index)
        return flat_offset(indices, self.lowers, self.extents, self.symbol.name)


def flat_offset(indices: list[Linear], lowers: list[Linear], extents: list[Linear | None], name: str) -> str:
    """Column-major offset of a Fortran index tuple: sum of (i_d - lb_d) * prod(extents before d)."""
    parts: list[str] = []
    stride: list[str] = []
    for dim, (index, lower) in enumerate(zip(indices, lowers)):
        term = index - lower
        if dim == 0:
            if not (term.is_constant() and term.const == 0) or len(indices) == 1:
                parts.append(term.render())
        else:
            if not (term.is_constant() and term.const == 0):
                factor = " * ".join(stride)
                if term.is_constant() and term.const == 1:
                    parts.append(factor)
                else:
                    parts.append(f"{term.render(wrap=True)} * {factor}")
        extent = extents[dim]
        if dim < len(indices) - 1:
            if extent is None:
                raise UnsupportedConstruct("assumed-size array", f"'{name}' has an unknown extent in dimension {dim + 1}")
            stride.append(extent.render(wrap=True))
    if not parts:
        return "0"
    text = parts[0]
    for part in parts[1:]:
        text += f" - {part[1:]}" if part.startswith("-") else f" + {part}"
    return text


def _same(a: Linear, b: Linear) -> bool:
    return a.terms == b.terms and a.const == b.const
