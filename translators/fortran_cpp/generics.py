"""Generic interfaces (`interface g / module procedure a, b`): a reference to g is a reference
to the one specific procedure whose dummy arguments take the actual arguments, decided by
type, kind and rank as Fortran decides it at compile time; the C++ names the specific."""

from __future__ import annotations

from fparser.two import Fortran2003 as F

from .errors import UnsupportedConstruct
from .symbols import Procedure


def resolve_generic(tr, name: str, args: list, node, elem) -> Procedure | None:
    """The specific procedure a reference to generic `name` calls; None when `name` is no
    generic visible in the unit."""
    specifics = tr.scope.lookup_generic(name)
    if specifics is None:
        return None
    missing = [s for s in specifics if s not in tr.ctx.procedures]
    if missing:
        raise UnsupportedConstruct("generic interface", f"'{name}' names '{missing[0]}', which is not translated")
    actual = [_signature(tr, a, elem) for a in args]
    matches = [tr.ctx.procedures[s] for s in specifics if _takes(tr.ctx.procedures[s], args, actual)]
    if len(matches) != 1:
        kinds = ", ".join(f"{t.base}({t.kind})" + (f" rank {r}" if r else "") for t, r in actual)
        what = "no specific" if not matches else f"{len(matches)} specifics"
        raise UnsupportedConstruct("generic interface", f"'{node}': {what} of generic '{name}' "
                                   f"({', '.join(specifics)}) take(s) arguments of type {kinds or 'none'}")
    return matches[0]


def _signature(tr, actual, elem):
    """(FType, rank) of an actual argument, read without emitting anything."""
    value = actual.items[1] if isinstance(actual, F.Actual_Arg_Spec) else actual
    if isinstance(value, F.Name):
        symbol = tr.scope.lookup(value.string.lower())
        if symbol is not None and symbol.is_array:
            return symbol.type, symbol.rank
    kept = list(tr.ctx.pre)
    try:
        return tr.expr(value, elem).type, 0
    finally:
        tr.ctx.pre[:] = kept


def _takes(procedure: Procedure, args: list, actual: list) -> bool:
    if len(args) != len(procedure.args):
        return False
    for position, (arg, (ftype, rank)) in enumerate(zip(args, actual)):
        dummy_name = str(arg.items[0]).lower() if isinstance(arg, F.Actual_Arg_Spec) else procedure.args[position]
        dummy = procedure.scope.symbols.get(dummy_name)
        if dummy is None or dummy.type != ftype or dummy.rank != rank:
            return False
    return True
