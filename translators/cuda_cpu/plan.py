"""The barrier structure of a kernel body: thread regions between barriers, and the uniform
loops and branches around barriers that run once per block (MCUDA-style loop fission)."""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

from .syntax import called_name, line_of, statements_of, text_of, walk

BARRIERS = {"__syncthreads", "__syncwarp"}
WARP_OPS = {"__shfl_sync", "__shfl_up_sync", "__shfl_down_sync", "__shfl_xor_sync",
            "__ballot_sync", "__any_sync", "__all_sync"}
LOOPS = {"for_statement", "while_statement", "do_statement", "for_range_loop"}


@dataclass
class Threads:
    """Statements every thread of the block runs, one thread after another."""
    stmts: list[Node]


@dataclass
class WarpInputs:
    """Before `stmt` runs in any thread, every thread computes the values its warp operations read."""
    stmt: Node
    calls: list[Node]


@dataclass
class Loop:
    """A loop around barriers: its header is uniform across the block and runs once."""
    node: Node
    body: list


@dataclass
class Branch:
    node: Node
    then: list
    other: list | None


@dataclass
class Guard:
    """An `if` around warp operations (no barrier): its condition may differ between threads, so
    each thread evaluates it once and the thread loops inside skip the threads it excludes."""
    node: Node
    body: list


@dataclass
class Scope:
    body: list


@dataclass
class PlanProblem:
    line: int
    construct: str
    message: str


@dataclass
class Plan:
    items: list
    problems: list[PlanProblem] = field(default_factory=list)


def calls_named(node: Node, names: set[str]) -> list[Node]:
    return [n for n in walk(node) if n.type == "call_expression" and called_name(n) in names]


def is_barrier_statement(stmt: Node) -> bool:
    if stmt.type != "expression_statement" or not stmt.named_children:
        return False
    expr = stmt.named_children[0]
    return expr.type == "call_expression" and called_name(expr) in BARRIERS


def _direct_warp_calls(stmt: Node) -> list[Node] | None:
    """Warp operations of a statement that no loop inside the statement repeats, or None."""
    if stmt.type in LOOPS or calls_named(stmt, BARRIERS):
        return None
    calls = calls_named(stmt, WARP_OPS)
    for call in calls:
        node = call.parent
        while node is not None and node != stmt:
            if node.type in LOOPS:
                return None
            node = node.parent
    return calls or None


def build(stmts: list[Node]) -> Plan:
    plan = Plan(items=[])
    plan.items = _plan(stmts, plan.problems)
    return plan


def _plan(stmts: list[Node], problems: list[PlanProblem]) -> list:
    items: list = []
    pending: list[Node] = []

    def flush() -> None:
        if pending:
            items.append(Threads(list(pending)))
            pending.clear()

    for stmt in stmts:
        if is_barrier_statement(stmt):
            flush()
            continue
        if not calls_named(stmt, BARRIERS | WARP_OPS):
            pending.append(stmt)
            continue
        warp_calls = _direct_warp_calls(stmt)
        if warp_calls is not None:
            flush()
            items.append(WarpInputs(stmt, warp_calls))
            pending.append(stmt)
            continue
        flush()
        if stmt.type == "compound_statement":
            items.append(Scope(_plan(list(stmt.named_children), problems)))
        elif stmt.type in ("for_statement", "while_statement", "do_statement"):
            items.append(Loop(stmt, _plan(statements_of(stmt.child_by_field_name("body")), problems)))
        elif stmt.type == "if_statement" and stmt.child_by_field_name("alternative") is None and \
                not calls_named(stmt, BARRIERS):
            items.append(Guard(stmt, _plan(statements_of(stmt.child_by_field_name("consequence")), problems)))
        elif stmt.type == "if_statement":
            alternative = stmt.child_by_field_name("alternative")
            other = None
            if alternative is not None:
                inner = [c for c in alternative.named_children]
                other = _plan(statements_of(inner[0]) if inner else [], problems)
            items.append(Branch(stmt, _plan(statements_of(stmt.child_by_field_name("consequence")), problems),
                                other))
        else:
            barrier = calls_named(stmt, BARRIERS | WARP_OPS)[0]
            problems.append(PlanProblem(line_of(barrier), f"{called_name(barrier)} inside {stmt.type.replace('_', ' ')}",
                                        "a barrier or warp operation is supported at statement level, in loops, "
                                        "in if/else and in blocks, not inside expressions of other statements"))
            pending.append(stmt)
    flush()
    return items


def regions(items: list):
    """Every thread region and warp-input step, in order, recursively."""
    for item in items:
        if isinstance(item, (Threads, WarpInputs)):
            yield item
        elif isinstance(item, Guard):
            yield item
            yield from regions(item.body)
        elif isinstance(item, Loop):
            yield from regions(item.body)
        elif isinstance(item, Branch):
            yield from regions(item.then)
            if item.other:
                yield from regions(item.other)
        elif isinstance(item, Scope):
            yield from regions(item.body)


def headers(items: list):
    """Loops and branches run once per block."""
    for item in items:
        if isinstance(item, (Loop, Branch)):
            yield item
            yield from headers(item.body if isinstance(item, Loop) else item.then)
            if isinstance(item, Branch) and item.other:
                yield from headers(item.other)
        elif isinstance(item, (Scope, Guard)):
            yield from headers(item.body)


def declared_names(decl: Node) -> list[tuple[str, Node]]:
    """(name, declarator) for each variable a declaration statement declares."""
    out = []
    for child in decl.children:
        if child.type in ("init_declarator", "identifier", "pointer_declarator", "array_declarator",
                          "reference_declarator"):
            target = child
            while target is not None and target.type != "identifier":
                target = target.child_by_field_name("declarator") or next(
                    (c for c in target.named_children if c.type in ("identifier", "pointer_declarator",
                                                                     "array_declarator", "reference_declarator")),
                    None)
            if target is not None:
                out.append((text_of(target), child))
    return out
