"""Actual arguments of calls to procedures of the same file, under the calling convention:
arrays as pointers to their first element (sequence association), scalars the callee
writes as references, other scalars by value."""

from __future__ import annotations

from fparser.two import Fortran2003 as F

from .errors import UnsupportedConstruct
from .symbols import Procedure


def call_arguments(tr, procedure: Procedure, args: list, node, elem) -> list[str]:
    dummies = procedure.args
    bound: dict[str, object] = {}
    for position, arg in enumerate(args):
        if isinstance(arg, F.Actual_Arg_Spec):
            bound[str(arg.items[0]).lower()] = arg.items[1]
        elif position < len(dummies):
            bound[dummies[position]] = arg
        else:
            raise UnsupportedConstruct("procedure call", f"too many arguments in '{node}'")
    result = []
    for name in dummies:
        if name not in bound:
            raise UnsupportedConstruct("optional argument", f"argument '{name}' of '{procedure.name}' is missing in '{node}'")
        dummy = procedure.scope.symbols[name]
        actual = bound[name]
        if dummy.is_array:
            result.append(_array_argument(tr, actual, node, dummy))
            if dummy.assumed_shape:
                result += _extents_of_actual(tr, actual, node, dummy)
        elif dummy.by_reference:
            value = tr.expr(actual, elem)
            if not value.lvalue:
                raise UnsupportedConstruct("procedure call", f"'{actual}' is passed to '{name}', which "
                                           f"'{procedure.name}' may modify, but it is not a variable")
            if value.type != dummy.type:
                raise UnsupportedConstruct("procedure call", f"'{actual}' has a different type from argument '{name}' of '{procedure.name}'")
            result.append(value.code)
        else:
            result.append(tr.expr(actual, elem).code)
    return result


def _array_argument(tr, actual, node, dummy) -> str:
    if isinstance(actual, F.Name):
        symbol = tr.symbol(actual.string.lower())
        if symbol.is_array:
            return symbol.cname if symbol.storage == "pointer" else f"{symbol.cname}.data()"
    view = tr.view(actual) if isinstance(actual, (F.Name, F.Part_Ref)) else None
    if view is not None:
        if not view.contiguous_prefix():
            if dummy.read_only:  # a copy of the section, as Fortran passes one (copy-in)
                return f"{tr.temporary(actual, f'{dummy.name}_value').symbol.cname}.data()"
            raise UnsupportedConstruct("array section argument", f"non-contiguous section '{actual}' passed to "
                                       f"'{dummy.name}', which the procedure may modify, in '{node}'")
        return f"&{view.symbol.cname}[{view.first_offset()}]"
    if isinstance(actual, F.Part_Ref):  # an element: the array from that element on
        value = tr.scalar(actual)
        return f"&{value.code}"
    if tr.rank(actual):
        if not dummy.read_only:
            raise UnsupportedConstruct("procedure call", f"array expression '{actual}' passed to '{dummy.name}', "
                                       "which the procedure may modify")
        view = tr.temporary(actual, f"{dummy.name}_value")  # Fortran passes a temporary copy of the value too
        return f"{view.symbol.cname}.data()"
    raise UnsupportedConstruct("procedure call", f"'{actual}' passed where '{node}' expects an array")


def _extents_of_actual(tr, actual, node, dummy) -> list[str]:
    """The extents an assumed-shape dummy receives: the shape of the actual argument."""
    if tr.rank(actual) != dummy.rank:
        raise UnsupportedConstruct("procedure call", f"'{actual}' does not have the rank of '{dummy.name}' in '{node}'")
    return [extent.render() for d, extent in enumerate(tr.shape(actual))
            if dummy.passed_extents is None or d in dummy.passed_extents]
