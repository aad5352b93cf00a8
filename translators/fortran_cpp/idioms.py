"""What makes translated legacy loops read like hand-written C++: 0-based loop counters
where a counter only addresses arrays, and a column-major accessor for 2-D/3-D arrays
(`A(i, j)` instead of `a[i - 1 + (j - 1) * lda]`)."""

from __future__ import annotations

from fparser.two import Fortran2003 as F
from fparser.two.utils import walk

from .linear import Linear

_ACCESSOR_INDICES = ("i", "j", "k")


def only_addresses_arrays(tr, name: str, body) -> bool:
    """Whether every reference to `name` in the loop body is inside a subscript of an array
    element (so the counter can run from 0 and the subscripts lose their `- 1`)."""
    if not body:
        return False
    everywhere = {id(n) for n in walk(body, F.Name) if n.string.lower() == name}
    if not everywhere:
        return False
    in_subscripts: set[int] = set()
    for ref in walk(body, F.Part_Ref):
        symbol = tr.scope.lookup(str(ref.items[0]).lower())
        if symbol is None or not symbol.is_array:
            continue
        for sub in ref.items[1].items:
            if isinstance(sub, F.Subscript_Triplet):
                return False  # a section's bounds: keep the Fortran counter
            nodes = [sub] if isinstance(sub, F.Name) else list(walk(sub, F.Name))
            in_subscripts |= {id(n) for n in nodes if n.string.lower() == name}
    return everywhere <= in_subscripts


def zero_based_for(tr, symbol, start, stop_code: str) -> str:
    """for (int i = start - 1; i < stop; ++i): the counter is the Fortran index minus one."""
    first = (start - Linear.constant(1)).render()
    return f"for ({symbol.type.cpp} {symbol.cname} = {first}; {symbol.cname} < {stop_code}; ++{symbol.cname}) {{"


def accessor_call(tr, symbol, indices: list[Linear]) -> str | None:
    """A(i0, j0) through the unit's accessor of a 2-D/3-D array, or None when it has none."""
    name = _accessor_name(tr, symbol)
    if name is None:
        return None
    lowers = tr.lowers(symbol)
    return f"{name}({', '.join((index - lower).render() for index, lower in zip(indices, lowers))})"


def _accessor_name(tr, symbol) -> str | None:
    ctx = tr.ctx
    known = ctx.accessors.get(symbol.name)
    if known is not None:
        return known[0]
    if not 2 <= symbol.rank <= 3 or symbol.assumed_shape or symbol.allocatable or symbol.known_extents is not None \
            or symbol.module_level or symbol.common is not None:
        return None
    extents = tr.extents(symbol)
    if any(extent is None for extent in extents[:-1]):
        return None
    for dim in symbol.dims:
        for bound in (dim.lower, dim.upper):
            for node in ([bound] if isinstance(bound, F.Name) else list(walk(bound, F.Name)) if bound is not None else []):
                found = tr.scope.lookup(node.string.lower())
                if found is None or not (found.is_arg or found.parameter):
                    return None  # an extent held in a local: it may be declared after the accessor
    name = symbol.cname.upper()
    if name in ctx.taken:
        return None
    ctx.taken.add(name)
    params = list(_ACCESSOR_INDICES[:symbol.rank])
    text_of_extents = " ".join(e.render() for e in extents[:-1])
    params = [p if p not in text_of_extents.split() else f"{p}_" for p in params]
    offset = _offset_text(params, extents)
    const = "const " if symbol.read_only else ""
    ctype = symbol.type.cpp
    definition = (f"auto {name} = [&]({', '.join(f'int {p}' for p in params)}) -> {const}{ctype}& "
                  f"{{ return {symbol.cname}[{offset}]; }};")
    ctx.accessors[symbol.name] = (name, definition)
    return name


def _offset_text(params: list[str], extents: list[Linear]) -> str:
    text = params[0]
    stride: list[str] = []
    for dim in range(1, len(params)):
        stride.append(extents[dim - 1].render(wrap=True))
        text += f" + {params[dim]} * {' * '.join(stride)}"
    return text


def accessor_definitions(ctx) -> list[str]:
    return [definition for _, definition in ctx.accessors.values()]


def mark_first_use_declarations(procedure, statements, has_lambdas: bool) -> None:
    """Locals whose first reference is a plain assignment at the top level of the body are
    declared there (`int info = 0;`) instead of at the top, zero-initialised.  Not done where
    a jump (GO TO) could skip the declaration, where a lambda or an OpenMP clause could name
    the variable before it, or when the variable is read before or by that assignment."""
    if has_lambdas or any(True for _ in walk(statements, (F.Goto_Stmt, F.Computed_Goto_Stmt))):
        return
    if any(str(c).lstrip().lower().startswith("!$") for c in walk(procedure.node, F.Comment)):
        return
    scope = procedure.scope
    seen: set[str] = set()
    for symbol in scope.symbols.values():  # names read by declarations (bounds, initial values)
        for part in [symbol.init] + [b for d in symbol.dims or [] for b in (d.lower, d.upper)]:
            if part is not None:
                seen |= {n.string.lower() for n in ([part] if isinstance(part, F.Name) else walk(part, F.Name))}
    for statement in statements:
        if isinstance(statement, F.Comment):
            continue
        if isinstance(statement, F.Assignment_Stmt) and isinstance(statement.items[0], F.Name):
            name = statement.items[0].string.lower()
            symbol = scope.symbols.get(name)
            read = {n.string.lower() for n in walk([statement.items[2]], F.Name)} | (
                {statement.items[2].string.lower()} if isinstance(statement.items[2], F.Name) else set())
            if symbol is not None and name not in seen and name not in read and _plain_local(symbol) \
                    and getattr(getattr(statement, "item", None), "label", None) is None:
                symbol.declare_at = id(statement)
        seen |= {n.string.lower() for n in walk([statement], F.Name)}


def _plain_local(symbol) -> bool:
    return not (symbol.is_arg or symbol.is_array or symbol.parameter or symbol.save or symbol.module_level
                or symbol.common is not None or symbol.is_result or symbol.loop_local or symbol.external
                or symbol.statement_function is not None or symbol.init is not None) \
        and symbol.type.base in ("integer", "real", "logical", "complex")
