"""Array intrinsics: inquiry (SIZE, LBOUND, UBOUND, ALLOCATED) and reductions (SUM, PRODUCT,
MAXVAL/MINVAL, MAXLOC/MINLOC, DOT_PRODUCT, COUNT/ANY/ALL), as <numeric> one-liners over
contiguous arrays or as a loop hoisted before the statement."""

from __future__ import annotations

from fparser.two import Fortran2003 as F

from .errors import UnsupportedConstruct
from .expressions import MUL, PRIMARY, Elementwise, Expr
from .intrinsic_args import positional, split_args
from .linear import Linear
from .loops import loop_nest
from .types import FType, INTEGER, LOGICAL, promote


def _elem_type(tr, node) -> FType:
    implied = _implied_do(node)
    if implied is not None:
        return tr.scalar(implied.items[0].items[0]).type
    view = tr.view(node) if isinstance(node, (F.Name, F.Part_Ref)) else None
    if view is not None:
        return view.symbol.type
    counters = [f"c{i}" for i in range(max(tr.rank(node), 1))]
    return tr.expr(node, Elementwise(counters)).type


# ---- inquiries ---------------------------------------------------------------------------

def _array_symbol(tr, node, what):
    if not isinstance(node, F.Name):
        raise UnsupportedConstruct(what, f"{what} of an expression '{node}'")
    symbol = tr.symbol(node.string.lower())
    if not symbol.is_array:
        raise UnsupportedConstruct(what, f"{what} of scalar '{symbol.name}'")
    return symbol


def _i_size(tr, args, node, elem):
    kw = split_args("size", args)
    symbol = _array_symbol(tr, kw["array"], "size")
    if "dim" in kw:
        from .declarations import const_int
        dim = const_int(kw["dim"], tr.scope)
        if dim is None or not 1 <= dim <= symbol.rank:
            raise UnsupportedConstruct("size", f"size with non-constant or invalid dim in '{node}'")
        extent = tr.extents(symbol)[dim - 1]
        if extent is None:
            raise UnsupportedConstruct("assumed-size array", f"size of assumed-size dimension in '{node}'")
        return _linear_expr(extent)
    return _linear_expr(tr.size(symbol))


def _linear_expr(value: Linear) -> Expr:
    text = value.render()
    prec = PRIMARY if len(value.terms) + (1 if value.const else 0) <= 1 and " " not in text else MUL \
        if " + " not in text and " - " not in text else 12
    return Expr(text, INTEGER, prec)


def _bound(tr, args, node, upper: bool):
    kw = split_args("lbound", args)
    symbol = _array_symbol(tr, kw["array"], "ubound" if upper else "lbound")
    from .declarations import const_int
    dim = const_int(kw.get("dim"), tr.scope) if "dim" in kw else (1 if symbol.rank == 1 else None)
    if dim is None:
        raise UnsupportedConstruct("lbound/ubound", f"array-valued bound inquiry '{node}'")
    lower = tr.lowers(symbol)[dim - 1]
    if not upper:
        return _linear_expr(lower)
    extent = tr.extents(symbol)[dim - 1]
    if extent is None:
        raise UnsupportedConstruct("assumed-size array", f"ubound of assumed-size dimension in '{node}'")
    return _linear_expr(lower + extent - Linear.constant(1))


def _i_allocated(tr, args, node, elem):
    symbol = _array_symbol(tr, positional(args)[0], "allocated")
    if not symbol.allocatable:
        raise UnsupportedConstruct("allocated", f"'{symbol.name}' is not allocatable")
    return Expr(f"!{symbol.cname}.empty()", LOGICAL, 15)


def _i_lbound(tr, args, node, elem):
    return _bound(tr, args, node, upper=False)


def _i_ubound(tr, args, node, elem):
    return _bound(tr, args, node, upper=True)


# ---- reductions --------------------------------------------------------------------------

def _range_of(tr, node):
    """(begin, end) iterators when node is a whole contiguous array, else None."""
    if not isinstance(node, F.Name):
        return None
    symbol = tr.scope.lookup(node.string.lower())
    if symbol is None or not symbol.is_array:
        return None
    if symbol.storage == "pointer":
        size = tr.size(symbol)
        return symbol.cname, f"{symbol.cname} + {size.render(wrap=True)}", symbol.type
    return f"{symbol.cname}.begin()", f"{symbol.cname}.end()", symbol.type


