"""Host loops of kernel launches in the entry (time steps, sweeps): `for (int t = 0; t < steps; t++) {
k1<<<...>>>(...); k2<<<...>>>(...); }`.

Such a loop is a statement of the entry's body or of another such loop (nested: red-black sweeps
inside iterations; never under a branch), counts an
`int` up by one from a start to a bound that are integer expressions over the entry's integer
parameters, literals and the file's object-like macros (never data), and holds nothing but kernel
launches, synchronisations, error checks, pointer swaps (ping_pong.py) and copies or sets of device
buffers (device_buffers.py places them). The CPU equivalent runs the same loop around the
lifted launches, in the same order; the loop variable is a scalar the launches may take (fdtd-2d
passes `t` to read `_fict_[t]`). What else a loop may hold is refused, naming it and its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

from ...verify.cuda.parse import is_kernel_launch, line_of, text_of, walk
from ...verify.cuda.signature import SCALAR_TYPES, HostFunction, Param
from .errors import Unliftable
from .macros import object_macros

# Host calls a loop of launches may hold besides the launches: they order or check, never compute.
_SYNC_CALLS = {"cudaDeviceSynchronize", "cudaThreadSynchronize", "cudaGetLastError", "cudaPeekAtLastError",
               "cudaStreamSynchronize"}
TRANSFER_CALLS = ("cudaMemcpy", "cudaMemcpyAsync", "cudaMemset", "cudaMemsetAsync")
_LOOPS = ("for_statement", "while_statement", "do_statement", "for_range_loop")
_INT_DTYPES = {"int8", "int16", "int32", "int64"}  # signed: `int t < n` compares without a sign change
_MACRO_DEPTH = 16
# The constructs a host loop of launches is refused with (the operator templates are tried for them).
HOST_LOOP_CONSTRUCTS = ("host loop", "trip count", "pointer swap", "cudaMemcpy", "host statement")


@dataclass
class Swap:
    """`std::swap(first, second)` or `tmp = first; first = second; second = tmp;` in a host loop."""
    first: str
    second: str
    line: int
    start: int  # byte offset of its first statement: it runs in source order among the loop's statements


@dataclass
class HostLoop:
    line: int
    var: str
    start: str  # C++ text over the entry's parameters (macros expanded)
    op: str  # "<" or "<="
    bound: str
    param: Param  # the loop variable, as a scalar launches may take
    node: Node = field(repr=False, default=None)
    swaps: list[Swap] = field(default_factory=list)  # device pointers swapped between steps (ping_pong.py)
    parent: "HostLoop | None" = None  # the host loop this one is nested in

    def header(self) -> str:
        return f"for (int {self.var} = {self.start}; {self.var} {self.op} {self.bound}; ++{self.var})"

    def chain(self) -> list["HostLoop"]:
        """The loops from the outermost to this one."""
        return (self.parent.chain() if self.parent else []) + [self]

    def key(self) -> tuple:
        """(line, header) of each loop from the outermost to this one: where a statement runs."""
        return tuple((loop.line, loop.header()) for loop in self.chain())

    def first_and_last(self, values: dict[str, int]) -> list[dict[str, int]]:
        """The loop variables' first and last values (this loop's and its outer loops', each combination)
        at the integer parameters `values` ([] when the loop runs no step); Unliftable when a start or
        bound reads a parameter not in `values`."""
        found = []
        for outer in self.parent.first_and_last(values) if self.parent else [{}]:
            at = {**values, **outer}
            first = evaluate_int(self.start, at, self.line)
            last = evaluate_int(self.bound, at, self.line) - (1 if self.op == "<" else 0)
            if first <= last:
                found += [{**outer, self.var: first}, {**outer, self.var: last}]
        return found


def host_loops(launches: list) -> list[HostLoop]:
    """Every host loop the launches (launch.KernelLaunch) run in, outer ones included, each once."""
    return list({id(loop): loop for launch in launches if launch.loop for loop in launch.loop.chain()}.values())


def read_host_loop(loop: Node, host: HostFunction, entry: Node, parent: HostLoop | None = None) -> HostLoop:
    """The host loop `loop` of the entry `host` (its function_definition `entry`), nested in the host
    loop `parent` (None: a statement of the entry's body), or Unliftable."""
    line = line_of(loop)
    if loop.type != "for_statement":
        raise Unliftable("host loop", line, f"{host.name} launches a kernel inside a '{loop.type.split('_')[0]}' "
                         "loop; a counted `for (int t = start; t < bound; t++)` loop of launches is lifted")
    params = {p.name: p for p in host.params}
    outer_vars = {outer.var: outer.param for outer in parent.chain()} if parent else {}
    params.update(outer_vars)  # an inner loop's start and bound may read the outer loops' variables
    macros = object_macros(entry)
    var, start = _initializer(loop, host, params, macros, set(outer_vars))
    op, bound = _condition(loop, var, params, macros)
    _update(loop, var)
    swaps = _body(loop, host.name)
    param = Param(name=var, type_text="int", dtype="int32", pointer=False, const=False, line=line,
                  declaration=f"int {var}")
    return HostLoop(line=line, var=var, start=start, op=op, bound=bound, param=param, node=loop, swaps=swaps,
                    parent=parent)


def evaluate_int(text: str, values: dict[str, int], line: int) -> int:
    """host_int's C++ text (integers, parameters, + - * / %, parentheses) at `values`, with C's
    truncating division."""
    import ast

    def value(node) -> int:
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return node.value
        if isinstance(node, ast.Name) and node.id in values:
            return int(values[node.id])
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -value(node.operand)
        if isinstance(node, ast.BinOp):
            a, b = value(node.left), value(node.right)
            if isinstance(node.op, (ast.Div, ast.Mod)) and b == 0:
                raise Unliftable("trip count", line, f"the host loop's bound '{text}' divides by zero")
            if isinstance(node.op, ast.Div):
                return abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1)
            if isinstance(node.op, ast.Mod):
                return a - b * (abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1))
            ops = {ast.Add: a + b, ast.Sub: a - b, ast.Mult: a * b}
            if type(node.op) in ops:
                return ops[type(node.op)]
        raise Unliftable("trip count", line, f"the host loop's bound '{text}' has no value at the timing shape")

    return value(ast.parse(text, mode="eval").body)


