"""Which loop nests of the entry may run as kernels: dependence tests, privatisation, reductions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tree_sitter import Node

from ..cuda_cpu.syntax import called_name, arguments, statements_of, text_of, walk
from .loops import CountedLoop, counted_loop, injective, normalize, single_inner_loop

# Functions a kernel may call: CUDA has device versions of these.
DEVICE_MATH = {
    "sqrt", "sqrtf", "exp", "expf", "log", "logf", "log2", "log2f", "log10", "log10f", "pow", "powf", "fabs",
    "fabsf", "abs", "fmax", "fmaxf", "fmin", "fminf", "sin", "sinf", "cos", "cosf", "tan", "tanf", "tanh", "tanhf",
    "floor", "floorf", "ceil", "ceilf", "round", "roundf", "fma", "fmaf", "erf", "erff", "exp2", "exp2f", "max", "min",
    "atan", "atanf", "atan2", "atan2f", "asin", "acos", "sinh", "cosh", "cbrt", "cbrtf", "hypot", "hypotf", "fmod",
    "fmodf", "trunc", "truncf", "expm1", "log1p", "copysign", "isnan", "isinf", "rsqrt",
}


@dataclass
class Reduction:
    name: str
    op: str  # "+", "*", "max", "min", "argmax", "argmin"
    type_text: str
    index: str | None = None  # argmax/argmin: the variable that receives the loop index
    index_type: str | None = None


@dataclass
class Nest:
    """A parallel loop nest: one kernel."""
    node: Node
    loops: list[CountedLoop]  # outermost first; 1 or 2 parallel loops
    body: Node  # what one thread runs per iteration
    reductions: list[Reduction] = field(default_factory=list)
    reads: set[str] = field(default_factory=set)  # arrays (pointer variables of the host function)
    writes: set[str] = field(default_factory=set)
    conditional_writes: set[str] = field(default_factory=set)
    write_subscripts: dict[str, str] = field(default_factory=dict)
    free: list[str] = field(default_factory=list)  # host variables the kernel needs, in first-use order
    tables: list[str] = field(default_factory=list)  # constant local tables the kernel declares itself


@dataclass
class Variable:
    name: str
    type_text: str  # element type for pointers
    pointer: bool
    const: bool
    array_local: bool = False  # a local array or container: cannot go to the device
    constant_table: str | None = None  # `const T c[N] = {...};`: the declaration, repeated in kernels


class NotParallel(Exception):
    pass


def _declared_inside(node: Node) -> set[str]:
    names = set()
    for n in walk(node):
        if n.type in ("init_declarator", "declaration"):
            target = n.child_by_field_name("declarator")
            while target is not None and target.type != "identifier":
                target = target.child_by_field_name("declarator")
            if target is not None:
                names.add(text_of(target))
    return names


def _write_target(n: Node) -> Node | None:
    if n.type == "assignment_expression":
        return n.child_by_field_name("left")
    if n.type == "update_expression":
        return n.child_by_field_name("argument")
    return None


def _reduction_op(stmt: Node, name: str) -> str | None:
    """The operator of a reduction statement on `name`, or None."""
    text = normalize(text_of(stmt)).rstrip(";")
    n = re.escape(name)
    rest = lambda expr: name not in re.findall(r"[A-Za-z_]\w*", expr)  # noqa: E731
    if text in (f"++{name}", f"{name}++", f"--{name}", f"{name}--"):
        return "+"
    m = re.fullmatch(rf"if\((.+)\){{?(\+\+{n}|{n}\+\+|{n}\+=(.+?)|{n}-=(.+?));?}}?", text)
    if m and rest(m.group(1)) and rest(m.group(3) or m.group(4) or ""):
        return "+"
    m = re.fullmatch(rf"{n}(\+=|-=|\*=)(.+)", text)
    if m and rest(m.group(2)):
        return "*" if m.group(1) == "*=" else "+"
    m = re.fullmatch(rf"{n}={n}([+*])(.+)", text)
    if m and rest(m.group(2)) and not (m.group(1) == "*" and re.search(r"[+\-]", m.group(2))):
        return m.group(1)
    m = re.fullmatch(rf"{n}=(?:std::)?(fmaxf?|max|fminf?|min)\({n},(.+)\)", text) or \
        re.fullmatch(rf"{n}=(?:std::)?(fmaxf?|max|fminf?|min)\((.+),{n}\)", text)
    if m and rest(m.group(2)):
        return "max" if "max" in m.group(1) else "min"
    m = re.fullmatch(rf"if\((.+)([<>])=?{n}\){{?{n}=(.+?);?}}?", text)
    if m and m.group(1) == m.group(3) and rest(m.group(1)):
        return "max" if m.group(2) == ">" else "min"
    m = re.fullmatch(rf"if\({n}([<>])=?(.+)\){{?{n}=(.+?);?}}?", text)
    if m and m.group(2) == m.group(3) and rest(m.group(2)):
        return "min" if m.group(1) == ">" else "max"
    return None


def _statement_of(node: Node, stop: Node) -> Node:
    """The innermost statement containing `node` (if statements count as a whole for reductions)."""
    current = node
    while current.parent is not None and current != stop:
        if current.type in ("expression_statement",):
            parent = current.parent
            if parent is not None and parent.type == "if_statement":
                return parent
            if parent is not None and parent.type == "compound_statement" and parent.parent is not None and \
                    parent.parent.type == "if_statement" and len(parent.named_children) == 1:
                return parent.parent
            return current
        current = current.parent
    return current


def analyse(loop_node: Node, variables: dict[str, Variable], functions: set[str]) -> Nest:
    """Raise NotParallel(reason) unless the outer loop of the nest may run one iteration per thread."""
    outer = counted_loop(loop_node)
    if outer is None:
        raise NotParallel("not a counted loop (for (T i = lo; i < hi; ++i))")
    loops = [outer]
    body = outer.body
    inner_node = single_inner_loop(outer.body)
    if inner_node is not None:
        inner = counted_loop(inner_node)
        if inner is not None and outer.var not in re.findall(r"\w+", inner.lo + " " + inner.hi):
            try:
                nest2 = _check(inner_node, [outer, inner], inner.body, variables, functions, 0)
                _check(inner_node, [outer, inner], inner.body, variables, functions, 1)
                if not nest2.reductions:
                    nest2.node = loop_node
                    return nest2
            except NotParallel:
                pass
    return _check(loop_node, loops, body, variables, functions, 0)


def _check(node: Node, loops: list[CountedLoop], body: Node, variables: dict[str, Variable],
           functions: set[str], level: int) -> Nest:
    """Is loops[level] parallel (the loops outside it fixed, those inside it running)?"""
    nest = Nest(node=node, loops=loops, body=body)
    check_var = loops[level].var
    private = _declared_inside(body) | {l.var for l in loops}
    inner_loops = [counted_loop(n) for n in walk(body) if n.type == "for_statement"]
    inner = loops[level + 1:] + [l for l in inner_loops if l is not None]
    local_defs = _single_definitions(body)
    writes: dict[str, set[str]] = {}
    reads: dict[str, set[str]] = {}
    scalar_updates: dict[str, list[Node]] = {}
    for n in walk(body):
        if n.type in ("return_statement", "goto_statement"):
            raise NotParallel(f"'{text_of(n).split()[0]}' leaves the loop")
        if n.type == "break_statement" and not _inside_inner_loop(n, body):
            raise NotParallel("'break' leaves the loop")
        if n.type == "call_expression":
            name = called_name(n) or ""
            if name not in DEVICE_MATH and name not in functions:
                raise NotParallel(f"calls {name or text_of(n.child_by_field_name('function'))}(), "
                                  f"which has no device version")
        target = _write_target(n)
        if target is not None:
            if target.type == "identifier":
                name = text_of(target)
                if name not in private:
                    if name in variables and not variables[name].pointer:
                        scalar_updates.setdefault(name, []).append(n)
                    else:
                        raise NotParallel(f"assigns '{name}', which lives outside the loop")
            elif target.type == "subscript_expression":
                array = target.child_by_field_name("argument")
                if array is None or array.type != "identifier" or text_of(array) not in variables:
                    raise NotParallel(f"writes through '{text_of(target)}', which the analysis cannot follow")
                name = text_of(array)
                if variables[name].const:
                    raise NotParallel(f"writes the input '{name}'")
                writes.setdefault(name, set()).add(_substitute(_index(target), local_defs))
                if _under_condition(n, body):
                    nest.conditional_writes.add(name)
            elif target.type == "parenthesized_expression" or target.type == "pointer_expression" or \
                    target.type == "field_expression":
                raise NotParallel(f"writes through '{text_of(target)}', which the analysis cannot follow")
        if n.type == "subscript_expression" and not _plain_store(n):
            array = n.child_by_field_name("argument")
            if array is not None and array.type == "identifier" and text_of(array) in variables:
                reads.setdefault(text_of(array), set()).add(_substitute(_index(n), local_defs))
        if n.type == "identifier" and text_of(n) in variables:
            var = variables[text_of(n)]
            if var.array_local and var.constant_table is None:
                raise NotParallel(f"uses the host array '{text_of(n)}'")
            if var.pointer and (n.parent is None or n.parent.type != "subscript_expression" or
                                n.parent.child_by_field_name("argument") != n):
                # a pointer used whole (p + k, passed to a function): fine for inputs only
                if not var.const:
                    raise NotParallel(f"uses the output array '{text_of(n)}' other than by subscript")
                reads.setdefault(text_of(n), set()).add("*")
    for name, subs in writes.items():
        write_subs = set(subs)
        if len(write_subs) != 1:
            raise NotParallel(f"writes '{name}' at different subscripts ({', '.join(sorted(write_subs))})")
        sub = next(iter(write_subs))
        if not injective(sub, check_var, inner, loops[level]):
            raise NotParallel(f"two iterations of '{check_var}' may write the same element of '{name}' "
                              f"(subscript {sub})")
        other = reads.get(name, set()) - {sub}
        if other:
            raise NotParallel(f"reads '{name}' at {', '.join(sorted(other))} while writing it at {sub}: "
                              f"a loop-carried dependence")
        nest.write_subscripts[name] = sub
    for reduction, statement in _arg_reductions(body, scalar_updates, variables, check_var):
        for name in (reduction.name, reduction.index):
            for n in walk(body):
                if n.type == "identifier" and text_of(n) == name and \
                        not (statement.start_byte <= n.start_byte and n.end_byte <= statement.end_byte):
                    raise NotParallel(f"'{name}' of an arg{reduction.op[3:]} reduction is used elsewhere in the loop")
            scalar_updates.pop(name, None)
        nest.reductions.append(reduction)
    for name, updates in scalar_updates.items():
        ops = set()
        statements = set()
        for update in updates:
            stmt = _statement_of(update, body)
            op = _reduction_op(stmt, name)
            if op is None:
                raise NotParallel(f"'{name}' carries a value from one iteration to the next "
                                  f"('{text_of(stmt).strip()}' is not a recognised reduction)")
            ops.add(op)
            statements.add((stmt.start_byte, stmt.end_byte))
        if len(ops) != 1:
            raise NotParallel(f"'{name}' is combined with different operators")
        for n in walk(body):
            if n.type == "identifier" and text_of(n) == name and \
                    not any(a <= n.start_byte and n.end_byte <= b for a, b in statements):
                raise NotParallel(f"the reduction variable '{name}' is read inside the loop")
        nest.reductions.append(Reduction(name, ops.pop(), variables[name].type_text))
    nest.writes = set(writes)
    nest.reads = set(reads)
    seen: list[str] = []
    for n in walk(node):
        if n.type == "identifier" and text_of(n) in variables and text_of(n) not in private and \
                text_of(n) not in seen and text_of(n) not in {r.name for r in nest.reductions}:
            seen.append(text_of(n))
    nest.free = seen
    return nest


def _arg_reductions(body: Node, updates: dict[str, list[Node]], variables: dict[str, Variable],
                    loop_var: str) -> list[tuple[Reduction, Node]]:
    """`if (E > m) { m = E; k = i; }` (or `<`): the first index of the largest (smallest) value."""
    found = []
    for stmt in walk(body):
        if stmt.type != "if_statement" or stmt.child_by_field_name("alternative") is not None:
            continue
        condition = stmt.child_by_field_name("condition")
        inner = [s for s in statements_of(stmt.child_by_field_name("consequence")) if s.type != "comment"]
        match = re.fullmatch(r"\((.+)([<>])([A-Za-z_]\w*)\)", normalize(text_of(condition)))
        if match is None or len(inner) != 2:
            continue
        value_expr, op, value = match.groups()
        assigned = {}
        for s in inner:
            m = re.fullmatch(r"([A-Za-z_]\w*)=(.+);", normalize(text_of(s)))
            if m:
                assigned[m.group(1)] = m.group(2)
        index = next((name for name, expr in assigned.items() if expr == loop_var and name != value), None)
        if assigned.get(value) != value_expr or index is None:
            continue
        if value not in updates or index not in updates or value not in variables or index not in variables:
            continue
        kind = "argmax" if op == ">" else "argmin"
        found.append((Reduction(value, kind, variables[value].type_text, index, variables[index].type_text), stmt))
    return found


def _plain_store(n: Node) -> bool:
    """`a[i] = ...`: the element is written, not read."""
    parent = n.parent
    return parent is not None and parent.type == "assignment_expression" and \
        parent.child_by_field_name("left") == n and text_of(parent.child_by_field_name("operator")) == "="


def _inside_inner_loop(n: Node, body: Node) -> bool:
    current = n.parent
    while current is not None and current != body:
        if current.type in ("for_statement", "while_statement", "do_statement", "switch_statement"):
            return True
        current = current.parent
    return False


def _under_condition(n: Node, body: Node) -> bool:
    current = n.parent
    while current is not None and current != body:
        if current.type in ("if_statement", "conditional_expression", "while_statement", "switch_statement"):
            return True
        current = current.parent
    return False


def _index(subscript: Node) -> str:
    index = subscript.child_by_field_name("index") or subscript.child_by_field_name("indices")
    if index is None:
        return normalize(text_of(subscript).split("[", 1)[1].rsplit("]", 1)[0])
    text = text_of(index)
    return normalize(text.strip("[]"))


def _single_definitions(body: Node) -> dict[str, str]:
    """Local scalars initialised once and never assigned: their value stands in subscripts."""
    defs: dict[str, str] = {}
    assigned: set[str] = set()
    for n in walk(body):
        if n.type == "init_declarator":
            target = n.child_by_field_name("declarator")
            value = n.child_by_field_name("value")
            if target is not None and target.type == "identifier" and value is not None:
                defs[text_of(target)] = normalize(text_of(value))
        target = _write_target(n)
        if target is not None and target.type == "identifier":
            assigned.add(text_of(target))
    return {k: v for k, v in defs.items() if k not in assigned}


def _substitute(expr: str, defs: dict[str, str]) -> str:
    for _ in range(3):
        new = re.sub(r"[A-Za-z_]\w*", lambda m: f"({defs[m.group(0)]})" if m.group(0) in defs else m.group(0), expr)
        if new == expr:
            break
        expr = new
    return normalize(expr)
