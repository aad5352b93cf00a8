"""The fixed shape a workload is tuned at: integer scalars pinned, array lengths bounded.

MetaSchedule tunes concrete shapes.  Integer scalar parameters take the values given
with `--value` (else DEFAULT_SIZE); each array read gets the length its load indices
can reach over the thread domain, found by interval arithmetic on the lifted
expressions (an upper bound: a longer array is harmless, a shorter one is not).
"""

from __future__ import annotations

from .errors import Unliftable
from .ir import Bin, Call, Cast, Const, Expr, Load, Neg, Select, StageRef, Sym, children
from .lift import Lifted

DEFAULT_SIZE = 256  # integer scalars not given with --value
MAX_ELEMENTS = 1 << 27  # 512 MiB of float32: a larger tuning shape is refused


class _Unbounded(Exception):
    pass


def tuning_values(host, pinned: dict[str, str]) -> dict[str, int]:
    """Integer scalar parameter -> its value at the tuning shape."""
    values = {}
    for param in host.params:
        if param.pointer or param.dtype.startswith("float") or param.dtype == "bool":
            continue
        text = pinned.get(param.name)
        if text is None:
            values[param.name] = DEFAULT_SIZE
            continue
        try:
            values[param.name] = int(text, 0)
        except ValueError:
            raise Unliftable(f"--value {param.name}", param.line,
                             f"tuning needs an integer value for '{param.name}', got '{text}'") from None
    return values


def buffer_lengths(lifted, shape: dict) -> dict[str, int]:
    """Array -> the elements one lifted launch reaches at `shape`: what it reads (array_lengths)
    and the cells its outputs store."""
    lengths = dict(array_lengths(lifted, shape))
    for out in lifted.outputs:
        size = 1
        for axis in out.axes:
            size *= max(1, extent_value(lifted.extents[axis], shape))
        lengths[out.buffer] = max(lengths.get(out.buffer, 0), size)
    return lengths


def array_lengths(lifted: Lifted, values: dict[str, int]) -> dict[str, int]:
    """Array read -> elements its loads can reach at the tuning shape."""
    env = {}
    try:
        for axis, extent in lifted.extents.items():
            hi = _interval(extent, values, env)[1]
            env[axis] = (0, max(hi - 1, 0))
        reach: dict[str, int] = {}
        for stage in lifted.stages:
            inner = dict(env)
            for name, lo, hi in [(stage.reduce, stage.lo, stage.hi), *stage.inner] if stage.reduce else []:
                inner[name] = (_interval(lo, values, env)[0], _interval(hi, values, env)[1] - 1)
            _loads(stage.expr, values, inner, reach)
        for out in lifted.outputs:
            _loads(out.value, values, env, reach)
    except _Unbounded as exc:
        raise Unliftable("tuning shape", None, f"cannot bound an array index for tuning ({exc}); "
                         "give the sizes with --value NAME=N") from None
    lengths = {name: max(hi + 1, 1) for name, hi in reach.items()}
    for name, length in lengths.items():
        if length > MAX_ELEMENTS:
            raise Unliftable("tuning shape", None, f"array '{name}' would need {length} elements at the tuning "
                             "shape; give smaller sizes with --value NAME=N")
    return lengths


def _loads(e: Expr, values, env, reach: dict) -> None:
    if isinstance(e, Load):
        hi = _interval(e.index, values, env)[1]
        reach[e.buffer] = max(reach.get(e.buffer, 0), hi)
    for child in children(e):
        _loads(child, values, env, reach)


def _interval(e: Expr, values: dict, env: dict) -> tuple[int, int]:
    if isinstance(e, Const):
        v = int(e.value)
        return v, v
    if isinstance(e, Sym):
        if e.kind == "param" and e.name in values:
            return values[e.name], values[e.name]
        if e.name in env:
            return env[e.name]
        raise _Unbounded(f"'{e.name}'")
    if isinstance(e, Cast) and not e.dtype.startswith("float"):
        return _interval(e.a, values, env)
    if isinstance(e, Neg):
        lo, hi = _interval(e.a, values, env)
        return -hi, -lo
    if isinstance(e, Select):
        (alo, ahi), (blo, bhi) = _interval(e.a, values, env), _interval(e.b, values, env)
        return min(alo, blo), max(ahi, bhi)
    if isinstance(e, Call) and e.fn in ("max", "min"):
        (alo, ahi), (blo, bhi) = (_interval(a, values, env) for a in e.args)
        return (max(alo, blo), max(ahi, bhi)) if e.fn == "max" else (min(alo, blo), min(ahi, bhi))
    if isinstance(e, Bin) and e.op in ("+", "-", "*", "/", "%", "min", "max"):
        (alo, ahi), (blo, bhi) = _interval(e.a, values, env), _interval(e.b, values, env)
        if e.op == "+":
            return alo + blo, ahi + bhi
        if e.op == "-":
            return alo - bhi, ahi - blo
        if e.op == "*":
            products = [alo * blo, alo * bhi, ahi * blo, ahi * bhi]
            return min(products), max(products)
        if e.op == "/" and blo > 0:
            quotients = [int(a / b) for a in (alo, ahi) for b in (blo, bhi)]
            return min(quotients), max(quotients)
        if e.op == "%" and blo > 0 and alo >= 0:
            return 0, min(ahi, bhi - 1)
        if e.op == "min":
            return min(alo, blo), min(ahi, bhi)
        if e.op == "max":
            return max(alo, blo), max(ahi, bhi)
    if isinstance(e, Bin) and e.op in ("<<", ">>") and isinstance(e.b, Const):
        alo, ahi = _interval(e.a, values, env)
        count = int(e.b.value)  # a constant count, in range (lift_expr refuses any other)
        return (alo * 2 ** count, ahi * 2 ** count) if e.op == "<<" else (alo >> count, ahi >> count)
    if isinstance(e, Bin) and e.op == "&" and isinstance(e.b, Const) and int(e.b.value) >= 0:
        alo, ahi = _interval(e.a, values, env)  # a non-negative mask keeps any value in [0, mask]
        return 0, min(ahi, int(e.b.value)) if alo >= 0 else int(e.b.value)
    if isinstance(e, (Load, StageRef)):
        raise _Unbounded("an index read from an array")
    raise _Unbounded(type(e).__name__)


def extent_value(e: Expr, values: dict[str, int]) -> int:
    """An extent over scalar parameters at the given values (its upper bound)."""
    try:
        return _interval(e, values, {})[1]
    except _Unbounded as exc:
        raise Unliftable("tuning shape", None, f"cannot evaluate an extent ({exc}); "
                         "give the sizes with --value NAME=N") from None


def sequence_lengths(launches: list, values: dict[str, int]) -> dict[str, int]:
    """Array -> elements over several lifted launches, each (lifted, host loop or None): one in a host
    loop at its loop variable's first and last values (an index that moves with the step, `src[t]`)."""
    lengths: dict[str, int] = {}
    for lifted, loop in launches:
        for at in loop.first_and_last(values) if loop is not None else [{}]:
            shape = {**values, **at}
            for name, length in buffer_lengths(lifted, shape).items():
                lengths[name] = max(lengths.get(name, 0), length)
    return lengths
