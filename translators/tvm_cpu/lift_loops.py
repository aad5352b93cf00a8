"""Loops of the symbolically executed thread: grid-stride loops, loops that store (output axes),
loops that only update accumulators (reduction stages)."""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

from ...verify.cuda.parse import line_of, text_of, walk
from .errors import Unliftable
from .ir import Bin, Call, Cast, Const, Expr, StageRef, Sym, binary, cast, children, is_float, rename, symbols, to_poly
from .lift_expr import ExpressionLifter
from .loop_hull import is_fixed, iteration_hull
from .lifted import Stage
from .patterns import assigned_names, axis_order, combined, contains_load, has_store, reduction, stored_targets, strip_int_casts


class LoopLifter(ExpressionLifter):
    """Loop handling of ThreadLifter (statements and guards are ThreadLifter's)."""

    def _for(self, node: Node) -> None:
        init = node.child_by_field_name("initializer")
        cond_node = node.child_by_field_name("condition")
        update = node.child_by_field_name("update")
        body = node.child_by_field_name("body")
        if init is None or cond_node is None or update is None:
            raise Unliftable("for", line_of(node), "a for loop needs `int v = start; v < end; ++v` to be lifted")
        var, start_node = self._loop_variable(init, node)
        declared = init.type == "declaration"
        if declared:
            self._refuse_shadowing(var, node)
        start = self._scalar(self._expr(start_node), node)
        if not declared:  # the loop owns the variable while it runs, as if it declared it
            del self.env[var], self.types[var]
        saved = dict(self.env), dict(self.types)
        self._run_for(var, start, cond_node, update, body, node, saved)
        if not declared:
            # C leaves the variable at the bound the loop stopped at; a later read is refused rather than guessed
            self.env[var], self.types[var] = None, "int32"

    def _loop_variable(self, init: Node, node: Node):
        """The loop variable and its start: `int v = start` declared in the loop, or `v = start` on an
        `int` local declared before it (`int k; for (k = 0; ...)`)."""
        if init.type == "declaration":
            decls = init.children_by_field_name("declarator")
            if len(decls) != 1 or decls[0].type != "init_declarator":
                raise Unliftable("for", line_of(node), "a for loop with several loop variables is not lifted")
            return text_of(decls[0].child_by_field_name("declarator")), decls[0].child_by_field_name("value")
        left = init.child_by_field_name("left") if init.type == "assignment_expression" else None
        if left is not None and left.type == "identifier" and text_of(init.child_by_field_name("operator")) == "=" \
                and self.types.get(text_of(left)) == "int32":
            return text_of(left), init.child_by_field_name("right")
        raise Unliftable("for", line_of(node), "a for loop needs `int v = start` (or `v = start` on an `int` local) "
                         "to be lifted")

    def _run_for(self, var, start, cond_node, update, body, node, saved) -> None:
        if self._grid_stride(var, start, cond_node, update, body, node):
            self._restore_scope(saved)
            return
        cond = self._with_local(var, "int32", Sym("int32", f"?{var}", "probe"), lambda: self._expr(cond_node))
        if not (isinstance(cond, Bin) and cond.op in ("<", "<=") and
                strip_int_casts(cond.a) == Sym("int32", f"?{var}", "probe")):
            raise Unliftable("for", line_of(node), f"loop condition '{text_of(cond_node)}' is not `{var} < end`")
        end = cond.b if cond.op == "<" else binary("+", cond.b, Const(cond.b.dtype, 1))
        if end.dtype != "int32" and not is_float(end.dtype):
            # a `long`/`size_t` bound: loop ranges are int32 in the workload, exact where it fits an int
            end = Cast("int32", end)
        if text_of(update).replace(" ", "") not in (f"++{var}", f"{var}++", f"{var}+=1", f"{var}={var}+1"):
            raise Unliftable("for", line_of(node), f"loop step '{text_of(update)}' is not `++{var}`")
        through_calls = self._stores_through_calls(body)  # a helper's store too
        stores = has_store(body) or through_calls
        # every store of the loop is to a cell the loop does not move: an accumulator, not an output
        # loop (stores inside a helper are not read for this)
        cells = self._promote_cells(var, body) if stores and not through_calls else None
        if cells is not None:
            stores = False
        where = None
        if stores and not is_fixed(end):
            end, where = self._causal_output_range(var, start, end, cond_node, node)
        if not self.open_reductions:
            self._hoist_invariants({text_of(n) for n in walk(body) if n.type == "identifier"})
        if stores:
            self._output_loop(var, start, end, body, node, where)
        else:
            self._reduction_loop(var, start, end, body, node, text_of(cond_node))
        for cell, line in (cells or {}).items():
            name = self.promoted.pop(cell)
            self.stores[cell] = (self.env.pop(name), line)
            self.types.pop(name)
        self._restore_scope(saved)

    def _promote_cells(self, var: str, body: Node) -> dict | None:
        """`c[i * n + j] = 0; for (k ...) c[i * n + j] += a[...] * b[...];`: a loop whose every store is to a
        cell whose index the loop does not change accumulates in that cell as in a local. Each such cell
        becomes a local holding its current value (what the thread stored, or the array's value) for
        the loop, and is stored once after it; reads of the array at other cells inside the loop are
        refused (`_element`). Returns the newly promoted cells -> the line of their first store, or
        None when some store's index depends on the loop (a loop that stores)."""
        changed = assigned_names(body) | self._reference_targets(body) | {var}
        found: dict = {}
        for target in stored_targets(body):
            if {text_of(n) for n in walk(target) if n.type == "identifier"} & changed:
                return None
            try:
                buffer, index, dtype = self._element(target) if target.type == "subscript_expression" else \
                    self._dereference(target)
            except Unliftable:
                return None  # an index naming a variable of an inner loop, or no array element
            found.setdefault((buffer, index), (dtype, line_of(target), " ".join(text_of(target).split())))
        fresh = {}
        for cell, (dtype, line, spelling) in found.items():
            if cell in self.promoted:
                continue  # an enclosing loop already accumulates there
            # named as the source spells the cell (refusals quote it); brackets: no C local has this name
            name = spelling if spelling not in self.env else self._fresh(f"{spelling}#")
            self.env[name], self.types[name] = self._load(cell[0], cell[1], dtype), dtype
            self.promoted[cell] = name
            fresh[cell] = line
        return fresh

    def _assigned(self, body: Node) -> set:
        """Locals the body assigns, and the promoted cells it stores to (under their local names)."""
        names = assigned_names(body) | self._reference_targets(body)
        if self.promoted:
            for target in stored_targets(body):
                try:
                    buffer, index, _ = self._element(target) if target.type == "subscript_expression" else \
                        self._dereference(target)
                except Unliftable:
                    continue
                if (buffer, index) in self.promoted:
                    names.add(self.promoted[(buffer, index)])
        return names

    def _grid_stride(self, var, start, cond_node, update, body, node) -> bool:
        """`for (i = global index; i < n; i += blockDim.x * gridDim.x)`: one axis, extent n."""
        if not (isinstance(start, Sym) and start.kind == "axis" and start.name in ("gx", "gy", "gz")):
            return False  # a loop from an output loop's variable (`p = j`) is not grid-stride
        step = text_of(update).replace(" ", "")
        dim = {"gx": "x", "gy": "y", "gz": "z"}[start.name]
        if step not in (f"{var}+=blockDim.{dim}*gridDim.{dim}", f"{var}+=gridDim.{dim}*blockDim.{dim}"):
            return False
        self.env[var], self.types[var] = start, "int32"
        cond = self._scalar(self._expr(cond_node), node)
        if not self._guard(cond, node):
            raise Unliftable("for", line_of(node), f"grid-stride loop condition '{text_of(cond_node)}' is not "
                             f"`{var} < n`")
        self._statement(body)
        return True

    def _hoist_invariants(self, read: set) -> None:
        """Locals the loop will read that cost a call or a float division (`inv = rsqrtf(var + eps)`,
        `mean = sum / cols`) become stages over the thread's axes, computed once per thread rather
        than once per iteration. Only values without array reads or integer division are moved: a
        stage is computed for every thread even where the loop would not run."""
        for name, value in list(self.env.items()):
            if name in read and isinstance(value, Expr) and _worth_hoisting(value) and not contains_load(value) \
                    and not symbols(value, ("reduce", "acc", "pending", "thread", "probe")):
                axes = axis_order(symbols(value, ("axis",)), self.origin)
                if any(a not in self.extents for a in axes):
                    continue
                self.stages.append(Stage(expr=value, reduce=None, lo=None, hi=None, op="compute", axes=axes,
                                         dtype=value.dtype))
                self.env[name] = StageRef(value.dtype, len(self.stages) - 1, axes)

    def _causal_output_range(self, var, start, end, cond_node, node):
        """A loop that stores from 0 while `var < end`, end depending on the thread (`p <= t`): one more
        output axis over a proven fixed range holding every iteration (a polynomial in the parameters,
        as the output's shape must be), whose body runs where `var < end` (an `if` around it).
        (hi, the predicate over the variable as a `?var` symbol)."""
        probe = f"?{var}"
        hull = iteration_hull(probe, start, end, self.extents, self.reduce_hulls) if to_poly(start) == {} else None
        if hull is None or to_poly(hull[1]) is None:
            raise Unliftable("data-dependent loop", line_of(node), f"loop bound '{text_of(cond_node)}' of a loop "
                             "that stores depends on data, the thread or another loop, and no range that is a "
                             "polynomial in the scalar parameters (an output's shape) is proven to hold it; "
                             "not lifted")
        hi = next((extent for extent in self.extents.values() if to_poly(extent) == to_poly(hull[1])), hull[1])
        return hi, hull[2]  # an extent already spelled so, that a later loop over it shares the axis

    def _output_loop(self, var, start, end, body, node, where=None) -> None:
        """A loop that stores: one more output axis. Locals it updates as accumulators (`sum += out[j]`
        after `out[j] = e`) become reduction stages over that axis, read after the loop. With `where`
        (a bound from the thread), the body runs as under `if (where)`: cells it skips keep their value."""
        if to_poly(start) != {}:
            raise Unliftable("for", line_of(node), "a loop that stores must start at 0 to be lifted")
        axis = self._sibling_axis(end)
        if axis is None:
            axis = self._fresh(f"loop_{var}")
            self.extents[axis] = end
            self.origin[axis] = f"loop {var} (line {line_of(node)})"
        outer = dict(self.env)
        assigned = assigned_names(body) | self._reference_targets(body)
        markers = {name: Sym(self.types[name], self._fresh(f"acc:{name}:"), "acc") for name, value in outer.items()
                   if name in assigned and self.types.get(name) not in (None, "ptr") and value is not None}
        self.env.update(markers)
        stages_before = len(self.stages)
        self.env[var], self.types[var] = Sym("int32", axis, "axis"), "int32"
        self.loop_axes.append(axis)
        if where is None:
            self._statement(body)
        else:
            self._branches(rename(where, f"?{var}", Sym("int32", axis, "axis")), body, None, node)
        self.loop_axes.pop()
        after = dict(self.env)
        self.env = dict(outer)
        self._refuse_running_values(markers, stages_before, node)
        for name, marker in markers.items():
            if after.get(name) != marker:
                self._store_loop_reduction(name, marker, after.get(name), axis, end, node)
        for name, value in outer.items():
            if name not in markers and after.get(name) != value:
                raise Unliftable("loop-carried variable", line_of(node),
                                 f"'{name}' changes across iterations of a loop that stores")

    def _sibling_axis(self, end):
        """A loop after an earlier loop that stored over the same range takes that loop's axis, so that
        the cells both write are one cell (`out[j] /= sum` after `out[j] = expf(...)`): its store
        replaces the earlier value and its reads of those cells get it. Open loops keep their own axes."""
        for axis, extent in self.extents.items():
            if axis.startswith("loop_") and extent == end and axis not in self.loop_axes:
                return axis
        return None

    def _refuse_running_values(self, markers: dict, stages_before: int, node) -> None:
        """Stores and stages of the loop must not read an accumulator while it accumulates (a running
        sum stored per iteration is a scan, not a reduction)."""
        names = {marker.name: name for name, marker in markers.items()}
        values = [value for value, _ in self.stores.values()] + [s.expr for s in self.stages[stages_before:]]
        for value in values:
            running = symbols(value, ("acc",)) & set(names)
            if running:
                name = names[sorted(running)[0]]
                raise Unliftable("loop-carried variable", line_of(node), f"'{name}' is read in a loop that stores "
                                 "while the loop accumulates it (a running value); not lifted")

    def _store_loop_reduction(self, name, marker, new, axis, end, node) -> None:
        """`acc += e` in a loop that stores: a reduction stage of `e` with the loop's axis as its reduce axis."""
        if self.open_reductions:
            raise Unliftable("nested reduction", line_of(node), f"'{name}' accumulates in a loop that stores inside "
                             "a reduction loop; not lifted")
        op, term = reduction(new, marker) if new is not None else (None, None)
        if op is None or symbols(term, ("acc", "pending")):
            raise Unliftable("loop-carried variable", line_of(node),
                             f"'{name}' is updated in the loop in a way other than a sum, max or min reduction")
        axes = axis_order(symbols(term, ("axis",)) - {axis}, self.origin)
        missing = [a for a in axes if a not in self.extents]
        if missing:
            raise Unliftable("reduction", line_of(node), f"reduction over threads whose index has no bounds "
                             f"guard ({', '.join(missing)})")
        reduce = self._fresh(f"r_{axis}_")
        dtype = marker.dtype
        self.stages.append(Stage(expr=cast(rename(term, axis, Sym("int32", reduce, "reduce")), dtype), reduce=reduce,
                                 lo=Const("int32", 0), hi=end, op=op, axes=axes, dtype=dtype))
        ref = StageRef(dtype, len(self.stages) - 1, axes)
        old = self.env[name]
        self.env[name] = combined(op, old, ref, dtype)

    def _reduction_loop(self, var, start, end, body, node, cond_text) -> None:
        reduce = self._fresh(f"r_{var}")
        hull = iteration_hull(reduce, start, end, self.extents, self.reduce_hulls)
        if hull is None:
            raise Unliftable("data-dependent loop", line_of(node), f"the bounds of loop '{var}' (from "
                             f"'{text_of(node.child_by_field_name('initializer')).rstrip(';')}' while '{cond_text}') "
                             "depend on data, or on the thread or another loop in a way whose range cannot be "
                             "bounded; only bounds over scalar parameters, or affine in the thread's indices "
                             "and enclosing loops, are lifted")
        lo, hi, where = hull
        outer = dict(self.env)
        assigned = self._assigned(body)
        accumulators = [name for name, value in outer.items()
                        if name in assigned and self.types.get(name) not in (None, "ptr") and value is not None]
        if self.open_reductions and self._continues(self.open_reductions[-1], accumulators, outer):
            self._reduction_axis(self.open_reductions[-1], var, reduce, (start, end), hull, body, node, accumulators)
            return
        markers = {}
        for name in accumulators:
            markers[name] = Sym(self.types[name], self._fresh(f"acc:{name}:"), "acc")
            self.env[name] = markers[name]
        opened = _OpenReduction(markers=markers)
        self.env[var], self.types[var] = Sym("int32", reduce, "reduce"), "int32"
        self.reduce_ranges[reduce] = (start, end)
        self.reduce_hulls[reduce] = (lo, hi)
        self.open_reductions.append(opened)
        try:
            self._statement(body)
        finally:
            self.open_reductions.pop()
        after = {name: opened.settle(name, value) for name, value in self.env.items()}
        self.env = dict(outer)
        for name, value in after.items():
            if symbols(value, ("pending",)):
                raise Unliftable("nested reduction", line_of(node), f"'{name}' uses an accumulator of an inner loop "
                                 "before the reduction over all loops ends; not lifted")
        for name, marker in markers.items():
            new = after.get(name)
            if new == marker:
                continue
            op, term = reduction(new, marker)
            if op is None:
                raise Unliftable("loop-carried variable", line_of(node),
                                 f"'{name}' is updated in the loop in a way other than a sum, max or min reduction")
            inner = tuple(opened.inner.get(name, ()))
            predicate = _conjunction([where] + opened.where.get(name, []))
            if (symbols(term, ("reduce",)) | _symbols_of(predicate, "reduce")) - {reduce} - {r for r, _, _ in inner}:
                raise Unliftable("nested reduction", line_of(node), f"'{name}' accumulates a value reduced by an "
                                 "enclosing loop (a reduction inside a reduction over another accumulator); "
                                 "not lifted")
            axes = axis_order(symbols(term, ("axis",)) | _symbols_of(predicate, "axis"), self.origin)
            missing = [a for a in axes if a not in self.extents]
            if missing:
                raise Unliftable("reduction", line_of(node), f"reduction over threads whose index has no bounds "
                                 f"guard ({', '.join(missing)})")
            dtype = marker.dtype
            self.stages.append(Stage(expr=cast(term, dtype), reduce=reduce, lo=lo, hi=hi, op=op, axes=axes,
                                     dtype=dtype, inner=inner, where=predicate))
            ref = StageRef(dtype, len(self.stages) - 1, axes)
            old = outer[name]
            self.env[name] = combined(op, old, ref, dtype)
        for name, value in after.items():
            if name in outer and name not in markers and value != outer[name]:
                raise Unliftable("loop-carried variable", line_of(node), f"'{name}' changes inside a reduction loop")

    def _continues(self, opened, accumulators: list, outer: dict) -> bool:
        """A loop inside a reduction loop that updates only that loop's accumulators, none of them
        changed yet in this iteration, adds one more axis to that reduction (`for c, kh, kw: acc += ...`)."""
        return bool(accumulators) and all(outer[name] == opened.markers.get(name) for name in accumulators)

    def _reduction_axis(self, opened, var, reduce, bounds, hull, body, node, accumulators) -> None:
        outer = dict(self.env)
        lo, hi, where = hull
        for name in accumulators:  # this axis (and its predicate) is only for the accumulators the loop updates
            opened.inner.setdefault(name, []).append((reduce, lo, hi))
            if where is not None:
                opened.where.setdefault(name, []).append(where)
        self.env[var], self.types[var] = Sym("int32", reduce, "reduce"), "int32"
        self.reduce_ranges[reduce] = bounds
        self.reduce_hulls[reduce] = (lo, hi)
        self._statement(body)
        after = {name: opened.settle(name, value) for name, value in self.env.items()}
        self.env = dict(outer)
        for name in accumulators:
            op, _ = reduction(after[name], opened.markers[name])
            if op is None:
                raise Unliftable("loop-carried variable", line_of(node),
                                 f"'{name}' is updated in the loop in a way other than a sum, max or min reduction")
            self.env[name] = opened.pend(name, after[name])
        for name, value in after.items():
            if name in outer and name not in accumulators and value != outer[name]:
                raise Unliftable("loop-carried variable", line_of(node), f"'{name}' changes inside a reduction loop")

    def _with_local(self, name, dtype, value, fn):
        saved = self.env.get(name, _MISSING), self.types.get(name, _MISSING)
        self.env[name], self.types[name] = value, dtype
        try:
            return fn()
        finally:
            for table, old in ((self.env, saved[0]), (self.types, saved[1])):
                if old is _MISSING:
                    table.pop(name, None)
                else:
                    table[name] = old

    def _fresh(self, stem: str) -> str:
        self.counter += 1
        return f"{stem}{self.counter}"

