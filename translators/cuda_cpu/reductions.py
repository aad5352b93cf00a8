"""Reduction kernels recognised as a whole and written as an OpenMP programmer would.

The faithful translation of a block tree reduction runs every level of the tree as a loop over
the block's threads; on a CPU the same result is one loop over the elements with a
`reduction` clause.  A kernel is recognised when it has three parts, in order:

  1. each thread's value:  `T acc = 0; for (i = <global index>; i < n; i += <grid stride>) acc += e;`
     (or `acc = fmaxf(acc, e)`, min/max alike), or one element per thread,
     `s[tid] = i < n ? e : identity;` / `T v = i < n ? e : identity;`;
  2. the block's combination: statements that touch only shared memory and the thread's own
     values (no global memory, no atomics) with barriers, halving loops and warp shuffles, all
     combining with the same operation as part 1;
  3. the result: `atomicAdd(out, ...)` (atomicMax/atomicMin), possibly under `if (tid == 0)`
     or `if (lane == 0)`, which becomes one reduction over all elements; or
     `partial[blockIdx.x] = ...`, which becomes a loop over the blocks, each reducing its own
     elements (the per-block results the host or a second pass combines stay the same).

One-thread-per-element kernels whose only effect is an atomic update of one fixed address
(`if (i < n && x[i] > 0) atomicAdd(count, 1);`, `atomicMax(result, x[i])`) become the same
reduction loop.  Anything else returns None and the kernel gets the faithful translation; every
result is checked by the verifier, which accepts the reassociated sums within its tolerances.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node

from .patterns import BUILTINS, _guard_bounds, _norm, _type_prefix
from .idiom_checks import is_value, strip, synchronised, whole_warp_shuffles
from .plan import BARRIERS, WARP_OPS, declared_names
from .syntax import Source, arguments, called_name, dedent_block, statements_of, text_of, walk

STEP = "    "
ATOMIC_OPS = {"atomicAdd": "+", "atomicMax": "max", "atomicMin": "min"}
COMBINE_CALLS = {"fmaxf": "max", "fmax": "max", "max": "max", "fminf": "min", "fmin": "min", "min": "min"}
ZERO = re.compile(r"^\(?\s*(?:\(\w+\)\s*)?0+(?:\.0*)?(?:[eE][+-]?\d+)?[fFuUlL]*\s*\)?$")


@dataclass
class Reduction:
    text: str
    elementwise: bool  # launched without grid and block
    note: str


@dataclass
class _Values:
    """Part 1: each thread's value."""
    op: str            # '+', 'max', 'min'
    type_text: str     # type of the accumulator
    acc: str           # accumulator name in the output
    init: str          # its initial value
    update: str        # the statement that folds one element into acc ('' until the operation is known)
    element: str       # one element's value (text, over `index`)
    index_type: str
    index: str
    bound: str
    base: str          # the first element of block blockIdx.x (thread 0)
    stride: str | None  # grid stride, or None for one element per thread
    into_shared: bool = False  # the one element went straight into shared memory (acc is a new name)