def _initializer(loop: Node, host: HostFunction, params: dict, macros: dict, outer: set) -> tuple[str, str]:
    init = loop.child_by_field_name("initializer")
    line = line_of(loop)
    if init is not None and init.type == "declaration":
        declarators = init.children_by_field_name("declarator")
        kind = text_of(init.child_by_field_name("type")).strip()
        if len(declarators) == 1 and declarators[0].type == "init_declarator" and kind == "int":
            name = text_of(declarators[0].child_by_field_name("declarator")).strip()
            return _variable(name, params, line, host.name, outer), \
                host_int(declarators[0].child_by_field_name("value"), params, macros, line)
    elif init is not None and init.type == "assignment_expression" \
            and text_of(init.child_by_field_name("operator")) == "=":
        name = text_of(init.child_by_field_name("left")).strip()
        if _declared_int(host.body, name, loop):
            return _variable(name, params, line, host.name, outer), \
                host_int(init.child_by_field_name("right"), params, macros, line)
    raise Unliftable("host loop", line, f"the host loop of {host.name} does not start as `int t = start` (or `t = "
                     "start` with `int t` declared before it); only counted loops of launches are lifted")


def _variable(name: str, params: dict, line: int, entry: str, outer: set) -> str:
    if name in outer:
        raise Unliftable("host loop", line, f"the host loop of line {line} counts with '{name}', the variable of "
                         "the loop around it; nested loops with variables of their own are lifted")
    if name in params:
        raise Unliftable("host loop", line, f"the host loop of {entry} counts with its parameter '{name}'; "
                         "a local loop variable is lifted")
    return name


def _declared_int(body: Node, name: str, loop: Node) -> bool:
    for node in walk(body):
        if node.type == "declaration" and node.start_byte < loop.start_byte \
                and text_of(node.child_by_field_name("type")).strip() == "int":
            names = [text_of(d.child_by_field_name("declarator") if d.type == "init_declarator" else d).strip()
                     for d in node.children_by_field_name("declarator")]
            if name in names:
                return True
    return False


def _condition(loop: Node, var: str, params: dict, macros: dict) -> tuple[str, str]:
    cond = loop.child_by_field_name("condition")
    line = line_of(loop)
    if cond is not None and cond.type == "binary_expression":
        left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
        op = text_of(cond.child_by_field_name("operator"))
        flipped = {">": "<", ">=": "<="}
        if text_of(left).strip() == var and op in ("<", "<="):
            return op, host_int(right, params, macros, line)
        if text_of(right).strip() == var and op in flipped:
            return flipped[op], host_int(left, params, macros, line)
    words = text_of(cond).strip() if cond is not None else "none"
    raise Unliftable("host loop", line, f"the host loop's condition '{words}' is not `{var} < bound` or "
                     f"`{var} <= bound`; only counted loops of launches are lifted")


