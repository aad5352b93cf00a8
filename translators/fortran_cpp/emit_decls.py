"""C++ declarations of Fortran entities: variables, constants, arrays, dummy arguments."""

from __future__ import annotations

from fparser.two import Fortran2003 as F
from fparser.two.utils import walk

from .comments import comment_line  # noqa: F401  (re-exported for the emitter)
from .errors import UnsupportedConstruct
from .expressions import ExprTranslator
from .symbols import Procedure, Symbol


# Local arrays of constant size up to this many elements live in a std::array (no heap).
SMALL_ARRAY = 64


def signature(procedure: Procedure, result_type: str) -> str:
    return f"{result_type} {procedure.cname}({parameter_list(procedure)})"


def lambda_header(procedure: Procedure, result_type: str) -> str:
    """An internal procedure that uses its host's variables: a lambda capturing them by reference."""
    return f"auto {procedure.cname} = [&]({parameter_list(procedure)}) -> {result_type}"


def parameter_list(procedure: Procedure) -> str:
    params = []
    for name in procedure.args:
        symbol = procedure.scope.symbols[name]
        ctype = symbol.type.cpp
        if symbol.procedure_arg:
            params.append(procedure_pointer(symbol))
        elif symbol.type.base == "cstring":
            params.append(f"const char* {symbol.cname}")
        elif symbol.is_array:
            params.append(f"{'const ' if symbol.read_only else ''}{ctype}* {symbol.cname}")
            if symbol.assumed_shape:
                params += [f"int {extent}" for d, extent in enumerate(symbol.extent_names())
                           if symbol.passed_extents is None or d in symbol.passed_extents]
        elif symbol.by_reference:
            params.append(f"{ctype}& {symbol.cname}")
        else:
            params.append(f"{ctype} {symbol.cname}")
    return ", ".join(params)


def procedure_pointer(symbol: Symbol) -> str:
    """A dummy procedure: a function pointer with the interface its references use."""
    if symbol.procedure_interface is None:
        raise UnsupportedConstruct("dummy procedure", f"dummy procedure '{symbol.name}' is never called, so its "
                                   "interface is unknown", symbol.line)
    is_function, params = symbol.procedure_interface
    result = symbol.type.cpp if is_function else "void"
    return f"{result} (*{symbol.cname})({', '.join(ctype + ('&' if by_reference else '') for ctype, by_reference in params)})"


def _reads_runtime_constant(node, tr: ExprTranslator) -> bool:
    """Whether the expression reads a constant declared `const` (its value is not constexpr)."""
    names = [node] if isinstance(node, F.Name) else list(walk(node, F.Name))
    for name in names:
        symbol = tr.scope.lookup(str(name).lower())
        if symbol is not None and symbol.runtime_constant:
            return True
    return False


def _is_constexpr(node) -> bool:
    return not any(True for _ in walk(node, (F.Intrinsic_Function_Reference, F.Part_Ref))) and \
        not isinstance(node, (F.Intrinsic_Function_Reference, F.Part_Ref))


def declaration_lines(symbol: Symbol, tr: ExprTranslator, namespace_level: bool) -> list[str]:
    """The C++ declaration of a local, module or program variable (empty for loop counters)."""
    if symbol.loop_local or symbol.is_arg or symbol.external or symbol.declare_at is not None:
        return []
    ctype = symbol.type.cpp
    name = symbol.cname
    if symbol.parameter:
        if symbol.init is None:
            raise UnsupportedConstruct("parameter", f"parameter '{symbol.name}' without a value")
        if symbol.type.base in ("character", "string"):
            value = tr.scalar(symbol.init)
            if value.literal is None:
                raise UnsupportedConstruct("character parameter", f"non-literal value of '{symbol.name}'")
            return [f"constexpr char {name}[] = {value.code};"]
        if symbol.type.is_int and not symbol.is_array:
            from .declarations import const_int
            value = const_int(symbol.init, tr.scope)  # kind(1.0d0), selected_real_kind(15): a number
            if value is not None and not _is_constexpr(symbol.init):
                return [f"constexpr {ctype} {name} = {value};"]
        qualifier = "constexpr" if _is_constexpr(symbol.init) and not _reads_runtime_constant(symbol.init, tr) \
            else "const"
        if symbol.is_array:
            values = _constructor_values(symbol, tr)
            tr.ctx.includes.add("array")
            if any("std::" in value for value in values):
                qualifier = "const"
            symbol.runtime_constant = qualifier == "const"
            return [f"{qualifier} std::array<{ctype}, {len(values)}> {name} = {{{', '.join(values)}}};"]
        from .assignment import converted
        value = converted(tr, tr.scalar(symbol.init), symbol.type)
        if "std::" in value:  # <cmath> functions (std::pow for **) are not constexpr in portable C++
            qualifier = "const"
        symbol.runtime_constant = qualifier == "const"
        return [f"{qualifier} {ctype} {name} = {value};"]
    static = "static " if symbol.save and not namespace_level else ""
    if symbol.is_array:
        tr.ctx.includes.add("vector")
        if symbol.init is not None:
            values = _constructor_values(symbol, tr)
            if len(values) <= SMALL_ARRAY:
                tr.ctx.includes.add("array")
                symbol.fixed_size = True
                return [f"{static}std::array<{ctype}, {len(values)}> {name} = {{{', '.join(values)}}};"]
            return [f"{static}std::vector<{ctype}> {name} = {{{', '.join(values)}}};"]
        if symbol.allocatable:
            return [f"{static}std::vector<{ctype}> {name};"]
        size = tr.size(symbol)
        if size.is_constant() and 0 < size.const <= SMALL_ARRAY:
            tr.ctx.includes.add("array")
            symbol.fixed_size = True
            return [f"{static}std::array<{ctype}, {size.const}> {name}{{}};"]
        return [f"{static}std::vector<{ctype}> {name}({size.render()});"]
    if symbol.init is not None:
        from .assignment import converted
        value = converted(tr, tr.scalar(symbol.init), symbol.type)
        return [f"{static}{ctype} {name} = {value};"]
    if symbol.type.base == "string":
        tr.ctx.includes.add("string")
        return [f"{static}std::string {name}({symbol.type.kind}, ' ');"]
    if symbol.type.base == "character":
        return [f"{static}char {name} = ' ';"]
    return [f"{static}{ctype} {name} = {symbol.type.zero()};"]


def _constructor_values(symbol: Symbol, tr: ExprTranslator) -> list[str]:
    init = symbol.init
    from .assignment import converted
    if isinstance(init, F.Intrinsic_Function_Reference) and str(init.items[0]).lower() == "reshape":
        init = init.items[1].items[0]  # values in array element order: the storage order
    if isinstance(init, F.Array_Constructor):
        values = [converted(tr, tr.scalar(v), symbol.type) for v in tr.constructor_values(init)]
        expected = tr.size(symbol)
        if expected.is_constant() and expected.const != len(values):
            raise UnsupportedConstruct("array constructor", f"'{symbol.name}' has {expected.const} elements, its initialiser {len(values)}")
        return values
    size = tr.size(symbol)
    if not size.is_constant():
        raise UnsupportedConstruct("array initialiser", f"scalar initialiser of '{symbol.name}' with non-constant size")
    value = converted(tr, tr.scalar(init), symbol.type)
    return [value] * size.const
