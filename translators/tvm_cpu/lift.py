"""Symbolic execution of one CUDA thread: a one-thread-per-output kernel -> stages and outputs.

`blockIdx.x * blockDim.x + threadIdx.x` (and .y, .z) become domain axes; guards
`if (i < n)` (or `if (i >= n) return;`) give their extents; a `for` loop that
stores becomes one more output axis; a `for` loop that only updates accumulators
(`acc += e`, `acc = fmaxf(acc, e)`, ...) becomes a reduction stage; if/else on
one thread becomes a select.  Anything else is refused with its construct and line.
"""

from __future__ import annotations

import re
from dataclasses import replace

from tree_sitter import Node

from ...verify.cuda.parse import line_of, text_of
from .errors import Unliftable
from .ir import (Bin, Call, Cast, Const, Expr, Load, Neg, Not, Select, StageRef, Sym, binary, cast, children, symbols,
                 to_poly)
from .lift_calls import DeviceCallLifter, device_functions, has_return, statements_of
from .lift_loops import LoopLifter
from .layout import strided_layout
from .lifted import Lifted, Output, Ptr, Stage
from .macros import object_macros, type_aliases
from .patterns import assigned_names, index_like, negate, row_major_order, strip_int_casts, terms
from .refusals import refuse_block_level

__all__ = ["Lifted", "Output", "Ptr", "Stage", "ThreadLifter", "refuse_block_level"]