def _update(loop: Node, var: str) -> None:
    update = loop.child_by_field_name("update")
    words = " ".join(text_of(update).split()) if update is not None else ""
    if words.replace(" ", "") in (f"{var}++", f"++{var}", f"{var}+=1", f"{var}={var}+1"):
        return
    raise Unliftable("host loop", line_of(loop), f"the host loop steps by '{words or 'nothing'}'; "
                     f"loops that count {var} up by one are lifted")


def host_int(node: Node | None, params: dict, macros: dict, line: int, depth: int = 0,
             types: dict | None = None) -> str:
    """An integer expression over the entry's integer parameters, literals and object-like macros
    (and with `types`, the file's scalar type names: `sizeof(T)` of a scalar type), as C++ text valid
    in the emitted file (macros replaced by their values, parenthesised)."""
    if node is None:
        raise Unliftable("host loop", line, "the host loop has no trip count")
    kind = node.type
    text = text_of(node).strip()
    if kind == "number_literal" and text.rstrip("uUlL").isdigit():
        return text.rstrip("uUlL")
    if kind == "identifier":
        if text in params:
            if params[text].pointer or params[text].dtype not in _INT_DTYPES:
                raise Unliftable("trip count", line, f"the host loop's trip count reads '{text}', which is not a "
                                 "signed integer parameter; counts from such parameters, literals and macros are lifted")
            return text
        macro = macros.get(text)
        if macro is not None and macro.expression is not None and depth < _MACRO_DEPTH:
            return f"({host_int(macro.expression, params, macros, line, depth + 1, types)})"
        why = f": {macro.why}" if macro is not None and macro.why else ""
        raise Unliftable("trip count", line, f"the host loop's trip count reads '{text}', not an integer parameter "
                         f"or a usable macro{why}")
    if kind == "sizeof_expression" and types is not None:
        named = (node.child_by_field_name("type") or node.child_by_field_name("value"))
        spelling = text_of(named).strip().strip("()").strip() if named is not None else ""
        spelling = types.get(spelling, spelling)
        if spelling in SCALAR_TYPES:
            return f"sizeof({spelling})"
    if kind == "cast_expression" and types is not None:  # `(size_t)(n * sizeof(float))`
        named = node.child_by_field_name("type")
        spelling = " ".join(text_of(named).replace("std::", "").split()) if named is not None else ""
        spelling = types.get(spelling, spelling)
        if SCALAR_TYPES.get(spelling, "").startswith(("int", "uint")):
            inner = host_int(node.child_by_field_name("value"), params, macros, line, depth, types)
            return f"({spelling})({inner})"
    if kind == "parenthesized_expression" and node.named_child_count == 1:
        return f"({host_int(node.named_children[0], params, macros, line, depth, types)})"
    if kind == "binary_expression" and text_of(node.child_by_field_name("operator")) in ("+", "-", "*", "/", "%"):
        left = host_int(node.child_by_field_name("left"), params, macros, line, depth, types)
        right = host_int(node.child_by_field_name("right"), params, macros, line, depth, types)
        return f"{left} {text_of(node.child_by_field_name('operator'))} {right}"
    if kind == "unary_expression" and text_of(node.child_by_field_name("operator")) == "-":
        return f"-{host_int(node.child_by_field_name('argument'), params, macros, line, depth)}"
    raise Unliftable("trip count", line, f"the host loop's trip count '{text[:60]}' is not an integer expression "
                     "over parameters, literals and macros (a value computed or read at run time)")


def _body(loop: Node, entry: str) -> list[Swap]:
    """The loop's pointer swaps; any statement but a launch, a synchronisation, an error check, a
    swap, a copy or set of device buffers, launch configuration or a nested loop of launches is refused."""
    body = loop.child_by_field_name("body")
    flat = _flatten(body.named_children if body.type == "compound_statement" else [body])
    swaps, k = [], 0
    while k < len(flat):
        swap, taken = _swap_at(flat, k)
        if swap is not None:
            swaps.append(Swap(swap[0], swap[1], line_of(flat[k]), flat[k].start_byte))
            k += taken
            continue
        _statement(flat[k], loop, entry)
        k += 1
    return swaps


