"""The value types of expression translation: a translated expression (code, Fortran type,
C++ precedence), the loop counters of elementwise evaluation, and literal spelling."""

from __future__ import annotations

from dataclasses import dataclass

from fparser.two import Fortran2003 as F

from .errors import UnsupportedConstruct
from .fortran77 import SPECIFIC_NAMES
from .types import FType

PRIMARY, UNARY, MUL, ADD, REL, EQ, AND, OR, COND = 17, 15, 13, 12, 10, 9, 5, 4, 3

_RELATIONAL = {"<": "<", ".lt.": "<", "<=": "<=", ".le.": "<=", ">": ">", ".gt.": ">", ">=": ">=",
               ".ge.": ">=", "==": "==", ".eq.": "==", "/=": "!=", ".ne.": "!="}


@dataclass
class Expr:
    code: str
    type: FType
    prec: int = PRIMARY
    lvalue: bool = False
    literal: str | None = None  # the literal's digits, so it can be respelled in another type


@dataclass
class Elementwise:
    """Counters of the loops an array expression is being evaluated in."""
    counters: list[str]
    flat: bool = False  # all operands are whole arrays: one counter over the flat storage


def wrap(expr: Expr, prec: int, right: bool = False) -> str:
    if expr.prec < prec or (right and expr.prec == prec):
        return f"({expr.code})"
    return expr.code


def literal_of(ftype: FType, digits: str) -> str:
    """Spell a numeric literal in C++ for the given type ('2' as real(4) is '2.0f')."""
    if ftype.is_int:
        return digits + ("LL" if ftype.kind == 8 and not digits.endswith("LL") else "")
    if ftype.is_real:
        text = digits
        if not any(c in text for c in ".e"):
            text += ".0"
        return text + ("f" if ftype.kind == 4 else "")
    raise ValueError(ftype)


def exact_respelling(expr: "Expr", ftype: FType) -> bool:
    """Whether writing the literal directly in ftype gives the value Fortran's conversion gives:
    `1.3` (real(4)) widened to real(8) is 1.2999999523..., not 1.3; `0.5` is exact either way."""
    if expr.type.is_int or not ftype.is_real:
        return True
    if expr.type.kind >= ftype.kind:
        return True
    import struct
    value = float(expr.literal)
    return struct.unpack("f", struct.pack("f", value))[0] == value


def real_digits(text: str) -> str:
    """'1.D-3' -> '1.0e-3', '.5' -> '0.5', '2.' -> '2.0' (no type suffix)."""
    text = text.lower().replace("d", "e")
    mantissa, _, exponent = text.partition("e")
    if mantissa.startswith("."):
        mantissa = "0" + mantissa
    if mantissa.endswith("."):
        mantissa += "0"
    if "." not in mantissa:
        mantissa += ".0"
    if exponent and int(exponent) == 0:
        exponent = ""
    return mantissa + (f"e{exponent.lstrip('+')}" if exponent else "")


def _as_string(value: Expr) -> str:
    if value.type.base == "character" and value.literal is None:
        return f"std::string(1, {value.code})"
    return value.code


def char_literal(body: str) -> str:
    return "'\\''" if body == "'" else "'\\\\'" if body == "\\" else f"'{body}'"


def _single_char(value: Expr, node) -> Expr:
    """One-character values compare as C++ chars; longer strings are not translated."""
    if value.type.base != "character":
        raise UnsupportedConstruct("character comparison", f"comparison of character and numeric values '{node}'")
    if value.literal is not None:
        if len(value.literal) != 1:
            raise UnsupportedConstruct("character comparison", f"comparison of character strings '{node}'")
        return Expr(char_literal(value.literal), value.type)
    return value


def _is_literal(node) -> bool:
    return isinstance(node, (F.Int_Literal_Constant, F.Real_Literal_Constant, F.Logical_Literal_Constant,
                             F.Char_Literal_Constant, F.Complex_Literal_Constant))


def _operands(node) -> list:
    """Sub-expressions of an operator or elemental function node."""
    if isinstance(node, F.Intrinsic_Function_Reference):
        args = node.items[1].items if node.items[1] is not None else []
        return [a.items[1] if isinstance(a, F.Actual_Arg_Spec) else a for a in args]
    if isinstance(node, (F.Part_Ref, F.Function_Reference, F.Structure_Constructor)):
        return []  # user function calls are scalar-valued in the supported subset
    if isinstance(node, F.Parenthesis):
        return [node.items[1]]
    return [c for c in getattr(node, "items", ()) if isinstance(c, F.Base)]


def _construct_name(node) -> str:
    return type(node).__name__.lower().replace("_", " ")


# Intrinsics whose result is a scalar whatever their argument (reductions, inquiries).
SCALAR_VALUED = {"sum", "product", "maxval", "minval", "maxloc", "minloc", "dot_product", "size", "count",
                 "any", "all", "lbound", "ubound", "huge", "tiny", "epsilon", "kind", "norm2", "present",
                 "allocated", "len", "len_trim", "index",
                 "radix", "digits", "minexponent", "maxexponent"}

INTRINSIC_NAMES = {
    "abs", "sqrt", "exp", "log", "log10", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh",
    "cosh", "tanh", "min", "max", "mod", "modulo", "sign", "real", "dble", "int", "nint", "floor", "ceiling",
    "float", "aimag", "conjg", "cmplx", "merge", "dim", "iand", "ior", "ieor", "not", "aint", "anint", "trim",
    "iachar", "ichar", "achar", "char", "ishft", "cshift", "eoshift", "pack",
    "radix", "digits", "minexponent", "maxexponent",
    "dcmplx", "dreal",  # double complex specifics (intrinsic_complex.py)
} | SCALAR_VALUED | set(SPECIFIC_NAMES)
