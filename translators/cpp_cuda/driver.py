"""Translate the entry of a C++ file: kernels for parallel nests, a host function that drives them."""

from __future__ import annotations

import re
from pathlib import Path

from tree_sitter import Node

from ...verify.cuda import extents as extent_rules
from ...verify.cuda.signature import choose_entry, read_source
from ...verify.errors import VerifyInputError
from ..cuda_cpu.syntax import Source, dedent_block, line_of, rewrite, statements_of, text_of, walk
from . import RuleTranslation, Unsupported
from .analysis import Nest, NotParallel, Variable, _declared_inside, analyse
from .kernels import STEP, device_text, final_pass, final_pass_name, free_variables, kernel, launch
from .loops import normalize

PRELUDE = """\
#include <cuda_runtime.h>
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

// Stop with the file and line of a failing CUDA call.
#define CUDA_CHECK(call)                                                              \\
    do {                                                                              \\
        cudaError_t err_ = (call);                                                    \\
        if (err_ != cudaSuccess) {                                                    \\
            std::fprintf(stderr, "CUDA error %s at %s:%d\\n", cudaGetErrorString(err_), \\
                         __FILE__, __LINE__);                                         \\
            std::exit(1);                                                             \\
        }                                                                             \\
    } while (0)

constexpr int kBlockSize = 256;   // threads per block of 1-D kernels (a power of two: tree reductions)
constexpr int kTile = 16;         // threads per block edge of 2-D kernels
constexpr int kMaxBlocks = 4096;  // grid-stride loops cover any larger size
"""


class Fail(Exception):
    def __init__(self, line: int | None, construct: str, message: str):
        self.problem = Unsupported(line, construct, message)


def translate(path: Path, entry_name: str | None, shapes: dict[str, str], values: dict[str, str]) -> RuleTranslation:
    try:
        return _translate(path, entry_name, shapes, values)
    except Fail as fail:
        return RuleTranslation(code=None, unsupported=[fail.problem])


def _translate(path: Path, entry_name: str | None, shapes: dict[str, str], values: dict[str, str]) -> RuleTranslation:
    try:
        source_file = read_source(path, "cpp")
        if source_file.has_main and not entry_name:
            line = source_file.text[:source_file.text.find("main(")].count("\n") + 1
            raise Fail(line, "main()", "a whole program is not translated by the rules, only a function "
                                       "under the unit-mode convention (choose one with --entry)")
        entry = choose_entry(source_file, entry_name)
        extents = extent_rules.resolve(entry, [source_file], shapes, values)
    except VerifyInputError as exc:
        raise Fail(getattr(exc, "line", None), getattr(exc, "construct", None) or "entry", str(exc)) from None
    except OSError as exc:
        raise Fail(None, "file", f"cannot read {path}: {exc}") from None
    src = Source(source_file.text, "cpp")
    for node in walk(src.tree.root_node):
        if node.type == "ERROR":
            raise Fail(line_of(node), "syntax error", f"cannot parse '{text_of(node)[:40]}'")
    func = _find_function(src, entry.name)
    if func is None:
        raise Fail(entry.line, "entry", f"cannot find the definition of {entry.name}")
    functions = {_name(f) for f in walk(src.tree.root_node) if f.type == "function_definition"} - {entry.name}
    variables = _variables(func, entry)
    body = func.child_by_field_name("body")
    builder = HostBuilder(src, entry, variables, extents.shapes, functions, func)
    new_body = builder.build(statements_of(body))
    device_functions = builder.called_functions

    def replace(node: Node) -> str | None:
        if node == body:
            return new_body
        if node.type == "function_definition" and node != func and _name(node) in device_functions:
            return "__host__ __device__ " + device_text(text_of(node))
        return None
    program = rewrite(src, src.tree.root_node, replace)
    kernels = "\n\n".join(builder.kernels + [final_pass(r) for r in builder.final_passes.values()])
    if kernels:
        program = _insert_before(program, func, src, kernels + "\n\n")
    code = f"// CUDA translation of {path.name}.\n" + PRELUDE + "\n" + program.lstrip("\n")
    if not code.endswith("\n"):
        code += "\n"
    return RuleTranslation(code=code, notes=builder.notes)


