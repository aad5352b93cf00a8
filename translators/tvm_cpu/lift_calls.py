"""Calls to the file's `__device__` functions, inlined into the symbolically executed thread.

A call binds the helper's parameters to the argument values (scalars converted to the parameter's
type, as C passes them by value; pointers to the caller's array at its offset), runs the helper's
statements in an environment of its own (the kernel's names are not visible in it, the file's
macros and `__constant__` tables are) and gives the value of the `return` the thread reaches: an
early `return` under an `if` makes the rest of the helper the continuation of each branch, and the
two results a select.  A store through a pointer parameter is a store to the caller's array, merged
across the helper's branches as the kernel's own if/else stores are; a reference parameter the
helper assigns (`float& s`), itself or through a helper it passes it to, is the caller's local,
given its value where the helper returns; in a loop it is a loop-carried local like one the loop
assigns (`for j: acc(s, x[j]);` is a sum, lift_loops).
Templates take their type parameters from explicit arguments (`relu<float>(x)`) or from the
arguments' types.  Recursion,
overloads, a reference parameter the helper assigns given anything but a local of the caller, and a
return inside a loop are refused, naming the line inside the helper and the call site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tree_sitter import Node

from ...verify.cuda.parse import file_root, function_name, function_qualifiers, line_of, text_of, walk
from ...verify.cuda.signature import SCALAR_TYPES
from .errors import Unliftable
from .ir import Const, Select, cast
from .lifted import Ptr
from .patterns import assigned_names, has_store
from .refusals import refuse_block_level

MAX_INLINE_DEPTH = 16  # helpers calling helpers; deeper chains are refused
MAX_INLINED_STATEMENTS = 20000  # early returns copy the rest of a helper per branch: a bound on that growth
NO_VALUE = object()  # what `return;` gives (void helpers)


@dataclass
class HelperParam:
    name: str
    type_text: str  # without const/volatile
    pointer: bool
    line: int
    out: bool = False  # a non-const reference the helper assigns: a write to the caller's local
    reference: bool = False  # `T& name` (assigned or not)


@dataclass
class DeviceFunction:
    name: str
    node: Node  # the function_definition
    line: int
    return_type: str
    template: list[str] = field(default_factory=list)  # type parameter names
    params: list[HelperParam] = field(default_factory=list)
    why_not: str | None = None  # a signature the inliner does not take, and why
    why_line: int | None = None


def _type_words(text: str) -> str:
    text = re.sub(r"\b(const|volatile|__restrict__|__restrict|restrict)\b", " ", text.replace("std::", ""))
    return re.sub(r"\s+", " ", text).strip()


def _signature(func: Node, helper: DeviceFunction) -> None:
    declarator = func.child_by_field_name("declarator")
    while declarator is not None and declarator.type != "function_declarator":
        if declarator.type in ("pointer_declarator", "reference_declarator"):
            helper.why_not, helper.why_line = "it returns a pointer or a reference", line_of(declarator)
            return
        declarator = declarator.child_by_field_name("declarator")
    params = declarator.child_by_field_name("parameters") if declarator is not None else None
    assigned = assigned_names(func.child_by_field_name("body"))
    for p in params.named_children if params is not None else []:
        if p.type == "comment":
            continue
        if p.type != "parameter_declaration":
            helper.why_not, helper.why_line = f"parameter '{text_of(p)}' is not lifted", line_of(p)
            return
        type_text = _type_words(text_of(p.child_by_field_name("type")))
        target = p.child_by_field_name("declarator")
        if target is None:
            if type_text == "void":
                continue
            helper.why_not, helper.why_line = f"parameter '{text_of(p)}' has no name", line_of(p)
            return
        pointer = out = False
        if target.type == "reference_declarator":
            name_node = next((c for c in target.named_children if c.type == "identifier"), None)
            # a reference the helper only reads is its value; one it assigns writes the caller's local
            out = name_node is not None and text_of(name_node) in assigned
            target = name_node
        elif target.type in ("pointer_declarator", "array_declarator"):
            pointer = True
            inner = target.child_by_field_name("declarator")
            if inner is not None and inner.type in ("pointer_declarator", "array_declarator"):
                helper.why_not, helper.why_line = f"parameter '{text_of(p)}' is a pointer to pointers", line_of(p)
                return
            target = inner
        if target is None or target.type != "identifier":
            helper.why_not, helper.why_line = f"parameter '{text_of(p)}' is not lifted", line_of(p)
            return
        reference = p.child_by_field_name("declarator").type == "reference_declarator"
        helper.params.append(HelperParam(text_of(target), type_text, pointer, line_of(p), out, reference))


def device_functions(kernel: Node) -> dict[str, DeviceFunction]:
    """The file's `__device__` functions with a body, by name (a name defined twice is an overload)."""
    found: dict[str, DeviceFunction] = {}
    for func in walk(file_root(kernel)):
        if func.type != "function_definition" or func.child_by_field_name("body") is None:
            continue
        words = function_qualifiers(func)
        name = function_name(func)
        if "__device__" not in words or "__global__" in words or not name:
            continue
        type_node = func.child_by_field_name("type")
        helper = DeviceFunction(name, func, line_of(func), _type_words(text_of(type_node)) if type_node else "int")
        if func.parent is not None and func.parent.type == "template_declaration":
            plist = func.parent.child_by_field_name("parameters")
            for tp in plist.named_children if plist is not None else []:
                names = [text_of(c) for c in tp.named_children if c.type == "type_identifier"]
                if tp.type != "type_parameter_declaration" or len(names) != 1:
                    helper.why_not, helper.why_line = f"template parameter '{text_of(tp)}' is not lifted", line_of(tp)
                    break
                helper.template.append(names[0])
        if helper.why_not is None:
            _signature(func, helper)
        if name in found:
            helper.why_not, helper.why_line = f"'{name}' is overloaded (lines {found[name].line} and {helper.line})", \
                helper.line
        found[name] = helper
    _references_passed_on(found)
    return found


