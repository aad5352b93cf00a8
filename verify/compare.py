"""Compare what the reference and the candidate produced.

Public functions:
  default_tolerance(dtype, fast_math=False) -> (rtol, atol_scale)
      float32: 1e-4 relative, absolute floor 1e-4 x the output's largest magnitude;
      float64: 1e-9 likewise; integers and logicals: exact (0, 0).
      fast_math (a candidate built with -ffast-math): float32 1e-3, float64 1e-7 (FAST_MATH_TOLERANCE).
  compare_values(name, expected, actual, case, *, shape=None, lower=None, rtol=None, atol=None,
                 limit=MAX_MISMATCHES, fast_math=False) -> list[Mismatch]
      numpy arrays or scalars of one dtype. NaN equals NaN, infinities must match exactly.
      With `shape`/`lower` (Fortran extents and lower bounds) indices are reported
      Fortran-style, "(3,2)"; otherwise the flat 0-based index. `rtol`/`atol` override the
      defaults (atol is then an absolute bound, not a scale).
  compare_stdout(expected, actual, *, rtol=1e-4, atol=1e-6, limit=MAX_MISMATCHES) -> list[Mismatch]
      program-mode output, whitespace-insensitive: numbers within rtol/atol, everything
      else exactly; identical text is equal before any numeric rule; gfortran spellings
      (Infinity, NaN, 1.0D+02, 0.1000+101) match C++ ones (inf, nan, 100).
  compare_exit_status(expected, actual) -> list[Mismatch]
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np

from .result import Mismatch

MAX_MISMATCHES = 10
# -ffast-math lets the compiler reassociate sums (the rounding error of an n-term reduction then
# grows like n*eps of its terms' magnitude instead of following the source's order), call
# vectorised math functions accurate to a few ulp, and flush denormals to zero: ten times the
# float32 tolerance (still about 100 ulp), and 1e-7 for float64. Integers stay exact, and NaN
# and infinities must still match (-ffinite-math-only makes no promise there, so a candidate
# that loses them is reported).
FAST_MATH_TOLERANCE = {"float32": (1e-3, 1e-3), "float64": (1e-7, 1e-7)}


def default_tolerance(dtype: np.dtype, fast_math: bool = False) -> tuple[float, float]:
    dtype = np.dtype(dtype)
    if dtype.kind == "c":  # per part, as the real type of the parts
        dtype = np.dtype(np.float32) if dtype == np.complex64 else np.dtype(np.float64)
    if dtype == np.float32:
        return FAST_MATH_TOLERANCE["float32"] if fast_math else (1e-4, 1e-4)
    if dtype.kind == "f":
        return FAST_MATH_TOLERANCE["float64"] if fast_math else (1e-9, 1e-9)
    return 0.0, 0.0


def compare_values(name: str, expected: Any, actual: Any, case: int, *, shape: tuple[int, ...] | None = None,
                   lower: tuple[int, ...] | None = None, rtol: float | None = None, atol: float | None = None,
                   limit: int = MAX_MISMATCHES, fast_math: bool = False) -> list[Mismatch]:
    exp = np.asarray(expected).reshape(-1)
    act = np.asarray(actual).reshape(-1)
    if exp.dtype.kind == "c" and exp.size == act.size:
        return _compare_complex(name, exp, act, case, shape, lower, rtol, atol, limit, fast_math)
    is_scalar = np.ndim(expected) == 0 and shape is None
    if exp.size != act.size:
        return [Mismatch(output=name, case=case, index=None, expected=f"{exp.size} values",
                         actual=f"{act.size} values")]
    if exp.dtype.kind in "biu" or exp.dtype == np.bool_:
        bad = np.nonzero(exp != act)[0]
        return [_mismatch(name, case, int(i), exp[i], act[i], shape, lower, is_scalar, exact=True)
                for i in bad[:limit]]
    default_rtol, scale = default_tolerance(exp.dtype, fast_math)
    e = exp.astype(np.float64)
    a = act.astype(np.float64)
    finite = np.isfinite(e)
    magnitude = float(np.max(np.abs(e[finite]))) if finite.any() else 0.0
    rel = default_rtol if rtol is None else rtol
    floor = scale * magnitude if atol is None else atol
    with np.errstate(invalid="ignore", over="ignore"):
        close = finite & (np.abs(a - e) <= floor + rel * np.abs(e))
    both_nan = np.isnan(e) & np.isnan(a)
    same_inf = np.isinf(e) & (e == a)
    bad = np.nonzero(~(close | both_nan | same_inf))[0]
    return [_mismatch(name, case, int(i), exp[i], act[i], shape, lower, is_scalar) for i in bad[:limit]]


def _mismatch(name: str, case: int, flat: int, expected: Any, actual: Any, shape, lower, is_scalar: bool,
              exact: bool = False) -> Mismatch:
    exp_v, act_v = _plain(expected), _plain(actual)
    abs_err = rel_err = None
    if not isinstance(exp_v, bool) and isinstance(exp_v, (int, float)) and isinstance(act_v, (int, float)):
        if math.isfinite(exp_v) and math.isfinite(act_v):
            abs_err = float(abs(act_v - exp_v))
            rel_err = abs_err / abs(exp_v) if exp_v != 0 else None
    index: str | int | None = None if is_scalar else fortran_index(flat, shape, lower) if shape else flat
    return Mismatch(output=name, case=case, index=index, expected=exp_v, actual=act_v, abs_err=abs_err,
                    rel_err=rel_err)


def _plain(value: Any) -> Any:
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.float32):
        return float(str(value))  # shortest float32 spelling: 0.1 stays 0.1, not 0.10000000149
    if isinstance(value, np.floating):
        return float(value)
    return value


def fortran_index(flat: int, shape: tuple[int, ...], lower: tuple[int, ...] | None = None) -> str:
    """Column-major flat index -> "(i,j,...)" with the array's lower bounds (default 1)."""
    lower = lower or (1,) * len(shape)
    subs = []
    for extent, lo in zip(shape, lower):
        extent = max(int(extent), 1)
        subs.append(flat % extent + lo)
        flat //= extent
    return "(" + ",".join(str(s) for s in subs) + ")"


