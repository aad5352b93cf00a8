"""Complex intrinsics beyond the generic ones in intrinsics.py: the double-precision specific
names common in FORTRAN 77 code (DCMPLX, DREAL) and the complex DOT_PRODUCT, which conjugates
its first argument (sum of conjg(a(i)) * b(i))."""

from __future__ import annotations

from fparser.two import Fortran2003 as F

from .expressions import Expr, literal_of
from .intrinsic_args import positional
from .types import DOUBLE, FType

COMPLEX16 = FType("complex", 8)
# Names this module translates that are not in the Fortran standard's list.
NONSTANDARD = {"dcmplx", "dreal"}


def _i_dcmplx(tr, args, node, elem):
    """DCMPLX(X[, Y]): CMPLX(X, Y, KIND=8)."""
    values = positional(args)
    tr.ctx.includes.add("complex")
    re = tr.expr(values[0], elem)
    if re.type.base == "complex":
        return Expr(tr.coerce(re, COMPLEX16), COMPLEX16)
    im = tr.coerce(tr.expr(values[1], elem), DOUBLE) if len(values) > 1 else literal_of(DOUBLE, "0")
    return Expr(f"{COMPLEX16.cpp}({tr.coerce(re, DOUBLE)}, {im})", COMPLEX16)


def _i_dreal(tr, args, node, elem):
    """DREAL(Z): the real part of a complex(8) value, as real(8)."""
    value = tr.expr(positional(args)[0], elem)
    if value.type.base != "complex":
        return Expr(tr.coerce(value, DOUBLE), DOUBLE)
    code = f"std::real({value.code})"
    return Expr(code if value.type.kind == 8 else f"static_cast<double>({code})", DOUBLE)


def complex_dot_product(tr, a, b, ftype: FType) -> Expr:
    """DOT_PRODUCT of complex vectors: sum(conjg(a) * b), accumulated from zero."""
    from .intrinsic_arrays import _hoisted_reduction

    tr.ctx.includes.add("complex")
    product = F.Add_Operand(f"conjg({a}) * ({b})")
    acc = _hoisted_reduction(tr, "dot", product, None, ftype.zero(),
                             lambda acc, value, c: [f"{acc} += {tr.coerce(value, ftype)};"], ftype)
    return Expr(acc, ftype)
