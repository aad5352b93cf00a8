"""The operator templates: each proposes TE workloads for an entry whose signature fits.

A template's `propose(cues)` returns candidates, each a scored guess at what the
kernel computes (which parameter is which size, overwrite or accumulate); `build()`
makes the TE workload.  A guess is only kept when the emitted C++ verifies against
the .cu, so proposing a wrong variant costs time, never correctness.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Callable

from .cues import Cues
from .scheduling import SUM_CHUNK, SUM_LANES, parallel_scalar_sum

FLOATS = ("float32", "float64")


@dataclass
class Built:
    func: object  # tvm PrimFunc
    buffers: dict  # PrimFunc buffer name -> C name (a host pointer, or RESULT for the returned value)
    scalars: list  # host scalar parameter names, in PrimFunc order
    blocks: list  # TE stage names, in the order the default schedule visits them
    formula: str  # what the workload computes, in words (the header comment)
    schedule: Callable | None = None  # func -> (scheduled module, decisions); None: the default CPU schedule
    gemm: dict | None = None  # float32 GEMM in speed.gemm_layout's form (the OpenBLAS baseline of the timing)


@dataclass
class Candidate:
    template: str
    variant: str  # the guess, in words
    score: int
    build: Callable[[], Built] = field(repr=False)


TEMPLATES = ("gemm", "sum_reduction", "row_softmax", "histogram")  # the library, in words and in order
RESULT = "tv_result"  # the C name of the one-element buffer an entry's return value is computed into


def propose_all(cues: Cues) -> list[Candidate]:
    """Every candidate of every template, best first (stable within equal scores)."""
    found = []
    for propose in (_gemm, _sum_reduction, _row_softmax, _histogram):
        found.extend(propose(cues))
    return sorted(found, key=lambda c: -c.score)



# --- helpers -------------------------------------------------------------------------------

def _size_vars(cues: Cues):
    from tvm import tirx

    return {p.name: tirx.Var(p.name, "int32") for p in cues.sizes}


def _flat_input(param):
    from tvm import te, tirx

    return te.placeholder((tirx.Var(f"{param.name}_len", "int32"),), param.dtype, name=param.name)


def _func(inputs: list, outputs: list, sizes: dict):
    from tvm import te

    return te.create_prim_func(list(inputs) + list(outputs) + list(sizes.values()))


def _named(names: list[str], pattern: str) -> list[str]:
    return [n for n in names if re.fullmatch(pattern, n, re.IGNORECASE)]


def _orders(names: list[str], hints: list[str]) -> list[tuple]:
    """Orderings of size parameters: the one the names suggest first (each hint a regex), then the rest."""
    hinted = []
    picked: list[str] = []
    for pattern in hints:
        match = [n for n in _named(names, pattern) if n not in picked]
        if not match:
            break
        picked.append(match[0])
    else:
        hinted.append(tuple(picked))
    rest = [p for p in itertools.permutations(names, len(hints)) if p not in hinted]
    return hinted + rest


def _structure(cues: Cues) -> int:
    """How strongly the kernel looks block-level (shared arrays, barriers, atomics, shuffles)."""
    return int(cues.shared) + int(cues.barrier) + int(bool(cues.atomics)) + int(cues.warp)


# --- GEMM: C[i*N + j] = sum_k A[i*K + k] * B[k*N + j] ------------------------------------

def _gemm(cues: Cues) -> list[Candidate]:
    if cues.returns or len(cues.inputs) != 2 or len(cues.outputs) != 1 or len(cues.sizes) not in (1, 3):
        return []
    a, b = cues.inputs
    c = cues.outputs[0]
    if not (a.dtype == b.dtype == c.dtype and a.dtype in FLOATS):
        return []
    score = 2 + 2 * int(cues.shared) + int(cues.barrier) - 2 * int(bool(cues.atomics))
    names = cues.size_names()
    if len(names) == 1:
        orders = [(names[0],) * 3]
    else:
        orders = _orders(names, [r"m|rows?|n?_?rows", r"n|cols?|n?_?cols", r"k|inner|depth"])
    found = []
    for rank, (m, n, k) in enumerate(orders):
        words = f"{c.name} ({m}x{n}) = {a.name} ({m}x{k}) · {b.name} ({k}x{n}), row-major"
        found.append(Candidate("gemm", words, score - min(rank, 1),
                               lambda m=m, n=n, k=k, words=words: _gemm_build(cues, m, n, k, words)))
    return found[:3]


def _gemm_build(cues: Cues, m: str, n: str, k: str, words: str) -> Built:
    from tvm import te

    sizes = _size_vars(cues)
    a, b = (_flat_input(p) for p in cues.inputs)
    c = cues.outputs[0]
    M, N, K = sizes[m], sizes[n], sizes[k]
    r = te.reduce_axis((0, K), name="p")
    out = te.compute((M, N), lambda i, j: te.sum(a[i * K + r] * b[r * N + j], axis=r), name=f"{c.name}_out")
    layout = {"A": a.name, "B": b.name, "C": c.name, "m": m, "n": n, "k": k} if c.dtype == "float32" else None
    return Built(_func([a, b], [out], sizes), {a.name: a.name, b.name: b.name, out.name: c.name},
                 list(sizes), [out.name], words, gemm=layout)


# --- sum reduction: out = sum_i x[i] (or x[i]*y[i]) into a scalar ------------------------

def _sum_reduction(cues: Cues) -> list[Candidate]:
    if len(cues.inputs) not in (1, 2) or not cues.sizes:
        return []
    if cues.returns:
        if cues.outputs:
            return []
        target, dtype = RESULT, cues.returns
    else:
        if len(cues.outputs) != 1:
            return []
        target, dtype = cues.outputs[0].name, cues.outputs[0].dtype
        if cues.shapes.get(target, "1") != "1":
            return []  # the result array has more than one element
    if any(p.dtype != cues.inputs[0].dtype for p in cues.inputs) or cues.inputs[0].dtype not in FLOATS + ("int32",):
        return []
    # A scalar result reads one size; more sizes, or an integer `%`, point at another algorithm.
    score = (2 + 2 * int("Add" in cues.atomics) + int(cues.shared or cues.warp) - 2 * int(bool(cues.calls & _EXPS))
             - (len(cues.sizes) - 1) - int(cues.modulo))
    accumulate_first = target != RESULT and target in cues.copied_in
    found = []
    for rank, (n,) in enumerate(_orders(cues.size_names(), [r"n|size|len|count|num\w*"])):
        for accumulate in ((True, False) if accumulate_first else (False, True)) if target != RESULT else (False,):
            names = " · ".join(f"{p.name}[i]" for p in cues.inputs)
            where = "the return value" if target == RESULT else f"{target}[0]"
            words = f"{where} {'+=' if accumulate else '='} sum over i < {n} of {names}"
            found.append(Candidate("sum_reduction", words, score - min(rank, 1) - int(accumulate != accumulate_first),
                                   lambda n=n, acc=accumulate, words=words: _sum_build(cues, n, acc, target, dtype,
                                                                                       words)))
    return found[:2]


_EXPS = {"expf", "exp", "__expf"}


def _sum_build(cues: Cues, n: str, accumulate: bool, target: str, dtype: str, words: str) -> Built:
    """Partial sums over whole chunks (no bounds guard in their loops, so they run in parallel at
    full speed), the tail after the last whole chunk, then partials and tail added in order."""
    from tvm import te, tirx

    sizes = _size_vars(cues)
    inputs = [_flat_input(p) for p in cues.inputs]
    count = tirx.max(sizes[n], 0)
    chunks = tirx.floordiv(count, SUM_CHUNK)

    def term(i):
        value = inputs[0][i]
        for other in inputs[1:]:
            value = value * other[i]
        return value

    # SUM_LANES interleaved partial sums per chunk: lane l adds elements l, l + SUM_LANES, ... so
    # the innermost loop is element-wise over lanes (a simd loop) rather than a scalar sum.
    j = te.reduce_axis((0, SUM_CHUNK // SUM_LANES), name="j")
    partial = te.compute((chunks, SUM_LANES), lambda c, lane: te.sum(term(c * SUM_CHUNK + j * SUM_LANES + lane),
                                                                     axis=j), name="partial")
    # Zero-based (MetaSchedule tunes only loops that start at 0), offset to the first tail element.
    t = te.reduce_axis((0, count - chunks * SUM_CHUNK), name="t")
    tail = te.compute((1,), lambda _: te.sum(term(chunks * SUM_CHUNK + t), axis=t), name="tail")
    q = te.reduce_axis((0, chunks), name="q")
    lane_q = te.reduce_axis((0, SUM_LANES), name="lane")
    total = te.compute((1,), lambda _: te.sum(partial[q, lane_q], axis=[q, lane_q]), name="total")
    buffers = {p.name: p.name for p in inputs}
    if accumulate:
        old = te.placeholder((1,), dtype, name=target)
        inputs.append(old)
        buffers[old.name] = target
        out = te.compute((1,), lambda z: old[z] + tirx.Cast(dtype, total[z] + tail[z]), name=f"{target}_out")
    else:
        out = te.compute((1,), lambda z: tirx.Cast(dtype, total[z] + tail[z]), name=f"{target}_out")
    buffers[out.name] = target
    return Built(_func(inputs, [out], sizes), buffers, list(sizes), ["partial", "tail", "total", out.name], words,
                 lambda func: parallel_scalar_sum(func, "partial", ["tail", "total"], out.name))


# --- row softmax: y[r, c] = exp(x[r, c] - max_c x[r, :]) / sum_c exp(x[r, c] - max) ---------

def _row_softmax(cues: Cues) -> list[Candidate]:
    if cues.returns or len(cues.inputs) != 1 or len(cues.outputs) != 1 or len(cues.sizes) != 2:
        return []
    x, y = cues.inputs[0], cues.outputs[0]
    if not (x.dtype == y.dtype and x.dtype in FLOATS):
        return []
    score = 2 + 2 * int(bool(cues.calls & _EXPS)) + int(cues.shared) - 2 * int(bool(cues.atomics))
    found = []
    for rank, (rows, cols) in enumerate(_orders(cues.size_names(), [r"rows?|m|n_?rows|batch", r"cols?|n|n_?cols|dim"])):
        words = f"{y.name}[r, c] = softmax over c < {cols} of {x.name}[r, c], r < {rows}, row-major"
        found.append(Candidate("row_softmax", words, score - min(rank, 1),
                               lambda rows=rows, cols=cols, words=words: _softmax_build(cues, rows, cols, words)))
    return found


def _softmax_build(cues: Cues, rows: str, cols: str, words: str) -> Built:
    from tvm import te, tirx

    sizes = _size_vars(cues)
    x = _flat_input(cues.inputs[0])
    y = cues.outputs[0]
    R, C = sizes[rows], sizes[cols]
    fmax = te.comm_reducer(lambda a, b: tirx.max(a, b), lambda t: tirx.const(-float("inf"), t), name="max_inf")
    c1 = te.reduce_axis((0, C), name="c")
    row_max = te.compute((R,), lambda r: fmax(x[r * C + c1], axis=c1), name="row_max")
    c2 = te.reduce_axis((0, C), name="c")
    row_sum = te.compute((R,), lambda r: te.sum(tirx.exp(x[r * C + c2] - row_max[r]), axis=c2), name="row_sum")
    out = te.compute((R, C), lambda r, c: tirx.exp(x[r * C + c] - row_max[r]) / row_sum[r], name=f"{y.name}_out")
    return Built(_func([x], [out], sizes), {x.name: x.name, out.name: y.name}, list(sizes),
                 ["row_max", "row_sum", out.name], words)


# --- histogram: hist[b] (+)= #{i < n : bin(data[i]) == b}, b < nbins -----------------------

def _histogram(cues: Cues) -> list[Candidate]:
    if cues.returns or len(cues.inputs) != 1 or len(cues.outputs) != 1 or len(cues.sizes) != 2:
        return []
    data, hist = cues.inputs[0], cues.outputs[0]
    if not (data.dtype.startswith(("int", "uint")) and hist.dtype.startswith(("int", "uint"))):
        return []
    score = 2 + 2 * int("Add" in cues.atomics) + int(cues.shared)
    accumulate_first = hist.name in cues.copied_in
    found = []
    orders = _orders(cues.size_names(), [r"n|size|len|count|num\w*", r"\w*bins?\w*|buckets?|k"])
    for rank, (n, nbins) in enumerate(orders):
        for modulo in ((True, False) if cues.modulo else (False, True)):
            for accumulate in (accumulate_first, not accumulate_first):
                key = f"{data.name}[i] % {nbins}" if modulo else f"{data.name}[i]"
                words = (f"{hist.name}[b] {'+=' if accumulate else '='} count of i < {n} with {key} == b, "
                         f"b < {nbins}")
                penalty = min(rank, 1) + int(modulo != cues.modulo) + int(accumulate != accumulate_first)
                found.append(Candidate("histogram", words, score - penalty,
                                       lambda n=n, nb=nbins, m=modulo, a=accumulate, words=words:
                                       _histogram_build(cues, n, nb, m, a, words)))
    return sorted(found, key=lambda c: -c.score)[:3]


def _histogram_build(cues: Cues, n: str, nbins: str, modulo: bool, accumulate: bool, words: str) -> Built:
    """One pass over the data scattering into the bins: a TIR-level extern stage of TE (a te.sum
    over a one-hot compare would cost n x nbins)."""
    import tvm
    from tvm import te, tirx

    sizes = _size_vars(cues)
    data = _flat_input(cues.inputs[0])
    hist = cues.outputs[0]
    N, B = sizes[n], sizes[nbins]
    inputs, buffers = [data], {data.name: data.name}
    if accumulate:
        inputs.append(te.placeholder((tirx.Var(f"{hist.name}_len", "int32"),), hist.dtype, name=hist.name))
        buffers[hist.name] = hist.name
    in_buffers = [tirx.decl_buffer(t.shape, t.dtype, name=t.name) for t in inputs]
    out_buffer = tirx.decl_buffer((B,), hist.dtype, name=f"{hist.name}_out")

    def scatter(ins, outs):
        values, out = ins[0], outs[0]
        b, i = tirx.Var("b", "int32"), tirx.Var("i", "int32")
        # Accumulating, the output is the input's array (one host pointer): no copy to start from.
        init = None if accumulate else tirx.For(b, 0, B, tirx.ForKind.SERIAL,
                                                tirx.BufferStore(out, tirx.const(0, hist.dtype), [b]))
        key = tirx.BufferLoad(values, [i])
        if modulo:
            key = tirx.truncmod(key, tirx.Cast(data.dtype, B))
        key = tirx.Cast("int32", key) if data.dtype != "int32" else key
        inside = tirx.And(key >= 0, key < B)  # keys outside [0, nbins) count nowhere
        if modulo:
            inside = tirx.And(B > 0, inside)  # no `% 0`
        bump = tirx.BufferStore(out, tirx.BufferLoad(out, [key]) + tirx.const(1, hist.dtype), [key])
        count = tirx.For(i, 0, N, tirx.ForKind.SERIAL, tirx.IfThenElse(inside, bump, None))
        return tirx.SeqStmt([init, count]) if init is not None else count

    out = te.extern((B,), inputs, scatter, name=f"{hist.name}_out", dtype=hist.dtype, in_buffers=in_buffers,
                    out_buffers=[out_buffer])
    buffers[out.name] = hist.name
    func = _func(inputs, [out], sizes)
    decisions = [f"{out.name}: one serial pass over {data.name}, each element added to its bin"]
    return Built(func, buffers, list(sizes), [], words, lambda f: (tvm.IRModule({"main": f}), decisions))
