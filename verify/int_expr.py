"""Evaluate the small integer expressions that array extents are written in.

Both Fortran (`2*n+1`, `n/2`, `max(n,1)`) and C (`n * m`, `(n + 255) / 256`) extents
reach here as Python-parsable text; division and remainder truncate toward zero,
as both languages define them for integers.
"""

from __future__ import annotations

import ast
from typing import Callable


def evaluate_integer(expr: str, lookup: Callable[[str], int]) -> int:
    """Value of `expr`; names are resolved with `lookup`. ValueError when not an extent."""

    def truncating_div(a: int, b: int) -> int:
        return int(a / b) if b else 0

    def ev(node: ast.AST) -> int:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return node.value
        if isinstance(node, ast.Name):
            return int(lookup(node.id))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            value = ev(node.operand)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.BinOp):
            a, b = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Add):
                return a + b
            if isinstance(node.op, ast.Sub):
                return a - b
            if isinstance(node.op, ast.Mult):
                return a * b
            if isinstance(node.op, (ast.Div, ast.FloorDiv)):
                return truncating_div(a, b)
            if isinstance(node.op, ast.Mod):
                return a - b * truncating_div(a, b) if b else 0
            if isinstance(node.op, ast.Pow):
                return a ** b
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
            args = [ev(arg) for arg in node.args]
            function = node.func.id.lower()
            if function == "max" and args:
                return max(args)
            if function == "min" and args:
                return min(args)
            if function == "abs" and len(args) == 1:
                return abs(args[0])
            if function == "mod" and len(args) == 2:
                return args[0] - args[1] * truncating_div(*args) if args[1] else 0
        raise ValueError(f"unsupported extent expression: {expr}")

    try:
        tree = ast.parse(expr, mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"unsupported extent expression: {expr}") from exc
    return ev(tree)
