"""Size parameters of other integer types than `int` (`long`, `unsigned`, `size_t`): the
workload's extents are int32, so such a size is read as an int where that is exact, its emitted
entry checks the precondition at run time, and what would wrap around is refused."""

from __future__ import annotations

import re

from .errors import Unliftable
from .ir import extent_words


def int_of_long(extent) -> bool:
    """An extent read as an int from a wider or unsigned integer size (`i < n` with a `size_t n`)."""
    from .ir import Cast, is_float

    return isinstance(extent, Cast) and extent.dtype == "int32" and not is_float(extent.a.dtype) and \
        extent.a.dtype not in ("int32", "bool")


def check_size_types(lifted, host) -> None:
    """Extents and loop ranges are int32 in the workload. A `long`, `unsigned` or `size_t` size that
    bounds an index (`i < n`, `k < cols`) is read as an int, exact while the bound fits an int (the
    emitted header says so); a difference in unsigned arithmetic (`i < n - m`), which wraps around to
    a huge bound for small sizes, and such sizes anywhere else in a range are refused."""
    from .ir import symbols

    used, wrapping = set(), {}
    for extent in lifted.extents.values():
        if int_of_long(extent):  # a long size bounding an int index is read as an int (the guard's cast)
            wrapping.update({name: extent for name in _unsigned_differences(extent.a)})
        else:
            used |= symbols(extent, ("param",))
    for stage in lifted.stages:
        for _, lo, hi in [(stage.reduce, stage.lo, stage.hi), *stage.inner] if stage.reduce else []:
            if int_of_long(hi):
                wrapping.update({name: hi for name in _unsigned_differences(hi.a)})
            else:
                used |= symbols(hi, ("param",))
            used |= symbols(lo, ("param",))
    for param in host.params:
        if param.name in wrapping:
            bound = extent_words(wrapping[param.name].a).replace(" + -1*", " - ")
            raise Unliftable("unsigned difference", param.line,
                             f"a bound '{bound}' subtracts in unsigned arithmetic ('{param.name}' is "
                             f"{param.type_text}), where it wraps around below zero; not lifted (compute the bound "
                             "in a signed type)")
        if param.name in used and param.dtype != "int32":
            raise Unliftable(f"parameter {param.name}", param.line,
                             f"size parameter '{param.name}' is {param.type_text} and is used in a loop range other "
                             "than as its bound (`i < n`); only int sizes are lifted there")


def _unsigned_differences(e) -> set:
    """Parameters under a subtraction or negation computed in an unsigned type."""
    from .ir import Bin, Neg, children, symbols

    found = set()
    if isinstance(e, (Bin, Neg)) and e.dtype.startswith("uint") and (isinstance(e, Neg) or e.op == "-"):
        found |= symbols(e, ("param",))
    for child in children(e):
        found |= _unsigned_differences(child)
    return found


def narrowed_sizes(lifted, host) -> list:
    """The `long`/`unsigned`/`size_t` size parameters (signature Params) the workload reads as int extents."""
    from .ir import symbols

    bounds = list(lifted.extents.values())
    for stage in lifted.stages:
        bounds += [hi for _, _, hi in [(stage.reduce, stage.lo, stage.hi), *stage.inner]] if stage.reduce else []
    names = set()
    for bound in bounds:
        if int_of_long(bound):
            names |= symbols(bound, ("param",))
    return [p for p in host.params if p.name in names and p.dtype != "int32"]


def size_check(code: str, host, narrowed: list) -> str:
    """The entry first checks the header's precondition: a size read as an int extent that does not
    fit an int stops it with a message instead of computing a wrong result."""
    if not narrowed:
        return code
    test = " || ".join(f"{p.name} > 2147483647" for p in narrowed)
    names = ", ".join(p.name for p in narrowed)
    lines = code.split("\n")
    definition = re.compile(rf'^(extern "C" )?void {re.escape(host.name)}\(.*\) \{{$')
    at = next(k for k, line in enumerate(lines) if definition.match(line))
    lines[at + 1:at + 1] = [
        f"    if ({test}) {{  // read as int extents (see the header)",
        f'        std::fprintf(stderr, "{host.name}: {names} must be at most 2147483647 for this CPU equivalent\\n");',
        "        std::abort();",
        "    }"]
    return "\n".join(lines)
