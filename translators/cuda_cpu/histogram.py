"""The shared-memory histogram with atomics, recognised as a whole: on a CPU each OpenMP thread
fills a private histogram without atomics and adds it to the result once.

Recognised form (names free):

    __shared__ T bins[SIZE];
    for (int b = threadIdx.x; b < E; b += blockDim.x) bins[b] = 0;    // or: if (threadIdx.x < E) bins[threadIdx.x] = 0;
    __syncthreads();
    for (int i = <global index>; i < n; i += <grid stride>) atomicAdd(&bins[<bin of i>], v);
    __syncthreads();
    for (int b = threadIdx.x; b < E; b += blockDim.x) atomicAdd(&hist[b], bins[b]);   // or the `if` form

Anything else returns None (the literal translation follows); the result is verified.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from .patterns import _global_index, _type_prefix
from .plan import declared_names, is_barrier_statement
from .syntax import Source, arguments, called_name, statements_of, text_of, walk

STEP = "    "


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _block_loop(stmt: Node) -> tuple[str, str, Node] | None:
    """`for (int b = threadIdx.x; b < E; b += blockDim.x) S` -> (b, E, S);
    `if (threadIdx.x < E) S` -> ('threadIdx.x', E, S): the block's threads cover 0..E-1 together."""
    if stmt.type == "for_statement":
        m = re.fullmatch(r"for\((?:int|unsigned|size_t)(\w+)=threadIdx\.x;\1<(\w+|\d+);\1\+=blockDim\.x\)",
                         _squash(text_of(stmt)[:text_of(stmt).find(")") + 1]))
        body = [s for s in statements_of(stmt.child_by_field_name("body")) if s.type != "comment"]
        if m is None or len(body) != 1:
            return None
        return m.group(1), m.group(2), body[0]
    if stmt.type == "if_statement" and stmt.child_by_field_name("alternative") is None:
        m = re.fullmatch(r"\(threadIdx\.x<(\w+|\d+)\)", _squash(text_of(stmt.child_by_field_name("condition"))))
        body = [s for s in statements_of(stmt.child_by_field_name("consequence")) if s.type != "comment"]
        if m is None or len(body) != 1:
            return None
        return "threadIdx.x", m.group(1), body[0]
    return None


def _atomic_add(stmt: Node) -> tuple[str, str, str] | None:
    """`atomicAdd(&a[idx], v);` -> (a, idx, v)."""
    if stmt.type != "expression_statement" or not stmt.named_children:
        return None
    call = stmt.named_children[0]
    if call.type != "call_expression" or called_name(call) != "atomicAdd" or len(arguments(call)) != 2:
        return None
    target, value = arguments(call)
    m = re.fullmatch(r"&(\w+)\[(.+)\]", _squash(text_of(target)))
    if m is None:
        return None
    index = text_of(target)[text_of(target).find("[") + 1:text_of(target).rfind("]")].strip()
    return m.group(1), index, text_of(value)


def recognise(src: Source, func: Node, body: Node, name: str) -> str | None:
    stmts = [s for s in statements_of(body) if s.type != "comment"]
    if len(stmts) != 6 or stmts[0].type != "declaration" or "__shared__" not in text_of(stmts[0]):
        return None
    names = declared_names(stmts[0])
    if len(names) != 1:
        return None
    shared, declarator = names[0]
    element = re.sub(r"\b(__shared__|volatile)\b", "", _type_prefix(src, stmts[0], declarator)).strip()
    size = re.fullmatch(r"\w+\[(\w+)\]", _squash(text_of(declarator)))
    if size is None:
        return None
    zero = _block_loop(stmts[1])
    merge = _block_loop(stmts[5])
    if zero is None or merge is None or not is_barrier_statement(stmts[2]) or not is_barrier_statement(stmts[4]):
        return None
    var, _, init = zero
    if _squash(text_of(init)) not in (f"{shared}[{var}]=0;", f"{shared}[{var}]=0u;"):
        return None
    merge_var, bins, merge_stmt = merge
    merged = _atomic_add(merge_stmt)
    if merged is None or _squash(merged[1]) != merge_var or _squash(merged[2]) != f"{shared}[{merge_var}]":
        return None
    result = merged[0]
    loop = stmts[3]
    if loop.type != "for_statement":
        return None
    head = loop.child_by_field_name("initializer")
    loop_names = declared_names(head) if head is not None and head.type == "declaration" else []
    if len(loop_names) != 1 or loop_names[0][1].type != "init_declarator" or \
            _global_index(text_of(loop_names[0][1].child_by_field_name("value"))) != "x":
        return None
    index = loop_names[0][0]
    bound = re.fullmatch(rf"{index}<(\w+)", _squash(text_of(loop.child_by_field_name("condition"))))
    stride = _squash(text_of(loop.child_by_field_name("update")))
    if bound is None or stride not in (f"{index}+=blockDim.x*gridDim.x", f"{index}+=gridDim.x*blockDim.x"):
        return None
    inner = [s for s in statements_of(loop.child_by_field_name("body")) if s.type != "comment"]
    counted = _atomic_add(inner[0]) if len(inner) == 1 else None
    if counted is None or counted[0] != shared or any(
            text_of(n) in ("threadIdx", "blockIdx", "blockDim", "gridDim")
            for n in walk(inner[0]) if n.type == "identifier"):
        return None
    index_type = _type_prefix(src, head, loop_names[0][1]).strip()
    b = merge_var if merge_var != "threadIdx.x" else "b"
    used = {text_of(n) for n in walk(func) if n.type == "identifier"}
    while b != merge_var and b in used:
        b += "_"
    lines = [f"// idiom: shared-memory histogram with atomics -> a private histogram per OpenMP thread, "
             f"added to {result} once",
             "#pragma omp parallel",
             "{",
             STEP + f"{element} {shared}[{size.group(1)}] = {{}};  // this thread's histogram",
             STEP + "#pragma omp for schedule(static) nowait",
             STEP + f"for ({index_type} {index} = 0; {index} < {bound.group(1)}; ++{index})",
             STEP * 2 + f"{shared}[{counted[1]}] += {counted[2]};",
             STEP + f"for (int {b} = 0; {b} < {bins}; ++{b})",
             STEP * 2 + "#pragma omp atomic",
             STEP * 2 + f"{result}[{b}] += {shared}[{b}];",
             "}"]
    return "{\n" + "\n".join(STEP + l for l in lines) + "\n}"