class ThreadLifter(LoopLifter, DeviceCallLifter):
    def __init__(self, kernel: Node, binding: dict, scalars: dict, pointers: dict, constants: dict | None = None,
                 device_copies: set | None = None):
        """binding: kernel parameter -> host parameter; scalars/pointers: host name -> dtype;
        constants: __constant__ array -> its table or the host pointer parameter that fills it;
        device_copies: host pointers the kernel reaches only through device allocations (never null)."""
        self.device_copies = device_copies or set()
        self.kernel = kernel
        self.binding = binding
        self.constants = constants or {}
        self.macros = object_macros(kernel)
        self.type_aliases = type_aliases(kernel)  # DATA_TYPE -> float (macros, typedef, using)
        self.expanding: set[str] = set()  # macros being read (one may name another)
        self.scalars = scalars
        self.pointers = pointers
        self.extents: dict[str, Expr] = {}
        self.origin: dict[str, str] = {}
        self.stages: list[Stage] = []
        self.stores: dict = {}  # (buffer, index) -> (value, line); insertion order kept
        self.promoted: dict = {}  # (buffer, index) -> the local a loop accumulates that cell in
        self.loads: set[str] = set()
        self.env: dict = {}
        self.types: dict = {}  # local -> dtype ("ptr" for pointers)
        self.loop_axes: list[str] = []
        self.open_reductions: list = []  # reduction loops being executed, innermost last
        self.reduce_ranges: dict = {}  # reduce symbol -> (start, end) of its loop
        self.reduce_hulls: dict = {}  # reduce symbol -> (lo, hi): fixed range holding all its loop's iterations
        self.counter = 0
        self.device_functions = device_functions(kernel)
        self.inlining: list[str] = []  # device functions being inlined, innermost last
        self.call_lines: list[int] = []  # their call sites' lines
        self.inlined_statements = 0  # statements run in helpers, bounded
        self.type_names: dict = {}  # template type parameter -> dtype, in the helper being inlined
        self.return_dtype = None  # of the helper being inlined
        self.out_params: list[str] = []  # its reference parameters that it assigns
        self.out_values: dict = {}  # their values where it returns

    # --- entry -------------------------------------------------------------
    def lift(self, name: str) -> Lifted:
        refuse_block_level(self.kernel)
        body = self.kernel.child_by_field_name("body")
        self._parameters_as_locals(body)
        self._block(body)
        outputs = [self._output(buf, index, value, line) for (buf, index), (value, line) in self.stores.items()]
        if not outputs:
            raise Unliftable("kernel", line_of(self.kernel), f"kernel '{name}' stores nothing to global memory")
        names = [o.buffer for o in outputs]
        for buf in set(names):
            if names.count(buf) > 1:
                raise Unliftable("store", outputs[0].line,
                                 f"each thread writes several cells of '{buf}'; one cell per output array is lifted")
        stages, outputs = _used_stages(self.stages, outputs)
        outputs = _readers_first(outputs, stages)
        return Lifted(kernel=name, extents=self.extents, stages=stages, outputs=outputs, loads=self.loads,
                      dtypes=dict(self.pointers), axis_origin=self.origin)

    def _parameters_as_locals(self, body: Node) -> None:
        """A parameter the kernel assigns (`residual += C * idx;`, `n -= 1;`) is a local initialised
        with its argument, as C passes it by value; it enters the environment before any statement,
        so that loops and branches carry its changes like any other local's."""
        for name in sorted(assigned_names(body) | self._reference_targets(body)):
            if name in self.binding and name not in self.constants:
                host = self.binding[name]
                if host in self.pointers:
                    self.env[name], self.types[name] = Ptr(host, Const("int32", 0)), "ptr"
                else:
                    self.env[name], self.types[name] = Sym(self.scalars[host], host, "param"), self.scalars[host]

    # --- statements --------------------------------------------------------
    def _block(self, node: Node) -> None:
        self._run_all(list(node.named_children))

    def _masking_return(self, node: Node) -> Expr | None:
        """`if (c) { ...; return; }` in the kernel's own body, not in a loop, and with nothing after the
        blocks around it: the thread skips the rest of its work where c holds (attention's causal mask
        `if (t2 > t) { preatt[idx] = -INFINITY; return; }`). A bounds guard's bare return is not one:
        it bounds the domain (`_if`). Its condition when it is one, else None."""
        if self.call_lines or not has_return(node):
            return None
        then_node = node.child_by_field_name("consequence")
        then_part = [c for c in statements_of(then_node) if c.type != "comment"]
        if not then_part or then_part[-1].type != "return_statement":
            return None  # a return deeper in the branch: that inner if is the one
        body = self.kernel.child_by_field_name("body")
        child, parent = node, node.parent
        while parent is not None and parent != body:
            if parent.type in ("for_statement", "while_statement", "do_statement", "for_range_loop", "switch_statement"):
                return None
            if parent.type == "compound_statement" and child != node and statements_of(parent)[-1:] != [child]:
                return None
            child, parent = parent, parent.parent
        if parent != body or (child != node and statements_of(body)[-1:] != [child]):
            return None
        try:
            cond = self._condition(self._expr(node.child_by_field_name("condition")), node)
            self._check_threads(cond, node)
        except Unliftable:
            return None  # `_if` reports it as it always has
        # a bare return is a bounds guard unless its condition reads more than the thread's indices
        masks = len(then_part) > 1 or not all(self._is_guard(negate(term)) for term in terms(cond, "||"))
        return cond if masks else None

    def _masked_rest(self, node: Node, cond: Expr, rest: list[Node]) -> None:
        """`if (c) { A; return; } [else { B }] REST`: A where c holds, B then REST elsewhere."""
        then_part = [c for c in statements_of(node.child_by_field_name("consequence")) if c.type != "comment"]
        if then_part and then_part[-1].type == "return_statement" and not then_part[-1].named_children:
            then_part = then_part[:-1]
        if any(has_return(stmt) for stmt in then_part):
            raise Unliftable("return", line_of(node), "a return that does not end its branch is not lifted")
        else_part = statements_of(node.child_by_field_name("alternative"))
        if any(has_return(stmt) for stmt in else_part):
            raise Unliftable("return", line_of(node), "a return on both branches of an if is not lifted")
        self._branches_run(cond, lambda: self._run_all(then_part), lambda: self._run_all(else_part + rest), node)

    def _run_all(self, statements: list[Node]) -> None:
        """Statements in order; one that returns early takes the rest as its other branch."""
        for k, child in enumerate(statements):
            cond = self._masking_return(child) if child.type == "if_statement" else None
            if cond is not None:
                self._masked_rest(child, cond, statements[k + 1:])
                return
            self._statement(child)

    def _statement(self, node: Node) -> None:
        kind = node.type
        if kind == "compound_statement":
            saved = dict(self.env), dict(self.types)
            self._block(node)
            self._restore_scope(saved)
        elif kind == "declaration":
            self._declaration(node)
        elif kind == "expression_statement":
            expr = node.named_children[0] if node.named_children else None
            if expr is not None:
                self._effect(expr)
        elif kind == "if_statement":
            self._if(node)
        elif kind == "for_statement":
            self._for(node)
        elif kind == "return_statement":
            raise Unliftable("return", line_of(node), "a return other than the bounds guard "
                             "`if (i >= n) return;` or one ending an if branch of the kernel's body (outside "
                             "loops, with no statement after the blocks around it) is not lifted")
        elif kind == "comment":
            return
        else:
            raise Unliftable(kind, line_of(node), f"statement '{text_of(node)[:40]}' is not lifted")

    def _restore_scope(self, saved) -> None:
        env, types = saved
        # Assignments to outer variables survive the block; its own declarations do not.
        self.env = {name: self.env[name] for name in env}
        self.types = types

    def _declaration(self, node: Node) -> None:
        type_node = node.child_by_field_name("type")
        base = re.sub(r"\s+", " ", text_of(type_node).replace("std::", "")) if type_node is not None else "int"
        base = self.type_aliases.get(base, base)
        if any(text_of(c) in ("static", "extern") for c in node.children if c.type == "storage_class_specifier"):
            raise Unliftable("static", line_of(node), "static local variables are not lifted")
        for decl in node.children_by_field_name("declarator"):
            value_node = decl.child_by_field_name("value") if decl.type == "init_declarator" else None
            target = decl.child_by_field_name("declarator") if decl.type == "init_declarator" else decl
            pointer = target.type == "pointer_declarator"
            if target.type == "array_declarator":
                raise Unliftable("local array", line_of(decl), "per-thread arrays are not lifted")
            while target.type == "pointer_declarator":
                target = target.child_by_field_name("declarator")
            name = text_of(target)
            self._refuse_shadowing(name, decl)
            if pointer:
                if value_node is None:
                    raise Unliftable("pointer", line_of(decl), f"pointer '{name}' without an initialiser")
                value = self._expr(value_node)
                if not isinstance(value, Ptr):
                    raise Unliftable("pointer", line_of(decl), f"pointer '{name}' does not point into an array parameter")
                self.env[name], self.types[name] = value, "ptr"
                continue
            dtype = self._scalar_type(base)
            if dtype is None:
                raise Unliftable(base, line_of(decl), f"local of type '{base}' is not lifted")
            self.types[name] = dtype
            if value_node is None:
                self.env[name] = None  # declared, not yet assigned
            else:
                self.env[name] = self._store_local(name, self._expr(value_node), decl)

    def _refuse_shadowing(self, name: str, node: Node) -> None:
        # The environment has one value per name: an inner declaration would overwrite the outer one.
        if name in self.env:
            raise Unliftable("shadowed local", line_of(node), f"'{name}' is declared again in an inner block or "
                             "loop, shadowing the outer one; not lifted (rename it)")

    def _store_local(self, name: str, value, node: Node):
        if isinstance(value, Ptr):
            raise Unliftable("pointer", line_of(node), f"'{name}' is a scalar but gets a pointer")
        value = self._scalar(value, node)
        dtype = self.types[name]
        if isinstance(value, Sym) and value.kind == "thread":
            return value
        return cast(value, dtype)

    def _effect(self, node: Node) -> None:
        if node.type == "assignment_expression":
            self._assign(node)
        elif node.type == "update_expression":
            arg = node.child_by_field_name("argument")
            op = "+" if "++" in text_of(node) else "-"
            self._assign_value(arg, op, Const("int32", 1), node)
        elif node.type == "call_expression":
            if self._device_callee(node) is not None:
                self._device_call(node, statement=True)
                return
            fn = text_of(node.child_by_field_name("function"))
            raise Unliftable("call", line_of(node), f"call to '{fn}' as a statement is not lifted")
        elif node.type == "comma_expression":
            for child in node.named_children:
                self._effect(child)
        else:
            raise Unliftable(node.type, line_of(node), f"expression statement '{text_of(node)[:40]}' is not lifted")

    def _assign(self, node: Node) -> None:
        op = text_of(node.child_by_field_name("operator"))
        right = self._expr(node.child_by_field_name("right"))
        self._assign_value(node.child_by_field_name("left"), op[:-1] if op != "=" else "", right, node)

    def _assign_value(self, left: Node, op: str, right, node: Node) -> None:
        if op and op not in ("+", "-", "*", "/", "%", "<<", ">>", "&", "|", "^"):
            raise Unliftable(f"{op}=", line_of(node), f"compound assignment '{op}=' is not lifted")
        if left.type == "identifier":
            name = text_of(left)
            if name not in self.env:
                raise Unliftable("assignment", line_of(node), f"assignment to '{name}', which is not a local variable")
            if self.types.get(name) == "ptr":
                if op not in ("", "+", "-") or isinstance(right, Ptr) != (op == ""):
                    raise Unliftable("pointer", line_of(node), f"pointer arithmetic on '{name}' is not lifted")
                if op:
                    old = self.env[name]
                    right = Ptr(old.buffer, binary(op, old.offset, self._scalar(right, node)))
                self.env[name] = right
                return
            value = right
            if op:
                old = self.env[name]
                if old is None:
                    raise Unliftable("uninitialised", line_of(node), f"'{name}' is used before it is assigned")
                value = self._arithmetic(op, old, self._scalar(right, node), node)
            self.env[name] = self._store_local(name, value, node)
            return
        if left.type in ("subscript_expression", "pointer_expression"):
            buffer, index, dtype = self._element(left) if left.type == "subscript_expression" else \
                self._dereference(left)
            value = self._scalar(right, node)
            if op:
                value = self._arithmetic(op, self._load(buffer, index, dtype), value, node)
            self._check_threads(index, node)
            self._check_threads(value, node)
            if (buffer, index) in self.promoted:  # a cell an enclosing loop accumulates in (lift_loops)
                self.env[self.promoted[(buffer, index)]] = cast(value, dtype)
                return
            # a helper's store is reported at the kernel's call (the output's refusals name the kernel line)
            line = self.call_lines[0] if self.call_lines else line_of(node)
            self.stores[(buffer, index)] = (cast(value, dtype), line)
            return
        raise Unliftable("assignment", line_of(node), f"assignment to '{text_of(left)[:40]}' is not lifted")

    def _if(self, node: Node) -> None:
        cond_node = node.child_by_field_name("condition")
        then_node = node.child_by_field_name("consequence")
        else_node = node.child_by_field_name("alternative")
        if else_node is not None and else_node.type == "else_clause":
            else_node = else_node.named_children[0] if else_node.named_children else None
        cond = self._condition(self._expr(cond_node), node)
        if then_node.type == "return_statement" or (then_node.type == "compound_statement" and
                                                    [c.type for c in then_node.named_children] == ["return_statement"]):
            if else_node is not None:
                raise Unliftable("return", line_of(node), "an early return with an else branch is not lifted")
            # `if (i >= n || j >= m) return;` bounds the domain for the rest of the kernel.
            for term in terms(cond, "||"):
                if not self._guard(negate(term), node):
                    raise Unliftable("return", line_of(node), f"early return on '{text_of(cond_node)}' is not a "
                                     "bounds guard of a thread index")
            return
        rest = [t for t in terms(cond, "&&") if not self._guard(t, node)]
        if not rest:
            self._statement(then_node)
            if else_node is not None:
                raise Unliftable("else", line_of(node), "an else branch of a bounds guard is not lifted")
            return
        cond = rest[0]
        for term in rest[1:]:
            cond = binary("&&", cond, term)
        self._check_threads(cond, node)
        self._branches(cond, then_node, else_node, node)

    def _branches(self, cond: Expr, then_node: Node, else_node: Node | None, node: Node) -> None:
        self._branches_run(cond, lambda: self._statement(then_node),
                           (lambda: self._statement(else_node)) if else_node is not None else (lambda: None), node)

    def _branches_run(self, cond: Expr, run_then, run_else, node: Node) -> None:
        start_env, start_types, start_stores = dict(self.env), dict(self.types), dict(self.stores)
        run_then()
        then_env, then_stores = self.env, self.stores
        self.env, self.types, self.stores = dict(start_env), dict(start_types), dict(start_stores)
        run_else()
        else_env, else_stores = self.env, self.stores
        self.types = start_types
        merged = {}
        for name in start_env:
            a, b = then_env.get(name), else_env.get(name)
            if a == b:
                merged[name] = a
            elif isinstance(a, Ptr) or isinstance(b, Ptr) or a is None or b is None:
                raise Unliftable("if", line_of(node), f"'{name}' is set on one branch only or is a pointer")
            else:
                merged[name] = Select(a.dtype, cond, a, cast(b, a.dtype))
        self.env = merged
        self.stores = self._merged_stores(cond, then_stores, else_stores, start_stores)

    def _merged_stores(self, cond: Expr, then_stores: dict, else_stores: dict, start_stores: dict) -> dict:
        """The cells either branch stored: its value where its branch runs, the other branch's (or the
        cell's value before the branches) elsewhere."""
        stores, self.stores = {}, start_stores  # a cell a branch did not store reads as before the if
        for key in list(then_stores) + [k for k in else_stores if k not in then_stores]:
            buffer, index = key
            dtype = self.pointers[buffer]
            a = then_stores.get(key, (self._load(buffer, index, dtype), None))
            b = else_stores.get(key, (self._load(buffer, index, dtype), None))
            line = a[1] or b[1]
            stores[key] = (a[0] if a[0] == b[0] else Select(dtype, cond, a[0], b[0]), line)
        return stores

    def _is_guard(self, term: Expr) -> bool:
        """Whether `_guard` would take the term as a bounds guard (nothing recorded)."""
        saved = dict(self.extents)
        try:
            return self._guard(term, None)
        finally:
            self.extents = saved

    def _guard(self, term: Expr, node: Node | None) -> bool:
        """Record `axis < extent`; False if the term is not such a guard."""
        if not isinstance(term, Bin) or term.op not in ("<", ">", "<=", ">="):
            return False
        a, op, b = term.a, term.op, term.b
        if op in (">", ">="):
            a, b, op = b, a, "<" if op == ">" else "<="
        a = strip_int_casts(a)
        if not (isinstance(a, Sym) and a.kind == "axis" and a.name not in self.extents):
            return False
        if symbols(b, ("axis", "reduce", "thread", "acc", "pending")) or not index_like(b):
            return False
        if op == "<=":
            b = binary("+", b, Const(b.dtype, 1))
        if b.dtype != "int32" and a.dtype == "int32":
            # `i < n` with a `long`, `unsigned` or `size_t` n: extents are int32 in the workload, exact
            # where n fits an int (the precondition the emitted header states)
            b = Cast("int32", b)
        self.extents[a.name] = b
        return True

    # --- outputs -----------------------------------------------------------
    def _output(self, buffer: str, index: Expr, value: Expr, line: int) -> Output:
        axes = sorted(symbols(index, ("axis",)) | symbols(value, ("axis",)))
        for axis in axes:
            if axis not in self.extents:
                raise Unliftable("bounds guard", line, f"store to '{buffer}' is not guarded by a bounds check on "
                                 "its thread index (`if (i < n)`)")
        if symbols(index, ("reduce",)) or symbols(value, ("reduce",)):
            raise Unliftable("store", line, f"store to '{buffer}' inside a reduction loop")
        poly = to_poly(index)
        if poly is None:
            raise Unliftable("store index", line, f"store index into '{buffer}' is not a polynomial in the thread "
                             "indices and loop variables")
        order = row_major_order(poly, axes, self.extents)
        if order is None:
            flat = self._fresh(f"cells_{buffer}_")
            spanned = strided_layout(buffer, index, value, axes, self.extents, self.pointers[buffer], flat)
            if spanned is None:
                raise Unliftable("store index", line, f"store index into '{buffer}' is not a row-major layout of "
                                 f"the thread's axes ({', '.join(axes) or 'none'}), nor an offset and positive "
                                 "constant strides that keep the threads' cells apart")
            self._check_in_place(buffer, index, value, line)
            self.extents[flat], self.origin[flat] = spanned[0], f"cells of '{buffer}' (line {line})"
            self.loads.add(buffer)  # cells no thread writes keep their values
            return Output(buffer=buffer, axes=(flat,), value=spanned[1], line=line)
        self._check_in_place(buffer, index, value, line)
        return Output(buffer=buffer, axes=order, value=value, line=line)

    def _check_in_place(self, buffer: str, index: Expr, value: Expr, line: int) -> None:
        """An array both read and written must be read only at the cell the thread writes."""
        stack = [value]
        for stage in self.stages:
            stack.append(stage.expr)
        while stack:
            node = stack.pop()
            if isinstance(node, Load) and node.buffer == buffer and to_poly(node.index) != to_poly(index):
                raise Unliftable("in-place update", line, f"'{buffer}' is written and read at other cells; "
                                 "threads would race")
            stack.extend(children(node))


