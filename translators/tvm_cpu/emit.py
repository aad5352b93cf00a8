"""A C++17 + OpenMP printer over lowered TIR: one standalone host function, no TVM at run time.

Parallel loops get `#pragma omp parallel for`, vectorised loops `#pragma omp
simd`; buffers are the host function's pointers (an output and the input of
the same array share one pointer) and temporaries are std::vector.
"""

from __future__ import annotations

import math
import re

from .gemm_schedule import FULL_TILE

C_TYPES = {"float32": "float", "float64": "double", "int32": "int32_t", "int64": "int64_t", "bool": "bool",
           "int8": "int8_t", "int16": "int16_t", "uint8": "uint8_t", "uint16": "uint16_t", "uint32": "uint32_t",
           "uint64": "uint64_t"}
_BINARY = {"Add": "+", "Sub": "-", "Mul": "*", "LT": "<", "LE": "<=", "GT": ">", "GE": ">=", "EQ": "==",
           "NE": "!=", "And": "&&", "Or": "||"}
_MATH = {"exp": "std::exp", "log": "std::log", "sqrt": "std::sqrt", "tanh": "std::tanh", "fabs": "std::fabs",
         "sin": "std::sin", "cos": "std::cos", "pow": "std::pow", "rsqrt": "1 / std::sqrt"}

PRELUDE = """#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace {
// Floor division and modulo of TIR (C++'s / and % truncate).
template <typename T> inline T tv_floordiv(T a, T b) { T q = a / b; return (q * b != a && ((a < 0) != (b < 0))) ? q - 1 : q; }
template <typename T> inline T tv_floormod(T a, T b) { return a - tv_floordiv(a, b) * b; }
// std::max/std::min by value: their reference parameters bound to temporaries stop GCC from
// vectorising an omp simd loop ("data ref analysis failed"); same results ((a < b) ? b : a).
template <typename T> inline T tv_max(T a, T b) { return a < b ? b : a; }
template <typename T> inline T tv_min(T a, T b) { return b < a ? b : a; }
}  // namespace
"""


LOCAL_ARRAY_LIMIT = 4096  # elements: a local buffer up to this size is a fixed-size array


class EmitError(Exception):
    pass


def _dtype(node) -> str:
    return str(node.ty.dtype)


def _handle(obj) -> int:
    return obj.__chandle__()


