"""Host functions of a .cu or .cpp file: which one is the entry, and its parameters.

The convention (docs/cuda.md): the entry is a host function with external
linkage, neither __global__ nor __device__, taking scalars by value and arrays
as host pointers (`T*` in/out, `const T*` input), returning void or a scalar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tree_sitter import Node

from ..errors import VerifyInputError
from .parse import function_name, function_qualifiers, line_of, parse, text_of, walk

# Spelling of a scalar type -> numpy dtype name.
SCALAR_TYPES = {
    "float": "float32", "double": "float64", "bool": "bool",
    "int": "int32", "signed": "int32", "signed int": "int32", "int32_t": "int32",
    "unsigned": "uint32", "unsigned int": "uint32", "uint32_t": "uint32",
    "long": "int64", "long int": "int64", "long long": "int64", "long long int": "int64", "int64_t": "int64",
    "ptrdiff_t": "int64",
    "unsigned long": "uint64", "unsigned long int": "uint64", "unsigned long long": "uint64",
    "unsigned long long int": "uint64", "uint64_t": "uint64", "size_t": "uint64",
    "short": "int16", "int16_t": "int16", "unsigned short": "uint16", "uint16_t": "uint16",
    "unsigned char": "uint8", "uint8_t": "uint8", "signed char": "int8", "int8_t": "int8",
}
# Complex element types (arrays only): std::complex<T> on the C++ side, cuComplex.h's on the CUDA side.
COMPLEX_TYPES = {"complex<float>": "complex64", "complex<double>": "complex128", "cuFloatComplex": "complex64",
                 "cuComplex": "complex64", "cuDoubleComplex": "complex128"}
_TYPE_NODES = ("primitive_type", "sized_type_specifier", "type_identifier", "qualified_identifier")


@dataclass
class StructType:
    """A plain-old-data struct of numeric fields, defined at file scope."""
    name: str
    fields: list[tuple[str, str]]  # (field name, numpy dtype), in declaration order
    definition: str  # its text, for the harness of this side

    @property
    def dtype(self) -> str:
        """Compared between the sides: field types in order (field and struct names are free)."""
        return "struct(" + ",".join(dtype for _, dtype in self.fields) + ")"


@dataclass
class Param:
    name: str
    type_text: str  # element type as spelled, without const ("float", "std::size_t")
    dtype: str  # numpy dtype name
    pointer: bool
    const: bool  # for pointers: pointee is const (an input)
    line: int
    declaration: str  # as written, for the harness prototype
    struct: StructType | None = None  # for pointers to a POD struct

    @property
    def is_output(self) -> bool:
        return self.pointer and not self.const


@dataclass
class HostFunction:
    name: str
    return_text: str
    return_dtype: str | None  # None for void
    params: list[Param]
    line: int
    body: Node
    extern_c: bool
    problems: list[tuple[str, int, str]] = field(default_factory=list)  # (message, line, construct)


@dataclass
class SourceFile:
    path: Path
    text: str
    language: str  # "cuda" | "cpp"
    host_functions: list[HostFunction]  # external-linkage host functions, not main
    kernels: list[str]
    has_main: bool
    structs: dict[str, StructType] = field(default_factory=dict)


def read_source(path: Path, language: str) -> SourceFile:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise VerifyInputError(f"not UTF-8 text ({exc.reason})", file=str(path), construct="encoding") from exc
    tree = parse(text, language)
    structs = _structs(tree.root_node)
    functions, kernels, has_main = [], [], False
    for func, extern_c in _file_scope_functions(tree.root_node):
        words = function_qualifiers(func)
        name = function_name(func)
        if name is None:
            continue
        if "__global__" in words:
            kernels.append(name)
            continue
        if name == "main":
            has_main = True
            continue
        if "__device__" in words or "static" in words or _in_anonymous_namespace(func) or "::" in name:
            continue
        functions.append(_host_function(func, name, extern_c, structs))
    return SourceFile(path=path, text=text, language=language, host_functions=functions, kernels=kernels,
                      has_main=has_main, structs=structs)


def file_structs(text: str, language: str = "cpp") -> dict[str, StructType]:
    """The POD structs of numeric fields a C++/CUDA file defines at file scope, by name."""
    return _structs(parse(text, language).root_node)


def _structs(root: Node) -> dict[str, StructType]:
    """File-scope `struct S {...};` and `typedef struct [T] {...} S;` whose fields are all numeric
    scalars (no arrays, pointers or nested structs)."""
    found: dict[str, StructType] = {}
    for node in root.children:
        if node.type == "struct_specifier":
            spec, names, definition = node, [node.child_by_field_name("name")], text_of(node) + ";"
        elif node.type == "type_definition":
            spec = node.child_by_field_name("type")
            if spec is None or spec.type != "struct_specifier":
                continue
            names = [spec.child_by_field_name("name")] + [c for c in node.children if c.type == "type_identifier"]
            definition = text_of(node)
        else:
            continue
        body = spec.child_by_field_name("body")
        fields = _numeric_fields(body) if body is not None else None
        if not fields:
            continue
        for name in names:
            if name is not None:
                found[text_of(name)] = StructType(text_of(name), fields, definition)
    return found


def _numeric_fields(body: Node) -> list[tuple[str, str]] | None:
    fields = []
    for decl in body.named_children:
        if decl.type == "comment":
            continue
        if decl.type != "field_declaration":
            return None
        dtype = SCALAR_TYPES.get(_type_text(decl))
        declarators = [c for c in decl.children if c.type not in ("primitive_type", "sized_type_specifier",
                                                                   "type_identifier", "type_qualifier", ",", ";")]
        if dtype is None or dtype == "bool" or not declarators \
                or any(c.type != "field_identifier" for c in declarators):
            return None
        fields += [(text_of(c), dtype) for c in declarators]
    return fields


def _file_scope_functions(root: Node):
    for node in root.children:
        if node.type == "function_definition":
            yield node, False
        elif node.type == "linkage_specification":
            body = node.child_by_field_name("body")
            if body is not None and body.type == "function_definition":
                yield body, True
            elif body is not None:
                for child in body.children:
                    if child.type == "function_definition":
                        yield child, True
        elif node.type == "namespace_definition":
            body = node.child_by_field_name("body")
            if body is not None and node.child_by_field_name("name") is None:
                continue  # anonymous namespace: internal linkage
            # Named namespaces would need qualified calls; not part of the convention.


def _in_anonymous_namespace(func: Node) -> bool:
    node = func.parent
    while node is not None:
        if node.type == "namespace_definition" and node.child_by_field_name("name") is None:
            return True
        node = node.parent
    return False


def function_signature(func: Node, name: str, structs: dict[str, StructType] | None = None,
                       aliases: dict[str, str] | None = None) -> HostFunction:
    """The parameters of any function definition (a kernel too), read as a host function's are;
    aliases: names of scalar types (`DATA_TYPE` -> `float`) read as the types they name."""
    return _host_function(func, name, False, structs or {}, aliases or {})


def _host_function(func: Node, name: str, extern_c: bool, structs: dict[str, StructType],
                   aliases: dict[str, str] | None = None) -> HostFunction:
    declarator = func.child_by_field_name("declarator")
    problems: list[tuple[str, int, str]] = []
    return_text = _type_text(func)
    if declarator is not None and declarator.type != "function_declarator":
        problems.append(("returns a pointer or reference; return scalars or void", line_of(func), "return type"))
        while declarator is not None and declarator.type != "function_declarator":
            declarator = declarator.child_by_field_name("declarator")
    return_dtype = None
    if return_text != "void":
        return_dtype = SCALAR_TYPES.get(return_text) or COMPLEX_TYPES.get(return_text)
        if return_dtype is None:
            problems.append((f"return type '{return_text}' is outside the convention (void, a scalar or a complex number)",
                             line_of(func), "return type"))
    params = []
    plist = declarator.child_by_field_name("parameters") if declarator is not None else None
    for node in (plist.children if plist is not None else []):
        if node.type == "parameter_declaration":
            param = _param(node, problems, structs, aliases or {})
            if param is not None:
                params.append(param)
        elif node.type in ("optional_parameter_declaration", "variadic_parameter"):
            problems.append((f"parameter '{text_of(node)}' (default value or variadic) is outside the convention",
                             line_of(node), "parameter"))
    if len(params) == 1 and params[0].type_text == "void" and not params[0].pointer:
        params = []
    return HostFunction(name=name, return_text=return_text, return_dtype=return_dtype, params=params,
                        line=line_of(func), body=func.child_by_field_name("body"), extern_c=extern_c,
                        problems=problems)


def _type_text(node: Node) -> str:
    type_node = node.child_by_field_name("type")
    if type_node is None:
        return "int"
    return _normalize(text_of(type_node))


def _normalize(spelling: str) -> str:
    spelling = re.sub(r"\s+", " ", spelling.replace("std::", "")).strip()
    return spelling


def _param(node: Node, problems: list, structs: dict[str, StructType], aliases: dict[str, str]) -> Param | None:
    base = _type_text(node)
    base = aliases.get(base, base)
    const = any(c.type == "type_qualifier" and text_of(c) == "const" for c in node.children)
    declarator = node.child_by_field_name("declarator")
    pointer_depth = 0
    is_reference = False
    current = declarator
    while current is not None and current.type != "identifier":
        if current.type == "pointer_declarator":
            pointer_depth += 1
        elif current.type == "array_declarator":
            pointer_depth += 1
        elif current.type == "reference_declarator":
            is_reference = True
        nxt = current.child_by_field_name("declarator")
        if nxt is None:
            nxt = next((c for c in current.children if c.type in ("identifier", "pointer_declarator",
                                                                  "reference_declarator", "array_declarator")), None)
        current = nxt
    line = line_of(node)
    if current is None:
        if base == "void" and declarator is None:
            return Param(name="", type_text="void", dtype="", pointer=False, const=False, line=line,
                         declaration="void")
        problems.append((f"parameter '{text_of(node)}' has no name", line, "parameter"))
        return None
    name = text_of(current)
    if is_reference:
        problems.append((f"parameter '{name}' is a reference; pass scalars by value and arrays as pointers",
                         line, f"parameter {name}"))
        return None
    if base == "char" and 1 <= pointer_depth <= 2:
        return _text_param(name, pointer_depth, const, line, text_of(node))
    if pointer_depth > 1:
        problems.append((f"parameter '{name}' is a pointer to pointer, outside the convention (except char** "
                         "for an array of strings)", line, f"parameter {name}"))
        return None
    dtype = SCALAR_TYPES.get(base)
    struct_name = base[len("struct "):] if base.startswith("struct ") else base
    if struct_name in structs:  # an array of structs, or one struct by value (an input)
        struct = structs[struct_name]
        return Param(name=name, type_text=struct_name, dtype=struct.dtype, pointer=pointer_depth == 1,
                     const=const and pointer_depth == 1, line=line, declaration=text_of(node), struct=struct)
    if base in COMPLEX_TYPES:  # complex arrays, or a complex scalar by value
        dtype = COMPLEX_TYPES[base]
    if dtype is None:
        problems.append((f"parameter '{name}' has type '{base}', outside the convention (arithmetic scalars "
                         f"and pointers to them, pointers to std::complex/cuFloatComplex/cuDoubleComplex)", line,
                         f"parameter {name}"))
        return None
    if pointer_depth == 0:
        const = False
    return Param(name=name, type_text=base, dtype=dtype, pointer=pointer_depth == 1, const=const, line=line,
                 declaration=text_of(node))


# Text parameters (docs/cuda.md): `const char*` a C string input, `char*` a buffer (its text is
# an input and, up to its NUL, an output), `char**` / `const char* const*` an array of strings
# (inputs; its count is its extent).
CSTRING, CHAR_BUFFER, CSTRING_ARRAY = "cstring", "char_buffer", "cstring_array"


def _text_param(name: str, depth: int, const: bool, line: int, declaration: str) -> Param:
    if depth == 2:
        return Param(name=name, type_text="const char*" if const else "char*", dtype=CSTRING_ARRAY, pointer=True,
                     const=True, line=line, declaration=declaration)
    if const:
        return Param(name=name, type_text="char", dtype=CSTRING, pointer=False, const=True, line=line,
                     declaration=declaration)
    return Param(name=name, type_text="char", dtype=CHAR_BUFFER, pointer=True, const=False, line=line,
                 declaration=declaration)


def choose_entry(source: SourceFile, entry: str | None) -> HostFunction:
    """The host function under test, by --entry or because it is the only one."""
    if entry:
        for fn in source.host_functions:
            if fn.name == entry:
                return fn
        known = ", ".join(fn.name for fn in source.host_functions) or "none"
        raise VerifyInputError(f"no host function named '{entry}' (host functions with external linkage: {known})",
                               file=str(source.path), construct="--entry")
    if len(source.host_functions) == 1:
        return source.host_functions[0]
    if not source.host_functions:
        kernels = f" (kernels found: {', '.join(source.kernels)}; wrap the launch in a host function)" \
            if source.kernels else ""
        raise VerifyInputError(f"no host function with external linkage to test and no main(){kernels}",
                               file=str(source.path), construct="entry")
    names = ", ".join(fn.name for fn in source.host_functions)
    raise VerifyInputError(f"several host functions ({names}); choose one with --entry NAME",
                           file=str(source.path), construct="entry")


def check_convention(fn: HostFunction, path: Path) -> None:
    if fn.problems:
        message, line, construct = fn.problems[0]
        raise VerifyInputError(f"{fn.name}: {message}", file=str(path), line=line, construct=construct)


def walk_identifiers(node: Node):
    for child in walk(node):
        if child.type == "identifier":
            yield child
