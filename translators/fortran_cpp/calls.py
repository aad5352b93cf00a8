"""Actual arguments of calls to procedures of the same file, under the calling convention:
arrays as pointers to their first element (sequence association), scalars the callee
writes as references, other scalars by value."""

from __future__ import annotations

from fparser.two import Fortran2003 as F

from .errors import UnsupportedConstruct
from .expr_core import PRIMARY
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
        elif dummy.procedure_arg:
            result.append(_procedure_argument(tr, actual, node, dummy))
        else:
            value = tr.expr(actual, elem)
            if dummy.type.base == "character" and value.literal is not None:
                from .expressions import char_literal
                result.append(char_literal(value.literal[:1] or " "))  # character*1 dummy: the first character
            elif dummy.type.base == "cstring" and dummy.type.kind and value.literal is not None:
                # character*8 dummy: the literal as the callee sees it, cut or blank-padded to 8
                text = value.literal[:dummy.type.kind].ljust(dummy.type.kind)
                result.append('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')
            elif dummy.type.base == "cstring" and value.type.base not in ("cstring",) and value.literal is None:
                raise UnsupportedConstruct("character argument", f"'{actual}' passed to character*(*) dummy "
                                           f"'{name}' in '{node}' (only literals and character*(*) dummies)")
            else:
                result.append(value.code)
    return result


def _procedure_argument(tr, actual, node, dummy) -> str:
    """A procedure of this file passed to a dummy procedure: its name (a function pointer)."""
    name = str(actual).lower()
    procedure = tr.ctx.procedures.get(name)
    symbol = tr.scope.lookup(name)
    if symbol is not None and symbol.procedure_arg:
        return symbol.cname
    if procedure is None:
        raise UnsupportedConstruct("procedure argument", f"'{actual}' passed to dummy procedure '{dummy.name}' in "
                                   f"'{node}' is not a procedure of this file")
    return procedure.cname


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


def dummy_procedure_call(tr, symbol, args: list, node, elem, is_function: bool) -> str:
    """f(x) for a dummy procedure f: a call through the function pointer; the types of the
    actual arguments give its interface (scalars by value)."""
    values = []
    for arg in args:
        if isinstance(arg, F.Actual_Arg_Spec):
            raise UnsupportedConstruct("dummy procedure", f"keyword argument in '{node}' of dummy procedure '{symbol.name}'")
        if tr.rank(arg):
            raise UnsupportedConstruct("dummy procedure", f"array argument '{arg}' of dummy procedure '{symbol.name}'")
        values.append(tr.expr(arg, elem))
    types = [value.type.cpp for value in values]
    known = symbol.procedure_interface
    if known is not None and (known[0] != is_function or [t for t, _ in known[1]] != types):
        raise UnsupportedConstruct("dummy procedure", f"dummy procedure '{symbol.name}' is referenced with different "
                                   f"argument types in '{node}'")
    # A subroutine may write its arguments (Fortran passes them by reference): a position where
    # every call passes a variable is a reference, one where some call passes an expression a value.
    writable = [value.lvalue and not is_function for value in values]
    if known is not None:
        writable = [w and k for w, (_, k) in zip(writable, known[1])]
    symbol.procedure_interface = (is_function, list(zip(types, writable)))
    return f"{symbol.cname}({', '.join(value.code for value in values)})"


def service_call(tr, name: str, args: list, node, elem) -> str:
    """LSAME(CA, CB) and CALL XERBLA(SRNAME, INFO) of a file that does not define them: calls of
    the inline helpers lsame(char, char) and xerbla(const char*, int)."""
    from .expressions import char_literal
    values = [tr.expr(a.items[1] if isinstance(a, F.Actual_Arg_Spec) else a, elem) for a in args]
    if name == "lsame":
        if len(values) != 2 or any(v.type.base != "character" for v in values):
            raise UnsupportedConstruct("lsame", f"'{node}': LSAME takes two character*1 values")
        codes = [char_literal(v.literal[:1] or " ") if v.literal is not None else v.code for v in values]
    else:
        if len(values) != 2 or values[0].type.base not in ("character", "cstring") or not values[1].type.is_int:
            raise UnsupportedConstruct("xerbla", f"'{node}': XERBLA takes a routine name and an integer")
        first = values[0]
        if first.type.base == "character" and first.literal is None:
            raise UnsupportedConstruct("xerbla", f"'{node}': the routine name must be a literal or a character*(*) dummy")
        codes = [first.code, values[1].code]
    tr.ctx.helpers.add(name)
    return f"{name}({', '.join(codes)})"


def c_external_call(tr, name: str, args: list, node) -> str:
    """CALL NAME(...) of a subroutine implemented in C (NAME.c found beside the sources): the
    call gfortran makes, to the symbol name_ with every argument by address; its extern "C"
    prototype follows the types of the actual arguments (variables, elements or whole arrays)."""
    params, codes = [], []
    for position, arg in enumerate(args, start=1):
        if isinstance(arg, F.Actual_Arg_Spec):
            raise UnsupportedConstruct("C routine call", f"keyword argument in '{node}' of C routine '{name}'")
        if tr.rank(arg):
            symbol = tr.symbol(arg.string.lower()) if isinstance(arg, F.Name) else None
            if symbol is None or not symbol.is_array:
                raise UnsupportedConstruct("C routine call", f"array expression '{arg}' passed to C routine "
                                           f"'{name}' in '{node}' (pass a whole array, an element or a variable)")
            ftype = symbol.type
            codes.append(symbol.cname if symbol.storage == "pointer" else f"{symbol.cname}.data()")
        else:
            value = tr.expr(arg, None)
            if not value.lvalue:
                raise UnsupportedConstruct("C routine call", f"'{arg}' passed to C routine '{name}' in '{node}' "
                                           "is not a variable (C receives its address)")
            ftype = value.type
            codes.append(f"&{value.code}" if value.prec >= PRIMARY else f"&({value.code})")
        if ftype.base not in ("integer", "real", "complex"):
            raise UnsupportedConstruct("C routine call", f"argument {position} of C routine '{name}' in '{node}' "
                                       f"is {ftype.base}: only numeric arguments are passed to C")
        params.append(f"{ftype.cpp}* arg{position}")
    declaration = f'extern "C" void {name}_({", ".join(params)});'
    known = tr.ctx.c_declarations.get(name)
    if known is not None and known != declaration:
        raise UnsupportedConstruct("C routine call", f"C routine '{name}' is called with different argument types "
                                   f"in '{node}'")
    tr.ctx.c_declarations[name] = declaration
    return f"{name}_({', '.join(codes)})"
