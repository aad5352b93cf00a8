"""Specification parts: type declarations, attributes and kind parameters become Symbols."""

from __future__ import annotations

from fparser.two import Fortran2003 as F

from .errors import UnsupportedConstruct
from .symbols import Dimension, Scope, Symbol
from .types import CHARACTER, CSTRING, FType, INTEGER, REAL

# Kind constants that `use iso_fortran_env` provides.
ISO_FORTRAN_ENV_KINDS = {"real32": 4, "real64": 8, "int32": 4, "int64": 8, "int8": 1, "int16": 2}


def const_int(node, scope: Scope) -> int | None:
    """Value of a constant integer expression (kinds, parameters), or None when not constant."""
    if node is None:
        return None
    if isinstance(node, F.Int_Literal_Constant):
        return int(node.items[0])
    if isinstance(node, F.Name):
        name = node.string.lower()
        symbol = scope.lookup(name)
        if symbol is not None and symbol.parameter and symbol.type.is_int and symbol.init is not None:
            return const_int(symbol.init, scope)
        return None
    if isinstance(node, F.Parenthesis):
        return const_int(node.items[1], scope)
    if isinstance(node, F.Level_2_Unary_Expr) and node.items[0] in ("-", "+"):
        value = const_int(node.items[1], scope)
        return None if value is None else (-value if node.items[0] == "-" else value)
    if isinstance(node, (F.Level_2_Expr, F.Add_Operand, F.Mult_Operand)):
        left, op, right = node.items
        a, b = const_int(left, scope), const_int(right, scope)
        if a is None or b is None:
            return None
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/" and b != 0:
            return int(a / b)
        if op == "**" and b >= 0:
            return a ** b
        return None
    if isinstance(node, F.Intrinsic_Function_Reference):
        return _kind_function(node, scope)
    return None


def _kind_function(node, scope: Scope) -> int | None:
    name = str(node.items[0]).lower()
    args = list(node.items[1].items) if node.items[1] is not None else []
    values = [a.items[1] if isinstance(a, F.Actual_Arg_Spec) else a for a in args]
    if name == "kind" and values:
        arg = values[0]
        if isinstance(arg, F.Real_Literal_Constant):
            return real_literal_kind(arg, scope)
        if isinstance(arg, F.Int_Literal_Constant):
            return const_int(F.Name(arg.items[1]), scope) if arg.items[1] else 4
        if isinstance(arg, F.Logical_Literal_Constant):
            return 4
        return None
    if name == "selected_real_kind" and values:
        precision = const_int(values[0], scope)
        return None if precision is None else (4 if precision <= 6 else 8 if precision <= 15 else None)
    if name == "selected_int_kind" and values:
        digits = const_int(values[0], scope)
        return None if digits is None else (4 if digits <= 9 else 8 if digits <= 18 else None)
    return None


def real_literal_kind(node, scope: Scope) -> int:
    text, kind = node.items
    if kind is not None:
        return resolve_kind_text(kind, scope, node)
    return 8 if "d" in text.lower() else 4


def resolve_kind_text(kind: str, scope: Scope, node) -> int:
    if kind.isdigit():
        return int(kind)
    symbol = scope.lookup(kind.lower())
    if symbol is not None and symbol.init is not None:
        value = const_int(symbol.init, scope)
        if value is not None:
            return value
    raise UnsupportedConstruct("kind parameter", f"cannot resolve kind '{kind}' in '{node}'")


def type_of_spec(spec, scope: Scope) -> FType:
    if isinstance(spec, F.Declaration_Type_Spec):
        raise UnsupportedConstruct("derived type", f"derived-type declaration '{spec}'")
    if not isinstance(spec, F.Intrinsic_Type_Spec):
        raise UnsupportedConstruct("type declaration", f"declaration type '{spec}'")
    base = str(spec.items[0]).lower()
    selector = spec.items[1]
    if base == "double precision":
        return FType("real", 8)
    if base == "double complex":
        return FType("complex", 8)
    if base == "character":
        return CHARACTER
    if base not in ("integer", "real", "logical", "complex"):
        raise UnsupportedConstruct("type declaration", f"type '{base}'")
    kind = 4
    if isinstance(selector, F.Kind_Selector):
        if selector.items[0] == "*":  # real*8, integer*8
            kind = int(str(selector.items[1]))
            if base == "complex":
                kind //= 2
        else:
            value = const_int(selector.items[1], scope)
            if value is None:
                raise UnsupportedConstruct("kind parameter", f"cannot resolve the kind of '{spec}'")
            kind = value
    try:
        FType(base, kind).cpp
    except ValueError:
        raise UnsupportedConstruct("kind parameter", f"no C++ type for {base}(kind={kind})") from None
    return FType(base, kind)


def implicit_type(name: str) -> FType:
    return INTEGER if name[0] in "ijklmn" else REAL


def array_dims(spec):
    return _dims(spec)


