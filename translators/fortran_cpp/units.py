"""Program units (modules, procedures, the main program) to one C++17 translation unit."""

from __future__ import annotations

from dataclasses import dataclass, field

from fparser.two import Fortran2003 as F
from fparser.two.utils import walk

from .analysis import analyse, propagate_writes
from .declarations import ISO_FORTRAN_ENV_KINDS, declare, implicit_type, type_of_spec
from .errors import UnsupportedConstruct
from .symbols import Procedure, Scope, Symbol, node_line

_SUPPORTED_MODULES = {"iso_fortran_env", "omp_lib"}


@dataclass
class Module:
    name: str
    scope: Scope
    items: list  # ('comment', text) | ('symbol', Symbol), in source order
    line: int
    leading: list = field(default_factory=list)


@dataclass
class FileModel:
    modules: dict[str, Module] = field(default_factory=dict)
    procedures: dict[str, Procedure] = field(default_factory=dict)
    main: Procedure | None = None
    commons: dict[str, list[Symbol]] = field(default_factory=dict)  # block -> its variables, in order
    common_scopes: dict[str, "Scope"] = field(default_factory=dict)  # block -> the scope of its first declaration
    # problems found while reading one procedure or the main program: (first, end) indices into
    # problems and the unit ("program NAME" for the main program); `--entry` reports only its own
    problem_owners: list[tuple[int, int, str]] = field(default_factory=list)
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    procedure_names: set[str] = field(default_factory=set)  # every subprogram the file defines
    # subroutines with no Fortran source but a C source NAME.c in the include directories:
    # called through the Fortran calling convention (symbol name_, every argument by address)
    c_externals: dict[str, "Path"] = field(default_factory=dict)


def _problem(model: FileModel, line: int, exc: UnsupportedConstruct) -> None:
    model.problems.append((exc.line or line, exc.construct, exc.message))


def build(tree, used_modules=(), c_externals=None) -> FileModel:
    """The file model; used_modules are module units of other files that the file uses;
    c_externals maps subroutines implemented in C (name -> NAME.c) to their sources."""
    model = FileModel()
    model.c_externals = dict(c_externals or {})
    model.procedure_names = {str(stmt.items[1]).lower() for unit in [tree, *used_modules]
                             for stmt in walk(unit, (F.Subroutine_Stmt, F.Function_Stmt))}
    global_scope = Scope()
    pending: list[str] = []
    for unit in list(used_modules) + list(tree.children):
        line = node_line(unit) or 1
        if isinstance(unit, F.Comment):
            text = str(unit).strip()
            if text:
                pending.append(text)
            continue
        first = len(model.problems)
        owner = None
        try:
            if isinstance(unit, F.Module):
                _module(model, unit, global_scope).leading = pending
            elif isinstance(unit, (F.Subroutine_Subprogram, F.Function_Subprogram)):
                procedure = _procedure(model, unit, global_scope, host=None)
                procedure.leading = pending + procedure.leading
                owner = procedure.name
            elif isinstance(unit, F.Main_Program):
                main = _main(model, unit, global_scope)
                main.leading = pending
                owner = f"program {main.name}"
            else:
                raise UnsupportedConstruct(type(unit).__name__.lower().replace("_", " "), "program unit not translated")
        except UnsupportedConstruct as exc:
            _problem(model, line, exc)
        if owner is not None:
            model.problem_owners.append((first, len(model.problems), owner))
        pending = []
    pending: list = []
    for procedure in list(model.procedures.values()) + ([model.main] if model.main else []):
        try:
            procedure.calls = analyse(_part(procedure.node, F.Execution_Part), procedure.scope, model.procedures,
                                      procedure.name, pending, c_externals=model.c_externals)
        except UnsupportedConstruct as exc:
            owner = procedure.name if procedure is not model.main else f"program {procedure.name}"
            model.problem_owners.append((len(model.problems), len(model.problems) + 1, owner))
            _problem(model, procedure.line, exc)
    propagate_writes(pending)
    return model


def included_from(stmt) -> str | None:
    """The INCLUDE file a statement was read from (None: the source itself)."""
    from fparser.common.readfortran import FortranFileReader
    reader = getattr(getattr(stmt, "item", None), "reader", None)
    return str(reader.id) if isinstance(reader, FortranFileReader) else None


def _part(node, kind):
    return next((c for c in node.children if isinstance(c, kind)), None)


