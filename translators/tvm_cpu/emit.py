"""A C++17 + OpenMP printer over lowered TIR: one standalone host function, no TVM at run time.

Parallel loops get `#pragma omp parallel for`, vectorised loops `#pragma omp
simd`; buffers are the host function's pointers (an output and the input of
the same array share one pointer) and temporaries are std::vector (a small
local tile: a fixed-size array). Loop forms TIR cannot express with symbolic
shapes (whole-tile copies, peeled initialisation, stencil boundaries) are in
emit_loops.py.
"""

from __future__ import annotations

import math
import re

from .emit_loops import (LOCAL_ARRAY_LIMIT, LoopForms, constant_size, first_iteration_guards, reduction_clauses,
                         scalar_reductions, select_parts)
from .gemm_schedule import FULL_TILE
from .parallel_work import min_work_words, parallel_min_work, parallel_work
from .prelude import PRELUDE
from .streaming import STREAM_PRELUDE, StreamForms, threshold_words
from .tir_util import C_TYPES, addends, conjuncts, dtype_of, handle, mentions

_BINARY = {"Add": "+", "Sub": "-", "Mul": "*", "LT": "<", "LE": "<=", "GT": ">", "GE": ">=", "EQ": "==",
           "NE": "!=", "And": "&&", "Or": "||"}
_MATH = {"exp": "std::exp", "log": "std::log", "sqrt": "std::sqrt", "tanh": "std::tanh", "fabs": "std::fabs",
         "sin": "std::sin", "cos": "std::cos", "pow": "std::pow", "rsqrt": "1 / std::sqrt",
         "cosh": "std::cosh", "sinh": "std::sinh", "tan": "std::tan", "atan": "std::atan", "erf": "std::erf",
         "log1p": "std::log1p", "exp2": "std::exp2", "log2": "std::log2", "log10": "std::log10",
         "floor": "std::floor", "ceil": "std::ceil", "trunc": "std::trunc"}


# TIR's integer bit operators (nodes, and calls where TIR keeps them as such), C's operators over
# operands of the same type.
_BITS = {"LShift": "<<", "RShift": ">>", "BitwiseAnd": "&", "BitwiseOr": "|", "BitwiseXor": "^",
         "shift_left": "<<", "shift_right": ">>", "bitwise_and": "&", "bitwise_or": "|", "bitwise_xor": "^"}


_EXTERN = {"tv_brev", "__builtin_ffs", "__builtin_ffsll"}  # C functions the lifter calls (prelude)


# A parallel nest printed in more lines than this gets OpenMP's `if` clause instead of a one-thread copy.
COPIED_NEST_LINES = 60


class EmitError(Exception):
    pass


