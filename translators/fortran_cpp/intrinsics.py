"""Fortran intrinsic procedures: elemental ones map to <cmath>/<algorithm>, reductions to
<numeric> one-liners over contiguous arrays or to a loop hoisted before the statement."""

from __future__ import annotations

from fparser.two import Fortran2003 as F

from .errors import UnsupportedConstruct
from .expressions import (COND, MUL, PRIMARY, Elementwise, Expr, ExprTranslator, literal_of, wrap)
from .expressions import char_literal
from .fortran77 import SPECIFIC_NAMES
from .linear import Linear
from .loops import loop_nest
from .types import DOUBLE, FType, INTEGER, LOGICAL, REAL, promote

_MATH = {"sqrt", "exp", "log", "log10", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh"}

_ARG_NAMES = {
    "sum": ["array", "dim", "mask"], "product": ["array", "dim", "mask"], "maxval": ["array", "dim", "mask"],
    "minval": ["array", "dim", "mask"], "maxloc": ["array", "dim", "mask"], "minloc": ["array", "dim", "mask"],
    "count": ["mask", "dim"], "any": ["mask", "dim"], "all": ["mask", "dim"], "size": ["array", "dim", "kind"],
    "lbound": ["array", "dim"], "ubound": ["array", "dim"], "dot_product": ["vector_a", "vector_b"],
    "real": ["a", "kind"], "int": ["a", "kind"], "nint": ["a", "kind"], "floor": ["a", "kind"],
    "ceiling": ["a", "kind"], "cmplx": ["x", "y", "kind"], "merge": ["tsource", "fsource", "mask"],
    "atan2": ["y", "x"], "mod": ["a", "p"], "modulo": ["a", "p"], "sign": ["a", "b"],
    "reshape": ["source", "shape", "pad", "order"],
}


def split_args(name: str, args: list) -> dict[str, object]:
    names = _ARG_NAMES.get(name, [])
    result: dict[str, object] = {}
    for position, arg in enumerate(args):
        if isinstance(arg, F.Actual_Arg_Spec):
            result[str(arg.items[0]).lower()] = arg.items[1]
        else:
            result[names[position] if position < len(names) else f"#{position}"] = arg
    return result


def positional(args: list) -> list:
    return [a.items[1] if isinstance(a, F.Actual_Arg_Spec) else a for a in args]


def translate_intrinsic(tr: ExprTranslator, name: str, args: list, node, elem: Elementwise | None) -> Expr:
    ctx = tr.ctx
    name = SPECIFIC_NAMES.get(name) or name
    handler = globals().get(f"_i_{name}")
    if handler is not None:
        return handler(tr, args, node, elem)
    if name in _MATH:
        (arg,) = positional(args)
        value = tr.expr(arg, elem)
        ctx.includes.add("cmath")
        ftype = value.type if not value.type.is_int else REAL
        return Expr(f"std::{name}({tr.coerce(value, ftype)})", ftype)
    raise UnsupportedConstruct(f"intrinsic {name}", f"intrinsic '{name}' in '{node}'")


def _kind_arg(tr, kw, base: str, default: FType) -> FType:
    kind = kw.get("kind")
    if kind is None:
        return default
    from .declarations import const_int
    value = const_int(kind, tr.scope)
    if value is None:
        raise UnsupportedConstruct("kind parameter", f"non-constant kind '{kind}'")
    return FType(base, value)


def _i_abs(tr, args, node, elem):
    value = tr.expr(positional(args)[0], elem)
    tr.ctx.includes.add("cmath" if not value.type.is_int else "cstdlib")
    ftype = FType("real", value.type.kind) if value.type.base == "complex" else value.type
    return Expr(f"std::abs({value.code})", ftype)


def _i_atan2(tr, args, node, elem):
    y, x = (tr.expr(a, elem) for a in positional(args))
    ftype = promote(y.type, x.type)
    tr.ctx.includes.add("cmath")
    return Expr(f"std::atan2({tr.coerce(y, ftype)}, {tr.coerce(x, ftype)})", ftype)


def _minmax(tr, args, node, elem, fn):
    values = [tr.expr(a, elem) for a in positional(args)]
    ftype = values[0].type
    for value in values[1:]:
        ftype = promote(ftype, value.type)
    parts = [tr.coerce(v, ftype) for v in values]
    tr.ctx.includes.add("algorithm")
    if len(parts) == 2:
        return Expr(f"std::{fn}({parts[0]}, {parts[1]})", ftype)
    return Expr(f"std::{fn}({{{', '.join(parts)}}})", ftype)


def _i_min(tr, args, node, elem):
    return _minmax(tr, args, node, elem, "min")


def _i_max(tr, args, node, elem):
    return _minmax(tr, args, node, elem, "max")


def _i_mod(tr, args, node, elem):
    a, p = (tr.expr(x, elem) for x in positional(args))
    ftype = promote(a.type, p.type)
    if ftype.is_int:
        return Expr(f"{wrap(a, MUL)} % {wrap(p, MUL, right=True)}", ftype, MUL)
    tr.ctx.includes.add("cmath")
    return Expr(f"std::fmod({tr.coerce(a, ftype)}, {tr.coerce(p, ftype)})", ftype)


def _i_modulo(tr, args, node, elem):
    a, p = (tr.expr(x, elem) for x in positional(args))
    ftype = promote(a.type, p.type)
    tr.ctx.helpers.add("fortran_modulo")
    return Expr(f"fortran_modulo({tr.coerce(a, ftype)}, {tr.coerce(p, ftype)})", ftype)


def _i_sign(tr, args, node, elem):
    a, b = (tr.expr(x, elem) for x in positional(args))
    ftype = promote(a.type, b.type)
    if ftype.is_int:
        tr.ctx.helpers.add("fortran_sign")
        return Expr(f"fortran_sign({tr.coerce(a, ftype)}, {tr.coerce(b, ftype)})", ftype)
    tr.ctx.includes.add("cmath")
    return Expr(f"std::copysign({tr.coerce(a, ftype)}, {tr.coerce(b, ftype)})", ftype)


def _i_dim(tr, args, node, elem):
    a, b = (tr.expr(x, elem) for x in positional(args))
    ftype = promote(a.type, b.type)
    tr.ctx.includes.add("algorithm")
    zero = ftype.zero()
    return Expr(f"std::max({tr.coerce(a, ftype)} - {tr.coerce(b, ftype)}, {zero})", ftype)


def _convert(tr, value: Expr, ftype: FType) -> Expr:
    if value.type == ftype:
        return value
    if value.type.base == "complex" and ftype.is_real:
        return Expr(f"std::real({value.code})" if value.type.kind == ftype.kind
                    else f"static_cast<{ftype.cpp}>(std::real({value.code}))", ftype)
    return Expr(tr.coerce(value, ftype), ftype)


def _i_real(tr, args, node, elem):
    kw = split_args("real", args)
    value = tr.expr(kw["a"], elem)
    default = FType("real", value.type.kind) if value.type.base == "complex" else REAL
    return _convert(tr, value, _kind_arg(tr, kw, "real", default))


_i_float = _i_real


def _i_dble(tr, args, node, elem):
    return _convert(tr, tr.expr(positional(args)[0], elem), DOUBLE)


def _i_int(tr, args, node, elem):
    kw = split_args("int", args)
    value = tr.expr(kw["a"], elem)
    return _convert(tr, value, _kind_arg(tr, kw, "integer", INTEGER))


def _rounding(tr, args, elem, fn, name):
    kw = split_args(name, args)
    value = tr.expr(kw["a"], elem)
    ftype = _kind_arg(tr, kw, "integer", INTEGER)
    tr.ctx.includes.add("cmath")
    if value.type.is_int:
        return Expr(tr.coerce(value, ftype), ftype)
    if fn == "lround":
        call = f"std::llround({value.code})" if ftype.kind == 8 else f"std::lround({value.code})"
        return Expr(f"static_cast<{ftype.cpp}>({call})", ftype)
    return Expr(f"static_cast<{ftype.cpp}>(std::{fn}({value.code}))", ftype)


def _i_nint(tr, args, node, elem):
    return _rounding(tr, args, elem, "lround", "nint")


def _i_floor(tr, args, node, elem):
    return _rounding(tr, args, elem, "floor", "floor")


def _i_ceiling(tr, args, node, elem):
    return _rounding(tr, args, elem, "ceil", "ceiling")


def _whole_number(tr, args, elem, fn, name):
    kw = split_args("real", args)
    value = tr.expr(kw["a"], elem)
    ftype = _kind_arg(tr, kw, "real", value.type)
    tr.ctx.includes.add("cmath")
    return Expr(tr.coerce(Expr(f"std::{fn}({value.code})", value.type), ftype), ftype)


def _i_aint(tr, args, node, elem):
    return _whole_number(tr, args, elem, "trunc", "aint")


def _i_anint(tr, args, node, elem):
    return _whole_number(tr, args, elem, "round", "anint")


def _i_norm2(tr, args, node, elem):
    kw = split_args("sum", args)
    array = kw["array"]
    _check_dim(tr, kw, node, array)
    ftype = _elem_type(tr, array)
    tr.ctx.includes.add("cmath")
    rng = _range_of(tr, array)
    if rng is not None:
        tr.ctx.includes.add("numeric")
        return Expr(f"std::sqrt(std::inner_product({rng[0]}, {rng[1]}, {rng[0]}, {ftype.zero()}))", ftype)
    acc = _hoisted_reduction(tr, "norm2", array, None, ftype.zero(),
                             lambda acc, value, c: [f"{acc} += {value.code} * {value.code};"], ftype)
    return Expr(f"std::sqrt({acc})", ftype)


def _text(tr, node, elem, what):
    value = tr.expr(node, elem)
    if value.type.base not in ("character", "string"):
        raise UnsupportedConstruct(what, f"{what} of a non-character value")
    tr.ctx.helpers.add("strings")
    return value.code if value.type.base == "string" or value.literal is not None else f"std::string(1, {value.code})"


def _i_trim(tr, args, node, elem):
    return Expr(f"fortran_trim({_text(tr, positional(args)[0], elem, 'trim')})", FType("string", 0))


def _i_len_trim(tr, args, node, elem):
    return Expr(f"fortran_len_trim({_text(tr, positional(args)[0], elem, 'len_trim')})", INTEGER)


def _i_len(tr, args, node, elem):
    value = tr.expr(positional(args)[0], elem)
    if value.type.base == "character":
        return Expr("1", INTEGER)
    if value.type.base == "string" and value.type.kind:
        return Expr(str(value.type.kind), INTEGER)
    return Expr(f"static_cast<int>(std::string({value.code}).size())", INTEGER)


def _i_index(tr, args, node, elem):
    values = positional(args)
    if len(values) != 2:
        raise UnsupportedConstruct("index", f"index with back= in '{node}'")
    text, part = (_text(tr, v, elem, "index") for v in values)
    return Expr(f"fortran_index({text}, {part})", INTEGER)


def _i_iachar(tr, args, node, elem):
    value = tr.expr(positional(args)[0], elem)
    if value.type.base == "character":
        text = char_literal(value.literal) if value.literal is not None else value.code
    elif value.type.base == "string":
        tr.ctx.helpers.add("strings")
        text = f"fortran_fit({value.code}, 1)[0]"
    else:
        raise UnsupportedConstruct("iachar", f"iachar of a non-character value in '{node}'")
    return Expr(f"static_cast<int>(static_cast<unsigned char>({text}))", INTEGER)


_i_ichar = _i_iachar


def _i_achar(tr, args, node, elem):
    value = tr.expr(positional(args)[0], elem)
    from .types import CHARACTER
    return Expr(f"static_cast<char>({value.code})", CHARACTER)


_i_char = _i_achar


def _i_aimag(tr, args, node, elem):
    value = tr.expr(positional(args)[0], elem)
    return Expr(f"std::imag({value.code})", FType("real", value.type.kind))


def _i_conjg(tr, args, node, elem):
    value = tr.expr(positional(args)[0], elem)
    return Expr(f"std::conj({value.code})", value.type)


def _i_cmplx(tr, args, node, elem):
    kw = split_args("cmplx", args)
    ftype = _kind_arg(tr, kw, "complex", FType("complex", 4))
    part = FType("real", ftype.kind)
    tr.ctx.includes.add("complex")
    re = tr.expr(kw["x"], elem)
    if re.type.base == "complex":
        return Expr(tr.coerce(re, ftype), ftype)
    im = tr.coerce(tr.expr(kw["y"], elem), part) if "y" in kw else literal_of(part, "0")
    return Expr(f"{ftype.cpp}({tr.coerce(re, part)}, {im})", ftype)


def _i_merge(tr, args, node, elem):
    kw = split_args("merge", args)
    a, b, mask = tr.expr(kw["tsource"], elem), tr.expr(kw["fsource"], elem), tr.expr(kw["mask"], elem)
    ftype = promote(a.type, b.type) if a.type.numeric else a.type
    return Expr(f"{wrap(mask, COND + 1)} ? {tr.coerce(a, ftype)} : {tr.coerce(b, ftype)}", ftype, COND)


def _bitwise(tr, args, elem, op):
    a, b = (tr.expr(x, elem) for x in positional(args))
    return Expr(f"({a.code} {op} {b.code})", promote(a.type, b.type))


def _i_ishft(tr, args, node, elem):
    value, shift = (tr.expr(x, elem) for x in positional(args))
    if not value.type.is_int:
        raise UnsupportedConstruct("ishft", f"ishft of a non-integer in '{node}'")
    tr.ctx.helpers.add("fortran_ishft")
    return Expr(f"fortran_ishft({value.code}, {shift.code})", value.type)


def _shifted_vector(tr, args, node, elem, name):
    values = positional(args)
    if len(values) > (2 if name == "cshift" else 3) or elem is None or len(elem.counters) != 1:
        raise UnsupportedConstruct(name, f"{name} with dim=, of a matrix, or outside an array assignment: '{node}'")
    view = tr.view(values[0]) if isinstance(values[0], (F.Name, F.Part_Ref)) else None
    if view is None or view.rank != 1 or not view.whole:
        raise UnsupportedConstruct(name, f"{name} of '{values[0]}' (only of a whole vector)")
    shift = tr.scalar(values[1])
    size = view.shape[0].render()
    position = f"{elem.counters[0]} + {wrap(shift, 13)}" if not (shift.literal or "").startswith("-") \
        else f"{elem.counters[0]} - {shift.literal[1:]}"
    if name == "cshift":
        tr.ctx.helpers.add("fortran_modulo")
        return Expr(f"{view.symbol.cname}[fortran_modulo({position}, {size})]", view.symbol.type)
    boundary = tr.coerce(tr.scalar(values[2]), view.symbol.type) if len(values) > 2 else view.symbol.type.zero()
    return Expr(f"({position} >= 0 && {position} < {size}) ? {view.symbol.cname}[{position}] : {boundary}",
                view.symbol.type, COND)


def _i_cshift(tr, args, node, elem):
    return _shifted_vector(tr, args, node, elem, "cshift")


def _i_eoshift(tr, args, node, elem):
    return _shifted_vector(tr, args, node, elem, "eoshift")


def _i_iand(tr, args, node, elem):
    return _bitwise(tr, args, elem, "&")


def _i_ior(tr, args, node, elem):
    return _bitwise(tr, args, elem, "|")


def _i_ieor(tr, args, node, elem):
    return _bitwise(tr, args, elem, "^")


def _limit(tr, args, fn):
    value = tr.scalar(positional(args)[0]) if not tr.rank(positional(args)[0]) else None
    ftype = value.type if value is not None else _elem_type(tr, positional(args)[0])
    tr.ctx.includes.add("limits")
    return Expr(f"std::numeric_limits<{ftype.cpp}>::{fn}()", ftype)


def _model_number(tr, args, member):
    """radix/digits/minexponent/maxexponent: the same numbers as std::numeric_limits (IEEE types)."""
    value = tr.scalar(positional(args)[0]) if not tr.rank(positional(args)[0]) else None
    ftype = value.type if value is not None else _elem_type(tr, positional(args)[0])
    tr.ctx.includes.add("limits")
    return Expr(f"std::numeric_limits<{ftype.cpp}>::{member}", INTEGER)


def _i_radix(tr, args, node, elem):
    return _model_number(tr, args, "radix")


def _i_digits(tr, args, node, elem):
    return _model_number(tr, args, "digits")


def _i_minexponent(tr, args, node, elem):
    return _model_number(tr, args, "min_exponent")


def _i_maxexponent(tr, args, node, elem):
    return _model_number(tr, args, "max_exponent")


def _i_huge(tr, args, node, elem):
    return _limit(tr, args, "max")


def _i_tiny(tr, args, node, elem):
    return _limit(tr, args, "min")


def _i_epsilon(tr, args, node, elem):
    return _limit(tr, args, "epsilon")


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
        raise UnsupportedConstruct("dot_product", f"complex dot_product '{node}'")
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
