"""Scalar locals of the entry that launches take (`int n = rows * cols;`, `float inv_dx2 = 1.0f / (dx * dx);`).

A local declared once with an initializer and never assigned after is a value the entry computes
before its launches from its parameters. When a launch passes it as a scalar argument, the CPU
equivalent declares it the same way at the top of its entry (macros replaced by their values) and
passes it to that launch's function, which takes it as a scalar parameter of the kernel parameter's
type. An initializer that reads anything but the entry's scalar parameters, other such locals,
literals, usable macros, casts to scalar types and a few math functions is not used: the launch
argument is then refused, naming what it reads. A scalar argument written as such an expression
(`N`, `2.0f`, `t + 1` in a host loop) is passed as written (`DerivedScalars.argument`).
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from ...verify.cuda.parse import line_of, locals_set_once, text_of, walk
from ...verify.cuda.signature import SCALAR_TYPES, Param
from .errors import Unliftable
from .macros import Macro
from .tir_util import C_TYPES

# Calls an initializer may make: math of the C and C++ libraries the emitted file includes.
_CALLS = {f"{prefix}{name}{suffix}" for prefix in ("", "std::") for suffix in ("", "f")
          for name in ("sqrt", "fabs", "exp", "log", "pow", "sin", "cos", "tan", "floor", "ceil", "fmin", "fmax",
                       "cbrt", "log2", "exp2", "round")} | {"std::min", "std::max", "min", "max", "abs", "std::abs"}
_SYNTAX = {"number_literal", "identifier", "binary_expression", "unary_expression", "parenthesized_expression",
           "conditional_expression", "cast_expression", "type_descriptor", "primitive_type", "sized_type_specifier",
           "type_identifier", "sizeof_expression", "call_expression", "argument_list", "qualified_identifier",
           "namespace_identifier", "true", "false"}
_DEPTH = 16


@dataclass
class ScalarLocal:
    name: str
    type_text: str  # as declared, with a type alias replaced by its scalar type
    value: Node  # the initializer
    line: int


@dataclass
class DerivedScalar:
    """A scalar local a launch takes: its C++ declaration in the emitted entry, and the parameter the
    launches' functions take it as."""
    name: str
    declaration: str
    line: int
    value: str = ""  # the initializer as C++ text
    dtype: str = ""  # as declared
    param: Param | None = None  # as the first launch that takes it types it (C++ converts at the call)


def constant_locals(body: Node) -> dict[str, ScalarLocal]:
    """Locals of the entry declared with an initializer and never assigned after."""
    found = {}
    for name, node in locals_set_once(body).items():
        kind = node.parent.child_by_field_name("type") if node.parent is not None else None
        found[name] = ScalarLocal(name, text_of(kind).strip() if kind is not None else "",
                                  node.child_by_field_name("value"), line_of(node))
    return found


def as_macros(locals_: dict[str, ScalarLocal]) -> dict[str, Macro]:
    """The locals in the form host_loop.host_int reads macros (their initializers pasted in)."""
    return {name: Macro(name, local.line, local.value) for name, local in locals_.items()}


