"""Lifted kernel -> TVM TE stages -> a PrimFunc whose parameters are the host function's.

Array parameters are flat placeholders; every output is a `te.compute` over its
axes in row-major order, so its flat index is the store index of the kernel.
A GEMM-shaped stage reads its B operand (`B[p*n + j]`, or `B[j*k + p]`: C = A·Bᵀ, a linear
layer's `x·Wᵀ`) from a copy packed in column panels, `B_panels[j / W, p, j % W]`, so each of
the register-blocked schedule's tiles reads one contiguous run of W columns per reduction step.
"""

from __future__ import annotations

from dataclasses import dataclass

from .gemm_schedule import tile_cols
from .ir import Bin, Call, Cast, Const, Expr, Load, Neg, Not, Select, StageRef, Sym, to_poly
from .lift import Lifted
from .patterns import identity


@dataclass
class Workload:
    func: object  # tvm PrimFunc
    inputs: dict  # placeholder name -> host pointer parameter
    outputs: dict  # output tensor name -> host pointer parameter
    scalars: list  # host scalar parameter names, in PrimFunc order
    packed: list  # names of the packed-operand stages (blocks the schedule must see first)


def build_prim_func(lifted: Lifted, params: list, values: dict | None = None, lengths: dict | None = None,
                    scalar_buffers: bool = False) -> Workload:
    """params: the host function's Param list (verify.cuda.signature).

    A workload at a fixed shape (for tuning) pins integer scalars to `values` (they are
    constants, not parameters) and gives each array its length from `lengths`; with
    `scalar_buffers` the remaining scalars are read from 1-element buffers (`<name>_s`),
    as MetaSchedule's runner passes only arrays.  Block names and loop nests are the same
    in every form, so a schedule found on one applies to the others.
    """
    from tvm import te, tirx

    values = values or {}
    lengths = lengths or {}
    scalar_vars = {p.name: tirx.Var(p.name, p.dtype) for p in params if not p.pointer and p.name not in values}
    scalar_exprs = {name: tirx.const(int(v), next(p.dtype for p in params if p.name == name))
                    for name, v in values.items()}
    scalar_holders = {}
    if scalar_buffers:
        dtypes = {p.name: p.dtype for p in params}
        scalar_holders = {n: te.placeholder((1,), dtypes[n], name=f"{n}_s") for n in scalar_vars}
        scalar_exprs.update({n: h[0] for n, h in scalar_holders.items()})
    else:
        scalar_exprs.update(scalar_vars)
    placeholders = {}
    for p in params:
        if p.pointer and p.name in lifted.loads:
            length = lengths.get(p.name)
            shape = (int(length),) if length is not None else (tirx.Var(f"{p.name}_len", "int32"),)
            placeholders[p.name] = te.placeholder(shape, p.dtype, name=p.name)
    converter = _Converter(scalar_exprs, placeholders)
    extents = {axis: converter.expr(e, {}) for axis, e in lifted.extents.items()}

    stages, packed = [], []
    for k, stage in enumerate(lifted.stages):
        packed += _pack_operands(te, tirx, converter, stage, extents)
        stages.append(_stage(te, tirx, converter, stage, extents, k))
        converter.stages = stages
    outputs = []
    output_map = {}
    for out in lifted.outputs:
        shape = [extents[a] for a in out.axes] or [1]
        name = f"{out.buffer}_out"

        outputs.append(te.compute(shape, _output_compute(converter, out), name=name))
        output_map[name] = out.buffer
    if scalar_buffers:
        args = list(placeholders.values()) + list(scalar_holders.values()) + outputs
        scalars = []
    else:
        args = list(placeholders.values()) + outputs + list(scalar_vars.values())
        scalars = list(scalar_vars)
    func = te.create_prim_func(args)
    return Workload(func=func, inputs={n: n for n in placeholders}, outputs=output_map, scalars=scalars,
                    packed=packed)


