"""The GEMM template: C = A · B, row-major, with the size order guessed from the names."""

from __future__ import annotations

from .common import FLOATS, Built, Candidate, flat_input, orders, prim_func, size_vars
from .cues import Cues


# --- GEMM: C[i*N + j] = sum_k A[i*K + k] * B[k*N + j] ------------------------------------

def propose_gemm(cues: Cues) -> list[Candidate]:
    if cues.returns or len(cues.inputs) != 2 or len(cues.outputs) != 1 or len(cues.sizes) not in (1, 3):
        return []
    a, b = cues.inputs
    c = cues.outputs[0]
    if not (a.dtype == b.dtype == c.dtype and a.dtype in FLOATS):
        return []
    score = 2 + 2 * int(cues.shared) + int(cues.barrier) - 2 * int(bool(cues.atomics))
    names = cues.size_names()
    if len(names) == 1:
        size_orders = [(names[0],) * 3]
    else:
        size_orders = orders(names, [r"m|rows?|n?_?rows", r"n|cols?|n?_?cols", r"k|inner|depth"])
    found = []
    for rank, (m, n, k) in enumerate(size_orders):
        words = f"{c.name} ({m}x{n}) = {a.name} ({m}x{k}) · {b.name} ({k}x{n}), row-major"
        found.append(Candidate("gemm", words, score - min(rank, 1),
                               lambda m=m, n=n, k=k, words=words: _gemm_build(cues, m, n, k, words)))
    return found[:3]


def _gemm_build(cues: Cues, m: str, n: str, k: str, words: str) -> Built:
    from tvm import te

    sizes = size_vars(cues)
    a, b = (flat_input(p) for p in cues.inputs)
    c = cues.outputs[0]
    M, N, K = sizes[m], sizes[n], sizes[k]
    r = te.reduce_axis((0, K), name="p")
    out = te.compute((M, N), lambda i, j: te.sum(a[i * K + r] * b[r * N + j], axis=r), name=f"{c.name}_out")
    layout = {"A": a.name, "B": b.name, "C": c.name, "m": m, "n": n, "k": k} if c.dtype == "float32" else None
    return Built(prim_func([a, b], [out], sizes), {a.name: a.name, b.name: b.name, out.name: c.name},
                 list(sizes), [out.name], words, gemm=layout)
