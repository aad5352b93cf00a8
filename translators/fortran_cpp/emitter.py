"""Assembles the translation unit: includes, helpers, module data, procedures, main."""

from __future__ import annotations

import re

from fparser.two import Fortran2003 as F
from fparser.two.utils import walk

from .context import UnitContext
from .comments import leading_comments
from .emit_decls import comment_line, declaration_lines, lambda_header, signature
from .errors import UnsupportedConstruct
from .runtime import helper_code
from .statements import INDENT, StatementTranslator
from .symbols import Procedure, Scope
from .units import FileModel, _part


def _context(scope: Scope, model: FileModel, name: str, **kwargs) -> UnitContext:
    ctx = UnitContext(scope=scope, procedures=model.procedures, unit_name=name, c_externals=model.c_externals,
                      **kwargs)
    ctx.taken = scope.all_names() | {p.cname for p in model.procedures.values()}
    return ctx


def _order(model: FileModel, names: list[str]) -> tuple[list[str], bool]:
    """Callees before callers; the flag says a cycle (recursion) needs prototypes."""
    ordered: list[str] = []
    state: dict[str, int] = {}
    cyclic = False
    allowed = set(names) | {n for n, p in model.procedures.items() if not getattr(p, "host_uses", None)}

    def visit(name: str):
        nonlocal cyclic
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            cyclic = True
            return
        state[name] = 1
        for callee in sorted(model.procedures[name].calls):
            if callee in model.procedures and callee in allowed:
                visit(callee)
        state[name] = 2
        ordered.append(name)

    for name in names:
        visit(name)
    return ordered, cyclic


def _reachable(model: FileModel, roots: list[str]) -> list[str]:
    seen: list[str] = []
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name in seen or name not in model.procedures:
            continue
        seen.append(name)
        stack.extend(sorted(model.procedures[name].calls))
    return seen


