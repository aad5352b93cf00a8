"""Inputs for the arguments legacy Fortran passes: strides, leading dimensions, CHARACTER
options and index arrays. Used by unit_inputs.generate_cases.

Public API:
  role_sizes(proc, index, sizes, pinned) -> None
      strides (1, 2, -1, 3, ... ; negative only where the routine tests the sign; 0 in one case of
      eight where the routine reports errors through XERBLA) and leading
      dimensions (the largest length plus 0, 1 or 3 rows of slack, different for each leading
      dimension of a case) into `sizes`
  character_value(proc, arg, index, position) -> ndarray
      one letter (uint8 scalar) or a string (uint8 array, no terminator); where the routine
      compares it with no literal, random letters from a small alphabet (matches occur)
  character_choices(proc, arg) -> list[str]
      what a CHARACTER option is compared against, in both cases (LSAME ignores case); where
      the routine reports errors through XERBLA, its first option takes a letter it rejects
      in one case of eight
  index_array_values(proc, arg, shapes, lowers, rng, n) -> ndarray | None
      values for an integer array the routine uses as subscripts: within the extent they
      index; monotone from 1 when they bound a DO loop (CSR row pointers); None when the
      array is not used that way
"""

from __future__ import annotations

import re

import numpy as np

from .assumed_size import stride_handles_negative
from .fortran_kinds import split_top
from .fortran_signature import ASSUMED_LENGTH, Arg, Procedure

_POSITIVE_STRIDES = [1, 2, 1, 3]
_SIGNED_STRIDES = [1, 2, -1, 3, 1, -2]
_SLACK = [0, 1, 3]


def role_sizes(proc: Procedure, index: int, sizes: dict[str, int], pinned: dict[str, str]) -> None:
    strides = [a for a in proc.args if a.role == "stride"]
    for position, arg in enumerate(strides):
        if arg.name in pinned:
            sizes[arg.name] = int(pinned[arg.name])
            continue
        schedule = _SIGNED_STRIDES if stride_handles_negative(proc, arg.name) else _POSITIVE_STRIDES
        sizes[arg.name] = schedule[(index + position) % len(schedule)]
        if "xerbla" in proc.externals and index % 8 == 5 and position == 0:
            sizes[arg.name] = 0  # the error path: routines that report through XERBLA reject a zero stride
    for position, arg in enumerate(a for a in proc.args if a.role == "plane"):
        if arg.name in pinned:
            sizes[arg.name] = int(pinned[arg.name])
        else:  # the first plane that keeps k-1 in bounds, and a few beyond it
            sizes[arg.name] = (arg.min_index or 1) + (index + position) % 3
    lengths = [sizes[a.name] for a in proc.args if a.role == "length" and a.name in sizes]
    leading = [a for a in proc.args if a.role == "leading"]
    # Band storage (LINPACK's dgbfa: abd(lda,*) with lda >= 2*ml + mu + 1) addresses rows by sums
    # of the lengths: with several lengths the leading dimension covers twice their sum.
    rows = 2 * sum(lengths) + 1 if len(lengths) > 1 and _band_storage(proc) else max(lengths + [1])
    for position, arg in enumerate(leading):  # different slack per argument: lda/ldb mix-ups show
        if arg.name not in pinned:
            sizes[arg.name] = rows + _SLACK[(index + position) % len(_SLACK)]


def _band_storage(proc: Procedure) -> bool:
    """A row subscript computed from a sum of integer arguments (m = ml + mu + 1 ... abd(m, k))."""
    lengths = [a.name for a in proc.args if a.role == "length"]
    return any(re.search(rf"=\s*[^\n]*\b{re.escape(a)}\s*\+\s*{re.escape(b)}\b", proc.body)
               for a in lengths for b in lengths if a != b)


