"""Fortran expressions to C++ expressions, with Fortran's types and semantics kept.

Scalar expressions translate directly.  Array-valued expressions are translated one
element at a time: the caller (an assignment, a reduction, a print) supplies loop
counters, and every array operand is read through its view at those counters.
"""

from __future__ import annotations

from dataclasses import dataclass

from fparser.two import Fortran2003 as F
from fparser.two.utils import walk

from .arrays import ArrayView, Subscript
from .context import UnitContext
from .fortran77 import SPECIFIC_NAMES, SERVICE_ROUTINES
from .declarations import const_int, real_literal_kind, resolve_kind_text
from .errors import UnsupportedConstruct
from .linear import Linear
from .symbols import Symbol
from .types import CHARACTER, FType, INTEGER, LOGICAL, promote

PRIMARY, UNARY, MUL, ADD, REL, EQ, AND, OR, COND = 17, 15, 13, 12, 10, 9, 5, 4, 3

_RELATIONAL = {"<": "<", ".lt.": "<", "<=": "<=", ".le.": "<=", ">": ">", ".gt.": ">", ">=": ">=",
               ".ge.": ">=", "==": "==", ".eq.": "==", "/=": "!=", ".ne.": "!="}


@dataclass
class Expr:
    code: str
    type: FType
    prec: int = PRIMARY
    lvalue: bool = False
    literal: str | None = None  # the literal's digits, so it can be respelled in another type


@dataclass
class Elementwise:
    """Counters of the loops an array expression is being evaluated in."""
    counters: list[str]
    flat: bool = False  # all operands are whole arrays: one counter over the flat storage


def wrap(expr: Expr, prec: int, right: bool = False) -> str:
    if expr.prec < prec or (right and expr.prec == prec):
        return f"({expr.code})"
    return expr.code


def literal_of(ftype: FType, digits: str) -> str:
    """Spell a numeric literal in C++ for the given type ('2' as real(4) is '2.0f')."""
    if ftype.is_int:
        return digits + ("LL" if ftype.kind == 8 and not digits.endswith("LL") else "")
    if ftype.is_real:
        text = digits
        if not any(c in text for c in ".e"):
            text += ".0"
        return text + ("f" if ftype.kind == 4 else "")
    raise ValueError(ftype)


def exact_respelling(expr: "Expr", ftype: FType) -> bool:
    """Whether writing the literal directly in ftype gives the value Fortran's conversion gives:
    `1.3` (real(4)) widened to real(8) is 1.2999999523..., not 1.3; `0.5` is exact either way."""
    if expr.type.is_int or not ftype.is_real:
        return True
    if expr.type.kind >= ftype.kind:
        return True
    import struct
    value = float(expr.literal)
    return struct.unpack("f", struct.pack("f", value))[0] == value


def real_digits(text: str) -> str:
    """'1.D-3' -> '1.0e-3', '.5' -> '0.5', '2.' -> '2.0' (no type suffix)."""
    text = text.lower().replace("d", "e")
    mantissa, _, exponent = text.partition("e")
    if mantissa.startswith("."):
        mantissa = "0" + mantissa
    if mantissa.endswith("."):
        mantissa += "0"
    if "." not in mantissa:
        mantissa += ".0"
    if exponent and int(exponent) == 0:
        exponent = ""
    return mantissa + (f"e{exponent.lstrip('+')}" if exponent else "")