def _references_passed_on(helpers: dict[str, DeviceFunction]) -> None:
    """A reference parameter the helper passes on to another helper's assigned reference
    (`void acc(float& s, float v) { add(s, v); }`) is assigned by it too."""
    changed = True
    while changed:
        changed = False
        for helper in helpers.values():
            if helper.why_not is not None:
                continue
            for name in call_reference_targets(helper.node.child_by_field_name("body"), helpers):
                param = next((p for p in helper.params if p.name == name and p.reference), None)
                if param is not None and not param.out:  # (a const reference could not be passed on so)
                    param.out = changed = True


def call_reference_targets(body: Node | None, helpers: dict[str, DeviceFunction]) -> set[str]:
    """Names passed, in `body`, to reference parameters that the called helper assigns (`acc(s, v)`
    assigns `s`), as `s += v` would."""
    names: set[str] = set()
    for node in walk(body) if body is not None else []:
        if node.type != "call_expression":
            continue
        fn_node = node.child_by_field_name("function")
        if fn_node is not None and fn_node.type == "template_function":
            fn_node = fn_node.child_by_field_name("name")
        helper = helpers.get(text_of(fn_node)) if fn_node is not None and fn_node.type == "identifier" else None
        if helper is None or helper.why_not is not None:
            continue
        for param, arg in zip(helper.params, node.child_by_field_name("arguments").named_children):
            if param.out and arg.type == "identifier":
                names.add(text_of(arg))
    return names


def _selected(cond, a, b):
    """The value on the branch the thread takes (None: unassigned on a branch)."""
    if a is None or b is None:
        return None
    return a if a == b else Select(a.dtype, cond, a, cast(b, a.dtype))


def has_return(node: Node) -> bool:
    return any(n.type == "return_statement" for n in walk(node))


def statements_of(node: Node | None) -> list[Node]:
    if node is None:
        return []
    if node.type == "else_clause":
        return statements_of(node.named_children[0] if node.named_children else None)
    return list(node.named_children) if node.type == "compound_statement" else [node]


