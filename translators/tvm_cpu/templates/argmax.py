"""Arg-max and arg-min: the index of the largest (smallest) element, of the whole array or of each
row, the first one on ties; per row, also the value itself where the kernel writes both. In CUDA: (value, index) pairs reduced through shared memory or warp
shuffles, often packed into one word for an atomic; here one TE reduction over (index, value).
"""

from __future__ import annotations

from .common import EXPS, FLOATS, Built, Candidate, flat_input, orders, prim_func, size_vars, worst_value
from .cues import Cues
from .reductions import one_value_target

_INDEX_TYPES = ("int32", "int64")
_ROW_HINTS = [r"rows?|m|n_?rows|batch|b|n", r"cols?|n|n_?cols|dim|c|v|vocab\w*"]


def propose_argmax(cues: Cues) -> list[Candidate]:
    """The whole array's or each row's arg-max (arg-min second, first when the kernel says min)."""
    if len(cues.inputs) != 1 or cues.others or cues.calls & EXPS:
        return []
    x = cues.inputs[0]
    if x.dtype not in FLOATS + ("int32",):
        return []
    kinds = ("min", "max") if _says_min(cues) else ("max", "min")
    score = 2 + int(cues.shared or cues.warp) + int(bool(cues.comparisons) or bool(cues.calls & _EXTREMES))
    found = []
    target = one_value_target(cues)
    if target is not None and len(cues.sizes) == 1 and target[1] in _INDEX_TYPES:
        where = "the return value" if cues.returns else f"{target[0]}[0]"
        (n,) = cues.size_names()
        for rank, kind in enumerate(kinds):
            words = f"{where} = arg{kind} over i < {n} of {x.name}[i] (the first on ties)"
            found.append(Candidate(f"arg{kind}", words, score - rank,
                                   lambda kind=kind, words=words: _build(cues, kind, None, n, target, words)))
    elif not cues.returns and len(cues.sizes) == 2 and len(cues.outputs) in (1, 2):
        # each row's arg-extreme, and (two outputs) the extreme value beside it
        if len(cues.outputs) == 1:
            v, y = None, cues.outputs[0]
            if y.dtype not in _INDEX_TYPES:
                return found
        else:
            pair = _value_and_index(cues.outputs, x.dtype)
            if pair is None:
                return found
            v, y = pair
        for rank, (rows, cols) in enumerate(orders(cues.size_names(), _ROW_HINTS)[:2]):
            for guess, kind in enumerate(kinds):
                if v is None:
                    words = (f"{y.name}[r] = arg{kind} over c < {cols} of {x.name}[r, c], r < {rows}, row-major "
                             f"(the first on ties)")
                else:
                    words = (f"{y.name}[r] = arg{kind}, {v.name}[r] = {kind} over c < {cols} of {x.name}[r, c], "
                             f"r < {rows}, row-major (the first index on ties)")
                found.append(Candidate(f"arg{kind}", words, score - min(rank, 1) - guess,
                                       lambda rows=rows, cols=cols, kind=kind, words=words:
                                       _build(cues, kind, rows, cols, (y.name, y.dtype), words,
                                              v.name if v is not None else None)))
    return found


_INDEX_NAME = r"(?i).*(idx|index|arg|pos|where|which).*"


def _value_and_index(outputs: list, value_dtype: str):
    """(value output, index output) of a row arg-max that keeps both: the index is the integer output
    (named like an index when the values are integers too), the value has the input's type."""
    import re

    indices = [o for o in outputs if o.dtype in _INDEX_TYPES]
    if value_dtype in _INDEX_TYPES:
        indices = [o for o in indices if re.fullmatch(_INDEX_NAME, o.name)]
    if len(indices) != 1:
        return None
    (index,) = indices
    (value,) = [o for o in outputs if o is not index]
    return (value, index) if value.dtype == value_dtype else None


_EXTREMES = {"fmaxf", "fminf", "fmax", "fmin", "max", "min"}


def _says_min(cues: Cues) -> bool:
    names = [cues.host.name, *cues.kernels, *(p.name for p in cues.outputs)]
    return any("min" in name.lower() for name in names) and not any("max" in name.lower() for name in names)


def _build(cues: Cues, kind: str, rows: str | None, cols: str, target: tuple, words: str,
           value_name: str | None = None) -> Built:
    """`value_name`: the output that also keeps each row's extreme value (rows only)."""
    from tvm import te, tirx

    sizes = size_vars(cues)
    x = flat_input(cues.inputs[0])
    name, index_type = target
    better = (lambda a, b: a > b) if kind == "max" else (lambda a, b: a < b)

    def combine(kept, new):  # (index, value) pairs: the better value, else the smaller index on a tie
        take = tirx.Or(better(new[1], kept[1]), tirx.And(new[1] == kept[1], new[0] < kept[0]))
        return tirx.Select(take, new[0], kept[0]), tirx.Select(take, new[1], kept[1])

    def start(index_dtype, value_dtype):  # index -1 (no element yet) and the worst value
        return tirx.const(-1, index_dtype), worst_value(kind, value_dtype)

    reducer = te.comm_reducer(combine, start, name=f"arg{kind}")
    C = sizes[cols]
    c = te.reduce_axis((0, C), name="c" if rows else "i")
    if rows is None:
        index, _value = te.compute((1,), lambda _: reducer((tirx.Cast(index_type, c), x[c]), axis=c),
                                   name=f"arg{kind}")
        out = te.compute((1,), lambda z: index[z], name=f"{name}_out")
    else:
        R = sizes[rows]
        index, value = te.compute((R,), lambda r: reducer((tirx.Cast(index_type, c), x[r * C + c]), axis=c),
                                  name=f"row_arg{kind}")
        out = te.compute((R,), lambda r: index[r], name=f"{name}_out")
        if value_name is not None:
            kept = te.compute((R,), lambda r: value[r], name=f"{value_name}_out")
            return Built(prim_func([x], [out, kept], sizes), {x.name: x.name, out.name: name, kept.name: value_name},
                         list(sizes), [index.op.name, out.name, kept.name], words)
    return Built(prim_func([x], [out], sizes), {x.name: x.name, out.name: name}, list(sizes),
                 [index.op.name, out.name], words)
