"""How many elements each array parameter of the entry has.

In order of precedence:
  1. `--shape x=n` (VerifyOptions.shapes),
  2. a structured comment in SOURCE or CANDIDATE:
         // transverify: shape x=n, y=n*m, total=1
         // transverify: value k=3
  3. inference from the entry's body, when every clue agrees:
       * `for (int i = 0; i < E; ...)` around `x[i]`             -> E
       * nested loops i < A, j < B around `x[i*B + j]`           -> (A)*(B)
       * `cudaMemcpy(d, x, E * sizeof(T), ...)` (either side)  -> E
         (also through `size_t bytes = E * sizeof(T);`)
     where E may name integer locals set once (`int n = rows * cols;`) and object-like macros
     (`#define N 48`), replaced by their values.
An extent is an expression over the entry's integer scalar parameters and
integer literals; anything else is refused with the flag to add.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from tree_sitter import Node

from ..errors import VerifyInputError
from ..int_expr import evaluate_integer
from .parse import file_root, locals_set_once, text_of, walk
from .signature import HostFunction, SourceFile

_COMMENT = re.compile(r"//\s*transverify:\s*(shape|value)\s+(.+)$", re.MULTILINE)


@dataclass
class Extents:
    shapes: dict[str, str]  # array parameter -> C++ expression
    values: dict[str, str]  # pinned scalars
    origin: dict[str, str]  # parameter -> "--shape" | "comment" | "inferred from <file>:<line>"


def structured_comments(text: str) -> tuple[dict[str, str], dict[str, str]]:
    shapes: dict[str, str] = {}
    values: dict[str, str] = {}
    for kind, body in _COMMENT.findall(text):
        target = shapes if kind == "shape" else values
        for item in body.split(","):
            name, sep, expr = item.partition("=")
            if sep and name.strip() and expr.strip():
                target[name.strip()] = expr.strip()
    return shapes, values


def resolve(entry: HostFunction, files: list[SourceFile], cli_shapes: dict[str, str],
            cli_values: dict[str, str]) -> Extents:
    """Extents for every pointer parameter of `entry` (files[0] is the source)."""
    scalars = {p.name for p in entry.params if not p.pointer}
    integer_scalars = {p.name for p in entry.params if not p.pointer and p.dtype.startswith(("int", "uint"))}
    arrays = [p for p in entry.params if p.pointer]
    param_names = {p.name for p in entry.params}
    shapes: dict[str, str] = {}
    values: dict[str, str] = {}
    origin: dict[str, str] = {}
    for name, flag in [(n, "--shape") for n in cli_shapes] + [(n, "--value") for n in cli_values]:
        if name not in param_names:
            raise VerifyInputError(f"{flag} names '{name}', which is not a parameter of {entry.name} "
                                   f"(parameters: {', '.join(p.name for p in entry.params)})",
                                   file=str(files[0].path), line=entry.line, construct=flag)
    for source in reversed(files):  # the source's comments win over the candidate's
        comment_shapes, comment_values = structured_comments(source.text)
        for name, expr in comment_shapes.items():
            if name in param_names:
                shapes[name], origin[name] = expr, f"comment in {source.path.name}"
        for name, expr in comment_values.items():
            if name in scalars:
                values[name] = expr
    for name, expr in cli_shapes.items():
        shapes[name], origin[name] = expr, "--shape"
    values.update({k: v for k, v in cli_values.items()})
    for param in arrays:
        if param.name in shapes:
            continue
        for source in files:
            fn = next((f for f in source.host_functions if f.name == entry.name), None)
            if fn is None:
                continue
            found = _infer(fn, param.name, scalars)
            if found is not None:
                shapes[param.name], origin[param.name] = found, f"inferred from {source.path.name}"
                break
    for param in arrays:
        if param.name not in shapes:
            hint = " ".join(sorted(integer_scalars)) or "a constant"
            raise VerifyInputError(
                f"cannot tell how many elements array parameter '{param.name}' of {entry.name} has; add "
                f"--shape {param.name}=<expression over {hint}> (or a '// transverify: shape "
                f"{param.name}=...' comment)",
                file=str(files[0].path), line=param.line, construct=f"parameter {param.name}", stage="parse")
        _check_expression(shapes[param.name], integer_scalars, f"--shape {param.name}", files[0], param.line)
    text = {p.name for p in entry.params if p.dtype in ("cstring", "cstring_array")}
    for name, expr in values.items():
        if name not in text:  # strings take any text (docs/cuda.md)
            _check_value(expr, f"--value {name}", files[0], entry.line)
    return Extents(shapes=shapes, values=values, origin=origin)


def size_parameters(extents: Extents, entry: HostFunction) -> list[str]:
    """Integer scalars used in an extent: they are sizes (>= 1)."""
    used = set()
    for expr in extents.shapes.values():
        used.update(re.findall(r"[A-Za-z_]\w*", expr))
    return [p.name for p in entry.params if not p.pointer and p.name in used and p.name not in extents.values]


def evaluate(expr: str, scalars: dict[str, float | int]) -> int:
    """Value of an extent for the given scalar values (C integer semantics)."""
    return evaluate_integer(_to_python(expr), lambda name: int(scalars[name]))


def _to_python(expr: str) -> str:
    # Casts like (size_t) or static_cast<size_t>(...) do not change a size.
    expr = re.sub(r"static_cast<[^>]*>", "", expr)
    expr = re.sub(r"\((?:size_t|int|long|long long|unsigned|std::size_t)\)", "", expr)
    return expr.replace("/", "//").replace("////", "//")


def _check_expression(expr: str, integer_scalars: set[str], flag: str, source: SourceFile, line: int) -> None:
    try:
        tree = ast.parse(_to_python(expr), mode="eval")
    except SyntaxError:
        tree = None
    bad = None
    if tree is None:
        bad = "not an arithmetic expression"
    else:
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id not in integer_scalars:
                bad = f"'{node.id}' is not an integer scalar parameter"
            elif isinstance(node, ast.Constant) and not isinstance(node.value, int):
                bad = f"'{node.value}' is not an integer"
            elif isinstance(node, (ast.Call, ast.Attribute, ast.Subscript, ast.Compare, ast.BoolOp)):
                bad = "only + - * / % over integer scalar parameters and integers are allowed"
    if bad:
        raise VerifyInputError(f"{flag}: extent '{expr}' is unusable: {bad}", file=str(source.path), line=line,
                               construct=flag)


def _check_value(expr: str, flag: str, source: SourceFile, line: int) -> None:
    try:
        float(expr)
    except ValueError:
        if expr not in ("true", "false"):
            raise VerifyInputError(f"{flag}: '{expr}' is not a number", file=str(source.path), line=line,
                                   construct=flag) from None


# ---- inference ----------------------------------------------------------------------------

def _infer(fn: HostFunction, name: str, scalars: set[str]) -> str | None:
    found: set[str] = set()
    locals_init = _local_initializers(fn.body)
    # what a found extent may name besides the scalars: integer locals set once and object-like macros
    named = {**_object_macros(text_of(file_root(fn.body))),
             **{name: _squash(text_of(node.child_by_field_name("value")))
                for name, node in locals_set_once(fn.body).items()}}
    for node in walk(fn.body):
        if node.type == "subscript_expression":
            array = node.child_by_field_name("argument")
            if array is None or text_of(array) != name:
                continue
            index = _index_text(node)
            bounds = _loop_bounds(node)
            extent = _extent_from_index(index, bounds)
            if extent is not None:
                found.add(extent)
        elif node.type == "call_expression":
            extent = _extent_from_memcpy(node, name, locals_init)
            if extent is not None:
                found.add(extent)
    found = {_expand(e, named, scalars) for e in found}
    usable = {_squash(e) for e in found if _uses_only(e, scalars)}
    if len(usable) == 1:
        return usable.pop()
    return None


def _squash(expr: str) -> str:
    return re.sub(r"\s+", "", expr)


def _uses_only(expr: str, names: set[str]) -> bool:
    words = set(re.findall(r"[A-Za-z_]\w*", re.sub(r"static_cast<[^>]*>|\b(size_t|int|long|unsigned)\b", "", expr)))
    return words <= names


def _index_text(node: Node) -> str:
    indices = node.child_by_field_name("indices")
    if indices is None:
        indices = node.children[-1]
    return _squash(text_of(indices).strip("[]"))


def _loop_bounds(node: Node) -> dict[str, str]:
    """Loop variable -> exclusive upper bound, for `for (T v = 0; v < E; ...)` loops around node."""
    bounds: dict[str, str] = {}
    current = node.parent
    while current is not None:
        if current.type == "for_statement":
            init = current.child_by_field_name("initializer")
            cond = current.child_by_field_name("condition")
            if init is not None and cond is not None and cond.type == "binary_expression":
                var = _zero_initialized(init)
                left, op, right = cond.child_by_field_name("left"), cond.child_by_field_name("operator"), \
                    cond.child_by_field_name("right")
                if var and left is not None and text_of(left) == var and op is not None and text_of(op) == "<":
                    bounds.setdefault(var, _squash(text_of(right)))
        current = current.parent
    return bounds


def _zero_initialized(init: Node) -> str | None:
    """The loop variable of `int i = 0` / `i = 0`, else None."""
    for node in walk(init):
        if node.type in ("init_declarator", "assignment_expression"):
            left = node.child_by_field_name("declarator") or node.child_by_field_name("left")
            value = node.child_by_field_name("value") or node.child_by_field_name("right")
            if left is not None and value is not None and left.type == "identifier" and text_of(value) == "0":
                return text_of(left)
    return None


def _extent_from_index(index: str, bounds: dict[str, str]) -> str | None:
    if index in bounds:
        return bounds[index]
    match = re.fullmatch(r"\(?([A-Za-z_]\w*)\)?\*\(?(\w+)\)?\+([A-Za-z_]\w*)", index) or \
        re.fullmatch(r"([A-Za-z_]\w*)\+\(?([A-Za-z_]\w*)\)?\*\(?(\w+)\)?", index)
    if match:
        if index.startswith(match.group(1)) and "*" in index.split("+")[0]:
            outer, stride, inner = match.group(1), match.group(2), match.group(3)
        else:
            inner, outer, stride = match.group(1), match.group(2), match.group(3)
        if outer in bounds and inner in bounds and bounds[inner] == stride:
            return f"({bounds[outer]})*({stride})"
    return None


def _local_initializers(body: Node) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in walk(body):
        if node.type == "init_declarator":
            name = node.child_by_field_name("declarator")
            value = node.child_by_field_name("value")
            if name is not None and value is not None and name.type == "identifier":
                found[text_of(name)] = _squash(text_of(value))
    return found


_DEFINE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)[ \t]+([^\n]*?)[ \t]*(?://[^\n]*)?$", re.MULTILINE)
_UNDEF = re.compile(r"^[ \t]*#[ \t]*undef[ \t]+([A-Za-z_]\w*)", re.MULTILINE)


def _object_macros(text: str) -> dict[str, str]:
    """`#define N 48` and other object-like macros whose value is integer arithmetic, defined once
    and never removed (a macro defined twice, e.g. under #ifdef branches, is left out)."""
    counts: dict[str, int] = {}
    values: dict[str, str] = {}
    for name, value in _DEFINE.findall(text):
        counts[name] = counts.get(name, 0) + 1
        if re.fullmatch(r"[\w\s()+\-*/%]+", value) \
                and all(re.fullmatch(r"[A-Za-z_]\w*|\d+[uUlL]*", word) for word in re.findall(r"\w+", value)):
            values[name] = re.sub(r"\b(\d+)[uUlL]+\b", r"\1", value.strip())
    removed = set(_UNDEF.findall(text))
    return {name: value for name, value in values.items() if counts[name] == 1 and name not in removed}


def _expand(expr: str, named: dict[str, str], scalars: set[str], depth: int = 8) -> str:
    """`expr` with the locals and macros it names replaced by their parenthesised values."""
    for _ in range(depth):
        words = set(re.findall(r"[A-Za-z_]\w*", expr)) - scalars
        hits = words & named.keys()
        if not hits:
            break
        expr = re.sub(r"[A-Za-z_]\w*", lambda m: f"({_squash(named[m.group(0)])})" if m.group(0) in hits
                      else m.group(0), expr)
    return expr


_MEMCPY = ("cudaMemcpy", "cudaMemcpyAsync", "memcpy", "std::memcpy")


def _extent_from_memcpy(node: Node, name: str, locals_init: dict[str, str]) -> str | None:
    function = node.child_by_field_name("function")
    if function is None or text_of(function) not in _MEMCPY:
        return None
    args_node = node.child_by_field_name("arguments")
    args = [c for c in (args_node.children if args_node is not None else []) if c.type not in ("(", ")", ",")]
    if len(args) < 3 or name not in (_squash(text_of(args[0])), _squash(text_of(args[1]))):
        return None
    size = _squash(text_of(args[2]))
    if re.fullmatch(r"[A-Za-z_]\w*", size) and size in locals_init:
        size = locals_init[size]
    # A cast such as (size_t) is dropped first: its '(' is not a parenthesis around the extent.
    size = re.sub(r"\((?:size_t|int|long|longlong|unsigned|std::size_t)\)", "", size)
    match = re.fullmatch(r"(.+)\*sizeof\([^)]*\)", size) or re.fullmatch(r"sizeof\([^)]*\)\*(.+)", size)
    if match:
        return strip_outer_parens(match.group(1))
    return None


def strip_outer_parens(expr: str) -> str:
    """'(n+1)' -> 'n+1'; '(a)*(b)' stays."""
    while expr.startswith("(") and expr.endswith(")"):
        depth = 0
        for position, char in enumerate(expr):
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth == 0 and position < len(expr) - 1:
                return expr
        expr = expr[1:-1]
    return expr
