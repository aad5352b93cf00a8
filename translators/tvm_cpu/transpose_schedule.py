"""The default schedule of a transpose-shaped stage: out[i, j] = f(x[j * n + i], ...).

Walking the output row by row reads the input down a column, one cache line per element;
on a matrix whose rows are a power of two apart those lines also compete for the same cache
sets. Walking it in TILE x TILE blocks reads TILE lines per block column and uses each of them
TILE times while they are still in L1, and writes each output row of a block whole; grouping
the blocks in super-blocks keeps the pages touched at a time few (a row of a 4096-float matrix
is four pages). Rows of super-blocks run in parallel; the block loop is annotated FULL_TILE, so whole blocks are printed
without bounds guards (emit_loops.py).
"""

from __future__ import annotations

from .gemm_schedule import FULL_TILE
from .tir_util import handle, mentions

TILE = 16  # 16 floats: one 64-byte cache line per block row
SUPER = 8  # blocks a side of a super-block: 128 rows of each matrix, few enough pages for the TLB


def strided_read(sch, block) -> bool:
    """Whether a two-axis spatial stage reads across rows as its innermost axis walks while its
    own store moves along a row: some load's last index moves by other than 0 or 1 (or the axis
    indexes another dimension of it) per step of the innermost axis."""
    import tvm_ffi

    node = sch.get(block)
    if len(node.iter_vars) != 2 or any(int(iv.iter_type) != 0 for iv in node.iter_vars):
        return False
    inner = node.iter_vars[-1].var
    store = node.body
    if type(store).__name__ != "BufferStore" or _step(store.indices, inner) != 1:
        return False
    loads = []
    tvm_ffi.structural_walk(store.value, lambda n: loads.append(n)
                            if type(n).__name__ in ("BufferLoad", "TensorLoad") else None)
    return any(_step(load.indices, inner) not in (0, 1) for load in loads)


def _step(indices, var):
    """How far one step of `var` moves the last index (None: not a constant, or `var` indexes an
    outer dimension)."""
    from tvm import sym

    *outer, last = indices
    if any(mentions(i, handle(var)) for i in outer):
        return None
    if not mentions(last, handle(var)):
        return 0
    coeffs = sym.detect_linear_equation(last, [var])
    if not coeffs:
        return None
    step = sym.Analyzer().simplify(coeffs[0])
    return int(step.value) if type(step).__name__ == "IntImm" else None


def blocked_transpose(sch, block, name: str) -> str:
    """Schedules the two-axis stage `block` in TILE x TILE blocks, grouped SUPER x SUPER, in place;
    the decision in words."""
    c, r = sch.get_loops(block)
    c_super, c_block, ci = sch.split(c, [None, SUPER, TILE])
    r_super, r_block, ri = sch.split(r, [None, SUPER, TILE])
    sch.reorder(c_super, r_super, c_block, r_block, ci, ri)
    # Rows of super-blocks in parallel (fusing both super-block loops would share out a narrow
    # matrix better, but spells every index with a division and a modulo).
    sch.parallel(c_super)
    sch.vectorize(ri)
    sch.annotate(r_block, FULL_TILE, 1)
    side = SUPER * TILE
    return (f"{name}: {TILE}x{TILE} blocks (read down the input's columns: one cache line per block row) "
            f"in {side}x{side} super-blocks (fewer pages at a time), rows of super-blocks parallel, each block's "
            f"output rows a simd loop; whole blocks run without bounds guards")