def _specification(model: FileModel, spec, scope: Scope, args: list[str], module_level: bool,
                   items: list) -> None:
    if spec is None:
        return
    for stmt in spec.children:
        line = node_line(stmt) or 0
        try:
            _spec_statement(model, stmt, scope, args, module_level, items, line)
        except UnsupportedConstruct as exc:
            _problem(model, line, exc)
            if isinstance(stmt, F.Type_Declaration_Stmt):
                scope.failed.update(str(e.items[0]).lower() for e in stmt.items[2].items)


def _spec_statement(model, stmt, scope, args, module_level, items, line):
    if isinstance(stmt, F.Implicit_Part):
        for child in stmt.children:
            _spec_statement(model, child, scope, args, module_level, items, node_line(child) or line)
    elif isinstance(stmt, F.Implicit_Stmt):
        if str(stmt).upper().replace(" ", "") != "IMPLICITNONE":
            raise UnsupportedConstruct("implicit statement", f"'{stmt}' (only implicit none and default implicit typing)")
        scope.implicit_none = True
    elif isinstance(stmt, F.Comment):
        if included_from(stmt):
            return  # an INCLUDE file's comments document the file, not each routine reading it
        text = str(stmt).strip()
        if text.lower().startswith("!$omp"):
            items.append(("directive", text))
            return
        items.append(("comment", text))
    elif isinstance(stmt, F.Type_Declaration_Stmt):
        for symbol in declare(stmt, scope, line, args, module_level):
            items.append(("symbol", symbol))
            if symbol.parameter:
                symbol.included = included_from(stmt)
    elif isinstance(stmt, F.Use_Stmt):
        _use(model, stmt, scope)
    elif isinstance(stmt, F.Parameter_Stmt):
        for definition in stmt.items[1].items:
            name = str(definition.items[0]).lower()
            symbol = scope.symbols.get(name)
            if symbol is None:
                symbol = scope.add(Symbol(name=name, type=implicit_type(name), line=line, module_level=module_level))
                items.append(("symbol", symbol))
            symbol.parameter = True
            symbol.init = definition.items[1]
            symbol.included = included_from(stmt)
    elif isinstance(stmt, F.Dimension_Stmt):
        from .declarations import array_dims
        for name_node, spec in stmt.items[0]:
            name = str(name_node).lower()
            symbol = scope.symbols.get(name)
            if symbol is None:
                symbol = scope.add(Symbol(name=name, type=implicit_type(name), line=line, is_arg=name in args,
                                          module_level=module_level))
                items.append(("symbol", symbol))
            dims, deferred = array_dims(spec)
            if deferred and not symbol.allocatable:
                raise UnsupportedConstruct("assumed-shape array", f"deferred shape of '{name}' in '{stmt}'")
            symbol.dims = dims
    elif isinstance(stmt, F.Intent_Stmt):
        intent = str(stmt.items[0]).lower().replace(" ", "")
        for name_node in stmt.items[1].items:
            symbol = scope.symbols.get(str(name_node).lower())
            if symbol is None:
                name = str(name_node).lower()
                symbol = scope.add(Symbol(name=name, type=implicit_type(name), line=line, is_arg=name in args))
                items.append(("symbol", symbol))
            symbol.intent = intent
    elif isinstance(stmt, F.Common_Stmt):
        for block, objects in stmt.items[0]:
            # `common /fap/ ir(maxlevel), m1`: the shape may be given in the COMMON statement itself
            members = [(str(o.items[0]).lower(), o.items[1]) if isinstance(o, F.Common_Block_Object)
                       else (str(o).lower(), None) for o in objects.items]
            items.append(("common", (str(block).lower() if block is not None else "", members)))
    elif isinstance(stmt, F.Data_Stmt):
        _data(stmt, scope, line)
    elif isinstance(stmt, F.Assignment_Stmt) and isinstance(stmt.items[0], F.Part_Ref):
        # a statement function, f(x) = expression
        name = str(stmt.items[0].items[0]).lower()
        dummies = [str(d).lower() for d in stmt.items[0].items[1].items]
        if not all(isinstance(d, F.Name) for d in stmt.items[0].items[1].items):
            raise UnsupportedConstruct("statement function", f"'{stmt}'")
        symbol = scope.symbols.get(name) or scope.add(Symbol(name=name, type=implicit_type(name), line=line))
        if symbol.is_array:
            raise UnsupportedConstruct("data assignment", f"array element assignment '{stmt}' in the declarations")
        symbol.statement_function = (dummies, stmt.items[2])
        items.append(("statement function", symbol))
    elif isinstance(stmt, F.Interface_Block):
        _generic_interface(stmt, scope)
    elif isinstance(stmt, F.Format_Stmt):
        pass  # used where a write refers to its label
    elif isinstance(stmt, F.Save_Stmt):
        # applied once the whole specification part is known: SAVE may precede the declarations
        names = stmt.items[1]
        if names is None:
            scope.saved = None
        elif scope.saved is not None:
            for entity in names.items:
                if str(entity).startswith("/"):
                    continue  # a COMMON block: its variables are namespace-level anyway
                scope.saved = scope.saved | {str(entity).lower()}
    elif isinstance(stmt, F.Intrinsic_Stmt):
        scope.intrinsics |= {str(name).lower() for name in stmt.items[1].items}
    elif isinstance(stmt, F.External_Stmt):
        for name_node in stmt.items[1].items:
            name = str(name_node).lower()
            scope.externals.add(name)
            if name in args:
                symbol = scope.symbols.get(name)
                if symbol is None:
                    symbol = scope.add(Symbol(name=name, type=implicit_type(name), line=line, is_arg=True))
                    items.append(("symbol", symbol))
                symbol.procedure_arg = True
    else:
        name = type(stmt).__name__
        construct = name.replace("_Stmt", "").replace("_Def", "").replace("_", " ").lower()
        raise UnsupportedConstruct(construct, f"'{str(stmt).splitlines()[0]}'")


