"""Loop forms of the C++ printer that TIR cannot express with symbolic shapes.

* A GEMM tile loop (annotated FULL_TILE by gemm_schedule.py): its body printed once
  for whole tiles, every bounds guard dropped (constant trip counts), once guarded.
* A reduction's initialisation left inside its loop (`if (p == 0) acc = 0`): the first
  iteration printed on its own, the rest without the test.
* A stencil's boundary select in a simd loop: the boundary elements as they are and
  a branch-free interior loop.
* Small local buffers: fixed-size arrays the compiler can keep in registers.
* A reduction into a temporary's loop-invariant element: accumulated in a local scalar.
"""

from __future__ import annotations

from .tir_util import C_TYPES, conjuncts, disjuncts, dtype_of, handle, is_const, mentions

LOCAL_ARRAY_LIMIT = 4096  # elements: a local buffer up to this size is a fixed-size array


class LoopForms:
    """Mixed into emit.Printer: uses its emit/stmt/expr/fresh and the state set up in its __init__."""

    def _settled(self, s):
        """True/False when the copy being printed knows this guard's outcome, else None."""
        if handle(s) in self.known_true:
            return True
        cond = s.condition
        if type(cond).__name__ == "EQ" and type(cond.a).__name__ == "Var" and handle(cond.a) in self.peeled:
            first, at_first = self.peeled[handle(cond.a)]
            if is_const(cond.b) and int(cond.b.value) == first:
                return at_first
        return None

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
        ctype = C_TYPES[dtype_of(s.loop_var)]
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
        key, first = handle(s.loop_var), int(s.min.value)  # first_iteration_guards: a constant min
        ctype = C_TYPES[dtype_of(s.loop_var)]
        lo, extent = self.expr(s.min), self.expr(s.extent)
        try:
            self.peeled[key] = (first, True)
            self.emit(depth, f"if ({extent} > 0) {{  // the first iteration")
            var = self.fresh(s.loop_var, s.loop_var.name)
            self.emit(depth + 1, f"const {ctype} {var} = {lo};")
            self.stmt(s.body, depth + 1)
            self.emit(depth, "}")
            self.peeled[key] = (first, False)
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
        v = handle(s.loop_var)
        first, last = s.min, s.min + s.extent - 1
        from tvm import sym

        analyzer = sym.Analyzer()
        free, edges = [], set()
        for term in disjuncts(select_parts(body.value)[0]):
            if not mentions(term, v):
                free.append(term)
                continue
            if (type(term).__name__ != "EQ" or type(term.a).__name__ != "Var" or handle(term.a) != v
                    or mentions(term.b, v)):
                return False
            if analyzer.can_prove_equal(term.b, first):
                edges.add("first")
            elif analyzer.can_prove_equal(term.b, last):
                edges.add("last")
            else:
                return False
        if not edges:
            return False
        key, ctype = handle(body.value), C_TYPES[dtype_of(s.loop_var)]
        lo, extent = self.expr(s.min), self.expr(s.extent)
        end = extent if lo == "0" else f"{lo} + {extent}"
        inner_lo = _plus_one(lo) if "first" in edges else lo
        inner_end = f"{end} - 1" if "last" in edges else end

        def simd_loop(start: str, stop: str, outcome: bool | None, d: int, simd: bool = True) -> None:
            var = self.fresh(s.loop_var, s.loop_var.name)

            def plain(depth_: int) -> None:
                if simd:
                    self.emit(depth_, "#pragma omp simd")
                    self.stats["simd"] += 1
                self.emit(depth_, f"for ({ctype} {var} = {start}; {var} < {stop}; ++{var}) {{")
                self.stmt(body, depth_ + 1)
                self.emit(depth_, "}")

            if outcome is not None:
                self.select_outcome[key] = outcome
            try:  # a streaming version beside the simd loop when it stores an output once (streaming.py)
                if not (simd and self._stream_loop(s, start, stop, body, d, plain)):
                    plain(d)
            finally:
                self.select_outcome.pop(key, None)

        if free:
            self.emit(depth, f"if ({' || '.join(self.expr(t) for t in free)}) {{  // the select is true throughout")
            simd_loop(lo, end, True, depth + 1)
            self.emit(depth, "} else {")
            depth += 1
        if "first" in edges:  # the first element, select and all (also when the loop has one element)
            simd_loop(lo, f"std::min<{ctype}>({end}, {_plus_one(lo)})", None, depth, simd=False)
        self.emit(depth, "// the interior: the select is false, no branch")
        simd_loop(inner_lo, inner_end, False, depth)
        if "last" in edges:
            simd_loop(f"std::max<{ctype}>({inner_lo}, {end} - 1)", end, None, depth, simd=False)
        if free:
            self.emit(depth - 1, "}")
        return True