def character_choices(proc: Procedure, arg: Arg) -> list[str]:
    name = re.escape(arg.name)
    body = proc.body
    found: list[str] = []
    patterns = [rf"\blsame\s*\(\s*{name}\s*,\s*'([^']*)'\s*\)", rf"\blsame\s*\(\s*'([^']*)'\s*,\s*{name}\s*\)",
                rf"\b{name}\s*(?:==|\.eq\.|/=|\.ne\.)\s*'([^']*)'", rf"'([^']*)'\s*(?:==|\.eq\.|/=|\.ne\.)\s*{name}\b"]
    for pattern in patterns:
        found += re.findall(pattern, body)
    select = re.search(rf"select\s+case\s*\(\s*{name}\s*\)(.*?)end\s*select", body, re.S)
    if select:
        found += re.findall(r"'([^']*)'", select.group(1))
    letters = []
    for value in found:
        for spelled in _spellings(value):
            if spelled not in letters:
                letters.append(spelled)
    if arg.kind != ASSUMED_LENGTH:
        letters = [c for c in letters if len(c) == 1]
    if not letters:
        return []
    return [c for c in letters if c.isupper() or not c.isalpha()] + [c for c in letters if c.islower()]


def _rejected_letter(choices: list[str]) -> str:
    return next(c for c in "QZXW" if c not in {x.upper() for x in choices})


def _spellings(value: str) -> list[str]:
    """Both cases: LSAME compares case-insensitively, and callers of `uplo == 'U'` routines
    pass either."""
    return list(dict.fromkeys([value.upper(), value.lower()]))


_LENGTHS = [1, 3, 16, 7, 2, 33, 5, 0]


def character_value(proc: Procedure, arg: Arg, index: int, position: int) -> np.ndarray:
    choices = character_choices(proc, arg)
    if choices:
        chosen = choices[(index + 2 * position) % len(choices)]
        options = [a for a in proc.args if a.is_character and a.kind != ASSUMED_LENGTH and character_choices(proc, a)]
        if "xerbla" in proc.externals and index % 8 == 6 and options and options[0] is arg:
            chosen = _rejected_letter(choices)  # one case of eight takes the error path
    else:  # compared against no literal: a few letters, repeated, so matches occur
        chosen = _free_letters(index, position, 1 if arg.kind != ASSUMED_LENGTH else _LENGTHS[index % len(_LENGTHS)])
        anchor = _first_free_letter(proc)
        if arg.kind != ASSUMED_LENGTH and anchor is not None and anchor[1] is not arg:
            # A second free letter equals the first, or differs only in case, in half the
            # cases: comparisons (case-insensitive ones too) see both outcomes.
            first = _free_letters(index, anchor[0], 1)
            chosen = {1: first.swapcase(), 2: first}.get(index % 4, chosen)
    if arg.char_len:  # character*8: exactly that long, blank padded as Fortran pads
        chosen = chosen[:arg.char_len].ljust(arg.char_len)
    data = np.frombuffer(chosen.encode("latin-1", "replace"), dtype=np.uint8).copy()
    return data if arg.kind == ASSUMED_LENGTH else data[:1].reshape(())


def _free_letters(index: int, position: int, length: int) -> str:
    rng = np.random.default_rng(7919 * index + position)
    return "".join(rng.choice(list("abAB "), length))


def _first_free_letter(proc: Procedure) -> tuple[int, Arg] | None:
    for position, arg in enumerate(proc.args):
        if arg.is_character and arg.kind != ASSUMED_LENGTH and not character_choices(proc, arg):
            return position, arg
    return None


