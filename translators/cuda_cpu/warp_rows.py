"""One warp per row (a warp-per-row matrix-vector product): the 32 lanes of a warp share out a
row with a lane-stride loop and add their partial sums with shuffles; lane 0 writes the row's
result.  On a CPU one iteration of a parallel loop takes the whole row, and the lane-stride loop
becomes a plain loop over the row with a `simd reduction`.

The kernel body is exactly (names, the order of the first two declarations and braces free):

    int w = (blockIdx.x * blockDim.x + threadIdx.x) / 32;     // or / warpSize, >> 5
    int lane = threadIdx.x % 32;                              // or & 31, % warpSize
    T acc = 0;
    if (w < M) for (int j = lane; j < N; j += 32) acc += e;   // e without lane, acc or thread indices
    for (int o = 16; o > 0; o /= 2) acc += __shfl_down_sync(0xffffffff, acc, o);  // or >>= 1, xor
    if (lane == 0 && w < M) <statements using w and acc>;

Assumed, and checked by the verification: the grid has at least M warps (as a one-thread-per-
element grid covers its bound) and the block size is a multiple of 32.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from .patterns import _global_index
from .plan import BARRIERS, WARP_OPS, declared_names
from .reductions import ZERO
from .syntax import called_name, statements_of, text_of, walk

STEP = "    "
WARP = r"(?:32|warpSize)"
FULL_MASKS = {"0xffffffff", "0xffffffffu", "0xFFFFFFFF", "0xFFFFFFFFu", "0xFFFFFFFFU", "0xffffffffU", "~0u", "~0U"}
BUILTINS = {"threadIdx", "blockIdx", "blockDim", "gridDim", "warpSize"}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _single(node: Node | None) -> Node | None:
    stmts = [s for s in statements_of(node) if s.type != "comment"]
    return stmts[0] if len(stmts) == 1 else None


def _declaration(stmt: Node) -> tuple[str, str, str] | None:
    """`T name = value;` with one declarator -> (T, name, value text)."""
    if stmt.type != "declaration":
        return None
    names = declared_names(stmt)
    if len(names) != 1 or names[0][1].type != "init_declarator":
        return None
    type_node = stmt.child_by_field_name("type")
    value = names[0][1].child_by_field_name("value")
    if type_node is None or value is None or names[0][1].child_by_field_name("declarator").type != "identifier":
        return None
    prefix = [text_of(c) for c in stmt.children if c.type in ("type_qualifier", "storage_class_specifier")]
    if prefix:
        return None
    return text_of(type_node), names[0][0], text_of(value)


def _warp_index(value: str) -> bool:
    m = re.fullmatch(rf"\((.+)\)(?:/{WARP}|>>5)", _squash(value))
    return m is not None and _global_index(m.group(1)) == "x"


def _lane(value: str) -> bool:
    return re.fullmatch(rf"\(?threadIdx\.x(?:%{WARP}|&31)\)?", _squash(value)) is not None


def _words(node: Node) -> set[str]:
    return {text_of(n) for n in walk(node) if n.type in ("identifier", "field_identifier")}


def _collective(node: Node) -> bool:
    return any(n.type == "call_expression" and ((called_name(n) or "").startswith("atomic") or
                                                called_name(n) in BARRIERS | WARP_OPS) for n in walk(node))


def recognise(func: Node, body: Node, plain) -> str | None:
    """The body of the CPU translation, or None when the kernel is not exactly this form.
    `plain(node)` gives the translated text of a statement."""
    stmts = [s for s in statements_of(body) if s.type != "comment"]
    if len(stmts) != 6:
        return None
    first, second = _declaration(stmts[0]), _declaration(stmts[1])
    if first is None or second is None:
        return None
    if _lane(first[2]) and _warp_index(second[2]):
        first, second = second, first
    if not (_warp_index(first[2]) and _lane(second[2])):
        return None
    row_type, row, lane = first[0], first[1], second[1]
    acc_decl = _declaration(stmts[2])
    if acc_decl is None or not ZERO.match(acc_decl[2]) or acc_decl[0] not in ("float", "double", "int", "long",
                                                                              "long long", "unsigned"):
        return None
    acc_type, acc = acc_decl[0], acc_decl[1]
    # if (w < M) for (int j = lane; j < N; j += 32) acc += e;
    guard = stmts[3]
    if guard.type != "if_statement" or guard.child_by_field_name("alternative") is not None:
        return None
    m = re.fullmatch(rf"\({re.escape(row)}<(\w+)\)", _squash(text_of(guard.child_by_field_name("condition"))))
    loop = _single(guard.child_by_field_name("consequence"))
    if m is None or loop is None or loop.type != "for_statement":
        return None
    rows_bound = m.group(1)
    head = text_of(loop)[:text_of(loop).find(")") + 1]
    h = re.fullmatch(rf"for\s*\(\s*(int|unsigned|long|size_t)\s+(\w+)\s*=\s*{lane}\s*;\s*\2\s*<\s*(\w+)\s*;"
                     rf"\s*\2\s*\+=\s*{WARP}\s*\)", head)
    update = _single(loop.child_by_field_name("body"))
    if h is None or update is None or update.type != "expression_statement":
        return None
    col_type, col, cols = h.group(1), h.group(2), h.group(3)
    assign = update.named_children[0] if update.named_children else None
    if assign is None or assign.type != "assignment_expression" or \
            text_of(assign.child_by_field_name("operator")) != "+=" or \
            text_of(assign.child_by_field_name("left")) != acc:
        return None
    term = assign.child_by_field_name("right")
    if _words(term) & (BUILTINS | {lane, acc}) or _collective(term) or \
            any(n.type in ("assignment_expression", "update_expression") for n in walk(term)):
        return None
    # for (int o = 16; o > 0; o /= 2) acc += __shfl_down_sync(FULL, acc, o);
    s = re.fullmatch(rf"for\(int(\w+)=16;\1>0;\1(?:/=2|>>=1)\)\{{?{re.escape(acc)}\+=__shfl_(?:down|xor)_sync"
                     rf"\(([^,]+),{re.escape(acc)},\1\);\}}?", _squash(text_of(stmts[4])))
    if s is None or s.group(2) not in FULL_MASKS:
        return None
    # if (lane == 0 && w < M) <writes of the row's result>
    final = stmts[5]
    if final.type != "if_statement" or final.child_by_field_name("alternative") is not None:
        return None
    terms = set(_squash(text_of(final.child_by_field_name("condition")))[1:-1].split("&&"))
    if terms != {f"{lane}==0", f"{row}<{rows_bound}"} and terms != {f"0=={lane}", f"{row}<{rows_bound}"}:
        return None
    result = final.child_by_field_name("consequence")
    if _words(result) & (BUILTINS | {lane, col}) or _collective(result) or \
            any(n.type == "return_statement" for n in walk(result)):
        return None
    lines = [
        "// idiom: one warp per row -> rows in parallel, a simd reduction over each row",
        "#pragma omp parallel for schedule(static)",
        f"for ({row_type} {row} = 0; {row} < {rows_bound}; ++{row}) {{",
        STEP + f"{acc_type} {acc} = {acc_decl[2]};",
        STEP + f"#pragma omp simd reduction(+:{acc})",
        STEP + f"for ({col_type} {col} = 0; {col} < {cols}; ++{col}) {plain(update)}",
    ]
    lines += [STEP + line for line in plain(result).splitlines()]
    lines.append("}")
    return "{\n" + "\n".join(STEP + line if line.strip() else line for line in lines) + "\n}"