def _insert_before(program: str, func: Node, src: Source, text: str) -> str:
    """Kernels go right before the entry (after the helpers they call)."""
    marker = src.slice(func.start_byte, min(func.end_byte, func.start_byte + 80))
    head = src.slice(func.start_byte, func.child_by_field_name("body").start_byte)
    at = program.find(head)
    if at < 0:
        at = program.find(marker)
    return program[:at] + text + program[at:] if at >= 0 else program + "\n" + text


def _name(func: Node) -> str:
    from ...verify.cuda.parse import function_name
    return function_name(func) or ""


def _find_function(src: Source, name: str) -> Node | None:
    for node in walk(src.tree.root_node):
        if node.type == "function_definition" and _name(node) == name and node.child_by_field_name("body"):
            return node
    return None


def _variables(func: Node, entry) -> dict[str, Variable]:
    out = {p.name: Variable(p.name, p.type_text, p.pointer, p.const) for p in entry.params}
    body = func.child_by_field_name("body")
    for stmt in statements_of(body):
        if stmt.type != "declaration":
            continue
        type_node = stmt.child_by_field_name("type")
        type_text = text_of(type_node) if type_node is not None else "auto"
        for child in stmt.named_children:
            target = child.child_by_field_name("declarator") if child.type == "init_declarator" else child
            if target is None:
                continue
            if target.type == "identifier":
                local_container = type_text.startswith("std::") and "vector" in type_text or type_text == "auto"
                out[text_of(target)] = Variable(text_of(target), type_text, False, False, array_local=local_container)
            elif target.type in ("array_declarator", "pointer_declarator"):
                inner = target
                while inner is not None and inner.type != "identifier":
                    inner = inner.child_by_field_name("declarator")
                if inner is not None:
                    table = None
                    value = child.child_by_field_name("value") if child.type == "init_declarator" else None
                    if value is not None and value.type == "initializer_list" and target.type == "array_declarator" \
                            and "const" in text_of(stmt).split("=")[0].split():
                        table = " ".join(text_of(stmt).split())
                    out[text_of(inner)] = Variable(text_of(inner), type_text, False, False, array_local=True,
                                                   constant_table=table)
    return out


