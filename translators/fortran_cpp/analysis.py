"""Facts about a procedure body needed before emitting it: which variables it writes
(const-ness and by-reference dummies), which integers are pure loop counters (declared in
the for statement), which procedures it calls, and implicitly typed variables."""

from __future__ import annotations

from fparser.two import Fortran2003 as F
from fparser.two.utils import walk

from .declarations import implicit_type
from .expressions import INTRINSIC_NAMES
from .symbols import Procedure, Scope, Symbol

_DO_CONSTRUCTS = (F.Block_Nonlabel_Do_Construct, F.Block_Label_Do_Construct)
_NOT_VARIABLES = (F.End_Do_Stmt, F.Exit_Stmt, F.Cycle_Stmt, F.Comment, F.End_Subroutine_Stmt,
                  F.End_Function_Stmt, F.End_Program_Stmt, F.End_If_Stmt, F.End_Select_Stmt,
                  F.Format_Stmt)  # edit descriptors (i5.3, a) name no variables


def _base(node) -> str | None:
    if isinstance(node, F.Name):
        return node.string.lower()
    if isinstance(node, F.Part_Ref):
        return str(node.items[0]).lower()
    return None


def do_variable(construct):
    for child in construct.children:
        if isinstance(child, (F.Nonlabel_Do_Stmt, F.Label_Do_Stmt)):
            control = next((c for c in child.items if isinstance(c, F.Loop_Control)), None)
            if control is not None and len(control.items) > 1 and isinstance(control.items[1], tuple):
                return control.items[1][0], control.items[1][1]
            return None, None
    return None, None


def analyse(body, scope: Scope, procedures: dict[str, Procedure], unit_name: str,
            pending: list | None = None, c_externals=()) -> set[str]:
    """Marks symbols modified / loop-local, adds implicit symbols; returns called procedure names."""
    if body is None:
        return set()
    calls: set[str] = set()
    _implicit_symbols(body, scope, procedures)
    for node in walk(body, F.Assignment_Stmt):
        _mark(scope, _base(node.items[0]))
    for construct in walk(body, _DO_CONSTRUCTS):
        var, _ = do_variable(construct)
        if var is not None:
            _mark(scope, str(var).lower())
    for node in walk(body, (F.Allocate_Stmt, F.Deallocate_Stmt)):
        for name in walk(node, F.Name):
            _mark(scope, name.string.lower())
            break
    for node in walk(body, (F.Ac_Implied_Do_Control, F.Io_Implied_Do_Control)):
        _mark(scope, str(node.items[0]).lower())
    for node in walk(body, (F.Call_Stmt, F.Part_Ref, F.Function_Reference, F.Intrinsic_Function_Reference,
                            F.Structure_Constructor)):
        name = str(node.items[0]).lower()
        if name not in procedures and name in c_externals and isinstance(node, F.Call_Stmt):
            # a C routine receives every argument by address: any of them may be written
            for arg in (node.items[1].items if node.items[1] is not None else []):
                _mark(scope, _base(arg.items[1] if isinstance(arg, F.Actual_Arg_Spec) else arg))
            continue
        if scope.lookup(name) is not None and scope.lookup(name).is_array:
            continue
        args = list(node.items[1].items) if node.items[1] is not None else []
        # a generic interface: any of its specifics may be the one called
        names = [name] if name in procedures else [s for s in scope.lookup_generic(name) or () if s in procedures]
        for procedure in (procedures[n] for n in names):
            calls.add(procedure.name)
            _mark_actuals(scope, procedure, args, procedures, calls, pending)
    _loop_locals(body, scope)
    return calls


def _mark_actuals(scope: Scope, procedure: Procedure, args: list, procedures: dict[str, Procedure], calls: set[str],
                  pending: list | None) -> None:
    """Variables passed to dummies the callee may write are modified; a procedure passed as an
    argument is emitted before its user, like a callee."""
    calls.update(str(a).lower() for a in args if isinstance(a, F.Name) and str(a).lower() in procedures)
    for position, arg in enumerate(args):
        if isinstance(arg, F.Actual_Arg_Spec):
            dummy_name, arg = str(arg.items[0]).lower(), arg.items[1]
        elif position < len(procedure.args):
            dummy_name = procedure.args[position]
        else:
            continue
        dummy = procedure.scope.symbols.get(dummy_name) if procedure.scope else None
        if dummy is not None and dummy.intent is None and pending is not None and not dummy.is_array:
            # an intent-less scalar dummy: the callee's own body tells (settled by propagate_writes)
            found = scope.lookup(_base(arg)) if _base(arg) is not None else None
            if found is not None:
                pending.append((found, dummy))  # a variable, or an array through one element
            continue
        if dummy is None or dummy.intent != "in":
            _mark(scope, _base(arg))