def generate(model: FileModel, entry: str | None, source_name: str):
    """(code, problems, notes) for the whole file, or for entry and what it calls."""
    problems = list(model.problems)
    notes: list[str] = []
    includes: set[str] = set()
    helpers: set[str] = set()
    sections: list[str] = []
    c_declarations: dict[str, str] = {}

    if entry is not None:
        if entry not in model.procedures:
            available = ", ".join(sorted(model.procedures)) or "none"
            problems.append((1, "entry", f"no procedure named '{entry}' in {source_name} (available: {available})"))
            return None, problems, notes
        selected = _reachable(model, [entry])
        include_main = False
        problems = _own_problems(model, selected)
    else:
        selected = list(model.procedures)
        include_main = model.main is not None
    units = [model.procedures[name] for name in selected] + ([model.main] if include_main else [])

    # Module data first: every procedure may refer to it.
    for module in model.modules.values():
        ctx = _context(module.scope, model, module.name)
        lines = []
        for kind, payload in module.items:
            if kind == "comment":
                lines.append(comment_line(payload) if payload.strip() else "")
                continue
            try:
                from .expressions import ExprTranslator
                lines += declaration_lines(payload, ExprTranslator(ctx), namespace_level=True)
            except UnsupportedConstruct as exc:
                problems.append((exc.line or payload.line, exc.construct, exc.message))
        includes |= ctx.includes
        if any(line and not line.startswith("//") for line in lines):
            header = [comment_line(c) for c in module.leading] or [f"// module {module.name}"]
            sections.append("\n".join(_tidy(header + lines)).strip("\n"))
            notes.append(f"module {module.name}: its variables and parameters are namespace-scope C++ entities")

    from .shared_data import common_sections, shared_constants
    commons = common_sections(model, units)
    constants, constant_includes, constant_helpers = shared_constants(model, units, commons, problems)
    includes |= constant_includes
    helpers |= constant_helpers
    if constants:
        sections.append("\n".join(constants))
    for block, (scope, members) in commons.items():
        ctx = _context(scope, model, f"common {block}")
        from .expressions import ExprTranslator
        lines = [f"// COMMON /{block}/" if block else "// blank COMMON"]
        for symbol in members:
            try:
                lines += declaration_lines(symbol, ExprTranslator(ctx), namespace_level=True)
            except UnsupportedConstruct as exc:
                problems.append((exc.line or symbol.line, "common", exc.message))
        includes |= ctx.includes
        helpers |= ctx.helpers
        sections.append("\n".join(lines))

    main_hosts_procedures = model.main is not None and any(p.host == model.main.name for p in model.procedures.values())
    if include_main and main_hosts_procedures:
        # Internal procedures of the program see its parameters: make them namespace-level constants.
        ctx = _context(model.main.scope, model, model.main.name)
        from .expressions import ExprTranslator
        lines = []
        for kind, payload in model.main.spec_items:
            if kind == "symbol" and payload.parameter:
                try:
                    lines += declaration_lines(payload, ExprTranslator(ctx), namespace_level=True)
                except UnsupportedConstruct as exc:
                    problems.append((exc.line or payload.line, exc.construct, exc.message))
                payload.hoisted = True
        includes |= ctx.includes
        if lines:
            sections.append("\n".join(lines))

    for procedure in model.procedures.values():
        procedure.host_uses = _host_symbols_used(procedure, model)
    lambdas = {name for name, p in model.procedures.items() if p.host_uses}
    selected = [name for name in selected if name not in lambdas]
    ordered, cyclic = _order(model, selected)
    bodies = []
    prototypes = []
    for name in ordered:
        procedure = model.procedures[name]
        text, ctx = _procedure_text(procedure, model, problems)
        if text is None:
            continue
        includes |= ctx.includes
        helpers |= ctx.helpers
        notes += ctx.notes
        c_declarations.update(ctx.c_declarations)
        bodies.append(text)
        prototypes.append(ctx.signature_text + ";")
    if include_main:
        text, ctx = _procedure_text(model.main, model, problems, is_main=True)
        if text is not None:
            includes |= ctx.includes
            helpers |= ctx.helpers
            notes += ctx.notes
            c_declarations.update(ctx.c_declarations)
            bodies.append(text)
    if problems:
        return None, _dedupe(problems), notes
    helper_text, helper_includes = helper_code(helpers)
    includes |= helper_includes
    code_parts = [f"// Translated from {source_name} by transverify (rule-based Fortran to C++17)."]
    if includes:
        code_parts.append("\n".join(f"#include <{name}>" for name in sorted(includes)))
    if helper_text:
        code_parts.append(helper_text.rstrip())
    if c_declarations:
        sources = sorted({model.c_externals[name].name for name in c_declarations})
        code_parts.append(f"// Implemented in C ({', '.join(sources)}): link that file with this one.\n"
                          + "\n".join(c_declarations[name] for name in sorted(c_declarations)))
        notes.append(f"calls C routines of {', '.join(sources)} through the Fortran calling convention "
                     "(symbol name_, arguments by address): compile and link those files too")
    code_parts += sections
    if cyclic and len(prototypes) > 1:
        code_parts.append("\n".join(prototypes))
    code_parts += bodies
    code = "\n\n".join(part.rstrip() for part in code_parts) + "\n"
    if entry is None and not include_main and len(ordered) > 1:
        notes.append(f"{len(ordered)} procedures translated ({', '.join(sorted(ordered))}); the engine verifies one "
                     "entry at a time (--entry NAME)")
    if "#pragma omp" in code:
        notes.append("OpenMP loops became #pragma omp: compile with -fopenmp to run them in parallel")
    return code, [], sorted(set(notes), key=notes.index)


def _own_problems(model: FileModel, selected: list[str]) -> list:
    """The file's problems less those found in procedures (or the main program) outside `selected`:
    `--entry NAME` translates NAME and its callees only."""
    hosts = {model.procedures[name].host for name in selected if model.procedures[name].host}
    wanted = set(selected) | hosts
    dropped = set()
    for first, end, owner in model.problem_owners:
        if owner not in wanted:
            dropped |= set(range(first, end))
    return [problem for index, problem in enumerate(model.problems) if index not in dropped]


def _dedupe(problems):
    seen, result = set(), []
    for problem in sorted(problems, key=lambda p: p[0]):
        if problem not in seen:
            seen.add(problem)
            result.append(problem)
    return result


