"""Expressions of the symbolically executed thread: identifiers, operators, math calls, array elements."""

from __future__ import annotations

import re

from tree_sitter import Node

from ...verify.cuda.parse import line_of, text_of
from ...verify.cuda.signature import SCALAR_TYPES
from .errors import Unliftable
from .ir import (BITWISE, COMPARISONS, SHIFTS, Call, Const, Expr, Load, Neg, Not, Select, Sym, all_ones, binary,
                 bit_width, cast, fold_bits, is_float, promote, rename, symbols, to_poly)
from .lifted import Ptr
from .tables import ConstantTable, UnknownConstant
from .patterns import AXIS_OF, canonical, global_index, number

# C math name -> (IR function, result dtype or None for "as the argument")
MAX_TABLE_SELECT = 64  # entries of a __constant__ table read at a computed index, as a select chain

MATH = {
    "expf": ("exp", "float32"), "__expf": ("exp", "float32"), "exp": ("exp", None),
    "logf": ("log", "float32"), "__logf": ("log", "float32"), "log": ("log", None),
    "sqrtf": ("sqrt", "float32"), "sqrt": ("sqrt", None),
    "rsqrtf": ("rsqrt", "float32"), "rsqrt": ("rsqrt", None),
    "tanhf": ("tanh", "float32"), "tanh": ("tanh", None),
    "fabsf": ("abs", "float32"), "fabs": ("abs", None), "abs": ("abs", None),
    "sinf": ("sin", "float32"), "sin": ("sin", None), "cosf": ("cos", "float32"), "cos": ("cos", None),
    "powf": ("pow", "float32"), "pow": ("pow", None),
    "coshf": ("cosh", "float32"), "cosh": ("cosh", None), "sinhf": ("sinh", "float32"), "sinh": ("sinh", None),
    "tanf": ("tan", "float32"), "tan": ("tan", None), "atanf": ("atan", "float32"), "atan": ("atan", None),
    "erff": ("erf", "float32"), "erf": ("erf", None), "log1pf": ("log1p", "float32"), "log1p": ("log1p", None),
    "exp2f": ("exp2", "float32"), "exp2": ("exp2", None), "log2f": ("log2", "float32"), "log2": ("log2", None),
    "log10f": ("log10", "float32"), "log10": ("log10", None),
    "floorf": ("floor", "float32"), "floor": ("floor", None), "ceilf": ("ceil", "float32"), "ceil": ("ceil", None),
    "truncf": ("trunc", "float32"), "trunc": ("trunc", None),
    "fmaxf": ("max", "float32"), "fmax": ("max", None), "max": ("max", None),
    "fminf": ("min", "float32"), "fmin": ("min", None), "min": ("min", None),
}


# CUDA's integer intrinsics -> (IR function over the unsigned bits, their width); the result is an int.
BIT_COUNTS = {"__popc": ("popcount", "uint32"), "__popcll": ("popcount", "uint64"),
              "__clz": ("clz", "uint32"), "__clzll": ("clz", "uint64")}

# CUDA's intrinsics computed by a C function of the emitted file -> (its name, argument type, result type).
BIT_FUNCTIONS = {"__brev": ("tv_brev", "uint32", "uint32"), "__ffs": ("__builtin_ffs", "int32", "int32"),
                 "__ffsll": ("__builtin_ffsll", "int64", "int32")}

FUSED = {"fmaf": "float32", "__fmaf_rn": "float32", "fma": None, "__fma_rn": "float64"}  # fused multiply-add


NULL_POINTER = object()  # `NULL` or `nullptr`, only compared with a pointer


def _is_null(value) -> bool:
    return value is NULL_POINTER or isinstance(value, Const) and value.value == 0 and not is_float(value.dtype)

# <math.h>'s constants (doubles, as glibc defines them).
MATH_CONSTANTS = {"M_PI": 3.141592653589793, "M_PI_2": 1.5707963267948966, "M_PI_4": 0.7853981633974483,
                  "M_E": 2.718281828459045, "M_SQRT2": 1.4142135623730951, "M_SQRT1_2": 0.7071067811865476,
                  "M_2_SQRTPI": 1.1283791670955126, "M_LN2": 0.6931471805599453, "M_1_PI": 0.3183098861837907}


