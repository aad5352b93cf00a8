"""Reductions to one value: sums (and dot products), maxima and minima (of the values or their
magnitudes), counts of the elements that pass a comparison."""

from __future__ import annotations

from .common import (EXPS, FLOATS, RESULT, Built, Candidate, extreme_reducer, flat_input, orders, prim_func,
                     size_vars)
from .cues import Cues
from .scheduling import SUM_CHUNK, SUM_LANES, parallel_scalar_sum


def one_value_target(cues: Cues) -> tuple[str, str] | None:
    """Where a reduction to one value goes: (RESULT, type) for a returned value, else the one output
    array with a single element; None when the entry has another form."""
    if cues.returns:
        return None if cues.outputs else (RESULT, cues.returns)
    if len(cues.outputs) != 1:
        return None
    target, dtype = cues.outputs[0].name, cues.outputs[0].dtype
    if cues.shapes.get(target, "1") != "1":
        return None  # the result array has more than one element
    return target, dtype


# --- sum reduction: out = sum_i x[i] (or x[i]*y[i]) into a scalar ------------------------

def propose_sum_reduction(cues: Cues) -> list[Candidate]:
    if len(cues.inputs) not in (1, 2) or not cues.sizes:
        return []
    if cues.atomics and not cues.atomics & {"Add", "CAS"}:
        return []  # atomicMax/Min/Exch combine partial results some other way
    scalar = one_value_target(cues)
    if scalar is None:
        return []
    target, dtype = scalar
    if any(p.dtype != cues.inputs[0].dtype for p in cues.inputs) or cues.inputs[0].dtype not in FLOATS + ("int32",):
        return []
    # A scalar result reads one size; more sizes, or an integer `%`, point at another algorithm.
    score = (2 + 2 * int("Add" in cues.atomics) + int(cues.shared or cues.warp) - 2 * int(bool(cues.calls & EXPS))
             - (len(cues.sizes) - 1) - int(cues.modulo))
    accumulate_first = target != RESULT and target in cues.copied_in
    found = []
    for rank, (n,) in enumerate(orders(cues.size_names(), [r"n|size|len|count|num\w*"])):
        for accumulate in ((True, False) if accumulate_first else (False, True)) if target != RESULT else (False,):
            names = " · ".join(f"{p.name}[i]" for p in cues.inputs)
            where = "the return value" if target == RESULT else f"{target}[0]"
            words = f"{where} {'+=' if accumulate else '='} sum over i < {n} of {names}"
            found.append(Candidate("sum_reduction", words, score - min(rank, 1) - int(accumulate != accumulate_first),
                                   lambda n=n, acc=accumulate, words=words: _sum_build(cues, n, acc, target, dtype,
                                                                                       words)))
    return found[:2]



def _sum_build(cues: Cues, n: str, accumulate: bool, target: str, dtype: str, words: str) -> Built:
    return _chunked_build(cues, n, "sum", False, accumulate, target, dtype, words)