def constant_size(shape) -> int | None:
    size = 1
    for dim in shape:
        if type(dim).__name__ != "IntImm":
            return None
        size *= int(dim.value)
    return size


def first_iteration_guards(loop) -> bool:
    """Whether the body has an `if (v == min)` guard on this loop's variable."""
    if not is_const(loop.min):
        return False
    v, first = handle(loop.loop_var), int(loop.min.value)
    found = []

    def visit(node):
        if type(node).__name__ == "IfThenElse":
            cond = node.condition
            if (type(cond).__name__ == "EQ" and type(cond.a).__name__ == "Var" and handle(cond.a) == v
                    and is_const(cond.b) and int(cond.b.value) == first):
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
            if is_const(s.min) and is_const(s.extent):
                lo = int(s.min.value)
                walk(s.body, {**domain, s.loop_var: sym.IntervalSet(lo, lo + int(s.extent.value) - 1)})
            else:  # guards that mention this loop's variable are not the tile's
                blocked.append(handle(s.loop_var))
                walk(s.body, domain)
        elif kind == "IfThenElse":
            terms = []
            for term in conjuncts(s.condition):
                if (type(term).__name__ != "LT" or any(mentions(term.b, handle(v)) for v in domain)
                        or any(mentions(term, v) for v in blocked)
                        or not _index_arithmetic(term, printer, {handle(v) for v in domain})):
                    terms = None
                    break
                largest = analyzer.int_set(term.a, domain).max_value if domain else term.a
                if "inf" in type(largest).__name__.lower() or "inf" in str(largest):
                    terms = None
                    break
                terms.append(f"{printer.expr(largest)} < {printer.expr(term.b)}")
            if terms and s.else_case is None:
                guards.add(handle(s))
                words.extend(t for t in terms if t not in words)
            walk(s.then_case, domain)
            if s.else_case is not None:
                walk(s.else_case, domain)

    walk(body, {})
    return [f"({w})" for w in words], guards


_INDEX_NODES = {"LT", "Var", "IntImm", "Add", "Sub", "Mul", "FloorDiv", "FloorMod", "Min", "Max", "Cast"}


def _index_arithmetic(term, printer, inner: set[int]) -> bool:
    """Integer arithmetic over the tile's inner loop variables and names already defined outside
    the tile (no loads, no calls, no variable bound inside the tile), so it can be tested there."""
    import tvm_ffi

    ok = [True]

    def visit(node):
        kind = type(node).__name__
        if kind not in _INDEX_NODES and not kind.endswith("Type"):
            ok[0] = False
        elif kind == "Var" and handle(node) not in inner and handle(node) not in printer.names:
            ok[0] = False

    tvm_ffi.structural_walk(term, visit)
    return ok[0]


def _plus_one(text: str) -> str:
    return str(int(text) + 1) if text.lstrip("-").isdigit() else f"{text} + 1"


def _is_select(e) -> bool:
    kind = type(e).__name__
    return kind == "Select" or (kind == "Call" and str(e.op.name).split(".")[-1] == "if_then_else")