class ExprTranslator:
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

    # ---- array shape analysis -----------------------------------------------------------

    def view(self, node) -> ArrayView | None:
        """The array view a Name/Part_Ref denotes, or None when it is a scalar."""
        if isinstance(node, F.Name):
            symbol = self.scope.lookup(node.string.lower())
            if symbol is None or not symbol.is_array:
                return None
            return self._whole_view(symbol)
        if isinstance(node, F.Part_Ref):
            symbol = self.scope.lookup(str(node.items[0]).lower())
            if symbol is None or not symbol.is_array:
                return None
            subs = list(node.items[1].items)
            if not any(isinstance(s, F.Subscript_Triplet) or self.rank(s) for s in subs):
                return None
            return self._section_view(symbol, subs, node)
        return None

    def lowers(self, symbol: Symbol) -> list[Linear]:
        if symbol.known_extents is not None:
            return [Linear.constant(1)] * len(symbol.known_extents)
        bounds = symbol.allocated_bounds
        if symbol.allocated_extents is not None:
            return [lower for lower, _ in symbol.allocated_extents]
        if symbol.allocatable and bounds is None and symbol.rank == 1:
            return [Linear.constant(1)]
        if symbol.allocatable:
            if bounds is None:
                raise UnsupportedConstruct("allocatable", f"'{symbol.name}' is used before an allocate statement")
            return [self.linear(lower) if lower is not None else Linear.constant(1) for lower, _ in bounds]
        return [self.linear(d.lower) if d.lower is not None else Linear.constant(1) for d in symbol.dims]

    def extents(self, symbol: Symbol) -> list[Linear | None]:
        result: list[Linear | None] = []
        if symbol.known_extents is not None:
            return list(symbol.known_extents)
        if symbol.assumed_shape:
            return [Linear.of(name) for name in symbol.extent_names()]
        if symbol.allocated_extents is not None:
            return [extent for _, extent in symbol.allocated_extents]
        if symbol.allocatable and symbol.allocated_bounds is None and symbol.rank == 1:
            return [Linear.of(f"static_cast<int>({symbol.cname}.size())")]
        if symbol.allocatable:
            if symbol.allocated_bounds is None:
                raise UnsupportedConstruct("allocatable", f"'{symbol.name}' is used before an allocate statement")
            pairs = symbol.allocated_bounds
        else:
            pairs = [(d.lower, d.upper) for d in symbol.dims]
        for lower, upper in pairs:
            if upper is None:
                result.append(None)
                continue
            up = self.linear(upper)
            result.append(up if lower is None else up - self.linear(lower) + Linear.constant(1))
        return result

    def size(self, symbol: Symbol) -> Linear:
        total: Linear | None = None
        for extent in self.extents(symbol):
            if extent is None:
                raise UnsupportedConstruct("assumed-size array", f"the size of assumed-size array '{symbol.name}' is unknown")
            total = extent if total is None else total.times(extent)
        return total

    def _whole_view(self, symbol: Symbol) -> ArrayView:
        lowers, extents = self.lowers(symbol), self.extents(symbol)
        subs = [Subscript(start=lo, count=ext) for lo, ext in zip(lowers, extents)]
        if any(e is None for e in extents):
            raise UnsupportedConstruct("assumed-size array", f"whole-array use of assumed-size array '{symbol.name}'")
        return ArrayView(symbol, subs, lowers, extents, whole=True)

    def _section_view(self, symbol: Symbol, subs, node) -> ArrayView:
        lowers, extents = self.lowers(symbol), self.extents(symbol)
        if len(subs) != len(lowers):
            raise UnsupportedConstruct("array reference", f"'{node}' has {len(subs)} subscripts, '{symbol.name}' has rank {len(lowers)}")
        result = []
        for dim, sub in enumerate(subs):
            if isinstance(sub, F.Subscript_Triplet):
                lo, hi, step = sub.items
                start = self.linear(lo) if lo is not None else lowers[dim]
                if hi is not None:
                    stop = self.linear(hi)
                elif extents[dim] is not None:
                    stop = lowers[dim] + extents[dim] - Linear.constant(1)
                else:
                    raise UnsupportedConstruct("assumed-size array", f"open upper bound on the assumed-size dimension in '{node}'")
                stride = 1 if step is None else const_int(step, self.scope)
                if stride is None or stride == 0:
                    raise UnsupportedConstruct("array section", f"non-constant stride in '{node}'")
                if stride == 1:
                    count = stop - start + Linear.constant(1)
                else:
                    span = stop - start + Linear.constant(stride)
                    count = Linear.constant(span.const // stride) if span.is_constant() else \
                        Linear.of(f"{span.render(wrap=True)} / {stride}" if stride > 0 else f"{span.render(wrap=True)} / ({stride})")
                result.append(Subscript(start=start, stride=stride, count=count))
            elif self.rank(sub):
                gather = self.view(sub) if isinstance(sub, (F.Name, F.Part_Ref)) else None
                if gather is None or gather.rank != 1 or not gather.symbol.type.is_int:
                    raise UnsupportedConstruct("vector subscript", f"subscript '{sub}' in '{node}' (only an integer vector)")
                result.append(Subscript(start=Linear.constant(0), count=gather.shape[0], gather=gather))
            else:
                result.append(Subscript(index=self.linear(sub)))
        return ArrayView(symbol, result, lowers, extents)

    def rank(self, node) -> int:
        """Rank of an expression (0 for scalars)."""
        view = self.view(node) if isinstance(node, (F.Name, F.Part_Ref)) else None
        if view is not None:
            return view.rank
        if isinstance(node, (F.Name, F.Part_Ref)) or _is_literal(node):
            return 0
        if isinstance(node, F.Intrinsic_Function_Reference):
            name = str(node.items[0]).lower()
            from .matrix import dim_reduction
            reduction = dim_reduction(self, node) if name in SCALAR_VALUED else None
            if reduction is not None:
                return len(reduction[2]) - 1
            if name in SCALAR_VALUED:
                return 0
            if name in ("matmul", "transpose"):
                return len(self.matrix_shape(node))
        if isinstance(node, F.Array_Constructor):
            return 1
        ranks = [self.rank(child) for child in _operands(node)]
        return max(ranks, default=0)

    def array_operands(self, node) -> list[ArrayView]:
        """Views of the array-valued operands of an elemental expression."""
        if isinstance(node, (F.Name, F.Part_Ref)):
            view = self.view(node)
            return [view] if view is not None and view.rank else []
        if isinstance(node, F.Intrinsic_Function_Reference) and str(node.items[0]).lower() in SCALAR_VALUED:
            return []
        result: list[ArrayView] = []
        for child in _operands(node):
            result.extend(self.array_operands(child))
        return result

    def shape(self, node) -> list[Linear]:
        if isinstance(node, F.Array_Constructor):
            return [Linear.constant(len(self.constructor_values(node)))]
        from .matrix import dim_reduction
        for product in walk([node], F.Intrinsic_Function_Reference):
            if str(product.items[0]).lower() in ("matmul", "transpose"):
                return self.matrix_shape(product)
            reduction = dim_reduction(self, product)
            if reduction is not None:
                return [e for d, e in enumerate(reduction[2]) if d != reduction[1] - 1]
        views = self.array_operands(node)
        if not views:
            for child in _operands(node):
                if isinstance(child, F.Array_Constructor):
                    return self.shape(child)
            raise UnsupportedConstruct("array expression", f"cannot determine the shape of '{node}'")
        return views[0].shape

    def constructor_values(self, node) -> list:
        values = []
        for value in node.items[1].items if node.items[1] is not None else []:
            if isinstance(value, F.Ac_Implied_Do):
                raise UnsupportedConstruct("implied do", f"implied-do loop in array constructor '{node}'")
            values.append(value)
        return values

    # ---- integer index arithmetic -------------------------------------------------------

    def linear(self, node) -> Linear:
        if isinstance(node, F.Int_Literal_Constant):
            return Linear.constant(int(node.items[0]))
        if isinstance(node, F.Name):
            symbol = self.scope.lookup(node.string.lower())
            if symbol is not None and symbol.zero_based:
                return Linear.of(symbol.cname) + Linear.constant(1)
            expr = self.scalar(node)
            return Linear.of(expr.code)
        if isinstance(node, F.Parenthesis):
            return self.linear(node.items[1])
        if isinstance(node, F.Level_2_Unary_Expr) and node.items[0] in "+-":
            inner = self.linear(node.items[1])
            return -inner if node.items[0] == "-" else inner
        if isinstance(node, F.Level_2_Expr) and self.scalar(node).type.is_int:
            left, op, right = node.items
            return self.linear(left) + self.linear(right) if op == "+" else self.linear(left) - self.linear(right)
        if isinstance(node, F.Add_Operand) and node.items[1] == "*":
            left, right = self.linear(node.items[0]), self.linear(node.items[2])
            if left.is_constant() or right.is_constant():
                return left.times(right)
        expr = self.scalar(node)
        if expr.type.base not in ("integer",):
            raise UnsupportedConstruct("array subscript", f"subscript '{node}' is not an integer")
        return Linear.of(expr.code if expr.prec >= MUL else f"({expr.code})")

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
        if symbol is not None and not symbol.is_array and symbol.type.base == "string":
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

    def matrix_shape(self, node) -> list[Linear]:
        from .matrix import matrix_operands
        return matrix_operands(self, node)[2]

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
        subs = list(node.items[1].items)
        if len(subs) != 1 or not isinstance(subs[0], F.Subscript_Triplet):
            raise UnsupportedConstruct("character substring", f"substring '{node}'")
        low, high, step = subs[0].items
        if step is not None:
            raise UnsupportedConstruct("character substring", f"substring with a stride '{node}'")
        start = self.linear(low) if low is not None else Linear.constant(1)
        offset = (start - Linear.constant(1)).render()
        if high is None:
            return Expr(f"{symbol.cname}.substr({offset})", FType("string", 0))
        count = (self.linear(high) - start + Linear.constant(1)).render()
        return Expr(f"{symbol.cname}.substr({offset}, {count})", FType("string", 0))

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


def _as_string(value: Expr) -> str:
    if value.type.base == "character" and value.literal is None:
        return f"std::string(1, {value.code})"
    return value.code


def char_literal(body: str) -> str:
    return "'\\''" if body == "'" else "'\\\\'" if body == "\\" else f"'{body}'"


def _single_char(value: Expr, node) -> Expr:
    """One-character values compare as C++ chars; longer strings are not translated."""
    if value.type.base != "character":
        raise UnsupportedConstruct("character comparison", f"comparison of character and numeric values '{node}'")
    if value.literal is not None:
        if len(value.literal) != 1:
            raise UnsupportedConstruct("character comparison", f"comparison of character strings '{node}'")
        return Expr(char_literal(value.literal), value.type)
    return value


def _is_literal(node) -> bool:
    return isinstance(node, (F.Int_Literal_Constant, F.Real_Literal_Constant, F.Logical_Literal_Constant,
                             F.Char_Literal_Constant, F.Complex_Literal_Constant))


def _operands(node) -> list:
    """Sub-expressions of an operator or elemental function node."""
    if isinstance(node, F.Intrinsic_Function_Reference):
        args = node.items[1].items if node.items[1] is not None else []
        return [a.items[1] if isinstance(a, F.Actual_Arg_Spec) else a for a in args]
    if isinstance(node, (F.Part_Ref, F.Function_Reference, F.Structure_Constructor)):
        return []  # user function calls are scalar-valued in the supported subset
    if isinstance(node, F.Parenthesis):
        return [node.items[1]]
    return [c for c in getattr(node, "items", ()) if isinstance(c, F.Base)]


def _construct_name(node) -> str:
    return type(node).__name__.lower().replace("_", " ")


# Intrinsics whose result is a scalar whatever their argument (reductions, inquiries).
SCALAR_VALUED = {"sum", "product", "maxval", "minval", "maxloc", "minloc", "dot_product", "size", "count",
                 "any", "all", "lbound", "ubound", "huge", "tiny", "epsilon", "kind", "norm2", "present",
                 "allocated", "len", "len_trim", "index",
                 "radix", "digits", "minexponent", "maxexponent"}

INTRINSIC_NAMES = {
    "abs", "sqrt", "exp", "log", "log10", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh",
    "cosh", "tanh", "min", "max", "mod", "modulo", "sign", "real", "dble", "int", "nint", "floor", "ceiling",
    "float", "aimag", "conjg", "cmplx", "merge", "dim", "iand", "ior", "ieor", "not", "aint", "anint", "trim",
    "iachar", "ichar", "achar", "char", "ishft", "cshift", "eoshift", "pack",
    "radix", "digits", "minexponent", "maxexponent",
    "dcmplx", "dreal",  # double complex specifics (intrinsic_complex.py)
} | SCALAR_VALUED | set(SPECIFIC_NAMES)
