"""Pattern and index analysis of the lifted thread: global indices, guards, row-major stores, reductions."""

from __future__ import annotations

from tree_sitter import Node

from ...verify.cuda.parse import line_of, text_of, walk
from .errors import Unliftable
from .ir import (BITWISE, Bin, Call, Cast, Const, Expr, Load, Neg, Not, Select, Sym, all_ones, binary, cast, children, contains, has_atoms,
                 is_float, poly_add, poly_const, poly_mul, poly_sym, to_poly)

AXIS_OF = {"x": "gx", "y": "gy", "z": "gz"}


def number(text: str, node: Node) -> Const:
    t = text.lower().replace("'", "")
    try:
        if t.startswith("0x") and not any(c in t for c in "p."):
            return _integer_literal(int(t.rstrip("ul"), 16), t, True, text, node)
        if any(c in t for c in ".e") or (t.endswith("f") and not t.startswith("0x")):
            return Const("float32" if t.endswith("f") else "float64", float(t.rstrip("fl")))
        octal = t.startswith("0") and len(t.rstrip("ul")) > 1
        return _integer_literal(int(t.rstrip("ul"), 8 if octal else 10), t, octal, text, node)
    except ValueError:
        raise Unliftable("literal", line_of(node), f"number '{text}' is not understood") from None


def _integer_literal(value: int, t: str, not_decimal: bool, text: str, node: Node) -> Const:
    """C's type of an integer literal: the first of its suffix's candidate types that holds the value
    (a decimal without `u` stays signed; a hex or octal one may be unsigned: `0xFFFFFFFF`)."""
    suffix = t[len(t.rstrip("ul")):]
    if "u" in suffix:
        candidates = ["uint64"] if "l" in suffix else ["uint32", "uint64"]
    elif "l" in suffix:
        candidates = ["int64", "uint64"] if not_decimal else ["int64"]
    else:
        candidates = ["int32", "uint32", "int64", "uint64"] if not_decimal else ["int32", "int64"]
    for dtype in candidates:
        width = int(dtype.lstrip("uint"))
        if value < (1 << width if dtype.startswith("uint") else 1 << (width - 1)):
            return Const(dtype, value)
    raise Unliftable("literal", line_of(node), f"number '{text}' does not fit a 64-bit integer type")


def global_index(e: Expr) -> Expr:
    """blockIdx.d * blockDim.d + threadIdx.d -> the axis of dimension d."""
    poly = _thread_poly(e)
    if poly is None:
        return e
    for dim, axis in AXIS_OF.items():
        want = {tuple(sorted((f"blockDim.{dim}", f"blockIdx.{dim}"))): 1, (f"threadIdx.{dim}",): 1}
        if poly == want:
            return Sym("int32", axis, "axis")
    return e


def _thread_poly(e: Expr):
    if isinstance(e, Sym) and e.kind == "thread":
        return {(e.name,): 1}
    if isinstance(e, Cast):
        return _thread_poly(e.a)
    if isinstance(e, Bin) and e.op in ("+", "*"):
        a, b = _thread_poly(e.a), _thread_poly(e.b)
        if a is None or b is None:
            return None
        return poly_add(a, b) if e.op == "+" else poly_mul(a, b)
    return None


def terms(e: Expr, op: str) -> list:
    if isinstance(e, Bin) and e.op == op:
        return terms(e.a, op) + terms(e.b, op)
    return [e]


_NEGATED = {"<": ">=", ">=": "<", ">": "<=", "<=": ">", "==": "!=", "!=": "=="}


def negate(e: Expr) -> Expr:
    if isinstance(e, Bin) and e.op in _NEGATED:
        return Bin("bool", _NEGATED[e.op], e.a, e.b)
    return Not("bool", e)


def strip_int_casts(e: Expr) -> Expr:
    while isinstance(e, Cast) and not is_float(e.dtype):
        e = e.a
    return e


def index_like(e: Expr) -> bool:
    return not is_float(e.dtype) and to_poly(e) is not None


def contains_load(e: Expr) -> bool:
    return isinstance(e, Load) or any(contains_load(c) for c in children(e))


def has_store(body: Node) -> bool:
    for node in walk(body):
        if node.type == "assignment_expression":
            left = node.child_by_field_name("left")
            if left is not None and left.type in ("subscript_expression", "pointer_expression"):
                return True
    return False


def axis_order(names: set, origin: dict) -> tuple:
    """Rows before columns: z, y, x of the grid, then loop axes in the order they were opened."""
    grid = [a for a in ("gz", "gy", "gx") if a in names]
    loops = sorted((a for a in names if a not in grid), key=lambda a: list(origin).index(a) if a in origin else 0)
    return tuple(grid + loops)


def stored_targets(body: Node) -> list[Node]:
    """The array elements (`a[i]`, `*p`) the body assigns to."""
    targets = []
    for node in walk(body):
        if node.type == "assignment_expression":
            left = node.child_by_field_name("left")
            if left is not None and left.type in ("subscript_expression", "pointer_expression"):
                targets.append(left)
    return targets


def assigned_names(body: Node) -> set[str]:
    names = set()
    for node in walk(body):
        target = None
        if node.type == "assignment_expression":
            target = node.child_by_field_name("left")
        elif node.type == "update_expression":
            target = node.child_by_field_name("argument")
        if target is not None and target.type == "identifier":
            names.add(text_of(target))
    return names


def canonical(index: Expr) -> Expr:
    """Equal polynomial indices map to one key (x[i+1] and x[1+i] are the same cell)."""
    poly = to_poly(index)
    if poly is None or has_atoms(poly):
        return index
    out: Expr | None = None
    for monomial in sorted(poly):
        coeff = poly[monomial]
        if coeff.denominator != 1:
            return index
        term: Expr = Const("int32", int(coeff))
        for name in monomial:
            term = binary("*", term, Sym("int32", name, _kind_of(index, name)))
        out = term if out is None else binary("+", out, term)
    return out if out is not None else Const("int32", 0)