class Printer:
    def __init__(self, func, buffer_names: dict, scalars: list[str]):
        """buffer_names: PrimFunc buffer parameter name -> C pointer name."""
        self.names: dict[int, str] = {}
        self.used = set(scalars) | set(buffer_names.values())
        self.lines: list[str] = []
        self.buffers: set[int] = set()  # handles of pointer-like names (parameters, temporaries)
        self.stats = {"parallel": 0, "simd": 0}
        self._versioning = False
        self.known_true: set[int] = set()  # guards (IfThenElse handles) a whole-tile copy drops
        self.peeled: dict[int, bool] = {}
        self.select_outcome: dict[int, bool] = {}  # selects (handles) a loop split has decided  # `if (v == first)` guards -> whether v is at its first value
        for param in func.params:
            name = param.name
            if name in buffer_names:
                self.names[_handle(param)] = buffer_names[name]
                self.buffers.add(_handle(param))
            elif name in scalars:
                self.names[_handle(param)] = name
            else:
                raise EmitError(f"parameter '{name}' has no host counterpart")
        self.func = func

    def body(self) -> list[str]:
        self.stmt(self.func.body, 1)
        return self.lines

    # --- names ---------------------------------------------------------------
    def fresh(self, obj, hint: str) -> str:
        base = re.sub(r"\W", "_", hint) or "v"
        if base[0].isdigit():
            base = "v" + base
        name, k = base, 1
        while name in self.used:
            name, k = f"{base}_{k}", k + 1
        self.used.add(name)
        self.names[_handle(obj)] = name
        return name

    def name_of(self, var) -> str:
        key = _handle(var)
        if key not in self.names:
            raise EmitError(f"variable '{var.name}' is used before it is defined")
        return self.names[key]

    # --- statements ------------------------------------------------------------
    def emit(self, depth: int, text: str) -> None:
        self.lines.append("    " * depth + text)

    def stmt(self, s, depth: int) -> None:
        kind = type(s).__name__
        if kind == "SeqStmt":
            for child in s.seq:
                self.stmt(child, depth)
        elif kind == "For":
            self.loop(s, depth)
        elif kind == "BufferStore":
            self.emit(depth, f"{self.buffer(s.buffer)}[{self.index(s.indices)}] = {self.expr(s.value)};")
        elif kind == "IfThenElse":
            settled = self._settled(s)
            if settled is not None:
                if settled:
                    self.stmt(s.then_case, depth)
                elif s.else_case is not None:
                    self.stmt(s.else_case, depth)
                return
            self.emit(depth, f"if ({self.expr(s.condition)}) {{")
            self.stmt(s.then_case, depth + 1)
            if s.else_case is not None:
                self.emit(depth, "} else {")
                self.stmt(s.else_case, depth + 1)
            self.emit(depth, "}")
        elif kind == "DeclBuffer":
            source = self._decl_source(s)
            self.names[_handle(s.buffer)] = source
            self.buffers.add(_handle(s.buffer))
        elif kind == "AllocBuffer":
            buf = s.buffer
            ctype = C_TYPES[str(buf.ty.dtype)]
            elements = _constant_size(buf.shape)
            if buf.scope() == "local" and elements is not None and elements <= LOCAL_ARRAY_LIMIT:
                # A fixed-size array (zeroed, as the vector would be) the compiler can keep in registers.
                name = self.fresh(buf, buf.name)
                self.buffers.add(_handle(buf))
                self.emit(depth, f"alignas(64) {ctype} {name}[{elements}] = {{}};")
                return
            size = " * ".join(f"static_cast<size_t>({self.expr(d)})" for d in buf.shape) or "1"
            name = self.fresh(buf, buf.name)
            self.buffers.add(_handle(buf))
            self.emit(depth, f"std::vector<{ctype}> {name}_storage({size});")
            self.emit(depth, f"{ctype}* const {name} = {name}_storage.data();")
        elif kind in ("Bind", "LetStmt"):
            name = self.fresh(s.var, s.var.name)
            self.emit(depth, f"const {C_TYPES[_dtype(s.var)]} {name} = {self.expr(s.value)};")
            if getattr(s, "body", None) is not None:
                self.stmt(s.body, depth)
        elif kind == "Evaluate":
            self.emit(depth, f"(void)({self.expr(s.value)});")
        else:
            raise EmitError(f"lowered TIR statement '{kind}' has no C++ form here")

    def _settled(self, s):
        """True/False when the copy being printed knows this guard's outcome, else None."""
        if _handle(s) in self.known_true:
            return True
        cond = s.condition
        if type(cond).__name__ == "EQ" and type(cond.a).__name__ == "Var" and _handle(cond.a) in self.peeled:
            return self.peeled[_handle(cond.a)] if _is_const(cond.b) else None
        return None

    def _decl_source(self, decl) -> str:
        data = decl.data
        found = []

        def visit(node):
            if type(node).__name__ == "Var" and _handle(node) in self.buffers:
                found.append(self.names[_handle(node)])

        import tvm_ffi
        tvm_ffi.structural_walk(data, visit)
        if not found:
            raise EmitError(f"buffer '{decl.buffer.name}' views an unknown buffer")
        return found[0]

    def loop(self, s, depth: int) -> None:
        if FULL_TILE in s.annotations and int(s.kind) == 0 and not self._versioning:
            self._versioned_loop(s, depth)
            return
        if int(s.kind) == 0 and _handle(s.loop_var) not in self.peeled and _first_iteration_guards(s):
            self._peeled_loop(s, depth)
            return
        kind = int(s.kind)
        if kind == 2 and self._boundary_split(s, depth):
            return
        var = self.fresh(s.loop_var, s.loop_var.name)
        ctype = C_TYPES[_dtype(s.loop_var)]
        lo, extent = self.expr(s.min), self.expr(s.extent)
        end = extent if lo == "0" else f"{lo} + {extent}"
        if kind == 1:
            self.emit(depth, "#pragma omp parallel for")
            self.stats["parallel"] += 1
        elif kind == 2:
            self.emit(depth, "#pragma omp simd")
            self.stats["simd"] += 1
        elif kind not in (0, 3):
            raise EmitError("thread-bound loops have no CPU form")
        body, closing = s.body, []
        if kind == 2 and lo == "0":
            guarded = self._guard_as_bound(s)
            if guarded is not None:
                hoisted, bounds, body = guarded
                if hoisted:
                    self.lines.insert(len(self.lines) - 1, "    " * depth + f"if ({' && '.join(hoisted)}) {{")
                    self.lines[-1] = "    " + self.lines[-1]
                    depth += 1
                    closing.append(depth - 1)
                for bound in bounds:
                    end = f"std::min<{ctype}>({end}, {bound})"
        self.emit(depth, f"for ({ctype} {var} = {lo}; {var} < {end}; ++{var}) {{")
        self.stmt(body, depth + 1)
        self.emit(depth, "}")
        for d in closing:
            self.emit(d, "}")

    def _versioned_loop(self, s, depth: int) -> None:
        """A tile loop: its body once for whole tiles, with every bounds guard dropped, once guarded."""
        var = self.fresh(s.loop_var, s.loop_var.name)
        full, guards = _whole_tile_condition(s.body, self)
        if not guards:
            self._versioning = True
            try:
                self.loop(s, depth)
            finally:
                self._versioning = False
            return
        ctype = C_TYPES[_dtype(s.loop_var)]
        lo, extent = self.expr(s.min), self.expr(s.extent)
        end = extent if lo == "0" else f"{lo} + {extent}"
        self.emit(depth, f"for ({ctype} {var} = {lo}; {var} < {end}; ++{var}) {{")
        self.emit(depth + 1, f"if ({' && '.join(full)}) {{  // a whole tile: no bounds guards")
        self.known_true |= guards
        try:
            self.stmt(s.body, depth + 2)
        finally:
            self.known_true -= guards
        self.emit(depth + 1, "} else {")
        self.stmt(s.body, depth + 2)
        self.emit(depth + 1, "}")
        self.emit(depth, "}")

    def _peeled_loop(self, s, depth: int) -> None:
        """A loop whose body has `if (v == first)` guards (a reduction's initialisation): the first
        iteration printed on its own with them true, then the rest without them."""
        key = _handle(s.loop_var)
        ctype = C_TYPES[_dtype(s.loop_var)]
        lo, extent = self.expr(s.min), self.expr(s.extent)
        try:
            self.peeled[key] = True
            self.emit(depth, f"if ({extent} > 0) {{  // the first iteration")
            var = self.fresh(s.loop_var, s.loop_var.name)
            self.emit(depth + 1, f"const {ctype} {var} = {lo};")
            self.stmt(s.body, depth + 1)
            self.emit(depth, "}")
            self.peeled[key] = False
            var = self.fresh(s.loop_var, s.loop_var.name)
            end = extent if lo == "0" else f"{lo} + {extent}"
            self.emit(depth, f"for ({ctype} {var} = {_plus_one(lo)}; {var} < {end}; ++{var}) {{")
            self.stmt(s.body, depth + 1)
            self.emit(depth, "}")
        finally:
            del self.peeled[key]

    def _boundary_split(self, s, depth: int) -> bool:
        """A simd loop storing `select(c, t, f)` where c is an `||` of terms free of the loop
        variable v and of `v == first` / `v == last` (a stencil's boundary): when a free term
        holds, one simd loop of `t`; otherwise the first and last element as they are and a
        branch-free simd loop of `f` over the interior."""
        body = s.body
        if type(body).__name__ != "BufferStore" or not _is_select(body.value):
            return False
        v = _handle(s.loop_var)
        first, last = s.min, s.min + s.extent - 1
        from tvm import sym

        analyzer = sym.Analyzer()
        free, edges = [], set()
        for term in _disjuncts(_select_parts(body.value)[0]):
            if not _mentions(term, v):
                free.append(term)
                continue
            if (type(term).__name__ != "EQ" or type(term.a).__name__ != "Var" or _handle(term.a) != v
                    or _mentions(term.b, v)):
                return False
            if analyzer.can_prove_equal(term.b, first):
                edges.add("first")
            elif analyzer.can_prove_equal(term.b, last):
                edges.add("last")
            else:
                return False
        if not edges:
            return False
        key, ctype = _handle(body.value), C_TYPES[_dtype(s.loop_var)]
        lo, extent = self.expr(s.min), self.expr(s.extent)
        end = extent if lo == "0" else f"{lo} + {extent}"
        inner_lo = _plus_one(lo) if "first" in edges else lo
        inner_end = f"{end} - 1" if "last" in edges else end

        def simd_loop(start: str, stop: str, outcome: bool | None, d: int, simd: bool = True) -> None:
            if simd:
                self.emit(d, "#pragma omp simd")
                self.stats["simd"] += 1
            var = self.fresh(s.loop_var, s.loop_var.name)
            self.emit(d, f"for ({ctype} {var} = {start}; {var} < {stop}; ++{var}) {{")
            if outcome is not None:
                self.select_outcome[key] = outcome
            try:
                self.stmt(body, d + 1)
            finally:
                self.select_outcome.pop(key, None)
            self.emit(d, "}")

        if free:
            self.emit(depth, f"if ({' || '.join(self.expr(t) for t in free)}) {{")
            simd_loop(lo, end, True, depth + 1)
            self.emit(depth, "} else {")
            depth += 1
        if "first" in edges:  # the first element, select and all (also when the loop has one element)
            simd_loop(lo, f"std::min<{ctype}>({end}, {_plus_one(lo)})", None, depth, simd=False)
        simd_loop(inner_lo, inner_end, False, depth)  # the interior: branch-free
        if "last" in edges:
            simd_loop(f"std::max<{ctype}>({inner_lo}, {end} - 1)", end, None, depth, simd=False)
        if free:
            self.emit(depth - 1, "}")
        return True

    def _guard_as_bound(self, loop):
        """A vectorised loop whose body is `if (base + v < bound && rest) S`: the guard becomes the
        trip count min(extent, bound - base) and `rest` (free of v) an if around the loop, so the
        loop body has no branch."""
        body = loop.body
        if type(body).__name__ != "IfThenElse" or body.else_case is not None or _handle(body) in self.known_true:
            return None
        v = _handle(loop.loop_var)
        hoisted, bounds = [], []
        for term in _conjuncts(body.condition):
            if not _mentions(term, v):
                hoisted.append(self.expr(term))
                continue
            if type(term).__name__ != "LT" or _mentions(term.b, v):
                return None
            addends = _addends(term.a)
            with_v = [t for t in addends if _mentions(t, v)]
            if len(with_v) != 1 or type(with_v[0]).__name__ != "Var" or _handle(with_v[0]) != v:
                return None
            base = [self.expr(t) for t in addends if not _mentions(t, v)]
            bounds.append(f"{self.expr(term.b)} - ({' + '.join(base) or '0'})")
        return hoisted, bounds, body.then_case

    # --- expressions -------------------------------------------------------------
    def buffer(self, buf) -> str:
        return self.name_of(buf)

    def index(self, indices) -> str:
        if len(indices) != 1:
            raise EmitError("a buffer access was not flattened")
        return self.expr(indices[0])

    def expr(self, e) -> str:
        kind = type(e).__name__
        if kind == "IntImm":
            dtype = _dtype(e)
            if dtype == "bool":
                return "true" if e.value else "false"
            return str(e.value) if dtype == "int32" else f"static_cast<{C_TYPES[dtype]}>({e.value})"
        if kind == "FloatImm":
            return _float(e.value, _dtype(e))
        if kind == "Var":
            return self.name_of(e)
        if kind == "TensorLoad":
            return f"{self.buffer(e.source)}[{self.index(e.indices)}]"
        if kind in _BINARY:
            return f"({self.expr(e.a)} {_BINARY[kind]} {self.expr(e.b)})"
        if kind in ("Div",):
            return f"({self.expr(e.a)} / {self.expr(e.b)})"
        if kind in ("Mod",):
            return f"({self.expr(e.a)} % {self.expr(e.b)})"
        if kind == "FloorDiv":
            return f"tv_floordiv<{C_TYPES[_dtype(e)]}>({self.expr(e.a)}, {self.expr(e.b)})"
        if kind == "FloorMod":
            return f"tv_floormod<{C_TYPES[_dtype(e)]}>({self.expr(e.a)}, {self.expr(e.b)})"
        if kind in ("Max", "Min"):
            fn = "tv_max" if kind == "Max" else "tv_min"
            return f"{fn}<{C_TYPES[_dtype(e)]}>({self.expr(e.a)}, {self.expr(e.b)})"
        if kind == "Not":
            return f"(!{self.expr(e.a)})"
        if kind == "Cast":
            return f"static_cast<{C_TYPES[_dtype(e)]}>({self.expr(e.value)})"
        if _handle(e) in self.select_outcome:  # a select a loop split has decided
            parts = _select_parts(e)
            return self.expr(parts[1] if self.select_outcome[_handle(e)] else parts[2])
        if kind == "Select":
            return f"({self.expr(e.condition)} ? {self.expr(e.true_value)} : {self.expr(e.false_value)})"
        if kind == "Call":
            return self.call(e)
        raise EmitError(f"lowered TIR expression '{kind}' has no C++ form here")

    def call(self, e) -> str:
        op = str(e.op.name).split(".")[-1]
        args = [self.expr(a) for a in e.args]
        if op == "if_then_else":
            return f"({args[0]} ? {args[1]} : {args[2]})"
        if op in ("fabs", "abs"):
            return f"std::abs({args[0]})"
        if op in _MATH:
            return f"{_MATH[op]}({', '.join(args)})"
        if op == "likely":
            return args[0]
        raise EmitError(f"call to '{op}' has no C++ form here")


