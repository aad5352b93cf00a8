"""Tree-sitter helpers shared by the CUDA translators: text rewriting of a subtree."""

from __future__ import annotations

from typing import Callable, Iterable

from tree_sitter import Node

from ...verify.cuda.parse import line_of, parse, text_of, walk  # noqa: F401  (re-exported)


class Source:
    """A parsed file; byte offsets of the tree index `data`."""

    def __init__(self, text: str, language: str = "cuda"):
        self.text = text
        self.data = text.encode("utf-8")
        self.tree = parse(text, language)

    def slice(self, start: int, end: int) -> str:
        return self.data[start:end].decode("utf-8", "replace")


def rewrite(src: Source, node: Node, replace: Callable[[Node], str | None]) -> str:
    """The text of `node` with every subtree for which `replace` answers a string replaced by it
    (outermost first; a replaced subtree is not visited further)."""
    out: list[str] = []
    pos = node.start_byte

    def visit(current: Node) -> None:
        nonlocal pos
        replacement = replace(current)
        if replacement is not None:
            out.append(src.slice(pos, current.start_byte))
            out.append(replacement)
            pos = current.end_byte
            return
        for child in current.children:
            visit(child)

    visit(node)
    out.append(src.slice(pos, node.end_byte))
    return "".join(out)


def called_name(call: Node) -> str | None:
    function = call.child_by_field_name("function")
    if function is None:
        return None
    if function.type == "identifier":
        return text_of(function)
    if function.type == "template_function":
        name = function.child_by_field_name("name")
        return text_of(name) if name is not None else None
    if function.type == "qualified_identifier":
        return text_of(function).split("::")[-1]
    return None


def arguments(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    return [] if args is None else [c for c in args.named_children if c.type != "comment"]


def identifiers(node: Node) -> Iterable[str]:
    for n in walk(node):
        if n.type == "identifier":
            yield text_of(n)


def statements_of(body: Node | None) -> list[Node]:
    """The statements of a compound statement, or the single statement of a braceless body."""
    if body is None:
        return []
    if body.type == "compound_statement":
        return [c for c in body.named_children]
    return [body]


def indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line.strip() else line for line in text.splitlines())


def dedent_block(text: str) -> str:
    """Remove the common leading indentation of all lines but the first (node text starts mid-line)."""
    lines = text.splitlines()
    if len(lines) <= 1:
        return text.strip()
    rest = [l for l in lines[1:] if l.strip()]
    common = min((len(l) - len(l.lstrip()) for l in rest), default=0)
    return "\n".join([lines[0].strip()] + [l[common:] if l.strip() else "" for l in lines[1:]])
