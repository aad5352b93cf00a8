"""Find the translatable units of a file (procedures, functions, kernels,
nn.Modules) with tree-sitter.

Parsing only: no compiler, no LLM, so listing code actions stays instant even
on files of thousands of lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from tree_sitter import Language, Node, Parser

FORTRAN, CPP, CUDA, PYTHON = "fortran", "cpp", "cuda", "python"


@dataclass(frozen=True)
class Unit:
    name: str
    kind: str  # "subroutine", "function", "program", "kernel", "module class", ...
    language: str
    start_line: int  # 0-based, inclusive
    end_line: int  # 0-based, inclusive
    name_line: int  # 0-based line of the unit's name (where a code lens goes)

    def contains(self, first: int, last: int) -> bool:
        return self.start_line <= first and last <= self.end_line


# tree-sitter node type -> the unit kind users see
_FORTRAN_KINDS = {"subroutine": "subroutine", "function": "function", "program": "program",
                  "module_procedure": "procedure"}


@lru_cache(maxsize=None)
def _parser(language: str) -> Parser:
    if language == FORTRAN:
        import tree_sitter_fortran as grammar
    elif language == CPP:
        import tree_sitter_cpp as grammar
    elif language == CUDA:
        # The C++ grammar mis-parses <<<...>>> launches; the CUDA grammar does not.
        import tree_sitter_cuda as grammar
    elif language == PYTHON:
        import tree_sitter_python as grammar
    else:
        raise ValueError(f"no grammar for language '{language}'")
    return Parser(Language(grammar.language()))


class ParsedDocument:
    """A document's tree, re-parsed incrementally as its text changes.

    The changed span is found by comparing old and new text (common prefix and
    suffix), so it works whatever edits the editor sent; tree-sitter then
    re-parses only around it, which keeps listing instant on long files.
    """

    def __init__(self, language: str):
        self.language = language
        self.text = b""
        self.tree = None
        self._lines: list[bytes] | None = None

    def update(self, text: str):
        new = text.encode("utf-8")
        parser = _parser(self.language)
        if self.tree is None:
            self.tree = parser.parse(new)
        elif new != self.text:
            old = self.text
            start = _common_prefix(old, new)
            tail = _common_prefix(old[start:][::-1], new[start:][::-1]) if len(old) - start and len(new) - start else 0
            old_end, new_end = len(old) - tail, len(new) - tail
            self.tree.edit(start_byte=start, old_end_byte=old_end, new_end_byte=new_end,
                           start_point=_point(old, start), old_end_point=_point(old, old_end),
                           new_end_point=_point(new, new_end))
            self.tree = parser.parse(new, self.tree)
        self.text = new
        self._lines = None
        return self.tree

    def unit_at(self, first_line: int, last_line: int | None = None) -> Unit | None:
        last_line = first_line if last_line is None else last_line
        # Look from the first and last non-blank characters: at column 0 of an indented
        # line the smallest node is whatever ended just before it.
        start, end = self._line_span(first_line), self._line_span(last_line)
        return unit_at_point(self.tree.root_node, self.language, (first_line, start[0]), (last_line, end[1]))

    def _line_span(self, line: int) -> tuple[int, int]:
        """(first, last) non-blank byte columns of a line; (0, 0) for a blank or missing one."""
        if self._lines is None:
            self._lines = self.text.split(b"\n")  # once per text version, in C
        if not 0 <= line < len(self._lines):
            return 0, 0
        content = self._lines[line]
        stripped = content.strip()
        if not stripped:
            return 0, 0
        first = len(content) - len(content.lstrip())
        return first, first + len(stripped) - 1


def _common_prefix(a: bytes, b: bytes) -> int:
    # Binary search over slice comparisons: memcmp speed, no Python loop per byte.
    low, high = 0, min(len(a), len(b))
    while low < high:
        mid = (low + high + 1) // 2
        if a[:mid] == b[:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def _point(data: bytes, offset: int) -> tuple[int, int]:
    row = data.count(b"\n", 0, offset)
    line_start = data.rfind(b"\n", 0, offset) + 1
    return row, offset - line_start


_UNIT_TYPES = {FORTRAN: set(_FORTRAN_KINDS),
               CPP: {"function_definition"}, CUDA: {"function_definition"},
               PYTHON: {"class_definition"}}


def unit_at_point(root: Node, language: str, start: tuple[int, int], end: tuple[int, int]) -> Unit | None:
    """The innermost unit holding start..end (row, byte column): walk up from the smallest node there."""
    first_line, last_line = start[0], end[0]
    node = root.named_descendant_for_point_range(start, end)
    while node is not None:
        if node.type in _UNIT_TYPES[language]:
            unit = _as_unit(node, language)
            if unit is not None and unit.contains(first_line, last_line):
                return unit
        node = node.parent
    return None


def _as_unit(node: Node, language: str) -> Unit | None:
    if language == FORTRAN:
        statement = node.named_children[0] if node.named_children else None
        name = statement.child_by_field_name("name") if statement is not None else None
        return _unit(node, name, _FORTRAN_KINDS[node.type], language)
    if language in (CPP, CUDA):
        kernel = any(c.type == "__global__" for c in node.children)
        return _unit(node, _declarator_name(node.child_by_field_name("declarator")),
                     "kernel" if kernel else "function", language)
    if _is_torch_module(node):
        outer = node.parent if node.parent is not None and node.parent.type == "decorated_definition" else node
        return _unit(outer, node.child_by_field_name("name"), "nn.Module", language)
    return None


def find_units(text: str, language: str) -> list[Unit]:
    """All units of `text`, outermost first; nested units (module procedures) included."""
    root = _parser(language).parse(text.encode("utf-8")).root_node
    collect = {FORTRAN: _fortran_units, CPP: _c_units, CUDA: _c_units, PYTHON: _python_units}[language]
    units: list[Unit] = []
    collect(root, language, units)
    return units


def unit_at(units: list[Unit], first_line: int, last_line: int | None = None) -> Unit | None:
    """The innermost unit that holds the lines first_line..last_line (0-based)."""
    last_line = first_line if last_line is None else last_line
    holding = [u for u in units if u.contains(first_line, last_line)]
    return min(holding, key=lambda u: u.end_line - u.start_line) if holding else None


def find_unit(units: list[Unit], name: str) -> Unit | None:
    """The unit called `name` (Fortran names are case-insensitive, so match that way)."""
    wanted = name.lower()
    return next((u for u in units if u.name.lower() == wanted), None)


def entry_name_line(units: list[Unit], entry: str | None) -> int:
    """The 0-based line of the name of the unit `entry` (the first unit when no entry was given):
    where a code lens about that entry goes; 0 when there is no such unit."""
    unit = find_unit(units, entry) if entry else (units[0] if units else None)
    return unit.name_line if unit else 0


def _unit(node: Node, name_node: Node | None, kind: str, language: str) -> Unit:
    name = name_node.text.decode("utf-8", "replace") if name_node is not None else "<anonymous>"
    name_line = name_node.start_point[0] if name_node is not None else node.start_point[0]
    end = node.end_point[0]
    # A node that ends at column 0 stops before that line.
    if node.end_point[1] == 0 and end > node.start_point[0]:
        end -= 1
    return Unit(name=name, kind=kind, language=language, start_line=node.start_point[0], end_line=end,
                name_line=name_line)


def _fortran_units(node: Node, language: str, out: list[Unit]) -> None:
    for child in node.named_children:
        kind = _FORTRAN_KINDS.get(child.type)
        if kind is not None:
            statement = child.named_children[0] if child.named_children else None
            name = statement.child_by_field_name("name") if statement is not None else None
            out.append(_unit(child, name, kind, language))
        if child.type in ("module", "submodule", "internal_procedures", "program", "subroutine", "function"):
            _fortran_units(child, language, out)


def _c_units(node: Node, language: str, out: list[Unit]) -> None:
    for child in node.named_children:
        if child.type == "function_definition":
            name = _declarator_name(child.child_by_field_name("declarator"))
            kernel = any(c.type == "__global__" for c in child.children)
            out.append(_unit(child, name, "kernel" if kernel else "function", language))
        elif child.type in ("namespace_definition", "declaration_list", "linkage_specification",
                            "template_declaration", "preproc_ifdef", "preproc_if", "preproc_else"):
            _c_units(child, language, out)


def _declarator_name(declarator: Node | None) -> Node | None:
    # function_declarator -> declarator (identifier / qualified_identifier / pointer ...)
    while declarator is not None and declarator.type not in ("identifier", "field_identifier", "qualified_identifier",
                                                             "destructor_name", "operator_name"):
        inner = declarator.child_by_field_name("declarator")
        if inner is None:
            return None
        declarator = inner
    return declarator


def _python_units(node: Node, language: str, out: list[Unit]) -> None:
    for child in node.named_children:
        definition = child
        if child.type == "decorated_definition":
            definition = child.child_by_field_name("definition")
        if definition is not None and definition.type == "class_definition" and _is_torch_module(definition):
            out.append(_unit(child, definition.child_by_field_name("name"), "nn.Module", language))


def _is_torch_module(class_node: Node) -> bool:
    bases = class_node.child_by_field_name("superclasses")
    if bases is None:
        return False
    return any(base.text.decode("utf-8", "replace").split(".")[-1] == "Module" for base in bases.named_children)