def _generic_interface(block, scope: Scope) -> None:
    """`interface g / module procedure a, b / end interface`: a call of g is a call of the specific
    procedure whose dummy arguments match the actual ones (resolved where g is called)."""
    head = str(block.children[0]).splitlines()[0]
    generic = block.children[0].items[0]
    if not isinstance(generic, F.Name):
        what = "an abstract or unnamed interface" if generic is None else f"generic '{generic}'"
        raise UnsupportedConstruct("interface block", f"'{head}': {what} (only a named generic interface "
                                   "listing module procedures)")
    specifics: list[str] = []
    for child in block.children[1:-1]:
        if isinstance(child, F.Comment):
            continue
        if not isinstance(child, F.Procedure_Stmt):
            raise UnsupportedConstruct("interface block", f"'{head}': interface bodies of external procedures "
                                       "(only a generic interface listing module procedures)")
        specifics += [str(name).lower() for name in child.items[0].items]
    scope.generics[str(generic).lower()] = specifics


def _use(model: FileModel, stmt, scope: Scope) -> None:
    module_name = str(stmt.items[2]).lower()
    listed = stmt.items[4]
    only: dict[str, str] | None = None  # local name -> name in the module (use m, only: wp => dp)
    renames: dict[str, str] = {}
    for entry in listed.items if listed is not None else ():
        if isinstance(entry, F.Rename):
            if entry.items[0] is not None:
                raise UnsupportedConstruct("use rename", f"operator renaming in '{stmt}'")
            renames[str(entry.items[1]).lower()] = str(entry.items[2]).lower()
        else:
            renames[str(entry).lower()] = str(entry).lower()
    if "ONLY" in str(stmt.items[3]).upper():
        only = renames
    elif renames:
        only = _all_names_with_renames(model, module_name, renames)
    if module_name in model.modules:
        scope.imports.append((model.modules[module_name].scope, only))
    elif module_name == "iso_fortran_env":
        env = Scope()
        for name, kind in ISO_FORTRAN_ENV_KINDS.items():
            env.add(Symbol(name=name, type=implicit_type("i"), line=0, parameter=True,
                           init=F.Int_Literal_Constant(str(kind)), module_level=True))
        scope.imports.append((env, only))
    elif module_name == "omp_lib":
        pass  # its procedures are reported where they are called
    else:
        raise UnsupportedConstruct("use", f"module '{module_name}' is neither in this file nor a translated intrinsic module")


def _all_names_with_renames(model: FileModel, module_name: str, renames: dict[str, str]) -> dict[str, str] | None:
    """use m, a => b: every name of m, b seen as a."""
    module = model.modules.get(module_name)
    if module is None:
        return None
    names = {name: name for name in module.scope.symbols if name not in renames.values()}
    names.update(renames)
    return names


def _module(model: FileModel, unit, global_scope: Scope) -> Module:
    name = str(unit.children[0].items[1]).lower()
    scope = Scope(parent=global_scope)
    module = Module(name, scope, [], node_line(unit.children[0]) or 1)
    model.modules[name] = module
    _specification(model, _part(unit, F.Specification_Part), scope, [], True, module.items)
    for symbol in scope.symbols.values():
        symbol.module_level = True
    subprograms = _part(unit, F.Module_Subprogram_Part)
    if subprograms is not None:
        pending: list[str] = []
        for child in subprograms.children:
            if isinstance(child, (F.Subroutine_Subprogram, F.Function_Subprogram)):
                try:
                    procedure = _procedure(model, child, scope, host=name)
                    procedure.leading = pending + procedure.leading
                except UnsupportedConstruct as exc:
                    _problem(model, node_line(child) or 1, exc)
                pending = []
            elif isinstance(child, F.Comment) and str(child).strip():
                pending.append(str(child).strip())
    return module


