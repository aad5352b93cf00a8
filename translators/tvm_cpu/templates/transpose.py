"""Transpose of a row-major matrix: y[c, r] = x[r, c].

In CUDA the fast form stages a tile in shared memory so that both the global read and the
transposed write are coalesced; each thread often moves several elements of its tile column.
On a CPU the same idea is a cache block: the emitted loops walk TILE x TILE blocks, so the
TILE rows of the input a block reads stay in L1 while its output rows are written whole.
"""

from __future__ import annotations

from ..gemm_schedule import FULL_TILE
from .common import EXPS, Built, Candidate, flat_input, orders, prim_func, size_vars
from .cues import Cues

TILE = 16  # 16 floats: one 64-byte cache line per tile row
_ORDER_HINTS = [r"rows?|m|h|height|ny|n_?rows|size_?y", r"cols?|n|w|width|nx|n_?cols|size_?x"]


def propose_transpose(cues: Cues) -> list[Candidate]:
    if cues.returns or len(cues.inputs) != 1 or len(cues.outputs) != 1 or len(cues.sizes) != 2 or cues.others:
        return []
    x, y = cues.inputs[0], cues.outputs[0]
    if x.dtype != y.dtype or cues.atomics or cues.calls & EXPS:
        return []  # a histogram (atomics) or a softmax (exp) has this signature too
    score = 1 + 2 * int(cues.shared) + int(cues.barrier)
    found = []
    for rank, (rows, cols) in enumerate(orders(cues.size_names(), _ORDER_HINTS)):
        words = f"{y.name}[c, r] = {x.name}[r, c], {x.name} {rows}x{cols} row-major, {y.name} {cols}x{rows}"
        found.append(Candidate("transpose", words, score - min(rank, 1),
                               lambda rows=rows, cols=cols, words=words: _build(cues, rows, cols, words)))
    return found


def _build(cues: Cues, rows: str, cols: str, words: str) -> Built:
    from tvm import te

    sizes = size_vars(cues)
    x = flat_input(cues.inputs[0])
    y = cues.outputs[0]
    R, C = sizes[rows], sizes[cols]
    out = te.compute((C, R), lambda c, r: x[r * C + c], name=f"{y.name}_t")
    return Built(prim_func([x], [out], sizes), {x.name: x.name, out.name: y.name}, list(sizes), [out.name], words,
                 schedule=lambda func: _blocked(func, out.name))


def _blocked(func, name: str):
    """TILE x TILE blocks, rows of blocks in parallel; whole blocks run without bounds guards."""
    from tvm import s_tir

    sch = s_tir.Schedule(func)
    block = sch.get_sblock(name)
    c, r = sch.get_loops(block)
    co, ci = sch.split(c, [None, TILE])
    ro, ri = sch.split(r, [None, TILE])
    sch.reorder(co, ro, ci, ri)
    sch.parallel(co)
    sch.vectorize(ri)
    sch.annotate(ro, FULL_TILE, 1)
    return sch.mod, [f"{name}: {TILE}x{TILE} blocks (one cache line per block row), rows of blocks parallel, "
                     f"each block's output rows a simd loop; whole blocks run without bounds guards"]