class _Kernel:
    def __init__(self, src: Source, func: Node, body: Node, name: str):
        self.src = src
        self.func = func
        self.body = body
        self.name = name
        self.pointers = _pointer_params(src, func)
        self.shared: dict[str, str] = {}  # name -> element type
        self.tids: set[str] = set()
        self.gids: dict[str, tuple[str, str]] = {}  # name -> (type, base)

    # ---- indices ---------------------------------------------------------------------------
    def is_tid(self, node: Node) -> bool:
        node = strip(node)
        return text_of(node) in self.tids or _norm(text_of(node)) == "threadIdx.x"

    def gid_base(self, node: Node) -> str | None:
        """`blockIdx.x * B + threadIdx.x` (either order, B any block size) -> `blockIdx.x * B`."""
        node = strip(node)
        if node.type == "identifier" and text_of(node) in self.gids:
            return self.gids[text_of(node)][1]
        if node.type != "binary_expression" or text_of(node.child_by_field_name("operator")) != "+":
            return None
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        for tid, base in ((right, left), (left, right)):
            if self.is_tid(tid) and "blockIdx.x" in text_of(base) and "threadIdx" not in text_of(base) and \
                    not any(text_of(n) in self.tids for n in walk(base)):
                return text_of(base)
        return None

    def plain(self, node: Node) -> bool:
        """An element expression: no thread or block indices, no shared memory, no warp operations."""
        for n in walk(node):
            if n.type == "identifier" and (text_of(n) in BUILTINS or text_of(n) in self.tids or
                                           text_of(n) in self.shared):
                return False
            if n.type == "call_expression" and (called_name(n) or "").startswith(("atomic", "__")):
                return False
        return True

    # ---- part 1 ----------------------------------------------------------------------------
    def prologue(self, stmts: list[Node]) -> list[Node] | None:
        """Skip shared declarations and index aliases; None on any other leading declaration."""
        rest = list(stmts)
        while rest and rest[0].type == "declaration":
            decl = rest[0]
            if "__shared__" in text_of(decl).split("[")[0].split():
                for name, declarator in declared_names(decl):
                    self.shared[name] = re.sub(r"\b(extern|__shared__|volatile)\b", "",
                                               _type_prefix(self.src, decl, declarator)).strip()
                rest.pop(0)
                continue
            names = declared_names(decl)
            if not names or any(d.type != "init_declarator" for _, d in names):
                break
            kinds = []
            for name, declarator in names:
                value = declarator.child_by_field_name("value")
                if self.is_tid(value):
                    kinds.append(("tid", name, None))
                elif self.gid_base(value) is not None:
                    kinds.append(("gid", name, self.gid_base(value)))
                else:
                    kinds = []
                    break
            if not kinds:
                break
            type_text = _type_prefix(self.src, decl, names[0][1]).replace("const", "").strip()
            for kind, name, base in kinds:
                if kind == "tid":
                    self.tids.add(name)
                else:
                    self.gids[name] = (type_text, base)
            rest.pop(0)
        return rest

    def values(self, rest: list[Node]) -> tuple[_Values, list[Node]] | None:
        if len(rest) >= 2 and rest[0].type == "declaration" and rest[1].type == "for_statement":
            found = self._grid_stride_values(rest[0], rest[1])
            if found:
                return found, rest[2:]
        if rest:
            found = self._one_element_value(rest[0])
            return (found, rest[1:]) if found else None
        return None

    def _grid_stride_values(self, decl: Node, loop: Node) -> _Values | None:
        names = declared_names(decl)
        if len(names) != 1 or names[0][1].type != "init_declarator":
            return None
        acc, declarator = names[0]
        init = text_of(declarator.child_by_field_name("value"))
        type_text = _type_prefix(self.src, decl, declarator).strip()
        head = loop.child_by_field_name("initializer")
        cond = loop.child_by_field_name("condition")
        update = loop.child_by_field_name("update")
        if head is None or head.type != "declaration" or cond is None or update is None:
            return None
        loop_names = declared_names(head)
        if len(loop_names) != 1 or loop_names[0][1].type != "init_declarator":
            return None
        index, index_decl = loop_names[0]
        base = self.gid_base(index_decl.child_by_field_name("value"))
        bounds = _guard_bounds(cond, {index: "x"})
        if base is None or bounds is None:
            return None
        if update.type != "assignment_expression" or text_of(update.child_by_field_name("operator")) != "+=" or \
                text_of(update.child_by_field_name("left")) != index or \
                "gridDim.x" not in text_of(update.child_by_field_name("right")):
            return None
        stmts = [s for s in statements_of(loop.child_by_field_name("body")) if s.type != "comment"]
        if len(stmts) != 1:
            return None
        folded = self._fold(stmts[0], acc)
        if folded is None:
            return None
        op, element = folded
        if op == "+" and not ZERO.match(init):
            return None
        update_text = dedent_block(text_of(stmts[0]))
        return _Values(op, type_text, acc, init, update_text, text_of(element),
                       _type_prefix(self.src, head, index_decl).strip(), index, bounds["x"], base,
                       text_of(update.child_by_field_name("right")))

    def _fold(self, stmt: Node, acc: str) -> tuple[str, Node] | None:
        """`acc += e;` -> ('+', e); `acc = fmaxf(acc, e);` -> ('max', e)."""
        if stmt.type != "expression_statement" or not stmt.named_children:
            return None
        expr = stmt.named_children[0]
        if expr.type != "assignment_expression" or text_of(expr.child_by_field_name("left")) != acc:
            return None
        operator = text_of(expr.child_by_field_name("operator"))
        right = expr.child_by_field_name("right")
        if operator == "+=":
            element = right
            op = "+"
        elif operator == "=" and right.type == "call_expression" and called_name(right) in COMBINE_CALLS:
            args = arguments(right)
            if len(args) != 2:
                return None
            texts = [text_of(strip(a)) for a in args]
            if texts[0] == acc:
                element = args[1]
            elif texts[1] == acc:
                element = args[0]
            else:
                return None
            op = COMBINE_CALLS[called_name(right)]
        else:
            return None
        if not self.plain(element) or any(text_of(n) == acc for n in walk(element)):
            return None
        return op, element

    def _one_element_value(self, stmt: Node) -> _Values | None:
        """`s[tid] = i < n ? e : identity;` or `T v = i < n ? e : identity;`."""
        if stmt.type == "declaration":
            names = declared_names(stmt)
            if len(names) != 1 or names[0][1].type != "init_declarator":
                return None
            target, declarator = names[0]
            value = declarator.child_by_field_name("value")
            type_text = _type_prefix(self.src, stmt, declarator).strip()
        elif stmt.type == "expression_statement" and stmt.named_children and \
                stmt.named_children[0].type == "assignment_expression":
            expr = stmt.named_children[0]
            left = expr.child_by_field_name("left")
            if text_of(expr.child_by_field_name("operator")) != "=" or left.type != "subscript_expression":
                return None
            array = left.child_by_field_name("argument")
            indices = left.child_by_field_name("indices") or left.child_by_field_name("index")
            index_nodes = [c for c in indices.named_children] if indices is not None and \
                indices.type == "subscript_argument_list" else [indices]
            if array is None or text_of(array) not in self.shared or len(index_nodes) != 1 or \
                    not self.is_tid(index_nodes[0]):
                return None
            target, value, type_text = "acc", expr.child_by_field_name("right"), self.shared[text_of(array)]
        else:
            return None
        value = strip(value)
        if value is None or value.type != "conditional_expression":
            return None
        cond = value.child_by_field_name("condition")
        element = value.child_by_field_name("consequence")
        identity = value.child_by_field_name("alternative")
        index_names = {name: "x" for name in self.gids}
        bounds = _guard_bounds(cond, index_names)
        if bounds is None or not self.plain(element):
            return None
        index = next(n.child_by_field_name("left") for n in walk(cond) if n.type == "binary_expression" and
                     text_of(n.child_by_field_name("operator")) == "<")
        index_type, base = self.gids[text_of(index)]
        op = "+" if ZERO.match(text_of(identity)) else None  # max/min are told by part 2
        return _Values(op or "?", type_text, target, text_of(identity), "", text_of(element),
                       index_type, text_of(index), bounds["x"], base, None, into_shared=stmt.type != "declaration")

    # ---- part 2 and 3 ----------------------------------------------------------------------
    def result(self, rest: list[Node]) -> tuple[str, Node, list[Node]] | None:
        """('atomic'|'partial', the final statement, the combination statements and conditions)."""
        if not rest:
            return None
        combination = list(rest[:-1])
        last = rest[-1]
        while last.type == "if_statement" and last.child_by_field_name("alternative") is None:
            combination.append(last.child_by_field_name("condition"))
            inner = [s for s in statements_of(last.child_by_field_name("consequence")) if s.type != "comment"]
            if not inner:
                return None
            combination += inner[:-1]
            last = inner[-1]
        if last.type != "expression_statement" or not last.named_children:
            return None
        expr = last.named_children[0]
        if expr.type == "call_expression" and called_name(expr) in ATOMIC_OPS:
            args = arguments(expr)
            if len(args) != 2 or not self.plain(args[0]) or not _pointer_target(args[0], self.pointers):
                return None
            return "atomic", last, combination
        if expr.type == "assignment_expression" and text_of(expr.child_by_field_name("operator")) == "=":
            left = expr.child_by_field_name("left")
            array = left.child_by_field_name("argument") if left.type == "subscript_expression" else None
            if array is not None and text_of(array) in self.pointers and \
                    _norm(text_of(left)[len(text_of(array)):]) == "[blockIdx.x]":
                return "partial", last, combination
        return None

    def combination_op(self, nodes: list[Node], acc_names: set[str]) -> str | None:
        """The one operation the block's combination uses ('+', 'max', 'min'), '' for none, None if
        it touches global memory, uses atomics or mixes operations."""
        ops: set[str] = set()
        for node in nodes:
            for n in walk(node):
                if n.type == "identifier" and text_of(n) in self.pointers:
                    return None
                if n.type == "call_expression":
                    name = called_name(n) or ""
                    if name in COMBINE_CALLS:
                        ops.add(COMBINE_CALLS[name])
                    elif name not in BARRIERS | WARP_OPS:
                        return None
                if n.type == "assignment_expression":
                    operator = text_of(n.child_by_field_name("operator"))
                    if operator == "+=":
                        ops.add("+")
                    elif operator not in ("=", ">>=", "/=", "<<=", "*="):
                        return None
                    elif operator != "=" and is_value(n.child_by_field_name("left"), self.shared, acc_names):
                        return None  # halving a loop counter, not combining values
        if len(ops) > 1:
            return None
        return next(iter(ops), "")