def select_parts(e) -> tuple:
    """(condition, true value, false value) of a Select or an if_then_else call."""
    if type(e).__name__ == "Select":
        return e.condition, e.true_value, e.false_value
    return tuple(e.args)


def scalar_reductions(loop, printer) -> dict[tuple[str, str], str] | None:
    """Scalar replacement of a reduction into temporaries: when every statement of the loop's
    body is a store to a temporary at an index invariant in the loop, and the loop reads those
    temporaries only at those same indices, {(buffer, index): C type} of the elements that can
    live in local scalars for the loop's duration; None otherwise. Temporaries are the
    function's own arrays, so no pointer parameter can alias them."""
    import tvm_ffi

    v = handle(loop.loop_var)
    body = loop.body
    statements = list(body.seq) if type(body).__name__ == "SeqStmt" else [body]
    if not statements or any(type(st).__name__ != "BufferStore" for st in statements):
        return None  # a nested loop, a condition or a binding: left as it is

    def invariant_index(indices) -> str | None:
        if len(indices) != 1 or mentions(indices[0], v):
            return None
        ok = [True]

        def visit(node):
            kind = type(node).__name__
            if kind == "TensorLoad" or kind == "Call" or (kind == "Var" and handle(node) not in printer.names):
                ok[0] = False

        tvm_ffi.structural_walk(indices[0], visit)
        return printer.expr(indices[0]) if ok[0] else None

    elements: dict[tuple[str, str], str] = {}
    for st in statements:
        name = printer.names.get(handle(st.buffer))
        if name not in printer.temporaries:
            return None
        index = invariant_index(st.indices)
        if index is None or any(b == name and i != index for b, i in elements):
            return None  # one element per temporary
        elements[(name, index)] = printer.temporaries[name]
    names = {b for b, _ in elements}
    loads_ok = [True]

    def visit_load(node):
        if type(node).__name__ != "TensorLoad":
            return
        name = printer.names.get(handle(node.source))
        if name in names and (name, invariant_index(node.indices)) not in elements:
            loads_ok[0] = False

    for st in statements:
        tvm_ffi.structural_walk(st.value, visit_load)
    return elements if loads_ok[0] else None


_CLAUSE_OPS = {"Add": "+", "Mul": "*", "Max": "max", "Min": "min", "BitwiseOr": "|", "BitwiseAnd": "&",
               "BitwiseXor": "^"}


def reduction_clauses(loop, elements: dict, printer) -> list[str] | None:
    """`reduction(op:element)` for each element a scalar_reductions loop updates, when every
    statement is `e = e op x` (`e = max(e, x)`: the accumulator first, so a NaN in x is ignored
    in every lane as in the kernel) with x reading none of the elements; None otherwise. With
    the clause the compiler may keep partial results in vector lanes: a sum is then added up in
    another order than the kernel's, which the verifier's tolerances judge."""
    import tvm_ffi

    statements = list(loop.body.seq) if type(loop.body).__name__ == "SeqStmt" else [loop.body]
    names = {array for array, _ in elements}
    clauses: dict[tuple[str, str], str] = {}

    def element(node):
        if type(node).__name__ != "TensorLoad":
            return None
        return printer.buffer(node.source), printer.index(node.indices)

    for st in statements:
        target = (printer.buffer(st.buffer), printer.index(st.indices))
        value, kind = st.value, type(st.value).__name__
        if kind not in _CLAUSE_OPS or target in clauses:
            return None
        if element(value.a) == target:
            other = value.b
        elif kind in ("Add", "Mul", "BitwiseOr", "BitwiseAnd", "BitwiseXor") and element(value.b) == target:
            other = value.a
        else:
            return None
        reads = []
        tvm_ffi.structural_walk(other, lambda n: reads.append(element(n)))
        if any(r is not None and r[0] in names for r in reads):
            return None  # x reads an accumulator: its partial value in a lane is not the kernel's
        clauses[target] = _CLAUSE_OPS[kind]
    return [f"reduction({op}:{printer.in_scalar[target]})" for target, op in clauses.items()]
