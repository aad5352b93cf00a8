"""Literals and operators: Fortran's arithmetic, relational, logical and character operators
with its types, promotion and precedence kept. A mixin of ExprTranslator (expressions.py)."""

from __future__ import annotations

from fparser.two import Fortran2003 as F

from .declarations import real_literal_kind, resolve_kind_text
from .errors import UnsupportedConstruct
from .expr_core import (ADD, AND, EQ, MUL, OR, PRIMARY, REL, UNARY, _RELATIONAL, Expr, _as_string, _single_char,
                        exact_respelling, literal_of, real_digits, wrap)
from .linear import Linear
from .symbols import Symbol
from .types import CHARACTER, FType, INTEGER, LOGICAL, promote


class Operators:
    # ---- literals -----------------------------------------------------------------------

    def _x_Int_Literal_Constant(self, node, elem):
        digits, kind = node.items
        ftype = INTEGER if kind is None else FType("integer", resolve_kind_text(kind, self.scope, node))
        return Expr(literal_of(ftype, digits), ftype, literal=digits)

    def _x_Real_Literal_Constant(self, node, elem):
        kind = real_literal_kind(node, self.scope)
        ftype = FType("real", kind)
        digits = real_digits(node.items[0])
        return Expr(literal_of(ftype, digits), ftype, literal=digits)

    def _x_Signed_Real_Literal_Constant(self, node, elem):
        text, kind = node.items
        sign = "-" if text.startswith("-") else ""
        literal = self._x_Real_Literal_Constant(F.Real_Literal_Constant(text.lstrip("+-") + (f"_{kind}" if kind else "")), elem)
        if not sign:
            return literal
        return Expr(f"-{literal.code}", literal.type, 15, literal=f"-{literal.literal}")

    def _x_Signed_Int_Literal_Constant(self, node, elem):
        text, kind = node.items
        literal = self._x_Int_Literal_Constant(F.Int_Literal_Constant(text.lstrip("+-") + (f"_{kind}" if kind else "")), elem)
        if not text.startswith("-"):
            return literal
        return Expr(f"-{literal.code}", literal.type, 15, literal=f"-{literal.literal}")

    def _x_Logical_Literal_Constant(self, node, elem):
        return Expr("true" if node.items[0].upper() == ".TRUE." else "false", LOGICAL)

    def _x_Char_Literal_Constant(self, node, elem):
        text = node.items[0]
        quote = text[0]
        body = text[1:-1].replace(quote * 2, quote)
        escaped = body.replace("\\", "\\\\").replace('"', '\\"')
        return Expr(f'"{escaped}"', CHARACTER, literal=body)

    def _x_Complex_Literal_Constant(self, node, elem):
        re, im = self.scalar(node.items[0]), self.scalar(node.items[1])
        kind = max(re.type.kind if re.type.is_real else 4, im.type.kind if im.type.is_real else 4)
        ftype = FType("complex", kind)
        part = FType("real", kind)
        self.ctx.includes.add("complex")
        return Expr(f"{ftype.cpp}({self.coerce(re, part)}, {self.coerce(im, part)})", ftype)

    def _x_Parenthesis(self, node, elem):
        inner = self.expr(node.items[1], elem)
        return Expr(f"({inner.code})", inner.type, PRIMARY)

    # ---- operators ----------------------------------------------------------------------

    def coerce(self, expr: Expr, ftype: FType) -> str:
        """The expression converted to ftype, respelling literals instead of casting them."""
        if expr.type == ftype:
            return expr.code
        if expr.literal is not None and ftype.base in ("integer", "real") and (ftype.is_real or expr.type.is_int) \
                and exact_respelling(expr, ftype):
            return literal_of(ftype, expr.literal)
        if ftype.base == "complex" and expr.type.numeric:
            return self.coerce(expr, FType("real", ftype.kind)) if expr.type.base != "complex" else \
                f"{ftype.cpp}({expr.code})"
        return f"static_cast<{ftype.cpp}>({expr.code})"

    def _arith(self, left: Expr, op: str, right: Expr, prec: int) -> Expr:
        ftype = promote(left.type, right.type)
        if ftype.base == "complex" and left.type != right.type:
            # std::complex<T> only mixes with T itself: spell the other operand as T.
            part = FType("real", ftype.kind)
            left = Expr(self.coerce(left, ftype if left.type.base == "complex" else part), ftype, left.prec
                        if left.type.base == "complex" or left.literal else PRIMARY)
            right = Expr(self.coerce(right, ftype if right.type.base == "complex" else part), ftype, right.prec
                         if right.type.base == "complex" or right.literal else PRIMARY)
        return Expr(f"{wrap(left, prec)} {op} {wrap(right, prec, right=True)}", ftype, prec)

    def _x_Level_2_Expr(self, node, elem):
        left, op, right = node.items
        return self._arith(self.expr(left, elem), op, self.expr(right, elem), ADD)

    def _x_Level_2_Unary_Expr(self, node, elem):
        op, operand = node.items
        inner = self.expr(operand, elem)
        if op == "+":
            return inner
        text = wrap(inner, UNARY)
        if text.startswith("-"):
            text = f"({text})"
        return Expr(f"-{text}", inner.type, UNARY, literal=("-" + inner.literal) if inner.literal else None)

    def _x_Add_Operand(self, node, elem):
        left, op, right = node.items
        return self._arith(self.expr(left, elem), op, self.expr(right, elem), MUL)

    def _x_Mult_Operand(self, node, elem):
        base_node, op, exponent_node = node.items
        base, exponent = self.expr(base_node, elem), self.expr(exponent_node, elem)
        small = {"2": 2, "3": 3}.get(exponent.literal or "")
        if small and base.prec == PRIMARY and len(base.code) <= 24:
            return Expr(" * ".join([base.code] * small), base.type, MUL)
        if base.type.is_int and exponent.type.is_int:
            self.ctx.helpers.add("int_pow")
            ftype = promote(base.type, exponent.type)
            return Expr(f"int_pow({self.coerce(base, ftype)}, {self.coerce(exponent, ftype)})", ftype)
        self.ctx.includes.add("cmath")
        ftype = promote(base.type, exponent.type)
        if exponent.type.is_int:
            return Expr(f"std::pow({base.code}, {exponent.code})", base.type)
        if base.type.is_int:
            return Expr(f"std::pow({self.coerce(base, ftype)}, {exponent.code})", ftype)
        return Expr(f"std::pow({self.coerce(base, ftype)}, {self.coerce(exponent, ftype)})", ftype)

    def _x_Level_3_Expr(self, node, elem):
        a, b = self.expr(node.items[0], elem), self.expr(node.items[2], elem)
        for part in (a, b):
            if part.type.base not in ("character", "string"):
                raise UnsupportedConstruct("character concatenation", f"concatenation of a non-character value '{node}'")
        self.ctx.includes.add("string")
        left = a.code if a.type.base == "string" and a.literal is None else \
            (f"std::string(1, {a.code})" if a.literal is None else f"std::string({a.code})")
        right = f"std::string(1, {b.code})" if b.type.base == "character" and b.literal is None else b.code
        return Expr(f"{left} + {right}", FType("string", 0), ADD)

    def substring(self, symbol: Symbol, node) -> Expr:
        """s(a:b) of a character(len=n) variable, or of a character*(*) dummy (a C string)."""
        subs = list(node.items[1].items)
        if len(subs) != 1 or not isinstance(subs[0], F.Subscript_Triplet):
            raise UnsupportedConstruct("character substring", f"substring '{node}'")
        low, high, step = subs[0].items
        if step is not None:
            raise UnsupportedConstruct("character substring", f"substring with a stride '{node}'")
        start = self.linear(low) if low is not None else Linear.constant(1)
        offset = (start - Linear.constant(1)).render()
        text = symbol.cname
        if symbol.type.base == "cstring":
            self.ctx.includes.add("string")
            text = f"std::string({symbol.cname})"
        if high is None:
            return Expr(f"{text}.substr({offset})", FType("string", 0))
        count = (self.linear(high) - start + Linear.constant(1)).render()
        return Expr(f"{text}.substr({offset}, {count})", FType("string", 0))

    def _x_Level_4_Expr(self, node, elem):
        left, op, right = node.items
        a, b = self.expr(left, elem), self.expr(right, elem)
        cpp = _RELATIONAL[op.lower()]
        if "string" in (a.type.base, b.type.base) or (a.literal and b.type.base == "character" and len(a.literal) > 1) \
                or (b.literal and a.type.base == "character" and len(b.literal) > 1 if b.type.base == "character" else False):
            if cpp not in ("==", "!="):
                raise UnsupportedConstruct("character comparison", f"ordering comparison of strings '{node}'")
            if a.type.base not in ("character", "string") or b.type.base not in ("character", "string"):
                raise UnsupportedConstruct("character comparison", f"comparison of character and numeric values '{node}'")
            self.ctx.helpers.add("strings")
            text = f"fortran_equal({_as_string(a)}, {_as_string(b)})"
            return Expr(text if cpp == "==" else f"!{text}", LOGICAL, PRIMARY if cpp == "==" else UNARY)
        if a.type.base == "character" or b.type.base == "character":
            a, b = _single_char(a, node), _single_char(b, node)
        prec = EQ if cpp in ("==", "!=") else REL
        if a.type.base == "complex" or b.type.base == "complex":
            return Expr(self._arith(a, cpp, b, prec).code, LOGICAL, prec)
        return Expr(f"{wrap(a, prec)} {cpp} {wrap(b, prec, right=True)}", LOGICAL, prec)

    def _x_And_Operand(self, node, elem):
        inner = self.expr(node.items[1], elem)
        return Expr(f"!{wrap(inner, UNARY)}", LOGICAL, UNARY)

    def _logical(self, node, elem, op, prec):
        a, b = self.expr(node.items[0], elem), self.expr(node.items[2], elem)
        return Expr(f"{wrap(a, prec)} {op} {wrap(b, prec, right=True)}", LOGICAL, prec)

    def _x_Or_Operand(self, node, elem):
        return self._logical(node, elem, "&&", AND)

    def _x_Equiv_Operand(self, node, elem):
        return self._logical(node, elem, "||", OR)

    def _x_Level_5_Expr(self, node, elem):
        op = "==" if node.items[1].upper() == ".EQV." else "!="
        return self._logical(node, elem, op, EQ)
