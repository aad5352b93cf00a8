"""Assignments: scalar, whole-array, section, array constructors, matmul/transpose, where."""

from __future__ import annotations

from fparser.two import Fortran2003 as F
from fparser.two.utils import walk

from .arrays import ArrayView
from .errors import UnsupportedConstruct
from .expressions import Elementwise, Expr
from .linear import Linear
from .loops import loop_nest
from .types import FType

INDENT = "    "


def converted(tr, value: Expr, target: FType) -> str:
    """Value as assigned to a variable of type target, with Fortran's conversion rules."""
    if target.base == "string":
        if value.type.base not in ("character", "string"):
            raise UnsupportedConstruct("character assignment", "non-character value assigned to a string")
        tr.ctx.helpers.add("strings")
        text = f"std::string(1, {value.code})" if value.type.base == "character" and value.literal is None else value.code
        return f"fortran_fit({text}, {target.kind})"
    if target.base == "character":
        if value.type.base == "string":  # the first character, blank when empty
            tr.ctx.helpers.add("strings")
            return f"fortran_fit({value.code}, 1)[0]"
        if value.type.base != "character":
            raise UnsupportedConstruct("character assignment", f"non-character value assigned to a character variable")
        if value.literal is not None:
            if len(value.literal) != 1:
                raise UnsupportedConstruct("character variable", f"string {value.code} assigned to a single character")
            from .expressions import char_literal
            return char_literal(value.literal)
        return value.code
    if value.type == target:
        return value.code
    if target.is_int and value.type.base in ("real", "complex"):
        inner = f"std::real({value.code})" if value.type.base == "complex" else value.code
        return f"static_cast<{target.cpp}>({inner})"
    if target.is_real and value.type.base == "complex":
        return f"std::real({value.code})"
    if value.literal is not None and target.numeric and target.base != "complex":
        from .expressions import exact_respelling
        return tr.coerce(value, target) if exact_respelling(value, target) else value.code
    if target.base == "complex" and value.type.base != "complex":
        return tr.coerce(value, target)
    return value.code


def assign(st, node) -> None:
    tr = st.tr
    lhs, _, rhs = node.items
    if isinstance(rhs, F.Intrinsic_Function_Reference):
        name = str(rhs.items[0]).lower()
        if name in ("matmul", "transpose") and name not in st.ctx.procedures:
            return _product(st, lhs, rhs)
        from .matrix import dim_reduction, dim_reduction_lines
        if dim_reduction(tr, rhs) is not None:
            target = tr.view(lhs) if isinstance(lhs, (F.Name, F.Part_Ref)) else None
            if target is not None and target.rank == tr.rank(rhs):
                lines = dim_reduction_lines(tr, rhs, lambda counters: target.element(counters))
                st.flush_pre()
                st.emit_lines(lines)
                return
    if not isinstance(lhs, (F.Name, F.Part_Ref)):
        raise UnsupportedConstruct("assignment", f"assignment to '{lhs}'")
    view = tr.view(lhs)
    if view is None and isinstance(lhs, F.Part_Ref):
        symbol = tr.scope.lookup(str(lhs.items[0]).lower())
        if symbol is not None and symbol.type.base == "string" and not symbol.is_array:
            return _substring_assignment(st, symbol, lhs, rhs)
    if view is None:
        target = tr.scalar(lhs)
        if not target.lvalue:
            raise UnsupportedConstruct("assignment", f"assignment to '{lhs}', which is not a variable")
        if tr.rank(rhs):
            raise UnsupportedConstruct("array expression", f"array value assigned to scalar '{lhs}'")
        value = tr.scalar(rhs)
        st.flush_pre()
        symbol = tr.scope.lookup(lhs.string.lower()) if isinstance(lhs, F.Name) else None
        if symbol is not None and symbol.declare_at == id(node):  # its first use: declared here
            st.emit(f"{symbol.type.cpp} {target.code} = {converted(tr, value, target.type)};")
            return
        st.emit(f"{target.code} = {converted(tr, value, target.type)};")
        return
    element_type = view.symbol.type
    if isinstance(rhs, F.Array_Constructor):
        return _constructor(st, view, rhs)
    if isinstance(rhs, F.Intrinsic_Function_Reference) and str(rhs.items[0]).lower() == "reshape":
        return _reshape(st, view, rhs)
    if isinstance(rhs, F.Intrinsic_Function_Reference) and str(rhs.items[0]).lower() == "pack":
        return _pack(st, view, rhs)
    if isinstance(rhs, F.Intrinsic_Function_Reference) and str(rhs.items[0]).lower() in ("maxloc", "minloc") \
            and view.rank == 1:
        # the one-element result of maxloc/minloc of a vector
        value = tr.scalar(rhs)
        st.flush_pre()
        st.emit(f"{view.symbol.cname}[{view.first_offset()}] = {value.code};")
        return
    if not tr.rank(rhs):
        value = tr.scalar(rhs)
        fill = converted(tr, value, element_type)
        if view.whole:
            begin, end = _range(tr, view)
            st.ctx.includes.add("algorithm")
            st.flush_pre()
            st.emit(f"std::fill({begin}, {end}, {fill});")
            return
        return _elementwise(st, view, lambda elem: fill, [])
    if view.whole and isinstance(rhs, F.Name):
        source = tr.view(rhs)
        if source is not None and source.whole and source.symbol.type == element_type \
                and source.symbol.name != view.symbol.name and source.rank == view.rank:
            return _copy(st, view, source)
    flat = view.whole and all(v.whole and v.rank == view.rank for v in tr.array_operands(rhs)) and \
        not any(isinstance(n, F.Array_Constructor) for n in walk(rhs, F.Array_Constructor))
    if _needs_temporary(tr, view, rhs):
        return _via_temporary(st, view, rhs)
    return _elementwise(st, view, lambda elem: converted(tr, tr.expr(rhs, elem), element_type), [], flat=flat)


