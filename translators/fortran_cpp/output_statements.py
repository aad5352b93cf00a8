"""Output statements (PRINT, WRITE to the screen, FORMAT-driven and list-directed) to
C++ streams; a mixin of StatementTranslator, which provides emit(), ctx and tr."""

from __future__ import annotations

from fparser.two import Fortran2003 as F

from .errors import UnsupportedConstruct
from .expressions import Elementwise, Expr
from .linear import Linear
from .loops import loop_nest
from .statement_text import INDENT, first_line, implied_control


class OutputStatements:
    # ---- output -------------------------------------------------------------------------

    def _s_Print_Stmt(self, node):
        fmt, items = node.items
        self._output(str(fmt), list(items.items) if items is not None else [], node)

    def _s_Write_Stmt(self, node):
        controls, items = node.items[0], node.items[1]
        specs = list(controls.items)
        unit = specs[0] if specs else None
        fmt = specs[1] if len(specs) > 1 else None
        if len(specs) != 2 or str(unit).replace("UNIT =", "").strip() not in ("*", "6"):
            raise UnsupportedConstruct("write", f"'{first_line(node)}' (only output to the screen, unit * or 6)")
        self._output(str(fmt).replace("FMT =", "").strip(), list(items.items) if items is not None else [], node)

    def _output(self, fmt: str, items, node):
        if fmt == "*":
            self._list_output(items)
            return
        if fmt.isdigit():  # a label of a FORMAT statement
            if fmt not in self.ctx.formats:
                raise UnsupportedConstruct("format", f"no FORMAT statement labelled {fmt} in this procedure")
            fmt = repr(self.ctx.formats[fmt]).replace("\\'", "''")
        if not (fmt.startswith("'") or fmt.startswith('"')):
            raise UnsupportedConstruct("format", f"format {fmt} in '{first_line(node)}' (only literal formats)")
        from .formatted import printf_call
        text = fmt[1:-1].replace(fmt[0] * 2, fmt[0])
        values = []
        try:
            for item in items:
                if isinstance(item, F.Io_Implied_Do):
                    raise UnsupportedConstruct("formatted output", f"implied-do item '{item}' in formatted output")
                if self.tr.rank(item):
                    values += self._constant_elements(item)
                else:
                    values.append(self.tr.scalar(item))
        except UnsupportedConstruct:
            self.ctx.pre = []
            if not any(isinstance(item, F.Io_Implied_Do) or self.tr.rank(item) for item in items):
                raise  # no item of run-time count: the item itself is what is not covered
            return self._formatted_stream(text, items, node)
        calls, includes = printf_call(text, values, node)
        self.ctx.includes |= includes
        self._note_helpers(calls)
        self.flush_pre()
        self.emit_lines(calls)

    def _formatted_stream(self, text: str, items, node):
        """Items of run-time count with a format of one repeated descriptor, e.g.
        write(*, '(5f8.3)') x(1:n): a new record after every 5 values, as Fortran's reversion does."""
        from .formatted import item_conversion, uniform_descriptor
        uniform = uniform_descriptor(text)
        if uniform is None:
            raise UnsupportedConstruct("formatted output", f"items of run-time count with format ({text}) "
                                       "(only a format of one repeated edit descriptor)")
        descriptor, per_record = uniform
        ctx = self.ctx
        written = ctx.fresh("written")
        body: list[str] = [f"int {written} = 0;"] if per_record else []

        def put(value: Expr) -> list[str]:
            spec, arg = item_conversion(descriptor, value, node)
            lines = [f'std::printf("{spec}"' + (f", {arg}" if arg else "") + ");"]
            if per_record:
                lines += [f"if (++{written} % {per_record} == 0) {{", f'{INDENT}std::printf("\\n");', "}"]
            return lines

        for item in items:
            if isinstance(item, F.Io_Implied_Do):
                objects, control = item.items
                var, start, stop, step = implied_control(control)
                loop_body: list[str] = []
                for inner in objects.items:
                    if self.tr.rank(inner) or isinstance(inner, F.Io_Implied_Do):
                        raise UnsupportedConstruct("formatted output", f"nested array item in '{item}'")
                    loop_body += put(self.tr.scalar(inner))
                body += [self._counted_for(var, start, stop, step)] + [INDENT + line for line in loop_body] + ["}"]
            elif self.tr.rank(item):
                shape = self.tr.shape(item)
                counters = [ctx.fresh("idx" if len(shape) == 1 else f"idx{d + 1}") for d in range(len(shape))]
                value = self.tr.expr(item, Elementwise(counters))
                opening, closing, depth = loop_nest(counters, shape)
                body += opening + [INDENT * depth + line for line in put(value)] + closing
                for counter in counters:
                    ctx.release(counter)
            else:
                body += put(self.tr.scalar(item))
        if per_record:
            body += [f"if ({written} % {per_record} != 0 || {written} == 0) {{", f'{INDENT}std::printf("\\n");', "}"]
        else:
            body.append('std::printf("\\n");')
        ctx.includes.add("cstdio")
        self._note_helpers(body)
        self.flush_pre()
        self.emit("{")
        self.emit_lines([INDENT + line for line in body])
        self.emit("}")
        ctx.release(written)

    def _note_helpers(self, lines: list[str]) -> None:
        from .formatted import INT_FIELD
        if any(f"{INT_FIELD}(" in line for line in lines):
            self.ctx.helpers.add("int_field")

    def _constant_elements(self, item) -> list[Expr]:
        """The elements of an array item of constant shape, in array element order."""
        view = self.tr.view(item) if isinstance(item, (F.Name, F.Part_Ref)) else None
        if view is None or not all(extent.is_constant() for extent in view.shape):
            raise UnsupportedConstruct("formatted output", f"array item '{item}' of non-constant size in formatted output")
        import itertools
        shape = [extent.const for extent in view.shape]
        elements = []
        for reversed_index in itertools.product(*[range(e) for e in reversed(shape)]):
            counters = [Linear.constant(c) for c in reversed(reversed_index)]
            elements.append(Expr(f"{view.symbol.cname}[{view.offset(counters)}]", view.symbol.type))
        return elements

    def _list_output(self, items):
        self.ctx.helpers.add("ListDirected")
        parts: list[tuple[str, object]] = []
        for item in items:
            if isinstance(item, F.Io_Implied_Do):
                parts.append(("implied", item))
            elif self.tr.rank(item):
                parts.append(("array", item))
            else:
                parts.append(("scalar", self.tr.scalar(item)))
        if all(kind == "scalar" for kind, _ in parts):
            self.flush_pre()
            chain = "".join(f" << {self._print_value(value)}" for _, value in parts)
            self.emit(f"ListDirected(){chain};")
            return
        out = self.ctx.fresh("line")
        body: list[str] = [f"ListDirected {out};"]
        for kind, value in parts:
            if kind == "scalar":
                body.append(f"{out} << {self._print_value(value)};")
            elif kind == "array":
                body += self._print_array(out, value)
            else:
                body += self._print_implied(out, value)
        self.flush_pre()
        self.emit("{")
        self.emit_lines([INDENT + line for line in body])
        self.emit("}")
        self.ctx.release(out)

    def _print_value(self, value: Expr) -> str:
        if value.type.base == "integer" and value.type.kind < 4:
            return f"static_cast<int>({value.code})"
        return value.code

    def _print_array(self, out: str, node) -> list[str]:
        shape = self.tr.shape(node)
        counters = [self.ctx.fresh("idx" if len(shape) == 1 else f"idx{d + 1}") for d in range(len(shape))]
        value = self.tr.expr(node, Elementwise(counters))
        opening, closing, depth = loop_nest(counters, shape)
        for counter in counters:
            self.ctx.release(counter)
        return opening + [INDENT * depth + f"{out} << {self._print_value(value)};"] + closing

    def _print_implied(self, out: str, node) -> list[str]:
        objects, control = node.items
        var, start, stop, step = implied_control(control)
        head = self._counted_for(var, start, stop, step)
        body = []
        for item in objects.items:
            if isinstance(item, F.Io_Implied_Do):
                body += self._print_implied(out, item)
            elif self.tr.rank(item):
                body += self._print_array(out, item)
            else:
                body.append(f"{out} << {self._print_value(self.tr.scalar(item))};")
        return [head] + [INDENT + line for line in body] + ["}"]
