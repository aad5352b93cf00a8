"""Read the candidate C++ with tree-sitter: its functions, their parameters, and any main().

Public API:
  parse_cpp(path) -> CppFile                 functions at file scope or inside extern "C"
  CppParam.form: "value" | "ref" | "ptr" | "vector" | "function"   (how the argument is passed;
                 "function": a function pointer `double (*f)(double)` or a std::function)
  CppParam.type_text: the element type as spelled ("float", "int64_t", "real_t")

The harness does not trust spellings to mean types: it declares its variables with the
candidate's own spelling and static_asserts the type each Fortran argument requires, so
typedefs work and a wrong type is a clear compile error at the candidate's parameter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import tree_sitter_cpp
from tree_sitter import Language, Node, Parser

_TYPE_NODES = ("primitive_type", "sized_type_specifier", "type_identifier", "qualified_identifier", "template_type")


@dataclass
class CppParam:
    name: str
    type_text: str  # element type as spelled (for vectors: the template argument)
    form: str  # "value" | "ref" | "ptr" | "vector"
    const: bool
    line: int
    text: str


@dataclass
class CppFunction:
    name: str
    return_type: str
    params: list[CppParam]
    line: int
    unparsed: list[str] = field(default_factory=list)  # parameters we could not classify
    scope: str = ""  # enclosing named namespaces, "a::b::"; the harness calls scope + name

    @property
    def qualified(self) -> str:
        return self.scope + self.name


@dataclass
class CppFile:
    path: Path
    text: str
    functions: dict[str, CppFunction]
    main_line: int | None
    syntax_error_line: int | None


@lru_cache(maxsize=1)
def _parser() -> Parser:
    return Parser(Language(tree_sitter_cpp.language()))


def _text(node: Node) -> str:
    return node.text.decode("utf-8", "replace")


def parse_cpp(path: Path) -> CppFile:
    data = path.read_bytes()
    tree = _parser().parse(data)
    functions: dict[str, CppFunction] = {}
    main_line = None
    for node, scope in _file_scope_definitions(tree.root_node, ""):
        fn = _function(node)
        if fn is None:
            continue
        fn.scope = scope
        if fn.name == "main" and not scope:
            main_line = fn.line
        else:
            functions.setdefault(fn.name, fn)
    error_line = None
    if tree.root_node.has_error:
        error_line = _first_error_line(tree.root_node)
    return CppFile(path=path, text=data.decode("utf-8", "replace"), functions=functions, main_line=main_line,
                   syntax_error_line=error_line)


def _file_scope_definitions(root: Node, scope: str):
    """(function_definition, enclosing namespaces) at file scope, in extern "C" blocks and in
    named namespaces; anonymous namespaces add no qualifier."""
    for node in root.children:
        if node.type == "function_definition":
            yield node, scope
        elif node.type == "linkage_specification":
            for child in node.children:
                if child.type == "function_definition":
                    yield child, scope
                elif child.type == "declaration_list":
                    yield from _file_scope_definitions(child, scope)
        elif node.type == "namespace_definition":
            name = node.child_by_field_name("name")
            body = node.child_by_field_name("body")
            if body is not None:
                inner = scope + (_text(name) + "::" if name is not None else "")
                yield from _file_scope_definitions(body, inner)
        elif node.type in ("preproc_ifdef", "preproc_if"):
            yield from _file_scope_definitions(node, scope)
        # template_declaration: a template cannot be called without explicit types; the
        # function is reported as missing.


def _first_error_line(node: Node) -> int | None:
    if node.type == "ERROR" or node.is_missing:
        return node.start_point[0] + 1
    for child in node.children:
        if child.has_error or child.type == "ERROR" or child.is_missing:
            found = _first_error_line(child)
            if found:
                return found
    return None


def _function(node: Node) -> CppFunction | None:
    declarator = node.child_by_field_name("declarator")
    return_type = node.child_by_field_name("type")
    # Pointer/reference returns wrap the function declarator.
    while declarator is not None and declarator.type in ("pointer_declarator", "reference_declarator"):
        declarator = declarator.child_by_field_name("declarator") or next(
            (c for c in declarator.children if c.type.endswith("declarator")), None)
    if declarator is None or declarator.type != "function_declarator":
        return None
    name_node = declarator.child_by_field_name("declarator")
    if name_node is None or name_node.type not in ("identifier", "field_identifier"):
        return None
    params_node = declarator.child_by_field_name("parameters")
    params: list[CppParam] = []
    unparsed: list[str] = []
    if params_node is not None:
        for child in params_node.children:
            if child.type in ("parameter_declaration", "optional_parameter_declaration"):
                param = _param(child)
                if param is None:
                    unparsed.append(_text(child))
                else:
                    params.append(param)
            elif child.type == "variadic_parameter_declaration" or child.type == "...":
                unparsed.append(_text(child))
    if len(params) == 1 and params[0].type_text == "void" and params[0].form == "value" and not params[0].name:
        params = []
    return CppFunction(name=_text(name_node), return_type=_text(return_type) if return_type is not None else "int",
                       params=params, line=node.start_point[0] + 1, unparsed=unparsed)


def _param(node: Node) -> CppParam | None:
    type_node = node.child_by_field_name("type")
    if type_node is None:
        return None
    const = any(c.type == "type_qualifier" and _text(c) == "const" for c in node.children)
    declarator = node.child_by_field_name("declarator")
    form = "value"
    name = ""
    depth_ptr = 0
    function = False
    while declarator is not None:
        if declarator.type == "function_declarator":
            function = True
        elif declarator.type == "parenthesized_declarator":
            pass
        elif declarator.type == "pointer_declarator":
            depth_ptr += 1
            form = "ptr"
            if any(c.type == "type_qualifier" and _text(c) == "const" for c in declarator.children):
                pass  # `T* const p`: the pointer is const, the data is not
        elif declarator.type == "reference_declarator":
            form = "ref" if form == "value" else form
        elif declarator.type == "array_declarator":
            depth_ptr += 1
            form = "ptr"
        elif declarator.type == "identifier":
            name = _text(declarator)
            break
        nxt = declarator.child_by_field_name("declarator")
        if nxt is None:
            nxt = next((c for c in declarator.children if c.type.endswith("declarator") or c.type == "identifier"),
                       None)
        declarator = nxt
    type_text = _text(type_node)
    if function or (type_node.type in ("qualified_identifier", "template_type")
                    and type_text.replace(" ", "").startswith(("std::function<", "function<"))):
        return CppParam(name=name, type_text=type_text, form="function", const=const, line=node.start_point[0] + 1,
                        text=_text(node))
    if depth_ptr > 1:
        return None
    if "vector" in type_text and type_node.type in ("qualified_identifier", "template_type"):
        args = _template_argument(type_node)
        if args is None or form == "ptr":
            return None
        return CppParam(name=name, type_text=args, form="vector", const=const, line=node.start_point[0] + 1,
                        text=_text(node))
    return CppParam(name=name, type_text=type_text, form=form, const=const, line=node.start_point[0] + 1,
                    text=_text(node))


def _template_argument(node: Node) -> str | None:
    for child in _walk(node):
        if child.type == "template_argument_list":
            inner = [c for c in child.children if c.type == "type_descriptor"]
            if len(inner) == 1:
                return _text(inner[0])
    return None


def _walk(node: Node):
    yield node
    for child in node.children:
        yield from _walk(child)