def _substring_assignment(st, symbol, lhs, rhs) -> None:
    """word(i:j) = value: replace those characters, the value blank-padded or cut to fit."""
    tr = st.tr
    low, high, step = list(lhs.items[1].items)[0].items if isinstance(list(lhs.items[1].items)[0], F.Subscript_Triplet) \
        else (None, None, "bad")
    if step is not None:
        raise UnsupportedConstruct("character substring", f"assignment to '{lhs}'")
    start = tr.linear(low) if low is not None else Linear.constant(1)
    stop = tr.linear(high) if high is not None else Linear.constant(symbol.type.kind)
    count = (stop - start + Linear.constant(1)).render()
    value = tr.scalar(rhs)
    if value.type.base not in ("character", "string"):
        raise UnsupportedConstruct("character assignment", f"non-character value assigned to '{lhs}'")
    text = f"std::string(1, {value.code})" if value.type.base == "character" and value.literal is None else value.code
    st.ctx.helpers.add("strings")
    st.flush_pre()
    st.emit(f"{symbol.cname}.replace({(start - Linear.constant(1)).render()}, {count}, fortran_fit({text}, {count}));")


def _copy(st, target: ArrayView, source: ArrayView) -> None:
    """a = b for whole arrays: container assignment, or std::copy through pointers."""
    tr = st.tr
    if target.symbol.storage == "container" and source.symbol.storage == "container" and \
            (target.symbol.allocatable or not source.symbol.allocatable) and \
            (target.symbol.fixed_size or target.symbol.parameter) == (source.symbol.fixed_size or source.symbol.parameter):
        st.flush_pre()
        st.emit(f"{target.symbol.cname} = {source.symbol.cname};")
        return
    begin, end = _range(tr, source)
    first = target.symbol.cname if target.symbol.storage == "pointer" else f"{target.symbol.cname}.begin()"
    st.ctx.includes.add("algorithm")
    st.flush_pre()
    st.emit(f"std::copy({begin}, {end}, {first});")


def _range(tr, view: ArrayView) -> tuple[str, str]:
    symbol = view.symbol
    if symbol.storage == "pointer":
        return symbol.cname, f"{symbol.cname} + {tr.size(symbol).render(wrap=True)}"
    return f"{symbol.cname}.begin()", f"{symbol.cname}.end()"


def _elementwise(st, view: ArrayView, value_of, masks, flat: bool = False) -> None:
    """for each element of the view: lhs = value (masks: extra wrapping conditions)."""
    ctx = st.ctx
    if flat:
        shape = [st.tr.size(view.symbol)]
    else:
        shape = view.shape
    counters = [ctx.fresh("idx" if len(shape) == 1 else f"idx{d + 1}") for d in range(len(shape))]
    elem = Elementwise(counters, flat=flat)
    value = value_of(elem)
    target = f"{view.symbol.cname}[{counters[0]}]" if flat else view.element(counters)
    opening, closing, depth = loop_nest(counters, shape)
    st.flush_pre()
    st.emit_lines(opening)
    st.emit(INDENT * depth + f"{target} = {value};")
    st.emit_lines(closing)
    for counter in counters:
        ctx.release(counter)


