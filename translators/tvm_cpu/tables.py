"""`__constant__` arrays the entry fills before its launch, as the lifter sees them.

`__constant__ float coeff[4];` filled by `cudaMemcpyToSymbol(coeff, c, sizeof c)` from a host
array with literal values (`const float c[4] = {1.0f, 0.5f, ...};`), or declared with its values
(`__constant__ float w[3] = {...};`), is a table of constants; filled from a host pointer
parameter, it reads that parameter.  Anything else about a `__constant__` array is refused when
the kernel reads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node

from ...verify.cuda.parse import line_of, text_of, walk
from ...verify.cuda.signature import SCALAR_TYPES
from .errors import Unliftable
from .ir import Const, cast, is_float
from .patterns import number


@dataclass(frozen=True)
class ConstantTable:
    name: str
    dtype: str
    values: tuple  # Const per element


@dataclass(frozen=True)
class UnknownConstant:
    """A __constant__ array whose contents the lifter cannot tell; refused where the kernel reads it."""
    name: str
    why: str
    line: int


def constant_arrays(root: Node, host_body: Node, host_params: dict) -> dict:
    """__constant__ array name -> ConstantTable | host pointer parameter name | UnknownConstant."""
    declared = {}
    for decl in root.named_children:
        if decl.type != "declaration" or not any(text_of(c) == "__constant__" for c in decl.children):
            continue
        dtype = SCALAR_TYPES.get(_base_type(decl))
        for item in decl.children_by_field_name("declarator"):
            target = item.child_by_field_name("declarator") if item.type == "init_declarator" else item
            if target is None or target.type != "array_declarator":
                continue
            name = text_of(target.child_by_field_name("declarator"))
            size = target.child_by_field_name("size")
            length = int(text_of(size)) if size is not None and text_of(size).isdigit() else None
            init = item.child_by_field_name("value") if item.type == "init_declarator" else None
            declared[name] = (dtype, length, init, line_of(decl))
    found: dict = {}
    for name, (dtype, length, init, line) in declared.items():
        if dtype is None:
            found[name] = UnknownConstant(name, "its element type is not a scalar", line)
        elif init is not None:
            found[name] = _table(name, dtype, length, init, line)
        else:
            found[name] = UnknownConstant(name, "it is not filled by cudaMemcpyToSymbol in the entry", line)
    locals_ = _host_arrays(host_body)
    for call in walk(host_body):
        if call.type != "call_expression" or text_of(call.child_by_field_name("function")) != "cudaMemcpyToSymbol":
            continue
        args = [text_of(a).strip() for a in call.child_by_field_name("arguments").named_children]
        if len(args) < 3 or args[0] not in declared:
            continue
        symbol, source, size = args[0], args[1], re.sub(r"\s+", "", args[2])
        dtype, length, _, _ = declared[symbol]
        if symbol in found and not isinstance(found[symbol], UnknownConstant) or len(args) > 3:
            found[symbol] = UnknownConstant(symbol, "it is filled more than once or at an offset", line_of(call))
        elif source in host_params and host_params[source].pointer:
            found[symbol] = source
        elif source in locals_ and size in (f"sizeof{source}", f"sizeof({source})", f"sizeof({symbol})",
                                            f"sizeof{symbol}"):
            local_dtype, local_length, init, local_line = locals_[source]
            if local_dtype != dtype or (length is not None and local_length not in (None, length)):
                found[symbol] = UnknownConstant(symbol, f"'{source}' has another type or length", line_of(call))
            else:
                found[symbol] = _table(symbol, dtype, length, init, local_line)
        else:
            found[symbol] = UnknownConstant(symbol, f"it is filled from '{source}' ({args[2]}), not from a host "
                                            "array with literal values or a pointer parameter", line_of(call))
    return found


def _base_type(decl: Node) -> str:
    type_node = decl.child_by_field_name("type")
    return re.sub(r"\s+", " ", text_of(type_node).replace("std::", "")) if type_node is not None else ""


def _host_arrays(body: Node) -> dict:
    """Host-local arrays with an initialiser list: name -> (dtype, length, initializer, line)."""
    arrays = {}
    for decl in walk(body):
        if decl.type != "declaration":
            continue
        dtype = SCALAR_TYPES.get(_base_type(decl))
        for item in decl.children_by_field_name("declarator"):
            target = item.child_by_field_name("declarator") if item.type == "init_declarator" else None
            init = item.child_by_field_name("value") if item.type == "init_declarator" else None
            if target is None or target.type != "array_declarator" or init is None:
                continue
            size = target.child_by_field_name("size")
            length = int(text_of(size)) if size is not None and text_of(size).isdigit() else None
            arrays[text_of(target.child_by_field_name("declarator"))] = (dtype, length, init, line_of(decl))
    # An array used anywhere but in its declaration and cudaMemcpyToSymbol (assigned, passed to a
    # function that might change it) is not a table of its initial values.
    for node in walk(body):
        if node.type == "identifier" and text_of(node) in arrays and not _declares_or_copies(node):
            arrays.pop(text_of(node), None)
    return arrays


def _declares_or_copies(node: Node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.type == "declaration":
            return True
        if parent.type == "call_expression":
            return text_of(parent.child_by_field_name("function")) == "cudaMemcpyToSymbol"
        if parent.type in ("compound_statement", "expression_statement"):
            return False
        parent = parent.parent
    return False


def _table(name: str, dtype: str, length, init: Node, line: int):
    if init.type != "initializer_list":
        return UnknownConstant(name, "its initialiser is not a list of numbers", line)
    values = []
    for item in init.named_children:
        value = _literal(item)
        if value is None:
            return UnknownConstant(name, f"'{text_of(item)}' in its initialiser is not a number", line_of(item))
        values.append(cast(value, dtype))
    if length is not None:
        if len(values) > length:
            return UnknownConstant(name, "its initialiser is longer than the array", line)
        zero = Const(dtype, 0.0 if is_float(dtype) else 0)
        values += [zero] * (length - len(values))  # C: the rest of the array is zero
    return ConstantTable(name, dtype, tuple(values))


def _literal(node: Node):
    if node.type == "number_literal":
        try:
            return number(text_of(node), node)
        except Unliftable:
            return None
    if node.type == "unary_expression" and text_of(node.child_by_field_name("operator")) in ("-", "+"):
        inner = _literal(node.child_by_field_name("argument"))
        if inner is None:
            return None
        return Const(inner.dtype, -inner.value) if text_of(node.child_by_field_name("operator")) == "-" else inner
    if node.type == "parenthesized_expression" and node.named_children:
        return _literal(node.named_children[0])
    return None