def _procedure_text(procedure: Procedure, model: FileModel, problems: list, is_main: bool = False,
                    as_lambda: bool = False):
    scope = procedure.scope
    if any(arg not in scope.symbols for arg in procedure.args):
        return None, _context(scope, model, procedure.name)  # its declarations were reported
    result_symbol = scope.symbols.get(procedure.result) if procedure.result else None
    ctx = _context(scope, model, procedure.name, is_main=is_main)
    if result_symbol is not None and result_symbol.cname == procedure.cname:
        result_symbol.cname = "result" if "result" not in ctx.taken else f"{procedure.name}_result"
        ctx.taken.add(result_symbol.cname)
    ctx.result_name = result_symbol.cname if result_symbol is not None else None
    _check_host_association(procedure, model, ctx)
    st = StatementTranslator(ctx)
    result_type = "int" if is_main else (result_symbol.type.cpp if result_symbol is not None else "void")
    dummy_procedures = [scope.symbols[a] for a in procedure.args if scope.symbols[a].procedure_arg]
    if is_main:
        header = "int main()"
    elif dummy_procedures:
        header = ""  # the interfaces of dummy procedures are learnt from the body: set below
    elif as_lambda:
        header = lambda_header(procedure, result_type)
    else:
        header = signature(procedure, result_type)
    # internal procedures that use this unit's variables become lambdas inside it
    inner = [p for p in model.procedures.values() if p.host == procedure.name and getattr(p, "host_uses", None)]
    for inner_procedure in inner:
        for symbol in inner_procedure.host_uses:
            symbol.loop_local = False
    ctx.signature_text = header
    lines: list[str] = leading_comments(procedure.leading)
    lines.append(header + " {")
    from .expressions import ExprTranslator
    tr = ExprTranslator(ctx)
    declared = []
    directives: list[str] = []
    statement_functions: list = []
    constants: list[tuple[str, list[str]]] = []
    for kind, payload in procedure.spec_items:
        if kind == "comment":
            declared.append(INDENT + comment_line(payload) if payload.strip() else "")
            continue
        if kind == "directive":  # an OpenMP directive the parser filed with the declarations
            directives.append(payload)
            continue
        if kind == "statement function":
            statement_functions.append(payload)
            continue
        if getattr(payload, "hoisted", False) or kind == "common" or payload.common is not None \
                or payload.statement_function is not None:
            continue
        try:
            lines_of_symbol = [INDENT + line for line in declaration_lines(payload, tr, namespace_level=False)]
            if not payload.is_result:
                constants.append((payload.cname, lines_of_symbol))
            declared += lines_of_symbol
        except UnsupportedConstruct as exc:
            ctx.problems.append((exc.line or payload.line, exc.construct, exc.message))
    # implicitly typed variables, and results typed in the function statement, have no declaration statement
    listed = {id(payload) for kind, payload in procedure.spec_items if kind == "symbol"}
    for symbol in scope.symbols.values():
        if (symbol.line == 0 or symbol.is_result) and not symbol.is_arg and id(symbol) not in listed:
            declared += [INDENT + line for line in declaration_lines(symbol, tr, namespace_level=False)]
    body = _part(procedure.node, F.Execution_Part)
    statements = list(body.children) if body is not None else []
    if not is_main and not as_lambda:
        from .idioms import mark_first_use_declarations
        mark_first_use_declarations(procedure, statements, bool(inner) or bool(statement_functions) or any(
            _is_statement_function(s, scope) for s in statements[:1]))
        declared = [line for line in declared if not _declares_first_use(line, scope)]
    lines += declared
    while statements and _is_statement_function(statements[0], scope):
        node = statements.pop(0)
        symbol = scope.lookup(str(node.items[0].items[0]).lower())
        symbol.statement_function = ([str(d).lower() for d in node.items[0].items[1].items], node.items[2])
        statement_functions.append(symbol)
        lines[:] = [line for line in lines if not re.match(rf"\s*{symbol.type.cpp} {symbol.cname} = ", line)]
    function_lines = []
    for function in statement_functions:
        try:
            function_lines.append(INDENT + _statement_function(function, tr))
            lines += ["", function_lines[-1]]
        except UnsupportedConstruct as exc:
            ctx.problems.append((exc.line or function.line, exc.construct, exc.message))
    if inner:
        ordered, _ = _order(model, [p.name for p in inner])
        for name in ordered:
            text, inner_ctx = _procedure_text(model.procedures[name], model, problems, as_lambda=True)
            if text is None:
                continue
            ctx.includes |= inner_ctx.includes
            ctx.helpers |= inner_ctx.helpers
            ctx.c_declarations.update(inner_ctx.c_declarations)
            lines += [""] + [INDENT + line if line else "" for line in text.split("\n")]
    st.depth = 1
    if body is not None:
        ctx.goto_targets = {str(jump.items[0]) for jump in walk(body, F.Goto_Stmt)}
        ctx.goto_targets |= {str(label) for jump in walk(body, F.Computed_Goto_Stmt) for label in jump.items[0].items}
        ctx.formats = {str(fmt.item.label): str(fmt.items[1]) for fmt in walk(procedure.node, F.Format_Stmt)
                       if getattr(fmt.item, "label", None) is not None}
        if declared:
            st.lines.append("")
        for text in directives:
            st.comment_text(text)
        st.block(statements)
    if ctx.accessors:
        # after the last declaration, before the comments that introduce the body
        from .idioms import accessor_definitions
        at = len(lines)
        while at > len(procedure.leading) + 1 and (not lines[at - 1].strip() or lines[at - 1].strip().startswith("//")):
            at -= 1
        lines[at:at] = [""] + [INDENT + definition for definition in accessor_definitions(ctx)] + [""]
    lines += st.lines
    lines = _drop_unused_constants(lines, constants, ignore=function_lines)
    if dummy_procedures:
        try:
            header = lambda_header(procedure, result_type) if as_lambda else signature(procedure, result_type)
        except UnsupportedConstruct as exc:
            ctx.problems.append((exc.line or procedure.line, exc.construct, exc.message))
        ctx.signature_text = header
        lines[len(procedure.leading)] = header + " {"
    if any(procedure.scope.symbols[a].assumed_shape for a in procedure.args):
        # pass only the extents the body uses (indexing needs all but the last)
        body_text = "\n".join(lines[len(procedure.leading) + 1:])
        for arg in procedure.args:
            symbol = procedure.scope.symbols[arg]
            if symbol.assumed_shape:
                symbol.passed_extents = [d for d, name in enumerate(symbol.extent_names())
                                         if re.search(rf"\b{re.escape(name)}\b", body_text)]
        header = lambda_header(procedure, result_type) if as_lambda else signature(procedure, result_type)
        ctx.signature_text = header
        lines[len(procedure.leading)] = header + " {"
    if procedure.kind == "subroutine" and not as_lambda:
        _drop_final_return(lines)
    if procedure.kind == "function" and not (lines and lines[-1].strip().startswith("return ")):
        lines.append(f"{INDENT}return {ctx.result_name};")
    if is_main and not (lines and lines[-1].strip().startswith("return ")):
        lines.append(f"{INDENT}return 0;")
    lines.append("};" if as_lambda else "}")
    problems += ctx.problems
    if ctx.problems or ctx.follow_ons:
        return None, ctx
    return "\n".join(_tidy(lines)), ctx