def _needs_temporary(tr, view: ArrayView, rhs) -> bool:
    """Fortran evaluates the whole right side first; a loop may not when the target is read."""
    name = view.symbol.name
    refs = list(walk([rhs], (F.Name, F.Part_Ref)))
    heads = {id(ref.items[0]) for ref in refs if isinstance(ref, F.Part_Ref)}  # the `b` of `b(1, :)`
    for ref in refs:
        if id(ref) in heads:
            continue
        base = str(ref.items[0] if isinstance(ref, F.Part_Ref) else ref).lower()
        if base != name:
            continue
        other = tr.view(ref)
        if other is None or not _same_view(other, view):
            return True
    return False


def _same_view(a: ArrayView, b: ArrayView) -> bool:
    if a.whole and b.whole:
        return True
    if len(a.subscripts) != len(b.subscripts):
        return False
    for x, y in zip(a.subscripts, b.subscripts):
        if x.is_range != y.is_range or x.gather is not None or y.gather is not None:
            return False
        if x.is_range:
            if (x.start.render(), x.stride, x.count.render()) != (y.start.render(), y.stride, y.count.render()):
                return False
        elif x.index.render() != y.index.render():
            return False
    return True


def _via_temporary(st, view: ArrayView, rhs) -> None:
    tr, ctx = st.tr, st.ctx
    shape = view.shape
    if len(shape) != 1:
        raise UnsupportedConstruct("overlapping array assignment", f"rank-{len(shape)} assignment that reads its own target")
    temp = ctx.fresh(f"{view.symbol.name}_new")
    counter = ctx.fresh("idx")
    elem = Elementwise([counter])
    value = converted(tr, tr.expr(rhs, elem), view.symbol.type)
    ctx.includes.add("vector")
    st.flush_pre()
    st.emit(f"std::vector<{view.symbol.type.cpp}> {temp}({shape[0].render()});")
    opening, closing, depth = loop_nest([counter], shape)
    st.emit_lines(opening)
    st.emit(INDENT + f"{temp}[{counter}] = {value};")
    st.emit_lines(closing)
    st.emit_lines(opening)
    st.emit(INDENT + f"{view.element([counter])} = {temp}[{counter}];")
    st.emit_lines(closing)
    ctx.release(counter)


def _pack(st, view: ArrayView, rhs) -> None:
    """v = pack(x, mask): the selected elements of x, in order, to the front of v."""
    from .intrinsics import split_args
    tr, ctx = st.tr, st.ctx
    args = split_args("pack", list(rhs.items[1].items))
    array, mask = args.get("array", args.get("#0")), args.get("mask", args.get("#1"))
    if mask is None or "vector" in args or "#2" in args or view.rank != 1:
        raise UnsupportedConstruct("pack", f"pack with vector= or into a matrix: '{rhs}'")
    shape = tr.shape(array)
    counters = [ctx.fresh("idx" if len(shape) == 1 else f"idx{d + 1}") for d in range(len(shape))]
    elem = Elementwise(counters)
    value = converted(tr, tr.expr(array, elem), view.symbol.type)
    condition = tr.expr(mask, elem).code
    position = ctx.fresh("next")
    opening, closing, depth = loop_nest(counters, shape)
    st.flush_pre()
    st.emit(f"int {position} = 0;")
    st.emit_lines(opening)
    st.emit(INDENT * depth + f"if ({condition}) {{")
    st.emit(INDENT * (depth + 1) + f"{view.element([position])} = {value};")
    st.emit(INDENT * (depth + 1) + f"++{position};")
    st.emit(INDENT * depth + "}")
    st.emit_lines(closing)
    for counter in counters:
        ctx.release(counter)


def _reshape(st, view: ArrayView, rhs) -> None:
    """a = reshape([...], [m, n]): the values fill a's storage in array element order."""
    from .intrinsics import split_args
    args = split_args("reshape", list(rhs.items[1].items))
    source = args.get("source", args.get("#0"))
    if set(args) - {"source", "shape", "#0", "#1"} or not view.whole:
        raise UnsupportedConstruct("reshape", f"reshape with pad/order or into a section: '{rhs}'")
    if not isinstance(source, F.Array_Constructor):
        raise UnsupportedConstruct("reshape", f"reshape of '{source}' (only of an array constructor)")
    tr = st.tr
    values = [converted(tr, tr.scalar(v), view.symbol.type) for v in tr.constructor_values(source)]
    size = tr.size(view.symbol)
    if size.is_constant() and size.const != len(values):
        raise UnsupportedConstruct("reshape", f"{len(values)} values for {size.const} elements in '{rhs}'")
    st.flush_pre()
    for position, value in enumerate(values):
        st.emit(f"{view.symbol.cname}[{position}] = {value};")