def _pointer_params(src: Source, func: Node) -> dict[str, str]:
    """Pointer parameter name -> element type."""
    out = {}
    for param in walk(func.child_by_field_name("declarator")):
        if param.type != "parameter_declaration":
            continue
        declarator = param.child_by_field_name("declarator")
        if declarator is None or declarator.type != "pointer_declarator":
            continue
        name = next((text_of(n) for n in walk(declarator) if n.type == "identifier"), None)
        type_node = param.child_by_field_name("type")
        if name and type_node is not None:
            out[name] = text_of(type_node)
    return out


def _pointer_target(node: Node, pointers: dict[str, str]) -> str | None:
    """`out` -> '*out', `&out[k]` -> 'out[k]' for a pointer parameter."""
    node = strip(node)
    if node.type == "identifier" and text_of(node) in pointers:
        return f"*{text_of(node)}"
    if node.type == "pointer_expression" and text_of(node).startswith("&"):
        inner = strip(node.named_children[0]) if node.named_children else None
        if inner is not None and inner.type == "subscript_expression" and \
                text_of(inner.child_by_field_name("argument")) in pointers:
            return text_of(inner)
    return None


def _combine(op: str, target: str, value: str) -> str:
    if op == "+":
        return f"{target} += {value};"
    compare = ">" if op == "max" else "<"
    return f"if ({value} {compare} {target}) {target} = {value};"


