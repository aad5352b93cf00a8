"""Checks shared by the whole-kernel idioms: barriers between shared-memory writes and reads,
whole-warp shuffle loops, and small tree helpers."""

from __future__ import annotations

from tree_sitter import Node

from .patterns import _norm
from .plan import BARRIERS, WARP_OPS, declared_names
from .syntax import called_name, statements_of, text_of, walk


def synchronised(shared: dict[str, str], stmts: list[Node], dirty: bool) -> bool:
    """No statement reads shared memory that another thread may have written since the last
    barrier (a loop's body is followed round twice).  A missing __syncthreads() is a race in the
    source that the whole-grid reduction would hide, so such a kernel keeps the faithful translation."""
    def touches(node: Node) -> tuple[bool, bool]:
        reads = writes = False
        for n in walk(node):
            if n.type == "subscript_expression":
                array = n.child_by_field_name("argument")
                if array is None or text_of(array) not in shared:
                    continue
                parent = n.parent
                written = parent is not None and parent.type == "assignment_expression" and \
                    parent.child_by_field_name("left") == n
                writes |= written
                reads |= not written or text_of(parent.child_by_field_name("operator")) != "="
        return reads, writes

    def run(items: list[Node], dirty: bool) -> bool | None:
        for stmt in items:
            if stmt.type == "comment":
                continue
            if stmt.type == "expression_statement" and stmt.named_children and \
                    stmt.named_children[0].type == "call_expression" and \
                    called_name(stmt.named_children[0]) in BARRIERS:
                dirty = False
                continue
            if stmt.type in ("for_statement", "while_statement", "do_statement"):
                body = statements_of(stmt.child_by_field_name("body"))
                for _ in range(2):
                    dirty = run(body, dirty)
                    if dirty is None:
                        return None
                continue
            if stmt.type in ("if_statement", "compound_statement"):
                inner = statements_of(stmt.child_by_field_name("consequence")) if stmt.type == "if_statement" \
                    else list(stmt.named_children)
                if any(called_name(c) in BARRIERS for c in walk(stmt) if c.type == "call_expression"):
                    if stmt.type == "if_statement":
                        return None  # a barrier under a condition
                    dirty = run(inner, dirty)
                    if dirty is None:
                        return None
                    continue
            reads, writes = touches(stmt)
            if reads and dirty:
                return None
            dirty = dirty or writes
        return dirty

    return run(stmts, dirty) is not None


def whole_warp_shuffles(nodes: list[Node]) -> bool:
    """Shuffle loops start at half a warp (`warpSize / 2` or 16) and halve: every lane's value counts."""
    for node in nodes:
        for loop in walk(node):
            if loop.type != "for_statement" or not any(called_name(c) in WARP_OPS for c in walk(loop)
                                                       if c.type == "call_expression"):
                continue
            head = loop.child_by_field_name("initializer")
            names = declared_names(head) if head is not None and head.type == "declaration" else []
            if len(names) != 1 or names[0][1].type != "init_declarator":
                return False
            start = _norm(text_of(names[0][1].child_by_field_name("value")))
            update = _norm(text_of(loop.child_by_field_name("update")))
            name = names[0][0]
            if start not in ("warpSize/2", "16", "32/2", "warpSize>>1") or \
                    update not in (f"{name}>>=1", f"{name}/=2", f"{name}={name}/2", f"{name}={name}>>1"):
                return False
    return True


def is_value(node: Node, shared: dict[str, str], accs: set[str]) -> bool:
    return any(n.type == "identifier" and (text_of(n) in shared or text_of(n) in accs) for n in walk(node))


def strip(node: Node | None) -> Node | None:
    while node is not None and node.type in ("parenthesized_expression", "condition_clause") and node.named_children:
        node = node.named_children[0]
    return node
