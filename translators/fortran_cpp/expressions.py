"""Fortran expressions to C++ expressions, with Fortran's types and semantics kept.

Scalar expressions translate directly.  Array-valued expressions are translated one
element at a time: the caller (an assignment, a reduction, a print) supplies loop
counters, and every array operand is read through its view at those counters.
Array shapes live in expr_shapes.py, literals and operators in expr_operators.py, the value
types (Expr, Elementwise) in expr_core.py.
"""

from __future__ import annotations

from fparser.two import Fortran2003 as F

from .arrays import ArrayView
from .context import UnitContext
from .errors import UnsupportedConstruct
from .expr_core import (ADD, AND, COND, EQ, INTRINSIC_NAMES, MUL, OR, PRIMARY, REL, SCALAR_VALUED, UNARY,
                        Elementwise, Expr, _construct_name, char_literal, exact_respelling, literal_of,
                        real_digits, wrap)
from .expr_operators import Operators
from .expr_shapes import ArrayShapes
from .fortran77 import SERVICE_ROUTINES
from .linear import Linear
from .symbols import Symbol
from .types import LOGICAL, promote

# Re-exported: the statement, call and intrinsic modules import them from here.
__all__ = ["ADD", "AND", "COND", "EQ", "INTRINSIC_NAMES", "MUL", "OR", "PRIMARY", "REL", "SCALAR_VALUED", "UNARY",
           "Elementwise", "Expr", "ExprTranslator", "char_literal", "exact_respelling", "literal_of", "real_digits",
           "wrap"]


