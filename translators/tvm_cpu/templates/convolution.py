"""Convolution templates: a row-major 1-D or 2-D array convolved with a small mask (a pointer
parameter, or a `__constant__` array filled from one or declared with its values), and the row
and column passes of a separable convolution (one launch each, or both in one entry).

    conv1d          y[i]    = Σ_a     x[i+a-r]      · w[a]
    conv2d          y[i, j] = Σ_{a,b} x[i+a-r, j+b-r] · w[a, b]
    conv_rows       y[i, j] = Σ_a     x[i, j+a-r]    · w[a]
    conv_columns    y[i, j] = Σ_a     x[i+a-r, j]    · w[a]
    conv_separable  the rows pass into a temporary, then the columns pass

Guessed per candidate: which sizes are the height and width, the border (zero padding, clamped
to the edge, or valid-only output of `n - 2r` elements per axis), and whether the mask is read
flipped (`w[2r-a]`, a true convolution as cuda-samples' `convolutionSeparable` writes it) or not
(a correlation).  The radius comes from a size parameter (`r`, `radius`; or the mask width `k`),
from the mask's length (a table's values, the verifier's extent of a mask parameter), or from a
macro (`#define KERNEL_RADIUS 8`, `#define MASK_WIDTH 5`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ....verify.cuda.extents import evaluate
from .common import FLOATS, EXPS, Built, Candidate, flat_input, named, orders, prim_func, size_vars
from .cues import Cues

_RADIUS = r"r|rad|radius|\w*_radius|half_?\w*"
_WIDTH = r"k|ks|ksize|kw|klen|taps|window|mask_?\w*|kernel_?\w*|filter_?\w*"
_MASK = r"w|wt|weights?|mask\w*|m|kernel\w*|filter\w*|taps|coeffs?|coef\w*|k|h|f|filt\w*|c_\w*|s_?(mask|filter|w)\w*"
_HEIGHT = r"h|height|rows?|n_?rows|ny|image_?h|img_?h|m"
_WIDTH_OF_IMAGE = r"w|width|cols?|n_?cols|nx|image_?w|img_?w|n"
_MACRO_RADIUS = r"\w*RADIUS\w*|R"
_MACRO_WIDTH = r"\w*(MASK|KERNEL|FILTER)_?(WIDTH|SIZE|LENGTH|DIM|W)|\w*TAPS"
_CLAMPS = {"min", "max", "clamp", "std::min", "std::max", "umin", "umax"}
_FLIPPED = re.compile(r"[\w)]\s*-\s*\(?\s*[a-z_]\w*\s*\)?")  # `R - j`, `(K - 1 - a) * K + ...`
BORDERS = ("zero", "clamp", "valid")
_BORDER_WORDS = {"zero": "zero outside", "clamp": "clamped to the edge", "valid": "valid-only output"}
MAX_TAPS = 1025  # taps per axis a constant radius may give (a larger macro is no mask a kernel stages)
_PROBE = 2  # a radius at which a mask extent tells a square mask (25) from a line (5)


@dataclass(frozen=True)
class Mask:
    name: str  # as the formula calls it
    param: object | None  # the host pointer parameter read for it
    table: tuple | None  # the values of a __constant__ table declared with them (ir.Const each)
    length: int | None  # element count, when a constant
    extent: str | None  # the verifier's element count of a mask parameter
    flipped: bool  # the kernels read it at `R - j`-like indices


@dataclass(frozen=True)
class Span:
    """The taps along one axis: 2r+1 of them for a radius parameter, k for a mask width parameter
    (reading from i - k/2 on), else a constant count."""
    by: str  # "radius" | "width" | "constant"
    value: object  # the parameter's name, or the tap count
    words: str  # the radius, in words ("2", "r", "k/2")

    def resolve(self, sizes: dict):
        """(tap count, offset) as TE expressions over the size variables."""
        if self.by == "radius":
            return 2 * sizes[self.value] + 1, sizes[self.value]
        if self.by == "width":
            return sizes[self.value], sizes[self.value] // 2
        return self.value, self.value // 2


def propose_conv1d(cues: Cues) -> list[Candidate]:
    return _propose(cues, dims=1)


def propose_conv2d(cues: Cues) -> list[Candidate]:
    return _propose(cues, dims=2)


def _propose(cues: Cues, dims: int) -> list[Candidate]:
    shape = _signature(cues)
    if shape is None:
        return []
    x, y, mask, radius_param, width_param, image = shape
    if len(image) != dims:
        return []
    score = (7 + int(cues.shared) + int(cues.barrier) + int(bool(cues.constants)) - 2 * int(bool(cues.atomics))
             - 2 * int(bool(cues.calls & EXPS)))
    if len(cues.kernels) > 2 or (len(cues.kernels) == 2 and dims == 1):
        return []
    if dims == 1:
        kinds = [("conv1d", 0)]
    elif len(cues.kernels) == 2:
        kinds = [("conv_separable", 0)]
    else:
        kinds = _two_d_kinds(cues, mask, radius_param, width_param)
    if not kinds:
        return []
    valid_first = x.name in cues.shapes and y.name in cues.shapes and cues.shapes[x.name] != cues.shapes[y.name]
    clamp_first = bool(cues.calls & _CLAMPS)
    borders = (["valid", "zero", "clamp"] if valid_first else
               ["clamp", "zero", "valid"] if clamp_first else ["zero", "clamp", "valid"])
    flips = [mask.flipped, not mask.flipped]
    size_orders = ([(image[0],)] if dims == 1 else
                   orders(image, [_HEIGHT, _WIDTH_OF_IMAGE])[:2])
    found = []
    for kind, kind_rank in kinds:
        span = _span(cues, mask, radius_param, width_param, square=kind == "conv2d")
        if span is None:
            continue
        for order_rank, order in enumerate(size_orders):
            for border_rank, border in enumerate(borders):
                if border == "valid" and kind not in ("conv1d", "conv2d"):
                    continue
                for flip_rank, flipped in enumerate(flips):
                    if mask.table is not None and flip_rank and _symmetric(mask.table):
                        continue  # a symmetric table reads the same flipped
                    words = _words(kind, x, y, mask, span, order, border, flipped)
                    penalty = kind_rank + min(order_rank, 1) + border_rank + flip_rank
                    found.append(Candidate(kind, words, score - penalty,
                                           lambda kind=kind, span=span, order=order, border=border, flipped=flipped,
                                           words=words: _build(cues, x, y, mask, kind, span, order, border,
                                                               flipped, words)))
    return sorted(found, key=lambda c: -c.score)[:4]


def _signature(cues: Cues):
    """(x, y, mask, radius parameter, mask width parameter, image sizes) or None: one float type,
    one output, the data and a mask (a second input or a __constant__ array the kernels read)."""
    if cues.returns or len(cues.outputs) != 1 or cues.others or len(cues.inputs) not in (1, 2):
        return None
    y = cues.outputs[0]
    if y.dtype not in FLOATS or any(p.dtype != y.dtype for p in cues.inputs):
        return None
    if any(not isinstance(c, str) and not hasattr(c, "values") for c in cues.constants.values()):
        return None  # a __constant__ array whose contents are unknown
    filled_from = {c for c in cues.constants.values() if isinstance(c, str)}
    tables = [c for c in cues.constants.values() if hasattr(c, "values")]
    flipped = any(_FLIPPED.search(index) for name in cues.subscripts
                  if name in cues.constants or re.fullmatch(_MASK, name, re.IGNORECASE)
                  for index in cues.subscripts[name])
    if len(cues.inputs) == 1:
        if len(tables) != 1 or filled_from:
            return None
        table = tables[0]
        if table.dtype != y.dtype:
            return None
        x = cues.inputs[0]
        mask = Mask(table.name, None, tuple(table.values), len(table.values), None, flipped)
    else:
        if tables:
            return None
        ranked = sorted(cues.inputs, key=lambda p: -_maskness(p, y, cues, filled_from))
        if _maskness(ranked[0], y, cues, filled_from) == _maskness(ranked[1], y, cues, filled_from):
            return None  # nothing tells the mask from the data
        mask_param, x = ranked
        extent = cues.shapes.get(mask_param.name)
        length = constant_value(extent, cues.defines) if extent else None
        mask = Mask(mask_param.name, mask_param, None, length, extent, flipped)
    sizes = cues.size_names()
    radius = named(sizes, _RADIUS)[:1]
    width = [] if radius else named(sizes, _WIDTH)[:1]
    image = [n for n in sizes if n not in radius + width]
    if not image or any(not re.search(rf"\b{n}\b", cues.shapes.get(x.name) or "") for n in image):
        return None  # the data's extent is over the image sizes
    return x, y, mask, (radius or [None])[0], (width or [None])[0], image


def _maskness(param, y, cues: Cues, filled_from: set) -> int:
    extent = cues.shapes.get(param.name)
    return (4 * int(param.name in filled_from) + 2 * int(bool(re.fullmatch(_MASK, param.name, re.IGNORECASE)))
            + int(extent is not None and extent != cues.shapes.get(y.name)))


def _two_d_kinds(cues: Cues, mask: Mask, radius_param, width_param) -> list[tuple[str, int]]:
    """Which single-launch 2-D forms the mask's length allows, ranked by the kernel's name."""
    length = mask.length
    square = length is None or math.isqrt(length) ** 2 == length
    line = length is None or length % 2 == 1
    if length is None and mask.extent and (radius_param or width_param):
        # The mask's extent at a radius of 2 (a width of 5): 25 for a square mask, 5 for a line.
        try:
            probe = _PROBE if radius_param else 2 * _PROBE + 1
            probed = evaluate(_expand(mask.extent, cues.defines), {radius_param or width_param: probe})
            square, line = probed == (2 * _PROBE + 1) ** 2, probed == 2 * _PROBE + 1
        except Exception:  # noqa: BLE001 - an extent over other parameters: every form stays possible
            pass
    name = " ".join(cues.kernels).lower()
    kinds = []
    if square:
        kinds.append("conv2d")
    if line:
        kinds += ["conv_columns", "conv_rows"] if "col" in name else ["conv_rows", "conv_columns"]
    if "row" not in name and "col" not in name:
        return [(k, rank) for rank, k in enumerate(kinds)]
    passes_first = [k for k in kinds if k != "conv2d"] + [k for k in kinds if k == "conv2d"]
    return [(k, rank) for rank, k in enumerate(passes_first)]


def _span(cues: Cues, mask: Mask, radius_param, width_param, square: bool) -> Span | None:
    if radius_param:
        return Span("radius", radius_param, radius_param)
    if width_param:
        return Span("width", width_param, f"{width_param}/2")
    width = None
    if mask.length is not None:
        width = math.isqrt(mask.length) if square else mask.length
        if square and width * width != mask.length:
            return None
    else:
        for macro, value in cues.defines.items():
            if re.fullmatch(_MACRO_RADIUS, macro) and (radius := constant_value(value, cues.defines)) is not None:
                width = 2 * radius + 1
                break
        else:
            for macro, value in cues.defines.items():
                if re.fullmatch(_MACRO_WIDTH, macro):
                    width = constant_value(value, cues.defines)
                    break
    if not width or not 1 <= width <= MAX_TAPS:
        return None
    return Span("constant", width, str(width // 2))


def _symmetric(table: tuple) -> bool:
    """The same read flipped: a line reversed, or a square mask turned by half a turn (both the
    flat list reversed)."""
    values = [c.value for c in table]
    return values == values[::-1]


def _expand(expr: str, defines: dict, depth: int = 4) -> str:
    for _ in range(depth):
        expanded = re.sub(r"[A-Za-z_]\w*", lambda m: f"({defines[m.group(0)]})" if m.group(0) in defines
                          else m.group(0), expr)
        if expanded == expr:
            break
        if len(expanded) > 2000:
            return expanded
        expr = expanded
    return expr


def constant_value(expr: str | None, defines: dict) -> int | None:
    """The value of an integer expression over literals and macros; None if it has other names."""
    if not expr:
        return None
    expanded = _expand(expr, defines)
    if "**" in expanded or len(expanded) > 2000:  # not C integer arithmetic, or a macro blown up
        return None
    try:
        return int(evaluate(expanded, {}))
    except Exception:  # noqa: BLE001 - a parameter in it, or not integer arithmetic
        return None


def _words(kind: str, x, y, mask: Mask, span: Span, order: tuple, border: str, flipped: bool) -> str:
    r = span.words
    last = {"constant": str(span.value - 1) if span.by == "constant" else "", "radius": f"2*{r}",
            "width": f"{span.value}-1"}[span.by]
    tap, tap_b = (f"{last}-a", f"{last}-b") if flipped else ("a", "b")
    where = _BORDER_WORDS[border]
    shift = "" if border == "valid" else f"-{r}"
    fewer = f"-{last}" if border == "valid" else ""  # valid-only: 2r fewer outputs along each axis
    if kind == "conv1d":
        (n,) = order
        return f"{y.name}[i] = Σ_a {x.name}[i+a{shift}] · {mask.name}[{tap}], {where}, i < {n}{fewer}"
    h, w = order
    if kind == "conv2d":
        return (f"{y.name}[i, j] = Σ_a,b {x.name}[i+a{shift}, j+b{shift}] · {mask.name}[{tap}, {tap_b}], {where}, "
                f"i < {h}{fewer}, j < {w}{fewer}, row-major")
    if kind == "conv_rows":
        return f"{y.name}[i, j] = Σ_a {x.name}[i, j+a-{r}] · {mask.name}[{tap}], {where}, i < {h}, j < {w}, row-major"
    if kind == "conv_columns":
        return f"{y.name}[i, j] = Σ_a {x.name}[i+a-{r}, j] · {mask.name}[{tap}], {where}, i < {h}, j < {w}, row-major"
    return (f"{y.name} = the columns pass of the rows pass of {x.name}, each Σ_a ·[..+a-{r}] · {mask.name}[{tap}], "
            f"{where}, {h} rows of {w}, row-major")


def _build(cues: Cues, x, y, mask: Mask, kind: str, span: Span, order: tuple, border: str, flipped: bool,
           words: str) -> Built:
    from tvm import te, tirx

    sizes = size_vars(cues)
    data = flat_input(x)
    inputs, buffers, blocks = [data], {data.name: data.name}, []
    if mask.param is not None:
        weights = flat_input(mask.param)
        inputs.append(weights)
        buffers[weights.name] = weights.name
    else:
        # The table as a small stage of its literal values (a select chain over the index).
        values = mask.table

        def entry(k):
            chosen = tirx.const(values[-1].value, y.dtype)
            for index in range(len(values) - 2, -1, -1):
                chosen = tirx.Select(k == index, tirx.const(values[index].value, y.dtype), chosen)
            return chosen

        weights = te.compute((len(values),), entry, name=f"{mask.name}_table")
        blocks.append(weights.op.name)
    S, off = span.resolve(sizes)
    tap = (lambda a: S - 1 - a) if flipped else (lambda a: a)
    zero = tirx.const(0, y.dtype)

    def clamp(v, extent):
        return tirx.max(tirx.min(v, extent - 1), 0)

    def reader(load, H, W, along_rows=True):
        """At (r, c) of an H x W image (H None: 1-D): zero outside, clamped, or plain (valid-only).
        along_rows False: the border along the columns only (r is always inside)."""
        def at(r, c):
            if border == "clamp":
                return load(clamp(r, H) if H is not None and along_rows else r, clamp(c, W))
            if border == "zero":
                inside = tirx.all(c >= 0, c < W) if H is None or not along_rows else \
                    tirx.all(r >= 0, r < H, c >= 0, c < W)
                return tirx.if_then_else(inside, load(r, c), zero)
            return load(r, c)
        return at

    def row_border(load, H):
        """A whole row inside or out: the test is the same for every pixel of the row (C++
        compilers take it out of the loop along the row)."""
        def at(r, c):
            if border == "clamp":
                return load(clamp(r, H), c)
            if border == "zero":
                return tirx.if_then_else(tirx.all(r >= 0, r < H), load(r, c), zero)
            return load(r, c)
        return at

    # Along a row the border is applied once, into a copy padded at both ends (the window sums
    # then read it without a test per tap); valid-only output reads the input itself.
    def padded_columns(load, H, W, name):
        if border == "valid":
            return load
        at = reader(load, H, W, along_rows=False)
        stage = te.compute((H, W + S - 1), lambda r, c: at(r, c - off), name=name)
        blocks.append(stage.op.name)
        return lambda r, c: stage[r, c]

    if kind == "conv1d":
        (N,) = (sizes[n] for n in order)
        at = reader(lambda r, c: data[c], None, N)
        a = te.reduce_axis((0, S), name="a")
        if border == "valid":
            out = te.compute((N - S + 1,), lambda i: te.sum(data[i + a] * weights[tap(a)], axis=a),
                             name=f"{y.name}_out")
        else:
            pad = te.compute((N + S - 1,), lambda t: at(None, t - off), name=f"{x.name}_padded")
            blocks.append(pad.op.name)
            out = te.compute((N,), lambda i: te.sum(pad[i + a] * weights[tap(a)], axis=a), name=f"{y.name}_out")
    else:
        H, W = (sizes[n] for n in order)
        image = lambda r, c: data[r * W + c]  # noqa: E731
        shift = 0 if border == "valid" else off
        if kind == "conv2d":
            a, b = te.reduce_axis((0, S), name="a"), te.reduce_axis((0, S), name="b")
            src = row_border(padded_columns(image, H, W, f"{x.name}_padded"), H)
            shape = (H - S + 1, W - S + 1) if border == "valid" else (H, W)
            out = te.compute(shape, lambda i, j: te.sum(src(i + a - shift, j + b) * weights[tap(a) * S + tap(b)],
                                                        axis=[a, b]), name=f"{y.name}_out")
        elif kind == "conv_rows":
            a = te.reduce_axis((0, S), name="a")
            src = padded_columns(image, H, W, f"{x.name}_padded")
            out = te.compute((H, W), lambda i, j: te.sum(src(i, j + a) * weights[tap(a)], axis=a),
                             name=f"{y.name}_out")
        elif kind == "conv_columns":
            a = te.reduce_axis((0, S), name="a")
            src = row_border(image, H)
            out = te.compute((H, W), lambda i, j: te.sum(src(i + a - off, j) * weights[tap(a)], axis=a),
                             name=f"{y.name}_out")
        else:  # the rows pass into a temporary, then the columns pass over it
            a = te.reduce_axis((0, S), name="a")
            src = padded_columns(image, H, W, f"{x.name}_padded")
            rows = te.compute((H, W), lambda i, j: te.sum(src(i, j + a) * weights[tap(a)], axis=a),
                              name="rows_pass")
            blocks.append(rows.op.name)
            rows_src = row_border(lambda r, c: rows[r, c], H)
            a2 = te.reduce_axis((0, S), name="a")
            out = te.compute((H, W), lambda i, j: te.sum(rows_src(i + a2 - off, j) * weights[tap(a2)], axis=a2),
                             name=f"{y.name}_out")
    buffers[out.name] = y.name
    blocks.append(out.op.name)
    return Built(prim_func(inputs, [out], sizes), buffers, list(sizes), blocks, words,
                 schedule=lambda func: window_schedule(func, blocks))


def window_schedule(func, blocks: list[str]):
    """Rows in parallel; in each, the window's taps outside and the row's pixels inside (a
    contiguous loop over j: each tap is one multiply-add across the row)."""
    import tvm
    from tvm import s_tir

    sch = s_tir.Schedule(func)
    decisions = []
    for name in blocks:
        block = sch.get_sblock(name)
        loops = sch.get_loops(block)
        if name.endswith("_table"):
            decisions.append(f"{name}: the mask's literal values, once")
            continue
        sch.parallel(loops[0])
        if _spatial_axes(sch, block) == 2 and len(loops) > 2:
            sch.decompose_reduction(block, loops[1])
            taps = sch.get_loops(block)[2:]
            sch.reorder(*taps, sch.get_loops(block)[1])
            decisions.append(f"{name}: rows in parallel, each tap of the window one pass over the row "
                             "(a contiguous inner loop)")
        elif len(loops) > 1 and _spatial_axes(sch, block) == 1:
            decisions.append(f"{name}: outputs in parallel, the window summed in order")
        elif name.endswith("_padded"):
            unit = "rows" if len(loops) > 1 else "elements"
            decisions.append(f"{name}: the border applied once, into a padded copy ({unit} in parallel)")
        else:
            decisions.append(f"{name}: {'rows' if len(loops) > 1 else 'elements'} in parallel")
    return tvm.IRModule({"main": sch.mod["main"]}), decisions


def _spatial_axes(sch, block) -> int:
    return sum(int(v.iter_type) != 2 for v in sch.get(block).iter_vars)  # 2: CommReduce