def propagate_writes(pending: list) -> None:
    """A variable passed to an intent-less scalar dummy is written when the callee writes that
    dummy (in its body or by passing it on): settled once every body has been analysed."""
    changed = True
    while changed:
        changed = False
        for actual, dummy in pending:
            if dummy.modified and not actual.modified:
                actual.modified = True
                changed = True


def _mark(scope: Scope, name: str | None) -> None:
    if name is None:
        return
    symbol = scope.lookup(name)
    if symbol is not None:
        symbol.modified = True


def _implicit_symbols(body, scope: Scope, procedures) -> None:
    if scope.implicit_none_in_effect():
        return
    for node in _variable_names(body):
        name = node.string.lower()
        if scope.lookup(name) is None and name not in procedures and name not in INTRINSIC_NAMES:
            scope.add(Symbol(name=name, type=implicit_type(name), line=0))


def _variable_names(node):
    if isinstance(node, _NOT_VARIABLES):
        return
    if isinstance(node, F.Name):
        yield node
        return
    if isinstance(node, (F.Call_Stmt,)):
        children = node.items[1:]
    elif isinstance(node, F.Actual_Arg_Spec):
        children = node.items[1:]
    elif isinstance(node, (F.Nonlabel_Do_Stmt,)) and getattr(node.item, "name", None):
        children = node.items
    else:
        children = getattr(node, "children", ()) or ()
    for child in children:
        if isinstance(child, tuple):
            for part in child:
                yield from _variable_names(part) if part is not None and not isinstance(part, (str, list)) else ()
                if isinstance(part, list):
                    for sub in part:
                        yield from _variable_names(sub)
        elif isinstance(child, list):
            for sub in child:
                yield from _variable_names(sub)
        elif child is not None and not isinstance(child, str):
            yield from _variable_names(child)


def _loop_locals(body, scope: Scope) -> None:
    """Integer locals referenced only inside do loops over themselves."""
    outside: set[str] = set()
    counters: set[str] = set()

    def visit(node, active: tuple[str, ...]):
        header = _forall_header(node)
        if header is not None:
            names = tuple(str(spec.items[0]).lower() for spec in header.items[-2].items)
            counters.update(names)
            for spec in header.items[-2].items:
                for bound in spec.items[1:]:
                    if bound is not None:
                        visit(bound, active)
            for child in node.children:
                if isinstance(child, (F.Forall_Header, F.Forall_Construct_Stmt)):
                    if header.items[-1] is not None:
                        visit(header.items[-1], active + names)
                    continue
                visit(child, active + names)
            return
        if isinstance(node, _DO_CONSTRUCTS):
            var, bounds = do_variable(node)
            name = str(var).lower() if var is not None else None
            if name:
                counters.add(name)
                for bound in bounds:
                    if bound is not None:
                        visit(bound, active)
                inner = active + (name,)
            else:
                inner = active
            for child in node.children:
                if isinstance(child, (F.Nonlabel_Do_Stmt, F.Label_Do_Stmt)) and name:
                    continue
                visit(child, inner)
            return
        for found in _variable_names(node) if not isinstance(node, _DO_CONSTRUCTS) and _is_leafish(node) else ():
            if found.string.lower() not in active:
                outside.add(found.string.lower())
        if not _is_leafish(node):
            for child in getattr(node, "children", ()) or ():
                if child is not None and not isinstance(child, (str, tuple, list)):
                    visit(child, active)

    visit(body, ())
    for name in counters - outside:
        symbol = scope.symbols.get(name)
        if symbol is not None and symbol.type.is_int and not symbol.is_arg and not symbol.save \
                and not symbol.module_level and not symbol.is_result:
            symbol.loop_local = True


def _forall_header(node):
    if isinstance(node, F.Forall_Stmt):
        return node.items[0]
    if isinstance(node, F.Forall_Construct):
        return node.children[0].items[1]
    if isinstance(node, _DO_CONSTRUCTS):
        for child in node.children:
            if isinstance(child, F.Nonlabel_Do_Stmt):
                control = next((c for c in child.items if isinstance(c, F.Loop_Control)), None)
                if control is not None and len(control.items) > 3 and isinstance(control.items[3], F.Forall_Header):
                    return control.items[3]
    return None


def _is_leafish(node) -> bool:
    """A node with no do construct below it: its names can be collected in one pass."""
    scoping = _DO_CONSTRUCTS + (F.Forall_Stmt, F.Forall_Construct)
    return not any(True for _ in walk(node, scoping)) if not isinstance(node, scoping) else False
