"""matmul and transpose: loops that write a target view, and temporaries for use inside
larger expressions (`r = b - matmul(a, x)`)."""

from __future__ import annotations

from fparser.two import Fortran2003 as F

from .arrays import ArrayView
from .errors import UnsupportedConstruct
from .expressions import Elementwise, ExprTranslator
from .linear import Linear
from .loops import flat_index, loop_nest
from .symbols import Symbol
from .types import promote

INDENT = "    "


def _view(tr: ExprTranslator, node, what: str) -> ArrayView:
    if isinstance(node, F.Intrinsic_Function_Reference) and str(node.items[0]).lower() in ("matmul", "transpose"):
        return tr.temporary(node)  # matmul(transpose(a), a): the inner product first
    if isinstance(node, F.Parenthesis):
        return _view(tr, node.items[1], what)
    view = tr.view(node) if isinstance(node, (F.Name, F.Part_Ref)) else None
    if view is None:
        raise UnsupportedConstruct(what, f"{what} of '{node}': only arrays and array sections are translated")
    return view


DIM_REDUCTIONS = {"sum", "product", "maxval", "minval", "count", "any", "all"}


def dim_reduction(tr: ExprTranslator, node):
    """(array expression, dim, array shape) of sum(a, dim=k) on a rank >= 2 array, else None."""
    if not isinstance(node, F.Intrinsic_Function_Reference):
        return None
    name = str(node.items[0]).lower()
    if name not in DIM_REDUCTIONS or node.items[1] is None:
        return None
    from .declarations import const_int
    from .intrinsics import split_args
    kw = split_args(name, list(node.items[1].items))
    array = kw.get("array", kw.get("mask")) if name not in ("count", "any", "all") else kw.get("mask")
    if "dim" not in kw or array is None or tr.rank(array) < 2:
        return None
    if name not in ("count", "any", "all") and "mask" in kw:
        raise UnsupportedConstruct(name, f"{name} with both dim and mask '{node}'")
    dim = const_int(kw["dim"], tr.scope)
    shape = tr.shape(array)
    if dim is None or not 1 <= dim <= len(shape):
        raise UnsupportedConstruct(name, f"non-constant or invalid dim in '{node}'")
    return array, dim, shape


def reduction_result_type(tr, node, array):
    name = str(node.items[0]).lower()
    from .types import INTEGER, LOGICAL
    if name == "count":
        return INTEGER
    if name in ("any", "all"):
        return LOGICAL
    counters = [f"c{d}" for d in range(tr.rank(array))]
    return tr.expr(array, Elementwise(counters)).type


def dim_reduction_lines(tr: ExprTranslator, node, target) -> list[str]:
    """Loops computing sum(a, dim=k) (and kin) into target(counters of the result)."""
    ctx = tr.ctx
    name = str(node.items[0]).lower()
    array, dim, shape = dim_reduction(tr, node)
    ftype = reduction_result_type(tr, node, array)
    outer_shape = [extent for d, extent in enumerate(shape) if d != dim - 1]
    outer = [ctx.fresh("i" if len(outer_shape) == 1 else f"i{d + 1}") for d in range(len(outer_shape))]
    k, acc = ctx.fresh("k"), ctx.fresh(name)
    counters = list(outer)
    counters.insert(dim - 1, k)
    value = tr.expr(array, Elementwise(counters)).code
    init = {"sum": ftype.zero(), "product": ftype.one(), "count": "0", "any": "false", "all": "true",
            "maxval": f"std::numeric_limits<{ftype.cpp}>::lowest()",
            "minval": f"std::numeric_limits<{ftype.cpp}>::max()"}[name]
    update = {"sum": f"{acc} += {value};", "product": f"{acc} *= {value};",
              "maxval": f"{acc} = std::max({acc}, {value});", "minval": f"{acc} = std::min({acc}, {value});",
              "count": f"if ({value}) ++{acc};", "any": f"{acc} = {acc} || {value};",
              "all": f"{acc} = {acc} && {value};"}[name]
    if name in ("maxval", "minval"):
        ctx.includes.update({"algorithm", "limits"})
    opening, closing, depth = loop_nest(outer, outer_shape)
    pad = INDENT * depth
    body = [f"{pad}{ftype.cpp} {acc} = {init};",
            f"{pad}for (int {k} = 0; {k} < {shape[dim - 1].render()}; ++{k}) {{",
            f"{pad}{INDENT}{update}",
            f"{pad}}}",
            f"{pad}{target(outer)} = {acc};"]
    for used in outer + [k, acc]:
        ctx.release(used)
    return opening + body + closing