class Printer(LoopForms, StreamForms):
    def __init__(self, func, buffer_names: dict, scalars: list[str], streaming: bool = False):
        """buffer_names: PrimFunc buffer parameter name -> C pointer name. With `streaming`, simd
        runs that store an output once get a streaming-store version (streaming.py); the caller
        then adds streaming_parts' header line and helpers to the file."""
        self.names: dict[int, str] = {}
        self.used = set(scalars) | set(buffer_names.values())
        self.lines: list[str] = []
        self.buffers: set[int] = set()  # handles of pointer-like names (parameters, temporaries)
        self.stats = {"parallel": 0, "simd": 0}
        self._versioning = False
        self.known_true: set[int] = set()  # guards (IfThenElse handles) a whole-tile copy drops
        # loop variable -> (its first value, whether the copy being printed is the first iteration)
        self.peeled: dict[int, tuple[int, bool]] = {}
        self.select_outcome: dict[int, bool] = {}  # selects (handles) a loop split has decided
        self.temporaries: dict[str, str] = {}  # the function's own arrays: C name -> element C type
        self.in_scalar: dict[tuple[str, str], str] = {}  # (array, index) -> the local scalar holding it
        for param in func.params:
            name = param.name
            if name in buffer_names:
                self.names[handle(param)] = buffer_names[name]
                self.buffers.add(handle(param))
            elif name in scalars:
                self.names[handle(param)] = name
            else:
                raise EmitError(f"parameter '{name}' has no host counterpart")
        self.func = func
        self.scalar_names = list(scalars)
        self.open_parallel: list[int] = []  # line numbers of the enclosing `omp parallel for` pragmas
        self.streaming = streaming
        self._stream_setup(func, buffer_names)

    def body(self) -> list[str]:
        self.stmt(self.func.body, 1)
        return self._stream_declarations() + self.lines

    # --- names ---------------------------------------------------------------
    def fresh(self, obj, hint: str) -> str:
        name = self.unused_name(hint)
        self.names[handle(obj)] = name
        return name

    def unused_name(self, hint: str) -> str:
        base = re.sub(r"\W", "_", hint) or "v"
        if base[0].isdigit():
            base = "v" + base
        name, k = base, 1
        while name in self.used:
            name, k = f"{base}_{k}", k + 1
        self.used.add(name)
        return name

    def name_of(self, var) -> str:
        key = handle(var)
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
            target = f"{self.buffer(s.buffer)}[{self.index(s.indices)}]"
            target = self.in_scalar.get((self.buffer(s.buffer), self.index(s.indices)), target)
            self.emit(depth, f"{target} = {self.expr(s.value)};")
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
            self.names[handle(s.buffer)] = source
            self.buffers.add(handle(s.buffer))
        elif kind == "AllocBuffer":
            buf = s.buffer
            ctype = C_TYPES[str(buf.ty.dtype)]
            elements = constant_size(buf.shape)
            if elements is not None and elements <= LOCAL_ARRAY_LIMIT:
                # A fixed-size array (zeroed, as the vector would be) the compiler can keep in
                # registers; inside a loop, no heap allocation per iteration either.
                name = self.fresh(buf, buf.name)
                self.buffers.add(handle(buf))
                self.emit(depth, f"alignas(64) {ctype} {name}[{elements}] = {{}};")
                self.temporaries[name] = ctype
                return
            size = " * ".join(f"static_cast<size_t>({self.expr(d)})" for d in buf.shape) or "1"
            name = self.fresh(buf, buf.name)
            self.buffers.add(handle(buf))
            self.emit(depth, f"std::vector<{ctype}> {name}_storage({size});")
            self.emit(depth, f"{ctype}* const {name} = {name}_storage.data();")
            self.temporaries[name] = ctype
        elif kind in ("Bind", "LetStmt"):
            name = self.fresh(s.var, s.var.name)
            self.emit(depth, f"const {C_TYPES[dtype_of(s.var)]} {name} = {self.expr(s.value)};")
            if getattr(s, "body", None) is not None:
                self.stmt(s.body, depth)
        elif kind == "Evaluate":
            self.emit(depth, f"(void)({self.expr(s.value)});")
        else:
            raise EmitError(f"lowered TIR statement '{kind}' has no C++ form here")

    def _decl_source(self, decl) -> str:
        data = decl.data
        found = []

        def visit(node):
            if type(node).__name__ == "Var" and handle(node) in self.buffers:
                found.append(self.names[handle(node)])

        import tvm_ffi
        tvm_ffi.structural_walk(data, visit)
        if not found:
            raise EmitError(f"buffer '{decl.buffer.name}' views an unknown buffer")
        return found[0]

    def loop(self, s, depth: int) -> None:
        if FULL_TILE in s.annotations and int(s.kind) == 0 and not self._versioning:
            self._versioned_loop(s, depth)
            return
        if int(s.kind) == 0 and handle(s.loop_var) not in self.peeled and first_iteration_guards(s):
            self._peeled_loop(s, depth)
            return
        kind = int(s.kind)
        if kind == 2 and self._boundary_split(s, depth):
            return
        if kind in (0, 2):
            elements = scalar_reductions(s, self)
            if elements:
                self._scalar_reduction_loop(s, depth, elements)
                return
        if kind == 1:
            condition = self._parallel_condition(s)
            if condition is None:  # a nest of fixed size too small for threads: its loops run on one
                self.emit(depth, f"// one thread: fewer than {parallel_min_work()} statement executions")
                self.stats["parallel_if"] = self.stats.get("parallel_if", 0) + 1
                self._for(s, depth, kind, parallel=False)
            elif condition:  # decided at run time: a branch, as `omp parallel for if(...)` still
                # costs a team of one (about 0.45 µs a call, as much as a small launch's work)
                self.stats["parallel_if"] = self.stats.get("parallel_if", 0) + 1
                start = len(self.lines)
                self.emit(depth, f"if ({condition}) {{")
                self._for(s, depth + 1, kind, parallel=True)
                if len(self.lines) - start > COPIED_NEST_LINES:
                    # a long nest (a GEMM's tiles): not printed twice; its work dwarfs the clause's cost
                    nest = [line[4:] for line in self.lines[start + 1:]]
                    del self.lines[start:]
                    self.lines += [nest[0] + f" if({condition})", *nest[1:]]
                    return
                self.emit(depth, "} else {  // too little work for threads: the same loop on one")
                self._for(s, depth + 1, kind, parallel=False)
                self.emit(depth, "}")
            else:
                self._for(s, depth, kind, parallel=True)
            return
        if kind not in (0, 2, 3):
            raise EmitError("thread-bound loops have no CPU form")
        self._for(s, depth, kind)

    def _for(self, s, depth: int, kind: int, parallel: bool = False) -> None:
        """The loop as a C++ `for`; a parallel one (kind 1) with its pragma when `parallel`."""
        var = self.fresh(s.loop_var, s.loop_var.name)
        ctype = C_TYPES[dtype_of(s.loop_var)]
        lo, extent = self.expr(s.min), self.expr(s.extent)
        end = extent if lo == "0" else f"{lo} + {extent}"
        if kind == 1 and parallel:
            self.emit(depth, "#pragma omp parallel for")
            self.stats["parallel"] += 1
            self.open_parallel.append(len(self.lines) - 1)
        body, closing = s.body, []
        if kind == 2 and lo == "0":
            guarded = self._guard_as_bound(s)
            if guarded is not None:
                hoisted, bounds, body = guarded
                if hoisted:
                    self.emit(depth, f"if ({' && '.join(hoisted)}) {{")
                    depth += 1
                    closing.append(depth - 1)
                for bound in bounds:
                    end = f"std::min<{ctype}>({end}, {bound})"

        def plain(d: int) -> None:
            if kind == 2:
                self.emit(d, "#pragma omp simd")
                self.stats["simd"] += 1
            self.emit(d, f"for ({ctype} {var} = {lo}; {var} < {end}; ++{var}) {{")
            self.stmt(body, d + 1)
            self.emit(d, "}")

        if not (kind == 2 and self._stream_loop(s, lo, end, body, depth, plain)):
            plain(depth)
        for d in closing:
            self.emit(d, "}")
        if kind == 1 and parallel:
            self.open_parallel.pop()

    def _parallel_condition(self, loop) -> str | None:
        """When a parallel nest runs on threads: "" always, None never (a fixed amount of work below
        parallel_min_work()), else the C++ condition `work >= N` over the sizes."""
        threshold = parallel_min_work()
        work = parallel_work(loop) if threshold > 0 else None
        if work is None:
            return ""
        if type(work).__name__ == "IntImm":  # a fixed shape (a tuned schedule): decided here
            return "" if int(work.value) >= threshold else None
        # int64 literals bare: an int64_t operand beside each keeps the arithmetic 64-bit
        text = re.sub(r"static_cast<int64_t>\((\d+)\)", r"\1", self.expr(work))
        return f"{text} >= {threshold}"

    def _scalar_reduction_loop(self, s, depth: int, elements: dict) -> None:
        """A loop accumulating into temporaries' elements fixed for its duration: each element
        loaded into a local scalar before it, updated there, stored after it, so the compiler keeps
        it in a register (an array element it cannot prove unaliased with the inputs, it keeps in
        memory). A loop of plain updates (`acc = acc + x`, `acc = max(acc, x)`) gets `omp simd`
        with reduction clauses, so it vectorises without -ffast-math; any other is a plain loop."""
        var = self.fresh(s.loop_var, s.loop_var.name)
        ctype = C_TYPES[dtype_of(s.loop_var)]
        lo, extent = self.expr(s.min), self.expr(s.extent)
        end = extent if lo == "0" else f"{lo} + {extent}"
        if not (extent.isdigit() and int(extent) > 0):  # no access to the elements when it runs 0 times
            self.emit(depth, f"if ({lo} < {end}) {{")
            depth += 1
        scalars = {}
        for (array, index), element_type in elements.items():
            scalars[(array, index)] = name = self.unused_name(f"{array}_acc")
            self.emit(depth, f"{element_type} {name} = {array}[{index}];")
        self.in_scalar.update(scalars)
        try:
            clauses = reduction_clauses(s, elements, self)
            if clauses:
                self.emit(depth, f"#pragma omp simd {' '.join(clauses)}  // lanes keep partial results")
                self.stats["simd"] += 1
            self.emit(depth, f"for ({ctype} {var} = {lo}; {var} < {end}; ++{var}) {{")
            self.stmt(s.body, depth + 1)
            self.emit(depth, "}")
        finally:
            for key in scalars:
                del self.in_scalar[key]
        for (array, index), name in scalars.items():
            self.emit(depth, f"{array}[{index}] = {name};")
        if not (extent.isdigit() and int(extent) > 0):
            self.emit(depth - 1, "}")

    def _guard_as_bound(self, loop):
        """A vectorised loop whose body is `if (base + v < bound && rest) S`: the guard becomes the
        trip count min(extent, bound - base) and `rest` (free of v) an if around the loop, so the
        loop body has no branch."""
        body = loop.body
        if type(body).__name__ != "IfThenElse" or body.else_case is not None or handle(body) in self.known_true:
            return None
        v = handle(loop.loop_var)
        hoisted, bounds = [], []
        for term in conjuncts(body.condition):
            if not mentions(term, v):
                hoisted.append(self.expr(term))
                continue
            if type(term).__name__ != "LT" or mentions(term.b, v):
                return None
            terms = addends(term.a)
            with_v = [t for t in terms if mentions(t, v)]
            if len(with_v) != 1 or type(with_v[0]).__name__ != "Var" or handle(with_v[0]) != v:
                return None
            base = [self.expr(t) for t in terms if not mentions(t, v)]
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
            dtype = dtype_of(e)
            if dtype == "bool":
                return "true" if e.value else "false"
            return str(e.value) if dtype == "int32" else f"static_cast<{C_TYPES[dtype]}>({e.value})"
        if kind == "FloatImm":
            return _float(e.value, dtype_of(e))
        if kind == "Var":
            return self.name_of(e)
        if kind == "TensorLoad":
            array, index = self.buffer(e.source), self.index(e.indices)
            return self.in_scalar.get((array, index), f"{array}[{index}]")
        if kind in _BINARY:
            return f"({self.expr(e.a)} {_BINARY[kind]} {self.expr(e.b)})"
        if kind in ("Div",):
            return f"({self.expr(e.a)} / {self.expr(e.b)})"
        if kind in ("Mod",):
            return f"({self.expr(e.a)} % {self.expr(e.b)})"
        if kind == "FloorDiv":
            return f"tv_floordiv<{C_TYPES[dtype_of(e)]}>({self.expr(e.a)}, {self.expr(e.b)})"
        if kind == "FloorMod":
            return f"tv_floormod<{C_TYPES[dtype_of(e)]}>({self.expr(e.a)}, {self.expr(e.b)})"
        if kind in ("Max", "Min"):
            fn = "tv_max" if kind == "Max" else "tv_min"
            return f"{fn}<{C_TYPES[dtype_of(e)]}>({self.expr(e.a)}, {self.expr(e.b)})"
        if kind == "Not":
            return f"(!{self.expr(e.a)})"
        if kind in _BITS:
            return _bits(f"({self.expr(e.a)} {_BITS[kind]} {self.expr(e.b)})", e)
        if kind == "BitwiseNot":
            return _bits(f"(~{self.expr(e.a)})", e)
        if kind == "Cast":
            return f"static_cast<{C_TYPES[dtype_of(e)]}>({self.expr(e.value)})"
        if handle(e) in self.select_outcome:  # a select a loop split has decided
            parts = select_parts(e)
            return self.expr(parts[1] if self.select_outcome[handle(e)] else parts[2])
        if kind == "Select":
            return f"({self.expr(e.condition)} ? {self.expr(e.true_value)} : {self.expr(e.false_value)})"
        if kind == "Call":
            return self.call(e)
        raise EmitError(f"lowered TIR expression '{kind}' has no C++ form here")

    def call(self, e) -> str:
        op = str(e.op.name).split(".")[-1]
        if op == "call_pure_extern" and str(e.args[0].value) in _EXTERN:  # CUDA's __brev, __ffs
            return f"{e.args[0].value}({', '.join(self.expr(a) for a in e.args[1:])})"
        args = [self.expr(a) for a in e.args]
        if op == "if_then_else":
            return f"({args[0]} ? {args[1]} : {args[2]})"
        if op in ("fabs", "abs"):
            return f"std::abs({args[0]})"
        if op in ("exp", "tanh") and dtype_of(e) == "float32":  # vectorisable, see PRELUDE
            return f"tv_{op}f({args[0]})"
        if op in _MATH:
            return f"{_MATH[op]}({', '.join(args)})"
        if op == "likely":
            return args[0]
        if op in ("popcount", "clz"):  # CUDA's __popc/__clz: the count of set or leading zero bits
            width = {"uint32": "", "uint64": "ll"}.get(dtype_of(e.args[0]))
            if width is None:
                raise EmitError(f"'{op}' of a {dtype_of(e.args[0])} has no C++ form here")
            bits = 32 if width == "" else 64
            count = f"__builtin_{op}{width}({args[0]})" if op == "popcount" else \
                f"({args[0]} == 0 ? {bits} : __builtin_clz{width}({args[0]}))"  # __builtin_clz(0) is undefined
            return f"static_cast<{C_TYPES[dtype_of(e)]}>({count})"
        if op in _BITS:
            return _bits(f"({args[0]} {_BITS[op]} {args[1]})", e)
        if op == "bitwise_not":
            return _bits(f"(~{args[0]})", e)
        raise EmitError(f"call to '{op}' has no C++ form here")


