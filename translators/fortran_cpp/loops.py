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


def flat_index(counters: list[str], extents: list[Linear]) -> str:
    """Offset of a counter tuple in a dense column-major temporary of the given extents."""
    text = counters[0]
    stride: list[str] = []
    for dim in range(1, len(counters)):
        stride.append(extents[dim - 1].render(wrap=True))
        text += f" + {counters[dim]} * {' * '.join(stride)}"
    return text


def counted_for(tr, var_node, start_node, stop_node, step_node, body=None) -> str:
    """`for (...) {` of a counted Fortran do loop over var (declared in the for when loop-local)."""
    from .declarations import const_int
    from .errors import UnsupportedConstruct
    from .expressions import COND, wrap
    name = str(var_node).lower()
    symbol = tr.symbol(name)
    if not symbol.type.is_int:
        raise UnsupportedConstruct("real do variable", f"do variable '{name}' is not an integer")
    start = tr.scalar(start_node)
    stop = tr.scalar(stop_node)
    var = symbol.cname
    if body and _changed_in(stop_node, body):
        # Fortran fixes the trip count on entry; the bound must not follow later changes.
        last = tr.ctx.fresh(f"{var}_end")
        tr.ctx.pre.append(f"const {stop.type.cpp} {last} = {stop.code};")
        stop = type(stop)(last, stop.type)
    init = f"{symbol.type.cpp} {var} = {start.code}" if symbol.loop_local else f"{var} = {start.code}"
    step = 1 if step_node is None else const_int(step_node, tr.scope)
    if step == 1 and symbol.loop_local and start.type.is_int and stop.type.is_int:
        from .idioms import only_addresses_arrays, zero_based_for
        if only_addresses_arrays(tr, name, body):
            header = zero_based_for(tr, symbol, tr.linear(start_node), stop.code)
            symbol.zero_based = True  # until the loop's body is translated (statements._loop)
            return header
    if step == 1:
        return f"for ({init}; {var} <= {stop.code}; ++{var}) {{"
    if step == -1:
        return f"for ({init}; {var} >= {stop.code}; --{var}) {{"
    if step is not None and step > 0:
        return f"for ({init}; {var} <= {stop.code}; {var} += {step}) {{"
    if step is not None and step < 0:
        return f"for ({init}; {var} >= {stop.code}; {var} -= {-step}) {{"
    increment = tr.scalar(step_node)
    inc = wrap(increment, COND + 1)
    return f"for ({init}; {inc} > 0 ? {var} <= {stop.code} : {var} >= {stop.code}; {var} += {increment.code}) {{"


def _changed_in(expression, body) -> bool:
    """Whether the loop body assigns (or passes to a call, or loops over) a name the expression reads."""
    from fparser.two import Fortran2003 as F
    from fparser.two.utils import walk
    read = {str(n).lower() for n in walk([expression], F.Name)}
    if not read:
        return False
    written = set()
    for node in walk(body, (F.Assignment_Stmt, F.Call_Stmt, F.Loop_Control)):
        if isinstance(node, F.Assignment_Stmt):
            target = node.items[0]
            written.add(str(target.items[0] if isinstance(target, F.Part_Ref) else target).lower())
        elif isinstance(node, F.Call_Stmt) and node.items[1] is not None:
            # only a variable passed as a whole can be written by the callee, not one inside an expression
            for arg in node.items[1].items:
                value = arg.items[1] if isinstance(arg, F.Actual_Arg_Spec) else arg
                if isinstance(value, F.Name):
                    written.add(str(value).lower())
                elif isinstance(value, F.Part_Ref):
                    written.add(str(value.items[0]).lower())
        elif len(node.items) > 1 and isinstance(node.items[1], tuple):
            written.add(str(node.items[1][0]).lower())
    return bool(read & written)