def _flatten(nodes: list) -> list:
    """Statements with blocks opened (`{ k1<<<...>>>(); }`), comments and empty statements dropped."""
    flat = []
    for statement in nodes:
        if statement.type == "compound_statement":
            flat += _flatten(statement.named_children)
        elif statement.type != "comment" and not (statement.type == "expression_statement"
                                                  and not statement.named_children):
            flat.append(statement)
    return flat


def _swap_at(flat: list, k: int):
    """((first, second), statements taken) for a swap of two names starting at flat[k], else (None, 0)."""
    expression = _expression(flat[k])
    if expression is not None and expression.type == "call_expression" \
            and text_of(expression.child_by_field_name("function")).strip() in ("std::swap", "swap"):
        arguments = expression.child_by_field_name("arguments").named_children
        if len(arguments) == 2 and all(a.type == "identifier" for a in arguments):
            return (text_of(arguments[0]).strip(), text_of(arguments[1]).strip()), 1
        return None, 0
    saved = _saved_pointer(flat[k])  # `T* tmp = a;` or `tmp = a;`
    if saved is None or saved[1] is None or k + 2 >= len(flat):
        return None, 0
    temporary, first = saved
    second = _copy(flat[k + 1], first)
    if second is not None and _copy(flat[k + 2], second) == temporary:
        return (first, second), 3
    return None, 0


def _expression(statement: Node):
    if statement.type == "expression_statement" and len(statement.named_children) == 1:
        return statement.named_children[0]
    return None


def _saved_pointer(statement: Node):
    """(tmp, a) for `T* tmp = a;` or `tmp = a;`, else None."""
    if statement.type == "declaration":
        declarators = statement.children_by_field_name("declarator")
        if len(declarators) == 1 and declarators[0].type == "init_declarator" \
                and declarators[0].child_by_field_name("declarator").type == "pointer_declarator" \
                and declarators[0].child_by_field_name("value").type == "identifier":
            name = text_of(declarators[0].child_by_field_name("declarator")).lstrip("* ").strip()
            return name, text_of(declarators[0].child_by_field_name("value")).strip()
        return None
    expression = _expression(statement)
    if expression is not None and expression.type == "assignment_expression":
        left = text_of(expression.child_by_field_name("left")).strip()
        return left, _copy(statement, left)
    return None


def _copy(statement: Node, target: str) -> str | None:
    """The name assigned to `target` in `target = name;`, else None."""
    expression = _expression(statement)
    if expression is None or expression.type != "assignment_expression" \
            or text_of(expression.child_by_field_name("operator")) != "=" \
            or text_of(expression.child_by_field_name("left")).strip() != target \
            or expression.child_by_field_name("right").type != "identifier":
        return None
    return text_of(expression.child_by_field_name("right")).strip()


def _statement(statement: Node, loop: Node, entry: str) -> None:
    line, at = line_of(statement), f"in the host loop of {entry} (line {line_of(loop)})"
    call = statement.named_children[0] if statement.type == "expression_statement" and \
        len(statement.named_children) == 1 else None
    if call is not None and call.type == "call_expression":
        if is_kernel_launch(call) or _is_sync(call):
            return
        arguments = call.child_by_field_name("arguments").named_children
        name = text_of(call.child_by_field_name("function")).strip()
        if len(arguments) == 1 and arguments[0].type == "call_expression" and _is_sync(arguments[0]):
            return  # an error check wrapping a synchronisation: CUDA_CHECK(cudaDeviceSynchronize())
        if name in ("std::swap", "swap"):
            raise Unliftable("pointer swap", line, f"'{text_of(statement).strip()}' {at} swaps something other "
                             "than two device pointers named by variables")
        if transfer_call(call) is not None:
            return  # a copy or set of device buffers: device_buffers.py places it among the loop's steps
    if _configures_launches(statement, loop):
        return  # the grid of a later launch (`grid.x = ...`): the CPU equivalent's domain comes from the guards
    if statement.type == "for_statement" and any(is_kernel_launch(n) for n in walk(statement)):
        return  # a host loop of launches nested in this one, read as its own (launch.py)
    if statement.type in _LOOPS:
        raise Unliftable("host loop", line, f"a loop without kernel launches {at}: host loops hold launches, "
                         "synchronisations, error checks and loops of launches")
    if _swaps_pointers(statement):
        raise Unliftable("pointer swap", line, f"'{' '.join(text_of(statement).split())}' {at} reassigns a pointer "
                         "other than in a swap of two device pointers (`tmp = a; a = b; b = tmp;`, `std::swap(a, b)`); "
                         "only launches, synchronisations, error checks and such swaps are lifted there")
    words = " ".join(text_of(statement).split())
    raise Unliftable("host statement", line, f"'{words[:60]}' {at}: host code between launches is not supported; "
                     "only launches, synchronisations and error checks are lifted there")