def _bits(text: str, e) -> str:
    """C promotes operands narrower than int; TIR keeps their type."""
    dtype = dtype_of(e)
    return text if dtype in ("int32", "int64", "uint32", "uint64") else f"static_cast<{C_TYPES[dtype]}>{text}"


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


def streaming_parts(printers: list, header: list[str]) -> tuple[list[str], list[str]]:
    """The header with its streaming-stores line and the extra prelude, when a printer streamed."""
    arrays = sorted({name for p in printers for name in p.stream_flags})
    if not arrays:
        return header, []
    words = (f"Streaming stores: {', '.join(arrays)} (each cell stored once in a contiguous simd run, never read) "
             f"written with non-temporal stores, 64 bytes at a time, when at least {threshold_words()}: "
             "no read of each cache line before its write; plain stores below that size.")
    at = header.index("Schedule:") if "Schedule:" in header else len(header)
    return header[:at] + [words] + header[at:], [STREAM_PRELUDE]


def header_parts(printers: list, header: list[str]) -> tuple[list[str], list[str]]:
    """The header with the lines the printed bodies call for (streaming stores, the one-thread
    threshold of small nests) and the extra prelude."""
    header, extra = streaming_parts(printers, header)
    if any(p.stats.get("parallel_if") for p in printers):
        words = (f"Small launches: a parallel loop nest of fewer than {min_work_words()} statement executions "
                 "(math calls count more) runs on one thread, where starting the threads would cost more "
                 "than it saves.")
        at = header.index("Schedule:") if "Schedule:" in header else len(header)
        header = header[:at] + [words] + header[at:]
    return header, extra


