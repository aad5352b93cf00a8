"""The lifted kernel: its domain, reduction stages and outputs (what `lift` gives `te_build`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .ir import Expr


@dataclass(frozen=True)
class Ptr:
    buffer: str
    offset: Expr


@dataclass
class Stage:
    """An intermediate reduction: value[axes] = op over reduce in [lo, hi) (and `inner`), where `where`
    holds, of expr;
    or, with op "compute" (reduce, lo, hi None), value[axes] = expr: a value computed once per thread."""
    expr: Expr
    reduce: str | None
    lo: Expr | None
    hi: Expr | None
    op: str  # sum | max | min | compute
    axes: tuple
    dtype: str
    inner: tuple = ()  # further reduce axes nested inside `reduce`: (name, lo, hi), outermost first
    # which iterations of [lo, hi) (and `inner`) a thread runs, where a loop's bounds depend on the thread
    # or an enclosing loop (`t2 <= t`); None: all of them
    where: Expr | None = None


@dataclass
class Output:
    buffer: str
    axes: tuple  # row-major order of the output's axes
    value: Expr
    line: int


@dataclass
class Lifted:
    kernel: str
    extents: dict  # axis name -> Expr over scalar params
    stages: list
    outputs: list
    loads: set  # buffers read
    dtypes: dict  # buffer -> dtype
    axis_origin: dict = field(default_factory=dict)  # axis -> how it arose ("blockIdx.x*blockDim.x+threadIdx.x", "loop c")