class DerivedScalars:
    """The entry's scalar locals that launches take, declared in source order."""

    def __init__(self, params: dict, locals_: dict[str, ScalarLocal], macros: dict, types: dict):
        self.params, self.locals, self.macros, self.types = params, locals_, macros, types
        self.used: dict[str, DerivedScalar] = {}

    def take(self, name: str, kernel_param: Param, line: int) -> DerivedScalar | None:
        """The local `name` as the argument of `kernel_param` (None when `name` is no such local)."""
        local = self.locals.get(name)
        if local is None:
            return None
        derived = self._declare(name, line, 0)
        if kernel_param.dtype not in C_TYPES:
            raise Unliftable("launch argument", line, f"local '{name}' is passed as '{kernel_param.name}', a "
                             f"{kernel_param.type_text}; locals passed as arithmetic scalars are lifted")
        if derived.param is None:
            c_type = C_TYPES[kernel_param.dtype]
            derived.param = Param(name=name, type_text=c_type, dtype=kernel_param.dtype, pointer=False, const=False,
                                  line=derived.line, declaration=f"{c_type} {name}")
        elif derived.param.dtype != kernel_param.dtype:
            raise Unliftable("launch argument", line, f"local '{name}' is passed as '{kernel_param.name}' "
                             f"({kernel_param.type_text}) and as another type by an earlier launch; a local "
                             "passed as one type is lifted")
        return derived

    def argument(self, node: Node, kernel_param: Param, line: int, extra: frozenset) -> str:
        """A scalar launch argument that is an expression (`N`, `2.0f`, `rows * cols`, `t + 1`) as C++
        text the emitted entry passes at the call (`extra`: the host loop's variable)."""
        if kernel_param.dtype not in C_TYPES:
            raise Unliftable("launch argument", line, f"'{text_of(node)[:40]}' is passed as '{kernel_param.name}', "
                             f"a {kernel_param.type_text}; arithmetic scalar arguments are lifted")
        return self._text(node, line, 0, f"argument '{' '.join(text_of(node).split())[:40]}'", extra)

    def declarations(self) -> list[str]:
        return [d.declaration for d in sorted(self.used.values(), key=lambda d: d.line)]

    def integer_values(self) -> dict[str, str]:
        """Integer locals a launch takes or another reads -> their initializer's C++ text, in source order."""
        return {d.name: d.value for d in sorted(self.used.values(), key=lambda d: d.line)
                if d.dtype.startswith(("int", "uint"))}


    def _declare(self, name: str, line: int, depth: int) -> DerivedScalar:
        if name in self.used:
            return self.used[name]
        local = self.locals[name]
        type_text = self.types.get(local.type_text, local.type_text.replace("const ", "").strip())
        dtype = SCALAR_TYPES.get(type_text)
        if dtype is None or dtype not in C_TYPES:
            raise Unliftable("launch argument", line, f"local '{name}' (line {local.line}) is a '{local.type_text}'; "
                             "scalar locals of arithmetic types are lifted")
        value = self._text(local.value, line, depth + 1, f"local '{name}'")
        derived = DerivedScalar(name, f"const {C_TYPES[dtype]} {name} = {value};  // line {local.line}", local.line,
                                value, dtype)
        self.used[name] = derived
        return derived

    def _text(self, node: Node, line: int, depth: int, subject: str, extra: frozenset = frozenset()) -> str:
        """An initializer or argument as C++ text valid in the emitted file (`extra`: names valid there
        as they are, a host loop's variable)."""
        if depth > _DEPTH:
            raise Unliftable("launch argument", line, f"{subject} is defined through more than {_DEPTH} "
                             "macros or locals")
        pieces, at = [], node.start_byte
        base = node.start_byte
        text = node.text
        for child in walk(node):
            if not child.is_named or child.start_byte < at:
                continue
            if child.type not in _SYNTAX:
                raise Unliftable("launch argument", line, f"{subject} reads '{text_of(child)[:40]}' "
                                 f"({child.type.replace('_', ' ')}); values computed from scalar parameters, literals "
                                 "and macros are passed to launches")
            replacement = None
            if child.type == "call_expression":
                function = text_of(child.child_by_field_name("function")).strip()
                if function not in _CALLS:
                    raise Unliftable("launch argument", line, f"{subject} calls '{function}'; values computed "
                                     "with arithmetic and math functions are passed to launches")
            elif child.type == "type_identifier":
                replacement = self.types.get(text_of(child))
                if replacement is None:
                    raise Unliftable("launch argument", line, f"{subject} names the type '{text_of(child)}'")
            elif child.type == "identifier" and not _is_call_name(child) and text_of(child) not in extra:
                replacement = self._identifier(text_of(child), line, depth, subject)
            if replacement is not None:
                pieces.append(text[at - base:child.start_byte - base].decode())
                pieces.append(replacement)
                at = child.end_byte
        pieces.append(text[at - base:].decode())
        return "".join(pieces)

    def _identifier(self, name: str, line: int, depth: int, subject: str) -> str:
        param = self.params.get(name)
        if param is not None:
            if param.pointer:
                raise Unliftable("launch argument", line, f"{subject} reads the array '{name}'; values "
                                 "computed from scalar parameters are passed to launches")
            return name
        if name in self.locals:
            return self._declare(name, line, depth).name
        macro = self.macros.get(name)
        if macro is not None and macro.expression is not None:
            return f"({self._text(macro.expression, line, depth + 1, subject)})"
        why = f": {macro.why}" if macro is not None and macro.why else ""
        raise Unliftable("launch argument", line, f"{subject} reads '{name}', not a scalar parameter, a local "
                         f"set once or a usable macro{why}")


def _is_call_name(node: Node) -> bool:
    parent = node.parent
    while parent is not None and parent.type in ("qualified_identifier",):
        node, parent = parent, parent.parent
    return parent is not None and parent.type == "call_expression" and parent.child_by_field_name("function") == node


def with_locals(values: dict[str, int], integer_locals: dict[str, str]) -> dict[str, int]:
    """The tuning or timing shape `values` and the integer locals' values there (those whose
    initializer is integer arithmetic over it; a sizes the others read stays unbounded)."""
    from .host_loop import evaluate_int

    found = dict(values)
    for name, text in integer_locals.items():
        try:
            found[name] = evaluate_int(text, found, 0)
        except (Unliftable, SyntaxError, ValueError):
            continue
    return found


def integer_values(launches: list) -> dict[str, str]:
    """Integer values the launches (launch.KernelLaunch) take besides the entry's parameters -> their
    C++ text: scalar locals, then arguments written as expressions (those over a loop variable have no
    value at a shape)."""
    found = launches[0].buffers.scalars.integer_values()
    for launch in launches:
        found.update({p.name: launch.arguments[p.name] for p in launch.extra_params
                      if p.dtype.startswith(("int", "uint"))})
    return found