# ---- program mode -------------------------------------------------------------------------

_SPECIAL = {"inf": math.inf, "+inf": math.inf, "-inf": -math.inf, "infinity": math.inf, "+infinity": math.inf,
            "-infinity": -math.inf, "nan": math.nan, "+nan": math.nan, "-nan": math.nan}
# A number inside a chunk: decimal with optional exponent (E/D letter, or gfortran's
# letterless three-digit exponent "0.1000+101").
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eEdD][-+]?\d+|(?<=\d)[-+]\d{3}(?!\d))?")


def tokenize_output(text: str) -> list[tuple[str, str, float | None]]:
    """stdout -> [(kind, raw, value)]: kind "num" or "text"; whitespace is dropped and
    adjacent text pieces are merged, so "n = 42" and "n=42" tokenize the same."""
    tokens: list[tuple[str, str, float | None]] = []

    def add_text(piece: str) -> None:
        if not piece:
            return
        if tokens and tokens[-1][0] == "text":
            tokens[-1] = ("text", tokens[-1][1] + piece, None)
        else:
            tokens.append(("text", piece, None))

    for chunk in text.split():
        special = _SPECIAL.get(chunk.lower().rstrip(",;"))
        if special is not None:
            tokens.append(("num", chunk.rstrip(",;"), special))
            add_text(chunk[len(chunk.rstrip(",;")):])
            continue
        pos = 0
        for match in _NUMBER.finditer(chunk):
            # A digit glued to a name ("x1", "r2d2") is part of the text, not a number.
            if match.start() > 0 and (chunk[match.start() - 1].isalpha() or chunk[match.start() - 1] == "_"):
                continue
            add_text(chunk[pos:match.start()])
            tokens.append(("num", match.group(), _to_float(match.group())))
            pos = match.end()
        add_text(chunk[pos:])
    return tokens


