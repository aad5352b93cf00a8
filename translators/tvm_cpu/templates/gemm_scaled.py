"""The scaled GEMM template: C = alpha · A · B + beta · C (BLAS's sgemm/dgemm without transposes),
or C = alpha · A · B without beta, row-major, alpha and beta scalar parameters."""

from __future__ import annotations

from .common import FLOATS, Built, Candidate, flat_input, orders, prim_func, size_vars
from .cues import Cues


def propose_gemm_scaled(cues: Cues) -> list[Candidate]:
    if cues.returns or len(cues.inputs) != 2 or len(cues.outputs) != 1 or len(cues.sizes) not in (1, 3):
        return []
    if len(cues.others) not in (1, 2):
        return []
    a, b = cues.inputs
    c = cues.outputs[0]
    if not (a.dtype == b.dtype == c.dtype and a.dtype in FLOATS and all(p.dtype in FLOATS for p in cues.others)):
        return []
    scalars = [p.name for p in cues.others]
    if len(scalars) == 2:
        scalar_orders = orders(scalars, [r"alpha|a|scale", r"beta|b"])[:1]  # the names decide; else by position
    else:
        scalar_orders = [(scalars[0],)]
    score = 3 + 2 * int(cues.shared) + int(cues.barrier) - 2 * int(bool(cues.atomics))
    names = cues.size_names()
    if len(names) == 1:
        size_orders = [(names[0],) * 3]
    else:
        size_orders = orders(names, [r"m|rows?|n?_?rows", r"n|cols?|n?_?cols", r"k|inner|depth"])
    found = []
    for (scaling, *rest) in scalar_orders:
        beta = rest[0] if rest else None
        for rank, (m, n, k) in enumerate(size_orders[:2]):
            kept = f" + {beta} · {c.name}" if beta else ""
            words = f"{c.name} ({m}x{n}) = {scaling} · {a.name} ({m}x{k}) · {b.name} ({k}x{n}){kept}, row-major"
            found.append(Candidate("gemm_scaled", words, score - min(rank, 1),
                                   lambda m=m, n=n, k=k, al=scaling, be=beta, words=words:
                                   _build(cues, m, n, k, al, be, words)))
    return found


def _build(cues: Cues, m: str, n: str, k: str, alpha: str, beta: str | None, words: str) -> Built:
    from tvm import te, tirx

    sizes = size_vars(cues)
    a, b = (flat_input(p) for p in cues.inputs)
    c = cues.outputs[0]
    M, N, K = sizes[m], sizes[n], sizes[k]
    params = {p.name: tirx.Var(p.name, p.dtype) for p in cues.others}
    scale = tirx.Cast(c.dtype, params[alpha])
    r = te.reduce_axis((0, K), name="p")
    product = te.compute((M, N), lambda i, j: te.sum(a[i * K + r] * b[r * N + j], axis=r), name="product")
    inputs, buffers = [a, b], {a.name: a.name, b.name: b.name}
    if beta is not None:
        old = te.placeholder((tirx.Var(f"{c.name}_len", "int32"),), c.dtype, name=c.name)
        inputs.append(old)
        buffers[old.name] = c.name  # read and written through the one host pointer
        keep = tirx.Cast(c.dtype, params[beta])
        out = te.compute((M, N), lambda i, j: scale * product[i, j] + keep * old[i * N + j], name=f"{c.name}_out")
    else:
        out = te.compute((M, N), lambda i, j: scale * product[i, j], name=f"{c.name}_out")
    buffers[out.name] = c.name
    scalars = [params[p.name] for p in cues.others]
    return Built(prim_func(inputs, [out], sizes, scalars), buffers, list(sizes) + [v.name for v in scalars],
                 ["product", out.name], words)
