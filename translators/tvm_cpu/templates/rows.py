"""Normalisations along one axis of a row-major matrix, one block per row (or column) in CUDA:
softmax over rows or columns, layer norm, RMS norm."""

from __future__ import annotations

import re

from .common import EXPS, FLOATS, Built, Candidate, flat_input, orders, prim_func, size_vars
from .cues import Cues


# --- softmax along rows or columns: y[r, c] = exp(x[r, c] - max) / sum exp(x - max) ------------
# A row softmax (max and sum over c, one block per row in CUDA) is tried first; the column one
# (over r) ranks one below, since softmax kernels reduce along their rows more often.

_ORDER_HINTS = [r"rows?|m|n_?rows|batch", r"cols?|n|n_?cols|dim"]


def propose_row_softmax(cues: Cues) -> list[Candidate]:
    return _propose_softmax(cues, along_rows=True)


def propose_column_softmax(cues: Cues) -> list[Candidate]:
    return _propose_softmax(cues, along_rows=False)


def _propose_softmax(cues: Cues, along_rows: bool) -> list[Candidate]:
    if cues.returns or len(cues.inputs) != 1 or len(cues.outputs) != 1 or len(cues.sizes) != 2:
        return []
    x, y = cues.inputs[0], cues.outputs[0]
    if not (x.dtype == y.dtype and x.dtype in FLOATS) or not cues.calls & EXPS:
        return []  # no exponential, no softmax
    score = int(along_rows) + 1 + 2 * int(bool(cues.calls & EXPS)) + int(cues.shared) - 2 * int(bool(cues.atomics))
    template = "row_softmax" if along_rows else "column_softmax"
    found = []
    for rank, (rows, cols) in enumerate(orders(cues.size_names(), _ORDER_HINTS)):
        words = (f"{y.name}[r, c] = softmax over c < {cols} of {x.name}[r, c], r < {rows}, row-major" if along_rows
                 else f"{y.name}[r, c] = softmax over r < {rows} of {x.name}[r, c], c < {cols}, row-major")
        found.append(Candidate(template, words, score - min(rank, 1),
                               lambda rows=rows, cols=cols, words=words:
                               _softmax_build(cues, rows, cols, words, along_rows)))
    return found


def _softmax_build(cues: Cues, rows: str, cols: str, words: str, along_rows: bool) -> Built:
    from tvm import te, tirx

    sizes = size_vars(cues)
    x = flat_input(cues.inputs[0])
    y = cues.outputs[0]
    R, C = sizes[rows], sizes[cols]
    fmax = te.comm_reducer(lambda a, b: tirx.max(a, b), lambda t: tirx.const(-float("inf"), t), name="max_inf")
    # k indexes the kept axis (r for rows, c for columns); v the reduced one
    extent, kept = (C, R) if along_rows else (R, C)
    at = (lambda k, v: x[k * C + v]) if along_rows else (lambda k, v: x[v * C + k])
    prefix = "row" if along_rows else "col"
    v1 = te.reduce_axis((0, extent), name="c" if along_rows else "r")
    peak = te.compute((kept,), lambda k: fmax(at(k, v1), axis=v1), name=f"{prefix}_max")
    v2 = te.reduce_axis((0, extent), name="c" if along_rows else "r")
    total = te.compute((kept,), lambda k: te.sum(tirx.exp(at(k, v2) - peak[k]), axis=v2), name=f"{prefix}_sum")
    key = (lambda r, c: r) if along_rows else (lambda r, c: c)
    out = te.compute((R, C), lambda r, c: tirx.exp(x[r * C + c] - peak[key(r, c)]) / total[key(r, c)],
                     name=f"{y.name}_out")
    return Built(prim_func([x], [out], sizes), {x.name: x.name, out.name: y.name}, list(sizes),
                 [peak.op.name, total.op.name, out.name], words)


# --- layer norm: y[r, c] = (x[r, c] - mean_r) / sqrt(var_r + eps) (* gamma[c] + beta[c]) ----

