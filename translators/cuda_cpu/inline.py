"""Inline the __device__ functions that hold warp operations or barriers into their kernels.

Warp-reduce helpers (`__device__ float warp_sum(float v) { for (...) v += __shfl_down_sync(...);
return v; }`) are everywhere in CUDA code; the barrier structure of a kernel can only be
translated when such a body sits in the kernel itself.  A call `x = f(a);`, `x += f(a);` or
`T x = f(a);` becomes, on the same line (so line numbers stay right),
`{ T f_v = a; <body>; x = <returned expression>; }` with the parameters renamed.
A function whose every call was inlined is dropped.
"""

from __future__ import annotations

from tree_sitter import Node

from ...verify.cuda.parse import function_name, function_qualifiers
from .plan import BARRIERS, WARP_OPS, calls_named
from .syntax import Source, arguments, called_name, rewrite, statements_of, text_of, walk


def _collective_functions(root: Node) -> dict[str, Node]:
    found = {}
    for func in walk(root):
        if func.type != "function_definition":
            continue
        words = function_qualifiers(func)
        body = func.child_by_field_name("body")
        if "__device__" in words and "__global__" not in words and body is not None and \
                calls_named(body, BARRIERS | WARP_OPS):
            found[function_name(func) or ""] = func
    return found


def _parameters(func: Node) -> list[tuple[str, str]] | None:
    """(type text, name) of by-value parameters, or None when the shape is not simple."""
    declarator = func.child_by_field_name("declarator")
    while declarator is not None and declarator.type != "function_declarator":
        declarator = declarator.child_by_field_name("declarator")
    params = declarator.child_by_field_name("parameters") if declarator is not None else None
    out = []
    for p in params.named_children if params is not None else []:
        name = p.child_by_field_name("declarator")
        if p.type != "parameter_declaration" or name is None or name.type != "identifier":
            return None
        out.append((text_of(p)[:name.start_byte - p.start_byte].strip(), text_of(name)))
    return out


def _inlined_body(src: Source, func: Node, params: list[tuple[str, str]]) -> tuple[str, str] | None:
    """(statements, returned expression) with parameters renamed, on one line; None if not simple."""
    name = function_name(func) or "f"
    body = func.child_by_field_name("body")
    stmts = [s for s in statements_of(body) if s.type != "comment"]
    if not stmts or stmts[-1].type != "return_statement" or not stmts[-1].named_children:
        return None
    if sum(1 for n in walk(body) if n.type == "return_statement") != 1:
        return None
    renames = {p: f"{name}_{p}" for _, p in params}

    def replace(n: Node) -> str | None:
        if n.type == "identifier" and text_of(n) in renames:
            return renames[text_of(n)]
        if n.type == "comment":
            return ""
        return None

    def one_line(node: Node) -> str:
        return " ".join(rewrite(src, node, replace).split())
    statements = " ".join(one_line(s) for s in stmts[:-1])
    return statements, one_line(stmts[-1].named_children[0])


def inline_collectives(text: str) -> tuple[str, list[str]]:
    src = Source(text)
    functions = _collective_functions(src.tree.root_node)
    if not functions:
        return text, []
    shapes = {}
    for name, func in functions.items():
        params = _parameters(func)
        body = _inlined_body(src, func, params) if params is not None else None
        if body is not None:
            shapes[name] = (params, body)
    edits: list[tuple[int, int, str]] = []
    inlined: dict[str, int] = {}
    calls: dict[str, int] = {}
    notes = []
    for call in walk(src.tree.root_node):
        if call.type != "call_expression" or called_name(call) not in functions:
            continue
        name = called_name(call)
        calls[name] = calls.get(name, 0) + 1
        if name not in shapes:
            continue
        params, (statements, result) = shapes[name]
        args = arguments(call)
        if len(args) != len(params):
            continue
        setup = " ".join(f"{t} {name}_{p} = {text_of(a)};" for (t, p), a in zip(params, args))
        stmt = call.parent
        if stmt.type == "assignment_expression" and stmt.child_by_field_name("right") == call and \
                stmt.parent is not None and stmt.parent.type == "expression_statement":
            target = text_of(stmt.child_by_field_name("left"))
            op = text_of(stmt.child_by_field_name("operator"))
            replacement = f"{{ {setup} {statements} {target} {op} {result}; }}"
            edits.append((stmt.parent.start_byte, stmt.parent.end_byte, replacement))
        elif stmt.type == "init_declarator" and stmt.parent is not None and stmt.parent.type == "declaration" and \
                len([c for c in stmt.parent.named_children if c.type == "init_declarator"]) == 1:
            decl = stmt.parent
            variable = text_of(stmt.child_by_field_name("declarator"))
            type_text = text_of(decl)[:stmt.start_byte - decl.start_byte].strip()
            replacement = f"{type_text} {variable}; {{ {setup} {statements} {variable} = {result}; }}"
            edits.append((decl.start_byte, decl.end_byte, replacement))
        else:
            continue
        inlined[name] = inlined.get(name, 0) + 1
    for name, func in functions.items():
        if calls.get(name) and inlined.get(name) == calls[name]:
            blank = "\n" * text_of(func).count("\n")
            edits.append((func.start_byte, func.end_byte, blank))
            notes.append(f"__device__ function {name} inlined into its kernels (it holds warp operations "
                         f"or barriers)")
    data = src.data
    for start, end, replacement in sorted(edits, reverse=True):
        data = data[:start] + replacement.encode("utf-8") + data[end:]
    return data.decode("utf-8"), notes