def _pack_operands(te, tirx, converter, stage, extents) -> list[str]:
    """For a sum over p of `a * b` with two spatial axes (i, j), the operand that does not depend
    on i (the GEMM's B) gets a packed copy in column panels, `B_panels[j / W, p, j % W]` with W
    the GEMM tile's width: read as `B[f(j) + p]` (along the reduction: C = A·Bᵀ) or as
    `B[g(p) + j]` (along its rows, each a stride of a whole row apart), each tile's operand is
    then one contiguous run of W elements per reduction step. Columns past the last are zeros.
    The converter reads the copy from then on. The names of the copies."""
    if stage.op != "sum" or stage.inner or stage.where is not None or len(stage.axes) != 2 or not isinstance(stage.lo, Const) \
            or stage.lo.value != 0 or not (isinstance(stage.expr, Bin) and stage.expr.op == "*"):
        return []
    i, j = stage.axes
    p = stage.reduce
    names = []
    for load in (stage.expr.a, stage.expr.b):
        if not isinstance(load, Load) or load.buffer not in converter.placeholders or id(load) in converter.packed:
            continue
        poly = to_poly(load.index)
        if poly is None or any(i in m for m in poly):
            continue
        along_reduction = poly.get((p,)) == 1 and (j,) not in poly and \
            not any(p in m for m in poly if m != (p,)) and any(j in m for m in poly)
        along_rows = poly.get((j,)) == 1 and (p,) not in poly and \
            not any(j in m for m in poly if m != (j,)) and any(p in m for m in poly)
        if not (along_reduction or along_rows):
            continue
        width = tile_cols()
        name = f"{load.buffer}_panels"
        k_extent = converter.expr(stage.hi, {})
        n_extent = extents[j]
        # (n - 1) / W + 1 panels: the form TVM derives for the panels a read over j < n touches
        copy = te.compute((tirx.floordiv(n_extent - 1, width) + 1, k_extent, width),
                          _panel_compute(converter, load, p, j, width, n_extent), name=name)
        converter.packed[id(load)] = (copy, p, j, width)
        names.append(name)
    return names


def _panel_compute(converter, load, p: str, j: str, width: int, n_extent):
    from tvm import tirx

    def fcompute(panel, row, lane):  # panel `panel`, reduction index `row`, column panel*width + lane
        col = panel * width + lane
        value = converter.expr(load, {p: row, j: col})
        return tirx.if_then_else(col < n_extent, value, tirx.const(0, value.dtype))
    return fcompute


def _output_compute(converter, out):
    def fcompute(*ivs):
        return converter.expr(out.value, dict(zip(out.axes, ivs)))
    return fcompute


def _stage(te, tirx, converter, stage, extents, k):
    if stage.op == "compute":
        return te.compute([extents[a] for a in stage.axes] or [1],
                          lambda *ivs: converter.expr(stage.expr, dict(zip(stage.axes, ivs))), name=f"stage{k}")
    lo = converter.expr(stage.lo, {})
    hi = converter.expr(stage.hi, {})
    shape = [extents[a] for a in stage.axes] or [1]

    inner = [(name, converter.expr(a, {}), converter.expr(b, {})) for name, a, b in stage.inner]
    ranges = [(stage.reduce, lo, hi, stage.lo)] + [(name, a, b, first) for (name, a, b), (_, first, _) in
                                                     zip(inner, stage.inner)]

    def fcompute(*ivs):
        # Nested reduction loops (`for c, kh, kw: acc += ...`) are one reduction over several axes.
        # A range that does not start at 0 (`p = s`, a window from t - W + 1) runs from 0 with the
        # variable read as r + start, as MetaSchedule's loop rewrites need loops from 0.
        rs = [te.reduce_axis((a, b) if _is_zero(first) else (0, b - a), name=name) for name, a, b, first in ranges]
        env = dict(zip(stage.axes, ivs))
        env.update({name: r if _is_zero(first) else r + a for (name, a, _, first), r in zip(ranges, rs)})
        body = converter.expr(stage.expr, env)
        if stage.where is not None:
            # A loop bound that depends on the thread: the iterations it does not run add the reducer's
            # identity. (create_prim_func drops a reduction's `where`, so the predicate is in the body;
            # if_then_else, printed as `?:`, reads the skipped elements not at all.)
            skipped = converter.expr(identity(stage.op, stage.dtype), {})
            body = tirx.if_then_else(converter.expr(stage.where, env), body, skipped)
        return _reducer(te, tirx, stage.op, stage.dtype)(body, axis=rs if inner else rs[0])

    return te.compute(shape, fcompute, name=f"stage{k}")


