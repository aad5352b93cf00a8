"""The 2-D pooling template: the maximum or the mean of each K x K window of a row-major H x W
array, windows S apart (valid-only: (H-K)/S + 1 rows of (W-K)/S + 1 outputs).

The window and the stride come from size parameters (`k`, `window`, `pool`; `stride`, `s`) or
macros (`#define POOL 2`, `#define STRIDE 2`); a stride not given is the window.  With neither,
2 x 2 windows at stride 2 are guessed.  Which of max and mean is tried first follows the calls
(`fmaxf`, `max`).
"""

from __future__ import annotations

import re

from .common import EXPS, FLOATS, Built, Candidate, flat_input, named, orders, prim_func, size_vars
from .convolution import MAX_TAPS, constant_value, window_schedule
from .cues import Cues

_WINDOW = r"k|ks|ksize|kh|kw|window\w*|pool\w*|win|kernel_?\w*|filter_?\w*"
_STRIDE = r"s|stride\w*|step"
_MACRO_WINDOW = r"\w*(POOL|WINDOW|KSIZE|KERNEL_SIZE|FILTER_SIZE)\w*"
_MACRO_STRIDE = r"\w*STRIDE\w*"
_HEIGHT = r"h|height|rows?|n_?rows|ny|in_?h|image_?h|img_?h"
_WIDTH = r"w|width|cols?|n_?cols|nx|in_?w|image_?w|img_?w"
_MAXES = {"fmaxf", "fmax", "max", "std::max", "__hmax"}


def propose_pool2d(cues: Cues) -> list[Candidate]:
    if cues.returns or len(cues.inputs) != 1 or len(cues.outputs) != 1 or cues.others or cues.constants:
        return []
    x, y = cues.inputs[0], cues.outputs[0]
    if not (x.dtype == y.dtype and x.dtype in FLOATS):
        return []
    sizes = cues.size_names()
    window = named(sizes, _WINDOW)[:1]
    stride = named([n for n in sizes if n not in window], _STRIDE)[:1]
    image = [n for n in sizes if n not in window + stride]
    extent_x, extent_y = cues.shapes.get(x.name), cues.shapes.get(y.name)
    if len(image) != 2 or not extent_x or extent_x == extent_y or \
            any(not re.search(rf"\b{n}\b", extent_x) for n in image):
        return []  # pooling reads an H x W image and writes fewer outputs
    if window:
        spans = [(window[0], stride[0] if stride else window[0])]
    else:
        k = _macro(cues, _MACRO_WINDOW)
        s = stride[0] if stride else _macro(cues, _MACRO_STRIDE)
        spans = [(k, s or k)] if k else [(2, s or 2)]
    score = (7 + int(cues.shared) + int(cues.barrier) - 2 * int(bool(cues.atomics))
             - 2 * int(bool(cues.calls & EXPS)))
    kinds = ["max", "mean"] if cues.calls & _MAXES else ["mean", "max"]
    found = []
    for kind_rank, kind in enumerate(kinds):
        for order_rank, (h, w) in enumerate(orders(image, [_HEIGHT, _WIDTH])[:2]):
            for k, s in spans:
                words = (f"{y.name}[i, j] = {kind} over a < {k}, b < {k} of {x.name}[i·{s}+a, j·{s}+b], "
                         f"{x.name} {h}x{w}, row-major, valid windows only")
                found.append(Candidate("pool2d", words, score - kind_rank - min(order_rank, 1),
                                       lambda kind=kind, h=h, w=w, k=k, s=s, words=words:
                                       _build(cues, kind, h, w, k, s, words)))
    return found


def _macro(cues: Cues, pattern: str) -> int | None:
    for name, value in cues.defines.items():
        number = constant_value(value, cues.defines) if re.fullmatch(pattern, name) else None
        if number is not None and 0 < number <= MAX_TAPS:
            return number
    return None


def _build(cues: Cues, kind: str, h: str, w: str, k, s, words: str) -> Built:
    from tvm import te, tirx

    sizes = size_vars(cues)
    x = flat_input(cues.inputs[0])
    y = cues.outputs[0]
    H, W = sizes[h], sizes[w]
    K = sizes[k] if isinstance(k, str) else k
    S = sizes[s] if isinstance(s, str) else s
    rows, cols = (H - K) // S + 1, (W - K) // S + 1
    a, b = te.reduce_axis((0, K), name="a"), te.reduce_axis((0, K), name="b")

    def at(i, j):
        return x[(i * S + a) * W + j * S + b]

    if kind == "max":
        out = te.compute((rows, cols), lambda i, j: te.max(at(i, j), axis=[a, b]), name=f"{y.name}_out")
        blocks = [out.op.name]
    else:
        total = te.compute((rows, cols), lambda i, j: te.sum(at(i, j), axis=[a, b]), name="window_sum")
        count = tirx.Cast(y.dtype, K * K)
        out = te.compute((rows, cols), lambda i, j: total[i, j] / count, name=f"{y.name}_out")
        blocks = [total.op.name, out.op.name]
    return Built(prim_func([x], [out], sizes), {x.name: x.name, out.name: y.name}, list(sizes), blocks, words,
                 schedule=lambda func: window_schedule(func, blocks))