_ROOTS = {"sqrtf", "sqrt", "rsqrtf", "rsqrt", "__fsqrt_rn", "__frsqrt_rn"}
_EPS_LITERALS = 3  # the smallest few small positive literals of the kernel are eps guesses


def _normalisation(cues: Cues, counts: tuple, outputs_of, base: int):
    """(x, what outputs_of(cues) says, eps guesses, score) when the entry looks like a normalisation
    along rows: `counts` (inputs, outputs) in number, one float type, at most one float scalar
    (eps) or else a small literal, a square root called; None otherwise."""
    inputs, outputs_allowed = counts
    if cues.returns or len(cues.inputs) not in inputs or len(cues.outputs) not in outputs_allowed \
            or len(cues.others) > 1:
        return None
    x = cues.inputs[0]
    outputs = outputs_of(cues)
    if outputs is None or not all(p.dtype == x.dtype for p in cues.inputs + cues.outputs) or x.dtype not in FLOATS:
        return None
    if cues.others and cues.others[0].dtype not in FLOATS:
        return None
    epsilons = [cues.others[0].name] if cues.others else _eps_literals(cues)
    if not epsilons or not cues.calls & _ROOTS:
        return None  # no eps, or no square root: not a normalisation
    score = (base + 2 * int(bool(cues.calls & _ROOTS)) + int(cues.shared or cues.warp)
             - 2 * int(bool(cues.atomics)) - 2 * int(bool(cues.calls & EXPS)))
    return x, outputs, epsilons, score


def propose_layer_norm(cues: Cues) -> list[Candidate]:
    signature = _normalisation(cues, ((1, 3), (1, 3)), _layer_norm_outputs, 2)
    if signature is None:
        return []
    x, (y, stats), epsilons, score = signature
    affine = len(cues.inputs) == 3

    def words(rows, cols, eps):
        scaled = f" · {cues.inputs[1].name}[c] + {cues.inputs[2].name}[c]" if affine else ""
        kept = "".join(f", {p.name}[r] = {'mean' if what == 'mean' else f'1 / sqrt(var + {eps})'}"
                       for what, p in stats.items())
        return (f"{y.name}[r, c] = ({x.name}[r, c] - mean) / sqrt(var + {eps}){scaled} over c < {cols}, "
                f"r < {'*'.join(rows)}, row-major{kept}")

    return _row_candidates("layer_norm", cues, affine, epsilons, score, words,
                           lambda rows, cols, eps, text: _layer_norm_build(cues, rows, cols, eps, y, stats, text))


def _row_candidates(template: str, cues: Cues, weighted: bool, epsilons: list, score: int, words_of, build_of):
    """The best three (row layout, eps guess) candidates of a normalisation, ranked by the layout's
    and the guess's rank; words_of(rows, cols, eps) says what each computes, build_of(rows, cols,
    eps, words) builds it."""
    found = []
    for rank, (rows, cols) in enumerate(_row_layouts(cues, weighted)):
        for guess, eps in enumerate(epsilons):
            text = words_of(rows, cols, eps)
            found.append(Candidate(template, text, score - min(rank, 1) - min(guess, 1),
                                   lambda rows=rows, cols=cols, eps=eps, text=text: build_of(rows, cols, eps, text)))
    return sorted(found, key=lambda c: -c.score)[:3]


def _layer_norm_outputs(cues: Cues):
    """(y, {"mean": param, "rstd": param}) — the normalised output and the per-row statistics a
    training kernel keeps for the backward pass — or None when the outputs are not these."""
    if len(cues.outputs) == 1:
        return cues.outputs[0], {}
    roles = {}
    for p in cues.outputs:
        if re.fullmatch(r"\w*(mean|mu|avg)\w*", p.name, re.IGNORECASE):
            roles.setdefault("mean", p)
        elif re.fullmatch(r"\w*(rstd|inv\w*|rsig\w*|istd)\w*", p.name, re.IGNORECASE):
            roles.setdefault("rstd", p)
        else:
            roles.setdefault("y", p)
    if len(roles) != 3:
        return None
    y = roles.pop("y")
    return y, {"mean": roles["mean"], "rstd": roles["rstd"]}


