"""The prefix-sum (scan) template: inclusive or exclusive, over the whole array or over
fixed-size segments (what one launch of a block-level scan computes when each block scans its
own tile and nothing adds the block sums).

CUDA writes scans as Hillis-Steele or Blelloch trees in shared memory or as warp shuffles, with
a second pass over block sums for arrays longer than a block.  On the CPU the workload is a
TIR-level `te.extern` stage: the whole-array scan runs in three passes (each chunk scanned on
its own in parallel, the chunks' last elements carried over in order, the carry added to every
chunk in parallel); a segmented scan runs its segments in parallel.
"""

from __future__ import annotations

from .common import FLOATS, Built, Candidate, flat_input, prim_func, size_vars
from .cues import Cues

SCAN_CHUNK = 4096  # elements per chunk of the parallel whole-array scan
_TYPES = FLOATS + ("int32", "uint32", "int64", "uint64")


def propose_scan(cues: Cues) -> list[Candidate]:
    if cues.returns or len(cues.inputs) > 1 or len(cues.outputs) != 1 or len(cues.sizes) != 1 or cues.others:
        return []
    y = cues.outputs[0]
    x = cues.inputs[0] if cues.inputs else y  # no input: the scan is in place
    if not (x.dtype == y.dtype and y.dtype in _TYPES):
        return []
    n = cues.size_names()[0]
    if cues.shapes.get(y.name, n) != cues.shapes.get(x.name, cues.shapes.get(y.name, n)):
        return []
    if cues.shapes.get(y.name) == "1":
        return []
    if not cues.log_loops and "__shfl_up_sync" not in cues.calls:
        return []  # a tree scan doubles its offset each level; a shuffle scan shifts lanes up
    score = 1 + int(cues.shared or cues.warp) + int(cues.barrier) - 2 * int(bool(cues.atomics)) - int(cues.modulo)
    # One launch of a multi-block kernel scans each block's tile; a second launch adds the block sums.
    single = len(cues.kernels) == 1
    segments = sorted({s for s in cues.block_sizes if s > 1}) if single else []
    # Blelloch's work-efficient scan (an up-sweep and a down-sweep loop) is exclusive and covers
    # two elements per thread.
    blelloch = cues.loops >= 2 and cues.shared and not cues.warp
    if blelloch:
        segments = [2 * s for s in segments] + segments
    shapes = [(s, 1) for s in segments[:2]] + [(None, 0 if segments else 1)]
    found = []
    for segment, segment_bonus in shapes:
        for exclusive in ((True, False) if blelloch else (False, True)):
            kind = "exclusive" if exclusive else "inclusive"
            where = f"in segments of {segment}" if segment else "over the whole array"
            bound = "j < i" if exclusive else "j <= i"
            source = x.name if x is not y else f"the old {y.name}"
            words = f"{y.name}[i] = sum of {source}[j], {bound}, {where}, i < {n} ({kind} scan)"
            penalty = int(exclusive != blelloch) + (0 if segment_bonus else 1) + (1 if segment and not single else 0)
            found.append(Candidate("scan", words, score - penalty,
                                   lambda seg=segment, exc=exclusive, words=words:
                                   _scan_build(cues, n, seg, exc, words)))
    return sorted(found, key=lambda c: -c.score)[:4]


