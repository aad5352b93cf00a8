"""Schedules of templates the default CPU schedule serves badly.

A sum to one value has no spatial axis to run in parallel: the sum_reduction
template computes interleaved partial sums over whole chunks (their loops carry
no bounds guard), and this schedule runs the chunks in parallel and the lanes of
a chunk as a simd loop; the tail and the sum of
the partials stay serial, in chunk order, so the result does not depend on the
thread count.
"""

from __future__ import annotations

SUM_CHUNK = 4096  # elements per chunk
SUM_LANES = 8  # interleaved partial sums per chunk (float32 lanes of a 256-bit vector)


def parallel_scalar_sum(func, partial: str, serial: list[str], result: str):
    """partial: the per-chunk reduction; serial: one-element reductions after it; result: the output stage."""
    from tvm import s_tir

    sch = s_tir.Schedule(func)
    block = sch.get_sblock(partial)
    chunk, lane, element = sch.get_loops(block)
    sch.reorder(chunk, element, lane)
    sch.parallel(chunk)
    sch.vectorize(lane)
    sch.decompose_reduction(block, element)  # each partial starts from zero inside its own chunk
    for name in serial:
        block = sch.get_sblock(name)
        sch.decompose_reduction(block, sch.get_loops(block)[1])  # after the one-element axis
    decisions = [f"{partial}: chunks of {SUM_CHUNK} summed in parallel, {SUM_LANES} interleaved sums per chunk "
                 "(a simd loop)",
                 f"{', '.join(serial)}: the elements after the last whole chunk, then the partial sums in chunk order",
                 f"{result}: one element"]
    return sch.mod, decisions
