"""Seeded inputs that find translation bugs, and the binary files the harness drivers read/write.

Public API:
  generate_cases(proc, count, seed, pinned=None) -> list[Case]
  write_inputs(proc, cases) -> bytes           the file both drivers read
  read_outputs(proc, cases, data) -> (list[dict[name, ndarray]], complete_cases)
  summarize(case) -> dict                      small per-case description for the result

Choices (each aimed at a bug class seen in translations):
  - sizes cycle through 1, 3, 16, 100, 7, 33, 2, 64, ... so off-by-one, empty-tail and
    odd-length bugs show; several size arguments get different values (row/column mix-ups).
  - reals uniform in [-1, 1] (sign mix), with repeated values (ties) every other case.
  - integers small and non-zero (no division-by-zero in the reference); every fourth case
    uses magnitudes near 2**30 (integer(4)) or 2**40 (integer(8)) to expose overflow of
    narrower accumulators; integers that index arrays or bound loops stay within extents.
  - out/inout arrays and scalars start as random non-zero values, so a translation that
    forgets to clear or assign them fails.
  - the routine's constraints on integer arguments (verify/int_constraints.py: size floors and
    ceilings, fine grids covering coarse ones, the relations its guards and DO ranges imply,
    k < l <= p) hold among sizes and integer scalars (verify/int_solver.py); every fourth case
    keeps guard-violating values. A case that cannot meet one notes it in `Case.notes`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .fortran_signature import ASSUMED_LENGTH, Arg, Procedure, evaluate_extent
from .int_constraints import ConstraintSet, constraints_of
from .int_solver import satisfy, shrink
from .legacy_inputs import character_value, index_array_values, index_scalar_bounds, role_sizes

SIZE_SCHEDULE = [1, 3, 16, 100, 7, 33, 2, 64, 5, 17, 128, 9]
MAX_ELEMENTS_PER_CASE = 400_000


@dataclass
class Case:
    values: dict[str, np.ndarray]  # every argument, flat (Fortran order) for arrays, 0-d for scalars
    shapes: dict[str, tuple[int, ...]] = field(default_factory=dict)  # arrays: Fortran extents
    lowers: dict[str, tuple[int, ...]] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # constraints this case could not meet, as warnings


def generate_cases(proc: Procedure, count: int, seed: int, pinned: dict[str, str] | None = None,
                   first_case: int = 0) -> list[Case]:
    """`first_case` continues the size schedule (coverage rounds draw other sizes)."""
    rng = np.random.default_rng(seed)
    pinned = {k.lower(): v for k, v in (pinned or {}).items()}
    # COMMON members that size arguments are drawn first, like size arguments (sorted: the
    # schedule gives them different values in a stable order)
    size_args = [a for a in proc.args if a.is_size] + [m for m in sorted(proc.commons, key=lambda m: m.name)
                                                       if m.name in proc.common_sizes]
    # every constraint on integer arguments (floors, ceilings, grids, guards, DO ranges) in one set
    constraints = constraints_of(proc)
    cases = []
    for index in range(count):
        sizes = {}
        for j, arg in enumerate(size_args):
            sizes[arg.name] = SIZE_SCHEDULE[(index + first_case + 3 * j) % len(SIZE_SCHEDULE)]
            if arg.name in pinned:
                sizes[arg.name] = int(pinned[arg.name])
        unmet = _solve_sizes(proc, constraints, sizes, pinned, index)
        role_sizes(proc, index, sizes, pinned)
        shapes, lowers = _shapes(proc, sizes)
        for _ in range(64):  # one size halved per round, the sizes tied to it following
            if sum(int(np.prod(s)) for s in shapes.values()) <= MAX_ELEMENTS_PER_CASE or not sizes:
                break
            if not shrink(constraints, sizes, set(pinned), index):
                break
            role_sizes(proc, index, sizes, pinned)
            shapes, lowers = _shapes(proc, sizes)
        case = Case(values={}, shapes=shapes, lowers=lowers, sizes=sizes)
        min_extent = min((s for shape in shapes.values() for s in shape if s > 0), default=5)
        large = index % 4 == 3
        ties = index % 2 == 1
        for position, arg in enumerate(proc.args):
            if arg.is_procedure:
                continue  # passed by the harness, not read from the inputs file
            if arg.is_size or arg.role:
                case.values[arg.name] = np.array(sizes[arg.name], dtype=arg.dtype)
            elif arg.is_character:
                case.values[arg.name] = character_value(proc, arg, index, position)
            elif arg.name in pinned and not arg.is_array:
                case.values[arg.name] = np.array(_parse_pinned(pinned[arg.name], arg), dtype=arg.dtype)
            else:
                n = int(np.prod(shapes[arg.name])) if arg.is_array else 1
                data = index_array_values(proc, arg, shapes, lowers, rng, n, sizes)
                within = index_scalar_bounds(proc, arg, shapes, lowers) if data is None else None
                if data is None and within is None:
                    within = constraints.range_of(arg.name)
                if within is not None:
                    data = rng.integers(within[0], within[1] + 1, n).astype(arg.dtype)
                if data is None:
                    data = _random(rng, arg, n, proc.body, proc.arrays, min_extent, large, ties)
                case.values[arg.name] = data if arg.is_array else data.reshape(())
        unmet += _solve_scalars(proc, constraints, case, pinned, index)
        case.notes = list(dict.fromkeys(constraints.notes + [constraints.unmet_note(c) for c in unmet]))
        if proc.commons:
            from .common_blocks import member_values, size_of
            for member in proc.commons:
                case.shapes[member.name] = tuple(int(hi) - int(lo) + 1 for lo, hi in member.dims)
                case.lowers[member.name] = tuple(int(lo) for lo, _ in member.dims)
            for member in proc.commons:
                count = size_of(member) if member.is_array else 1
                if member.name in proc.common_sizes:
                    case.values[member.name] = np.array(sizes[member.name], dtype=member.dtype)
                    continue
                if member.name in pinned and not member.is_array and member.base in ("integer", "real"):
                    # --value pins a COMMON scalar too (a generator's seed: NPB's tran, amult)
                    case.values[member.name] = np.array(_parse_pinned(pinned[member.name], member), dtype=member.dtype)
                    continue
                data = member_values(member, rng, count)
                within = index_scalar_bounds(proc, member, case.shapes, case.lowers)
                if within is not None:  # lt in nx(lt): a level that exists
                    data = rng.integers(within[0], within[1] + 1, count).astype(member.dtype)
                case.values[member.name] = data if member.is_array else data.reshape(())
        cases.append(case)
    return cases


def _solve_sizes(proc: Procedure, constraints: ConstraintSet, sizes: dict[str, int], pinned: dict[str, str],
                 index: int) -> list:
    """Sizes move to satisfy the constraints among them and with pinned integer scalars."""
    fixed = {a.name: int(pinned[a.name]) for a in proc.args if a.name in pinned and a.name not in sizes
             and a.base == "integer" and not a.is_array}
    values = {**sizes, **fixed}
    unmet = satisfy(constraints, values, set(pinned), index)
    # a relation never makes an extent negative (pinned values that leave no room keep theirs)
    sizes.update({name: max(values[name], min(sizes[name], 0)) for name in sizes})
    return unmet


def _solve_scalars(proc: Procedure, constraints: ConstraintSet, case: Case, pinned: dict[str, str],
                   index: int) -> list:
    """Integer scalars that are not sizes move to satisfy the constraints (sizes stay)."""
    scalars = [a for a in proc.args if a.base == "integer" and not a.is_array and not a.is_size and not a.role
               and a.intent != "out" and a.name in case.values]
    if not scalars:
        return []
    values = {**case.sizes, **{a.name: int(case.values[a.name]) for a in scalars}}
    unmet = satisfy(constraints, values, set(pinned) | set(case.sizes), index)
    for arg in scalars:
        case.values[arg.name] = np.array(values[arg.name], dtype=arg.dtype)
    return unmet


def _parse_pinned(text: str, arg: Arg):
    if arg.base == "logical":
        return text.strip().lower() in ("1", "true", ".true.", "t")
    if arg.base == "complex":  # "(re,im)", "re,im" or a real
        parts = text.strip().strip("()").split(",")
        return complex(float(parts[0]), float(parts[1]) if len(parts) > 1 else 0.0)
    return int(text) if arg.base == "integer" else float(text)


def _shapes(proc: Procedure, sizes: dict[str, int]):
    sizes = {**proc.constants, **sizes}
    shapes, lowers = {}, {}
    for arg in proc.args:
        if arg.is_array:
            extents, lows = [], []
            for lower, upper in arg.dims:
                lo = evaluate_extent(lower, sizes)
                hi = evaluate_extent(upper, sizes)
                extents.append(max(0, hi - lo + 1))
                lows.append(lo)
            shapes[arg.name] = tuple(extents)
            lowers[arg.name] = tuple(lows)
    return shapes, lowers


def _random(rng: np.random.Generator, arg: Arg, n: int, body: str, arrays: frozenset[str], min_extent: int,
            large: bool, ties: bool) -> np.ndarray:
    output_only = arg.intent == "out"
    if arg.struct is not None:  # each field drawn like an argument of its own type
        values = np.zeros(n, dtype=arg.struct.dtype)
        for name, base, kind in arg.struct.fields:
            part = Arg(name=f"{arg.name}%{name}", base=base, kind=kind, intent=arg.intent)
            values[name] = _random(rng, part, n, body, arrays, min_extent, large, ties)
        return values
    if arg.base == "logical":
        return rng.random(n) < 0.5
    if arg.base == "complex":  # both parts drawn independently, signs mixed
        low = 0.5 if output_only else 0.0
        parts = [rng.uniform(low, 1.0, n) * rng.choice([-1.0, 1.0], n) for _ in range(2)]
        return (parts[0] + 1j * parts[1]).astype(arg.dtype)
    if arg.base == "real":
        if output_only:
            values = rng.uniform(0.5, 1.5, n) * rng.choice([-1.0, 1.0], n)
        else:
            values = rng.uniform(-1.0, 1.0, n)
            if ties and n > 1:
                repeat = rng.random(n) < 0.25
                values[repeat] = values[rng.integers(0, n, repeat.sum())]
        return values.astype(arg.dtype)
    # integers
    if not output_only and _used_as_index(arg.name, body, arrays):
        return rng.integers(1, max(1, min_extent) + 1, n).astype(arg.dtype)
    if large and not output_only:
        bound = 2 ** 30 if arg.kind == 4 else 2 ** 40
        values = rng.integers(bound // 2, bound, n) * rng.choice([-1, 1], n)
    else:
        values = rng.integers(1, 10, n) * rng.choice([-1, 1], n)
        if ties and n > 1 and not output_only:
            repeat = rng.random(n) < 0.25
            values[repeat] = values[rng.integers(0, n, repeat.sum())]
    return values.astype(arg.dtype)


def _used_as_index(name: str, body: str, arrays: frozenset[str]) -> bool:
    """Does `name` appear in a subscript of one of the routine's arrays, or bound a DO loop?
    (Intrinsic calls such as real(k, 8) or mod(k, m) look alike; only declared arrays count.)"""
    n = re.escape(name)
    loop_bound = rf"\bdo\b\s+(?:\d+\s*,?\s*)?\w+\s*=[^\n]*\b{n}\b"  # F77 labels: do 10 i = 1, n
    if re.search(loop_bound, body):
        return True
    for array in arrays:
        if array != name and re.search(rf"\b{re.escape(array)}\s*\([^()=]*(?:\([^()]*\)[^()=]*)*\b{n}\b", body):
            return True
    return False


def outputs_of(proc: Procedure) -> list[Arg]:
    """Arguments (and the result) the drivers write after each call, in file order."""
    outs = [a for a in proc.args if a.is_output]
    if proc.result is not None:
        outs.append(proc.result)
    if proc.xerbla_output:
        outs.append(XERBLA_OUTPUT)
    return outs + list(proc.commons)


# The argument number the routine reported through XERBLA (0: none), compared like an output.
XERBLA_OUTPUT = Arg(name="xerbla", base="integer", kind=4, intent="out")


def _is_string(arg: Arg) -> bool:
    return arg.is_character and arg.kind == ASSUMED_LENGTH


def storage_dtype(arg: Arg) -> np.dtype:
    """How the drivers store an argument in the input and output files (logicals as one byte)."""
    return np.dtype(np.uint8) if arg.base == "logical" else arg.dtype


_storage = storage_dtype


def write_inputs(proc: Procedure, cases: list[Case]) -> bytes:
    """Per case, per argument: arrays as int64 count + elements, scalars as one element.
    Logicals travel as one byte (0/1)."""
    chunks = [np.array([len(cases)], dtype=np.int64).tobytes()]
    for case in cases:
        for arg in proc.args:
            if arg.is_procedure:
                continue
            value = np.asarray(case.values[arg.name]).reshape(-1).astype(_storage(arg))
            if arg.is_array or _is_string(arg):
                chunks.append(np.array([value.size], dtype=np.int64).tobytes())
            chunks.append(value.tobytes())
        for member in proc.commons:  # always counted: the drivers read every member alike
            value = np.asarray(case.values[member.name]).reshape(-1).astype(member.dtype)
            chunks.append(np.array([value.size], dtype=np.int64).tobytes())
            chunks.append(value.tobytes())
    return b"".join(chunks)


def read_outputs(proc: Procedure, cases: list[Case], data: bytes) -> tuple[list[dict[str, np.ndarray]], int]:
    """Split a driver's output file into per-case values; also return how many cases completed."""
    results: list[dict[str, np.ndarray]] = []
    offset = 0
    for case in cases:
        values = {}
        for arg in outputs_of(proc):
            storage = _storage(arg)
            count = int(np.prod(case.shapes[arg.name])) if arg.is_array else 1
            nbytes = count * storage.itemsize
            if offset + nbytes > len(data):
                return results, len(results)
            raw = np.frombuffer(data, dtype=storage, count=count, offset=offset)
            offset += nbytes
            values[arg.name] = raw.astype(np.bool_) if arg.base == "logical" else raw.copy()
        results.append(values)
    return results, len(results)


def summarize(case: Case) -> dict:
    summary: dict = {"sizes": dict(case.sizes)}
    for name, value in case.values.items():
        arr = np.asarray(value)
        if arr.dtype == np.uint8:  # CHARACTER
            summary[name] = arr.tobytes().decode("latin-1")
        elif arr.dtype.names:  # a bind(C) struct
            summary[name] = str(arr.item()) if arr.ndim == 0 else f"struct[{arr.size}]"
        elif arr.ndim == 0 and arr.dtype.kind == "c":
            summary[name] = str(complex(arr.item()))
        elif arr.ndim == 0:
            summary[name] = float(str(arr)) if arr.dtype == np.float32 else arr.item()
        else:
            summary[name] = f"{arr.dtype.name}[{arr.size}]"
    return summary