def _declares_first_use(line: str, scope: Scope) -> bool:
    """A top-of-body declaration of a local now declared at its first use."""
    match = re.match(r"\s*[\w:<>]+(?: [\w:<>]+)* (\w+) = [^;]*;$", line)
    if match is None:
        return False
    return any(s.cname == match.group(1) and s.declare_at is not None for s in scope.symbols.values())


def _drop_final_return(lines: list[str]) -> None:
    """A `return;` that ends a subroutine (comments may follow it) says nothing in C++."""
    for position in range(len(lines) - 1, 0, -1):
        text = lines[position].strip()
        if not text or text.startswith("//"):
            continue
        if lines[position] == INDENT + "return;":
            del lines[position]
        return


def _drop_unused_constants(lines: list[str], constants, ignore=()) -> list[str]:
    """Declared but unused locals go; so do kind parameters (dp = kind(1.0d0)), which only shape
    types in Fortran and are unused in C++."""
    for name, declaration in constants:
        pattern = re.compile(rf"\b{re.escape(name)}\b")
        rest = [line for line in lines if line not in declaration and (line not in ignore or not _is_parameter_of(name, line))]
        if not any(pattern.search(line) for line in rest):
            lines = [line for line in lines if line not in declaration]
    return lines


def _tidy(lines: list[str]) -> list[str]:
    """No blank line right after an opening brace or before a closing one, none doubled."""
    result: list[str] = []
    for line in lines:
        if line == "" and (not result or result[-1] == "" or result[-1].endswith("{")):
            continue
        if line.strip().startswith("}") and result and result[-1] == "":
            result.pop()
        result.append(line)
    return result


