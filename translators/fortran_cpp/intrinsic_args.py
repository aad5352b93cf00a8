"""Actual arguments of intrinsic calls: positional and keyword forms, by the standard's names."""

from __future__ import annotations

from fparser.two import Fortran2003 as F

_ARG_NAMES = {
    "sum": ["array", "dim", "mask"], "product": ["array", "dim", "mask"], "maxval": ["array", "dim", "mask"],
    "minval": ["array", "dim", "mask"], "maxloc": ["array", "dim", "mask"], "minloc": ["array", "dim", "mask"],
    "count": ["mask", "dim"], "any": ["mask", "dim"], "all": ["mask", "dim"], "size": ["array", "dim", "kind"],
    "lbound": ["array", "dim"], "ubound": ["array", "dim"], "dot_product": ["vector_a", "vector_b"],
    "real": ["a", "kind"], "int": ["a", "kind"], "nint": ["a", "kind"], "floor": ["a", "kind"],
    "ceiling": ["a", "kind"], "cmplx": ["x", "y", "kind"], "merge": ["tsource", "fsource", "mask"],
    "atan2": ["y", "x"], "mod": ["a", "p"], "modulo": ["a", "p"], "sign": ["a", "b"],
    "reshape": ["source", "shape", "pad", "order"],
}


def split_args(name: str, args: list) -> dict[str, object]:
    names = _ARG_NAMES.get(name, [])
    result: dict[str, object] = {}
    for position, arg in enumerate(args):
        if isinstance(arg, F.Actual_Arg_Spec):
            result[str(arg.items[0]).lower()] = arg.items[1]
        else:
            result[names[position] if position < len(names) else f"#{position}"] = arg
    return result


def positional(args: list) -> list:
    return [a.items[1] if isinstance(a, F.Actual_Arg_Spec) else a for a in args]