def recognise(src: Source, func: Node, body: Node, name: str, used: set[str]) -> Reduction | None:
    kernel = _Kernel(src, func, body, name)
    stmts = [s for s in statements_of(body) if s.type != "comment"]
    rest = kernel.prologue(stmts)
    if rest is None:
        return None
    found = kernel.values(rest)
    if found is not None:
        values, rest = found
        return _block_reduction(kernel, values, rest, used)
    return _atomic_elementwise(kernel, rest, used)


def _block_reduction(kernel: _Kernel, values: _Values, rest: list[Node], used: set[str]) -> Reduction | None:
    outcome = kernel.result(rest)
    if outcome is None:
        return None
    kind, last, combination = outcome
    accs = {values.acc} | {n for n in kernel.tids}
    op = kernel.combination_op(combination, accs)
    if op is None or not synchronised(kernel.shared, [s for s in rest if s.type != "comment"],
                                       dirty=values.into_shared):
        return None
    if not whole_warp_shuffles(combination):
        return None
    stages = []
    if any(called_name(n) in BARRIERS for node in combination for n in walk(node) if n.type == "call_expression"):
        stages.append("shared-memory tree of the block (__syncthreads halving loop)")
    if any(called_name(n) in WARP_OPS for node in combination for n in walk(node) if n.type == "call_expression"):
        stages.append("warp shuffles")
    if kind == "atomic":
        expr = last.named_children[0]
        final_op = ATOMIC_OPS[called_name(expr)]
        if op not in ("", final_op):
            return None
        op = final_op
        if not combination and kernel.shared:
            return None
    elif op == "":
        return None  # a per-block result with no combination is not a reduction of the block
    if values.op == "?":
        if op == "+":
            return None  # a sum's padding value must be zero
        values.op = op
    if values.op != op:
        return None
    if values.into_shared:  # the one-element form stored straight into shared memory: a fresh name
        while values.acc in used:
            values.acc += "_"
    if not values.update:
        values.update = _combine(values.op, values.acc, values.element)
    source = "grid-stride accumulation, " if values.stride else "one element per thread, "
    source += " then ".join(stages) if stages else "every thread's partial value"
    if kind == "atomic":
        return _grid_reduction(kernel, values, last, source)
    return _per_block(kernel, values, last, source)