def emit_function(func, buffer_names: dict, scalars: list[str], signature: str, header: list[str]) -> str:
    printer = Printer(func, buffer_names, scalars, streaming=True)
    body = printer.body()
    header, extra = header_parts([printer], header)
    comment = ["// " + line if line else "//" for line in header]
    return "\n".join(comment + ["", PRELUDE, *extra, signature + " {"] + body + ["}", ""])


def emit_sequence(parts: list, entry: str, params: list, extern_c: bool, header: list[str], steps: list | None = None,
                  prologue: tuple = (), epilogue: tuple = ()) -> str:
    """One static function per launch and the entry that calls them in order, those of a host loop
    inside that loop. parts: (function name, lowered PrimFunc, buffer names, its scalar parameter
    names, its parameters (the entry's, and the host loops' variables), the host loops it runs in as
    ((line, the `for (...)` header), ...) from the outermost, or None[, a sequence_tuning.TunedLaunch or
    None]), in launch order. A tuned
    launch's function calls its tuned schedule at the pinned shape, the default one otherwise.
    steps: the entry's statements as (host loops or None, C++ statement), by default each part's
    call; prologue/epilogue: statements around them."""
    declarations = ", ".join(p.declaration for p in params)
    tuned = [part[6] if len(part) > 6 else None for part in parts]
    printers = [Printer(lowered, buffer_names, scalars, streaming=True)
                for _, lowered, buffer_names, scalars, _, _, *_ in parts]
    tuned_printers = {k: Printer(t.lowered, t.names, t.scalars, streaming=True) for k, t in enumerate(tuned) if t}
    every = printers + list(tuned_printers.values())
    read = set().union(*(printer.read_arrays for printer in every))
    for printer in every:  # an array a later launch reads is not written with streaming stores
        printer.read_arrays = read
    bodies = [printer.body() for printer in printers]
    tuned_bodies = {k: printer.body() for k, printer in tuned_printers.items()}
    header, extra = header_parts(every, header)
    comment = ["// " + line if line else "//" for line in header]
    lines = comment + ["", PRELUDE, *extra]
    for k, ((name, _, _, _, own, _, *_), body) in enumerate(zip(parts, bodies)):
        unused = [f"    (void){p.name};" for p in own]  # each launch reads only some of the parameters
        signature = ", ".join(p.declaration for p in own)
        if k not in tuned_bodies:
            lines += [f"static void {name}({signature}) {{", *unused, *body, "}", ""]
            continue
        if not tuned[k].pinned:  # the launch reads no size: its tuned schedule serves every call
            lines += [f"// Launch {k + 1}'s tuned schedule (it reads no integer parameter: one shape).",
                      f"static void {name}({signature}) {{", *unused, *tuned_bodies[k], "}", ""]
            continue
        arguments = ", ".join(p.name for p in own)
        shape = " && ".join(f"{n} == {v}" for n, v in tuned[k].pinned.items())
        words = ", ".join(f"{n} = {v}" for n, v in tuned[k].pinned.items())
        lines += [f"// Launch {k + 1}'s tuned schedule, specialised to {words}.",
                  f"static void {name}_tuned({signature}) {{", *unused, *tuned_bodies[k], "}", "",
                  f"static void {name}_any_shape({signature}) {{", *unused, *body, "}", "",
                  f"static void {name}({signature}) {{",
                  f"    if ({shape}) {{", f"        {name}_tuned({arguments});", "    } else {",
                  f"        {name}_any_shape({arguments});", "    }", "}", ""]
    if steps is None:
        steps = [(loop, f"{name}({', '.join(p.name for p in own)});") for name, _, _, _, own, loop, *_ in parts]
    linkage = "extern \"C\" " if extern_c else ""
    lines.append(f"{linkage}void {entry}({declarations}) {{")
    lines += [f"    {statement}" for statement in prologue]
    current: tuple = ()  # the host loops the statements are in, outermost first: (line, `for` header) each
    for loop, statement in steps:
        chain = tuple(loop or ())
        common = 0
        while common < min(len(current), len(chain)) and current[common] == chain[common]:
            common += 1
        while len(current) > common:  # close the loops the statement is not in
            lines.append("    " * len(current) + "}")
            current = current[:-1]
        for opened in chain[common:]:
            lines.append("    " * (len(current) + 1) + f"{opened[1]} {{")
            current += (opened,)
        lines.append("    " * (len(current) + 1) + statement)
    while current:
        lines.append("    " * len(current) + "}")
        current = current[:-1]
    lines += [f"    {statement}" for statement in epilogue]
    lines += ["}", ""]
    return "\n".join(lines)


def emit_dispatch(tuned, default, buffer_names: dict, entry: str, params: list, extern_c: bool,
                  pinned: dict[str, int], header: list[str]) -> str:
    """Two static functions and the entry that picks one: the tuned schedule at its shape
    (`pinned` integer parameters are constants in it), the default schedule otherwise.
    tuned/default: (lowered PrimFunc, its scalar parameter names)."""
    declarations = ", ".join(p.declaration for p in params)
    arguments = ", ".join(p.name for p in params)
    shape = " && ".join(f"{name} == {value}" for name, value in pinned.items()) or "true"
    words = ", ".join(f"{name} = {value}" for name, value in pinned.items())
    tuned_printer = Printer(tuned[0], buffer_names, tuned[1], streaming=True)
    default_printer = Printer(default[0], buffer_names, default[1], streaming=True)
    tuned_body = tuned_printer.body()
    unused = [f"    (void){name};" for name in pinned]  # constants in the tuned body
    default_body = default_printer.body()
    header, extra = header_parts([tuned_printer, default_printer], header)
    comment = ["// " + line if line else "//" for line in header]
    linkage = "extern \"C\" " if extern_c else ""
    return "\n".join(comment + [
        "", PRELUDE, *extra,
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