class ExpressionLifter:
    """Expression evaluation of ThreadLifter (its env, binding, pointers, stores and loads)."""

    def _scalar_type(self, text: str) -> str | None:
        """A scalar type's dtype, a template type parameter of the device function being inlined included."""
        text = re.sub(r"\s+", " ", re.sub(r"\b(const|volatile)\b", " ", text.replace("std::", ""))).strip()
        text = self.type_aliases.get(text, text)  # DATA_TYPE -> float
        return self.type_names.get(text) or SCALAR_TYPES.get(text)

    def _scalar(self, value, node: Node) -> Expr:
        if isinstance(value, Ptr):
            raise Unliftable("pointer", line_of(node), f"pointer used as a value in '{text_of(node)[:40]}'")
        if value is NULL_POINTER:
            raise Unliftable("null", line_of(node), f"null pointer used as a value in '{text_of(node)[:40]}'")
        return value

    def _condition(self, value, node: Node) -> Expr:
        """A condition; a pointer in it (`bias ? bias[c] : 0.0f`) is true when it cannot be null."""
        if isinstance(value, Ptr):
            return Const("bool", not self._may_be_null(value, node))
        return self._scalar(value, node)

    def _may_be_null(self, pointer: Ptr, node: Node) -> bool:
        """False for a device allocation the entry copies to or from; refused for a pointer the entry passes
        straight through, whose nullness only its caller knows."""
        if pointer.buffer in self.device_copies:
            return False
        raise Unliftable("null check", line_of(node), f"'{text_of(node)[:40]}' tests whether '{pointer.buffer}' is "
                         "null, which the entry's caller decides; only device copies (never null) are lifted")

    def _check_threads(self, e: Expr, node: Node) -> None:
        if symbols(e, ("thread",)):
            name = sorted(symbols(e, ("thread",)))[0]
            raise Unliftable(name, line_of(node), f"'{name}' is used other than as blockIdx * blockDim + threadIdx "
                             "(a block-level algorithm); not lifted")

    def _expr(self, node: Node):
        kind = node.type
        if kind in ("parenthesized_expression", "condition_clause"):
            return self._expr(node.named_children[0])
        if kind == "number_literal":
            return number(text_of(node), node)
        if kind in ("true", "false"):
            return Const("bool", kind == "true")
        if kind == "null":
            return NULL_POINTER
        if kind == "identifier":
            return self._identifier(text_of(node), node)
        if kind == "field_expression":
            base, fld = text_of(node.child_by_field_name("argument")), text_of(node.child_by_field_name("field"))
            if base in ("threadIdx", "blockIdx", "blockDim", "gridDim") and fld in AXIS_OF:
                return Sym("int32", f"{base}.{fld}", "thread")
            raise Unliftable("field", line_of(node), f"'{text_of(node)}' is not lifted")
        if kind == "binary_expression":
            return self._binary(node)
        if kind == "unary_expression":
            op = text_of(node.child_by_field_name("operator"))
            arg = self._expr(node.child_by_field_name("argument"))
            arg = self._condition(arg, node) if op == "!" else self._scalar(arg, node)
            if op == "-":
                if isinstance(arg, Const):
                    return Const(arg.dtype, -arg.value)
                return Neg(arg.dtype, cast(arg, "int32") if arg.dtype == "bool" else arg)
            if op == "+":
                return arg
            if op == "!":
                return Not("bool", cast(arg, "bool"))
            if op == "~":
                if is_float(arg.dtype):
                    raise Unliftable("~", line_of(node), f"'~' on a floating-point value in '{text_of(node)[:40]}'")
                dtype = promote(arg.dtype, "bool")  # integer promotion, then every bit flipped
                flipped = binary("^", cast(arg, dtype), all_ones(dtype))
                return fold_bits(flipped) if isinstance(arg, Const) else flipped
            raise Unliftable(op, line_of(node), f"operator '{op}' is not lifted")
        if kind == "cast_expression":
            type_text = re.sub(r"\s+", " ", text_of(node.child_by_field_name("type")).replace("std::", "")).strip()
            value = self._expr(node.child_by_field_name("value"))
            if type_text.endswith("*") or isinstance(value, Ptr) or value is NULL_POINTER:
                raise Unliftable("pointer cast", line_of(node), f"cast '{text_of(node)[:40]}' is not lifted")
            dtype = self._scalar_type(type_text)
            if dtype is None:
                raise Unliftable("cast", line_of(node), f"cast to '{type_text}' is not lifted")
            return value if isinstance(value, Sym) and value.kind == "thread" else cast(value, dtype)
        if kind == "conditional_expression":
            cond = self._condition(self._expr(node.child_by_field_name("condition")), node)
            a = self._scalar(self._expr(node.child_by_field_name("consequence")), node)
            b = self._scalar(self._expr(node.child_by_field_name("alternative")), node)
            dtype = binary("+", a, b).dtype
            return Select(dtype, cast(cond, "bool"), cast(a, dtype), cast(b, dtype))
        if kind == "subscript_expression":
            table = self._constant_table(node)
            if table is not None:
                return self._table_entry(table, node.child_by_field_name("indices"), node)
            buffer, index, dtype = self._element(node)
            return self._load(buffer, index, dtype)
        if kind == "call_expression":
            return self._call(node)
        if kind == "pointer_expression":
            argument = node.child_by_field_name("argument")
            if text_of(node.child_by_field_name("operator")) == "&" and argument.type == "subscript_expression" \
                    and self._constant_table(argument) is None:
                buffer, index, _ = self._element(argument)  # `&x[i]` is `x + i` (passed to a helper)
                return Ptr(buffer, index)
            buffer, index, dtype = self._dereference(node)
            return self._load(buffer, index, dtype)
        raise Unliftable(kind, line_of(node), f"expression '{text_of(node)[:40]}' is not lifted")

    def _identifier(self, name: str, node: Node):
        if name in self.env:
            value = self.env[name]
            if value is None:
                raise Unliftable("uninitialised", line_of(node), f"'{name}' is used before it is assigned")
            return value
        if name in self.binding:
            host = self.binding[name]
            if host in self.pointers:
                return Ptr(host, Const("int32", 0))
            return Sym(self.scalars[host], host, "param")
        if name in self.constants:
            table = self.constants[name]
            if isinstance(table, UnknownConstant):
                raise Unliftable("__constant__", line_of(node), f"__constant__ array '{name}' is read, but {table.why} "
                                 f"(line {table.line})")
            if isinstance(table, str):
                return Ptr(table, Const("int32", 0))
            raise Unliftable("__constant__", line_of(node), f"__constant__ table '{name}' is used other than as "
                             f"{name}[index]")
        if name in self.macros:
            return self._macro(name, node)
        if name in MATH_CONSTANTS:
            return Const("float64", MATH_CONSTANTS[name])
        if name in ("INFINITY", "HUGE_VALF"):
            return Const("float32", float("inf"))
        if name == "FLT_MAX":
            return Const("float32", 3.4028234663852886e38)
        if name in ("warpSize",):
            raise Unliftable(name, line_of(node), f"'{name}' is a block-level construct; not lifted")
        raise Unliftable("identifier", line_of(node), f"'{name}' is not a parameter or local (macros and globals "
                         "are not lifted)")

    def _macro(self, name: str, node: Node):
        """An object-like macro of the file: its replacement, read where the kernel names it."""
        macro = self.macros[name]
        if macro.expression is None:
            raise Unliftable("macro", line_of(node), f"macro '{name}' is not lifted: {macro.why}")
        if name in self.expanding:
            raise Unliftable("macro", line_of(node), f"macro '{name}' refers to itself")
        self.expanding.add(name)
        try:
            return self._expr(macro.expression)
        except Unliftable as inner:
            raise Unliftable(inner.construct, line_of(node), f"in macro '{name}' (line {macro.line}): "
                             f"{inner.message}") from None
        finally:
            self.expanding.discard(name)

    def _binary(self, node: Node):
        op = text_of(node.child_by_field_name("operator"))
        a = self._expr(node.child_by_field_name("left"))
        b = self._expr(node.child_by_field_name("right"))
        if op in ("==", "!=") and (isinstance(a, Ptr) and _is_null(b) or isinstance(b, Ptr) and _is_null(a)):
            is_null = self._may_be_null(a if isinstance(a, Ptr) else b, node)
            return Const("bool", is_null == (op == "=="))
        if a is NULL_POINTER or b is NULL_POINTER:
            raise Unliftable("null", line_of(node), f"'{text_of(node)[:40]}': a null pointer other than compared "
                             "with a pointer is not lifted")
        if isinstance(a, Ptr) or isinstance(b, Ptr):
            if op == "+" and isinstance(a, Ptr) and not isinstance(b, Ptr):
                return Ptr(a.buffer, binary("+", a.offset, b))
            if op == "+" and isinstance(b, Ptr) and not isinstance(a, Ptr):
                return Ptr(b.buffer, binary("+", b.offset, a))
            if op == "-" and isinstance(a, Ptr) and not isinstance(b, Ptr):
                return Ptr(a.buffer, binary("-", a.offset, b))
            raise Unliftable("pointer arithmetic", line_of(node), f"'{text_of(node)[:40]}' is not lifted")
        if op not in ("+", "-", "*", "/", "%", "&&", "||") + COMPARISONS + SHIFTS + BITWISE:
            raise Unliftable(op, line_of(node), f"operator '{op}' is not lifted")
        return global_index(self._arithmetic(op, a, b, node))

    def _arithmetic(self, op: str, a: Expr, b: Expr, node: Node) -> Expr:
        """`a op b` with C's conversions; integer-only operators on a float, and shifts whose
        constant count C leaves undefined, refused (an expression and a compound assignment alike)."""
        if op in ("%",) + SHIFTS + BITWISE and (is_float(a.dtype) or is_float(b.dtype)):
            raise Unliftable(op, line_of(node), f"'{op}' on floating-point values in '{text_of(node)[:40]}'")
        result = binary(op, a, b)
        if op in SHIFTS and isinstance(b, Const):
            width = bit_width(result.dtype)
            if not 0 <= int(b.value) < width:
                raise Unliftable("shift count", line_of(node), f"'{text_of(node)[:40]}' shifts a {width}-bit value "
                                 f"by {int(b.value)} (C defines counts 0 to {width - 1} only)")
        if op in SHIFTS + BITWISE and isinstance(result.a, Const) and isinstance(result.b, Const):
            return fold_bits(result)  # TVM folds unsigned constants through signed values
        return result

    def _call(self, node: Node):
        if self._device_callee(node) is not None:
            return self._device_call(node)
        fn = text_of(node.child_by_field_name("function"))
        args = [self._scalar(self._expr(a), node) for a in node.child_by_field_name("arguments").named_children]
        cast_to = self._scalar_type(fn)
        if cast_to is not None and len(args) == 1:  # a functional cast: `float(i)`, `T(0)` in a template
            return cast(args[0], cast_to)
        if fn in FUSED:
            if len(args) != 3:
                raise Unliftable("call", line_of(node), f"'{fn}' takes 3 arguments")
            dtype = FUSED[fn] or binary("+", binary("*", args[0], args[1]), args[2]).dtype
            dtype = dtype if is_float(dtype) else "float64"
            # a*b+c rounded twice; within the verifier's tolerance of the fused operation
            return binary("+", binary("*", cast(args[0], dtype), cast(args[1], dtype)), cast(args[2], dtype))
        if fn in BIT_COUNTS or fn in BIT_FUNCTIONS:
            if len(args) != 1:
                raise Unliftable("call", line_of(node), f"'{fn}' takes one argument")
            if is_float(args[0].dtype):  # converted to an integer by value, undefined out of range
                raise Unliftable("call", line_of(node), f"'{fn}' of a floating-point value is not lifted")
            if fn in BIT_FUNCTIONS:
                name, takes, gives = BIT_FUNCTIONS[fn]
                return Call(gives, f"extern:{name}", (cast(args[0], takes),))
            name, bits = BIT_COUNTS[fn]
            return cast(Call(bits, name, (cast(args[0], bits),)), "int32")
        if fn not in MATH:
            raise Unliftable("call", line_of(node), f"call to '{fn}' is not lifted (neither a __device__ function "
                             "of the file nor a supported math function)")
        name, dtype = MATH[fn]
        want = 2 if name in ("max", "min", "pow") else 1
        if len(args) != want:
            raise Unliftable("call", line_of(node), f"'{fn}' takes {want} argument(s)")
        if dtype is None:
            dtype = args[0].dtype if want == 1 else binary("+", args[0], args[1]).dtype
            if not is_float(dtype) and name not in ("max", "min", "abs"):
                dtype = "float64"
        return Call(dtype, name, tuple(cast(a, dtype) for a in args))

    def _element(self, node: Node):
        base = self._expr(node.child_by_field_name("argument"))
        indices = node.child_by_field_name("indices")
        if not isinstance(base, Ptr):
            raise Unliftable("subscript", line_of(node), f"'{text_of(node)[:40]}' does not index an array parameter")
        index_nodes = indices.named_children if indices is not None else []
        if len(index_nodes) != 1:
            raise Unliftable("subscript", line_of(node), "one index per subscript")
        index = self._scalar(self._expr(index_nodes[0]), node)
        if is_float(index.dtype):
            raise Unliftable("subscript", line_of(node), "floating-point index")
        self._check_threads(index, node)
        full = binary("+", base.offset, index) if base.offset != Const("int32", 0) else index
        return (*self._cell(base.buffer, canonical(full), node), self.pointers[base.buffer])

    def _dereference(self, node: Node):
        """`*p` is `p[0]`: the element of the array parameter that `p` points at."""
        if text_of(node.child_by_field_name("operator")) != "*":
            raise Unliftable("&", line_of(node), f"'{text_of(node)[:40]}': taking an address is not lifted")
        base = self._expr(node.child_by_field_name("argument"))
        if not isinstance(base, Ptr):
            raise Unliftable("*pointer", line_of(node), f"'{text_of(node)[:40]}' does not point into an array "
                             "parameter")
        self._check_threads(base.offset, node)
        return (*self._cell(base.buffer, canonical(base.offset), node), self.pointers[base.buffer])

    def _cell(self, buffer: str, index: Expr, node: Node):
        """(buffer, index) of an element; an array a loop accumulates in at one cell (a promoted cell,
        lift_loops) must not be reached at another cell inside that loop: the cell's value there is
        only known once the loop ends."""
        promoted = self.promoted
        if promoted and (buffer, index) not in promoted and any(b == buffer for b, _ in promoted):
            raise Unliftable("in-place update", line_of(node), f"'{buffer}' is accumulated in at one cell by an "
                             f"enclosing loop and reached at another cell ('{text_of(node)[:40]}') inside it; "
                             "not lifted")
        return buffer, index

    def _constant_table(self, node: Node) -> ConstantTable | None:
        base = node.child_by_field_name("argument")
        name = text_of(base) if base is not None and base.type == "identifier" else None
        if name is None or name in self.env or name in self.binding:
            return None
        table = self.constants.get(name)
        return table if isinstance(table, ConstantTable) else None

    def _table_entry(self, table: ConstantTable, indices, node: Node) -> Expr:
        """A constant entry, or a select over the entries for an index the thread computes."""
        index_nodes = indices.named_children if indices is not None else []
        if len(index_nodes) != 1:
            raise Unliftable("subscript", line_of(node), "one index per subscript")
        index = self._scalar(self._expr(index_nodes[0]), node)
        poly = to_poly(index) if not is_float(index.dtype) else None
        if poly is not None and set(poly) <= {()}:
            k = int(poly.get((), 0))
            if not 0 <= k < len(table.values):
                raise Unliftable("__constant__", line_of(node), f"'{text_of(node)}' reads outside '{table.name}'")
            return table.values[k]
        if poly is None or len(table.values) > MAX_TABLE_SELECT:
            raise Unliftable("__constant__", line_of(node), f"'{text_of(node)}': a computed index into a __constant__ "
                             f"table of more than {MAX_TABLE_SELECT} entries is not lifted")
        value: Expr = table.values[-1]
        for k in range(len(table.values) - 2, -1, -1):
            value = Select(table.dtype, binary("==", index, Const(index.dtype, k)), table.values[k], value)
        return value

    def _load(self, buffer: str, index: Expr, dtype: str) -> Expr:
        if (buffer, index) in self.promoted:
            return self.env[self.promoted[(buffer, index)]]
        if (buffer, index) in self.stores:
            return self.stores[(buffer, index)][0]
        stored = self._stored_over_loop(buffer, index)
        if stored is not None:
            return stored
        self.loads.add(buffer)
        return Load(dtype, buffer, index)

    def _stored_over_loop(self, buffer: str, index: Expr) -> Expr | None:
        """A read, in a reduction loop over r, of the cells an earlier loop over axis a stored
        (`for c: res[c] = e;` then `for c: v += res[c] * res[c];`): the stored value with a := r, when
        the index is the stored one with a := r and r runs over exactly a's range [0, extent)."""
        poly = to_poly(index)
        reduces = symbols(index, ("reduce",))
        if poly is None or not reduces:
            return None
        for (stored_buffer, stored_index), (value, _) in self.stores.items():
            if stored_buffer != buffer:
                continue
            for axis in symbols(stored_index, ("axis",)) - set(self.loop_axes):
                if not axis.startswith("loop_"):
                    continue
                for r in reduces:
                    start, end = self.reduce_ranges[r]
                    if to_poly(start) != {} or to_poly(end) != to_poly(self.extents[axis]):
                        continue
                    reduce = Sym("int32", r, "reduce")
                    if to_poly(rename(stored_index, axis, reduce)) == poly:
                        return rename(value, axis, reduce)
        return None