def _check_dim(tr, kw, node, array_node):
    if "dim" in kw and tr.rank(array_node) != 1:
        raise UnsupportedConstruct("reduction with dim", f"array-valued reduction along a dimension '{node}'")


def _hoisted_reduction(tr, name, array_node, mask_node, init, update, result_type, extra_decl=None):
    """Emit `T acc = init; for (...) acc = update(acc, element);` before the statement."""
    ctx = tr.ctx
    implied = _implied_do(array_node)
    if implied is not None:
        return _implied_reduction(tr, name, implied, mask_node, init, update, result_type, extra_decl)
    shape = tr.shape(array_node if array_node is not None else mask_node)
    base = _base_name(array_node if array_node is not None else mask_node)
    acc = ctx.fresh(f"{name}_{base}" if base else name)
    counters = [ctx.fresh("idx" if len(shape) == 1 else f"idx{d + 1}") for d in range(len(shape))]
    elem = Elementwise(counters)
    value = tr.expr(array_node, elem) if array_node is not None else None
    mask = tr.expr(mask_node, elem) if mask_node is not None else None
    lines = [f"{result_type.cpp} {acc} = {init};"]
    if extra_decl:
        lines.append(extra_decl(acc))
    opening, closing, depth = loop_nest(counters, shape)
    lines += opening
    body = update(acc, value, counters)
    if mask is not None:
        body = [f"if ({mask.code}) {{"] + ["    " + line for line in body] + ["}"]
    lines += ["    " * depth + line for line in body]
    lines += closing
    ctx.pre.extend(lines)
    for counter in counters:
        ctx.release(counter)
    return acc


def _base_name(node) -> str:
    if isinstance(node, F.Name):
        return node.string.lower()
    if isinstance(node, F.Part_Ref):
        return str(node.items[0]).lower()
    for child in getattr(node, "items", ()) or ():
        if isinstance(child, F.Base):
            found = _base_name(child)
            if found:
                return found
    return ""


def _sum_like(tr, args, node, name):
    kw = split_args(name, args)
    array = kw["array"]
    _check_dim(tr, kw, node, array)
    ftype = _elem_type(tr, array)
    product = name == "product"
    init = ftype.one() if product else ftype.zero()
    rng = _range_of(tr, array) if "mask" not in kw else None
    if rng is not None:
        tr.ctx.includes.add("numeric")
        if product:
            tr.ctx.includes.add("functional")
            return Expr(f"std::accumulate({rng[0]}, {rng[1]}, {init}, std::multiplies<{ftype.cpp}>())", ftype)
        return Expr(f"std::accumulate({rng[0]}, {rng[1]}, {init})", ftype)
    op = "*=" if product else "+="
    acc = _hoisted_reduction(tr, name, array, kw.get("mask"), init,
                             lambda acc, value, c: [f"{acc} {op} {value.code};"], ftype)
    return Expr(acc, ftype)


def _i_sum(tr, args, node, elem):
    return _sum_like(tr, args, node, "sum")


def _i_product(tr, args, node, elem):
    return _sum_like(tr, args, node, "product")


def _extreme(tr, args, node, name):
    kw = split_args(name, args)
    array = kw["array"]
    _check_dim(tr, kw, node, array)
    ftype = _elem_type(tr, array)
    fn = "max" if name == "maxval" else "min"
    rng = _range_of(tr, array) if "mask" not in kw else None
    if rng is not None:
        tr.ctx.includes.add("algorithm")
        return Expr(f"*std::{fn}_element({rng[0]}, {rng[1]})", ftype, 15)
    tr.ctx.includes.update({"algorithm", "limits"})
    init = f"std::numeric_limits<{ftype.cpp}>::{'lowest' if fn == 'max' else 'max'}()"
    acc = _hoisted_reduction(tr, name, array, kw.get("mask"), init,
                             lambda acc, value, c: [f"{acc} = std::{fn}({acc}, {value.code});"], ftype)
    return Expr(acc, ftype)


def _i_maxval(tr, args, node, elem):
    return _extreme(tr, args, node, "maxval")


def _i_minval(tr, args, node, elem):
    return _extreme(tr, args, node, "minval")