def _chunked_build(cues: Cues, n: str, op: str, absolute: bool, accumulate: bool, target: str, dtype: str,
                   words: str, predicate=None) -> Built:
    """Partial reductions over whole chunks (no bounds guard in their loops, so they run in parallel
    at full speed), the tail after the last whole chunk, then partials and tail combined in order.
    op: "sum", "max" or "min"; absolute: of |x[i]|; predicate: (op, other) to count the elements
    `x[i] op other` instead (other a literal or a scalar parameter's name)."""
    from tvm import te, tirx

    sizes = size_vars(cues)
    inputs = [flat_input(p) for p in cues.inputs]
    scalars = []
    if predicate is not None:
        compare, other = predicate
        scalar = next((p for p in cues.others if p.name == other), None)
        if scalar is not None:
            bound = tirx.Var(scalar.name, scalar.dtype)
            scalars.append(bound)
        else:
            bound = tirx.const(_literal(other), inputs[0].dtype)
    count = tirx.max(sizes[n], 0)
    chunks = tirx.floordiv(count, SUM_CHUNK)
    element = inputs[0].dtype
    if op == "sum":
        reduce, combine = te.sum, (lambda a, b: a + b)
    else:
        reduce = extreme_reducer(op, element)
        combine = tirx.max if op == "max" else tirx.min

    def term(i):
        value = inputs[0][i]
        if predicate is not None:
            return tirx.Select(_COMPARE[compare](value, bound), tirx.const(1, dtype), tirx.const(0, dtype))
        for other in inputs[1:]:
            value = value * other[i]
        return tirx.abs(value) if absolute else value

    # SUM_LANES interleaved partials per chunk: lane l takes elements l, l + SUM_LANES, ... so
    # the innermost loop is element-wise over lanes (a simd loop) rather than a scalar reduction.
    j = te.reduce_axis((0, SUM_CHUNK // SUM_LANES), name="j")
    partial = te.compute((chunks, SUM_LANES), lambda c, lane: reduce(term(c * SUM_CHUNK + j * SUM_LANES + lane),
                                                                     axis=j), name="partial")
    # Zero-based (MetaSchedule tunes only loops that start at 0), offset to the first tail element.
    t = te.reduce_axis((0, count - chunks * SUM_CHUNK), name="t")
    tail = te.compute((1,), lambda _: reduce(term(chunks * SUM_CHUNK + t), axis=t), name="tail")
    q = te.reduce_axis((0, chunks), name="q")
    lane_q = te.reduce_axis((0, SUM_LANES), name="lane")
    total = te.compute((1,), lambda _: reduce(partial[q, lane_q], axis=[q, lane_q]), name="total")
    buffers = {p.name: p.name for p in inputs}
    if accumulate:
        old = te.placeholder((1,), dtype, name=target)
        inputs.append(old)
        buffers[old.name] = target
        out = te.compute((1,), lambda z: combine(old[z], tirx.Cast(dtype, combine(total[z], tail[z]))),
                         name=f"{target}_out")
    else:
        out = te.compute((1,), lambda z: tirx.Cast(dtype, combine(total[z], tail[z])), name=f"{target}_out")
    buffers[out.name] = target

    def schedule(func):
        mod, decisions = parallel_scalar_sum(func, "partial", ["tail", "total"], out.name)
        if op != "sum":
            decisions = [d.replace("summed", f"reduced ({op})").replace(" sums ", f" {op}s ")
                         .replace("partial sums", f"partial {op}s") for d in decisions]
        return mod, decisions

    return Built(prim_func(inputs, [out], sizes, scalars), buffers, list(sizes) + [v.name for v in scalars],
                 ["partial", "tail", "total", out.name], words, schedule)


_COMPARE = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
            ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b}


def _literal(text: str) -> float:
    text = text.rstrip("fFlLuU")
    return float(int(text, 16)) if text.lower().startswith("0x") else float(text)


# --- count: out = #{i < n : x[i] op other}, other a literal or a scalar parameter -------------

def propose_count_reduction(cues: Cues) -> list[Candidate]:
    if len(cues.inputs) != 1 or len(cues.sizes) != 1 or len(cues.others) > 1 or not cues.comparisons:
        return []
    scalar = one_value_target(cues)
    if scalar is None:
        return []
    target, dtype = scalar
    if not dtype.startswith(("int", "uint")):
        return []
    predicates = []
    for _array, compare, other in cues.comparisons:
        if other in {p.name for p in cues.others}:
            predicates.append((compare, other))
            continue
        try:
            _literal(other)
        except ValueError:
            continue
        if other not in {p.name for p in cues.sizes}:
            predicates.append((compare, other))
    if not predicates:
        return []
    score = 3 + 2 * int("Add" in cues.atomics) + int(cues.warp or cues.shared) - int(bool(cues.calls & EXPS))
    accumulate_first = target != RESULT and target in cues.copied_in
    n = cues.size_names()[0]
    x = cues.inputs[0].name
    found = []
    for guess, (compare, other) in enumerate(predicates[:2]):
        for accumulate in (accumulate_first, not accumulate_first) if target != RESULT else (False,):
            where = "the return value" if target == RESULT else f"{target}[0]"
            words = f"{where} {'+=' if accumulate else '='} count of i < {n} with {x}[i] {compare} {other}"
            penalty = min(guess, 1) + int(accumulate != accumulate_first)
            found.append(Candidate("count_reduction", words, score - penalty,
                                   lambda c=compare, o=other, acc=accumulate, words=words:
                                   _chunked_build(cues, n, "sum", False, acc, target, dtype, words, (c, o))))
    return sorted(found, key=lambda c: -c.score)[:2]


# --- max / min reduction: out = max_i x[i] (or |x[i]|), min likewise -------------------------

_MAXES = {"fmaxf", "fmax", "max", "__hmax"}
_MINS = {"fminf", "fmin", "min", "__hmin"}
_ABS = {"fabsf", "fabs", "abs"}


def propose_max_reduction(cues: Cues) -> list[Candidate]:
    return _propose_extreme(cues, "max", "Max" in cues.atomics or bool(cues.calls & _MAXES))


def propose_min_reduction(cues: Cues) -> list[Candidate]:
    return _propose_extreme(cues, "min", "Min" in cues.atomics or bool(cues.calls & _MINS))


def _propose_extreme(cues: Cues, op: str, cued: bool) -> list[Candidate]:
    if not cued or len(cues.inputs) != 1 or not cues.sizes or cues.others:
        return []  # without a max/min call or atomic, the kernel reduces with something else
    scalar = one_value_target(cues)
    if scalar is None:
        return []
    target, dtype = scalar
    if cues.inputs[0].dtype not in FLOATS + ("int32",) or dtype != cues.inputs[0].dtype:
        return []
    score = (4 + int(cues.shared or cues.warp) - (len(cues.sizes) - 1) - int(cues.modulo)
             - 2 * int(bool(cues.calls & EXPS)) - 2 * int("Add" in cues.atomics))
    absolute_first = bool(cues.calls & _ABS)
    accumulate_first = target != RESULT and target in cues.copied_in
    found = []
    x = cues.inputs[0].name
    for rank, (n,) in enumerate(orders(cues.size_names(), [r"n|size|len|count|num\w*"])[:1]):
        for absolute in (absolute_first, not absolute_first):
            for accumulate in (accumulate_first, not accumulate_first) if target != RESULT else (False,):
                where = "the return value" if target == RESULT else f"{target}[0]"
                of = f"|{x}[i]|" if absolute else f"{x}[i]"
                words = (f"{where} = {op}({target}[0], {op} over i < {n} of {of})" if accumulate else
                         f"{where} = {op} over i < {n} of {of}")
                penalty = int(absolute != absolute_first) + int(accumulate != accumulate_first)
                # every element below zero for a maximum (above for a minimum): a kernel that starts
                # from 0, or takes magnitudes, differs from the guess only on such inputs
                one_signed = {x: "-100:-1" if op == "max" else "1:100"}
                found.append(Candidate(f"{op}_reduction", words, score - penalty,
                                       lambda n=n, a=absolute, acc=accumulate, words=words:
                                       _chunked_build(cues, n, op, a, acc, target, dtype, words), [one_signed]))
    return sorted(found, key=lambda c: -c.score)[:2]
