"""What every operator template shares: the candidate and workload records, and helpers that
turn the entry's signature into TE placeholders and size variables.

A template's `propose(cues)` returns candidates, each a scored guess at what the kernel
computes (which parameter is which size, overwrite or accumulate); `build()` makes the TE
workload.  A guess is only kept when the emitted C++ verifies against the .cu, so proposing a
wrong variant costs time, never correctness.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Callable

from .cues import Cues

FLOATS = ("float32", "float64")
RESULT = "tv_result"  # the C name of the one-element buffer an entry's return value is computed into
EXPS = {"expf", "exp", "__expf"}


@dataclass
class Built:
    func: object  # tvm PrimFunc
    buffers: dict  # PrimFunc buffer name -> C name (a host pointer, or RESULT for the returned value)
    scalars: list  # host scalar parameter names, in PrimFunc order
    blocks: list  # TE stage names, in the order the default schedule visits them
    formula: str  # what the workload computes, in words (the header comment)
    schedule: Callable | None = None  # func -> (scheduled module, decisions); None: the default CPU schedule
    gemm: dict | None = None  # float32 GEMM in speed.gemm_layout's form (the OpenBLAS baseline of the timing)


@dataclass
class Candidate:
    template: str
    variant: str  # the guess, in words
    score: int
    build: Callable[[], Built] = field(repr=False)
    # Further verifications, each with these value ranges (--range) on top of the user's: inputs the
    # verifier's random draw rarely gives but that tell this guess from a near miss (all-negative
    # inputs for a maximum: one that starts from 0 differs only there).
    extra_ranges: list = field(default_factory=list)


def size_vars(cues: Cues):
    from tvm import tirx

    return {p.name: tirx.Var(p.name, "int32") for p in cues.sizes}


def flat_input(param):
    from tvm import te, tirx

    return te.placeholder((tirx.Var(f"{param.name}_len", "int32"),), param.dtype, name=param.name)


def prim_func(inputs: list, outputs: list, sizes: dict, scalars: list = ()):
    from tvm import te

    return te.create_prim_func(list(inputs) + list(outputs) + list(sizes.values()) + list(scalars))


def named(names: list[str], pattern: str) -> list[str]:
    return [n for n in names if re.fullmatch(pattern, n, re.IGNORECASE)]


def orders(names: list[str], hints: list[str]) -> list[tuple]:
    """Orderings of size parameters: the one the names suggest first (each hint a regex), then the rest."""
    hinted = []
    picked: list[str] = []
    for pattern in hints:
        match = [n for n in named(names, pattern) if n not in picked]
        if not match:
            break
        picked.append(match[0])
    else:
        hinted.append(tuple(picked))
    rest = [p for p in itertools.permutations(names, len(hints)) if p not in hinted]
    return hinted + rest


def worst_value(kind: str, dtype: str):
    """Where a max (min) starts: -inf (+inf) for floats, the type's lowest (highest) value for integers."""
    from tvm import tirx

    if dtype in FLOATS:
        return tirx.const(-float("inf") if kind == "max" else float("inf"), dtype)
    return tirx.min_value(dtype) if kind == "max" else tirx.max_value(dtype)


def extreme_reducer(kind: str, dtype: str):
    """A max or min reducer starting from worst_value."""
    from tvm import te, tirx

    combine = tirx.max if kind == "max" else tirx.min
    return te.comm_reducer(lambda a, b: combine(a, b), lambda t: worst_value(kind, t), name=f"{kind}_{dtype}")