def matrix_operands(tr: ExprTranslator, node):
    """(operand views, result type, result shape) of a matmul or transpose reference."""
    from .intrinsics import positional
    name = str(node.items[0]).lower()
    args = positional(list(node.items[1].items))
    if name == "transpose":
        (a,) = [_view(tr, arg, name) for arg in args]
        if a.rank != 2:
            raise UnsupportedConstruct(name, f"transpose of a rank-{a.rank} array")
        return [a], a.symbol.type, [a.shape[1], a.shape[0]]
    a, b = [_view(tr, arg, name) for arg in args]
    ftype = promote(a.symbol.type, b.symbol.type)
    if a.rank == 2 and b.rank == 2:
        return [a, b], ftype, [a.shape[0], b.shape[1]]
    if a.rank == 2 and b.rank == 1:
        return [a, b], ftype, [a.shape[0]]
    if a.rank == 1 and b.rank == 2:
        return [a, b], ftype, [b.shape[1]]
    raise UnsupportedConstruct(name, f"matmul of ranks {a.rank} and {b.rank}")


def product_lines(tr: ExprTranslator, node, target) -> list[str]:
    """Loops computing matmul/transpose into target(counters) -> C++ element text."""
    ctx = tr.ctx
    name = str(node.items[0]).lower()
    operands, ftype, shape = matrix_operands(tr, node)
    counters = [ctx.fresh("i"), ctx.fresh("j")][: len(shape)]
    opening, closing, depth = loop_nest(counters, shape)
    pad = INDENT * depth
    if name == "transpose":
        (a,) = operands
        body = [f"{pad}{target(counters)} = {a.element([counters[1], counters[0]])};"]
    else:
        a, b = operands
        k, acc = ctx.fresh("k"), ctx.fresh("sum")
        if a.rank == 2:
            inner = a.shape[1]
            left = a.element([counters[0], k])
            right = b.element([k, counters[1]] if b.rank == 2 else [k])
        else:
            inner = a.shape[0]
            left = a.element([k])
            right = b.element([k, counters[0]])
        body = [f"{pad}{ftype.cpp} {acc} = {ftype.zero()};",
                f"{pad}for (int {k} = 0; {k} < {inner.render()}; ++{k}) {{",
                f"{pad}{INDENT}{acc} += {left} * {right};",
                f"{pad}}}",
                f"{pad}{target(counters)} = {acc};"]
        ctx.release(k)
        ctx.release(acc)
    for counter in counters:
        ctx.release(counter)
    return opening + body + closing


def evaluate_into_temporary(tr: ExprTranslator, node, base: str | None = None) -> ArrayView:
    """Declare `std::vector<T> tmp(size)` before the statement and fill it with node's value."""
    ctx = tr.ctx
    is_product = isinstance(node, F.Intrinsic_Function_Reference) and \
        str(node.items[0]).lower() in ("matmul", "transpose")
    reduction = dim_reduction(tr, node)
    if reduction is not None:
        array, dim, array_shape = reduction
        shape = [extent for d, extent in enumerate(array_shape) if d != dim - 1]
        ftype = reduction_result_type(tr, node, array)
        base = base or f"{str(node.items[0]).lower()}_{dim}"
    elif is_product:
        _, ftype, shape = matrix_operands(tr, node)
        base = base or {"matmul": "product", "transpose": "transposed"}[str(node.items[0]).lower()]
    else:
        shape = tr.shape(node)
        counters = [f"c{d}" for d in range(len(shape))]
        ftype = tr.expr(node, Elementwise(counters)).type
        base = base or "values"
    name = ctx.fresh(base)
    symbol = Symbol(name=name, type=ftype, line=ctx.line, dims=[None] * len(shape), known_extents=shape)
    size = shape[0]
    for extent in shape[1:]:
        size = size.times(extent)
    ctx.includes.add("vector")
    lines = [f"std::vector<{ftype.cpp}> {name}({size.render()});"]
    if reduction is not None:
        lines += dim_reduction_lines(tr, node, lambda counters: f"{name}[{flat_index(counters, shape)}]")
    elif is_product:
        lines += product_lines(tr, node, lambda counters: f"{name}[{flat_index(counters, shape)}]")
    else:
        counters = [ctx.fresh("idx" if len(shape) == 1 else f"idx{d + 1}") for d in range(len(shape))]
        value = tr.expr(node, Elementwise(counters))
        opening, closing, depth = loop_nest(counters, shape)
        lines += opening + [f"{INDENT * depth}{name}[{flat_index(counters, shape)}] = {value.code};"] + closing
        for counter in counters:
            ctx.release(counter)
    ctx.pre.extend(lines)
    from .arrays import Subscript
    subs = [Subscript(start=Linear.constant(1), count=extent) for extent in shape]
    return ArrayView(symbol, subs, [Linear.constant(1)] * len(shape), list(shape), whole=True)