def _constructor(st, view: ArrayView, rhs) -> None:
    tr = st.tr
    values = list(rhs.items[1].items) if rhs.items[1] is not None else []
    if view.rank != 1:
        raise UnsupportedConstruct("array constructor", f"array constructor assigned to a rank-{view.rank} array")
    if len(values) == 1 and isinstance(values[0], F.Ac_Implied_Do):
        inner, control = values[0].items
        var, bounds = control.items[0], control.items[1]
        if len(bounds) > 2 or len(inner.items) != 1:
            raise UnsupportedConstruct("implied do", f"implied-do '{values[0]}'")
        header = st._counted_for(var, bounds[0], bounds[1], None)
        start = tr.linear(bounds[0])
        position = tr.linear(var) - start
        value = converted(tr, tr.scalar(inner.items[0]), view.symbol.type)
        st.flush_pre()
        st.emit(header)
        st.emit(INDENT + f"{view.symbol.cname}[{view.offset([position])}] = {value};")
        st.emit("}")
        return
    if any(isinstance(v, F.Ac_Implied_Do) for v in values):
        raise UnsupportedConstruct("implied do", f"implied-do loop mixed with values in '{rhs}'")
    items = [converted(tr, tr.scalar(v), view.symbol.type) for v in values]
    st.flush_pre()
    for position, item in enumerate(items):
        st.emit(f"{view.symbol.cname}[{view.offset([Linear.constant(position)])}] = {item};")


def _product(st, lhs, rhs) -> None:
    """c = matmul(a, b) / c = transpose(a): loops writing the target directly."""
    from .matrix import matrix_operands, product_lines
    tr = st.tr
    target = tr.view(lhs) if isinstance(lhs, (F.Name, F.Part_Ref)) else None
    operands, _, shape = matrix_operands(tr, rhs)
    if target is None or target.rank != len(shape):
        raise UnsupportedConstruct(str(rhs.items[0]).lower(), f"result of '{rhs}' assigned to '{lhs}'")
    if any(op.symbol.name == target.symbol.name for op in operands):
        return _via_product_temporary(st, target, rhs)
    lines = product_lines(tr, rhs, lambda counters: target.element(counters))
    st.flush_pre()
    st.emit_lines(lines)


def _via_product_temporary(st, target, rhs) -> None:
    tr = st.tr
    view = tr.temporary(rhs)
    _elementwise(st, target, lambda elem: tr.element_of(view, elem), [])


def where(st, branches) -> None:
    """where (mask) ... elsewhere ... end where: one loop over the mask's shape."""
    tr, ctx = st.tr, st.ctx
    first_mask = branches[0][0]
    shape = tr.shape(first_mask)
    counters = [ctx.fresh("idx" if len(shape) == 1 else f"idx{d + 1}") for d in range(len(shape))]
    elem = Elementwise(counters)
    body: list[str] = []
    for position, (mask, statements) in enumerate(branches):
        if mask is not None:
            condition = tr.expr(mask, elem).code
            body.append(f"if ({condition}) {{" if position == 0 else f"}} else if ({condition}) {{")
        else:
            body.append("} else {")
        for statement in statements:
            if not isinstance(statement, F.Assignment_Stmt):
                raise UnsupportedConstruct("where", f"'{statement}' inside where")
            lhs, _, rhs = statement.items
            view = tr.view(lhs)
            if view is None or view.rank != len(counters):
                raise UnsupportedConstruct("where", f"assignment to '{lhs}' does not conform to the mask")
            value = converted(tr, tr.expr(rhs, elem), view.symbol.type)
            body.append(f"{INDENT}{view.element(counters)} = {value};")
    body.append("}")
    opening, closing, depth = loop_nest(counters, shape)
    st.flush_pre()
    st.emit_lines(opening)
    st.emit_lines([INDENT * depth + line for line in body])
    st.emit_lines(closing)
    for counter in counters:
        ctx.release(counter)