def index_array_values(proc: Procedure, arg: Arg, shapes: dict[str, tuple[int, ...]],
                       lowers: dict[str, tuple[int, ...]], rng: np.random.Generator, n: int,
                       sizes: dict[str, int] | None = None) -> np.ndarray | None:
    if arg.base != "integer" or not arg.is_array or arg.intent == "out":
        return None
    body = proc.body
    name = re.escape(arg.name)
    loop = re.search(rf"(?m)^\s*(?:\d+\s+)?do\s+(?:\d+\s*,?\s*)?(\w+)\s*=\s*{name}\s*\(", body)
    if loop:  # row pointers: do k = rowptr(i), rowptr(i+1)-1
        extent = _extent_indexed_by(loop.group(1), body, shapes, lowers, proc)
        if extent is not None:
            values = np.sort(rng.integers(1, extent + 2, n))
            values[0] = 1
            if n > 1:
                values[-1] = extent + 1
            return values.astype(arg.dtype)
    # aliases: kp = kpvt(k), and ks = iabs(kpvt(k)) where the sign flags a 2x2 pivot block
    names = {arg.name} | set(re.findall(rf"(?m)^\s*(?:\d+\s+)?(\w+)\s*=\s*(?:i?abs\s*\(\s*)?{name}\s*\([^()]*\)\s*\)?\s*$",
                                        body))
    bounds = []
    for alias in names:
        for array, position in _subscript_uses(alias, body, proc.arrays):
            if array in shapes and position < len(shapes[array]):
                low = lowers[array][position]
                bounds.append((low, low + shapes[array][position] - 1))
    if not bounds:
        order = _pivot_order(proc, arg, sizes or {})
        return None if order is None else rng.integers(1, order + 1, n).astype(arg.dtype)
    low = max(b[0] for b in bounds)
    high = min(b[1] for b in bounds)
    if high < low:
        return np.full(n, low, dtype=arg.dtype)
    return rng.integers(low, high + 1, n).astype(arg.dtype)


def index_scalar_bounds(proc: Procedure, arg: Arg, shapes: dict[str, tuple[int, ...]],
                        lowers: dict[str, tuple[int, ...]]) -> tuple[int, int] | None:
    """[low, high] for an integer scalar that is a whole subscript of some array (`ten(i, ind)`
    with ten(m, 0:1): 0..1), from the extents of the dimensions it subscripts."""
    if arg.base != "integer" or arg.is_array or arg.intent == "out":
        return None
    bounds = [(lowers[a][p], lowers[a][p] + shapes[a][p] - 1) for a, p in _subscript_uses(arg.name, proc.body, proc.arrays)
              if a in shapes and p < len(shapes[a])]
    if not bounds:
        return None
    low, high = max(b[0] for b in bounds), min(b[1] for b in bounds)
    return (low, high) if high >= low else None


_PIVOT_NAME = re.compile(r"pvt|piv|perm")


def _pivot_order(proc: Procedure, arg: Arg, sizes: dict[str, int]) -> int | None:
    """A pivot vector (ipvt, kpvt, ipiv, perm) read by the routine holds row numbers 1..n, n the
    order of the matrix: the smallest length argument. Positive values are 1x1 pivots, valid for
    every factorisation that flags 2x2 blocks by a negative sign."""
    if not _PIVOT_NAME.search(arg.name):
        return None
    orders = [sizes[a.name] for a in proc.args if a.role == "length" and a.name in sizes]
    return max(1, min(orders)) if orders else None


def _subscript_uses(name: str, body: str, arrays: frozenset[str]):
    """(array, dimension) for each subscript position where `name` (or `name(...)`) is the whole
    subscript: x(colidx(k)), a(ip, k)."""
    n = re.escape(name)
    for array in arrays:
        if array == name:
            continue
        for m in re.finditer(rf"\b{re.escape(array)}\s*\(((?:[^()]|\([^()]*\))*)\)", body):
            parts = split_top(m.group(1))
            for position, part in enumerate(parts):
                if re.fullmatch(rf"\s*{n}\s*(?:\([^()]*\))?\s*", part):
                    yield array, position


def _extent_indexed_by(loop_var: str, body: str, shapes, lowers, proc: Procedure) -> int | None:
    extents = [shapes[a][pos] for a, pos in _subscript_uses(loop_var, body, proc.arrays) if a in shapes
               and len(shapes[a]) == 1]
    return min(extents) if extents else None
