"""Element loops whose body ends in a boundary test: the test moves into the loop bounds.

A stencil written one thread per element tests every element for the edge of the grid:

    if (j == 0 || i == 0 || j == ny - 1 || i == nx - 1) v[k] = u[k];   // boundary
    else v[k] = 0.25f * (u[k - 1] + u[k + 1] + u[k - nx] + u[k + nx]); // interior

(or the interior test `i > 0 && i < nx - 1 && ...` with the branches the other way round).
Kept in the inner loop, the test costs a compare per element and blocks vectorisation.  When it
is a disjunction of `index == edge` terms (a conjunction of `index != / > / < edge` terms), with
edges affine in the loop indices and otherwise made of parameters the kernel never writes:
  * terms on the outer (row) index are tested once per row: a boundary row runs the boundary
    branch over all its elements;
  * terms on the inner index must name its first or last element (`i == 0`, `i == nx - 1`):
    those elements run the boundary branch by themselves, and the interior loop, with the bounds
    `1 <= i < nx - 1` (under `0 < nx`: no unsigned wrap-around for an empty range), runs the
    other branch and vectorises.
Every element still runs the statements before the test and exactly one branch, as before:
threads are independent, so the order of elements does not matter.  Anything else keeps the
test in the loop.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from . import plan as planning
from .syntax import text_of, walk

STEP = "    "
_JUMPS = ("return_statement", "break_statement", "continue_statement", "goto_statement")
_LOWER = {"==": ("{i}==0", "0=={i}"),
          "!=": ("{i}!=0", "0!={i}"), ">": ("{i}>0", "0<{i}"), ">=": ("{i}>=1", "1<={i}")}
_UPPER = {"==": ("{i}=={n}-1", "{n}-1=={i}"),
          "!=": ("{i}!={n}-1", "{n}-1!={i}"),
          "<": ("{i}<{n}-1", "{n}-1>{i}", "{i}+1<{n}", "{n}>{i}+1"),
          "<=": ("{i}<={n}-2", "{n}-2>={i}")}
_BOUNDARY_OPS = {"=="}
_INTERIOR_OPS = {"!=", ">", ">=", "<", "<="}


def _strip(node: Node) -> Node:
    while node.type in ("parenthesized_expression", "condition_clause") and node.named_child_count == 1:
        node = node.named_children[0]
    return node


def _terms(node: Node, joiner: str) -> list[Node]:
    node = _strip(node)
    if node.type == "binary_expression" and text_of(node.child_by_field_name("operator")) == joiner:
        return _terms(node.child_by_field_name("left"), joiner) + _terms(node.child_by_field_name("right"), joiner)
    return [node]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _invariants(func: Node) -> set[str]:
    """Parameters of the kernel that its body never assigns, increments or redeclares."""
    params = set()
    declarator = func.child_by_field_name("declarator")
    while declarator is not None and declarator.type != "function_declarator":
        declarator = declarator.child_by_field_name("declarator")
    plist = declarator.child_by_field_name("parameters") if declarator is not None else None
    for p in (plist.named_children if plist is not None else []):
        names = [text_of(n) for n in walk(p) if n.type == "identifier"]
        if p.type == "parameter_declaration" and names:
            params.add(names[-1])
    body = func.child_by_field_name("body")
    for n in walk(body):
        target = None
        if n.type == "assignment_expression":
            target = n.child_by_field_name("left")
        elif n.type == "update_expression":
            target = n.child_by_field_name("argument")
        elif n.type == "declaration":
            params -= {name for name, _ in planning.declared_names(n)}
        if target is not None:
            params -= {text_of(m) for m in walk(target) if m.type == "identifier"}
    return params


def _pure(term: Node, allowed: set[str]) -> bool:
    """Identifiers, literals and arithmetic/comparison operators only."""
    for n in walk(term):
        if n.type == "identifier" and text_of(n) not in allowed:
            return False
        if n.type not in ("identifier", "number_literal", "binary_expression", "parenthesized_expression",
                          "unary_expression") and n.is_named:
            return False
    return True


def _edge(term: Node, index: str, bound: str) -> str | None:
    """'lo' / 'hi' when `term` compares `index` with its first / last value."""
    op = text_of(term.child_by_field_name("operator"))
    text = _squash(text_of(term))
    bounds = {_squash(bound), f"({_squash(bound)})"}
    if text in {f.format(i=index) for f in _LOWER.get(op, ())}:
        return "lo"
    if text in {f.format(i=index, n=n) for f in _UPPER.get(op, ()) for n in bounds}:
        return "hi"
    return None


def split_boundary(func: Node, loops: list[tuple[str, str, str]], body_nodes: list[Node], plain, simd: bool,
                   parallel: str) -> list[str] | None:
    """The loop nest with the boundary test hoisted, or None when the body does not fit."""
    if not body_nodes or len(loops) not in (1, 2) or any(n.type in _JUMPS for s in body_nodes for n in walk(s)):
        return None
    test = body_nodes[-1]
    if test.type != "if_statement":
        return None
    condition = test.child_by_field_name("condition")
    alternative = test.child_by_field_name("alternative")
    else_branch = None
    if alternative is not None:
        stmts = [c for c in alternative.named_children if c.type != "comment"]
        if len(stmts) != 1:
            return None
        else_branch = stmts[0]
    or_terms, and_terms = _terms(condition, "||"), _terms(condition, "&&")
    if len(or_terms) > 1 or (len(and_terms) == 1 and text_of(and_terms[0].child_by_field_name("operator") or
                                                             and_terms[0]) == "=="):
        terms, ops, boundary, interior = or_terms, _BOUNDARY_OPS, test.child_by_field_name("consequence"), else_branch
        joiner = " || "
    else:
        terms, ops, boundary, interior = and_terms, _INTERIOR_OPS, else_branch, test.child_by_field_name("consequence")
        joiner = " && "
    invariants = _invariants(func)
    inner_type, inner, inner_bound = loops[-1]
    outer = loops[0][1] if len(loops) == 2 else None
    row_terms: list[str] = []
    edges: set[str] = set()
    for term in terms:
        term = _strip(term)
        if term.type != "binary_expression" or text_of(term.child_by_field_name("operator")) not in ops:
            return None
        names = {text_of(n) for n in walk(term) if n.type == "identifier"}
        if outer is not None and outer in names and inner not in names and _pure(term, invariants | {outer}):
            row_terms.append(text_of(term))
        elif inner in names and (outer is None or outer not in names) and _pure(term, invariants | {inner}):
            edge = _edge(term, inner, inner_bound)
            if edge is None:
                return None
            edges.add(edge)
        else:
            return None
    if not edges and not row_terms:
        return None

    prefix = [plain(s) for s in body_nodes[:-1]]

    def version(branch: Node | None) -> list[str]:
        texts = prefix + ([plain(branch)] if branch is not None else [])
        return ["{"] + [STEP + line for t in texts for line in t.splitlines()] + ["}"]

    def element_loop(start: str, condition_text: str, branch: Node | None, pragma: str | None) -> list[str]:
        lines = [pragma] if pragma else []
        body = version(branch)
        lines.append(f"for ({inner_type} {inner} = {start}; {condition_text}; ++{inner}) " + body[0])
        return lines + body[1:]

    def single(value: str, guard: str | None) -> list[str]:
        head = f"if ({guard}) {{" if guard else "{"
        return [head, STEP + f"{inner_type} {inner} = {value};"] + version(boundary)[1:]

    last = f"{inner_bound} - 1" if re.fullmatch(r"\w+", inner_bound.strip()) else f"({inner_bound}) - 1"

    def inner_split(pragma: str | None) -> list[str]:
        # under `0 < bound`, `bound - 1` cannot wrap around for an unsigned bound
        lines: list[str] = []
        if "lo" in edges:
            lines += single("0", None)
        lines += element_loop("1" if "lo" in edges else "0",
                              f"{inner} < {last}" if "hi" in edges else f"{inner} < {inner_bound}", interior, pragma)
        if "hi" in edges:
            lines += single(last, f"1 < {inner_bound}" if "lo" in edges else None)
        return [f"if (0 < {inner_bound}) {{"] + [STEP + line for line in lines] + ["}"]

    vector = "#pragma omp simd" if simd else None
    if outer is None:
        return inner_split(parallel)
    outer_type, _, outer_bound = loops[0]
    row_test = joiner.join(row_terms) if ops is _BOUNDARY_OPS else f"!({joiner.join(row_terms)})"
    rows: list[str] = []
    if row_terms:
        rows.append(f"if ({row_test}) {{")
        rows += [STEP + line for line in element_loop("0", f"{inner} < {inner_bound}", boundary, vector)]
        rows.append("} else {")
        inside = inner_split(vector) if edges else element_loop("0", f"{inner} < {inner_bound}", interior, vector)
        rows += [STEP + line for line in inside] + ["}"]
    else:
        rows = inner_split(vector)
    return [parallel, f"for ({outer_type} {outer} = 0; {outer} < {outer_bound}; ++{outer}) {{"] + \
        [STEP + line for line in rows] + ["}"]