def _clause(op: str) -> str:
    return {"+": "+", "max": "max", "min": "min"}[op]


def _grid_reduction(kernel: _Kernel, values: _Values, last: Node, source: str) -> Reduction:
    expr = last.named_children[0]
    target = _pointer_target(arguments(expr)[0], kernel.pointers)
    atomic = called_name(expr)
    update = values.update
    lines = [f"// idiom: block reduction ({source}, {atomic}) -> an OpenMP reduction over the elements",
             f"{values.type_text} {values.acc} = {values.init};",
             f"#pragma omp parallel for simd schedule(static) reduction({_clause(values.op)}:{values.acc})",
             f"for ({values.index_type} {values.index} = 0; {values.index} < {values.bound}; ++{values.index})",
             STEP + update if "\n" not in update else update,
             _combine(values.op, target, values.acc) + f"  // the {atomic} of every block"]
    note = (f"kernel {kernel.name}: idiom recognised: block reduction ({source}, {atomic}) -> "
            f"omp parallel for reduction({_clause(values.op)}:{values.acc})")
    return Reduction(_body(lines), True, note)


def _per_block(kernel: _Kernel, values: _Values, last: Node, source: str) -> Reduction:
    expr = last.named_children[0]
    left = text_of(expr.child_by_field_name("left"))
    t, i = values.index_type, values.index
    lines = [f"// idiom: block reduction ({source}, one result per block) -> each block's elements in one loop",
             "#pragma omp parallel for schedule(static)",
             "for (unsigned bx = 0; bx < gridDim.x; ++bx) {",
             STEP + "const dim3 blockIdx(bx);",
             STEP + f"{values.type_text} {values.acc} = {values.init};"]
    if values.stride is None:
        lines += [STEP + f"const {t} first = {values.base};  // the block's threads hold first + tid",
                  STEP + f"for ({t} {i} = first; {i} < {values.bound} && {i} - first < ({t})blockDim.x; ++{i})",
                  STEP * 2 + values.update]
    else:
        lines += [STEP + f"for ({t} first = {values.base}; first < {values.bound}; first += {values.stride})"
                  "  // one grid stride",
                  STEP * 2 + f"for ({t} {i} = first; {i} < {values.bound} && {i} - first < ({t})blockDim.x; ++{i})",
                  STEP * 3 + values.update]
    lines += [STEP + f"{left} = {values.acc};", "}"]
    note = (f"kernel {kernel.name}: idiom recognised: block reduction ({source}, one result per block) -> "
            f"blocks in parallel, each reducing its elements in one loop")
    return Reduction(_body(lines), False, note)


