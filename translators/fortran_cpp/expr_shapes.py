"""Array shapes of expressions: views of whole arrays and sections, bounds and extents,
ranks, and the symbolic (Linear) index arithmetic that subscripts are folded with.
A mixin of ExprTranslator (expressions.py)."""

from __future__ import annotations

from fparser.two import Fortran2003 as F
from fparser.two.utils import walk

from .arrays import ArrayView, Subscript
from .declarations import const_int
from .errors import UnsupportedConstruct
from .expr_core import MUL, SCALAR_VALUED, _is_literal, _operands
from .linear import Linear
from .symbols import Symbol


class ArrayShapes:
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

    def matrix_shape(self, node) -> list[Linear]:
        from .matrix import matrix_operands
        return matrix_operands(self, node)[2]
