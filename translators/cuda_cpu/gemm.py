"""The shared-memory tiled matrix multiply, recognised as a whole and written as a plain
cache-friendly loop nest: rows in parallel, loops in i-k-j order (the innermost loop runs along a
row of B and of C, contiguous and vectorised).

Recognised form (names free, TILE any constant):

    __shared__ T As[TILE][TILE], Bs[TILE][TILE];
    int row = blockIdx.y * TILE + threadIdx.y, col = blockIdx.x * TILE + threadIdx.x;
    T acc = 0;
    for (int t = 0; t < (K + TILE - 1) / TILE; ++t) {
        [int ac = t * TILE + threadIdx.x, br = t * TILE + threadIdx.y;]
        As[threadIdx.y][threadIdx.x] = (row < M && ac < K) ? A[row * K + ac] : 0;
        Bs[threadIdx.y][threadIdx.x] = (br < K && col < N) ? B[br * N + col] : 0;
        __syncthreads();
        for (int p = 0; p < TILE; ++p) acc += As[threadIdx.y][p] * Bs[p][threadIdx.x];
        __syncthreads();
    }
    if (row < M && col < N) C[row * N + col] = acc;

Each C element sums its products in the same order (k ascending) as the tiles do.  Anything else
returns None; the result is verified like every translation and falls back on the literal one.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from .patterns import _type_prefix
from .plan import declared_names, is_barrier_statement
from .syntax import Source, statements_of, text_of, walk

STEP = "    "
def _norm(text: str) -> str:
    """Whitespace and casts to index types removed; parentheses kept."""
    text = re.sub(r"\((?:size_t|int|long|unsigned|long long|std::size_t)\)", "", text)
    return re.sub(r"\s+", "", text)


ZERO = re.compile(r"^\(?\s*(?:\(\w+\)\s*)?0+(?:\.0*)?[fF]?\s*\)?$")


def _decls(stmts: list[Node]) -> tuple[dict[str, str], list[Node]]:
    """Leading declarations `T name = value, ...;` -> {name: normalised value}, the rest."""
    found: dict[str, str] = {}
    rest = list(stmts)
    while rest and rest[0].type == "declaration" and "__shared__" not in text_of(rest[0]):
        names = declared_names(rest[0])
        if not names or any(d.type != "init_declarator" for _, d in names):
            break
        for name, declarator in names:
            found[name] = _norm(text_of(declarator.child_by_field_name("value")))
        rest.pop(0)
    return found, rest


def recognise(src: Source, func: Node, body: Node, name: str) -> str | None:
    stmts = [s for s in statements_of(body) if s.type != "comment"]
    shared = []
    while stmts and stmts[0].type == "declaration" and "__shared__" in text_of(stmts[0]):
        shared += [n for n, _ in declared_names(stmts[0])]
        stmts.pop(0)
    if len(shared) != 2:
        return None
    if len(stmts) < 3 or stmts[-3].type != "declaration":
        return None
    indices, rest = _decls(stmts[:-3])
    row = next((n for n, v in indices.items() if re.fullmatch(r"blockIdx\.y\*\w+\+threadIdx\.y", v)), None)
    col = next((n for n, v in indices.items() if re.fullmatch(r"blockIdx\.x\*\w+\+threadIdx\.x", v)), None)
    if row is None or col is None or len(indices) != 2 or rest:
        return None
    acc_decl, loop, final = stmts[-3:]
    acc_names = declared_names(acc_decl)
    if len(acc_names) != 1 or acc_names[0][1].type != "init_declarator" or \
            not ZERO.match(text_of(acc_names[0][1].child_by_field_name("value"))):
        return None
    acc = acc_names[0][0]
    acc_type = _type_prefix(src, acc_decl, acc_names[0][1]).strip()
    if loop.type != "for_statement":
        return None
    inner = [s for s in statements_of(loop.child_by_field_name("body")) if s.type != "comment"]
    tile_vars, inner = _decls(inner)
    if len(inner) != 5 or not is_barrier_statement(inner[2]) or not is_barrier_statement(inner[4]):
        return None
    loads = {}
    for store in inner[:2]:
        m = re.fullmatch(r"(\w+)\[threadIdx\.y\]\[threadIdx\.x\]=\(?(.+)\)?\?(\w+)\[(.+)\]:(.+);",
                         _norm(text_of(store)))
        if m is None or m.group(1) not in shared or not ZERO.match(m.group(5)):
            return None
        index = m.group(4)
        for var, value in tile_vars.items():  # ac, br -> their definitions
            index = re.sub(rf"\b{var}\b", f"({value})", index)
        loads[m.group(1)] = (m.group(3), index)
    product = _norm(text_of(inner[3]))
    m = re.fullmatch(rf"for\(int(\w+)=0;\1<\w+;\+\+\1\)\{{?{acc}\+=(\w+)\[threadIdx\.y\]\[\1\]\*(\w+)\[\1\]"
                     r"\[threadIdx\.x\];\}?", product)
    if m is None or set(m.group(2, 3)) != set(loads):
        return None
    a_name, a_index = loads[m.group(2)]
    b_name, b_index = loads[m.group(3)]
    fm = re.fullmatch(rf"if\(\(?{row}<(\w+)\)?&&\(?{col}<(\w+)\)?\)\{{?(\w+)\[{row}\*(\w+)\+{col}\]={acc};\}}?",
                      _norm(text_of(final)))
    if fm is None:
        return None
    rows, cols, c_name, c_stride = fm.groups()
    am = re.fullmatch(rf"{row}\*(\w+)\+\(?\w+\*\w+\+threadIdx\.x\)?", a_index)
    bm = re.fullmatch(rf"\(?\w+\*\w+\+threadIdx\.y\)?\*(\w+)\+{col}", b_index)
    if am is None or bm is None or c_stride != cols or bm.group(1) != cols:
        return None
    depth = am.group(1)
    t = "int"
    used = {text_of(n) for n in walk(func) if n.type == "identifier"}
    k = m.group(1)  # the source's product loop variable runs over the whole depth
    a = "a_value"
    while a in used:
        a += "_"
    lines = [f"// idiom: shared-memory tiled matrix multiply ({c_name} = {a_name} {b_name}) -> rows in parallel, "
             "loops in i-k-j order",
             "#pragma omp parallel for schedule(static)",
             f"for ({t} {row} = 0; {row} < {rows}; ++{row}) {{",
             STEP + f"{acc_type}* {acc} = {c_name} + (std::size_t){row} * {cols};  // accumulates a row of {c_name}",
             STEP + f"for ({t} {col} = 0; {col} < {cols}; ++{col}) {acc}[{col}] = 0;",
             STEP + f"for ({t} {k} = 0; {k} < {depth}; ++{k}) {{",
             STEP * 2 + f"const {acc_type} {a} = {a_name}[(std::size_t){row} * {depth} + {k}];",
             STEP * 2 + "#pragma omp simd",
             STEP * 2 + f"for ({t} {col} = 0; {col} < {cols}; ++{col}) "
                        f"{acc}[{col}] += {a} * {b_name}[(std::size_t){k} * {cols} + {col}];",
             STEP + "}",
             "}"]
    return "{\n" + "\n".join(STEP + l for l in lines) + "\n}"