def _procedure(model: FileModel, unit, host_scope: Scope, host: str | None) -> Procedure:
    stmt = next(c for c in unit.children if isinstance(c, (F.Subroutine_Stmt, F.Function_Stmt)))
    kind = "function" if isinstance(stmt, F.Function_Stmt) else "subroutine"
    prefix, name_node, arg_list, suffix = stmt.items[0], stmt.items[1], stmt.items[2], stmt.items[3]
    name = str(name_node).lower()
    line = node_line(stmt) or 1
    args = [str(a).lower() for a in arg_list.items] if arg_list is not None else []
    if "*" in args:
        raise UnsupportedConstruct("alternate return", f"alternate return in '{stmt}'")
    procedure = Procedure(name=name, kind=kind, node=unit, line=line, args=args, host=host)
    procedure.leading = [str(c).strip() for c in unit.children
                         if isinstance(c, F.Comment) and str(c).strip() and node_line(c) and node_line(c) < line]
    scope = Scope(parent=host_scope)
    procedure.scope = scope
    prefix_type = None
    if prefix is not None:
        for spec in prefix.items:
            if isinstance(spec, (F.Intrinsic_Type_Spec, F.Declaration_Type_Spec)):
                prefix_type = spec
            else:
                word = str(spec).lower()
                if word not in ("pure", "elemental", "recursive", "impure"):
                    raise UnsupportedConstruct(f"{word} procedure", f"prefix '{word}' of '{name}'")
                procedure.prefixes.add(word)
    if kind == "function":
        result = name
        if suffix is not None and getattr(suffix, "items", None) and suffix.items[0] is not None:
            result = str(suffix.items[0]).lower()
        procedure.result = result
        if prefix_type is not None:
            scope.add(Symbol(name=result, type=type_of_spec(prefix_type, host_scope), line=line, is_result=True))
    if name in model.procedures:
        raise UnsupportedConstruct("duplicate procedure", f"'{name}' is defined twice")
    model.procedures[name] = procedure
    items: list = []
    _specification(model, _part(unit, F.Specification_Part), scope, args, False, items)
    procedure.spec_items = items
    _resolve_commons(model, scope, items, line)
    _apply_save_and_external(model, scope, args, procedure.result if kind == "function" else None)
    implicit_none = scope.implicit_none_in_effect()
    internal = host is not None and host not in model.modules
    for arg in args:
        symbol = scope.symbols.get(arg)
        if symbol is not None and symbol.assumed_shape and not internal:
            scope.failed.add(arg)
            del scope.symbols[arg]
            model.problems.append((symbol.line, "assumed-shape array",
                                   f"assumed-shape dummy argument '{arg}({', '.join(':' for _ in symbol.dims)})': its "
                                   "extents are not passed under the flat-array calling convention; declare it "
                                   "explicit-shape, e.g. x(n)"))
    for arg in args:
        if arg not in scope.symbols:
            if arg in scope.failed:
                continue
            if implicit_none:
                raise UnsupportedConstruct("undeclared argument", f"argument '{arg}' of '{name}' has no declaration")
            scope.add(Symbol(name=arg, type=implicit_type(arg), line=line, is_arg=True))
        if arg in scope.symbols:
            scope.symbols[arg].is_arg = True
    if kind == "function":
        if procedure.result not in scope.symbols:
            if implicit_none:
                raise UnsupportedConstruct("undeclared result", f"the result of function '{name}' has no type")
            scope.add(Symbol(name=procedure.result, type=implicit_type(procedure.result), line=line))
        result_symbol = scope.symbols[procedure.result]
        result_symbol.is_result = True
        result_symbol.save = False
        if result_symbol.is_array:
            raise UnsupportedConstruct("array-valued function", f"function '{name}' returns an array")
    contained = _part(unit, F.Internal_Subprogram_Part)
    if contained is not None:
        for child in contained.children:
            if isinstance(child, (F.Subroutine_Subprogram, F.Function_Subprogram)):
                _procedure(model, child, scope, host=name)
    return procedure