def _dims(spec) -> tuple[list[Dimension], bool]:
    """Dimensions of an array spec; the flag tells a deferred/assumed shape (`:`)."""
    if isinstance(spec, F.Explicit_Shape_Spec_List):
        return [Dimension(s.items[0], s.items[1]) for s in spec.items], False
    if isinstance(spec, F.Explicit_Shape_Spec):
        return [Dimension(spec.items[0], spec.items[1])], False
    if isinstance(spec, (F.Assumed_Shape_Spec_List, F.Deferred_Shape_Spec_List)):
        return [Dimension(s.items[0] if hasattr(s, "items") else None, None) for s in spec.items], True
    if isinstance(spec, (F.Assumed_Shape_Spec, F.Deferred_Shape_Spec)):
        return [Dimension(None, None)], True
    if isinstance(spec, F.Assumed_Size_Spec):
        explicit, lower = spec.items
        dims = [Dimension(s.items[0], s.items[1]) for s in explicit.items] if explicit else []
        return dims + [Dimension(lower, None)], False
    raise UnsupportedConstruct("array declaration", f"array specification '{spec}'")


def declare(stmt, scope: Scope, line: int, args: list[str], module_level: bool) -> list[Symbol]:
    """Symbols of one Type_Declaration_Stmt."""
    ftype = type_of_spec(stmt.items[0], scope)
    attrs = stmt.items[1].items if stmt.items[1] is not None else ()
    intent = None
    parameter = allocatable = save = value_attr = False
    shape = None
    deferred = False
    for attr in attrs:
        if isinstance(attr, F.Intent_Attr_Spec):
            intent = str(attr.items[1]).lower().replace(" ", "")
        elif isinstance(attr, F.Dimension_Attr_Spec):
            shape, deferred = _dims(attr.items[1])
        else:
            word = str(attr).lower()
            if word == "parameter":
                parameter = True
            elif word == "allocatable":
                allocatable = True
            elif word == "save":
                save = True
            elif word == "value":
                value_attr = True
            elif word in ("target", "contiguous", "public", "private", "protected"):
                pass
            else:
                raise UnsupportedConstruct(f"{word} attribute", f"attribute '{word}' on line {line}")
    symbols = []
    for entity in stmt.items[2].items:
        name_node, array_spec, char_length, init = entity.items
        name = name_node.string.lower()
        dims, entity_deferred = (_dims(array_spec) if array_spec is not None else (shape, deferred))
        entity_type = ftype
        if ftype.base == "character":
            length = _char_length(stmt.items[0], char_length)
            if dims:
                raise UnsupportedConstruct("character array", f"array of strings '{name}'")
            if name in args and length != 1 and intent != "out" and intent != "inout":
                # character*(*) or character*8 dummy: a read-only C string (const char*); a
                # literal length is kept (FType kind) so literal actuals are blank-padded to it
                ctype = CSTRING if length is None else FType("cstring", length)
                symbols.append(scope.add(Symbol(name=name, type=ctype, line=line, intent=intent, is_arg=True)))
                continue
            if name in args and length != 1:
                raise UnsupportedConstruct("character argument", f"character argument '{name}' of length "
                                           f"{length if length is not None else '*'} (only character*1, passed as char, "
                                           "and read-only character*(*), passed as const char*)")
            if length is None and not parameter:
                raise UnsupportedConstruct("character variable", f"character variable '{name}' of non-constant length")
            if parameter:
                entity_type = FType("string", 0)  # length taken from the value
            elif length != 1:
                entity_type = FType("string", length)
        is_arg = name in args
        assumed_shape = False
        if dims and entity_deferred and not allocatable:
            if not is_arg:
                raise UnsupportedConstruct("pointer array", f"deferred-shape array '{name}' without allocatable")
            assumed_shape = True  # allowed for internal procedures only (checked with the procedure)
        if init is not None:
            init_expr = init.items[1]
            if str(init.items[0]) == "=>":
                raise UnsupportedConstruct("pointer", f"pointer initialisation of '{name}'")
        else:
            init_expr = None
        symbol = Symbol(
            name=name, type=entity_type if ftype.base == "character" else ftype, line=line, dims=list(dims) if dims else None, intent=intent,
            is_arg=is_arg, value_attr=value_attr, parameter=parameter, allocatable=allocatable,
            save=save or (init_expr is not None and not parameter and not module_level),
            init=init_expr, module_level=module_level, assumed_shape=assumed_shape)
        existing = scope.symbols.get(name)
        if existing is not None and existing.is_result:
            symbol.is_result = True
        scope.add(symbol)
        symbols.append(symbol)
    return symbols


def _char_length(spec, entity_length) -> int | None:
    """Declared length of a character entity (None when not a constant)."""
    selector = entity_length if entity_length is not None else spec.items[1]
    if selector is None:
        return 1
    text = str(selector).replace(" ", "").lower().lstrip("*").strip("()")
    text = text.replace("len=", "").split(",")[0]
    return int(text) if text.isdigit() else None