def _scan_build(cues: Cues, n: str, segment: int | None, exclusive: bool, words: str) -> Built:
    import tvm
    from tvm import te, tirx

    sizes = size_vars(cues)
    y = cues.outputs[0]
    in_place = not cues.inputs
    source = flat_input(cues.inputs[0] if cues.inputs else y)
    N = tirx.max(sizes[n], 0)
    in_buffer = tirx.decl_buffer(source.shape, source.dtype, name=source.name)
    out_buffer = tirx.decl_buffer((N,), y.dtype, name=f"{y.name}_out")
    zero = tirx.const(0, y.dtype)

    def body(ins, outs):
        src, dst = ins[0], outs[0]
        load, store = tirx.BufferLoad, tirx.BufferStore
        if segment is not None:
            return _segmented(src, dst, N, segment, exclusive, in_place)
        chunks = tirx.floordiv(N + (SCAN_CHUNK - 1), SCAN_CHUNK)
        c, j, k = tirx.Var("c", "int32"), tirx.Var("j", "int32"), tirx.Var("k", "int32")
        start = c * SCAN_CHUNK
        length = tirx.min(N - start, SCAN_CHUNK)
        local_exclusive = exclusive and not in_place
        # pass 1: each chunk scanned on its own, in parallel
        first = store(dst, zero if local_exclusive else load(src, [start]), [start])
        at = start + j + 1
        step = load(src, [at - 1]) if local_exclusive else load(src, [at])
        rest = tirx.For(j, 0, length - 1, tirx.ForKind.SERIAL, store(dst, load(dst, [at - 1]) + step, [at]))
        pass1 = tirx.For(c, 0, chunks, tirx.ForKind.PARALLEL, tirx.SeqStmt([first, rest]))
        # pass 2: the chunks' last elements become global, in chunk order
        previous = (k + 1) * SCAN_CHUNK - 1  # the last element of chunk k
        last = previous + tirx.min(N - (k + 1) * SCAN_CHUNK, SCAN_CHUNK)  # the last element of chunk k + 1
        carry = load(dst, [previous]) + (load(src, [previous]) if local_exclusive else zero)
        pass2 = tirx.For(k, 0, chunks - 1, tirx.ForKind.SERIAL, store(dst, load(dst, [last]) + carry, [last]))
        # pass 3: every other element of chunk c >= 1 adds the carry of the chunks before it
        c3, j3 = tirx.Var("c", "int32"), tirx.Var("j", "int32")
        begin = (c3 + 1) * SCAN_CHUNK
        carry3 = load(dst, [begin - 1]) + (load(src, [begin - 1]) if local_exclusive else zero)
        inner = tirx.For(j3, 0, tirx.min(N - begin, SCAN_CHUNK) - 1, tirx.ForKind.SERIAL,
                         store(dst, load(dst, [begin + j3]) + carry3, [begin + j3]))
        pass3 = tirx.For(c3, 0, chunks - 1, tirx.ForKind.PARALLEL, inner)
        steps = [pass1, pass2, pass3]
        if exclusive and in_place:
            steps.append(_shift_right(dst, 0, N, zero))
        return tirx.IfThenElse(N > 0, tirx.SeqStmt(steps), None)

    out = te.extern((N,), [source], body, name=f"{y.name}_out", dtype=y.dtype, in_buffers=[in_buffer],
                    out_buffers=[out_buffer])
    buffers = {source.name: source.name, out.name: y.name}
    func = prim_func([source], [out], sizes)
    how = (f"segments of {segment} scanned in parallel, each serially" if segment is not None else
           f"chunks of {SCAN_CHUNK} scanned in parallel, their carries added in order, then to each chunk "
           "in parallel")
    decisions = [f"{out.name}: {how}" + ("; then shifted right by one, in place" if exclusive and in_place else "")]
    return Built(func, buffers, list(sizes), [], words, lambda f: (tvm.IRModule({"main": f}), decisions))


def _segmented(src, dst, N, segment: int, exclusive: bool, in_place: bool):
    from tvm import tirx

    load, store = tirx.BufferLoad, tirx.BufferStore
    zero = tirx.const(0, dst.dtype)
    s, j = tirx.Var("s", "int32"), tirx.Var("j", "int32")
    start = s * segment
    length = tirx.min(N - start, segment)
    local_exclusive = exclusive and not in_place
    first = store(dst, zero if local_exclusive else load(src, [start]), [start])
    at = start + j + 1
    step = load(src, [at - 1]) if local_exclusive else load(src, [at])
    steps = [first, tirx.For(j, 0, length - 1, tirx.ForKind.SERIAL, store(dst, load(dst, [at - 1]) + step, [at]))]
    if exclusive and in_place:
        steps.append(_shift_right(dst, start, length, zero))
    segments = tirx.floordiv(N + (segment - 1), segment)
    return tirx.For(s, 0, segments, tirx.ForKind.PARALLEL, tirx.SeqStmt(steps))


def _shift_right(dst, start, length, zero):
    """dst[start + 1 ..] = dst[start ..], dst[start] = 0: an inclusive scan made exclusive in place."""
    from tvm import tirx

    k = tirx.Var("k", "int32")
    at = start + length - 1 - k  # from the end, so nothing is read after it is overwritten
    move = tirx.For(k, 0, length - 1, tirx.ForKind.SERIAL,
                    tirx.BufferStore(dst, tirx.BufferLoad(dst, [at - 1]), [at]))
    return tirx.SeqStmt([move, tirx.BufferStore(dst, zero, [start])])