class ExprTranslator(ArrayShapes, Operators):
    def __init__(self, ctx: UnitContext):
        self.ctx = ctx
        self.scope = ctx.scope

    # ---- entry points -------------------------------------------------------------------

    def scalar(self, node) -> Expr:
        return self.expr(node, None)

    def expr(self, node, elem: Elementwise | None) -> Expr:
        method = getattr(self, f"_x_{type(node).__name__}", None)
        if method is None:
            raise UnsupportedConstruct(_construct_name(node), f"expression '{node}' ({_construct_name(node)})")
        return method(node, elem)

    def symbol(self, name: str) -> Symbol:
        symbol = self.scope.lookup(name)
        if symbol is None:
            if self.scope.declaration_failed(name):
                from .errors import follow_on
                raise follow_on(name)
            raise UnsupportedConstruct("undeclared name", f"'{name}' is not declared in '{self.ctx.unit_name}'")
        return symbol

    # ---- leaves -------------------------------------------------------------------------

    def _x_Name(self, node, elem):
        name = node.string.lower()
        symbol = self.symbol(name)
        if symbol.is_array:
            if elem is None:
                raise UnsupportedConstruct("array expression", f"array '{name}' used where a scalar is needed")
            return Expr(self.element_of(self._whole_view(symbol), elem), symbol.type, lvalue=True)
        if symbol.zero_based:  # a 0-based counter holds the Fortran index minus one
            return Expr(f"({symbol.cname} + 1)", symbol.type)
        return Expr(symbol.cname, symbol.type, lvalue=not symbol.parameter)

    def element_of(self, view: ArrayView, elem: Elementwise) -> str:
        if elem.flat and view.whole:
            return f"{view.symbol.cname}[{elem.counters[0]}]"
        if view.rank != len(elem.counters):
            raise UnsupportedConstruct("array expression", f"operands of different ranks ('{view.symbol.name}')")
        return view.element(elem.counters)

    def _x_Part_Ref(self, node, elem):
        name = str(node.items[0]).lower()
        symbol = self.scope.lookup(name)
        if symbol is not None and symbol.is_array:
            view = self.view(node)
            if view is not None:
                if elem is None:
                    raise UnsupportedConstruct("array expression", f"array section '{node}' used where a scalar is needed")
                return Expr(self.element_of(view, elem), symbol.type, lvalue=True)
            indices = [self.linear(s) for s in node.items[1].items]
            if len(indices) == symbol.rank:
                from .idioms import accessor_call
                through_accessor = accessor_call(self, symbol, indices)
                if through_accessor is not None:
                    return Expr(through_accessor, symbol.type, lvalue=True)
            offset = _offset(self, symbol, indices)
            return Expr(f"{symbol.cname}[{offset}]", symbol.type, lvalue=True)
        if symbol is not None and symbol.statement_function is not None:
            args = [self.expr(a, elem) for a in node.items[1].items]
            return Expr(f"{symbol.cname}({', '.join(a.code for a in args)})", symbol.type)
        if symbol is not None and symbol.procedure_arg:
            from .calls import dummy_procedure_call
            code = dummy_procedure_call(self, symbol, list(node.items[1].items), node, elem, is_function=True)
            return Expr(code, symbol.type)
        if symbol is not None and symbol.external:
            return self.call(name, list(node.items[1].items), node, elem)
        if symbol is not None and not symbol.is_array and symbol.type.base in ("string", "cstring"):
            return self.substring(symbol, node)
        if symbol is not None and not symbol.is_array and symbol.type.base == "character":
            raise UnsupportedConstruct("character substring", f"substring '{node}'")
        if symbol is None and self.scope.declaration_failed(name):
            from .errors import follow_on
            raise follow_on(name)
        return self.call(name, list(node.items[1].items), node, elem)

    _x_Function_Reference = _x_Part_Ref

    def _x_Structure_Constructor(self, node, elem):
        name = str(node.items[0]).lower()
        args = list(node.items[1].items) if node.items[1] is not None else []
        symbol = self.scope.lookup(name)
        if symbol is not None and symbol.statement_function is not None:
            values = [self.expr(a, elem) for a in args]
            return Expr(f"{symbol.cname}({', '.join(v.code for v in values)})", symbol.type)
        return self.call(name, args, node, elem)

    def call(self, name: str, args: list, node, elem) -> Expr:
        procedure = self.ctx.procedures.get(name)
        if procedure is None:
            from .generics import resolve_generic
            procedure = resolve_generic(self, name, args, node, elem)
            name = procedure.name if procedure is not None else name
        if procedure is None and SERVICE_ROUTINES.get(name) == "function":
            from .calls import service_call
            return Expr(service_call(self, name, args, node, elem), LOGICAL)
        if procedure is None:
            if name in INTRINSIC_NAMES and name not in self.scope_externals():
                from .intrinsics import translate_intrinsic
                return translate_intrinsic(self, name, args, node, elem)
            raise UnsupportedConstruct("external procedure", f"call of '{name}', which is not defined in this file")
        if procedure.kind != "function":
            raise UnsupportedConstruct("procedure reference", f"subroutine '{name}' used as a function")
        from .calls import call_arguments
        actual = call_arguments(self, procedure, args, node, elem)
        result = procedure.scope.lookup(procedure.result)
        self.ctx.taken.add(procedure.cname)
        return Expr(f"{procedure.cname}({', '.join(actual)})", result.type)

    def scope_externals(self) -> set[str]:
        """Names the unit declares EXTERNAL (a user procedure, even if it shares an intrinsic's name)."""
        names: set[str] = set()
        scope = self.scope
        while scope is not None:
            names |= scope.externals
            scope = scope.parent
        return names

    def temporary(self, node, base: str | None = None) -> ArrayView:
        """matmul/transpose (or another array expression) evaluated into a vector before the statement."""
        cached = self.ctx.temporaries.get(id(node))
        if cached is not None:
            return cached
        from .matrix import evaluate_into_temporary
        view = evaluate_into_temporary(self, node, base)
        self.ctx.temporaries[id(node)] = view
        return view

    def _x_Intrinsic_Function_Reference(self, node, elem):
        name = str(node.items[0]).lower()
        args = list(node.items[1].items) if node.items[1] is not None else []
        from .matrix import dim_reduction
        if (name in ("matmul", "transpose") or dim_reduction(self, node) is not None) and name not in self.ctx.procedures:
            if elem is None:
                raise UnsupportedConstruct(name, f"{name} where a scalar is needed")
            view = self.temporary(node)
            return Expr(self.element_of(view, elem), view.symbol.type, lvalue=True)
        symbol = self.scope.lookup(name)
        if symbol is not None and symbol.is_array:  # a variable that shadows an intrinsic
            return self._x_Part_Ref(F.Part_Ref(str(node)), elem)
        if name in self.ctx.procedures:
            return self.call(name, args, node, elem)
        from .intrinsics import translate_intrinsic
        return translate_intrinsic(self, name, args, node, elem)

    def _x_Array_Constructor(self, node, elem):
        values = self.constructor_values(node)
        if elem is None or len(elem.counters) != 1:
            raise UnsupportedConstruct("array constructor", f"array constructor '{node}' in this position")
        items = [self.scalar(v) for v in values]
        ftype = items[0].type
        for item in items[1:]:
            ftype = promote(ftype, item.type)
        self.ctx.includes.add("array")
        body = ", ".join(self.coerce(i, ftype) for i in items)
        return Expr(f"std::array<{ftype.cpp}, {len(items)}>{{{body}}}[{elem.counters[0]}]", ftype)

    def _x_Data_Ref(self, node, elem):
        raise UnsupportedConstruct("derived type", f"component reference '{node}'")


def _offset(tr: ExprTranslator, symbol: Symbol, indices: list[Linear]) -> str:
    from .arrays import flat_offset
    if len(indices) != symbol.rank:
        raise UnsupportedConstruct("array reference", f"'{symbol.name}' has rank {symbol.rank}, referenced with {len(indices)} subscripts")
    return flat_offset(indices, tr.lowers(symbol), tr.extents(symbol), symbol.name)