def _host_symbols_used(procedure: Procedure, model: FileModel) -> list:
    """Variables of the host (program or procedure, not module) that an internal procedure uses."""
    host = procedure.host
    if host is None or host in model.modules:
        return []
    host_scope = procedure.scope.parent
    used = []
    for name in walk(procedure.node, F.Name):
        key = name.string.lower()
        if key in procedure.scope.symbols:
            continue
        found = host_scope.symbols.get(key) if host_scope is not None else None
        if found is not None and found not in used and not (found.parameter and model.main is not None
                                                              and host == model.main.name):
            used.append(found)
    return used


def _check_host_association(procedure: Procedure, model: FileModel, ctx: UnitContext) -> None:
    if getattr(procedure, "host_uses", None):
        return  # emitted as a lambda that captures them
    host = procedure.host
    if host is None or host in model.modules:
        return
    host_scope = procedure.scope.parent
    body = procedure.node
    for name in walk(body, F.Name):
        symbol = procedure.scope.symbols.get(name.string.lower())
        if symbol is not None:
            continue
        found = host_scope.symbols.get(name.string.lower()) if host_scope is not None else None
        if found is not None and not found.parameter:
            ctx.problems.append((procedure.line, "host association",
                                 f"internal procedure '{procedure.name}' uses '{found.name}' of its host '{host}'"))
            return
        if found is not None and found.parameter and (model.main is None or host != model.main.name):
            ctx.problems.append((procedure.line, "host association",
                                 f"internal procedure '{procedure.name}' uses parameter '{found.name}' of its host '{host}'"))
            return


def _statement_function(symbol, tr) -> str:
    """f(x) = expr: a lambda; its dummies take their types from the declarations of the unit."""
    from .declarations import implicit_type
    from .symbols import Scope, Symbol
    dummies, expression = symbol.statement_function
    shadow = Scope(parent=tr.scope)
    params = []
    for dummy in dummies:
        known = tr.scope.lookup(dummy)
        ftype = known.type if known is not None else implicit_type(dummy)
        shadow.add(Symbol(name=dummy, type=ftype, line=symbol.line))
        params.append(f"{ftype.cpp} {shadow.symbols[dummy].cname}")
    saved = tr.scope
    tr.scope = shadow
    try:
        value = tr.scalar(expression)
    finally:
        tr.scope = saved
    from .assignment import converted
    body = converted(tr, value, symbol.type)
    return f"auto {symbol.cname} = [&]({', '.join(params)}) -> {symbol.type.cpp} {{ return {body}; }};"


def _is_statement_function(node, scope) -> bool:
    """`f(x) = expr` before the first executable statement, f a declared scalar: a statement function."""
    if not isinstance(node, F.Assignment_Stmt) or not isinstance(node.items[0], F.Part_Ref):
        return False
    symbol = scope.lookup(str(node.items[0].items[0]).lower())
    return symbol is not None and not symbol.is_array and symbol.type.base not in ("string", "character") \
        and all(isinstance(d, F.Name) for d in node.items[0].items[1].items)


def _is_parameter_of(name: str, lambda_line: str) -> bool:
    """Whether name is a parameter of the statement-function lambda (its local namesake is unused there)."""
    params = lambda_line.split("[&](", 1)[1].split(")", 1)[0]
    return any(p.split()[-1] == name for p in params.split(",") if p.strip())