def _constant_size(shape) -> int | None:
    size = 1
    for dim in shape:
        if type(dim).__name__ != "IntImm":
            return None
        size *= int(dim.value)
    return size


def _is_const(e) -> bool:
    return type(e).__name__ == "IntImm"


def _first_iteration_guards(loop) -> bool:
    """Whether the body has an `if (v == min)` guard on this loop's variable."""
    if not _is_const(loop.min):
        return False
    v, first = _handle(loop.loop_var), int(loop.min.value)
    found = []

    def visit(node):
        if type(node).__name__ == "IfThenElse":
            cond = node.condition
            if (type(cond).__name__ == "EQ" and type(cond.a).__name__ == "Var" and _handle(cond.a) == v
                    and _is_const(cond.b) and int(cond.b.value) == first):
                found.append(1)

    import tvm_ffi
    tvm_ffi.structural_walk(loop.body, visit)
    return bool(found)


def _whole_tile_condition(body, printer) -> tuple[list[str], set[int]]:
    """The bounds guards `a < b` under a tile loop whose outcome is the same for the whole tile
    (b free of the tile's inner loops): the condition that all hold at once (each `a` at its
    largest over the inner loops) in C++, and the guards' handles."""
    from tvm import sym

    analyzer = sym.Analyzer()
    words: list[str] = []
    guards: set[int] = set()
    blocked: list[int] = []

    def walk(s, domain: dict):
        kind = type(s).__name__
        if kind == "SeqStmt":
            for child in s.seq:
                walk(child, domain)
        elif kind == "For":
            if _is_const(s.min) and _is_const(s.extent):
                lo = int(s.min.value)
                walk(s.body, {**domain, s.loop_var: sym.IntervalSet(lo, lo + int(s.extent.value) - 1)})
            else:  # guards that mention this loop's variable are not the tile's
                blocked.append(_handle(s.loop_var))
                walk(s.body, domain)
        elif kind == "IfThenElse":
            terms = []
            for term in _conjuncts(s.condition):
                if (type(term).__name__ != "LT" or any(_mentions(term.b, _handle(v)) for v in domain)
                        or any(_mentions(term, v) for v in blocked)):
                    terms = None
                    break
                largest = analyzer.int_set(term.a, domain).max_value if domain else term.a
                if "inf" in type(largest).__name__.lower() or "inf" in str(largest):
                    terms = None
                    break
                terms.append(f"{printer.expr(largest)} < {printer.expr(term.b)}")
            if terms and s.else_case is None:
                guards.add(_handle(s))
                words.extend(t for t in terms if t not in words)
            walk(s.then_case, domain)
            if s.else_case is not None:
                walk(s.else_case, domain)

    walk(body, {})
    return [f"({w})" for w in words], guards


