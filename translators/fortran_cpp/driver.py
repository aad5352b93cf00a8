"""Parse, build the file model, emit, format: the pipeline behind translate_source."""

from __future__ import annotations

import traceback
from pathlib import Path

from ...verify.errors import VerifyInputError
from ...verify.fortran_preprocess import needs_preprocessing, preprocess
from . import RuleTranslation, Unsupported
from .errors import UnsupportedConstruct
from .formatting import format_cpp
from .frontend import ParseError, parse


def translate(text: str, filename: str, entry: str | None, include_dirs=()) -> RuleTranslation:
    entry = entry.lower() if entry else None
    try:
        text, to_source_line = _preprocessed(text, filename, include_dirs)
    except VerifyInputError as exc:
        return RuleTranslation(None, [Unsupported(exc.line or 1, exc.construct or "preprocessor", exc.reason)], entry)
    try:
        tree = parse(text, include_dirs)
        external_units, c_externals = _external_procedure_units(tree, include_dirs)
        used_modules = _used_module_units(tree, include_dirs) + external_units
    except ParseError as exc:
        return RuleTranslation(None, [Unsupported(to_source_line(exc.line), "syntax", exc.message)], entry)
    except VerifyInputError as exc:  # a used module's source that the preprocessor rejects
        return RuleTranslation(None, [Unsupported(1, exc.construct or "preprocessor", str(exc))], entry)
    except Exception as exc:  # a defect while reading other files must not crash the caller
        return RuleTranslation(None, [Unsupported(1, "internal error", f"{exc.__class__.__name__}: {exc}")], entry)
    try:
        from .emitter import generate
        from .units import build
        model = build(tree, used_modules, c_externals)
        code, problems, notes = generate(model, entry, filename)
    except UnsupportedConstruct as exc:
        return RuleTranslation(None, [Unsupported(to_source_line(exc.line or 1), exc.construct, exc.message)], entry)
    except Exception as exc:  # a translator bug must not crash the caller
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return RuleTranslation(None, [Unsupported(1, "internal error",
                                                  f"{exc.__class__.__name__}: {exc} (at {where.name}:{where.lineno})")], entry)
    if problems:
        return RuleTranslation(None, [Unsupported(to_source_line(line or 1), construct, message)
                                      for line, construct, message in problems], entry, notes)
    return RuleTranslation(format_cpp(code), [], entry, notes)


def _preprocessed(text: str, filename: str, include_dirs):
    """The text as the compiler reads it (the C preprocessor run on .F90, .F, ... files) and a
    map from its lines back to the file's own."""
    if not needs_preprocessing(filename):
        return text, lambda line: line
    done = preprocess(text, filename, include_dirs)
    return done.text, lambda line: done.line_in_source(line, Path(filename).name)


def _parse_file(path, include_dirs):
    """Another source the translation needs (a used module, a called routine); its parse
    errors name that file."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
        if needs_preprocessing(path.name):
            text = preprocess(text, path.name, (path.parent, *include_dirs)).text
        return parse(text, include_dirs)
    except ParseError as exc:
        raise ParseError(exc.line, f"{path.name}: {exc.message}") from None


def _used_module_units(tree, include_dirs) -> list:
    """Modules the file uses but does not define, parsed from m.f90 (m.f, ...) in the include
    directories, in an order where a module comes after those it uses."""
    from fparser.two import Fortran2003 as F
    from fparser.two.utils import walk

    from .frontend import module_file
    units: list = []
    defined: set[str] = set()
    seen: set[str] = set()

    def visit(node):
        defined.update(str(m.items[1]).lower() for m in walk(node, F.Module_Stmt))
        for use in walk(node, F.Use_Stmt):
            name = str(use.items[2]).lower()
            if name in defined or name in seen:
                continue
            seen.add(name)
            path = module_file(name, include_dirs)
            if path is None:
                continue
            other = _parse_file(path, include_dirs)
            visit(other)
            units.extend(u for u in other.children if isinstance(u, F.Module))

    visit(tree)
    return units


def _external_procedure_units(tree, include_dirs) -> tuple[list, dict]:
    """Procedures the file calls (CALL, EXTERNAL) but does not define, parsed from name.f
    (name.f90, ...) in the include directories, with those they call in turn: a LAPACK routine
    and the auxiliaries it uses.  LSAME and XERBLA are left to the inline helpers.  Subroutines
    with no Fortran source but a C source name.c there come back apart (name -> path): they are
    called as C functions, not translated."""
    from fparser.two import Fortran2003 as F
    from fparser.two.utils import walk

    from .fortran77 import SERVICE_ROUTINES
    from .frontend import c_procedure_file, procedure_file
    units: list = []
    c_sources: dict = {}
    defined: set[str] = set()
    looked_up: set[str] = set()

    def visit(node):
        defined.update(str(s.items[1]).lower() for s in walk(node, (F.Subroutine_Stmt, F.Function_Stmt)))
        dummies = {str(a).lower() for s in walk(node, (F.Subroutine_Stmt, F.Function_Stmt))
                   if s.items[2] is not None for a in s.items[2].items}
        called = {str(c.items[0]).lower() for c in walk(node, F.Call_Stmt)}
        wanted = set(called)
        wanted |= {str(n).lower() for e in walk(node, F.External_Stmt) for n in e.items[1].items}
        # FORTRAN 77 calls functions without declaring them EXTERNAL: f(x) that is no array
        arrays = {str(e.items[0]).lower() for e in walk(node, F.Entity_Decl) if e.items[1] is not None}
        arrays |= {str(name).lower() for d in walk(node, F.Dimension_Stmt) for name, _ in d.items[0]}
        wanted |= {str(r.items[0]).lower() for r in walk(node, (F.Part_Ref, F.Function_Reference,
                                                                F.Structure_Constructor))} - arrays
        for name in sorted(wanted - defined - dummies - looked_up - set(SERVICE_ROUTINES)):
            looked_up.add(name)
            path = procedure_file(name, include_dirs)
            if path is None:
                c_path = c_procedure_file(name, include_dirs) if name in called else None
                if c_path is not None:
                    c_sources[name] = c_path
                continue
            other = _parse_file(path, include_dirs)
            found = [u for u in other.children if isinstance(u, (F.Subroutine_Subprogram, F.Function_Subprogram))]
            new = [u for u in found if str(walk(u, (F.Subroutine_Stmt, F.Function_Stmt))[0].items[1]).lower()
                   not in defined]
            units.extend(new)
            # all of the file's procedures are known before any is searched for its callees:
            # one that calls another of the same file must not read the file again
            defined.update(str(walk(u, (F.Subroutine_Stmt, F.Function_Stmt))[0].items[1]).lower() for u in new)
            for unit in new:
                visit(unit)

    visit(tree)
    return units, c_sources