# --- RMS norm: y[r, c] = x[r, c] / sqrt(mean_c x[r, c]² + eps) (* weight[c]) ------------------
# Layer norm's signature without the mean; ranked one below layer norm, which is tried first.

def propose_rms_norm(cues: Cues) -> list[Candidate]:
    signature = _normalisation(cues, ((1, 2), (1, 2)), _rms_norm_outputs, 1)
    if signature is None:
        return []
    x, (y, rstd), epsilons, score = signature
    scaled = len(cues.inputs) == 2

    def words(rows, cols, eps):
        weight = f" · {cues.inputs[1].name}[c]" if scaled else ""
        kept = f", {rstd.name}[r] = 1 / sqrt(mean square + {eps})" if rstd is not None else ""
        return (f"{y.name}[r, c] = {x.name}[r, c] / sqrt(mean of {x.name}[r, c]² + {eps}){weight} over "
                f"c < {cols}, r < {'*'.join(rows)}, row-major{kept}")

    return _row_candidates("rms_norm", cues, scaled, epsilons, score, words,
                           lambda rows, cols, eps, text: _rms_norm_build(cues, rows, cols, eps, y, rstd, text))


def _rms_norm_outputs(cues: Cues):
    """(y, rstd param or None): one output, or two where one is named like a reciprocal root."""
    if len(cues.outputs) == 1:
        return cues.outputs[0], None
    kept = [p for p in cues.outputs if re.fullmatch(r"\w*(rstd|rms|inv\w*|rsig\w*|istd|scale)\w*", p.name, re.IGNORECASE)]
    if len(kept) != 1:
        return None
    return next(p for p in cues.outputs if p is not kept[0]), kept[0]


def _rms_norm_build(cues: Cues, rows: tuple, cols: str, eps: str, y, rstd_param, words: str) -> Built:
    from tvm import te, tirx

    sizes, inputs, R, C, epsilon, scalars = _row_operands(cues, rows, cols, eps)
    x = inputs[0]
    dtype = x.dtype
    count = tirx.Cast(dtype, C)
    c = te.reduce_axis((0, C), name="c")
    row_sq = te.compute((R,), lambda r: te.sum(x[r * C + c] * x[r * C + c], axis=c), name="row_sq")
    rstd = te.compute((R,), lambda r: tirx.rsqrt(tirx.Cast(dtype, row_sq[r] / count + epsilon)), name="row_rstd")
    if len(inputs) == 2:
        out = te.compute((R, C), lambda r, k: x[r * C + k] * rstd[r] * inputs[1][k], name=f"{y.name}_out")
    else:
        out = te.compute((R, C), lambda r, k: x[r * C + k] * rstd[r], name=f"{y.name}_out")
    buffers = {p.name: p.name for p in inputs}
    buffers[out.name] = y.name
    outs, blocks = [out], ["row_sq", "row_rstd", out.name]
    if rstd_param is not None:
        kept = te.compute((R,), lambda r: rstd[r], name=f"{rstd_param.name}_out")
        outs.append(kept)
        buffers[kept.name] = rstd_param.name
        blocks.append(kept.name)
    return Built(prim_func(inputs, outs, sizes, scalars), buffers, list(sizes) + [v.name for v in scalars],
                 blocks, words)


def _row_operands(cues: Cues, rows: tuple, cols: str, eps: str):
    """(sizes, flat inputs, row count R, column count C, eps, [eps Var] or []) of a normalisation;
    rows may be several sizes (B, T), multiplied."""
    sizes = size_vars(cues)
    inputs = [flat_input(p) for p in cues.inputs]
    R, C = sizes[rows[0]], sizes[cols]
    for name in rows[1:]:
        R = R * sizes[name]
    epsilon, scalars = _epsilon(cues, eps)
    return sizes, inputs, R, C, epsilon, scalars