def _main(model: FileModel, unit, global_scope: Scope) -> Procedure:
    if model.main is not None:
        raise UnsupportedConstruct("program", "two main programs")
    stmt = unit.children[0]
    name = str(stmt.items[1]).lower() if isinstance(stmt, F.Program_Stmt) else "main"
    scope = Scope(parent=global_scope)
    main = Procedure(name=name, kind="program", node=unit, line=node_line(stmt) or 1)
    main.scope = scope
    main.leading = []
    items: list = []
    _specification(model, _part(unit, F.Specification_Part), scope, [], False, items)
    main.spec_items = items
    _resolve_commons(model, scope, items, main.line)
    _apply_save_and_external(model, scope, [], None)
    model.main = main
    internal = _part(unit, F.Internal_Subprogram_Part)
    if internal is not None:
        for child in internal.children:
            if isinstance(child, (F.Subroutine_Subprogram, F.Function_Subprogram)):
                _procedure(model, child, scope, host=name)
    return main


def _apply_save_and_external(model: FileModel, scope: Scope, args: list[str], result: str | None) -> None:
    """SAVE statements name variables declared before or after them; a declared type of a
    function (EXTERNAL, or defined in this file) is no variable; a dummy in EXTERNAL is a procedure."""
    saved = scope.saved
    for name, symbol in scope.symbols.items():
        if saved is None or name in saved:
            symbol.save = not symbol.parameter and not symbol.is_arg
        if name in args or name == result or symbol.is_array:
            if name in args and name in scope.externals:
                symbol.procedure_arg = True
            continue
        if name in scope.externals or name in model.procedure_names:
            symbol.external = True


def _resolve_commons(model: FileModel, scope: Scope, items: list, line: int) -> None:
    """COMMON blocks become namespace-level variables, shared by every unit that names them.
    Only blocks laid out identically (same names, types and shapes) in every unit are translated:
    storage association of differently named or typed members has no C++ counterpart."""
    for kind, payload in items:
        if kind != "common":
            continue
        block, names = payload
        members = []
        for name, shape in names:
            symbol = scope.symbols.get(name)
            if symbol is None:
                if scope.implicit_none_in_effect():
                    model.problems.append((line, "common", f"'{name}' in COMMON /{block}/ has no declaration"))
                    continue
                symbol = scope.add(Symbol(name=name, type=implicit_type(name), line=line))
            if shape is not None:
                from .declarations import array_dims
                symbol.dims, _ = array_dims(shape)
            symbol.common = block
            symbol.module_level = True
            members.append(symbol)
        known = model.commons.get(block)
        if known is None:
            model.commons[block] = members
            model.common_scopes[block] = scope
        elif [(s.name, s.type, str(s.dims)) for s in known] != [(s.name, s.type, str(s.dims)) for s in members]:
            model.problems.append((line, "common", f"COMMON /{block}/ is laid out differently in two units"))


def _data(stmt, scope: Scope, line: int) -> None:
    """DATA c /1.0, 2.0/: initial values (which also imply SAVE), given in array element order."""
    for data_set in stmt.items:
        objects, values = data_set.items
        expanded = []
        for value in values.items:
            if isinstance(value, F.Data_Stmt_Value) and value.items[0] is not None:
                repeat = value.items[0]
                if not str(repeat).isdigit():
                    raise UnsupportedConstruct("data", f"non-literal repeat count in '{stmt}'")
                expanded += [value.items[1]] * int(str(repeat))
            else:
                expanded.append(value.items[1] if isinstance(value, F.Data_Stmt_Value) else value)
        for obj in objects.items:
            if not isinstance(obj, F.Name):
                raise UnsupportedConstruct("data", f"data object '{obj}' (only whole variables)")
            symbol = scope.symbols.get(str(obj).lower())
            if symbol is None:
                raise UnsupportedConstruct("data", f"'{obj}' in DATA is not declared before it")
            count = 1
            if symbol.is_array:
                from .declarations import const_int
                count = 1
                for dim in symbol.dims:
                    upper, lower = const_int(dim.upper, scope), const_int(dim.lower, scope) if dim.lower else 1
                    if upper is None or lower is None:
                        raise UnsupportedConstruct("data", f"DATA for '{obj}' of non-constant size")
                    count *= upper - lower + 1
            if len(expanded) < count:
                raise UnsupportedConstruct("data", f"too few values for '{obj}' in '{stmt}'")
            taken, expanded = expanded[:count], expanded[count:]
            symbol.init = F.Array_Constructor("[" + ", ".join(str(v) for v in taken) + "]") if symbol.is_array \
                else taken[0]
            symbol.save = not symbol.module_level
