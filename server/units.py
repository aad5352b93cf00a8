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


def _unit(node: Node, name_node: Node | None, kind: str, language: str) -> Unit:
    name = name_node.text.decode("utf-8", "replace") if name_node is not None else "<anonymous>"
    name_line = name_node.start_point[0] if name_node is not None else node.start_point[0]
    end = node.end_point[0]
    # A node that ends at column 0 stops before that line.
    if node.end_point[1] == 0 and end > node.start_point[0]:
        end -= 1
    return Unit(name=name, kind=kind, language=language, start_line=node.start_point[0], end_line=end,
                name_line=name_line)


_FORTRAN_KINDS = {"subroutine": "subroutine", "function": "function", "program": "program",
                  "module_procedure": "procedure"}


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
