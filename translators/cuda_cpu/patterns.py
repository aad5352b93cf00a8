"""Source patterns of kernels: global thread indices, guards, grid-stride loops, declarations."""

from __future__ import annotations

import re

from tree_sitter import Node

from . import plan as planning
from .plan import Branch
from .syntax import Source, statements_of, text_of, walk

BUILTINS = ("threadIdx", "blockIdx", "blockDim", "gridDim")


def _norm(text: str) -> str:
    text = re.sub(r"\((?:size_t|int|long|unsigned|long long|std::size_t)\)", "", text)
    text = re.sub(r"static_cast<[\w: ]+>", "", text)
    return re.sub(r"[\s()]", "", text)


def _global_index(text: str) -> str | None:
    """'x' or 'y' when `text` is blockIdx.d * blockDim.d + threadIdx.d."""
    t = _norm(text)
    for d in "xyz":
        forms = {f"blockIdx.{d}*blockDim.{d}+threadIdx.{d}", f"blockDim.{d}*blockIdx.{d}+threadIdx.{d}",
                 f"threadIdx.{d}+blockIdx.{d}*blockDim.{d}", f"threadIdx.{d}+blockDim.{d}*blockIdx.{d}"}
        if t in forms:
            return d
    return None


def _is_grid_stride(text: str, d: str) -> bool:
    return _norm(text) in {f"blockDim.{d}*gridDim.{d}", f"gridDim.{d}*blockDim.{d}"}


def _mentions_builtins(node: Node) -> bool:
    return any(n.type == "identifier" and text_of(n) in BUILTINS for n in walk(node))


# ---- helpers -----------------------------------------------------------------------------

def _function_name(func: Node) -> str:
    from ...verify.cuda.parse import function_name
    return function_name(func) or "kernel"


def _fresh(name: str, used: set[str]) -> str:
    while name in used:
        name += "_"
    return name


def _has_word(node: Node, word: str) -> bool:
    return any(text_of(c) == word for c in node.children if c.type in (
        "type_qualifier", "storage_class_specifier", word)) or any(
        text_of(c) == word for c in node.children[:3])


def _type_prefix(src: Source, decl: Node, first_declarator: Node) -> str:
    first = next((c for c in decl.children if c.type in (
        "init_declarator", "identifier", "pointer_declarator", "array_declarator", "reference_declarator")),
        first_declarator)
    return src.slice(decl.start_byte, first.start_byte)


def _innermost(declarator: Node) -> Node:
    node = declarator
    if node.type == "init_declarator":
        node = node.child_by_field_name("declarator") or node
    return node


def _hoisted_type(src: Source, decl: Node, declarator: Node) -> str:
    base = _type_prefix(src, decl, declarator)
    stars = ""
    node = _innermost(declarator) if decl.type == "declaration" else declarator
    while node is not None and node.type == "pointer_declarator":
        stars += "*"
        node = node.child_by_field_name("declarator")
    words = [w for w in re.split(r"\s+", base.strip()) if w not in ("static", "register", "auto", "__restrict__")]
    if not stars:
        words = [w for w in words if w != "const"]
    return " ".join(words) + stars


def _inside(node: Node, container: Node | None) -> bool:
    if container is None:
        return False
    return container.start_byte <= node.start_byte and node.end_byte <= container.end_byte


def _inside_alternative(node: Node, header) -> bool:
    if isinstance(header, Branch):
        alternative = header.node.child_by_field_name("alternative")
        return _inside(node, alternative)
    return False


def _returns(node: Node) -> bool:
    return any(n.type == "return_statement" for n in walk(node))


def _nested_return(node: Node) -> bool:
    for n in walk(node):
        if n.type == "return_statement":
            p = n.parent
            while p is not None and p != node.parent:
                if p.type in planning.LOOPS or p.type == "switch_statement":
                    return True
                p = p.parent
    return False