def _is_zero(e) -> bool:
    return to_poly(e) == {}


def _reducer(te, tirx, op: str, dtype: str):
    """te.sum, or max/min whose identity is +-infinity for floats (as the CUDA accumulator
    starts), so that an empty reduction leaves the initial value unchanged."""
    if op == "sum":
        return te.sum
    if op in ("or", "and", "xor"):  # integers: identity 0, or all bits set for `and`
        combine = {"or": tirx.bitwise_or, "and": tirx.bitwise_and, "xor": tirx.bitwise_xor}[op]
        start = identity(op, dtype).value
        return te.comm_reducer(lambda a, b: combine(a, b), lambda t: tirx.const(start, t), name=f"bit_{op}")
    if not dtype.startswith("float"):
        return te.max if op == "max" else te.min
    inf = float("inf") if op == "min" else -float("inf")
    combine = tirx.max if op == "max" else tirx.min
    return te.comm_reducer(lambda a, b: combine(a, b), lambda t: tirx.const(inf, t), name=f"{op}_inf")


class _Converter:
    def __init__(self, scalars: dict, placeholders: dict):
        self.scalars = scalars
        self.placeholders = placeholders
        self.stages: list = []
        self.packed: dict = {}  # id(Load) -> (its packed copy, reduce axis, spatial axis): read [p, j]

    def expr(self, e: Expr, env: dict):
        import tvm
        from tvm import tirx

        if isinstance(e, Const):
            if e.dtype == "bool":
                return tirx.const(bool(e.value), "bool")
            return tirx.const(e.value, e.dtype)
        if isinstance(e, Sym):
            if e.kind == "param":
                return self.scalars[e.name]
            return env[e.name]
        if isinstance(e, Load):
            if id(e) in self.packed:  # set after the copy itself was computed from the placeholder
                copy, p, j, width = self.packed[id(e)]
                return copy[tirx.floordiv(env[j], width), env[p], tirx.floormod(env[j], width)]
            return self.placeholders[e.buffer][self.expr(e.index, env)]
        if isinstance(e, StageRef):
            stage = self.stages[e.stage]
            return stage[tuple(env[a] for a in e.axes)] if e.axes else stage[0]
        if isinstance(e, Cast):
            return tirx.Cast(e.dtype, self.expr(e.a, env))
        if isinstance(e, Neg):
            return -self.expr(e.a, env)
        if isinstance(e, Not):
            return tirx.Not(self.expr(e.a, env))
        if isinstance(e, Select):
            return tirx.if_then_else(self.expr(e.cond, env), self.expr(e.a, env), self.expr(e.b, env))
        if isinstance(e, Call):
            args = [self.expr(a, env) for a in e.args]
            if e.fn == "max":
                return tirx.max(*args)
            if e.fn == "min":
                return tirx.min(*args)
            if e.fn == "abs":
                return tirx.abs(args[0])
            if e.fn == "pow":
                return tirx.power(args[0], args[1])
            if e.fn.startswith("extern:"):  # a C function of the emitted file (`tv_brev`, `__builtin_ffs`)
                return tirx.call_pure_extern(e.dtype, e.fn.split(":", 1)[1], *args)
            return getattr(tirx, e.fn)(args[0])
        if isinstance(e, Bin):
            a, b = self.expr(e.a, env), self.expr(e.b, env)
            integer = not e.a.dtype.startswith("float")
            ops = {
                "+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b,
                "/": lambda: tirx.truncdiv(a, b) if integer else a / b,
                "%": lambda: tirx.truncmod(a, b),
                "<": lambda: a < b, "<=": lambda: a <= b, ">": lambda: a > b, ">=": lambda: a >= b,
                "==": lambda: tvm.tirx.EQ(a, b), "!=": lambda: tvm.tirx.NE(a, b),
                "&&": lambda: tirx.And(a, b), "||": lambda: tirx.Or(a, b),
                "<<": lambda: tirx.shift_left(a, b), ">>": lambda: tirx.shift_right(a, b),
                "&": lambda: tirx.bitwise_and(a, b), "|": lambda: tirx.bitwise_or(a, b),
                "^": lambda: tirx.bitwise_xor(a, b),
            }
            return ops[e.op]()
        raise TypeError(f"no TVM form for {type(e).__name__}")
