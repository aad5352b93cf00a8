"""The default schedule of a GEMM-shaped stage: C[i, j] = Σ_p a(i, p) · b(p, j).

Register blocking: each task computes a ROWS x COLS tile of C in a local
accumulator tile (a fixed-size array the C++ compiler keeps in vector registers),
the reduction loop outside the tile, the tile's rows unrolled and its columns one
simd loop, then writes the tile back once. Tiles of rows run in parallel.

Shapes are symbolic, so the splits carry bounds guards; the tile loop is annotated
FULL_TILE and the printer (emit.py) emits each tile twice: a copy for whole tiles
with every guard dropped (constant trip counts, no `min` bounds) and the guarded
copy for the tiles at the edges of C.
"""

from __future__ import annotations

from .vector_unit import widest_vector

FULL_TILE = "transverify_full_tile"  # loop annotation read by the printer
TILE_ROWS = 6
ROW_BLOCK = 8  # row tiles per block: a block's rows of A stay in L2 while the column panels stream past


def tile_cols() -> int:
    """Float columns per tile: two vectors of the widest vector unit (AVX-512: 32, else 16)."""
    return 32 if widest_vector()[1] >= 16 else 16


def gemm_shaped(sch, block) -> bool:
    """Two spatial axes, one reduction axis, init 0 and an update `c = c + x * y`."""
    node = sch.get(block)
    kinds = [int(iv.iter_type) for iv in node.iter_vars]  # 0 spatial, 2 reduction
    if sorted(kinds) != [0, 0, 2] or kinds[-1] != 2 or node.init is None:
        return False
    init, body = node.init, node.body
    if type(init).__name__ != "BufferStore" or type(body).__name__ != "BufferStore":
        return False
    if type(init.value).__name__ not in ("FloatImm", "IntImm") or float(init.value.value) != 0.0:
        return False
    value = body.value
    if type(value).__name__ != "Add":
        return False
    terms = [value.a, value.b]
    loads = [t for t in terms if type(t).__name__ in ("BufferLoad", "TensorLoad")]
    products = [t for t in terms if type(t).__name__ == "Mul"]
    return len(loads) == 1 and len(products) == 1 and str(body.buffer.ty.dtype).startswith("float")


def gemm_schedule(sch, block, name: str, fuse_consumer: bool) -> tuple[str, set[str]]:
    """Schedules `block` (gemm_shaped) in place: the decision in words and the names of the other
    blocks it scheduled. With `fuse_consumer`, the stage's one elementwise consumer (a lifted
    kernel's store of the accumulator into C) is computed per tile from the local tile, so the
    intermediate array disappears; otherwise a local cache of the tile is written back to the
    stage's own output. A refusing primitive raises (the caller restores the schedule)."""
    rows, cols = TILE_ROWS, tile_cols()
    consumers = sch.get_consumers(block) if fuse_consumer else []
    if fuse_consumer and (len(consumers) != 1 or len(sch.get_loops(consumers[0])) != 2):
        raise ValueError("no single elementwise consumer to fuse")
    i, j, p = sch.get_loops(block)
    ib, ir, ii = sch.split(i, [None, ROW_BLOCK, rows])
    jo, ji = sch.split(j, [None, cols])
    sch.reorder(ib, jo, ir, p, ii, ji)
    if fuse_consumer:
        writeback = consumers[0]
        sch.reverse_compute_at(writeback, ir)
        sch.set_scope(block, 0, "local")
        handled = {sch.get(writeback).name_hint}
    else:
        writeback = sch.cache_write(block, 0, "local")
        sch.reverse_compute_at(writeback, ir)
        handled = set()
    sch.parallel(ib)
    sch.unroll(ii)
    sch.vectorize(ji)
    sch.vectorize(sch.get_loops(writeback)[-1])
    sch.annotate(ir, FULL_TILE, 1)
    into = f", stored by {', '.join(sorted(handled))} from the tile" if handled else ""
    return (f"{name}: register-blocked GEMM, {rows}x{cols} tiles of C accumulated in a local tile "
            f"(rows unrolled, columns a simd loop){into}, reduction loop outside the tile, blocks of "
            f"{ROW_BLOCK} tile rows ({ROW_BLOCK * rows} rows of C) parallel; "
            f"whole tiles run without bounds guards, edge tiles with them"), handled
