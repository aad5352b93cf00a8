"""The default CPU schedule and the lowering that stops before TVM's code generation.

Default schedule, per stage: parallelise the outermost spatial loop (a 1-D
stage in chunks); a spatial-only stage's innermost loop is a simd loop; a
GEMM-shaped stage gets the register-blocked schedule of gemm_schedule.py, a transpose-shaped
one the blocked walk of transpose_schedule.py; another
reduction with two or more spatial axes computes output tiles with the
reduction loop outside the tile, whose columns are vectorised.
Lowering keeps loops annotated (parallel, vectorised) and expands unrolled
loops; TVM's own vectoriser and host/device split are not run.
"""

from __future__ import annotations

VECTOR_LANES = 8  # float32 lanes of a 256-bit vector; a guard covers the remainder
CHUNK = 1024  # elements per parallel chunk of a one-dimensional stage
TILE_ROWS, TILE_COLS = 4, 16  # output tile of a reduction with two or more spatial axes


def default_schedule(func, block_names: list[str]):
    """A scheduled PrimFunc and the decisions taken, in words."""
    from tvm import s_tir

    from .gemm_schedule import gemm_schedule, gemm_shaped
    from .transpose_schedule import blocked_transpose, strided_read

    sch = s_tir.Schedule(func)
    decisions: list[str] = []
    done: set[str] = set()  # blocks a stage's schedule took care of
    for name in block_names:
        if name in done:
            continue
        block = sch.get_sblock(name)
        loops = sch.get_loops(block)
        if not loops:
            continue
        reduction = _has_reduction(sch, block)
        # A reduction over several axes (nested loops in the kernel) has several reduce loops after
        # the spatial ones; the tile and the initialisation go around all of them.
        n_reduce = _reduce_axes(sch, block)
        if reduction and n_reduce == 1 and len(loops) == 3 and gemm_shaped(sch, block):
            backup, scheduled = sch.mod, False
            for fuse_consumer in (True, False):
                try:
                    decision, handled = gemm_schedule(sch, block, name, fuse_consumer)
                except Exception:  # noqa: BLE001 - a primitive refuses this form; the next, then generic tiles
                    sch = s_tir.Schedule(backup)
                    block = sch.get_sblock(name)
                    continue
                decisions.append(decision)
                done |= handled
                scheduled = True
                break
            if scheduled:
                continue
            loops = sch.get_loops(block)
        if reduction and len(loops) - n_reduce >= 2:
            # loops: spatial..., k  ->  spatial[:-1], k, spatial[-1] (vectorised over the last axis)
            backup = sch.mod
            try:
                # A ROWS x (2 vectors) tile of outputs per reduction step: loads of the
                # reduction's operands are reused ROWS and 2*lanes times.
                outer, inner, reds = loops[-n_reduce - 2], loops[-n_reduce - 1], loops[-n_reduce:]
                red = reds[0]
                oo, oi = sch.split(outer, [None, TILE_ROWS])
                io, ii = sch.split(inner, [None, TILE_COLS])
                sch.reorder(oo, io, *reds, oi, ii)
                sch.parallel(sch.get_loops(block)[0])
                sch.unroll(oi)
                iv, lanes = sch.split(ii, [None, VECTOR_LANES])
                sch.unroll(iv)
                sch.vectorize(lanes)
                sch.decompose_reduction(block, red)
                decisions.append(f"{name}: {TILE_ROWS}x{TILE_COLS} output tiles, tile rows parallel; reduction loop "
                                 f"outside the tile (rows unrolled, columns vectorised by {VECTOR_LANES})")
                continue
            except Exception:  # noqa: BLE001 - the schedule primitive refuses this shape; keep the plain order
                sch = s_tir.Schedule(backup)
                block = sch.get_sblock(name)
                loops = sch.get_loops(block)
        if not reduction:
            # The printer emits `omp simd` on the whole innermost loop (any trip count), so it is
            # not split by the vector width: long simd loops, no per-vector remainder.
            if len(loops) == 2 and strided_read(sch, block):
                decisions.append(blocked_transpose(sch, block, name))
            elif len(loops) == 1:
                outer, inner = sch.split(loops[0], [None, CHUNK])
                sch.parallel(outer)
                sch.vectorize(inner)
                decisions.append(f"{name}: chunks of {CHUNK} in parallel, each a simd loop")
            else:
                sch.parallel(loops[0])
                sch.vectorize(loops[-1])
                decisions.append(f"{name}: parallel over the outermost axis, innermost axis a simd loop")
        else:
            sch.parallel(loops[0])
            red = sch.get_loops(block)[-n_reduce]
            if len(loops) > n_reduce:
                sch.decompose_reduction(block, red)  # initialise once, outside the reduction loop
            decisions.append(f"{name}: parallel over the outermost axis")
    return sch.mod, decisions


def _reduce_axes(sch, block) -> int:
    return sum(int(iv.iter_type) == 2 for iv in sch.get(block).iter_vars)  # CommReduce


def _has_reduction(sch, block) -> bool:
    node = sch.get(block)
    return any(int(iv.iter_type) == 2 for iv in node.iter_vars)  # CommReduce


def lower(mod):
    """Lowered TIR: flat buffers, plain loops with their kinds, unrolled loops expanded."""
    import tvm
    from tvm import s_tir, tirx

    passes = [
        s_tir.transform.CanonicalizeLoop(),
        s_tir.transform.LowerInitBlock(),
        s_tir.transform.PlanAndUpdateBufferAllocationLocation(),
        s_tir.transform.ConvertBlocksToOpaque(),
        s_tir.transform.CompactBufferAllocation(is_strict=False),  # a local tile gets its constant size
        s_tir.transform.LowerMatchBuffer(),
        s_tir.transform.StmtSimplify(),
        s_tir.transform.LowerOpaqueBlock(),
        tirx.transform.FlattenBuffer(),
        s_tir.transform.LoopPartition(),  # a guard-free main loop and a guarded remainder
        tirx.transform.UnrollLoop(),
        tirx.transform.StmtSimplify(),
        tirx.transform.RemoveNoOp(),
    ]
    config = {"tirx.UnrollLoop": {"explicit_unroll": True},
              "s_tir.LoopPartition": {"partition_const_loop": True}}
    with tvm.transform.PassContext(config=config):
        lowered = tvm.ir.transform.Sequential(passes)(mod)
    return list(lowered.functions.values())[0]
