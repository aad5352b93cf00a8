"""Symbols (variables, parameters, dummy arguments) and the scopes that hold them."""

from __future__ import annotations

from dataclasses import dataclass, field

from fparser.two import Fortran2003 as F

from .types import FType

# C++ keywords and names of the standard library that a Fortran variable may well be
# called; such a variable gets a trailing underscore in the output.
CPP_RESERVED = {
    "alignas", "alignof", "and", "asm", "auto", "bool", "break", "case", "catch", "char", "class",
    "const", "constexpr", "continue", "decltype", "default", "delete", "do", "double", "else",
    "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto", "if",
    "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "nullptr",
    "operator", "or", "private", "protected", "public", "register", "return", "short", "signed",
    "sizeof", "static", "struct", "switch", "template", "this", "throw", "true", "try", "typedef",
    "typeid", "typename", "union", "unsigned", "using", "virtual", "void", "volatile", "while",
    "xor", "main", "std", "int_pow", "fortran_modulo", "fortran_sign", "ListDirected",
}


def cpp_name(name: str) -> str:
    return f"{name}_" if name in CPP_RESERVED else name


@dataclass
class Dimension:
    lower: object | None  # fparser expression node, None = 1
    upper: object | None  # None = assumed size (*) or deferred (:)


@dataclass
class Symbol:
    name: str
    type: FType
    line: int
    dims: list[Dimension] | None = None  # None: scalar
    intent: str | None = None  # in | out | inout
    is_arg: bool = False
    value_attr: bool = False
    parameter: bool = False
    allocatable: bool = False
    save: bool = False
    init: object | None = None  # fparser initialisation expression
    is_result: bool = False
    module_level: bool = False
    modified: bool = False  # assigned (or passed to a modifying dummy) in the body
    loop_local: bool = False  # integer used only as a do-variable: declared in the for
    # extents of an allocatable, recorded at its allocate statement: list of (lower, upper)
    allocated_bounds: list[tuple[object | None, object]] | None = None
    cname: str = ""
    known_extents: list | None = None  # a generated temporary: extents as Linear, lower bounds 1
    allocated_extents: list | None = None  # (lower, extent) as Linear, held in variables set at allocate
    fixed_size: bool = False
    assumed_shape: bool = False  # x(:) dummy of an internal procedure: extents passed as extra ints
    statement_function: tuple | None = None  # (dummy names, expression) of `f(x) = expr`
    common: str | None = None  # COMMON block holding it (a namespace-level variable)
    declare_at: int | None = None  # id of the assignment that declares it (its first use), if any
    zero_based: bool = False  # a loop counter running from 0 while its loop is translated (index minus one)
    runtime_constant: bool = False  # a parameter declared `const`, not `constexpr` (its value needs <cmath>)
    external: bool = False  # the declared type of a function (EXTERNAL, or defined in the file): no variable
    procedure_arg: bool = False  # a dummy procedure (EXTERNAL f, f a dummy argument): a function pointer
    # of a dummy procedure: (is_function, [(C++ type, by reference)]), learnt from its references in the body
    procedure_interface: tuple | None = None
    included: str | None = None  # a PARAMETER read from this INCLUDE file: a namespace-level constant
    passed_extents: list[int] | None = None  # dimensions whose extent the body uses (None = all)  # declared as std::array (else std::vector when a container)

    def __post_init__(self) -> None:
        self.cname = self.cname or cpp_name(self.name)

    def extent_names(self) -> list[str]:
        return [f"{self.cname}_extent{d + 1}" for d in range(self.rank)]

    @property
    def rank(self) -> int:
        return len(self.dims) if self.dims else 0

    @property
    def is_array(self) -> bool:
        return bool(self.dims)

    @property
    def storage(self) -> str:
        """pointer (dummy array, flat column-major) or container (std::vector/std::array)."""
        return "pointer" if self.is_arg else "container"

    @property
    def read_only(self) -> bool:
        if self.parameter:
            return True
        if self.is_arg:
            return self.intent == "in" or (self.intent is None and not self.modified)
        return False

    @property
    def by_reference(self) -> bool:
        """A scalar dummy passed as T&: the caller sees what the procedure writes."""
        return self.is_arg and not self.is_array and not self.value_attr and (
            self.intent in ("out", "inout") or (self.intent is None and self.modified))


@dataclass
class Procedure:
    name: str
    kind: str  # subroutine | function
    node: object
    line: int
    args: list[str] = field(default_factory=list)
    result: str | None = None
    prefixes: set[str] = field(default_factory=set)
    scope: "Scope | None" = None
    host: str | None = None  # module or program that contains it
    calls: set[str] = field(default_factory=set)
    leading: list[str] = field(default_factory=list)  # comments just before the unit
    spec_items: list = field(default_factory=list)  # ('comment', text) | ('symbol', Symbol) in source order

    @property
    def cname(self) -> str:
        return cpp_name(self.name)


class Scope:
    def __init__(self, parent: "Scope | None" = None, implicit_none: bool = False):
        self.parent = parent
        self.symbols: dict[str, Symbol] = {}
        self.implicit_none = implicit_none
        self.imports: list[tuple[Scope, dict[str, str] | None]] = []  # use statements: (module scope, local -> module name)
        self.failed: set[str] = set()  # names whose declaration was reported as unsupported
        self.externals: set[str] = set()  # names in EXTERNAL statements
        self.intrinsics: set[str] = set()  # names in INTRINSIC statements
        self.saved: set[str] | None = set()  # names in SAVE statements (None: a SAVE of everything)
        self.generics: dict[str, list[str]] = {}  # generic interface name -> its specific procedures

    def declaration_failed(self, name: str) -> bool:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.failed:
                return True
            scope = scope.parent
        return False

    def implicit_none_in_effect(self) -> bool:
        scope: Scope | None = self
        while scope is not None:
            if scope.implicit_none:
                return True
            scope = scope.parent
        return False

    def lookup(self, name: str) -> Symbol | None:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.symbols:
                return scope.symbols[name]
            for imported, only in scope.imports:
                if only is None or name in only:
                    found = imported.lookup(name if only is None else only[name])
                    if found is not None:
                        return found
            scope = scope.parent
        return None

    def lookup_generic(self, name: str) -> list[str] | None:
        """The specific procedures of generic interface `name` visible here (USEd, renamed)."""
        scope: Scope | None = self
        while scope is not None:
            if name in scope.generics:
                return scope.generics[name]
            for imported, only in scope.imports:
                if only is None or name in only:
                    found = imported.lookup_generic(name if only is None else only[name])
                    if found is not None:
                        return found
            scope = scope.parent
        return None

    def add(self, symbol: Symbol) -> Symbol:
        self.symbols[symbol.name] = symbol
        return symbol

    def all_names(self) -> set[str]:
        names: set[str] = set()
        scope: Scope | None = self
        while scope is not None:
            names.update(s.cname for s in scope.symbols.values())
            for imported, _ in scope.imports:
                names |= imported.all_names()
            scope = scope.parent
        return names


def node_line(node) -> int | None:
    """1-based source line of a statement node (expressions have none; callers pass theirs)."""
    item = getattr(node, "item", None)
    span = getattr(item, "span", None)
    if span:
        return span[0]
    for child in getattr(node, "children", ()) or ():
        if isinstance(child, F.Base if hasattr(F, "Base") else object):
            line = node_line(child)
            if line:
                return line
    return None