class HostBuilder:
    def __init__(self, src: Source, entry, variables: dict[str, Variable], shapes: dict[str, str],
                 functions: set[str], func: Node):
        self.src = src
        self.entry = entry
        self.variables = variables
        # '(m)*(k)' -> 'm*k': inferred extents parenthesise every factor
        self.shapes = {name: re.sub(r"\((\w+)\)", r"\1", expr) for name, expr in shapes.items()}
        self.functions = functions
        self.kernels: list[str] = []
        self.final_passes: dict[str, object] = {}
        self.notes: list[str] = []
        self.called_functions: set[str] = set()
        self.used = {text_of(n) for n in walk(func) if n.type == "identifier"}
        self.device: dict[str, str] = {}
        self.device_fresh: set[str] = set()
        self.host_fresh: set[str] = {name for name, v in variables.items() if v.pointer}
        self.allocated = False
        self.device_written: set[str] = set()
        self.nests: dict[int, Nest] = {}

    def fresh(self, name: str) -> str:
        while name in self.used:
            name += "_"
        self.used.add(name)
        return name

    # ---- planning ------------------------------------------------------------------------
    def _nest(self, node: Node) -> Nest | str:
        try:
            nest = analyse(node, self.variables, self.functions)
        except NotParallel as reason:
            return str(reason)
        exclude = _declared_inside(node) | {l.var for l in nest.loops} | {r.name for r in nest.reductions} | \
            {r.index for r in nest.reductions if r.index}
        nest.free = free_variables(node, self.variables, exclude)
        # constant tables are repeated in the kernel, not passed
        nest.tables = [self.variables[v].constant_table for v in nest.free if self.variables[v].constant_table]
        nest.free = [v for v in nest.free if not self.variables[v].constant_table]
        order = list(self.variables)
        nest.free.sort(key=order.index)  # the kernel's parameters in the host function's order
        for r in nest.reductions:
            from .kernels import identity
            if identity(r) is None:
                return f"a {r.op} reduction over {r.type_text} is not supported"
        for name in nest.free:
            if self.variables[name].pointer and name not in self.shapes:
                return f"the extent of '{name}' is unknown"
        return nest

    def build(self, stmts: list[Node]) -> str:
        out: list[str] = []
        plans = []
        for stmt in stmts:
            plan = None
            if stmt.type == "for_statement":
                plan = self._nest(stmt)
                if isinstance(plan, str):
                    inner = self._launch_loop(stmt)
                    if inner is not None:
                        plan = ("loop", inner, plan)
            plans.append((stmt, plan))
        kernel_indices = [i for i, (_, p) in enumerate(plans) if isinstance(p, (Nest, tuple))]
        if not kernel_indices:
            self.notes.append("no loop nest could run in parallel; the function runs on the host")
        for index, (stmt, plan) in enumerate(plans):
            is_last = index == len(plans) - 1
            if kernel_indices and index == kernel_indices[0]:
                out += self._allocate()
            if stmt.type == "return_statement" and kernel_indices and index > kernel_indices[0]:
                if not is_last:
                    raise Fail(line_of(stmt), "return", "a return after the first kernel, before the end of the "
                                                        "function, is not supported")
                out += self._finish()
                out += self._host_statement(stmt)
                continue
            if isinstance(plan, Nest):
                out += self._kernel_statement(stmt, plan)
            elif isinstance(plan, tuple):
                out += self._loop_of_launches(stmt, plan[1], plan[2])
            else:
                if isinstance(plan, str):
                    out.append(f"// stays on the host: {plan}")
                    self.notes.append(f"line {line_of(stmt)}: the loop stays on the host: {plan}")
                if any(n.type == "return_statement" for n in walk(stmt)) and kernel_indices and \
                        index > kernel_indices[0]:
                    raise Fail(line_of(stmt), "return", "a return after the first kernel is not supported")
                out += self._host_statement(stmt)
        if kernel_indices and (not plans or plans[-1][0].type != "return_statement"):
            out += self._finish()
        return "{\n" + "\n".join(STEP + l if l.strip() else l for l in out) + "\n}"

    def _launch_loop(self, stmt: Node) -> list | None:
        """A sequential loop whose body is parallel nests (and statements without arrays): successive launches."""
        body = stmt.child_by_field_name("body")
        inner = []
        any_nest = False
        # the loop's own variables reach the kernels as scalar arguments
        header = stmt.child_by_field_name("initializer")
        for decl in ([header] if header is not None and header.type == "declaration" else []) + \
                [s for s in statements_of(body) if s.type == "declaration"]:
            type_node = decl.child_by_field_name("type")
            for child in decl.named_children:
                target = child.child_by_field_name("declarator") if child.type == "init_declarator" else None
                if target is not None and target.type == "identifier" and type_node is not None:
                    self.variables.setdefault(text_of(target), Variable(text_of(target), text_of(type_node),
                                                                        False, False))
        for s in statements_of(body):
            if s.type == "for_statement":
                plan = self._nest(s)
                if isinstance(plan, Nest):
                    any_nest = True
                    inner.append((s, plan))
                    continue
            if any(n.type == "identifier" and text_of(n) in self.variables and self.variables[text_of(n)].pointer
                   for n in walk(s)) or any(n.type in ("return_statement", "break_statement") for n in walk(s)):
                return None
            inner.append((s, None))
        return inner if any_nest else None

    # ---- emission ------------------------------------------------------------------------
    def _allocate(self) -> list[str]:
        lines = ["// Device copies of the arrays."]
        for name, var in self.variables.items():
            if not var.pointer or name not in self.shapes:
                continue
            d = self.fresh(f"d_{name}")
            self.device[name] = d
            lines.append(f"{var.type_text}* {d} = nullptr;")
            lines.append(f"CUDA_CHECK(cudaMalloc(&{d}, (size_t)({self.shapes[name]}) * sizeof({var.type_text})));")
        self.allocated = True
        return lines

    def _copy_in(self, nest: Nest) -> list[str]:
        lines = []
        for name in nest.free:
            var = self.variables[name]
            if not var.pointer or name in self.device_fresh:
                continue
            if name in nest.reads or name not in nest.writes or not self._covers(nest, name):
                lines.append(f"CUDA_CHECK(cudaMemcpy({self.device[name]}, {name}, (size_t)({self.shapes[name]}) * "
                             f"sizeof({var.type_text}), cudaMemcpyHostToDevice));")
            self.device_fresh.add(name)
        return lines

    def _covers(self, nest: Nest, name: str) -> bool:
        """Every element of the array is written by the nest (so its old values need not be copied in)."""
        if name in nest.conditional_writes or any(l.lo.strip() != "0" for l in nest.loops):
            return False
        sub = normalize(nest.write_subscripts.get(name, ""))
        extent = normalize(self.shapes.get(name, ""))
        loops = nest.loops
        if len(loops) == 1:
            return sub == loops[0].var and extent == normalize(loops[0].hi)
        outer, inner = loops
        return sub in (f"{outer.var}*{normalize(inner.hi)}+{inner.var}",) and \
            extent in (f"{normalize(outer.hi)}*{normalize(inner.hi)}", f"({normalize(outer.hi)})*({normalize(inner.hi)})")

    def _after_kernel(self, nest: Nest) -> None:
        for name in nest.writes:
            self.host_fresh.discard(name)
            self.device_written.add(name)

    def _register_kernel(self, nest: Nest) -> str:
        name = self.fresh(f"{self.entry.name}_kernel{len(self.kernels)}" if self.kernels else f"{self.entry.name}_kernel")
        loops = nest.loops
        if nest.reductions:
            what = ", ".join(f"the {r.op} reduction of '{r.name}'" for r in nest.reductions)
            reason = (f"One thread per iteration of '{loops[0].var}' (grid-stride), then {what}: "
                      f"a shared-memory tree per block and a second pass over the blocks.")
        elif len(loops) == 2:
            reason = (f"One thread per ('{loops[0].var}', '{loops[1].var}') pair (2-D grid-stride): "
                      f"the iterations are independent.")
        else:
            reason = f"One thread per iteration of '{loops[0].var}' (grid-stride): the iterations are independent."
        self.kernels.append(kernel(name, nest, self.variables, reason))
        for r in nest.reductions:
            self.final_passes[final_pass_name(r)] = r
        for n in walk(nest.body):
            if n.type == "call_expression":
                callee = n.child_by_field_name("function")
                if callee is not None and text_of(callee) in self.functions:
                    self.called_functions.add(text_of(callee))
        self.notes.append(f"line {line_of(nest.node)}: kernel {name}: " + reason)
        return name

    def _kernel_statement(self, stmt: Node, nest: Nest) -> list[str]:
        name = self._register_kernel(nest)
        lines = self._copy_in(nest)
        lines += [f"// {text_of(stmt).splitlines()[0].strip()}  ->  {name}"]
        lines += launch(name, nest, self.variables, self.device, self.fresh)
        self._after_kernel(nest)
        return lines

    def _loop_of_launches(self, stmt: Node, inner: list, reason: str) -> list[str]:
        lines = []
        for s, nest in inner:
            if nest is not None:
                lines += self._copy_in(nest)
        body = stmt.child_by_field_name("body")
        header = self.src.slice(stmt.start_byte, body.start_byte).strip()
        lines.append(f"// sequential: {reason}; each iteration launches its kernels")
        lines.append(header + " {")
        for s, nest in inner:
            if nest is None:
                lines += [STEP + l for l in dedent_block(text_of(s)).splitlines()]
            else:
                name = self._register_kernel(nest)
                lines += [STEP + l for l in launch(name, nest, self.variables, self.device, self.fresh)]
        lines.append("}")
        for s, nest in inner:
            if nest is not None:
                self._after_kernel(nest)
        self.notes.append(f"line {line_of(stmt)}: sequential loop of launches: {reason}")
        return lines

    def _host_statement(self, stmt: Node) -> list[str]:
        lines = []
        touched = [text_of(n) for n in walk(stmt) if n.type == "identifier" and text_of(n) in self.variables
                   and self.variables[text_of(n)].pointer]
        for name in dict.fromkeys(touched):
            if name not in self.host_fresh:
                lines.append(f"CUDA_CHECK(cudaMemcpy({name}, {self.device[name]}, (size_t)({self.shapes[name]}) * "
                             f"sizeof({self.variables[name].type_text}), cudaMemcpyDeviceToHost));")
                self.host_fresh.add(name)
            if not self.variables[name].const:
                self.device_fresh.discard(name)
        return lines + dedent_block(text_of(stmt)).splitlines()

    def _finish(self) -> list[str]:
        lines = ["CUDA_CHECK(cudaDeviceSynchronize());"]
        for name in self.device:
            if name in self.device_written and name not in self.host_fresh:
                lines.append(f"CUDA_CHECK(cudaMemcpy({name}, {self.device[name]}, (size_t)({self.shapes[name]}) * "
                             f"sizeof({self.variables[name].type_text}), cudaMemcpyDeviceToHost));")
                self.host_fresh.add(name)
        lines += [f"CUDA_CHECK(cudaFree({d}));" for d in self.device.values()]
        return lines
