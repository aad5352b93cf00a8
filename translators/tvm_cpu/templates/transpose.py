"""Transpose of a row-major matrix: y[c, r] = x[r, c].

In CUDA the fast form stages a tile in shared memory so that both the global read and the
transposed write are coalesced; each thread often moves several elements of its tile column.
On a CPU the same idea is a cache block: the default schedule walks a transpose-shaped stage in
blocks (transpose_schedule.py).
"""

from __future__ import annotations

from .common import EXPS, Built, Candidate, flat_input, orders, prim_func, size_vars
from .cues import Cues

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
    # the default schedule walks it in blocks (transpose_schedule.py)
    return Built(prim_func([x], [out], sizes), {x.name: x.name, out.name: y.name}, list(sizes), [out.name], words)
