"""Fortran intrinsic procedures: elemental ones map to <cmath>/<algorithm>; array inquiry and
reductions live in intrinsic_arrays.py, argument matching in intrinsic_args.py."""

from __future__ import annotations

from fparser.two import Fortran2003 as F

from . import intrinsic_arrays, intrinsic_complex
from .errors import UnsupportedConstruct
from .expressions import COND, MUL, Elementwise, Expr, ExprTranslator, char_literal, literal_of, wrap
from .fortran77 import SPECIFIC_NAMES
from .intrinsic_args import positional, split_args  # noqa: F401  (split_args: also for other modules)
from .intrinsic_arrays import _check_dim, _elem_type, _hoisted_reduction, _range_of
from .types import DOUBLE, FType, INTEGER, REAL, promote

_MATH = {"sqrt", "exp", "log", "log10", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh"}

def translate_intrinsic(tr: ExprTranslator, name: str, args: list, node, elem: Elementwise | None) -> Expr:
    ctx = tr.ctx
    name = SPECIFIC_NAMES.get(name) or name
    handler = (globals().get(f"_i_{name}") or getattr(intrinsic_arrays, f"_i_{name}", None)
               or getattr(intrinsic_complex, f"_i_{name}", None))
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
    if value.type.base not in ("character", "string", "cstring"):
        raise UnsupportedConstruct(what, f"{what} of a non-character value")
    tr.ctx.helpers.add("strings")
    if value.type.base == "cstring":  # a character*(*) dummy
        return f"std::string({value.code})"
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