def _epsilon(cues: Cues, eps: str):
    """(eps as a TIR value, [its Var] when it is the kernel's float parameter, else [])."""
    from tvm import tirx

    if cues.others:
        epsilon = tirx.Var(eps, cues.others[0].dtype)
        return epsilon, [epsilon]
    return tirx.const(float(eps.rstrip("fFlL")), "float64" if eps[-1] not in "fF" else "float32"), []


def _row_layouts(cues: Cues, affine: bool) -> list[tuple[tuple, str]]:
    """(row size names, column size name) guesses: two sizes in either order, or with three sizes
    (B, T, C) the column size from gamma's extent (else the last) and rows the product of the others."""
    names = cues.size_names()
    if len(names) == 2:
        hinted = orders(names, [r"rows?|m|n_?rows|batch|n|tokens?", r"cols?|n|n_?cols|dim|d|hidden|c"])
        return [((rows,), cols) for rows, cols in hinted[:2]]
    if len(names) != 3:
        return []
    gamma_extent = cues.shapes.get(cues.inputs[1].name) if affine else None
    cols = gamma_extent if gamma_extent in names else names[-1]
    return [(tuple(n for n in names if n != cols), cols)]


def _eps_literals(cues: Cues) -> list[str]:
    """Small positive floating literals of the kernel (1e-5f, 1e-6), smallest first, as written."""
    small = []
    for text in cues.float_literals:
        try:
            value = float(text.rstrip("fFlL"))
        except ValueError:
            continue
        if 0 < value < 1e-2 and text not in small:
            small.append(text)
    return sorted(small, key=lambda t: float(t.rstrip("fFlL")))[:_EPS_LITERALS]


def _layer_norm_build(cues: Cues, rows: tuple, cols: str, eps: str, y, stats: dict, words: str) -> Built:
    from tvm import te, tirx

    sizes, inputs, R, C, epsilon, scalars = _row_operands(cues, rows, cols, eps)
    x = inputs[0]
    dtype = x.dtype
    count = tirx.Cast(dtype, C)
    c1 = te.reduce_axis((0, C), name="c")
    row_sum = te.compute((R,), lambda r: te.sum(x[r * C + c1], axis=c1), name="row_sum")
    c2 = te.reduce_axis((0, C), name="c")
    row_sq = te.compute((R,), lambda r: te.sum((x[r * C + c2] - row_sum[r] / count) *
                                                (x[r * C + c2] - row_sum[r] / count), axis=c2), name="row_sq")
    rstd = te.compute((R,), lambda r: tirx.rsqrt(tirx.Cast(dtype, row_sq[r] / count + epsilon)), name="row_rstd")

    def norm(r, c):
        value = (x[r * C + c] - row_sum[r] / count) * rstd[r]
        if len(inputs) == 3:
            value = value * inputs[1][c] + inputs[2][c]
        return value

    out = te.compute((R, C), norm, name=f"{y.name}_out")
    buffers = {p.name: p.name for p in inputs}
    buffers[out.name] = y.name
    outs, blocks = [out], ["row_sum", "row_sq", "row_rstd", out.name]
    if stats:
        mean_out = te.compute((R,), lambda r: row_sum[r] / count, name=f"{stats['mean'].name}_out")
        rstd_out = te.compute((R,), lambda r: rstd[r], name=f"{stats['rstd'].name}_out")
        for stage, param in ((mean_out, stats["mean"]), (rstd_out, stats["rstd"])):
            outs.append(stage)
            buffers[stage.name] = param.name
            blocks.append(stage.name)
    return Built(prim_func(inputs, outs, sizes, scalars), buffers, list(sizes) + [v.name for v in scalars],
                 blocks, words)