def _guard_bounds(condition: Node | None, names: dict[str, str],
                  starts: dict[str, str] | None = None) -> dict[str, str] | None:
    """`(i < n && j < m)` -> {'x': 'n', 'y': 'm'} for the index variables in `names` (name -> dimension).
    With `starts`, lower bounds by integer literals are accepted too (`i > 0`, `i >= 1`, `0 < i`,
    an interior test): `starts` receives each index's first value ({'x': '1'})."""
    if condition is None:
        return None
    node = condition
    while node.type in ("condition_clause", "parenthesized_expression") and node.named_children:
        node = node.named_children[0]
    terms: list[Node] = []

    def split(n: Node) -> bool:
        while n.type == "parenthesized_expression" and n.named_children:
            n = n.named_children[0]
        if n.type == "binary_expression" and text_of(n.child_by_field_name("operator")) == "&&":
            return split(n.child_by_field_name("left")) and split(n.child_by_field_name("right"))
        terms.append(n)
        return True
    split(node)
    bounds: dict[str, str] = {}
    for term in terms:
        lower = _lower_bound(term, names) if starts is not None else None
        if lower is not None:
            d, first = lower
            if d in starts:
                return None
            starts[d] = first
            continue
        if term.type != "binary_expression" or text_of(term.child_by_field_name("operator")) != "<":
            return None
        left = term.child_by_field_name("left")
        if left.type != "identifier" or text_of(left) not in names:
            return None
        d = names[text_of(left)]
        if d in bounds:
            return None
        bounds[d] = text_of(term.child_by_field_name("right"))
    return bounds


def _lower_bound(term: Node, names: dict[str, str]) -> tuple[str, str] | None:
    """`i > 0` / `i >= 1` / `0 < i` / `1 <= i` (a non-negative integer literal) -> (dimension, first value)."""
    if term.type != "binary_expression":
        return None
    op = text_of(term.child_by_field_name("operator"))
    left, right = term.child_by_field_name("left"), term.child_by_field_name("right")
    if op in ("<", "<="):  # `0 < i` is `i > 0`
        left, right, op = right, left, {"<": ">", "<=": ">="}[op]
    if op not in (">", ">=") or left.type != "identifier" or text_of(left) not in names or \
            right.type != "number_literal" or not re.fullmatch(r"\d+", text_of(right)):
        return None
    value = int(text_of(right)) + (1 if op == ">" else 0)
    return names[text_of(left)], str(value)


def _early_exit_bounds(stmt: Node, names: dict[str, str]) -> dict[str, str] | None:
    """`if (i >= n || j >= m) return;` -> {'x': 'n', 'y': 'm'} for the index variables in `names`
    (name -> dimension)."""
    if stmt.type != "if_statement" or stmt.child_by_field_name("alternative") is not None:
        return None
    inner = statements_of(stmt.child_by_field_name("consequence"))
    if len(inner) != 1 or inner[0].type != "return_statement" or inner[0].named_children:
        return None
    terms: list[Node] = []

    def split(n: Node) -> None:
        while n.type in ("condition_clause", "parenthesized_expression") and n.named_children:
            n = n.named_children[0]
        if n.type == "binary_expression" and text_of(n.child_by_field_name("operator")) == "||":
            split(n.child_by_field_name("left"))
            split(n.child_by_field_name("right"))
        else:
            terms.append(n)
    split(stmt.child_by_field_name("condition"))
    bounds: dict[str, str] = {}
    for term in terms:
        if term.type != "binary_expression" or text_of(term.child_by_field_name("operator")) != ">=":
            return None
        left = term.child_by_field_name("left")
        if left.type != "identifier" or text_of(left) not in names or names[text_of(left)] in bounds:
            return None
        bounds[names[text_of(left)]] = text_of(term.child_by_field_name("right"))
    return bounds


def _grid_stride(src: Source, loop: Node) -> tuple[str, str, str, Node] | None:
    """`for (T i = GID; i < n; i += blockDim.x * gridDim.x) body` -> (T, i, n, body)."""
    init = loop.child_by_field_name("initializer")
    cond = loop.child_by_field_name("condition")
    update = loop.child_by_field_name("update")
    body = loop.child_by_field_name("body")
    if init is None or cond is None or update is None or init.type != "declaration":
        return None
    names = planning.declared_names(init)
    if len(names) != 1 or names[0][1].type != "init_declarator":
        return None
    name, declarator = names[0]
    value = declarator.child_by_field_name("value")
    if value is None or _global_index(text_of(value)) != "x":
        return None
    bounds = _guard_bounds(cond, {name: "x"})
    if bounds is None:
        return None
    if update.type != "assignment_expression" or text_of(update.child_by_field_name("operator")) != "+=" or \
            text_of(update.child_by_field_name("left")) != name or \
            not _is_grid_stride(text_of(update.child_by_field_name("right")), "x"):
        return None
    return _type_prefix(src, init, declarator).strip(), name, bounds["x"], body