def _kind_of(e: Expr, name: str) -> str:
    stack = [e]
    while stack:
        node = stack.pop()
        if isinstance(node, Sym) and node.name == name:
            return node.kind
        stack.extend(children(node))
    return "param"


def row_major_order(poly, axes: list, extents: dict):
    """The order of `axes` in which `poly` is the row-major flat index, or None."""
    from itertools import permutations

    ext_polys = {a: to_poly(extents[a]) for a in axes}
    if any(p is None for p in ext_polys.values()):
        return None
    for order in permutations(axes):
        flat = poly_const(0)
        for axis in order:
            flat = poly_add(poly_mul(flat, ext_polys[axis]), poly_sym(axis))
        if flat == poly:
            return tuple(order)
    return None


BIT_REDUCTIONS = {"|": "or", "&": "and", "^": "xor"}  # the C operator -> the reduction's name
_BIT_OPERATOR = {name: op for op, name in BIT_REDUCTIONS.items()}


def combined(op: str, old: Expr, result: Expr, dtype: str) -> Expr:
    """The accumulator after a reduction: its value before the loop combined with the loop's result."""
    if op == "sum":
        return binary("+", old, result)
    if op in _BIT_OPERATOR:
        return cast(binary(_BIT_OPERATOR[op], old, result), dtype)
    return Call(dtype, op, (cast(old, dtype), result))


def reduction(new: Expr, marker: Sym):
    """acc + e, acc - e, max(acc, e), min(acc, e), `if (e > acc) acc = e`, acc | e, acc & e, acc ^ e -> (op, e); a conditional update
    `cond ? acc + e : acc` (an `if` in the loop) -> (op, cond ? e : identity); else (None, None)."""
    new = _strip_casts(new)
    if isinstance(new, Select):
        return _conditional_reduction(new, marker)
    if isinstance(new, Bin) and new.op in ("+", "-"):
        a, b = _strip_casts(new.a), _strip_casts(new.b)
        if a == marker and not contains(new.b, marker):
            return "sum", (new.b if new.op == "+" else Neg(new.b.dtype, new.b))
        if b == marker and new.op == "+" and not contains(new.a, marker):
            return "sum", new.a
    if isinstance(new, Bin) and new.op in BITWISE and not is_float(new.dtype):
        # `acc |= e`, `acc &= e`, `acc ^= e`: integer casts of either operand commute with them
        a, b = _strip_casts(new.a), _strip_casts(new.b)
        if a == marker and not contains(new.b, marker):
            return BIT_REDUCTIONS[new.op], new.b
        if b == marker and not contains(new.a, marker):
            return BIT_REDUCTIONS[new.op], new.a
    if isinstance(new, Call) and new.fn in ("max", "min") and len(new.args) == 2:
        a, b = _strip_casts(new.args[0]), _strip_casts(new.args[1])
        if a == marker and not contains(new.args[1], marker):
            return new.fn, new.args[1]
        if b == marker and not contains(new.args[0], marker):
            return new.fn, new.args[0]
    return None, None


def _strip_casts(e: Expr) -> Expr:
    while isinstance(e, Cast):
        e = e.a
    return e


def _conditional_reduction(new: Select, marker: Sym):
    compared = _compare_and_keep(new, marker)
    if compared is not None:
        return compared
    if contains(new.cond, marker):
        return None, None
    branches = []
    for branch in (new.a, new.b):
        if _strip_casts(branch) == marker:
            branches.append(("keep", None))
            continue
        op, term = reduction(branch, marker)
        if op is None:
            return None, None
        branches.append((op, term))
    ops = {op for op, _ in branches} - {"keep"}
    if len(ops) != 1:
        return None, None
    op = ops.pop()
    dtype = next(term.dtype for _, term in branches if term is not None)
    a, b = (identity(op, dtype) if term is None else cast(term, dtype) for _, term in branches)
    return op, Select(dtype, new.cond, a, b)


def _compare_and_keep(new: Select, marker: Sym):
    """`if (e > acc) acc = e;` (acc = e > acc ? e : acc) is max(acc, e), and with `<` min; NaN
    elements are skipped either way, as the printed max/min skip them."""
    cond, chosen = _strip_casts(new.cond), _strip_casts(new.a)
    if _strip_casts(new.b) != marker or contains(new.a, marker):
        return None
    if not (isinstance(cond, Bin) and cond.op in ("<", "<=", ">", ">=")):
        return None
    left, right = _strip_casts(cond.a), _strip_casts(cond.b)
    if left == chosen and right == marker:
        return ("max" if cond.op in (">", ">=") else "min"), new.a
    if left == marker and right == chosen:
        return ("max" if cond.op in ("<", "<=") else "min"), new.a
    return None


_INT_LIMITS = {"int8": 7, "int16": 15, "int32": 31, "int64": 63}


def identity(op: str, dtype: str) -> Const:
    """The value that leaves a sum, max, min or bitwise reduction unchanged (a skipped update)."""
    if op in ("sum", "or", "xor"):
        return Const(dtype, 0.0 if is_float(dtype) else 0)
    if op == "and":
        return all_ones(dtype)
    sign = -1 if op == "max" else 1
    if is_float(dtype):
        return Const(dtype, sign * float("inf"))
    if dtype.startswith("uint"):
        return Const(dtype, 0 if op == "max" else (1 << int(dtype[4:])) - 1)
    bits = _INT_LIMITS.get(dtype, 31)
    return Const(dtype, -(1 << bits) if op == "max" else (1 << bits) - 1)
