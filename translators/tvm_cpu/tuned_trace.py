"""A MetaSchedule record's trace: replayed on the workload that is emitted, and put in words
for the header comment (tile sizes, parallel, vectorised and unrolled loops)."""

from __future__ import annotations


def replay(func, trace):
    """The tuned schedule applied to the emitted form of the workload (same blocks and loops)."""
    from tvm import s_tir

    sch = s_tir.Schedule(func)
    trace.apply_to_schedule(sch, remove_postproc=False)
    return sch.mod


def trace_words(trace) -> list[str]:
    """The tuned schedule's decisions, in words: tile sizes, parallel, vectorised and unrolled loops."""
    words = []
    for inst in trace.insts:
        kind = inst.kind.name
        if kind == "SamplePerfectTile":
            decision = trace.decisions.get(inst) if hasattr(trace.decisions, "get") else None
            if decision is not None:
                words.append("tile " + "x".join(str(int(v)) for v in decision))
        elif kind in ("Parallel", "Vectorize"):
            words.append("parallel loop" if kind == "Parallel" else "vectorised (omp simd) loop")
        elif kind == "SampleCategorical":
            decision = trace.decisions.get(inst) if hasattr(trace.decisions, "get") else None
            if decision is not None and inst.attrs and len(inst.attrs) > 0:
                candidates = [int(c) for c in inst.attrs[0]]
                index = int(decision)
                if 0 <= index < len(candidates):
                    words.append(f"unroll up to {candidates[index]} steps")
        elif kind in ("CacheWrite", "CacheRead"):
            words.append("cache " + ("write" if kind == "CacheWrite" else "read") + " buffer")
    return words or ["(MetaSchedule's record; no tiling)"]