def _location(tr, args, node, name, elem):
    kw = split_args(name, args)
    array = kw["array"]
    if tr.rank(array) != 1:
        raise UnsupportedConstruct(name, f"{name} of a rank-{tr.rank(array)} array '{node}'")
    rng = _range_of(tr, array) if "mask" not in kw else None
    fn = "max" if name == "maxloc" else "min"
    if rng is not None:
        tr.ctx.includes.add("algorithm")
        begin = rng[0]
        return Expr(f"static_cast<int>(std::{fn}_element({begin}, {rng[1]}) - {begin}) + 1", INTEGER, 12)
    ftype = _elem_type(tr, array)
    better = ">" if fn == "max" else "<"
    best_holder: dict[str, str] = {}

    def declare_best(acc):
        best = tr.ctx.fresh(f"{acc}_value")
        best_holder["name"] = best
        return f"{ftype.cpp} {best} = {ftype.zero()};"

    def update(acc, value, counters):
        best = best_holder["name"]
        return [f"if ({acc} == 0 || {value.code} {better} {best}) {{",
                f"    {best} = {value.code};", f"    {acc} = {counters[0]} + 1;", "}"]

    acc = _hoisted_reduction(tr, name, array, kw.get("mask"), "0", update, INTEGER, extra_decl=declare_best)
    return Expr(acc, INTEGER)


def _i_maxloc(tr, args, node, elem):
    return _location(tr, args, node, "maxloc", elem)


def _i_minloc(tr, args, node, elem):
    return _location(tr, args, node, "minloc", elem)


def _i_dot_product(tr, args, node, elem):
    kw = split_args("dot_product", args)
    a, b = kw["vector_a"], kw["vector_b"]
    ftype = promote(_elem_type(tr, a), _elem_type(tr, b))
    if ftype.base == "complex":
        from .intrinsic_complex import complex_dot_product
        return complex_dot_product(tr, a, b, ftype)
    ra, rb = _range_of(tr, a), _range_of(tr, b)
    if ra is not None and rb is not None and ra[2] == rb[2]:
        tr.ctx.includes.add("numeric")
        return Expr(f"std::inner_product({ra[0]}, {ra[1]}, {rb[0]}, {ftype.zero()})", ftype)
    product = F.Add_Operand(f"({a}) * ({b})")
    acc = _hoisted_reduction(tr, "dot", product, None, ftype.zero(),
                             lambda acc, value, c: [f"{acc} += {value.code};"], ftype)
    return Expr(acc, ftype)


def _logical_reduction(tr, args, node, name, init, update):
    kw = split_args(name, args)
    _check_dim(tr, kw, node, kw["mask"])
    acc = _hoisted_reduction(tr, name, None, kw["mask"], init, update, LOGICAL if name != "count" else INTEGER)
    return Expr(acc, LOGICAL if name != "count" else INTEGER)


def _i_count(tr, args, node, elem):
    return _logical_reduction(tr, args, node, "count", "0", lambda acc, v, c: [f"++{acc};"])


def _i_any(tr, args, node, elem):
    return _logical_reduction(tr, args, node, "any", "false", lambda acc, v, c: [f"{acc} = true;"])


def _i_all(tr, args, node, elem):
    kw = split_args("all", args)
    negated = F.And_Operand(f".not. ({kw['mask']})")
    acc = _hoisted_reduction(tr, "all", None, negated, "true", lambda acc, v, c: [f"{acc} = false;"], LOGICAL)
    return Expr(acc, LOGICAL)


def _implied_do(node):
    """The Ac_Implied_Do of `[(expr, i = a, b)]`, or None."""
    if not isinstance(node, F.Array_Constructor) or node.items[1] is None:
        return None
    values = node.items[1].items
    if len(values) == 1 and isinstance(values[0], F.Ac_Implied_Do):
        return values[0]
    return None


def _implied_reduction(tr, name, implied, mask_node, init, update, result_type, extra_decl):
    from .loops import counted_for
    ctx = tr.ctx
    if mask_node is not None or extra_decl is not None:
        raise UnsupportedConstruct("implied do", f"{name} of an implied-do array constructor with a mask or location")
    inner, control = implied.items
    if len(inner.items) != 1 or isinstance(inner.items[0], F.Ac_Implied_Do):
        raise UnsupportedConstruct("implied do", f"nested or multi-valued implied-do '{implied}'")
    var, bounds = control.items[0], control.items[1]
    header = counted_for(tr, var, bounds[0], bounds[1], bounds[2] if len(bounds) > 2 else None)
    value = tr.scalar(inner.items[0])
    acc = ctx.fresh(f"{name}_values")
    lines = [f"{result_type.cpp} {acc} = {init};", header]
    lines += ["    " + line for line in update(acc, value, [str(var)])]
    lines.append("}")
    ctx.pre.extend(lines)
    return acc
