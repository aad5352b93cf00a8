"""The histogram template: one serial pass over the keys, each added to its bin (a TIR-level
`te.extern` stage)."""

from __future__ import annotations

from .common import Built, Candidate, flat_input, orders, prim_func, size_vars
from .cues import Cues


# --- histogram: hist[b] (+)= #{i < n : bin(data[i]) == b}, b < nbins -----------------------

def propose_histogram(cues: Cues) -> list[Candidate]:
    if cues.returns or len(cues.inputs) != 1 or len(cues.outputs) != 1 or len(cues.sizes) != 2:
        return []
    data, hist = cues.inputs[0], cues.outputs[0]
    if not (data.dtype.startswith(("int", "uint")) and hist.dtype.startswith(("int", "uint"))):
        return []
    score = 2 + 2 * int("Add" in cues.atomics) + int(cues.shared)
    accumulate_first = hist.name in cues.copied_in
    found = []
    size_orders = orders(cues.size_names(), [r"n|size|len|count|num\w*", r"\w*bins?\w*|buckets?|k"])
    for rank, (n, nbins) in enumerate(size_orders):
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

    sizes = size_vars(cues)
    data = flat_input(cues.inputs[0])
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
    func = prim_func(inputs, [out], sizes)
    decisions = [f"{out.name}: one serial pass over {data.name}, each element added to its bin"]
    return Built(func, buffers, list(sizes), [], words, lambda f: (tvm.IRModule({"main": f}), decisions))
