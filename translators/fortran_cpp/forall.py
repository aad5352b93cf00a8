"""forall and do concurrent: nested for loops over the index triplets.

forall assigns as if every right-hand side were evaluated first; when an assignment reads
the array it writes, it reads a snapshot taken before the loops, which keeps that meaning
without having to prove the index sets disjoint.
"""

from __future__ import annotations

import dataclasses

from fparser.two import Fortran2003 as F
from fparser.two.utils import walk

from .errors import UnsupportedConstruct
from .loops import counted_for
from .symbols import Scope

INDENT = "    "


def triplet_loops(st, header) -> tuple[list[str], list[str], str | None]:
    """for-lines (first index innermost), their closing braces, and the mask condition."""
    triplets, mask = header.items[-2], header.items[-1]
    if len(header.items) > 2 and header.items[0] is not None:
        raise UnsupportedConstruct("forall", f"typed forall header '{header}'")
    opening, closing = [], []
    specs = list(triplets.items)
    for depth, spec in enumerate(reversed(specs)):
        var, low, high, step = spec.items
        opening.append(INDENT * depth + counted_for(st.tr, var, low, high, step))
        closing.insert(0, INDENT * depth + "}")
    condition = st.tr.scalar(mask).code if mask is not None else None
    return opening, closing, condition


def forall(st, header, statements) -> None:
    tr, ctx = st.tr, st.ctx
    for statement in statements:
        if not isinstance(statement, F.Assignment_Stmt):
            raise UnsupportedConstruct("forall", f"'{str(statement).splitlines()[0]}' inside forall (only assignments)")
    mask = header.items[-1]
    for statement in statements:
        lhs, _, rhs = statement.items
        if not isinstance(lhs, F.Part_Ref):
            raise UnsupportedConstruct("forall", f"forall assignment to '{lhs}'")
        target = tr.symbol(str(lhs.items[0]).lower())
        readers = [rhs] + ([mask] if mask is not None else [])
        reads_target = any(str(n).lower() == target.name for node in readers for n in walk([node], F.Name))
        lines: list[str] = []
        saved_scope = tr.scope
        if reads_target:
            snapshot = ctx.fresh(f"{target.name}_before")
            ctx.includes.add("vector")
            if target.storage == "pointer":
                size = tr.size(target).render(wrap=True)
                lines.append(f"const std::vector<{target.type.cpp}> {snapshot}({target.cname}, {target.cname} + {size});")
            else:
                lines.append(f"const auto {snapshot} = {target.cname};")
            shadow = Scope(parent=saved_scope)
            shadow.add(dataclasses.replace(target, cname=snapshot, is_arg=False, intent=None))
        try:
            element = tr.scalar(lhs).code
            if reads_target:
                tr.scope = shadow
            opening, closing, condition = triplet_loops(st, header)
            value = tr.scalar(rhs)
        finally:
            tr.scope = saved_scope
        from .assignment import converted
        body = f"{element} = {converted(tr, value, target.type)};"
        depth = len(opening)
        lines += opening
        if condition is not None:
            lines += [INDENT * depth + f"if ({condition}) {{", INDENT * (depth + 1) + body, INDENT * depth + "}"]
        else:
            lines.append(INDENT * depth + body)
        lines += closing
        st.flush_pre()
        st.emit_lines(lines)


def concurrent_header(st, header) -> tuple[list[str], list[str], str | None]:
    return triplet_loops(st, header)
