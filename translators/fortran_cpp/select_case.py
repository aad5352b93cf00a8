"""select case: a switch for plain integer cases, an if chain when ranges appear."""

from __future__ import annotations

from fparser.two import Fortran2003 as F
from fparser.two.utils import walk

from .errors import UnsupportedConstruct
from .expressions import PRIMARY

INDENT = "    "


def select_case(st, node) -> None:
    tr, ctx = st.tr, st.ctx
    children = list(node.children)
    selector = tr.scalar(children[0].items[0])
    if selector.type.base not in ("integer", "logical"):
        raise UnsupportedConstruct("select case", f"select case on a {selector.type.base} value")
    cases: list[tuple[object | None, list]] = []
    for child in children[1:]:
        if isinstance(child, F.Case_Stmt):
            cases.append((child.items[0], []))
        elif isinstance(child, F.End_Select_Stmt):
            continue
        elif cases:
            cases[-1][1].append(child)
        else:
            st.statement(child)  # a comment before the first case
    values_per_case = []
    plain = True
    for selector_node, _ in cases:
        items = selector_node.items[0]
        if items is None:
            values_per_case.append(None)
            continue
        values = []
        for value in items.items:
            if isinstance(value, F.Case_Value_Range):
                plain = False
                low, high = value.items
                values.append(("range", tr.scalar(low).code if low is not None else None,
                               tr.scalar(high).code if high is not None else None))
            else:
                values.append(("value", tr.scalar(value).code, None))
        values_per_case.append(values)
    has_exit = any(True for _ in walk(node, F.Exit_Stmt))
    subject = selector.code
    if selector.prec < PRIMARY or "(" in subject:
        subject = ctx.fresh("selector")
        st.flush_pre()
        st.emit(f"const {selector.type.cpp} {subject} = {selector.code};")
    st.flush_pre()
    if plain and not has_exit and selector.type.is_int:
        st.emit(f"switch ({subject}) {{")
        for values, (_, body) in zip(values_per_case, cases):
            labels = "default:" if values is None else " ".join(f"case {v}:" for _, v, _ in values)
            st.emit(f"{labels} {{")
            st.nested(body)
            st.emit(f"{INDENT}break;")
            st.emit("}")
        st.emit("}")
        return
    first = True
    default_body = None
    for values, (_, body) in zip(values_per_case, cases):
        if values is None:
            default_body = body
            continue
        tests = []
        for kind, low, high in values:
            if kind == "value":
                tests.append(f"{subject} == {low}")
            elif low is not None and high is not None:
                tests.append(f"({subject} >= {low} && {subject} <= {high})" if len(values) > 1
                             else f"{subject} >= {low} && {subject} <= {high}")
            elif low is not None:
                tests.append(f"{subject} >= {low}")
            else:
                tests.append(f"{subject} <= {high}")
        condition = " || ".join(tests)
        st.emit(f"if ({condition}) {{" if first else f"}} else if ({condition}) {{")
        first = False
        st.nested(body)
    if default_body is not None:
        if first:
            st.emit("{")
        else:
            st.emit("} else {")
        st.nested(default_body)
    if not first or default_body is not None:
        st.emit("}")
