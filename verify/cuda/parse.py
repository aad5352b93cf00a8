"""tree-sitter parsing of CUDA and C++ files, shared by the CUDA modules."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterator

from tree_sitter import Language, Node, Parser, Tree


@lru_cache(maxsize=None)
def _parser(language: str) -> Parser:
    if language == "cuda":
        import tree_sitter_cuda as grammar
    else:
        import tree_sitter_cpp as grammar
    return Parser(Language(grammar.language()))


def parse(text: str, language: str) -> Tree:
    """Parse with the CUDA grammar for .cu (the C++ one mis-reads `<<<...>>>`)."""
    return _parser(language).parse(text.encode("utf-8"))


def text_of(node: Node) -> str:
    return node.text.decode("utf-8", "replace")


def walk(node: Node) -> Iterator[Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def file_root(node: Node) -> Node:
    """The translation unit a node belongs to (its file's parse tree root)."""
    while node.parent is not None:
        node = node.parent
    return node


def line_of(node: Node) -> int:
    return node.start_point[0] + 1


def is_kernel_launch(node: Node) -> bool:
    return node.type == "call_expression" and any(c.type == "kernel_call_syntax" for c in node.children)


def function_qualifiers(func: Node) -> set[str]:
    """CUDA execution-space and linkage words of a function_definition
    (`__global__` is an unnamed child in the CUDA grammar)."""
    words = set()
    for child in func.children:
        if child.type in ("function_declarator", "compound_statement"):
            break
        words.update(text_of(child).split())
    return words


def function_name(func: Node) -> str | None:
    declarator = func.child_by_field_name("declarator")
    while declarator is not None and declarator.type != "function_declarator":
        declarator = declarator.child_by_field_name("declarator")
    if declarator is None:
        return None
    name = declarator.child_by_field_name("declarator")
    return text_of(name) if name is not None else None


def enclosing_function(node: Node) -> Node | None:
    current = node.parent
    while current is not None and current.type != "function_definition":
        current = current.parent
    return current


def locals_set_once(body: Node) -> dict[str, Node]:
    """Name -> init_declarator of the locals in `body` declared once with an initializer and never
    assigned, incremented or taken the address of after (`int n = rows * cols;`): values fixed by
    their declaration."""
    declared: dict[str, Node] = {}
    changed = set()
    for node in walk(body):
        if node.type == "init_declarator":
            target = node.child_by_field_name("declarator")
            if target is not None and target.type == "identifier" and node.child_by_field_name("value") is not None:
                name = text_of(target)
                if name in declared:
                    changed.add(name)
                declared[name] = node
        elif node.type in ("assignment_expression", "update_expression"):
            target = node.child_by_field_name("left") or node.child_by_field_name("argument")
            if target is not None:
                changed.add(text_of(target).strip())
        elif node.type == "pointer_expression" and text_of(node.child_by_field_name("operator")) == "&":
            changed.add(text_of(node.child_by_field_name("argument")).strip())  # may be written through
    return {name: node for name, node in declared.items() if name not in changed}
