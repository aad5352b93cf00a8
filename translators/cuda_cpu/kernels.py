"""One __global__ function -> a host function that runs the whole grid.

Two shapes:
  * one thread per element (`i = blockIdx.x * blockDim.x + threadIdx.x` guarded by `i < n`,
    or a grid-stride loop), 1-D or 2-D: a plain `omp parallel for` over the elements;
  * everything else: `omp parallel for` over the blocks; in a block, a loop over the threads
    for every region between barriers.  Values that live across a barrier become per-thread
    arrays, `__shared__` variables per-block arrays, warp operations reads of per-thread
    arrays filled before the statement runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tree_sitter import Node

from . import plan as planning
from .plan import BARRIERS, WARP_OPS, Branch, Guard, Loop, Scope, Threads, WarpInputs
from .patterns import (_early_exit_bounds, _fresh, _function_name, _global_index, _grid_stride, _guard_bounds, _has_word, _hoisted_type, _innermost, _inside, _inside_alternative, _mentions_builtins, _nested_return, _returns, _type_prefix)
from .gemm import recognise as recognise_gemm
from .histogram import recognise as recognise_histogram
from .reductions import recognise as recognise_reduction
from .boundary import split_boundary
from .rows import recognise as recognise_rows
from .selects import select_for
from .warp_rows import recognise as recognise_warp_rows
from .syntax import Source, called_name, arguments, dedent_block, identifiers, line_of, rewrite, statements_of, text_of, walk

FENCES = {"__threadfence", "__threadfence_block", "__threadfence_system"}
STEP = "    "


@dataclass
class KernelInfo:
    name: str
    elementwise: bool  # launched without grid/block arguments
    dynamic_shared: bool


@dataclass
class KernelProblem:
    line: int
    construct: str
    message: str


@dataclass
class Translated:
    text: str
    info: KernelInfo
    problems: list[KernelProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    idiom: bool = False  # a whole-kernel idiom was recognised (a reduction)


class KernelTranslator:
    def __init__(self, src: Source, func: Node, idioms: bool = True):
        self.idioms = idioms
        self.src = src
        self.func = func
        self.body = func.child_by_field_name("body")
        self.name = _function_name(func)
        self.problems: list[KernelProblem] = []
        self.notes: list[str] = []
        used = set(identifiers(func))
        self.tid = _fresh("tid", used)
        self.nthreads = _fresh("nthreads", used)
        self.exited = _fresh("exited", used)
        self.used = used

    # ---- entry ---------------------------------------------------------------------------
    def translate(self) -> Translated:
        stmts = statements_of(self.body)
        shared = [n for n in walk(self.body) if n.type == "declaration" and _has_word(n, "__shared__")]
        syncs = planning.calls_named(self.body, BARRIERS | WARP_OPS)
        gemm = recognise_gemm(self.src, self.func, self.body, self.name) if self.idioms else None
        if gemm is not None:
            self.notes.append(f"kernel {self.name}: idiom recognised: shared-memory tiled matrix multiply -> "
                              "rows in parallel, i-k-j loop order")
            return Translated(self._signature("", gemm), KernelInfo(self.name, True, False), self.problems,
                              self.notes, idiom=True)
        histogram = recognise_histogram(self.src, self.func, self.body, self.name) if self.idioms else None
        if histogram is not None:
            self.notes.append(f"kernel {self.name}: idiom recognised: shared-memory histogram with atomics -> "
                              "a private histogram per OpenMP thread, merged with omp atomic")
            return Translated(self._signature("", histogram), KernelInfo(self.name, True, False), self.problems,
                              self.notes, idiom=True)
        warp_rows = recognise_warp_rows(self.func, self.body, self._plain) if self.idioms else None
        if warp_rows is not None:
            self.notes.append(f"kernel {self.name}: idiom recognised: one warp per row (lane-stride loop, warp "
                              "shuffle reduction, lane 0 writes) -> rows in parallel, a simd reduction over each row")
            return Translated(self._signature("", warp_rows), KernelInfo(self.name, True, False), self.problems,
                              self.notes, idiom=True)
        rows = recognise_rows(self.src, self.func, self.body, self.name) if self.idioms else None
        if rows is not None:
            self.notes.append(f"kernel {self.name}: idiom recognised: one block per row with block-wide reductions "
                              "-> rows in parallel, plain loops over each row")
            return Translated(self._signature("dim3 gridDim, dim3 blockDim", rows), KernelInfo(self.name, False, False),
                              self.problems, self.notes, idiom=True)
        reduction = recognise_reduction(self.src, self.func, self.body, self.name, self.used) \
            if self.idioms else None
        if reduction is not None:
            self.notes.append(reduction.note)
            return Translated(self._signature("" if reduction.elementwise else "dim3 gridDim, dim3 blockDim",
                                              reduction.text),
                              KernelInfo(self.name, reduction.elementwise, False), self.problems, self.notes,
                              idiom=True)
        if not shared and not syncs:
            simple = self._elementwise(stmts)
            if simple is not None:
                return Translated(simple, KernelInfo(self.name, True, False), self.problems, self.notes)
        text, dynamic = self._blocks(stmts, shared)
        return Translated(text, KernelInfo(self.name, False, dynamic), self.problems, self.notes)

    def _signature(self, extra: str, body: str) -> str:
        def replace(node: Node) -> str | None:
            if node.type in ("__global__",) or text_of(node) == "__global__" and node.parent == self.func:
                return "static"
            if node.parent == self.func and node.type in ("attribute_specifier",) :
                return ""
            if node.type == "call_expression" and called_name(node) == "__launch_bounds__":
                return ""
            if node.type == "parameter_list" and node.parent is not None and \
                    node.parent.type == "function_declarator" and extra:
                inner = self.src.slice(node.start_byte + 1, node.end_byte - 1).strip()
                return f"({extra}, {inner})" if inner and inner != "void" else f"({extra})"
            if node == self.body:
                return body
            return None
        return rewrite(self.src, self.func, replace)

    # ---- one thread per element ----------------------------------------------------------
    def _elementwise(self, stmts: list[Node]) -> str | None:
        stmts = [s for s in stmts if s.type != "comment"]
        indices: dict[str, tuple[str, str]] = {}  # dimension -> (type text, name)
        rest = list(stmts)
        while rest and rest[0].type == "declaration":
            decl = rest[0]
            names = planning.declared_names(decl)
            found: dict[str, tuple[str, str]] = {}
            for name, declarator in names:  # `int i = ..., j = ...;` declares both indices
                value = declarator.child_by_field_name("value") if declarator.type == "init_declarator" else None
                d = _global_index(text_of(value)) if value is not None else None
                if d is None or d in indices or d in found:
                    found = {}
                    break
                found[d] = (_type_prefix(self.src, decl, names[0][1]).strip(), name)
            if not found:
                break
            indices.update(found)
            rest.pop(0)
        if "z" in indices:
            return None
        loops: list[tuple[str, str, str]] = []  # (type, name, bound), outermost first
        starts: dict[str, str] = {}  # dimension -> first index where a guard bounds it from below (`i > 0`)
        body_text = None
        if len(rest) == 1 and rest[0].type == "if_statement" and rest[0].child_by_field_name("alternative") is None \
                and indices:
            bounds = _guard_bounds(rest[0].child_by_field_name("condition"), {n: d for d, (_, n) in indices.items()},
                                   starts)
            if bounds is None or set(bounds) != set(indices):
                return None
            body = rest[0].child_by_field_name("consequence")
            if _mentions_builtins(body) or _returns(body):
                return None
            body_nodes = statements_of(body)
            for d in ("y", "x"):
                if d in indices:
                    loops.append((indices[d][0], indices[d][1], bounds[d]))
            body_text = self._plain(body)
        elif len(rest) >= 2 and "x" in indices and \
                _early_exit_bounds(rest[0], {n: d for d, (_, n) in indices.items()}) is not None:
            bounds = _early_exit_bounds(rest[0], {n: d for d, (_, n) in indices.items()})
            body_nodes = list(rest[1:])
            if set(bounds) != set(indices) or any(_mentions_builtins(s) for s in body_nodes) or \
                    any(_nested_return(s) for s in body_nodes):
                return None
            for d in ("y", "x"):
                if d in indices:
                    loops.append((indices[d][0], indices[d][1], bounds[d]))
            body_text = "{\n" + "\n".join(STEP + line for s in body_nodes
                                          for line in self._plain(s, returns="continue;").splitlines()) + "\n}"
        elif len(rest) == 1 and rest[0].type == "for_statement" and not indices:
            loop = _grid_stride(self.src, rest[0])
            if loop is None:
                return None
            type_text, name, bound, body = loop
            if _mentions_builtins(body) or _returns(body):
                return None
            body_nodes = statements_of(body)
            loops.append((type_text, name, bound))
            body_text = self._plain(body)
        else:
            return None
        # Iterations are independent threads, so the element loop may be vectorised (simd) unless
        # it holds atomics.  2-D: parallel over rows and the contiguous inner loop vectorised
        # (collapse(2) fuses the two loops into one, which gcc then does not vectorise).
        simd = not any(n.type == "call_expression" and (called_name(n) or "").startswith("atomic")
                       for n in walk(self.body))
        if len(loops) == 1 and simd:
            lines = ["#pragma omp parallel for simd schedule(static)"]
        else:
            lines = ["#pragma omp parallel for schedule(static)"]
        self.notes.append(f"kernel {self.name}: idiom recognised: one thread per element -> "
                          f"a parallel loop over the elements")
        # a boundary test at the end of the body (a stencil's edge) moves into the loop bounds
        hoisted = None if starts else split_boundary(self.func, loops, [n for n in body_nodes if n.type != "comment"],
                                                     self._plain, simd, lines[0])
        if hoisted is not None:
            self.notes.append(f"kernel {self.name}: the boundary test moves out of the element loop "
                              "(boundary rows and edge elements apart, the interior loop without the test)")
            lines = hoisted
        else:
            first = {name: starts[d] for d, (_, name) in indices.items() if d in starts}
            lines += self._element_loops(loops, body_text, simd, first)
        lines.insert(0, "// idiom: one thread per element -> a parallel loop over the elements")
        body = "{\n" + "\n".join(STEP + l if l.strip() else l for l in lines) + "\n}"
        return self._signature("", body)

    @staticmethod
    def _element_loops(loops: list[tuple[str, str, str]], body_text: str, simd: bool,
                       first: dict[str, str]) -> list[str]:
        lines = []
        for depth, (type_text, name, bound) in enumerate(loops):
            if depth == 1 and simd:
                lines.append(STEP + "#pragma omp simd")
            start = first.get(name, "0")
            lines.append(STEP * depth + f"for ({type_text} {name} = {start}; {name} < {bound}; ++{name})")
        body_lines = body_text.splitlines()
        if body_text.lstrip().startswith("{"):
            lines[-1] += " " + body_lines[0]
            lines += [STEP * (len(loops) - 1) + l for l in body_lines[1:]]
        else:
            lines += [STEP * len(loops) + l for l in body_lines]
        return lines

    def _plain(self, node: Node, returns: str | None = None) -> str:
        def replace(n: Node) -> str | None:
            if n.type == "return_statement" and returns is not None:
                return returns
            return self._common(n, replace)
        return dedent_block(rewrite(self.src, node, replace))

    def _common(self, n: Node, thread_replace) -> str | None:
        if n.type == "call_expression":
            name = called_name(n)
            if name in FENCES:
                return "(void)0"
            if name == "__ldg":
                args = arguments(n)
                if len(args) == 1:
                    return f"(*({rewrite(self.src, args[0], thread_replace)}))"
            if name == "__activemask":
                return "0xffffffffu"
            return select_for(n, lambda arg: rewrite(self.src, arg, thread_replace))
        return None

    # ---- blocks and threads ------------------------------------------------------------
    def _blocks(self, stmts: list[Node], shared: list[Node]) -> tuple[str, bool]:
        plan = planning.build(stmts)
        for p in plan.problems:
            self.problems.append(KernelProblem(p.line, p.construct, p.message))
        self.plan = plan
        self.per_thread = self._live_across_barriers(plan.items)
        self.warp_values: dict[int, tuple[str, str]] = {}  # call id -> (array name, replacement)
        has_barriers = any(True for _ in planning.regions(plan.items)) and (
            len(list(planning.regions(plan.items))) > 1)
        self.track_exit = has_barriers and any(n.type == "return_statement" for n in walk(self.body))
        self.goto_labels = 0

        self.thread_dims = {text_of(n.children[-1]) for n in walk(self.body) if n.type == "field_expression"
                            and n.named_children and text_of(n.named_children[0]) in ("threadIdx", "blockDim")}
        used_dims = {text_of(n.children[-1]) for n in walk(self.body) if n.type == "field_expression"
                     and n.named_children and text_of(n.named_children[0]) in ("blockIdx", "gridDim")}
        lines: list[str] = [f"const unsigned {self.nthreads} = blockDim.x * blockDim.y * blockDim.z;"]
        inner: list[str] = []
        dynamic = False
        if "z" in used_dims:
            lines += ["#pragma omp parallel for collapse(3)",
                      "for (unsigned bz = 0; bz < gridDim.z; ++bz)",
                      STEP + "for (unsigned by = 0; by < gridDim.y; ++by)",
                      STEP * 2 + "for (unsigned bx = 0; bx < gridDim.x; ++bx) {"]
            block_indent, block_idx = STEP * 3, "const dim3 blockIdx(bx, by, bz);"
        elif "y" in used_dims:
            lines += ["#pragma omp parallel for collapse(2)",
                      "for (unsigned by = 0; by < gridDim.y; ++by)",
                      STEP + "for (unsigned bx = 0; bx < gridDim.x; ++bx) {"]
            block_indent, block_idx = STEP * 2, "const dim3 blockIdx(bx, by);"
        else:
            lines += ["#pragma omp parallel for", "for (unsigned bx = 0; bx < gridDim.x; ++bx) {"]
            block_indent, block_idx = STEP, "const dim3 blockIdx(bx);"
        inner.append(block_idx)
        for decl in shared:
            if _has_word(decl, "extern"):
                dynamic = True
                for name, declarator in planning.declared_names(decl):
                    type_text = _type_prefix(self.src, decl, declarator).replace("extern", "").replace(
                        "__shared__", "").strip()
                    inner.append(f"{type_text}* {name} = reinterpret_cast<{type_text}*>(dynamic_shared.data());")
            else:
                text = text_of(decl).replace("__shared__", "").strip()
                inner.append(re.sub(r"\s+", " ", text) if "\n" not in text else text)
        if dynamic:
            inner.insert(1, "std::vector<unsigned char> dynamic_shared(dynamic_shared_bytes);  // sized by the launch")
        for name in sorted(self.per_thread, key=self._declaration_order):
            type_text = self.per_thread[name]
            inner.append(f"{type_text} {name}[kMaxBlockThreads];  // per thread: live across a barrier")
        if self.track_exit:
            inner.append(f"bool {self.exited}[kMaxBlockThreads] = {{}};  // threads that returned")
        self.guards: list[str] = []
        self.guards_declared: list[str] = []
        body_lines = self._items(plan.items)
        for array in self.guards_declared:
            inner.append(f"bool {array}[kMaxBlockThreads];  // threads that take a branch around warp operations")
        # the warp arrays are known only once the items are rendered
        for array, type_text in self.warp_arrays:
            inner.append(f"{type_text} {array}[kMaxBlockThreads];  // values read by a warp operation")
        inner += body_lines
        lines += [block_indent + l if l.strip() else l for l in inner]
        lines.append(block_indent[:-len(STEP)] + "}")
        body = "{\n" + "\n".join(STEP + l if l.strip() else l for l in lines) + "\n}"
        extra = "dim3 gridDim, dim3 blockDim" + (", std::size_t dynamic_shared_bytes" if dynamic else "")
        kind = "barriers" if has_barriers else "no barriers"
        self.notes.append(f"kernel {self.name}: blocks in parallel, threads as loops ({kind})")
        return self._signature(extra, body), dynamic

    def _declaration_order(self, name: str) -> int:
        return self.declaration_sites.get(name, 0)

    def _live_across_barriers(self, items: list) -> dict[str, str]:
        """Variables declared in one thread region and used in another (or in a block-level header)."""
        declared: dict[str, tuple[int, Node, Node]] = {}
        referenced: list[set[str]] = []
        self.declaration_sites: dict[str, int] = {}
        for index, region in enumerate(planning.regions(items)):
            names: set[str] = set()
            if isinstance(region, Threads):
                for stmt in region.stmts:
                    if stmt.type == "declaration" and not _has_word(stmt, "__shared__"):
                        for name, declarator in planning.declared_names(stmt):
                            declared.setdefault(name, (index, stmt, declarator))
                            self.declaration_sites.setdefault(name, stmt.start_byte)
                    names.update(identifiers(stmt))
            elif isinstance(region, Guard):
                names.update(identifiers(region.node.child_by_field_name("condition")))
            else:
                for call in region.calls:
                    names.update(identifiers(call))
            referenced.append(names)
        header_names: set[str] = set()
        for header in planning.headers(items):
            node = header.node
            body = node.child_by_field_name("body") or node.child_by_field_name("consequence")
            for n in walk(node):
                if n.type == "identifier" and not _inside(n, body) and not _inside_alternative(n, header):
                    header_names.add(text_of(n))
        out: dict[str, str] = {}
        for name, (index, decl, declarator) in declared.items():
            elsewhere = name in header_names or any(name in refs for i, refs in enumerate(referenced) if i != index)
            if not elsewhere:
                continue
            if _innermost(declarator).type == "array_declarator" or "[" in text_of(
                    declarator.child_by_field_name("declarator") or declarator):
                self.problems.append(KernelProblem(line_of(decl), "per-thread array live across a barrier",
                                                   f"the array '{name}' of each thread is used on both sides of a "
                                                   f"__syncthreads() or warp operation"))
                continue
            out[name] = _hoisted_type(self.src, decl, declarator)
        return out

    # ---- rendering -----------------------------------------------------------------------
    def _items(self, items: list) -> list[str]:
        if not hasattr(self, "warp_arrays"):
            self.warp_arrays: list[tuple[str, str]] = []
        out: list[str] = []
        for item in items:
            if isinstance(item, Threads):
                out += self._thread_loop(item.stmts)
            elif isinstance(item, WarpInputs):
                out += self._warp_inputs(item)
            elif isinstance(item, Loop):
                out += self._loop(item)
            elif isinstance(item, Branch):
                cond = self._uniform(item.node.child_by_field_name("condition"))
                out.append(f"if {cond} {{")
                out += [STEP + l if l.strip() else l for l in self._items(item.then)]
                if item.other is not None:
                    out.append("} else {")
                    out += [STEP + l if l.strip() else l for l in self._items(item.other)]
                out.append("}")
            elif isinstance(item, Guard):
                out += self._guard(item)
            elif isinstance(item, Scope):
                out.append("{")
                out += [STEP + l if l.strip() else l for l in self._items(item.body)]
                out.append("}")
        return out

    def _guard(self, item: Guard) -> list[str]:
        array = f"active_{len(self.guards_declared)}"
        self.guards_declared.append(array)
        condition = item.node.child_by_field_name("condition")
        lines = self._thread_header([condition])
        lines.append(STEP + f"{array}[{self.tid}] = {rewrite(self.src, condition, self._thread_replace)};")
        lines.append("}")
        self.guards.append(array)
        lines += self._items(item.body)
        self.guards.pop()
        return lines

    def _loop(self, item: Loop) -> list[str]:
        node = item.node
        body = node.child_by_field_name("body")
        inner = [STEP + l if l.strip() else l for l in self._items(item.body)]
        if node.type == "do_statement":
            cond = self._uniform(node.child_by_field_name("condition"))
            return ["do {"] + inner + [f"}} while {cond};"]
        marker = "\x00BODY\x00"

        def replace(n: Node) -> str | None:
            if n == body:
                return marker
            return self._block_replace(n)
        header = rewrite(self.src, node, replace).split(marker)[0].rstrip()
        header = re.sub(r"\s*\n\s*", " ", header)
        return [f"{header} {{"] + inner + ["}"]

    def _uniform(self, node: Node) -> str:
        return re.sub(r"\s*\n\s*", " ", rewrite(self.src, node, self._block_replace))

    def _block_replace(self, n: Node) -> str | None:
        """Block-level code (headers of loops around barriers): a per-thread value is read from thread 0."""
        if n.type == "identifier" and text_of(n) in self.per_thread:
            return f"{text_of(n)}[0]"
        return None

    def _thread_header(self, nodes: list[Node]) -> list[str]:
        uses_index = any(n.type == "identifier" and text_of(n) == "threadIdx" for node in nodes for n in walk(node))
        dims = self.thread_dims
        if uses_index and dims != {"x"} and dims:
            # 2-D/3-D blocks: nested loops, no division per thread
            lines = ["for (unsigned tz = 0; tz < blockDim.z; ++tz)",
                     "for (unsigned ty = 0; ty < blockDim.y; ++ty)",
                     "for (unsigned tx = 0; tx < blockDim.x; ++tx) {"]
            if self.per_thread or self.track_exit or planning.calls_named(self.body, WARP_OPS) or self.guards:
                lines.append(STEP + f"const unsigned {self.tid} = (tz * blockDim.y + ty) * blockDim.x + tx;")
            index = "const dim3 threadIdx(tx, ty, tz);"
        else:
            lines = [f"for (unsigned {self.tid} = 0; {self.tid} < {self.nthreads}; ++{self.tid}) {{"]
            index = f"const dim3 threadIdx = thread_index({self.tid}, blockDim);"
        if self.track_exit:
            lines.append(STEP + f"if ({self.exited}[{self.tid}]) continue;")
        for guard in self.guards:
            lines.append(STEP + f"if (!{guard}[{self.tid}]) continue;")
        if uses_index:
            lines.append(STEP + index)
        return lines

    def _thread_loop(self, stmts: list[Node]) -> list[str]:
        self.label = None
        texts = [self._thread_text(s) for s in stmts]
        lines = self._thread_header(stmts)
        body: list[str] = []
        for text in texts:
            body += text.splitlines()
        if self.label is not None:
            lines.append(STEP + "{")
            lines += [STEP * 2 + l if l.strip() else l for l in body]
            lines.append(STEP + "}")
            lines.append(STEP + f"{self.label}:;")
        else:
            lines += [STEP + l if l.strip() else l for l in body]
        lines.append("}")
        return lines

    def _thread_text(self, stmt: Node) -> str:
        return dedent_block(rewrite(self.src, stmt, self._thread_replace))

    def _thread_replace(self, n: Node) -> str | None:
        t = n.type
        if t == "identifier" and text_of(n) in self.per_thread:
            return f"{text_of(n)}[{self.tid}]"
        if t == "declaration":
            if _has_word(n, "__shared__"):
                return ""
            names = planning.declared_names(n)
            if any(name in self.per_thread for name, _ in names):
                return self._declaration_as_assignments(n, names)
        if t == "return_statement":
            return self._return(n)
        if t == "call_expression" and n.id in self.warp_values:
            return self.warp_values[n.id][1]
        if t == "call_expression" and called_name(n) in BARRIERS:
            return "(void)0"
        return self._common(n, self._thread_replace)

    def _declaration_as_assignments(self, decl: Node, names: list[tuple[str, Node]]) -> str:
        parts = []
        for name, declarator in names:
            value = declarator.child_by_field_name("value") if declarator.type == "init_declarator" else None
            if name in self.per_thread:
                if value is not None:
                    parts.append(f"{name}[{self.tid}] = {rewrite(self.src, value, self._thread_replace)};")
            else:
                prefix = _type_prefix(self.src, decl, names[0][1]).strip()
                parts.append(f"{prefix} {rewrite(self.src, declarator, self._thread_replace)};")
        return " ".join(parts)

    def _return(self, n: Node) -> str:
        nested = False
        node = n.parent
        while node is not None and node != self.body:
            if node.type in planning.LOOPS or node.type == "switch_statement":
                nested = True
            node = node.parent
        mark = f"{self.exited}[{self.tid}] = true; " if self.track_exit else ""
        if nested:
            if self.label is None:
                self.goto_labels += 1
                self.label = f"next_thread_{self.goto_labels}"
            jump = f"goto {self.label};"
        else:
            jump = "continue;"
        return f"{{ {mark}{jump} }}" if mark else jump

    def _warp_inputs(self, item: WarpInputs) -> list[str]:
        lines = self._thread_header(item.calls)
        for call in item.calls:
            name = called_name(call)
            args = arguments(call)
            array = f"warp_value_{len(self.warp_arrays)}"
            vote = name in ("__ballot_sync", "__any_sync", "__all_sync")
            if len(args) < 2:
                self.problems.append(KernelProblem(line_of(call), name, "expected a mask and a value"))
                continue
            value = args[1]
            type_text = "int" if vote else self._value_type(value)
            self.warp_arrays.append((array, type_text))
            value_text = rewrite(self.src, value, self._thread_replace)
            lines.append(STEP + f"{array}[{self.tid}] = {'(' + value_text + ') ? 1 : 0' if vote else value_text};")
            if vote:
                ballot = f"warp_ballot({array}, {self.tid}, {self.nthreads})"
                replacement = {"__ballot_sync": ballot, "__any_sync": f"({ballot} != 0u)",
                               "__all_sync": f"warp_all({array}, {self.tid}, {self.nthreads})"}[name]
            else:
                if len(args) < 3:
                    self.problems.append(KernelProblem(line_of(call), name, "expected a lane argument"))
                    continue
                lane = rewrite(self.src, args[2], self._thread_replace)
                width = rewrite(self.src, args[3], self._thread_replace) if len(args) > 3 else "32"
                source = {"__shfl_sync": "shfl_idx_source", "__shfl_up_sync": "shfl_up_source",
                          "__shfl_down_sync": "shfl_down_source", "__shfl_xor_sync": "shfl_xor_source"}[name]
                replacement = f"{array}[{source}({self.tid}, {lane}, {width}, {self.nthreads})]"
            self.warp_values[call.id] = (array, replacement)
        lines.append("}")
        return lines

    def _value_type(self, value: Node) -> str:
        if value.type == "identifier":
            name = text_of(value)
            if name in self.per_thread:
                return self.per_thread[name]
            for decl in walk(self.func):
                if decl.type in ("declaration", "parameter_declaration"):
                    for declared, declarator in planning.declared_names(decl) if decl.type == "declaration" else \
                            [(text_of(d), decl) for d in walk(decl) if d.type == "identifier"][-1:]:
                        if declared == name:
                            return _hoisted_type(self.src, decl, declarator)
        return "double"


def translate_kernel(src: Source, func: Node, idioms: bool = True) -> Translated:
    return KernelTranslator(src, func, idioms).translate()
