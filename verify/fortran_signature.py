"""Read a Fortran source with tree-sitter: is it a program, and what does its entry take?

Public API:
  parse_fortran(path, include_dirs=()) -> FortranFile
                                            procedures (with module), whether a main program exists,
                                            INCLUDEd files, USEd module and called routine sources
  select_entry(ffile, entry) -> Procedure   the named one, or the only one; VerifyInputError otherwise
  Procedure.args / .result: Arg             base type, kind in bytes, intent, VALUE, dims, size role;
                                            CHARACTER options (kind 1: char, ASSUMED_LENGTH: string),
                                            dummy procedures, assumed-size arrays (sized later by
                                            assumed_size.size_assumed)

Fixed-form files reach tree-sitter through fortran_source.read_source (fparser's reader).
Anything the unit-mode calling convention cannot carry (assumed-shape, derived types,
character outputs, allocatable/pointer/optional dummies, unknown kinds, ...) raises
VerifyInputError naming the file, line, argument and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import tree_sitter_fortran
from tree_sitter import Language, Node, Parser

from .errors import VerifyInputError
from .fortran_deps import c_procedure_sources, external_procedure_sources, used_module_sources
from .fortran_preprocess import included_files, needs_preprocessing
from .fortran_kinds import kind_parameters, renamed_kinds, resolve_kind, split_top
from .fortran_source import read_source
from .fortran_types import DerivedType, derived_types
from .int_expr import evaluate_integer

# (base, kind in bytes) -> numpy dtype of the values the harness passes.
_DTYPES = {("integer", 4): "int32", ("integer", 8): "int64", ("real", 4): "float32", ("real", 8): "float64",
           ("logical", 4): "bool", ("logical", 1): "bool", ("character", 1): "uint8", ("character", 0): "uint8",
           ("procedure", 0): "uint8", ("complex", 4): "complex64", ("complex", 8): "complex128"}
# Character dummies: kind 1 is `character` / `character*1` / `character(len=1)` (C++ char by value),
# kind 0 is an assumed length `character*(*)` (C++ const char*, NUL-terminated).
ASSUMED_LENGTH = 0


@dataclass
class Arg:
    name: str  # lowercase, as the C++ convention names it
    base: str  # "integer" | "real" | "logical"
    kind: int  # bytes of the Fortran type (logical: of the Fortran LOGICAL)
    intent: str | None  # "in" | "out" | "inout" | None
    value: bool = False
    dims: list[tuple[str, str]] = field(default_factory=list)  # (lower, upper) expressions, Fortran text
    line: int = 0
    is_size: bool = False  # an integer scalar used in some array's extent
    assigned: bool = False  # the routine assigns it (scalars without intent)
    role: str | None = None  # assumed-size sizing: "length", "stride" or "leading" (see assumed_size.py)
    assumed_size: bool = False  # declared x(*) / a(lda,*): the last extent is inferred or given by --shape
    char_len: int | None = None  # strings declared with a literal length (character*8): exactly that long
    actual: str | None = None  # dummy procedures: the procedure the harness passes (set by the pair)
    actual_type: str | None = None  # its Fortran result type ("real(8)"), None for a subroutine
    actual_module: str | None = None  # its module, when it is a module procedure
    struct: DerivedType | None = None  # base "struct": a bind(C) derived type (fortran_types.py)
    min_index: int | None = None  # role "plane": the smallest value that keeps every subscript in bounds
    common: str | None = None  # a COMMON block member (verify/common_blocks.py): the block's name
    common_type: tuple[str, int] | None = None  # its declared (base, kind); logicals travel as 0/1 integers

    @property
    def dtype(self):
        import numpy as np  # imported on first use: the CLI starts compiling before numpy is loaded

        if self.struct is not None:
            return self.struct.dtype
        return np.dtype(_DTYPES[(self.base, self.kind)])

    @property
    def is_array(self) -> bool:
        return bool(self.dims)

    @property
    def is_character(self) -> bool:
        return self.base == "character"

    @property
    def is_procedure(self) -> bool:
        return self.base == "procedure"

    @property
    def is_output(self) -> bool:
        """Compared after the call: out, inout, or no intent (never a size input)."""
        if self.is_size or self.value or self.is_character or self.is_procedure or self.role:
            return False
        return self.intent in ("out", "inout") or self.intent is None

    @property
    def is_input_only(self) -> bool:
        return not self.is_output


@dataclass
class Procedure:
    name: str
    kind: str  # "subroutine" | "function"
    args: list[Arg]
    result: Arg | None
    module: str | None
    line: int
    body: str  # lowercase text of the procedure, for usage heuristics
    arrays: frozenset[str] = frozenset()  # every array declared in it (arguments and locals)
    constants: dict[str, int] = field(default_factory=dict)  # integer named constants of the file
    externals: frozenset[str] = frozenset()  # LSAME / XERBLA: called in the file, defined nowhere in it
    xerbla_output: bool = False  # compare the argument number reported through XERBLA (set by the pair)
    commons: list[Arg] = field(default_factory=list)  # COMMON members set before and compared after the call
    callees: list["Procedure"] = field(default_factory=list)  # procedures of the file it calls (set by the pair)
    # COMMON members that an argument's extent uses (`a(nzz)` with nzz in a block): drawn like
    # size arguments first, then the arrays are sized from them (verify/common_blocks.py)
    common_sizes: frozenset[str] = frozenset()


@dataclass
class FortranFile:
    path: Path
    text: str
    has_program: bool
    program_line: int
    procedures: list[Procedure]
    unsupported: list[tuple[str, int, str]]  # (procedure, line, reason): procedures we could not read
    has_syntax_error: bool = False  # tree-sitter could not parse all of it (gfortran decides)
    includes: dict[str, Path] = field(default_factory=dict)  # INCLUDE name as written -> file found
    module_sources: list[Path] = field(default_factory=list)  # sources of USEd modules, dependencies first
    program_end: int = 0  # last line of the main program (unit mode leaves it out of the reference)
    external_sources: list[Path] = field(default_factory=list)  # files of called external procedures
    c_sources: list[Path] = field(default_factory=list)  # NAME.c of called subroutines implemented in C


@lru_cache(maxsize=1)
def _parser() -> Parser:
    return Parser(Language(tree_sitter_fortran.language()))


def _text(node: Node) -> str:
    return node.text.decode("utf-8", "replace")


def parse_fortran(path: Path, include_dirs: tuple[Path, ...] | list[Path] = ()) -> FortranFile:
    source = read_source(path, include_dirs)
    text = source.text
    tree = _parser().parse(text.encode("utf-8"))
    search = [path.parent, *map(Path, include_dirs)]
    params = kind_parameters(text)
    params.update(renamed_kinds(text, params, search))
    types = derived_types(text, params)
    has_program, program_line, program_end = False, 0, 0
    procedures: list[Procedure] = []
    unsupported: list[tuple[str, int, str]] = []
    for node in tree.root_node.children:
        if node.type == "program":
            has_program, program_line = True, node.start_point[0] + 1
            program_end = node.end_point[0] + (1 if node.end_point[1] > 0 else 0)  # a node may end at column 0 of the next line
        elif node.type in ("subroutine", "function"):
            _collect(path, node, None, _own_kinds(node, params, search), procedures, unsupported, types)
        elif node.type == "module":
            module_name = _module_name(node)
            for child in node.children:
                if child.type == "internal_procedures":
                    for proc in child.children:
                        if proc.type in ("subroutine", "function"):
                            _collect(path, proc, module_name, _own_kinds(proc, params, search), procedures,
                                     unsupported, types)
    external_sources = external_procedure_sources(path, text, search)
    # LSAME/XERBLA called by a procedure read from another file (DLAMCH for DLAPY2) count too
    linked = "\n".join([text] + [_read_text(p) for p in external_sources])
    externals = _reference_externals(linked, {getattr(p, "name", "") for p in procedures})
    for proc in procedures:
        if isinstance(proc, Procedure):
            proc.externals = externals
    module_sources = used_module_sources(text, search)
    return FortranFile(path=path, text=text, has_program=has_program, program_line=program_line,
                       procedures=procedures, unsupported=unsupported, has_syntax_error=tree.root_node.has_error,
                       includes={**_preprocessor_includes([path, *module_sources, *external_sources], search),
                                 **source.includes},
                       module_sources=module_sources,
                       program_end=program_end,
                       external_sources=external_sources,
                       c_sources=c_procedure_sources([text] + [_read_text(p) for p in external_sources], search))


def _own_kinds(node: Node, params: dict[str, int], search: list[Path]) -> dict[str, int]:
    """The file's kinds, with a procedure's own `use m, only: wp => sp` on top: two procedures of
    one file may give `wp` different kinds (LAPACK's SISNAN and DISNAN)."""
    own = renamed_kinds(_text(node), params, search)
    return {**params, **own} if own else params


def _preprocessor_includes(paths: list[Path], search: list[Path]) -> dict[str, Path]:
    """`#include` files of the sources gfortran preprocesses (.F90, .F, ...): the build copies them
    next to those sources, as it does INCLUDE files."""
    found: dict[str, Path] = {}
    for path in paths:
        if needs_preprocessing(path.name):
            included_files(_read_text(path), [path.parent, *search], found)
    return found


def _read_text(path: Path) -> str:
    try:
        return path.read_text(errors="replace")
    except OSError:
        return ""


def _reference_externals(text: str, defined: set[str]) -> frozenset[str]:
    """LSAME and XERBLA of the reference BLAS: the harness supplies them when the file calls
    them without defining them."""
    lower = text.lower()
    found = set()
    if "lsame" not in defined and re.search(r"\blsame\s*\(", lower):
        found.add("lsame")
    if "xerbla" not in defined and re.search(r"\bcall\s+xerbla\b", lower):
        found.add("xerbla")
    return frozenset(found)


def _module_name(node: Node) -> str | None:
    for child in node.children:
        if child.type == "module_statement":
            for sub in child.children:
                if sub.type == "name":
                    return _text(sub).lower()
    return None


def _collect(path, node, module, params, procedures, unsupported, types=None) -> None:
    try:
        procedures.append(_procedure(path, node, module, params, types or {}))
    except VerifyInputError as exc:
        name = _procedure_name(node) or "?"
        unsupported.append((name, exc.line or node.start_point[0] + 1, exc.describe()))
        procedures.append(_Broken(name, exc))  # kept so that selecting it reports why


class _Broken:
    """A procedure whose interface is outside the convention; selecting it re-raises."""

    def __init__(self, name: str, error: VerifyInputError):
        self.name = name
        self.error = error


def _procedure_name(node: Node) -> str | None:
    stmt = node.children[0] if node.children else None
    if stmt is None:
        return None
    for child in stmt.children:
        if child.type == "name":
            return _text(child).lower()
    return None


def select_entry(ffile: FortranFile, entry: str | None) -> Procedure:
    procs = ffile.procedures
    if entry:
        found = [p for p in procs if p.name == entry.lower()]
        if not found:
            names = ", ".join(p.name for p in procs) or "none"
            raise VerifyInputError(f"no subroutine or function named '{entry}' (found: {names})",
                                   file=str(ffile.path), construct="--entry")
        chosen = found[0]
    else:
        if not procs:
            raise VerifyInputError("no program, subroutine or function found", file=str(ffile.path), line=1,
                                   construct="entry")
        if len(procs) > 1:
            names = ", ".join(p.name for p in procs)
            raise VerifyInputError(f"several procedures ({names}); choose one with --entry", file=str(ffile.path),
                                   construct="entry")
        chosen = procs[0]
    if isinstance(chosen, _Broken):
        raise chosen.error
    return chosen


def _procedure(path: Path, node: Node, module: str | None, params: dict[str, int],
               types: dict[str, DerivedType] | None = None) -> Procedure:
    stmt = node.children[0]
    line = node.start_point[0] + 1
    name = _procedure_name(node) or ""
    arg_names: list[str] = []
    result_name = name
    result_type: tuple[str, int] | None = None
    for child in stmt.children:
        if child.type == "parameters":
            arg_names = [_text(c).lower() for c in child.children if c.type == "identifier"]
        elif child.type == "function_result":
            ids = [c for c in child.children if c.type == "identifier"]
            if ids:
                result_name = _text(ids[0]).lower()
        elif child.type == "intrinsic_type":
            result_type = _intrinsic(path, child, params, "result")
        elif child.type == "derived_type":
            raise VerifyInputError(f"function '{name}' returns a derived type; the convention covers integer, "
                                   "real and logical results", file=str(path), line=line, construct="function result")
    implicit_none = False
    decls: dict[str, dict] = {}
    for child in node.children[1:]:
        if child.type == "implicit_statement":
            implicit_none = "none" in _text(child).lower()
        elif child.type in ("variable_declaration", "variable_modification"):
            # variable_modification: attribute statements such as `dimension x(n)`, `intent(in) :: x`
            _declaration(path, child, params, decls)
    body = _text(node).lower()
    args = [_make_arg(path, a, decls.get(a), implicit_none, line, name, types=types or {}) for a in arg_names]
    result = None
    if stmt.type == "function_statement":
        spec = decls.get(result_name)
        if result_type is not None and (spec is None or spec.get("type") is None):
            spec = {**(spec or {}), "type": result_type, "line": line}
        result = _make_arg(path, result_name, spec, implicit_none, line, name, is_result=True)
        if result.is_array:
            raise VerifyInputError(f"function '{name}' returns an array; the convention covers scalar results",
                                   file=str(path), line=line, construct="function result")
        result.name = "result"
        result.intent = "out"
    _mark_procedures(body, args, decls)
    common_sizes = _mark_sizes(path, args, params, _common_names(body))
    for arg in args:
        if not arg.is_array and arg.intent is None and not arg.is_size:
            arg.assigned = _assigns(body, arg.name)
        if arg.is_character and (arg.intent in ("out", "inout") or arg.assigned):
            raise VerifyInputError(f"argument '{arg.name}' of '{name}' is a CHARACTER output; the convention passes "
                                   "character options as inputs only (char, const char*)", file=str(path),
                                   line=arg.line, construct=arg.name)
    arrays = frozenset(n for n, spec in decls.items() if spec.get("dims"))
    return Procedure(name=name, kind="function" if stmt.type == "function_statement" else "subroutine",
                     args=args, result=result, module=module, line=line, body=body, arrays=arrays,
                     constants=dict(params), common_sizes=frozenset(common_sizes))


def _common_names(body: str) -> set[str]:
    """Every name listed in a COMMON statement of the procedure (INCLUDEd text too)."""
    names: set[str] = set()
    statements = [s.strip() for line in body.splitlines() for s in line.split(";")]  # INCLUDEs join with ';'
    for statement in statements:
        if not re.match(r"common\b", statement):
            continue
        for _, members in re.findall(r"/\s*(\w*)\s*/([^/]*)", statement[6:]):
            names |= {m.group(0) for item in split_top(members) if (m := re.match(r"\s*\w+", item))}
    return {n.strip() for n in names}


def _declaration(path: Path, node: Node, params: dict[str, int], decls: dict[str, dict]) -> None:
    line = node.start_point[0] + 1
    type_info = None
    qualifiers: list[str] = []
    dims: str | None = None
    declarators: list[tuple[str, str | None, int]] = []
    for child in node.children:
        if child.type == "intrinsic_type":
            type_info = ("intrinsic", child)
        elif child.type == "derived_type":
            type_info = ("derived", child)
        elif child.type == "type_qualifier":
            word = _text(child).lower().replace(" ", "")
            if word.startswith("dimension"):
                dims = _text(child)[len("dimension"):].strip()
            else:
                qualifiers.append(word)
        elif child.type == "identifier":
            declarators.append((_text(child).lower(), None, child.start_point[0] + 1))
        elif child.type == "sized_declarator":
            ident = next((c for c in child.children if c.type == "identifier"), None)
            size = next((c for c in child.children if c.type == "size"), None)
            if ident is not None:
                declarators.append((_text(ident).lower(), _text(size) if size is not None else None,
                                    child.start_point[0] + 1))
        elif child.type == "init_declarator":
            ident = next((c for c in child.children if c.type == "identifier"), None)
            if ident is not None:
                declarators.append((_text(ident).lower(), None, child.start_point[0] + 1))
    for name, size, dline in declarators:
        entry = decls.setdefault(name, {})
        entry["line"] = dline or line
        if type_info is not None:
            entry["type_node"] = type_info
        entry.setdefault("qualifiers", []).extend(qualifiers)
        if size or dims:
            entry["dims"] = size or dims
        entry["path"] = path
        entry["params"] = params


def _make_arg(path: Path, name: str, spec: dict | None, implicit_none: bool, proc_line: int, proc: str,
              is_result: bool = False, types: dict[str, DerivedType] | None = None) -> Arg:
    what = "the result" if is_result else f"argument '{name}'"
    line = (spec or {}).get("line", proc_line)
    char_len = None
    struct = None
    if spec and spec.get("type") is not None:
        base, kind = spec["type"]
    elif spec and "type_node" in spec:
        tag, tnode = spec["type_node"]
        if tag == "derived":
            struct = _struct_type(path, _text(tnode), types or {}, what, proc, name, line)
            base, kind = "struct", 0
        else:
            base, kind = _intrinsic(path, tnode, spec["params"], name, line)
        if base == "character" and kind == ASSUMED_LENGTH and _declared_length(_text(tnode)) not in (None, "*"):
            char_len = int(_declared_length(_text(tnode)))
    elif implicit_none:
        raise VerifyInputError(f"{what} of '{proc}' has no type declaration", file=str(path), line=line,
                               construct=name)
    else:
        base, kind = ("integer", 4) if name[:1] in "ijklmn" else ("real", 4)
    qualifiers = (spec or {}).get("qualifiers", [])
    if "external" in qualifiers and not is_result:
        return Arg(name=name, base="procedure", kind=0, intent="in", line=line)
    intent = None
    value = False
    for q in qualifiers:
        if q.startswith("intent("):
            intent = q[len("intent("):-1].replace(" ", "")
        elif q == "value":
            value = True
        elif q in ("allocatable", "pointer", "optional"):
            raise VerifyInputError(f"{what} of '{proc}' is {q.upper()}; the harness passes plain explicit-shape "
                                   "data only", file=str(path), line=line, construct=name)
    dims = _parse_dims(path, (spec or {}).get("dims"), name, what, proc, line)
    if base == "character" and dims:
        raise VerifyInputError(f"{what} of '{proc}' is a CHARACTER array; the convention passes single "
                               "characters (char) and strings (const char*)", file=str(path), line=line, construct=name)
    if value and dims:
        raise VerifyInputError(f"{what} of '{proc}' is a VALUE array", file=str(path), line=line, construct=name)
    if struct is not None:
        if value:
            raise VerifyInputError(f"{what} of '{proc}' is a derived type passed by VALUE; pass it by reference",
                                   file=str(path), line=line, construct=name)
        return Arg(name=name, base=base, kind=kind, intent=intent, dims=dims, line=line, struct=struct,
                   assumed_size=bool(dims) and dims[-1][1] == "*")
    if (base, kind) not in _DTYPES:
        raise VerifyInputError(f"{what} of '{proc}' is {base}(kind={kind}); the convention covers integer(4/8), "
                               "real(4/8), complex(4/8) and logical", file=str(path), line=line, construct=name)
    assumed = bool(dims) and dims[-1][1] == "*"
    return Arg(name=name, base=base, kind=kind, intent=intent, value=value, dims=dims, line=line,
               assumed_size=assumed, char_len=char_len)


def _struct_type(path: Path, spelled: str, types: dict[str, DerivedType], what: str, proc: str, name: str,
                 line: int) -> DerivedType:
    """The bind(C) derived type of `type(NAME)`, or a clear refusal."""
    match = re.match(r"\s*type\s*\(\s*([a-z_]\w*)\s*\)\s*$", spelled.lower())
    found = types.get(match.group(1)) if match else None
    if found is None:
        raise VerifyInputError(f"{what} of '{proc}' has a derived type ({spelled}) defined outside this file; the "
                               "convention covers bind(C) types with numeric fields defined in the source",
                               file=str(path), line=line, construct=name)
    if found.problem:
        raise VerifyInputError(f"{what} of '{proc}' has derived type '{found.name}', which {found.problem}",
                               file=str(path), line=line, construct=name)
    return found


def _intrinsic(path: Path, node: Node, params: dict[str, int], name: str, line: int | None = None) -> tuple[str, int]:
    text = _text(node).lower().replace(" ", "")
    line = line or node.start_point[0] + 1
    if text.startswith("doubleprecision"):
        return "real", 8
    if text.startswith("character"):
        return "character", _character_length(path, text, name, line)
    match = re.match(r"(integer|real|logical|complex|doublecomplex)(?:\*(\d+)|\((?:kind=)?([^)]*)\))?$",
                     text)
    if not match:
        raise VerifyInputError(f"type '{_text(node)}' of '{name}' is not understood", file=str(path), line=line,
                               construct=name)
    base, star, kind_expr = match.groups()
    if base == "character" or text.startswith("character"):
        return "character", _character_length(path, text, name, line)
    if base == "doublecomplex":
        return "complex", 8
    if star:
        # complex*16 counts both parts: kind 8 (std::complex<double>)
        return base, int(star) // 2 if base == "complex" else int(star)
    if kind_expr is None:
        return base, 4
    kind = resolve_kind(kind_expr, params)
    if kind is None:
        raise VerifyInputError(f"kind '{kind_expr}' of '{name}' cannot be resolved to 4 or 8 bytes",
                               file=str(path), line=line, construct=name)
    return base, kind


def _character_length(path: Path, text: str, name: str, line: int) -> int:
    """1 for a single character, ASSUMED_LENGTH for strings (`*(*)`, `len=*`, `character*8`);
    lengths that are not literals are refused."""
    length = _declared_length(text)
    if length == "1":
        return 1
    if length is not None:
        return ASSUMED_LENGTH
    raise VerifyInputError(f"'{name}' is {text.upper()}; the convention covers single characters (char) and "
                           "strings of literal or assumed length (const char*)", file=str(path), line=line,
                           construct=name)


def _declared_length(text: str) -> str | None:
    """'1', '*', '8' from character / character*(*) / character(len=8); None when not a literal."""
    spec = text.lower().replace(" ", "")[len("character"):]
    match = re.fullmatch(r"(?:\*\(?(\*|\d+)\)?|\((?:len=)?(\*|\d+)(?:,kind=\w+)?\))?", spec)
    if not match:
        return None
    return match.group(1) or match.group(2) or "1"


def _parse_dims(path: Path, text: str | None, name: str, what: str, proc: str, line: int) -> list[tuple[str, str]]:
    if not text:
        return []
    inner = text.strip()
    if inner.startswith("(") and inner.endswith(")"):
        inner = inner[1:-1]
    dims = []
    parts = split_top(inner)
    for position, part in enumerate(parts):
        part = part.strip().lower()
        if part == "*" or part.replace(" ", "").endswith(":*"):
            if position != len(parts) - 1:
                raise VerifyInputError(f"{what} of '{proc}' has '*' before its last dimension ({name}({inner}))",
                                       file=str(path), line=line, construct=name)
            lower = part.split(":", 1)[0].strip() if ":" in part else "1"
            dims.append((lower, "*"))
            continue
        if ":" in part:
            lower, upper = part.split(":", 1)
            if not upper.strip() or not lower.strip() and not upper.strip():
                raise VerifyInputError(f"{what} of '{proc}' is assumed-shape ({name}({inner})); the C++ convention "
                                       "passes a bare pointer, so use explicit extents such as x(n)",
                                       file=str(path), line=line, construct=name)
            lower = lower.strip() or "1"
        else:
            lower, upper = "1", part
        dims.append((lower, upper.strip()))
    return dims


def _mark_sizes(path: Path, args: list[Arg], constants: dict[str, int], commons: set[str]) -> set[str]:
    """Mark the integer arguments that extents use; return the COMMON members they use."""
    by_name = {a.name: a for a in args}
    common_sizes: set[str] = set()
    for arg in args:
        for lower, upper in arg.dims:
            for ident in re.findall(r"[a-z_]\w*", f"{lower} {upper}"):
                other = by_name.get(ident)
                if other is None and ident in commons and ident not in constants:
                    common_sizes.add(ident)  # its type is checked where the members are read
                    continue
                if other is None:
                    if ident not in _INTRINSICS and ident not in constants:
                        raise VerifyInputError(
                            f"extent of argument '{arg.name}' uses '{ident}', which is neither an integer argument "
                            "nor an integer constant of this file", file=str(path), line=arg.line, construct=arg.name)
                    continue
                if other.base != "integer" or other.is_array:
                    raise VerifyInputError(f"extent of argument '{arg.name}' uses '{ident}', which is not an "
                                           "integer scalar", file=str(path), line=arg.line, construct=arg.name)
                other.is_size = True
    return common_sizes


_INTRINSICS = {"max", "min", "mod", "abs"}


def _mark_procedures(body: str, args: list[Arg], decls: dict[str, dict]) -> None:
    """A scalar dummy that is called (`call g(...)`, or `f(x)` in an expression without being
    an array or a string) is a dummy procedure even without an EXTERNAL statement."""
    statements = body.splitlines()[1:]
    text = "\n".join(line for line in statements if not re.match(r"\s*(?:\d+\s+)?(?:integer|real|double|logical|"
                                                                 r"character|external|intrinsic|dimension)\b", line))
    for index, arg in enumerate(args):
        if arg.is_array or arg.is_character or arg.is_procedure:
            continue
        pattern = rf"(?:\bcall\s+{re.escape(arg.name)}\b|(?<![\w%]){re.escape(arg.name)}\s*\()"
        if re.search(pattern, text):
            args[index] = Arg(name=arg.name, base="procedure", kind=0, intent="in", line=arg.line)


def _assigns(body: str, name: str) -> bool:
    """Does the routine body assign the scalar `name` (x = ..., read(..) x, do x = ...)?"""
    pattern = rf"(?m)^\s*(?:\d+\s+)?(?:do\s+)?{re.escape(name)}\s*=(?!=)|\bread\b[^\n]*\b{re.escape(name)}\b"
    lines = body.splitlines()[1:]  # skip the procedure statement
    return re.search(pattern, "\n".join(lines)) is not None


def evaluate_extent(expr: str, values: dict[str, int]) -> int:
    """Evaluate a Fortran extent expression (n, 2*n+1, n/2, max(n,1)) with integer division."""
    return evaluate_integer(expr.replace("%", "_"), lambda name: values[name.lower()])