def _to_float(raw: str) -> float:
    text = raw.replace("d", "e").replace("D", "e")
    try:
        return float(text)
    except ValueError:
        mantissa, sign, exponent = re.match(r"(.*\d)([-+])(\d{3})$", text).groups()
        return float(f"{mantissa}e{sign}{exponent}")


def compare_stdout(expected: str, actual: str, *, rtol: float = 1e-4, atol: float = 1e-6,
                   limit: int = MAX_MISMATCHES) -> list[Mismatch]:
    if expected == actual:
        return []
    exp_t, act_t = tokenize_output(expected), tokenize_output(actual)
    mismatches: list[Mismatch] = []
    for i, (e, a) in enumerate(zip(exp_t, act_t)):
        if e[1] == a[1]:
            continue
        if e[0] == "num" and a[0] == "num":
            ev, av = e[2], a[2]
            if (math.isnan(ev) and math.isnan(av)) or ev == av:
                continue
            if math.isfinite(ev) and math.isfinite(av) and abs(av - ev) <= max(atol, rtol * abs(ev)):
                continue
            abs_err = abs(av - ev) if math.isfinite(ev) and math.isfinite(av) else None
            rel_err = abs_err / abs(ev) if abs_err is not None and ev != 0 else None
            mismatches.append(Mismatch(output="stdout", case=0, index=i, expected=e[1], actual=a[1],
                                       abs_err=abs_err, rel_err=rel_err))
        else:
            mismatches.append(Mismatch(output="stdout", case=0, index=i, expected=e[1], actual=a[1]))
        if len(mismatches) >= limit:
            return mismatches
    if len(exp_t) != len(act_t) and len(mismatches) < limit:
        n = min(len(exp_t), len(act_t))
        extra_e = " ".join(t[1] for t in exp_t[n:n + 5]) or "<end of output>"
        extra_a = " ".join(t[1] for t in act_t[n:n + 5]) or "<end of output>"
        mismatches.append(Mismatch(output="stdout", case=0, index=n, expected=extra_e, actual=extra_a))
    return mismatches


def compare_exit_status(expected: int | None, actual: int | None) -> list[Mismatch]:
    if expected == actual:
        return []
    return [Mismatch(output="exit_status", case=0, index=None, expected=expected, actual=actual)]


def _compare_complex(name, exp, act, case, shape, lower, rtol, atol, limit, fast_math=False) -> list[Mismatch]:
    """Real and imaginary parts compared as one real array (interleaved, so the absolute floor
    scales with the largest part of any value); a mismatch shows both complex values."""
    found = compare_values(name, exp.view(exp.real.dtype), act.view(act.real.dtype), case, rtol=rtol, atol=atol,
                           limit=2 * limit, fast_math=fast_math)
    mismatches: list[Mismatch] = []
    seen: set[int] = set()
    for m in found:
        flat = int(m.index) // 2 if isinstance(m.index, int) else 0
        if flat in seen:
            continue
        seen.add(flat)
        index = _complex_index(flat, shape, lower, exp.size)
        e, a = complex(exp[flat]), complex(act[flat])
        mismatches.append(Mismatch(output=name, case=case, index=index, expected=str(e), actual=str(a),
                                   abs_err=abs(e - a), rel_err=abs(e - a) / abs(e) if e != 0 else None))
        if len(mismatches) >= limit:
            break
    return mismatches


def _complex_index(flat: int, shape, lower, size: int):
    if shape:
        return fortran_index(flat, shape, lower)
    return None if size == 1 else flat


def compare_text(name: str, expected: Any, actual: Any, case: int) -> list[Mismatch]:
    """A C string output (its bytes up to the NUL): one mismatch at the first differing character,
    showing both strings."""
    exp = bytes(np.asarray(expected, dtype=np.uint8)).decode("latin-1")
    act = bytes(np.asarray(actual, dtype=np.uint8)).decode("latin-1")
    if exp == act:
        return []
    index = next((i for i, (e, a) in enumerate(zip(exp, act)) if e != a), min(len(exp), len(act)))
    return [Mismatch(output=name, case=case, index=index, expected=repr(exp), actual=repr(act))]
