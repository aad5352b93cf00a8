"""Schedules of templates the default CPU schedule serves badly.

A sum to one value has no spatial axis to run in parallel: it is split into
chunks whose partial sums run in parallel (rfactor), then the partials are added
in chunk order, so the result does not depend on the thread count.
"""

from __future__ import annotations

SUM_CHUNK = 4096  # elements per partial sum


def parallel_scalar_sum(func, block: str, others: list[str]):
    """`block` is a reduction into one element; `others` are one-element stages after it (left serial)."""
    from tvm import s_tir

    sch = s_tir.Schedule(func)
    total = sch.get_sblock(block)
    outer, _inner = sch.split(sch.get_loops(total)[-1], [None, SUM_CHUNK])
    partial = sch.rfactor(outer, 0)
    loops = sch.get_loops(partial)  # (1-element axis, chunk, element of the chunk)
    sch.parallel(loops[1])
    sch.decompose_reduction(partial, loops[2])
    sch.decompose_reduction(total, sch.get_loops(total)[-1])
    decisions = [f"{block}: chunks of {SUM_CHUNK} summed in parallel, the partial sums then added in chunk order"]
    decisions += [f"{name}: one element" for name in others]
    return sch.mod, decisions
