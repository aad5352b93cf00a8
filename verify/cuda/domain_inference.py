"""Value domains inferred from a C++/CUDA source (see verify/domains.py for the rules' purpose).

Read in the entry's body and in the kernels it launches (a kernel parameter stands for the
entry's parameter passed at its position, directly or through the device copy made by
`cudaMemcpy(d, x, ...)`):
  * `x[i] == 1`, `x[i] != 0`, ... only ever against small integer constants -> [min(0,c), max(1,c)]
  * `b[x[i]]` with b a parameter (extent len(b)) or a local `T b[N]`  -> [0, len(b)-1] / [0, N-1]
  * `x[i] % 2` (x not used as an index)                                -> negative values too
  * `x[i] > 0.0f` (a real against 0 or ±1)                            -> [-1, 1], the threshold drawn
  * `std::clamp(x[i], A, B)`, `min(max(x[i], A), B)`, `fminf(fmaxf(..))` -> beyond both bounds
Only integer parameters get equality, index and parity domains; clamps apply to any type.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from ..domains import (INFERRED, SMALL_CONSTANT, Domain, equality_domain, merge_inferred, parity_domain,
                       widened_clamp)
from .parse import file_root, function_name, is_kernel_launch, line_of, text_of, walk
from .signature import HostFunction, SourceFile

_EQUALITY = ("==", "!=")
_ORDER = ("<", "<=", ">", ">=")
_MAX = ("max", "std::max", "fmax", "fmaxf", "std::fmax")
_MIN = ("min", "std::min", "fmin", "fminf", "std::fmin")
_CLAMP = ("std::clamp", "clamp")


class _Clues:
    """What the bodies say about each entry parameter, gathered over the entry and its kernels."""

    def __init__(self):
        self.constants: dict[str, list[int]] = {}  # compared for equality with these small constants
        self.constant_lines: dict[str, set[int]] = {}
        self.equality_reads: dict[str, int] = {}  # reads that are such comparisons
        self.reads: dict[str, int] = {}  # every read of an element (or of the scalar)
        self.matched: dict[str, tuple[str, str]] = {}  # array -> (scalar compared with it, where)
        self.ordered: set[str] = set()
        self.indexing: set[str] = set()


def infer(entry: HostFunction, source: SourceFile) -> dict[str, Domain]:
    integer = {p.name for p in entry.params if p.dtype.startswith(("int", "uint"))}
    params = {p.name: p for p in entry.params}
    found: dict[str, Domain] = {}
    clues = _Clues()
    bodies = [(entry.body, {name: name for name in params})]
    bodies += _launched_kernels(entry, source, set(params))
    file = source.path.name
    for body, alias in bodies:
        if body is not None:
            _infer_body(body, alias, integer, params, found, file, clues)
    for name, values in clues.constants.items():
        # Only when every read of it is such a comparison: a value also used in arithmetic
        # (`state == 0` as a guard) keeps its full range.
        if name not in integer or name in clues.ordered or name in clues.indexing \
                or clues.equality_reads.get(name, 0) != clues.reads.get(name, 0):
            continue
        lines = ", ".join(str(n) for n in sorted(clues.constant_lines[name]))
        found.pop(name, None)  # an equality set is sharper than a parity clue
        merge_inferred(found, equality_domain(name, values, f"{file} line {lines}"))
    for name, (scalar, where) in clues.matched.items():
        if name in found or name not in integer or scalar not in integer:
            continue
        # About half of the draws of `scalar` then occur in the array: both answers of a search show.
        hi = f"len({name})*3/2"
        merge_inferred(found, Domain(name, "0", hi, INFERRED, f"compared for equality with {scalar} ({where}): "
                                                              f"values drawn where matches are frequent"))
        if scalar not in found:
            found[scalar] = Domain(scalar, "0", hi, INFERRED, f"searched for in {name} ({where})")
    for name in clues.indexing:  # an index is never drawn negative, whatever its remainder
        if name in found and found[name].reason.startswith("remainder"):
            del found[name]
    return found


def _infer_body(body: Node, alias: dict[str, str], integer: set[str], params: dict, found: dict, file: str,
                clues: _Clues):
    """alias: a name in this body -> the entry parameter it stands for."""
    local_arrays = _local_array_sizes(body)
    for node in walk(body):
        read = _read_of(node, alias, params)
        if read is not None:
            clues.reads[read] = clues.reads.get(read, 0) + 1
        if node.type == "binary_expression":
            op = node.child_by_field_name("operator")
            op_text = text_of(op) if op is not None else ""
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            for mine, other in ((left, right), (right, left)):
                name = _element_of(mine, alias)
                if name is None:
                    continue
                value = _small_int(other)
                if op_text in _EQUALITY and value is not None:
                    clues.constants.setdefault(name, []).append(value)
                    clues.constant_lines.setdefault(name, set()).add(line_of(node))
                    clues.equality_reads[name] = clues.equality_reads.get(name, 0) + 1
                elif op_text in _ORDER and name not in integer and _number(other) in (0.0, 1.0, -1.0) \
                        and params[name].dtype in ("float32", "float64"):
                    # A threshold the default reals never hit exactly: draw it in boundary cases.
                    clues.ordered.add(name)
                    merge_inferred(found, Domain(name, "-1", "1", INFERRED,
                                                 f"compared with {text_of(other)} ({text_of(node)} at {file}:"
                                                 f"{line_of(node)}): that value itself is drawn too"))
                elif op_text in _EQUALITY + _ORDER:
                    clues.ordered.add(name)
                    scalar = _element_of(other, alias) if other is not None and other.type == "identifier" else None
                    if op_text in _EQUALITY and scalar and mine.type == "subscript_expression" \
                            and params[name].pointer and not params[scalar].pointer:
                        clues.matched.setdefault(name, (scalar, f"{text_of(node)} at {file}:{line_of(node)}"))
                elif op_text == "%" and mine is left and _small_int(other) == 2 and name in integer:
                    merge_inferred(found, parity_domain(name, f"{text_of(node)} at {file}:{line_of(node)}"))
        elif node.type == "subscript_expression":
            outer = node.child_by_field_name("argument")
            inner = _index_node(node)
            inner_name = _element_of(inner, alias) if inner is not None else None
            if outer is None or inner_name is None or inner_name not in integer:
                continue
            clues.indexing.add(inner_name)
            outer_text = text_of(outer)
            where = f"{text_of(node)} at {file}:{line_of(node)}"
            if outer_text in alias and params[alias[outer_text]].pointer:
                merge_inferred(found, Domain(inner_name, "0", f"len({alias[outer_text]})-1", INFERRED,
                                             f"used as an index of {alias[outer_text]} ({where})"))
            elif outer_text in local_arrays:
                merge_inferred(found, Domain(inner_name, "0", str(local_arrays[outer_text] - 1), INFERRED,
                                             f"used as an index of a local array of {local_arrays[outer_text]} "
                                             f"({where})"))
        elif node.type == "call_expression":
            clamp = _clamp(node, alias)
            if clamp is not None:
                name, lo, hi = clamp
                merge_inferred(found, widened_clamp(name, lo, hi, f"clamped by {text_of(node)} at {file}:"
                                                                  f"{line_of(node)}"))


def _read_of(node: Node, alias: dict[str, str], params: dict) -> str | None:
    """The parameter whose value `node` reads: an element `x[i]` / `*x` of an array, or a scalar
    (not a scalar handed on as a call argument, which is followed into the callee instead)."""
    if node.type in ("subscript_expression", "pointer_expression"):
        name = _element_of(node, alias)
        return name if name is not None and params[name].pointer else None
    if node.type == "identifier" and node.text.decode() in alias:
        name = alias[node.text.decode()]
        parent = node.parent
        if params[name].pointer or parent is None or parent.type in ("argument_list", "parameter_declaration",
                                                                     "init_declarator", "pointer_declarator"):
            return None
        return name
    return None


def _element_of(node: Node | None, alias: dict[str, str]) -> str | None:
    """The parameter that `x[i]`, `*x` or a scalar `x` reads, if any."""
    while node is not None and node.type in ("parenthesized_expression", "cast_expression"):
        node = node.child_by_field_name("value") or node.named_children[-1]
    if node is None:
        return None
    if node.type == "subscript_expression":
        array = node.child_by_field_name("argument")
        return alias.get(text_of(array)) if array is not None else None
    if node.type == "pointer_expression" and text_of(node).startswith("*"):
        arg = node.child_by_field_name("argument")
        return alias.get(text_of(arg)) if arg is not None else None
    if node.type == "identifier":
        return alias.get(text_of(node))
    return None


def _index_node(node: Node) -> Node | None:
    indices = node.child_by_field_name("indices") or node.child_by_field_name("index")
    if indices is None:
        return None
    if indices.type == "subscript_argument_list":
        named = indices.named_children
        return named[0] if len(named) == 1 else None
    return indices


def _small_int(node: Node | None) -> int | None:
    if node is None:
        return None
    text = text_of(node).strip()
    if node.type == "unary_expression" and text.startswith("-"):
        text = text.replace(" ", "")
    if node.type == "char_literal" and re.fullmatch(r"'.'", text):
        return None
    if re.fullmatch(r"-?\d+[uUlL]*", text):
        value = int(re.sub(r"[uUlL]", "", text))
        return value if abs(value) <= SMALL_CONSTANT else None
    return None


def _number(node: Node | None) -> float | None:
    if node is None:
        return None
    text = re.sub(r"[fFlLuU]+$", "", text_of(node).replace(" ", ""))
    try:
        return float(text)
    except ValueError:
        return None


def _arguments(node: Node) -> list[Node]:
    args = node.child_by_field_name("arguments")
    return [c for c in args.named_children if c.type != "comment"] if args is not None else []


def _clamp(node: Node, alias: dict[str, str]):
    function = node.child_by_field_name("function")
    name = text_of(function) if function is not None else ""
    args = _arguments(node)
    if name in _CLAMP and len(args) == 3:
        target, lo, hi = _element_of(args[0], alias), _number(args[1]), _number(args[2])
        if target and lo is not None and hi is not None and lo < hi:
            return target, lo, hi
        return None
    if name in _MIN + _MAX and len(args) == 2:
        inner = next((a for a in args if a.type == "call_expression"), None)
        bound = next((_number(a) for a in args if a is not inner), None)
        if inner is None or bound is None:
            return None
        inner_fn = inner.child_by_field_name("function")
        inner_name = text_of(inner_fn) if inner_fn is not None else ""
        inner_args = _arguments(inner)
        if len(inner_args) != 2 or not ((name in _MIN and inner_name in _MAX) or (name in _MAX and inner_name in _MIN)):
            return None
        target = next((_element_of(a, alias) for a in inner_args if _element_of(a, alias)), None)
        other = next((_number(a) for a in inner_args if _number(a) is not None), None)
        if target is None or other is None:
            return None
        lo, hi = (other, bound) if name in _MIN else (bound, other)
        if lo < hi:
            return target, lo, hi
    return None


def _local_array_sizes(body: Node) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for node in walk(body):
        if node.type == "array_declarator":
            name = node.child_by_field_name("declarator")
            size = node.child_by_field_name("size")
            if name is not None and size is not None and re.fullmatch(r"\d+", text_of(size)):
                sizes[text_of(name)] = int(text_of(size))
    return sizes


# ---- following the entry's parameters into the kernels it launches ------------------------------

def _launched_kernels(entry: HostFunction, source: SourceFile, params: set[str]):
    if entry.body is None or not source.kernels:
        return []
    device_copy = _device_copies(entry.body, params)
    kernels = _kernel_definitions(entry.body)
    found = []
    for node in walk(entry.body):
        if not is_kernel_launch(node):
            continue
        function = node.child_by_field_name("function")
        kernel = kernels.get(text_of(function)) if function is not None else None
        if kernel is None:
            continue
        launch_args = _arguments(node)
        kernel_params = _parameter_names(kernel)
        alias = {}
        for param_name, arg in zip(kernel_params, launch_args):
            text = text_of(arg).strip()
            target = text if text in params else device_copy.get(text)
            if target:
                alias[param_name] = target
        if alias:
            found.append((kernel.child_by_field_name("body"), alias))
    return found


def _kernel_definitions(body: Node) -> dict[str, Node]:
    return {function_name(n): n for n in walk(file_root(body)) if n.type == "function_definition" and function_name(n)}


def _parameter_names(func: Node) -> list[str]:
    declarator = func.child_by_field_name("declarator")
    while declarator is not None and declarator.type != "function_declarator":
        declarator = declarator.child_by_field_name("declarator")
    plist = declarator.child_by_field_name("parameters") if declarator is not None else None
    names = []
    for param in (plist.named_children if plist is not None else []):
        ident = [n for n in walk(param) if n.type == "identifier"]
        names.append(text_of(ident[-1]) if ident else "")
    return names


def _device_copies(body: Node, params: set[str]) -> dict[str, str]:
    """`cudaMemcpy(d, x, ...)` or `cudaMemcpy(x, d, ...)`: d stands for parameter x."""
    copies: dict[str, str] = {}
    for node in walk(body):
        if node.type != "call_expression":
            continue
        function = node.child_by_field_name("function")
        if function is None or text_of(function) not in ("cudaMemcpy", "cudaMemcpyAsync"):
            continue
        args = [text_of(a).strip() for a in _arguments(node)]
        if len(args) >= 2:
            if args[1] in params and re.fullmatch(r"[A-Za-z_]\w*", args[0]):
                copies[args[0]] = args[1]
            elif args[0] in params and re.fullmatch(r"[A-Za-z_]\w*", args[1]):
                copies[args[1]] = args[0]
    return copies
