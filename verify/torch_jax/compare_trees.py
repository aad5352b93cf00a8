"""Compare the torch reference's outputs with the candidate's: structure, shapes, dtypes and
values within per-dtype tolerances.  Runs in the trusted parent on plain numpy arrays (flatten
also serves both sandboxed sides)."""

from __future__ import annotations

import math

import numpy as np

# (rtol, atol) per dtype; atol scales with the output's mean magnitude (sums of many terms).
TOLERANCES = {"float16": (1e-2, 1e-2), "bfloat16": (2e-2, 2e-2), "float32": (1e-4, 1e-4), "float64": (1e-8, 1e-8)}
MAX_PER_CASE = 3


def flatten(value, prefix: str = "output") -> list[tuple[str, object]]:
    """(name, leaf) pairs in order: tensors/arrays and Python scalars are leaves."""
    if isinstance(value, (tuple, list)):
        out = []
        for i, item in enumerate(value):
            out += flatten(item, f"{prefix}[{i}]")
        return out
    if isinstance(value, dict):
        out = []
        for key in sorted(value):
            out += flatten(value[key], f"{prefix}[{key!r}]")
        return out
    return [(prefix, value)]


def leaves(records, arrays: dict, prefix: str = "output") -> list[tuple[str, object, str, bool]]:
    """(name, array or None, dtype name, from a torch tensor) per leaf record of a side.
    Records from the candidate's process are untrusted: anything malformed reads as a leaf
    that cannot match."""
    out = []
    for i, record in enumerate(records if isinstance(records, list) else []):
        if not isinstance(record, dict):
            record = {}
        name = record.get("name") if isinstance(record.get("name"), str) else f"{prefix}[{i}]"
        key, dtype = record.get("array"), record.get("dtype")
        array = arrays.get(key) if isinstance(key, str) else None
        dtype = dtype if isinstance(dtype, str) else "object"
        if array is None and dtype != "None":
            dtype = f"{record.get('type', 'an unreadable value')} (not an array)"
        out.append((name, array, dtype, bool(record.get("tensor"))))
    return out


def _index(flat: int, shape) -> str:
    if not shape:
        return "()"
    return "(" + ",".join(str(int(i)) for i in np.unravel_index(flat, shape)) + ")"


def _number(value):
    value = value.item() if hasattr(value, "item") else value
    return value if not isinstance(value, float) or math.isfinite(value) else repr(value)


def compare(expected: list, actual: list, case: int, x64: bool, rtol: float | None, atol: float | None,
            prefix: str = "output") -> tuple[list[dict], list[str]]:
    """(mismatches, problems) between two lists of `leaves`; problems are structural (count,
    shape, dtype) in words."""
    if len(expected) != len(actual):
        return [], [f"{prefix}: the reference returns {len(expected)} value(s), the candidate {len(actual)}"]
    mismatches, problems = [], []
    for (name, e, e_dtype, tensor), (_, a, a_dtype, _) in zip(expected, actual):
        if e is None or a is None:
            if (e is None) != (a is None) or e_dtype != a_dtype:
                problems.append(f"{name}: expected {e_dtype}, got {a_dtype}")
            continue
        if tuple(e.shape) != tuple(a.shape):
            problems.append(f"{name}: shape {tuple(a.shape)}, expected {tuple(e.shape)}")
            continue
        if not _dtype_agrees(e_dtype, a_dtype, x64, tensor):
            problems.append(f"{name}: dtype {a_dtype}, expected {e_dtype}")
            continue
        mismatches += _values(name, e, a, e_dtype, case, rtol, atol)
    return mismatches, problems


def _dtype_agrees(expected: str, actual: str, x64: bool, tensor: bool) -> bool:
    if not tensor:  # a Python scalar from the reference: compare values only
        return True
    if expected == actual:
        return True
    # Without x64 JAX has no 64-bit integers: torch's int64 compares by value with int32.
    return not x64 and expected == "int64" and actual == "int32"


def first_value_mismatch(expected, actual, rtol: float | None, atol: float | None) -> dict | None:
    """{index, expected, actual, count, of} of the first element outside tolerance, or None."""
    found = _values("", expected, actual, str(expected.dtype), 0, rtol, atol)
    return {k: found[0][k] for k in ("index", "expected", "actual", "count", "of")} if found else None


def _values(name, e, a, dtype, case, rtol, atol) -> list[dict]:
    if dtype in TOLERANCES or np.issubdtype(e.dtype, np.floating):
        r, t = TOLERANCES.get(dtype, TOLERANCES["float32"])
        r = r if rtol is None else rtol
        t = t if atol is None else atol
        e64, a64 = e.astype(np.float64), a.astype(np.float64)
        finite = np.isfinite(e64)
        scale = float(np.mean(np.abs(e64[finite]))) if finite.any() else 1.0
        with np.errstate(invalid="ignore", over="ignore"):  # inf - inf: judged below, not an error
            diff = np.abs(a64 - e64)
        # Values near the top of the type's range may overflow on one side only (a scan multiplies
        # partial products in another order): both saturate.
        edge = float(np.finfo(e.dtype).max) / 1e4 if np.issubdtype(e.dtype, np.floating) else math.inf
        saturated = (np.abs(e64) >= edge) & (np.abs(a64) >= edge) & (np.sign(e64) == np.sign(a64))
        bad = ~((diff <= t * max(1.0, scale) + r * np.abs(e64)) | (np.isnan(e64) & np.isnan(a64))
                | (np.isinf(e64) & (a64 == e64)) | saturated)
    else:
        bad = e != a
    where = np.flatnonzero(bad.reshape(-1))
    out = []
    for flat in where[:MAX_PER_CASE]:
        ev, av = e.reshape(-1)[flat], a.reshape(-1)[flat]
        abs_err = rel_err = None
        if np.issubdtype(e.dtype, np.number) and not np.issubdtype(e.dtype, np.bool_):
            abs_err = float(abs(float(av) - float(ev)))
            rel_err = abs_err / abs(float(ev)) if float(ev) != 0 else None
            abs_err = _number(abs_err)
            rel_err = _number(rel_err) if rel_err is not None else None
        out.append({"output": name, "case": case, "index": _index(flat, e.shape), "expected": _number(ev),
                    "actual": _number(av), "abs_err": abs_err, "rel_err": rel_err,
                    "count": int(where.size), "of": int(e.size)})
    return out