def _atomic_elementwise(kernel: _Kernel, rest: list[Node], used: set[str]) -> Reduction | None:
    """`if (i < n [&& p]) atomicAdd(target, e);` with one global index -> a reduction loop."""
    if len(kernel.gids) != 1 or len(rest) != 1 or rest[0].type != "if_statement" or \
            rest[0].child_by_field_name("alternative") is not None:
        return None
    index = next(iter(kernel.gids))
    index_type = kernel.gids[index][0]
    cond = strip(rest[0].child_by_field_name("condition"))
    terms = _conjuncts(cond)
    bound_terms = [t for t in terms if t.type == "binary_expression" and
                   text_of(t.child_by_field_name("operator")) == "<" and
                   text_of(strip(t.child_by_field_name("left"))) == index]
    if len(bound_terms) != 1 or terms[0] is not bound_terms[0]:
        return None  # the bound must come first: `&&` keeps later terms from reading past the end
    others = [t for t in terms[1:]]
    if not all(kernel.plain(t) for t in others):
        return None
    inner = [s for s in statements_of(rest[0].child_by_field_name("consequence")) if s.type != "comment"]
    if len(inner) != 1 or inner[0].type != "expression_statement" or not inner[0].named_children:
        return None
    call = inner[0].named_children[0]
    if call.type != "call_expression" or called_name(call) not in ATOMIC_OPS:
        return None
    args = arguments(call)
    target = _pointer_target(args[0], kernel.pointers) if len(args) == 2 else None
    if target is None or not kernel.plain(args[0]) or not kernel.plain(args[1]) or \
            any(text_of(n) == index for n in walk(args[0])):
        return None
    pointer = next(text_of(n) for n in walk(args[0]) if n.type == "identifier" and text_of(n) in kernel.pointers)
    type_text = re.sub(r"\bconst\b", "", kernel.pointers[pointer]).strip()
    op = ATOMIC_OPS[called_name(call)]
    acc = "acc"
    while acc in used:
        acc += "_"
    init = "0" if op == "+" else (f"std::numeric_limits<{type_text}>::lowest()" if op == "max"
                                  else f"std::numeric_limits<{type_text}>::max()")
    fold = _combine(op, acc, text_of(args[1]))
    if others:
        fold = f"if ({' && '.join(text_of(t) for t in others)}) {fold}"
    bound = text_of(bound_terms[0].child_by_field_name("right"))
    lines = [f"// idiom: one thread per element updating one address with {called_name(call)} -> an OpenMP reduction",
             f"{type_text} {acc} = {init};",
             f"#pragma omp parallel for simd schedule(static) reduction({_clause(op)}:{acc})",
             f"for ({index_type} {index} = 0; {index} < {bound}; ++{index})",
             STEP + fold,
             _combine(op, target, acc)]
    note = (f"kernel {kernel.name}: idiom recognised: atomic update of one address per element -> "
            f"omp parallel for reduction({_clause(op)}:{acc})")
    return Reduction(_body(lines), True, note)


def _conjuncts(node: Node) -> list[Node]:
    node = strip(node)
    if node.type == "binary_expression" and text_of(node.child_by_field_name("operator")) == "&&":
        return _conjuncts(node.child_by_field_name("left")) + _conjuncts(node.child_by_field_name("right"))
    return [node]


def _body(lines: list[str]) -> str:
    return "{\n" + "\n".join(STEP + l if l.strip() else l for l in lines) + "\n}"
