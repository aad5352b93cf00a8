"""Canonical counted loops and the affine shape of subscripts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node

from ...verify.cuda.extents import strip_outer_parens
from ..cuda_cpu.syntax import statements_of, text_of


@dataclass
class CountedLoop:
    node: Node
    var: str
    var_type: str
    lo: str
    hi: str  # exclusive bound
    body: Node


def counted_loop(node: Node) -> CountedLoop | None:
    """`for (T v = lo; v < hi; ++v)` (also `v <= hi`, `v++`, `v += 1`)."""
    if node.type != "for_statement":
        return None
    init = node.child_by_field_name("initializer")
    cond = node.child_by_field_name("condition")
    update = node.child_by_field_name("update")
    body = node.child_by_field_name("body")
    if init is None or cond is None or update is None or body is None or init.type != "declaration":
        return None
    declarators = [c for c in init.named_children if c.type == "init_declarator"]
    if len(declarators) != 1:
        return None
    name_node = declarators[0].child_by_field_name("declarator")
    value = declarators[0].child_by_field_name("value")
    if name_node is None or name_node.type != "identifier" or value is None:
        return None
    var = text_of(name_node)
    type_node = init.child_by_field_name("type")
    if cond.type != "binary_expression" or text_of(cond.child_by_field_name("left")) != var:
        return None
    op = text_of(cond.child_by_field_name("operator"))
    right = text_of(cond.child_by_field_name("right"))
    if op == "<":
        hi = right
    elif op == "<=":
        hi = f"({right}) + 1"
    else:
        return None
    update_text = re.sub(r"\s", "", text_of(update))
    if update_text not in (f"++{var}", f"{var}++", f"{var}+=1", f"{var}={var}+1"):
        return None
    return CountedLoop(node, var, text_of(type_node) if type_node else "int", text_of(value), hi, body)


def single_inner_loop(body: Node) -> Node | None:
    stmts = [s for s in statements_of(body) if s.type != "comment"]
    if len(stmts) == 1 and stmts[0].type == "for_statement":
        return stmts[0]
    return None


def normalize(expr: str) -> str:
    expr = re.sub(r"\((?:size_t|std::size_t|int|long|long long|unsigned|ptrdiff_t|std::ptrdiff_t)\)", "", expr)
    expr = re.sub(r"static_cast<[^>]*>", "", expr)
    return re.sub(r"\s+", "", expr)


def _split_top(expr: str, ops: str) -> list[tuple[str, str]]:
    """Split at top-level operators in `ops`: [(sign, term)]."""
    out, depth, start, sign = [], 0, 0, "+"
    for i, ch in enumerate(expr):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif depth == 0 and ch in ops and i > 0 and expr[i - 1] not in "*/%+-(":
            out.append((sign, expr[start:i]))
            sign, start = ch, i + 1
    out.append((sign, expr[start:]))
    return out


def _words(expr: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_]\w*", expr))


def injective(subscript: str, var: str, inner: list[CountedLoop], own: CountedLoop | None = None) -> bool:
    """Different values of `var` never give the same subscript, whatever the inner loops do.

    Accepted shapes (after casts are dropped): terms without `var` or inner loop variables,
    plus `var` or `var*E`; with an inner loop variable `v` only as `var*E + v` where v runs
    in [lo >= 0, E)."""
    expr = strip_outer_parens(normalize(subscript))
    terms = _split_top(expr, "+-")
    inner_vars = {loop.var: loop for loop in inner}
    var_terms, inner_terms = [], []
    for sign, term in terms:
        term = strip_outer_parens(term)
        words = _words(term)
        if var in words:
            var_terms.append((sign, term))
        elif words & set(inner_vars):
            inner_terms.append((sign, term))
    if len(var_terms) != 1:
        return False
    sign, term = var_terms[0]
    factors = [strip_outer_parens(f) for _, f in _split_top(term, "*")]
    if var not in factors or any(var in _words(f) for f in factors if f != var) or "/" in term or "%" in term:
        return False
    coefficient = [f for f in factors if f != var]
    if any(_words(f) & set(inner_vars) for f in coefficient):
        return False
    if not inner_terms:
        return True
    if not coefficient:
        # var + v*E with var in [lo >= 0, E): the column of a column-major element
        if len(inner_terms) != 1:
            return False
        inner_sign, inner_term = inner_terms[0]
        inner_factors = [strip_outer_parens(f) for _, f in _split_top(inner_term, "*")]
        inner_var = [f for f in inner_factors if f in inner_vars]
        rest = [f for f in inner_factors if f not in inner_vars]
        return (own is not None and sign == "+" and inner_sign == "+" and len(inner_var) == 1 and bool(rest)
                and not any(_words(f) & set(inner_vars) for f in rest)
                and normalize(own.lo).isdigit() and normalize(own.hi) in ("*".join(rest), f"({'*'.join(rest)})"))
    return _mixed_radix(coefficient, inner_terms, inner_vars)


def _mixed_radix(coefficient: list[str], terms: list[tuple[str, str]], loops: dict[str, CountedLoop]) -> bool:
    """var*E0 + v1*E1 + ... + vk with v1 in [0, H1), E0 = H1*E1, ...: the inner terms stay below E0
    (a row-major index over several loops)."""
    from collections import Counter
    remaining = []
    for sign, term in terms:
        factors = [strip_outer_parens(f) for _, f in _split_top(term, "*")]
        variables = [f for f in factors if f in loops]
        rest = [f for f in factors if f not in loops]
        if sign != "+" or len(variables) != 1 or any(_words(f) & set(loops) for f in rest) or "/" in term:
            return False
        loop = loops[variables[0]]
        if not normalize(loop.lo).isdigit():
            return False
        hi = normalize(strip_outer_parens(normalize(loop.hi)))
        # `v < E - 1` stays below E as well (interior loops of stencils)
        hi = re.sub(r"-\d+$", "", hi) if re.fullmatch(r"[A-Za-z_]\w*-\d+", hi) else hi
        remaining.append((hi, Counter(rest)))
    current = Counter(coefficient)
    while remaining:
        for index, (bound, rest) in enumerate(remaining):
            if current[bound] > 0 and current - Counter([bound]) == rest:
                current = rest
                remaining.pop(index)
                break
        else:
            return False
    return True
