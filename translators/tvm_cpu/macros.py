"""Object-like macros of the kernel's file (`#define EPS 1e-5f`, `#define SCALE sqrtf(2.0f / M_PI)`),
read where the kernel names them.

A macro is textual, so its replacement is used only when it is one operand on its own (a literal, a
name, a call or a parenthesised expression): then substituting its parsed expression gives what the
preprocessor would. Macros defined more than once, removed by `#undef`, defined under a
conditional (`#ifdef`) or after the kernel are not used; the lifter names them where they are read.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from ...verify.cuda.parse import file_root, line_of, parse, text_of, walk

# Kinds of expression that stay one operand wherever the text is pasted.
_OPERANDS = ("number_literal", "identifier", "call_expression", "parenthesized_expression", "true", "false")


@dataclass
class Macro:
    name: str
    line: int
    expression: Node | None  # the replacement, parsed; None when it cannot be used
    why: str = ""  # why it cannot be used
    tree: object = None  # keeps the replacement's parse tree alive


def object_macros(kernel: Node) -> dict[str, Macro]:
    root = file_root(kernel)
    found: dict[str, Macro] = {}
    for node in walk(root):
        if node.type == "preproc_def":
            name = text_of(node.child_by_field_name("name"))
            value = node.child_by_field_name("value")
            macro = _macro(name, node, value)
            if name in found:
                macro = Macro(name, line_of(node), None, f"it is defined more than once (lines {found[name].line} "
                              f"and {line_of(node)})")
            elif node.parent is None or node.parent.type != "translation_unit":
                macro = Macro(name, line_of(node), None, f"it is defined under a conditional (line {line_of(node)})")
            elif node.start_byte > kernel.start_byte:
                macro = Macro(name, line_of(node), None, f"it is defined after the kernel (line {line_of(node)})")
            found[name] = macro
        elif node.type == "preproc_call" and text_of(node.child_by_field_name("directive")) == "#undef":
            argument = node.child_by_field_name("argument")
            name = text_of(argument).strip() if argument is not None else ""
            found[name] = Macro(name, line_of(node), None, f"it is removed by #undef (line {line_of(node)})")
    return found


def _macro(name: str, node: Node, value: Node | None) -> Macro:
    line = line_of(node)
    text = text_of(value).strip() if value is not None else ""
    if not text:
        return Macro(name, line, None, f"it has no value (line {line})")
    tree = parse(f"void tv_macro() {{ {text}; }}", "cuda")
    body = tree.root_node.named_children[0].child_by_field_name("body") if tree.root_node.named_children else None
    statements = body.named_children if body is not None else []
    if tree.root_node.has_error or len(statements) != 1 or statements[0].type != "expression_statement" \
            or len(statements[0].named_children) != 1:
        return Macro(name, line, None, f"its value '{text[:40]}' is not an expression (line {line})")
    expression = statements[0].named_children[0]
    if expression.type not in _OPERANDS:
        return Macro(name, line, None, f"its value '{text[:40]}' is not one operand (a literal, a name, a call or a "
                     f"parenthesised expression), so where it is pasted decides its meaning (line {line})")
    return Macro(name, line, expression, tree=tree)


def type_aliases(kernel: Node) -> dict[str, str]:
    """File-scope names of arithmetic types the kernel may use in place of them: `typedef float real;`,
    `using real = float;` and `#define DATA_TYPE float`, name -> the type's spelling (`float`). A name
    defined more than once, under a conditional, after the kernel or as anything but a scalar type is
    left out (the lifter then names the type it does not know)."""
    from ...verify.cuda.signature import SCALAR_TYPES

    root = file_root(kernel)
    found: dict[str, str | None] = {}
    for node in walk(root):
        name = spelling = None
        if node.type == "preproc_def" and node.child_by_field_name("value") is not None:
            name, spelling = text_of(node.child_by_field_name("name")), text_of(node.child_by_field_name("value"))
        elif node.type == "type_definition" and len(node.children_by_field_name("declarator")) == 1:
            name, spelling = text_of(node.child_by_field_name("declarator")), text_of(node.child_by_field_name("type"))
        elif node.type == "alias_declaration":
            name, spelling = text_of(node.child_by_field_name("name")), text_of(node.child_by_field_name("type"))
        elif node.type == "preproc_call" and text_of(node.child_by_field_name("directive")) == "#undef":
            argument = node.child_by_field_name("argument")
            found[text_of(argument).strip() if argument is not None else ""] = None
            continue
        if name is None:
            continue
        spelling = " ".join(spelling.replace("std::", "").split())
        usable = spelling in SCALAR_TYPES and name not in found and node.parent is not None \
            and node.parent.type == "translation_unit" and node.start_byte < kernel.start_byte
        found[name] = spelling if usable else None
    return {name: spelling for name, spelling in found.items() if spelling is not None}