def _plus_one(text: str) -> str:
    return str(int(text) + 1) if text.lstrip("-").isdigit() else f"{text} + 1"


def _is_select(e) -> bool:
    kind = type(e).__name__
    return kind == "Select" or (kind == "Call" and str(e.op.name).split(".")[-1] == "if_then_else")


def _select_parts(e) -> tuple:
    """(condition, true value, false value) of a Select or an if_then_else call."""
    if type(e).__name__ == "Select":
        return e.condition, e.true_value, e.false_value
    return tuple(e.args)


def _disjuncts(e) -> list:
    if type(e).__name__ == "Or":
        return _disjuncts(e.a) + _disjuncts(e.b)
    return [e]


def _conjuncts(e) -> list:
    if type(e).__name__ == "And":
        return _conjuncts(e.a) + _conjuncts(e.b)
    return [e]


def _addends(e) -> list:
    if type(e).__name__ == "Add":
        return _addends(e.a) + _addends(e.b)
    return [e]


def _mentions(e, handle: int) -> bool:
    import tvm_ffi

    found = []
    tvm_ffi.structural_walk(e, lambda node: found.append(1) if type(node).__name__ == "Var" and
                            _handle(node) == handle else None)
    return bool(found)


def _float(value: float, dtype: str) -> str:
    ctype = C_TYPES[dtype]
    if math.isinf(value):
        sign = "-" if value < 0 else ""
        return f"{sign}std::numeric_limits<{ctype}>::infinity()"
    if math.isnan(value):
        return f"std::numeric_limits<{ctype}>::quiet_NaN()"
    text = repr(float(value))
    if "e" not in text and "." not in text:
        text += ".0"
    return text + ("f" if dtype == "float32" else "")