def _readers_first(outputs: list, stages: list) -> list:
    """Outputs in an order where each reads the arrays it reads (itself, the stages it uses) before
    another output overwrites them: each output is computed whole before the next, so an output that
    reads `m` (the old `m[i]`, as the thread read it) must come before the one that stores `m`."""
    def reads(e, seen) -> set:
        found = {e.buffer} if isinstance(e, Load) else set()
        if isinstance(e, StageRef) and e.stage not in seen:
            seen.add(e.stage)
            found |= reads(stages[e.stage].expr, seen)
        for child in children(e):
            found |= reads(child, seen)
        return found

    pending = [(out, reads(out.value, set()) - {out.buffer}) for out in outputs]
    ordered = []
    while pending:
        # the first output whose array no other pending output still has to read
        ready = next((k for k, (out, _) in enumerate(pending)
                      if not any(out.buffer in r for j, (_, r) in enumerate(pending) if j != k)), None)
        if ready is None:
            out = pending[0][0]
            raise Unliftable("in-place update", out.line, f"outputs read each other's arrays ('{out.buffer}' and "
                             "another are each read where the other is stored); not lifted")
        ordered.append(pending.pop(ready)[0])
    return ordered


def _used_stages(stages: list, outputs: list):
    """Only the stages the outputs read (a value hoisted for a loop may end up unread), renumbered."""
    used: set[int] = set()

    def visit(e):
        if isinstance(e, StageRef) and e.stage not in used:
            used.add(e.stage)
            visit(stages[e.stage].expr)
        for child in children(e):
            visit(child)

    for out in outputs:
        visit(out.value)
    if len(used) == len(stages):
        return stages, outputs
    number = {old: new for new, old in enumerate(sorted(used))}

    def renumber(e):
        if isinstance(e, StageRef):
            return replace(e, stage=number[e.stage])
        if isinstance(e, Load):
            return replace(e, index=renumber(e.index))
        if isinstance(e, Bin):
            return replace(e, a=renumber(e.a), b=renumber(e.b))
        if isinstance(e, (Neg, Not, Cast)):
            return replace(e, a=renumber(e.a))
        if isinstance(e, Call):
            return replace(e, args=tuple(renumber(a) for a in e.args))
        if isinstance(e, Select):
            return replace(e, cond=renumber(e.cond), a=renumber(e.a), b=renumber(e.b))
        return e

    kept = [replace(stages[k], expr=renumber(stages[k].expr)) for k in sorted(used)]
    return kept, [replace(out, value=renumber(out.value)) for out in outputs]
