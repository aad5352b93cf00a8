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


def counted_for(tr, var_node, start_node, stop_node, step_node) -> str:
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
    init = f"{symbol.type.cpp} {var} = {start.code}" if symbol.loop_local else f"{var} = {start.code}"
    step = 1 if step_node is None else const_int(step_node, tr.scope)
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