def emit_function(func, buffer_names: dict, scalars: list[str], signature: str, header: list[str]) -> str:
    printer = Printer(func, buffer_names, scalars)
    body = printer.body()
    comment = ["// " + line if line else "//" for line in header]
    return "\n".join(comment + ["", PRELUDE, signature + " {"] + body + ["}", ""])


def emit_dispatch(tuned, default, buffer_names: dict, entry: str, params: list, extern_c: bool,
                  pinned: dict[str, int], header: list[str]) -> str:
    """Two static functions and the entry that picks one: the tuned schedule at its shape
    (`pinned` integer parameters are constants in it), the default schedule otherwise.
    tuned/default: (lowered PrimFunc, its scalar parameter names)."""
    declarations = ", ".join(p.declaration for p in params)
    arguments = ", ".join(p.name for p in params)
    shape = " && ".join(f"{name} == {value}" for name, value in pinned.items()) or "true"
    words = ", ".join(f"{name} = {value}" for name, value in pinned.items())
    tuned_body = Printer(tuned[0], buffer_names, tuned[1]).body()
    unused = [f"    (void){name};" for name in pinned]  # constants in the tuned body
    default_body = Printer(default[0], buffer_names, default[1]).body()
    comment = ["// " + line if line else "//" for line in header]
    linkage = "extern \"C\" " if extern_c else ""
    return "\n".join(comment + [
        "", PRELUDE,
        f"// The tuned schedule, specialised to {words}.",
        f"static void {entry}_tuned({declarations}) {{", *unused, *tuned_body, "}", "",
        "// The default schedule, for every other shape.",
        f"static void {entry}_any_shape({declarations}) {{", *default_body, "}", "",
        f"{linkage}void {entry}({declarations}) {{",
        f"    if ({shape}) {{",
        f"        {entry}_tuned({arguments});",
        "    } else {",
        f"        {entry}_any_shape({arguments});",
        "    }",
        "}", ""])
