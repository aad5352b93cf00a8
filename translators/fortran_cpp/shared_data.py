"""Data shared between program units: COMMON blocks and the PARAMETERs of INCLUDE files.

Legacy codes (NPB's npbparams.h, LINPACK-era *.incl) declare problem sizes as PARAMETERs and
shared state as COMMON blocks in an INCLUDE file that every routine reads.  The translation
keeps one copy of each: the constants become namespace-level `constexpr` (before the COMMON
variables, whose extents they give), each COMMON block a group of namespace-level variables
under a `// COMMON /name/` comment.  Only what the translated units use is emitted.
"""

from __future__ import annotations

from fparser.two import Fortran2003 as F
from fparser.two.utils import walk

from .errors import UnsupportedConstruct
from .symbols import Procedure, Scope, Symbol


def common_sections(model, units: list[Procedure]) -> dict[str, tuple[Scope, list[Symbol]]]:
    """Blocks the units use (an INCLUDE file declares many: only those with a member some unit
    refers to), each with the scope of its first declaration among them and the members as
    declared there."""
    used = set().union(*(_used_names(u) for u in units)) if units else set()
    found: dict[str, tuple[Scope, list[Symbol]]] = {}
    for unit in units:
        for block, members in model.commons.items():
            if block in found or not any(m.name in used for m in members):
                continue
            own = [unit.scope.symbols.get(m.name) for m in members]
            if own and all(s is not None and s.common == block for s in own):
                found[block] = (unit.scope, own)
    return found


def _used_names(unit: Procedure) -> set[str]:
    """Names a unit refers to, other than where it declares them."""
    names = set()
    for name in walk(unit.node, F.Name):
        parent = getattr(name, "parent", None)
        if isinstance(parent, (F.Entity_Decl, F.Named_Constant_Def)) and parent.items[0] is name:
            continue
        names.add(str(name).lower())
    return names


def _names_in(node) -> set[str]:
    return {str(n).lower() for n in walk(node, F.Name)} if node is not None else set()


def shared_constants(model, units: list[Procedure], commons: dict, problems: list
                     ) -> tuple[list[str], set[str], set[str]]:
    """Namespace-level declarations of the INCLUDE files' PARAMETERs the units use (and of the
    constants giving COMMON extents), in the order the source declares them; every unit's own
    identical copy is marked hoisted so that it is not declared again.  Returns the lines and the
    includes and inline helpers (int_pow for 2**ndim) they need."""
    from .emitter import _context
    from .emit_decls import declaration_lines
    from .expressions import ExprTranslator

    candidates: list[tuple[Symbol, Procedure]] = []
    for unit in units:
        for kind, payload in unit.spec_items:
            if kind == "symbol" and payload.parameter:
                candidates.append((payload, unit))
    wanted: set[str] = set()
    for unit in units:
        wanted |= _used_names(unit) & {s.name for s, u in candidates if u is unit and s.included}
    for scope, members in commons.values():
        for member in members:
            for dim in member.dims or []:
                wanted |= _names_in(dim.lower) | _names_in(dim.upper)
    first: dict[str, tuple[Symbol, Procedure]] = {}
    for symbol, unit in candidates:
        first.setdefault(symbol.name, (symbol, unit))
    changed = True
    while changed:  # constants computed from other constants: nz = na*(nonzer+1)
        changed = False
        for name in list(wanted):
            entry = first.get(name)
            if entry is None:
                continue
            more = (_names_in(entry[0].init) & set(first)) - wanted
            if more:
                wanted |= more
                changed = True
    lines: list[str] = []
    includes: set[str] = set()
    helpers: set[str] = set()
    emitted: dict[str, Symbol] = {}
    visiting: set[str] = set()

    def emit(symbol, unit) -> None:
        # a constant's own constants first: NPB types nr in npbparams.h before globals.h gives
        # it a value computed from nm
        visiting.add(symbol.name)
        for name in sorted((_names_in(symbol.init) & wanted) - set(emitted) - visiting):
            if name in first:
                emit(*first[name])
        if symbol.name in emitted:
            return
        ctx = _context(unit.scope, model, unit.name)
        try:
            lines.extend(declaration_lines(symbol, ExprTranslator(ctx), namespace_level=True))
        except UnsupportedConstruct as exc:
            problems.append((exc.line or symbol.line, exc.construct, exc.message))
            emitted[symbol.name] = symbol
            return
        includes.update(ctx.includes)
        helpers.update(ctx.helpers)
        emitted[symbol.name] = symbol
        symbol.hoisted = True

    for symbol, unit in candidates:
        if symbol.name not in wanted:
            if symbol.included:
                symbol.hoisted = True  # an INCLUDE file's constant this unit does not use: left out
            continue
        kept = emitted.get(symbol.name)
        if kept is None:
            emit(symbol, unit)
        elif kept is symbol:
            continue
        elif str(kept.init) == str(symbol.init) and kept.type == symbol.type and str(kept.dims) == str(symbol.dims):
            symbol.hoisted = True
            symbol.runtime_constant = kept.runtime_constant
    return lines, includes, helpers