class DeviceCallLifter:
    """Inlining of ThreadLifter (its environment, statements, stores and branch merging)."""

    def _device_callee(self, node: Node) -> str | None:
        """The name of the file's __device__ function that this call_expression calls, if it is one."""
        fn_node = node.child_by_field_name("function")
        if fn_node is not None and fn_node.type == "template_function":
            fn_node = fn_node.child_by_field_name("name")
        if fn_node is None or fn_node.type != "identifier":
            return None
        name = text_of(fn_node)
        return name if name in self.device_functions else None

    def _reference_targets(self, body: Node) -> set[str]:
        """Locals that calls in `body` assign through reference parameters (`acc(s, v)`)."""
        return call_reference_targets(body, self.device_functions)

    def _stores_through_calls(self, body: Node, seen: set | None = None) -> bool:
        """Whether a helper called in `body` (or one it calls) stores to an array: a loop that calls
        `put(y, j, v)` stores, as one with `y[j] = v;` does."""
        seen = set() if seen is None else seen
        for node in walk(body):
            name = self._device_callee(node) if node.type == "call_expression" else None
            if name is None or name in seen:
                continue
            seen.add(name)
            helper_body = self.device_functions[name].node.child_by_field_name("body")
            if has_store(helper_body) or self._stores_through_calls(helper_body, seen):
                return True
        return False

    def _device_call(self, node: Node, statement: bool = False):
        """The value of a call to a helper (NO_VALUE for a void one, called as a statement)."""
        fn_node = node.child_by_field_name("function")
        name = self._device_callee(node)
        helper: DeviceFunction = self.device_functions[name]
        call_line = line_of(node)
        where = f"in __device__ function '{name}' (line {helper.line}, called at line {call_line})"
        if helper.why_not is not None:
            raise Unliftable("device function", helper.why_line, f"{where}: {helper.why_not}")
        if name in self.inlining:
            chain = " -> ".join(self.inlining + [name])
            raise Unliftable("recursion", call_line, f"'{name}' calls itself ({chain}); recursion is not lifted")
        if len(self.inlining) >= MAX_INLINE_DEPTH:
            raise Unliftable("device function", call_line, f"calls nested more than {MAX_INLINE_DEPTH} deep")
        arg_nodes = node.child_by_field_name("arguments").named_children
        if len(arg_nodes) != len(helper.params):
            raise Unliftable("call", call_line, f"'{name}' takes {len(helper.params)} argument(s), "
                             f"{len(arg_nodes)} given")
        outs = {}  # reference parameter -> the caller's local it writes
        for param, arg_node in zip(helper.params, arg_nodes):
            if param.out:
                local = text_of(arg_node)
                if arg_node.type != "identifier" or local not in self.env or self.types.get(local) == "ptr":
                    raise Unliftable("reference", call_line, f"'{name}' assigns its reference parameter "
                                     f"'{param.name}' (line {param.line}); the call passes '{local}', which is not "
                                     "a local scalar variable")
                outs[param.name] = local
        # a local passed to an out parameter may still be unassigned (`float s, c; sincos2(x, s, c);`)
        args = [None if param.out and self.env[outs[param.name]] is None else self._expr(a)
                for param, a in zip(helper.params, arg_nodes)]
        try:
            refuse_block_level(helper.node)
            type_names = self._template_types(helper, fn_node, args, node)
            env, types = self._bound_parameters(helper, args, type_names, node)
        except Unliftable as inner:
            raise Unliftable(inner.construct, inner.line, f"{where}: {inner.message}") from None
        saved = self.env, self.types, self.binding, self.type_names, self.return_dtype, self.out_params, \
            self.out_values
        self.env, self.types, self.binding, self.type_names = env, types, {}, type_names
        self.out_params, self.out_values = list(outs), {}
        self.inlining.append(name)
        self.call_lines.append(call_line)
        try:
            if helper.return_type == "void":
                self.return_dtype = None
            else:
                self.return_dtype = self._scalar_type(helper.return_type)
                if self.return_dtype is None:
                    raise Unliftable("return type", helper.line, f"return type '{helper.return_type}' is not lifted")
            value = self._run_helper(statements_of(helper.node.child_by_field_name("body")), helper)
        except Unliftable as inner:
            if inner.message.startswith("in __device__ function"):
                raise  # a helper it calls already named the place
            raise Unliftable(inner.construct, inner.line, f"{where}: {inner.message}") from None
        finally:
            self.inlining.pop()
            self.call_lines.pop()
            written = self.out_values
            self.env, self.types, self.binding, self.type_names, self.return_dtype, self.out_params, \
                self.out_values = saved
        for param, local in outs.items():
            new = written.get(param)
            if new is None:
                raise Unliftable("uninitialised", call_line, f"'{name}' leaves its reference parameter '{param}' "
                                 f"unassigned, and '{local}' had no value")
            self.env[local] = cast(new, self.types[local])
        if value is NO_VALUE and not statement:
            raise Unliftable("call", call_line, f"'{name}' returns no value, but its value is used")
        return value

    def _template_types(self, helper: DeviceFunction, fn_node: Node, args: list, node: Node) -> dict:
        if not helper.template:
            return {}
        found: dict[str, str] = {}
        if fn_node.type == "template_function":
            given = fn_node.child_by_field_name("arguments").named_children
            for tname, arg in zip(helper.template, given):
                dtype = self._scalar_type(text_of(arg))
                if dtype is None:
                    raise Unliftable("template", line_of(node), f"template argument '{text_of(arg)}' is not a "
                                     "scalar type")
                found[tname] = dtype
        for param, arg in zip(helper.params, args):
            if param.type_text not in helper.template or param.type_text in found and fn_node.type == \
                    "template_function":
                continue
            if param.pointer:
                dtype = self.pointers.get(arg.buffer) if isinstance(arg, Ptr) else None
            else:
                dtype = None if isinstance(arg, Ptr) or arg is None else self._scalar(arg, node).dtype
            if dtype is None:
                continue
            if found.setdefault(param.type_text, dtype) != dtype:
                raise Unliftable("template", line_of(node), f"'{param.type_text}' is deduced as both "
                                 f"{found[param.type_text]} and {dtype}")
        missing = [t for t in helper.template if t not in found]
        if missing:
            raise Unliftable("template", line_of(node), f"template parameter '{missing[0]}' cannot be deduced")
        return found

    def _bound_parameters(self, helper: DeviceFunction, args: list, type_names: dict, node: Node):
        env, types = {}, {}
        for param, arg in zip(helper.params, args):
            if param.pointer:
                if not isinstance(arg, Ptr):
                    raise Unliftable("pointer", param.line, f"parameter '{param.name}' is a pointer, but the call "
                                     "does not pass an array parameter of the kernel")
                elem = type_names.get(param.type_text) or SCALAR_TYPES.get(param.type_text)
                if elem != self.pointers[arg.buffer]:
                    raise Unliftable("pointer", param.line, f"parameter '{param.name}' points to {param.type_text}, "
                                     f"the call passes '{arg.buffer}' of {self.pointers[arg.buffer]}")
                env[param.name], types[param.name] = arg, "ptr"
                continue
            dtype = type_names.get(param.type_text) or SCALAR_TYPES.get(param.type_text)
            if dtype is None:
                raise Unliftable(param.type_text, param.line, f"parameter '{param.name}' of type "
                                 f"'{param.type_text}' is not lifted")
            if arg is None:  # an out parameter whose local has no value yet
                env[param.name], types[param.name] = None, dtype
                continue
            value = self._scalar(arg, node)
            env[param.name], types[param.name] = (value if getattr(value, "kind", None) == "thread"
                                                  else cast(value, dtype)), dtype
        return env, types

    def _run_helper(self, stmts: list[Node], helper: DeviceFunction):
        """The returned value of these statements, run in order (None if they end without a return)."""
        for k, stmt in enumerate(stmts):
            if stmt.type == "comment":
                continue
            self.inlined_statements += 1
            if self.inlined_statements > MAX_INLINED_STATEMENTS:
                raise Unliftable("device function", line_of(stmt), f"inlining runs more than {MAX_INLINED_STATEMENTS} "
                                 "statements (each early return copies the rest of the function); not lifted")
            if stmt.type == "return_statement":
                value_node = stmt.named_children[0] if stmt.named_children else None
                self._record_out_values()
                if self.return_dtype is None:
                    if value_node is not None:
                        raise Unliftable("return", line_of(stmt), "a void function returns a value")
                    return NO_VALUE
                if value_node is None:
                    raise Unliftable("return", line_of(stmt), "'return;' in a function that returns a value")
                value = self._scalar(self._expr(value_node), stmt)
                return cast(value, self.return_dtype)
            if stmt.type == "compound_statement" and has_return(stmt):
                return self._run_helper(list(stmt.named_children) + stmts[k + 1:], helper)
            if stmt.type == "if_statement" and has_return(stmt):
                return self._early_return(stmt, stmts[k + 1:], helper)
            if has_return(stmt):
                raise Unliftable("return", line_of(stmt), f"a return inside a {stmt.type.replace('_statement', '')} "
                                 "of a device function is not lifted")
            self._statement(stmt)
        self._record_out_values()
        if self.return_dtype is not None:
            raise Unliftable("return", line_of(helper.node.child_by_field_name("body")),
                             f"'{helper.name}' can reach its end without returning a value")
        return NO_VALUE

    def _record_out_values(self) -> None:
        """The reference parameters' values where the helper returns (its locals still in scope)."""
        self.out_values = {p: self.env.get(p) for p in self.out_params}

    def _early_return(self, node: Node, rest: list[Node], helper: DeviceFunction):
        """if/else where a branch returns: each branch followed by the rest, the results selected."""
        cond = cast(self._condition(self._expr(node.child_by_field_name("condition")), node), "bool")
        self._check_threads(cond, node)
        start_env, start_types, start_stores = dict(self.env), dict(self.types), dict(self.stores)
        then_value = self._run_helper(statements_of(node.child_by_field_name("consequence")) + rest, helper)
        then_stores, then_outs = self.stores, self.out_values
        self.env, self.types, self.stores = dict(start_env), dict(start_types), dict(start_stores)
        else_value = self._run_helper(statements_of(node.child_by_field_name("alternative")) + rest, helper)
        self.env, self.types = start_env, start_types
        self.stores = self._merged_stores(cond, then_stores, self.stores, start_stores)
        self.out_values = {p: _selected(cond, then_outs.get(p), self.out_values.get(p)) for p in self.out_params}
        if then_value is NO_VALUE:
            return NO_VALUE
        if isinstance(cond, Const):
            return then_value if cond.value else else_value
        return then_value if then_value == else_value else Select(self.return_dtype, cond, then_value,
                                                                   else_value)


__all__ = ["DeviceCallLifter", "DeviceFunction", "NO_VALUE", "device_functions", "has_return", "statements_of"]
