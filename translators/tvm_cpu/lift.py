"""Symbolic execution of one CUDA thread: a one-thread-per-output kernel -> stages and outputs.

`blockIdx.x * blockDim.x + threadIdx.x` (and .y, .z) become domain axes; guards
`if (i < n)` (or `if (i >= n) return;`) give their extents; a `for` loop that
stores becomes one more output axis; a `for` loop that only updates accumulators
(`acc += e`, `acc = fmaxf(acc, e)`, ...) becomes a reduction stage; if/else on
one thread becomes a select.  Anything else is refused with its construct and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tree_sitter import Node

from ...verify.cuda.parse import line_of, text_of
from ...verify.cuda.signature import SCALAR_TYPES
from .errors import Unliftable
from .ir import (COMPARISONS, Bin, Call, Const, Expr, Load, Neg, Not, Select, StageRef, Sym, binary, cast, children,
                 is_float, symbols, to_poly)
from .patterns import (AXIS_OF, assigned_names, axis_order, canonical, contains_load, global_index, has_store,
                       index_like, negate, number, reduction, row_major_order, strip_int_casts, terms)
from .refusals import refuse_block_level

# C math name -> (IR function, result dtype or None for "as the argument")
MATH = {
    "expf": ("exp", "float32"), "__expf": ("exp", "float32"), "exp": ("exp", None),
    "logf": ("log", "float32"), "__logf": ("log", "float32"), "log": ("log", None),
    "sqrtf": ("sqrt", "float32"), "sqrt": ("sqrt", None),
    "rsqrtf": ("rsqrt", "float32"), "rsqrt": ("rsqrt", None),
    "tanhf": ("tanh", "float32"), "tanh": ("tanh", None),
    "fabsf": ("abs", "float32"), "fabs": ("abs", None), "abs": ("abs", None),
    "sinf": ("sin", "float32"), "sin": ("sin", None), "cosf": ("cos", "float32"), "cos": ("cos", None),
    "powf": ("pow", "float32"), "pow": ("pow", None),
    "fmaxf": ("max", "float32"), "fmax": ("max", None), "max": ("max", None),
    "fminf": ("min", "float32"), "fmin": ("min", None), "min": ("min", None),
}


@dataclass(frozen=True)
class Ptr:
    buffer: str
    offset: Expr


@dataclass
class Stage:
    """An intermediate reduction: value[axes] = op over reduce in [lo, hi) of expr."""
    expr: Expr
    reduce: str
    lo: Expr
    hi: Expr
    op: str  # sum | max | min
    axes: tuple
    dtype: str


@dataclass
class Output:
    buffer: str
    axes: tuple  # row-major order of the output's axes
    value: Expr
    line: int


@dataclass
class Lifted:
    kernel: str
    extents: dict  # axis name -> Expr over scalar params
    stages: list
    outputs: list
    loads: set  # buffers read
    dtypes: dict  # buffer -> dtype
    axis_origin: dict = field(default_factory=dict)  # axis -> how it arose ("blockIdx.x*blockDim.x+threadIdx.x", "loop c")


class ThreadLifter:
    def __init__(self, kernel: Node, binding: dict, scalars: dict, pointers: dict):
        """binding: kernel parameter -> host parameter; scalars/pointers: host name -> dtype."""
        self.kernel = kernel
        self.binding = binding
        self.scalars = scalars
        self.pointers = pointers
        self.extents: dict[str, Expr] = {}
        self.origin: dict[str, str] = {}
        self.stages: list[Stage] = []
        self.stores: dict = {}  # (buffer, index) -> (value, line); insertion order kept
        self.loads: set[str] = set()
        self.env: dict = {}
        self.types: dict = {}  # local -> dtype ("ptr" for pointers)
        self.loop_axes: list[str] = []
        self.counter = 0

    # --- entry -------------------------------------------------------------
    def lift(self, name: str) -> Lifted:
        refuse_block_level(self.kernel)
        body = self.kernel.child_by_field_name("body")
        self._block(body)
        outputs = [self._output(buf, index, value, line) for (buf, index), (value, line) in self.stores.items()]
        if not outputs:
            raise Unliftable("kernel", line_of(self.kernel), f"kernel '{name}' stores nothing to global memory")
        names = [o.buffer for o in outputs]
        for buf in set(names):
            if names.count(buf) > 1:
                raise Unliftable("store", outputs[0].line,
                                 f"each thread writes several cells of '{buf}'; one cell per output array is lifted")
        return Lifted(kernel=name, extents=self.extents, stages=self.stages, outputs=outputs, loads=self.loads,
                      dtypes=dict(self.pointers), axis_origin=self.origin)

    # --- statements --------------------------------------------------------
    def _block(self, node: Node) -> None:
        for child in node.named_children:
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
                             "`if (i >= n) return;` is not lifted")
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
            if pointer:
                if value_node is None:
                    raise Unliftable("pointer", line_of(decl), f"pointer '{name}' without an initialiser")
                value = self._expr(value_node)
                if not isinstance(value, Ptr):
                    raise Unliftable("pointer", line_of(decl), f"pointer '{name}' does not point into an array parameter")
                self.env[name], self.types[name] = value, "ptr"
                continue
            dtype = SCALAR_TYPES.get(base)
            if dtype is None:
                raise Unliftable(base, line_of(decl), f"local of type '{base}' is not lifted")
            self.types[name] = dtype
            if value_node is None:
                self.env[name] = None  # declared, not yet assigned
            else:
                self.env[name] = self._store_local(name, self._expr(value_node), decl)

    def _store_local(self, name: str, value, node: Node):
        if isinstance(value, Ptr):
            raise Unliftable("pointer", line_of(node), f"'{name}' is a scalar but gets a pointer")
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
        if op and op not in ("+", "-", "*", "/", "%"):
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
                value = binary(op, old, self._scalar(right, node))
            self.env[name] = self._store_local(name, value, node)
            return
        if left.type == "subscript_expression":
            buffer, index, dtype = self._element(left)
            value = self._scalar(right, node)
            if op:
                value = binary(op, self._load(buffer, index, dtype), value)
            self._check_threads(index, node)
            self._check_threads(value, node)
            self.stores[(buffer, index)] = (cast(value, dtype), line_of(node))
            return
        if left.type == "pointer_expression":
            raise Unliftable("*pointer", line_of(node), "stores through '*p' are not lifted; write p[i]")
        raise Unliftable("assignment", line_of(node), f"assignment to '{text_of(left)[:40]}' is not lifted")

    def _if(self, node: Node) -> None:
        cond_node = node.child_by_field_name("condition")
        then_node = node.child_by_field_name("consequence")
        else_node = node.child_by_field_name("alternative")
        if else_node is not None and else_node.type == "else_clause":
            else_node = else_node.named_children[0] if else_node.named_children else None
        cond = self._scalar(self._expr(cond_node), node)
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
        start_env, start_types, start_stores = dict(self.env), dict(self.types), dict(self.stores)
        self._statement(then_node)
        then_env, then_stores = self.env, self.stores
        self.env, self.types, self.stores = dict(start_env), dict(start_types), dict(start_stores)
        if else_node is not None:
            self._statement(else_node)
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
        stores = {}
        for key in list(then_stores) + [k for k in else_stores if k not in then_stores]:
            buffer, index = key
            dtype = self.pointers[buffer]
            a = then_stores.get(key, (self._load(buffer, index, dtype), None))
            b = else_stores.get(key, (self._load(buffer, index, dtype), None))
            line = a[1] or b[1]
            stores[key] = (a[0] if a[0] == b[0] else Select(dtype, cond, a[0], b[0]), line)
        self.stores = stores

    def _guard(self, term: Expr, node: Node) -> bool:
        """Record `axis < extent`; False if the term is not such a guard."""
        if not isinstance(term, Bin) or term.op not in ("<", ">", "<=", ">="):
            return False
        a, op, b = term.a, term.op, term.b
        if op in (">", ">="):
            a, b, op = b, a, "<" if op == ">" else "<="
        a = strip_int_casts(a)
        if not (isinstance(a, Sym) and a.kind == "axis" and a.name not in self.extents):
            return False
        if symbols(b, ("axis", "reduce", "thread")) or not index_like(b):
            return False
        if op == "<=":
            b = binary("+", b, Const(b.dtype, 1))
        self.extents[a.name] = b
        return True

    def _for(self, node: Node) -> None:
        init = node.child_by_field_name("initializer")
        cond_node = node.child_by_field_name("condition")
        update = node.child_by_field_name("update")
        body = node.child_by_field_name("body")
        if init is None or cond_node is None or update is None or init.type != "declaration":
            raise Unliftable("for", line_of(node), "a for loop needs `int v = start; v < end; ++v` to be lifted")
        decls = init.children_by_field_name("declarator")
        if len(decls) != 1 or decls[0].type != "init_declarator":
            raise Unliftable("for", line_of(node), "a for loop with several loop variables is not lifted")
        var = text_of(decls[0].child_by_field_name("declarator"))
        start = self._scalar(self._expr(decls[0].child_by_field_name("value")), node)
        saved = dict(self.env), dict(self.types)
        if self._grid_stride(var, start, cond_node, update, body, node):
            self._restore_scope(saved)
            return
        cond = self._with_local(var, "int32", Sym("int32", f"?{var}", "probe"), lambda: self._expr(cond_node))
        if not (isinstance(cond, Bin) and cond.op in ("<", "<=") and cond.a == Sym("int32", f"?{var}", "probe")):
            raise Unliftable("for", line_of(node), f"loop condition '{text_of(cond_node)}' is not `{var} < end`")
        end = cond.b if cond.op == "<" else binary("+", cond.b, Const(cond.b.dtype, 1))
        if not index_like(end) or symbols(end, ("reduce", "thread")) or contains_load(end):
            raise Unliftable("data-dependent loop", line_of(node), f"loop bound '{text_of(cond_node)}' "
                             "depends on data or on another loop; only bounds over scalar parameters are lifted")
        if text_of(update).replace(" ", "") not in (f"++{var}", f"{var}++", f"{var}+=1", f"{var}={var}+1"):
            raise Unliftable("for", line_of(node), f"loop step '{text_of(update)}' is not `++{var}`")
        if has_store(body):
            self._output_loop(var, start, end, body, node)
        else:
            self._reduction_loop(var, start, end, body, node)
        self._restore_scope(saved)

    def _grid_stride(self, var, start, cond_node, update, body, node) -> bool:
        """`for (i = global index; i < n; i += blockDim.x * gridDim.x)`: one axis, extent n."""
        if not (isinstance(start, Sym) and start.kind == "axis"):
            return False
        step = text_of(update).replace(" ", "")
        dim = {"gx": "x", "gy": "y", "gz": "z"}[start.name]
        if step not in (f"{var}+=blockDim.{dim}*gridDim.{dim}", f"{var}+=gridDim.{dim}*blockDim.{dim}"):
            return False
        self.env[var], self.types[var] = start, "int32"
        cond = self._scalar(self._expr(cond_node), node)
        if not self._guard(cond, node):
            raise Unliftable("for", line_of(node), f"grid-stride loop condition '{text_of(cond_node)}' is not "
                             f"`{var} < n`")
        self._statement(body)
        return True

    def _output_loop(self, var, start, end, body, node) -> None:
        if to_poly(start) != {}:
            raise Unliftable("for", line_of(node), "a loop that stores must start at 0 to be lifted")
        axis = self._fresh(f"loop_{var}")
        self.extents[axis] = end
        self.origin[axis] = f"loop {var} (line {line_of(node)})"
        outer = dict(self.env)
        self.env[var], self.types[var] = Sym("int32", axis, "axis"), "int32"
        self.loop_axes.append(axis)
        self._statement(body)
        self.loop_axes.pop()
        for name, value in outer.items():
            if self.env.get(name) != value:
                raise Unliftable("loop-carried variable", line_of(node),
                                 f"'{name}' changes across iterations of a loop that stores")

    def _reduction_loop(self, var, start, end, body, node) -> None:
        reduce = self._fresh(f"r_{var}")
        outer = dict(self.env)
        markers = {}
        assigned = assigned_names(body)
        for name, value in outer.items():
            if name in assigned and self.types.get(name) not in (None, "ptr") and value is not None:
                markers[name] = Sym(self.types[name], f"acc:{name}", "acc")
                self.env[name] = markers[name]
        self.env[var], self.types[var] = Sym("int32", reduce, "reduce"), "int32"
        self._statement(body)
        after = dict(self.env)
        self.env = dict(outer)
        for name, marker in markers.items():
            new = after.get(name)
            if new == marker:
                continue
            op, term = reduction(new, marker)
            if op is None:
                raise Unliftable("loop-carried variable", line_of(node),
                                 f"'{name}' is updated in the loop in a way other than a sum, max or min reduction")
            if symbols(term, ("reduce",)) - {reduce}:
                raise Unliftable("nested reduction", line_of(node), "reductions nested in reductions are not lifted")
            axes = axis_order(symbols(term, ("axis",)), self.origin)
            missing = [a for a in axes if a not in self.extents]
            if missing:
                raise Unliftable("reduction", line_of(node), f"reduction over threads whose index has no bounds "
                                 f"guard ({', '.join(missing)})")
            dtype = marker.dtype
            self.stages.append(Stage(expr=cast(term, dtype), reduce=reduce, lo=start, hi=end, op=op, axes=axes,
                                     dtype=dtype))
            ref = StageRef(dtype, len(self.stages) - 1, axes)
            old = outer[name]
            self.env[name] = binary("+", old, ref) if op == "sum" else Call(dtype, op, (cast(old, dtype), ref))
        for name, value in after.items():
            if name in outer and name not in markers and value != outer[name]:
                raise Unliftable("loop-carried variable", line_of(node), f"'{name}' changes inside a reduction loop")

    def _with_local(self, name, dtype, value, fn):
        saved = self.env.get(name, _MISSING), self.types.get(name, _MISSING)
        self.env[name], self.types[name] = value, dtype
        try:
            return fn()
        finally:
            for table, old in ((self.env, saved[0]), (self.types, saved[1])):
                if old is _MISSING:
                    table.pop(name, None)
                else:
                    table[name] = old

    def _fresh(self, stem: str) -> str:
        self.counter += 1
        return f"{stem}{self.counter}"

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
            raise Unliftable("store index", line, f"store index into '{buffer}' is not a row-major layout of "
                             f"the thread's axes ({', '.join(axes) or 'none'})")
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

    # --- expressions -------------------------------------------------------
    def _scalar(self, value, node: Node) -> Expr:
        if isinstance(value, Ptr):
            raise Unliftable("pointer", line_of(node), f"pointer used as a value in '{text_of(node)[:40]}'")
        return value

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
            arg = self._scalar(self._expr(node.child_by_field_name("argument")), node)
            if op == "-":
                if isinstance(arg, Const):
                    return Const(arg.dtype, -arg.value)
                return Neg(arg.dtype, cast(arg, "int32") if arg.dtype == "bool" else arg)
            if op == "+":
                return arg
            if op == "!":
                return Not("bool", cast(arg, "bool"))
            raise Unliftable(op, line_of(node), f"operator '{op}' is not lifted")
        if kind == "cast_expression":
            type_text = re.sub(r"\s+", " ", text_of(node.child_by_field_name("type")).replace("std::", "")).strip()
            value = self._expr(node.child_by_field_name("value"))
            if type_text.endswith("*") or isinstance(value, Ptr):
                raise Unliftable("pointer cast", line_of(node), f"cast '{text_of(node)[:40]}' is not lifted")
            dtype = SCALAR_TYPES.get(type_text.replace("const ", ""))
            if dtype is None:
                raise Unliftable("cast", line_of(node), f"cast to '{type_text}' is not lifted")
            return value if isinstance(value, Sym) and value.kind == "thread" else cast(value, dtype)
        if kind == "conditional_expression":
            cond = self._scalar(self._expr(node.child_by_field_name("condition")), node)
            a = self._scalar(self._expr(node.child_by_field_name("consequence")), node)
            b = self._scalar(self._expr(node.child_by_field_name("alternative")), node)
            dtype = binary("+", a, b).dtype
            return Select(dtype, cast(cond, "bool"), cast(a, dtype), cast(b, dtype))
        if kind == "subscript_expression":
            buffer, index, dtype = self._element(node)
            return self._load(buffer, index, dtype)
        if kind == "call_expression":
            return self._call(node)
        if kind == "pointer_expression":
            raise Unliftable("*pointer", line_of(node), "'*p' and '&x' are not lifted; write p[i]")
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
        if name in ("INFINITY", "HUGE_VALF"):
            return Const("float32", float("inf"))
        if name == "FLT_MAX":
            return Const("float32", 3.4028234663852886e38)
        if name in ("warpSize",):
            raise Unliftable(name, line_of(node), f"'{name}' is a block-level construct; not lifted")
        raise Unliftable("identifier", line_of(node), f"'{name}' is not a parameter or local (macros and globals "
                         "are not lifted)")

    def _binary(self, node: Node):
        op = text_of(node.child_by_field_name("operator"))
        a = self._expr(node.child_by_field_name("left"))
        b = self._expr(node.child_by_field_name("right"))
        if isinstance(a, Ptr) or isinstance(b, Ptr):
            if op == "+" and isinstance(a, Ptr) and not isinstance(b, Ptr):
                return Ptr(a.buffer, binary("+", a.offset, b))
            if op == "+" and isinstance(b, Ptr) and not isinstance(a, Ptr):
                return Ptr(b.buffer, binary("+", b.offset, a))
            if op == "-" and isinstance(a, Ptr) and not isinstance(b, Ptr):
                return Ptr(a.buffer, binary("-", a.offset, b))
            raise Unliftable("pointer arithmetic", line_of(node), f"'{text_of(node)[:40]}' is not lifted")
        if op not in ("+", "-", "*", "/", "%", "&&", "||") + COMPARISONS:
            raise Unliftable(op, line_of(node), f"operator '{op}' is not lifted")
        if op == "%" and (is_float(a.dtype) or is_float(b.dtype)):
            raise Unliftable("%", line_of(node), "'%' on floating-point values")
        result = binary(op, a, b)
        return global_index(result)

    def _call(self, node: Node):
        fn = text_of(node.child_by_field_name("function"))
        args = [self._scalar(self._expr(a), node) for a in node.child_by_field_name("arguments").named_children]
        if fn not in MATH:
            raise Unliftable("call", line_of(node), f"call to '{fn}' is not lifted (device functions and this "
                             "library call are not supported)")
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
        return base.buffer, canonical(full), self.pointers[base.buffer]

    def _load(self, buffer: str, index: Expr, dtype: str) -> Expr:
        if (buffer, index) in self.stores:
            return self.stores[(buffer, index)][0]
        self.loads.add(buffer)
        return Load(dtype, buffer, index)


_MISSING = object()
