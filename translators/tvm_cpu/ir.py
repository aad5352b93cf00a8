"""A small expression tree for one symbolically executed CUDA thread.

Nodes are immutable tuples-with-names; integer index arithmetic can be
normalised to a polynomial (`to_poly`) so that store indices can be matched
against row-major layouts, and every node converts to a TVM expression given
the TVM values of its symbols (`translators.tvm_cpu.te_build`).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

# C's usual arithmetic conversions, by rank.
_RANK = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "float32", "float64"]


def promote(a: str, b: str) -> str:
    ra, rb = _RANK.index(a), _RANK.index(b)
    best = max(ra, rb, _RANK.index("int32"))  # integer promotion: nothing narrower than int
    return _RANK[best]


def is_float(dtype: str) -> bool:
    return dtype.startswith("float")


@dataclass(frozen=True)
class Expr:
    dtype: str


@dataclass(frozen=True)
class Const(Expr):
    value: float | int | bool


@dataclass(frozen=True)
class Sym(Expr):
    """A named integer symbol: a scalar parameter, a domain axis, a loop variable."""
    name: str
    kind: str  # "param" | "axis" | "reduce" | "acc" (the accumulator being reduced)


@dataclass(frozen=True)
class Load(Expr):
    buffer: str
    index: Expr


@dataclass(frozen=True)
class Bin(Expr):
    op: str  # + - * / % < <= > >= == != && || min max << >> & | ^ (integers only)
    a: Expr
    b: Expr


@dataclass(frozen=True)
class Neg(Expr):
    a: Expr


@dataclass(frozen=True)
class Not(Expr):
    a: Expr


@dataclass(frozen=True)
class Cast(Expr):
    a: Expr


@dataclass(frozen=True)
class Call(Expr):
    fn: str  # exp, sqrt, ... (the C name without the f suffix)
    args: tuple


@dataclass(frozen=True)
class Select(Expr):
    cond: Expr
    a: Expr
    b: Expr


@dataclass(frozen=True)
class StageRef(Expr):
    """The value of an intermediate stage (a reduction) at the current axes."""
    stage: int
    axes: tuple  # axis symbol names


COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")
SHIFTS = ("<<", ">>")
BITWISE = ("&", "|", "^")


def bit_width(dtype: str) -> int:
    return 1 if dtype == "bool" else int(dtype.lstrip("uinfloat"))


def all_ones(dtype: str) -> Const:
    """The constant whose bits are all set (`~x` is `x ^ all_ones`): -1, or the largest unsigned value."""
    return Const(dtype, (1 << bit_width(dtype)) - 1 if dtype.startswith("uint") else -1)


def _wrapped(value: int, dtype: str) -> int:
    """An integer converted to an integer type as C does (modulo 2^width; signed: two's complement)."""
    width = bit_width(dtype)
    value &= (1 << width) - 1
    return value - (1 << width) if not dtype.startswith("uint") and value >= 1 << (width - 1) else value


def cast(e: Expr, dtype: str) -> Expr:
    if e.dtype == dtype:
        return e
    if isinstance(e, Const):
        value = e.value
        if dtype == "bool":
            value = bool(value)
        elif not is_float(dtype):
            value = _wrapped(int(value), dtype)
        else:
            value = float(value)
        return Const(dtype, value)
    return Cast(dtype, e)


def fold_bits(e: Bin) -> Const:
    """A shift or bitwise operator over two constants, wrapped to its type as C computes it."""
    a, b, width = int(e.a.value), int(e.b.value), bit_width(e.dtype)
    if e.dtype.startswith("uint"):
        a &= (1 << width) - 1  # `(unsigned)-1` is held as -1
    value = {"<<": lambda: a << b, ">>": lambda: a >> b, "&": lambda: a & b, "|": lambda: a | b,
             "^": lambda: a ^ b}[e.op]() & ((1 << width) - 1)
    if not e.dtype.startswith("uint") and value >= 1 << (width - 1):
        value -= 1 << width
    return Const(e.dtype, value)


def binary(op: str, a: Expr, b: Expr) -> Expr:
    if op in ("&&", "||"):
        return Bin("bool", op, cast(a, "bool"), cast(b, "bool"))
    if op in SHIFTS:
        # C: the type of the promoted left operand alone; the count (0 <= count < width, or the
        # shift is undefined in C too) keeps its value in that type
        dtype = promote(a.dtype, "bool")
        return Bin(dtype, op, cast(a, dtype), cast(b, dtype))
    dtype = promote(a.dtype, b.dtype)
    a, b = cast(a, dtype), cast(b, dtype)
    if op in COMPARISONS:
        return Bin("bool", op, a, b)
    return Bin(dtype, op, a, b)


def symbols(e: Expr, kinds: tuple = ("axis", "reduce", "param", "acc")) -> set[str]:
    found: set[str] = set()
    stack = [e]
    while stack:
        node = stack.pop()
        if isinstance(node, Sym) and node.kind in kinds:
            found.add(node.name)
        elif isinstance(node, StageRef) and "axis" in kinds:
            found.update(node.axes)
        for child in children(node):
            stack.append(child)
    return found


def children(e: Expr) -> tuple:
    if isinstance(e, Load):
        return (e.index,)
    if isinstance(e, Bin):
        return (e.a, e.b)
    if isinstance(e, (Neg, Not, Cast)):
        return (e.a,)
    if isinstance(e, Call):
        return e.args
    if isinstance(e, Select):
        return (e.cond, e.a, e.b)
    return ()


def contains(e: Expr, target: Expr) -> bool:
    return e == target or any(contains(c, target) for c in children(e))


# --- integer polynomials over symbols (index analysis) ------------------------
Poly = dict  # monomial (sorted tuple of symbol names) -> Fraction coefficient


def to_poly(e: Expr) -> Poly | None:
    """The expression as a polynomial with integer symbols, or None if it is not one."""
    if isinstance(e, Const) and not is_float(e.dtype) and e.dtype != "bool":
        return {(): Fraction(int(e.value))} if e.value else {}
    if isinstance(e, Sym) and e.kind in ("axis", "reduce", "param") and not is_float(e.dtype):
        return {(e.name,): Fraction(1)}
    if isinstance(e, Cast) and not is_float(e.dtype) and not is_float(e.a.dtype):
        return to_poly(e.a)
    if isinstance(e, Neg):
        p = to_poly(e.a)
        return None if p is None else {m: -c for m, c in p.items()}
    if isinstance(e, Bin) and e.op in ("/", "%") + SHIFTS + BITWISE and not is_float(e.dtype) and _over_params(e):
        # `W / 2`, `n % 4`, `(n + 31) >> 5` over sizes alone: an opaque atom, equal only to the same expression.
        return {(f"({e!r})",): Fraction(1)}
    if isinstance(e, Bin) and e.op in SHIFTS + ("&",) and not is_float(e.dtype):
        return _bits_poly(e)
    if isinstance(e, Bin) and e.op in ("/", "%") and not is_float(e.dtype) and _over_params(e.b):
        # `idx / T`, `idx % T` of a thread index: atoms that recombine (`(idx / T) * T + idx % T` is `idx`).
        x, a = to_poly(e.a), to_poly(e.b)
        return None if x is None or a is None or not a else _division_atom(e.op, x, a)
    if isinstance(e, Bin) and e.op in ("+", "-", "*") and not is_float(e.dtype):
        pa, pb = to_poly(e.a), to_poly(e.b)
        if pa is None or pb is None:
            return None
        if e.op == "+":
            return _recombine(poly_add(pa, pb))
        if e.op == "-":
            return _recombine(poly_add(pa, {m: -c for m, c in pb.items()}))
        return _recombine(poly_mul(pa, pb))
    return None


# Atoms of integer divisions by sizes: name -> (op, numerator poly, denominator poly); `/` and `%`
# truncate (C's division), `//` and `%%` floor (a right shift, a mask of the low bits).
_DIVISIONS: dict[str, tuple] = {}
_PARTNER = {"%": "/", "%%": "//"}


def _power_of_two(e: Expr, width: int) -> int | None:
    """c for a constant count 0 <= c < width."""
    if isinstance(e, Const) and not is_float(e.dtype) and e.dtype != "bool" and 0 <= int(e.value) < width:
        return int(e.value)
    return None


def _bits_poly(e: Bin) -> Poly | None:
    """`x << c` is x * 2^c; `x >> c` is x floor-divided by 2^c and `x & (2^c - 1)` its floor modulo
    (two's complement), atoms that recombine as `(x >> c) << c | x & (2^c - 1)` is x."""
    width = bit_width(e.dtype)
    if e.op == "&":
        mask, x = (e.b, e.a) if isinstance(e.b, Const) else (e.a, e.b)
        if not isinstance(mask, Const) or is_float(mask.dtype) or mask.dtype == "bool" or int(mask.value) <= 0:
            return None
        low = int(mask.value) + 1
        c = low.bit_length() - 1
        if low != 1 << c or c >= width - 1 or e.dtype.startswith("uint"):
            return None  # unsigned wrap-around aside, only masks of the low bits are a modulo
        px = to_poly(x)
        return None if px is None else _division_atom("%%", px, poly_const(1 << c))
    c = _power_of_two(e.b, width)
    px = to_poly(e.a)
    if c is None or px is None:
        return None
    if e.op == "<<":
        return poly_mul(px, poly_const(1 << c))
    if e.dtype.startswith("uint"):
        return None
    return _division_atom("//", px, poly_const(1 << c)) if c else px


def _poly_key(p: Poly) -> str:
    return " + ".join(f"{c}*{'*'.join(m)}" for m, c in sorted(p.items())) or "0"


def _division_atom(op: str, x: Poly, a: Poly) -> Poly:
    """`x / a` or `x % a` (C's truncating division) as an atom; `(y / b) / a` is `y / (b * a)`,
    which holds for truncating division by any non-zero b and a."""
    if op in ("/", "//") and len(x) == 1:
        ((monomial, coeff),) = x.items()
        inner = _DIVISIONS.get(monomial[0]) if len(monomial) == 1 and coeff == 1 else None
        if inner is not None and inner[0] == op:
            x, a = inner[1], poly_mul(inner[2], a)
    name = f"({_poly_key(x)}) {op} ({_poly_key(a)})"
    if not name.startswith("("):
        name = f"({name})"
    _DIVISIONS[name] = (op, x, a)
    return {(name,): Fraction(1)}


def _recombine(p: Poly) -> Poly:
    """Replace `c*r*(x / a)*a + c*r*(x % a)` by `c*r*x` (C guarantees `(x / a) * a + x % a == x`;
    floor division and modulo recombine likewise)."""
    for _ in range(16):
        found = None
        for monomial, coeff in p.items():
            for name in monomial:
                entry = _DIVISIONS.get(name)
                if entry is None or entry[0] not in _PARTNER:
                    continue
                rest = list(monomial)
                rest.remove(name)
                scale = {tuple(rest): coeff}
                need = poly_mul(poly_mul(_division_atom(_PARTNER[entry[0]], entry[1], entry[2]), entry[2]), scale)
                if all(p.get(m) == c for m, c in need.items()):
                    found = (monomial, need, poly_mul(entry[1], scale))
                    break
            if found:
                break
        if found is None:
            return p
        monomial, need, whole = found
        p = poly_add(poly_add(p, {monomial: -p[monomial]}), {m: -c for m, c in need.items()})
        p = poly_add(p, whole)
    return p


def _over_params(e: Expr) -> bool:
    """Integer constants and scalar parameters combined by integer operators, nothing else."""
    if isinstance(e, Const):
        return not is_float(e.dtype) and e.dtype != "bool"
    if isinstance(e, Sym):
        return e.kind == "param" and not is_float(e.dtype)
    if isinstance(e, Cast):
        return not is_float(e.dtype) and _over_params(e.a)
    if isinstance(e, Bin):
        return e.op in ("+", "-", "*", "/", "%") + SHIFTS + BITWISE and not is_float(e.dtype) and \
            _over_params(e.a) and _over_params(e.b)
    return False


def has_atoms(poly: Poly) -> bool:
    """Whether the polynomial holds an opaque atom (`W / 2`) that is not a symbol of its own."""
    return any(name.startswith("(") for monomial in poly for name in monomial)


def poly_add(a: Poly, b: Poly) -> Poly:
    out = dict(a)
    for m, c in b.items():
        out[m] = out.get(m, 0) + c
        if out[m] == 0:
            del out[m]
    return out


def poly_mul(a: Poly, b: Poly) -> Poly:
    out: Poly = {}
    for ma, ca in a.items():
        for mb, cb in b.items():
            m = tuple(sorted(ma + mb))
            out[m] = out.get(m, 0) + ca * cb
            if out[m] == 0:
                del out[m]
    return out


def poly_const(value: int) -> Poly:
    return {(): Fraction(value)} if value else {}


def poly_sym(name: str) -> Poly:
    return {(name,): Fraction(1)}


def rename(e: Expr, old: str, new: Sym) -> Expr:
    """The expression with the symbol `old` (a loop axis) replaced by `new`, in stage references too."""
    if isinstance(e, Sym):
        return new if e.name == old else e
    if isinstance(e, StageRef):
        return StageRef(e.dtype, e.stage, tuple(new.name if a == old else a for a in e.axes))
    if isinstance(e, Load):
        return Load(e.dtype, e.buffer, rename(e.index, old, new))
    if isinstance(e, Bin):
        return Bin(e.dtype, e.op, rename(e.a, old, new), rename(e.b, old, new))
    if isinstance(e, (Neg, Not, Cast)):
        return type(e)(e.dtype, rename(e.a, old, new))
    if isinstance(e, Call):
        return Call(e.dtype, e.fn, tuple(rename(a, old, new) for a in e.args))
    if isinstance(e, Select):
        return Select(e.dtype, rename(e.cond, old, new), rename(e.a, old, new), rename(e.b, old, new))
    return e


def extent_words(e) -> str:
    """An extent as the header and the refusals spell it: a name, or a polynomial in the sizes."""
    if isinstance(e, Sym):
        return e.name
    poly = to_poly(e)
    if poly is None:
        return "(expression)"
    terms = []
    for monomial, coeff in sorted(poly.items()):
        parts = ([str(coeff)] if coeff != 1 or not monomial else []) + list(monomial)
        terms.append("*".join(parts))
    return " + ".join(terms) or "0"