def _configures_launches(statement: Node, loop: Node) -> bool:
    """A declaration or assignment of launch-configuration variables only (`grid.x = (N - k) / 64;`,
    `dim3 block(64);`, `int blocks = ...;`): names read nowhere in the entry but inside `<<<...>>>`
    and other such statements."""
    targets = _configured_names(statement)
    if not targets:
        return False
    body = loop
    while body.parent is not None and body.parent.type != "function_definition":
        body = body.parent
    return targets <= _configuration_names(body)


def _configuration_names(body: Node) -> set:
    """The entry's names that only configure launches: every occurrence is inside a launch's
    `<<<...>>>` or in a declaration or assignment of such names alone (a fixpoint, so `block` may
    size `grid`)."""
    holders: dict[str, list] = {}  # name -> the statements (or launch configurations) it occurs in
    candidates = set()
    for node in walk(body):
        if node.type in ("declaration", "expression_statement"):
            candidates |= _configured_names(node)
        if node.type != "identifier":
            continue
        holder = node.parent
        while holder is not None and holder.type not in ("kernel_call_syntax", "expression_statement",
                                                          "declaration", "compound_statement", "for_statement"):
            holder = holder.parent
        holders.setdefault(text_of(node), []).append(holder)
    changed = True
    while changed:
        changed = False
        for name in list(candidates):
            for holder in holders.get(name, []):
                if holder is None or holder.type in ("compound_statement", "for_statement"):
                    ok = False
                elif holder.type == "kernel_call_syntax":
                    ok = True
                else:
                    configured = _configured_names(holder)
                    ok = bool(configured) and configured <= candidates
                if not ok:
                    candidates.discard(name)
                    changed = True
                    break
    return candidates


def _configured_names(statement: Node) -> set:
    """The names a declaration declares or an assignment statement assigns (`grid` of `grid.x = ...`),
    or nothing for any other statement."""
    if statement.type == "declaration":
        names = set()
        for declarator in statement.children_by_field_name("declarator"):
            while declarator is not None and declarator.type not in ("identifier",):
                declarator = declarator.child_by_field_name("declarator")
            if declarator is None:
                return set()
            names.add(text_of(declarator))
        return names
    expression = _expression(statement)
    if expression is None or expression.type != "assignment_expression":
        return set()
    target = expression.child_by_field_name("left")
    while target.type == "field_expression":
        target = target.child_by_field_name("argument")
    return {text_of(target)} if target.type == "identifier" else set()


def transfer_call(call: Node) -> Node | None:
    """The `cudaMemcpy`/`cudaMemset` call of a statement's call, also inside an error check
    (`CUDA_CHECK(cudaMemcpy(...))`), else None."""
    name = text_of(call.child_by_field_name("function")).strip()
    if name in TRANSFER_CALLS:
        return call
    arguments = call.child_by_field_name("arguments").named_children
    if len(arguments) == 1 and arguments[0].type == "call_expression":
        return transfer_call(arguments[0])
    return None


def _is_sync(call: Node) -> bool:
    return text_of(call.child_by_field_name("function")).strip() in _SYNC_CALLS


def _swaps_pointers(statement: Node) -> bool:
    """`tmp = a;`, `a = b;`, `float* tmp = a;`: a pointer copied from a name (the three-step swap)."""
    if statement.type == "declaration":
        return any(d.type == "init_declarator" and d.child_by_field_name("declarator").type == "pointer_declarator"
                   for d in statement.children_by_field_name("declarator"))
    expression = statement.named_children[0] if statement.type == "expression_statement" and \
        statement.named_children else None
    return expression is not None and expression.type == "assignment_expression" \
        and text_of(expression.child_by_field_name("operator")) == "=" \
        and expression.child_by_field_name("right").type == "identifier"
