"""`fmaxf(x, 0.f)` -> `select_max<float>(0.f, x)`: a min/max against a constant as a select.

gcc does not vectorise calls of fmax/fmin (libm has no SIMD version), so a ReLU or a clamp
written with them runs one element at a time.  Against a constant C (never NaN) the select
`select_max<T>(C, x)`, which is `C < x ? x : C` (a helper of the preamble), gives fmax's
result for every x:
  * x NaN: the comparison is false, so C, as fmax returns the other operand;
  * x > C: x; x < C: C;
  * x == C: C, which matters only for zeros of opposite signs: with C = +0 and x = -0 the select
    gives +0, the larger under IEEE 754's maximumNumber.  C = -0 would give -0 for x = +0, so a
    maximum with a negative-zero constant (and a minimum with a positive zero) keeps its call.
`select_min<T>(C, x)` is `x < C ? x : C`, the mirror image.  The select compiles to maxps/minps,
whose operand order gives exactly these answers.  (std::max selects between references, which
gcc 12 does not if-convert under `omp simd`: the loop stays scalar.)

The type T is the call's own result type: float for fmaxf/fminf; for fmax/fmin only when the
constant is a double literal (then the overload is double whatever x is); otherwise the call stays.
"""

from __future__ import annotations

from tree_sitter import Node

from .syntax import arguments, called_name, text_of

CALLS = {"fmaxf": ("max", "float"), "fminf": ("min", "float"), "fmax": ("max", None), "fmin": ("min", None)}


def _constant(node: Node) -> tuple[float, bool, bool] | None:
    """A literal number, possibly negated -> (value, negative sign, is a double literal)."""
    negative = False
    while node.type == "parenthesized_expression" and node.named_child_count == 1:
        node = node.named_children[0]
    if node.type == "unary_expression" and text_of(node.child_by_field_name("operator")) in ("-", "+"):
        negative = text_of(node.child_by_field_name("operator")) == "-"
        node = node.child_by_field_name("argument")
    if node is None or node.type != "number_literal":
        return None
    text = text_of(node).replace("'", "")
    if text.lower().startswith("0x") or text.lower().startswith("0b"):
        return None
    float_suffix = text[-1] in "fF"
    body = text[:-1] if float_suffix else text
    if body and body[-1] in "lLuU":
        return None  # long double or unsigned: leave such calls alone
    is_real = "." in body or "e" in body.lower()
    if float_suffix and not is_real:
        return None
    try:
        value = float(body)
    except ValueError:
        return None
    return value, negative, is_real and not float_suffix


def select_for(call: Node, rewrite_arg) -> str | None:
    """The select that replaces `call` (a min/max with one constant operand), or None to keep it.
    `rewrite_arg(node)` gives the translated text of an operand."""
    spec = CALLS.get(called_name(call) or "")
    args = arguments(call)
    if spec is None or len(args) != 2 or call.child_by_field_name("function").type != "identifier":
        return None
    op, type_text = spec
    for c_node, x_node in ((args[1], args[0]), (args[0], args[1])):
        constant = _constant(c_node)
        if constant is None or _constant(x_node) is not None:
            continue
        value, negative, double_literal = constant
        if value == 0 and negative == (op == "max"):
            return None  # max(x, -0) / min(x, +0): the select would get the zero's sign wrong
        t = type_text or ("double" if double_literal else None)
        if t is None:
            return None
        return f"select_{op}<{t}>({text_of(c_node)}, {rewrite_arg(x_node)})"
    return None
