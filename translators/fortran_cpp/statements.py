"""Executable statements and constructs to C++ statements."""

from __future__ import annotations

from fparser.two import Fortran2003 as F
from fparser.two.utils import walk

from .context import UnitContext
from .errors import UnsupportedConstruct
from .comments import comment_body
from .expressions import ExprTranslator
from .fortran77 import SERVICE_ROUTINES
from .linear import Linear
from .openmp import OmpDirective, parse_directive
from .output_statements import OutputStatements
from .statement_text import INDENT, first_line
from .symbols import node_line


class StatementTranslator(OutputStatements):
    def __init__(self, ctx: UnitContext):
        self.ctx = ctx
        self.tr = ExprTranslator(ctx)
        self.lines: list[str] = []
        self.depth = 0
        self.omp_pending: OmpDirective | None = None

    # ---- output -------------------------------------------------------------------------

    def emit(self, text: str) -> None:
        self.lines.append(INDENT * self.depth + text if text else "")

    def emit_lines(self, lines: list[str]) -> None:
        for line in lines:
            self.emit(line)

    def flush_pre(self) -> None:
        pre, self.ctx.pre = self.ctx.pre, []
        self.emit_lines(pre)

    def nested(self, nodes) -> None:
        self.depth += 1
        self.block(nodes)
        self.depth -= 1

    # ---- dispatch -----------------------------------------------------------------------

    def block(self, nodes) -> None:
        for node in nodes:
            self.statement(node)

    def statement(self, node) -> None:
        line = node_line(node) or self.ctx.line
        self.ctx.line = line
        self.ctx.pre = []
        self.ctx.temporaries = {}
        mark = len(self.lines)
        label = getattr(getattr(node, "item", None), "label", None)
        if label is None and getattr(node, "content", None):  # `10 do i = 1, n`: the construct's first statement
            label = getattr(getattr(node.content[0], "item", None), "label", None)
        if label is not None and str(label) in self.ctx.goto_targets:
            self.emit(f"label_{label}:;")  # `;`: a label must precede a statement in C++17
            mark = len(self.lines)
        try:
            handler = getattr(self, f"_s_{type(node).__name__}", None)
            if handler is None:
                raise UnsupportedConstruct(_describe(node), f"statement '{first_line(node)}'")
            handler(node)
        except UnsupportedConstruct as problem:
            del self.lines[mark:]
            self.ctx.pre = []
            if not problem.follow_on:
                self.ctx.problems.append((problem.line or line, problem.construct, problem.message))
            else:
                self.ctx.follow_ons += 1
        except Exception as exc:  # a translator defect: report it at this statement, keep going
            del self.lines[mark:]
            self.ctx.pre = []
            self.ctx.problems.append((line, "internal error",
                                      f"translating '{first_line(node)}': {exc.__class__.__name__}: {exc}"))

    # ---- simple statements --------------------------------------------------------------

    def _s_Comment(self, node):
        self.comment_text(str(node.items[0]))

    def comment_text(self, text: str) -> None:
        text = text.strip()
        if not text:
            if self.lines and self.lines[-1] != "":
                self.emit("")
            return
        directive = parse_directive(text, self.ctx)
        if directive is not None:
            self._omp(directive)
            return
        if text.startswith("!$"):
            raise UnsupportedConstruct("compiler directive", f"directive '{text}'")
        from .comments import comment_line
        line = comment_line(text)
        if line:
            self.emit(line)
        elif comment_body(text) == "" and self.lines and self.lines[-1] != "":
            self.emit("")

    def _omp(self, directive: OmpDirective):
        if directive.kind == "loop":
            self.omp_pending = directive
        elif directive.kind == "open":
            self.emit(directive.pragma)
            self.emit("{")
            self.depth += 1
        elif directive.kind == "close":
            self.depth -= 1
            self.emit("}")
        elif directive.kind == "standalone":
            self.emit(directive.pragma)

    def _s_Continue_Stmt(self, node):
        pass

    def _s_Format_Stmt(self, node):
        pass  # used where a write refers to its label

    def _s_Implicit_Stmt(self, node):
        pass

    def _s_Assignment_Stmt(self, node):
        from .assignment import assign
        assign(self, node)

    def _s_Pointer_Assignment_Stmt(self, node):
        raise UnsupportedConstruct("pointer", f"pointer assignment '{node}'")

    def _s_Call_Stmt(self, node):
        name = str(node.items[0]).lower()
        args = list(node.items[1].items) if node.items[1] is not None else []
        procedure = self.ctx.procedures.get(name)
        dummy = self.ctx.scope.lookup(name)
        if procedure is None and dummy is None:
            from .generics import resolve_generic
            procedure = resolve_generic(self.tr, name, args, node, None)
            name = procedure.name if procedure is not None else name
        if procedure is None and dummy is not None and dummy.procedure_arg:
            from .calls import dummy_procedure_call
            code = dummy_procedure_call(self.tr, dummy, args, node, None, is_function=False)
            self.flush_pre()
            self.emit(code + ";")
            return
        if procedure is None and SERVICE_ROUTINES.get(name) == "subroutine":
            from .calls import service_call
            code = service_call(self.tr, name, args, node, None)
            self.flush_pre()
            self.emit(code + ";")
            return
        if procedure is None and name in self.ctx.c_externals and (dummy is None or not dummy.is_array):
            from .calls import c_external_call
            code = c_external_call(self.tr, name, args, node)
            self.flush_pre()
            self.emit(code + ";")
            return
        if procedure is None:
            raise UnsupportedConstruct("external procedure", f"call of '{name}', which is not defined in this file")
        if procedure.kind != "subroutine":
            raise UnsupportedConstruct("procedure call", f"'call' of function '{name}'")
        from .calls import call_arguments
        actual = call_arguments(self.tr, procedure, args, node, None)
        self.flush_pre()
        self.emit(f"{procedure.cname}({', '.join(actual)});")

    def _s_Return_Stmt(self, node):
        self.emit(self._return_text())

    def _return_text(self) -> str:
        if self.ctx.is_main:
            return "return 0;"
        if self.ctx.result_name:
            return f"return {self.ctx.result_name};"
        return "return;"

    def _s_Stop_Stmt(self, node):
        self._stop(node, error=False)

    def _s_Error_Stop_Stmt(self, node):
        self._stop(node, error=True)

    def _stop(self, node, error: bool):
        code_node = node.items[1] if len(node.items) > 1 else None
        word = "ERROR STOP" if error else "STOP"
        status = "1" if error else "0"
        code = str(code_node).strip() if code_node is not None else ""
        if code.isdigit():
            self.emit(f'std::fputs("{word} {code}\\n", stderr);')
            status = code
        elif code[:1] in ("'", '"'):
            text = code[1:-1].replace(code[0] * 2, code[0]).replace("\\", "\\\\").replace('"', '\\"')
            self.emit(f'std::fputs("{word} {text}\\n", stderr);')
        elif code:
            raise UnsupportedConstruct("stop code", f"non-constant stop code in '{node}'")
        elif error:
            self.emit(f'std::fputs("{word}\\n", stderr);')
        self.ctx.includes.add("cstdio")
        if self.ctx.is_main and self.depth == 1:
            self.emit(f"return {status};")
        else:
            self.ctx.includes.add("cstdlib")
            self.emit(f"std::exit({status});")

    def _s_Goto_Stmt(self, node):
        # Legacy forward/backward jumps inside one procedure map onto C++ goto; g++ rejects the
        # few that would skip an initialisation, so a wrong translation cannot pass unnoticed.
        self.emit(f"goto label_{node.items[0]};")

    def _s_Computed_Goto_Stmt(self, node):
        # GO TO (10, 20, 30), I: the I-th label; any other value falls through to the next
        # statement, as Fortran defines it.
        labels, selector = node.items
        value = self.tr.scalar(selector)
        if not value.type.is_int:
            raise UnsupportedConstruct("computed goto", f"computed GO TO on a non-integer '{selector}'")
        self.emit(f"switch ({value.code}) {{")
        for position, label in enumerate(labels.items, start=1):
            self.emit(f"{INDENT}case {position}: goto label_{label};")
        self.emit(f"{INDENT}default: break;")
        self.emit("}")

    def _s_Exit_Stmt(self, node):
        self._jump(node.items[1], "exit")

    def _s_Cycle_Stmt(self, node):
        self._jump(node.items[1], "cycle")

    def _jump(self, name_node, kind: str):
        if not self.ctx.loop_stack:
            raise UnsupportedConstruct(kind, f"{kind} outside a loop")
        name = str(name_node).lower() if name_node is not None else None
        if name is None or name == self.ctx.loop_stack[-1]:
            self.emit("break;" if kind == "exit" else "continue;")
            return
        if name not in self.ctx.loop_stack:
            raise UnsupportedConstruct(kind, f"{kind} of unknown construct '{name}'")
        label = f"{name}_{'done' if kind == 'exit' else 'next'}"
        self.ctx.gotos.add(label)
        self.emit(f"goto {label};")

    # ---- allocation ---------------------------------------------------------------------

    def _s_Allocate_Stmt(self, node):
        type_spec, allocations, options = node.items
        if type_spec is not None or options is not None:
            raise UnsupportedConstruct("allocate option", f"'{node}'")
        for allocation in allocations.items:
            name = str(allocation.items[0]).lower()
            symbol = self.tr.symbol(name)
            if not symbol.allocatable:
                raise UnsupportedConstruct("allocate", f"'{name}' is not allocatable")
            shape = allocation.items[1]
            bounds = [(spec.items[0], spec.items[1]) for spec in shape.items]
            if len(bounds) != symbol.rank:
                raise UnsupportedConstruct("allocate", f"rank mismatch in '{node}'")
            if not _simple_allocatable(symbol, bounds):
                unstable = _unstable_names(self.ctx, bounds)
                if unstable and self.depth == 1 and symbol.allocated_extents is None and not symbol.module_level \
                        and symbol.allocated_bounds is None:
                    self._allocate_with_extent_variables(symbol, bounds)
                    continue
                if unstable:
                    raise UnsupportedConstruct(
                        "allocate", f"bounds of '{name}' depend on {', '.join(sorted(unstable))}, which change "
                        "later; only rank-1 arrays with lower bound 1 may be allocated with such bounds")
                if symbol.allocated_bounds is not None and [str(b) for b in symbol.allocated_bounds] != [str(b) for b in bounds]:
                    raise UnsupportedConstruct("allocate", f"'{name}' is allocated with different bounds in two places")
                symbol.allocated_bounds = bounds
            extents = []
            for lower, upper in bounds:
                up = self.tr.linear(upper)
                extents.append(up if lower is None else up - self.tr.linear(lower) + Linear.constant(1))
            total = extents[0]
            for extent in extents[1:]:
                total = total.times(extent)
            self.emit(f"{symbol.cname}.resize({total.render()});")

    def _allocate_with_extent_variables(self, symbol, bounds) -> None:
        """allocate(a(n, m)) where n or m change later: the extents are kept in constants
        declared here (at the top level of the body, so every later use sees them)."""
        extents = []
        for dim, (lower, upper) in enumerate(bounds):
            low = self.tr.linear(lower) if lower is not None else Linear.constant(1)
            extent = self.tr.linear(upper) - low + Linear.constant(1)
            if not extent.is_constant():
                name = self.ctx.fresh(f"{symbol.cname}_extent{dim + 1}")
                self.emit(f"const int {name} = {extent.render()};")
                extent = Linear.of(name)
            if not low.is_constant():
                name = self.ctx.fresh(f"{symbol.cname}_lower{dim + 1}")
                self.emit(f"const int {name} = {low.render()};")
                low = Linear.of(name)
            extents.append((low, extent))
        symbol.allocated_extents = extents
        total = extents[0][1]
        for _, extent in extents[1:]:
            total = total.times(extent)
        self.emit(f"{symbol.cname}.resize({total.render()});")

    def _s_Deallocate_Stmt(self, node):
        for item in node.items[0].items:
            symbol = self.tr.symbol(str(item).lower())
            self.emit(f"{symbol.cname}.clear();")

    # ---- control flow -------------------------------------------------------------------

    def _condition(self, node) -> str:
        value = self.tr.scalar(node)
        if value.type.base != "logical":
            raise UnsupportedConstruct("condition", f"condition '{node}' is not logical")
        return value.code

    def _s_If_Stmt(self, node):
        condition = self._condition(node.items[0])
        self.flush_pre()
        self.emit(f"if ({condition}) {{")
        self.nested([node.items[1]])
        self.emit("}")

    def _s_If_Construct(self, node):
        branches: list[tuple[object | None, list]] = []
        for child in node.children:
            if not branches and isinstance(child, F.Comment):
                self.statement(child)  # the parser files comments just before IF inside the construct
                continue
            if isinstance(child, (F.If_Then_Stmt, F.Else_If_Stmt)):
                branches.append((child.items[0], []))
            elif isinstance(child, F.Else_Stmt):
                branches.append((None, []))
            elif isinstance(child, F.End_If_Stmt):
                continue
            else:
                branches[-1][1].append(child)
        conditions = [self._condition(c) if c is not None else None for c, _ in branches]
        self.flush_pre()
        for position, ((_, body), condition) in enumerate(zip(branches, conditions)):
            if position == 0:
                self.emit(f"if ({condition}) {{")
            elif condition is None:
                self.emit("} else {")
            else:
                self.emit(f"}} else if ({condition}) {{")
            self.nested(body)
        self.emit("}")

    def _s_Case_Construct(self, node):
        from .select_case import select_case
        select_case(self, node)

    def _counted_for(self, var_node, start_node, stop_node, step_node) -> str:
        from .loops import counted_for
        return counted_for(self.tr, var_node, start_node, stop_node, step_node)

    def _s_Block_Nonlabel_Do_Construct(self, node):
        children = list(node.children)
        while children and isinstance(children[0], F.Comment):
            self.statement(children.pop(0))
        do_stmt = children[0]
        body = children[1:]
        if body and isinstance(body[-1], F.End_Do_Stmt):
            body = body[:-1]
        self._loop(do_stmt, body, getattr(do_stmt.item, "name", None))

    def _s_Block_Label_Do_Construct(self, node):
        children = list(node.children)
        while children and isinstance(children[0], F.Comment):
            self.statement(children.pop(0))
        do_stmt = children[0]
        body = children[1:]
        if body and isinstance(body[-1], (F.Continue_Stmt, F.End_Do_Stmt)):
            label = getattr(getattr(body[-1], "item", None), "label", None)
            if label is None or str(label) not in self.ctx.goto_targets:
                body = body[:-1]  # kept when a GO TO jumps to it: the end of this iteration
        self._loop(do_stmt, body, getattr(do_stmt.item, "name", None))

    def _s_Action_Term_Do_Construct(self, node):
        self._s_Block_Label_Do_Construct(node)

    def _loop(self, do_stmt, body, name):
        name = name.lower() if name else None
        omp, self.omp_pending = self.omp_pending, None
        control = next((c for c in do_stmt.items if isinstance(c, F.Loop_Control)), None)
        if control is None:
            header = "while (true) {"
        elif control.items[0] is not None:  # do while
            header = f"while ({self._condition(control.items[0])}) {{"
            if self.ctx.pre:
                raise UnsupportedConstruct("do while", "a reduction in a do while condition")
        elif len(control.items) > 1 and isinstance(control.items[1], tuple):
            var, bounds = control.items[1]
            from .loops import counted_for
            header = counted_for(self.tr, var, bounds[0], bounds[1], bounds[2] if len(bounds) > 2 else None, body)
        elif len(control.items) > 3 and isinstance(control.items[3], F.Forall_Header):
            return self._concurrent(control.items[3], body, name, omp)
        else:
            raise UnsupportedConstruct("do concurrent", f"loop control '{control}'")
        # a GO TO must not jump past the initialisation of a copied loop bound: give it a block
        scoped = bool(self.ctx.pre) and bool(self.ctx.goto_targets)
        if scoped:
            self.emit("{")
            self.depth += 1
        self.flush_pre()
        if omp is not None:
            self.emit(omp.pragma)
        self.emit(header)
        self.ctx.loop_stack.append(name)
        self.nested(body)
        self.ctx.loop_stack.pop()
        if control is not None and len(control.items) > 1 and isinstance(control.items[1], tuple):
            counter = self.ctx.scope.lookup(str(control.items[1][0]).lower())
            if counter is not None:
                counter.zero_based = False
        if name and f"{name}_next" in self.ctx.gotos:
            self.emit(f"{INDENT}{name}_next:;")
        self.emit("}")
        if scoped:
            self.depth -= 1
            self.emit("}")
        if name and f"{name}_done" in self.ctx.gotos:
            self.emit(f"{name}_done:;")

    def _s_Forall_Stmt(self, node):
        from .forall import forall
        forall(self, node.items[0], [node.items[1]])

    def _s_Forall_Construct(self, node):
        from .forall import forall
        children = list(node.children)
        header = children[0].items[1]
        body = [c for c in children[1:] if not isinstance(c, (F.End_Forall_Stmt, F.Comment))]
        forall(self, header, body)

    def _concurrent(self, header, body, name, omp):
        """do concurrent: iterations are independent, so plain nested loops (mask as an if)."""
        from .forall import concurrent_header
        opening, closing, condition = concurrent_header(self, header)
        if any(True for _ in walk(body, (F.Exit_Stmt, F.Cycle_Stmt))) if body else False:
            raise UnsupportedConstruct("do concurrent", "exit or cycle inside do concurrent")
        self.flush_pre()
        if omp is not None:
            self.emit(omp.pragma)
        self.emit_lines(opening)
        self.depth += len(opening)
        if condition is not None:
            self.emit(f"if ({condition}) {{")
            self.nested(body)
            self.emit("}")
        else:
            self.block(body)
        self.depth -= len(opening)
        self.emit_lines(closing)

    def _s_Associate_Construct(self, node):
        """associate (name => selector): a reference to a variable, or a constant for an expression."""
        from .symbols import Scope, Symbol
        children = list(node.children)
        body = [c for c in children[1:] if not isinstance(c, F.End_Associate_Stmt)]
        shadow = Scope(parent=self.tr.scope)
        declarations = []
        for association in children[0].items[1].items:
            name, _, selector = association.items
            name = str(name).lower()
            if self.tr.rank(selector):
                raise UnsupportedConstruct("associate", f"array selector in '{association}'")
            value = self.tr.scalar(selector)
            cname = self.ctx.fresh(name)
            written = any(str(a.items[0]).split("(")[0].strip().lower() == name
                          for a in walk(body, F.Assignment_Stmt))
            if value.lvalue and not written:
                declarations.append(f"const {value.type.cpp}& {cname} = {value.code};")
            elif value.lvalue:
                declarations.append(f"{value.type.cpp}& {cname} = {value.code};")
            else:
                declarations.append(f"const {value.type.cpp} {cname} = {value.code};")
            shadow.add(Symbol(name=name, type=value.type, line=self.ctx.line, cname=cname,
                              parameter=not value.lvalue, modified=value.lvalue))
        self.flush_pre()
        self.emit("{")
        self.depth += 1
        self.emit_lines(declarations)
        saved = self.tr.scope
        self.tr.scope = self.ctx.scope = shadow
        try:
            self.block(body)
        finally:
            self.tr.scope = self.ctx.scope = saved
            self.depth -= 1
        self.emit("}")

    def _s_Where_Stmt(self, node):
        from .assignment import where
        where(self, [(node.items[0], [node.items[1]])])

    def _s_Where_Construct(self, node):
        from .assignment import where
        branches = []
        for child in node.children:
            if isinstance(child, F.Where_Construct_Stmt):
                branches.append((child.items[0], []))
            elif isinstance(child, (F.Elsewhere_Stmt, F.Masked_Elsewhere_Stmt)):
                mask = child.items[0] if isinstance(child, F.Masked_Elsewhere_Stmt) else None
                branches.append((mask, []))
            elif isinstance(child, F.End_Where_Stmt):
                continue
            elif isinstance(child, F.Comment):
                continue
            else:
                branches[-1][1].append(child)
        where(self, branches)


def _simple_allocatable(symbol, bounds) -> bool:
    return symbol.rank == 1 and bounds[0][0] is None


def _unstable_names(ctx: UnitContext, bounds) -> set[str]:
    names = set()
    for lower, upper in bounds:
        for part in (lower, upper):
            if part is None:
                continue
            for name in walk(part, F.Name) if not isinstance(part, F.Name) else [part]:
                symbol = ctx.scope.lookup(str(name).lower())
                if symbol is not None and not symbol.parameter and symbol.modified and not symbol.is_arg:
                    names.add(symbol.name)
                elif symbol is not None and symbol.is_arg and symbol.modified:
                    names.add(symbol.name)
    return names


def _describe(node) -> str:
    name = type(node).__name__
    for suffix in ("_Stmt", "_Construct"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name.lower().replace("_", " ")