_MISSING = object()


def _symbols_of(predicate, kind: str) -> set:
    return set() if predicate is None else symbols(predicate, (kind,))


def _conjunction(conditions: list):
    """The predicates that are present, joined by &&; None when there are none."""
    present = [c for c in conditions if c is not None]
    if not present:
        return None
    joined = present[0]
    for condition in present[1:]:
        joined = binary("&&", joined, condition)
    return joined


def _worth_hoisting(e: Expr) -> bool:
    """A call or a float division somewhere in it, and no integer division (which could trap)."""
    found = False
    stack = [e]
    while stack:
        node = stack.pop()
        if isinstance(node, Bin) and node.op in ("/", "%"):
            if not is_float(node.dtype):
                return False
            found = True
        elif isinstance(node, Call):
            found = True
        stack.extend(children(node))
    return found


@dataclass
class _OpenReduction:
    """A reduction loop being executed: its accumulators' markers and, per accumulator, the axes that
    inner loops added to its reduction (outermost first).

    After an inner loop adds an axis, an accumulator holds `marker op term` with that loop's
    variable free; it is kept here and the environment holds a pending symbol, so that the value
    can only end the reduction, not be read before it ends."""
    markers: dict
    inner: dict = field(default_factory=dict)
    where: dict = field(default_factory=dict)  # accumulator -> predicates of inner loops with varying bounds
    pending: dict = field(default_factory=dict)

    def pend(self, name: str, value):
        symbol = Sym(value.dtype, f"pending:{name}:{id(self)}", "pending")
        self.pending[symbol] = value
        return symbol

    def settle(self, name: str, value):
        return self.pending.get(value, value) if isinstance(value, Sym) else value
