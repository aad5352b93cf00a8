"""One block per row (softmax, layer norm, row sums): the block's threads share out a row with
block-stride loops and combine their partial values with a shared-memory tree or xor shuffles.
On a CPU one iteration of a parallel loop takes the whole row, and each block-stride loop becomes
a plain loop over the row (a `simd reduction` where it accumulates).

The kernel body is a sequence of:
  * block-level statements (no thread index, shared memory, barrier, warp operation or atomic);
  * `T v = init;` and a block-stride loop `for (int c = threadIdx.x; c < E; c += S) v += e;`
    (`v = fmaxf(v, e)`, min/max alike): v is this thread's partial value;
  * its combination: `for (int m = 16; m > 0; m >>= 1) v += __shfl_xor_sync(mask, v, m);`, or
    `red[threadIdx.x] = v; __syncthreads(); <halving tree>; w = red[0];` (w may be v);
  * block-stride loops that only use combined values (writing the row's outputs);
  * barriers.
The stride S is assumed to be the block size (`blockDim.x` or the launch's constant); the
verifier checks the result, and the literal translation is the fallback.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from .plan import BARRIERS, WARP_OPS, declared_names, is_barrier_statement
from .idiom_checks import strip, whole_warp_shuffles
from .reductions import COMBINE_CALLS, ZERO
from .syntax import Source, arguments, called_name, dedent_block, statements_of, text_of, walk

STEP = "    "
THREAD_WORDS = {"threadIdx", "blockDim"}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _words(node: Node) -> set[str]:
    return {text_of(n) for n in walk(node) if n.type in ("identifier", "field_identifier")}


def _calls(node: Node) -> set[str]:
    return {called_name(n) or "" for n in walk(node) if n.type == "call_expression"}


class _Rows:
    def __init__(self, src: Source, body: Node):
        self.src = src
        self.body = body
        self.shared: set[str] = set()
        self.partial: dict[str, str] = {}   # thread-partial variable -> operation
        self.out: list[str] = []
        self.stages: list[str] = []

    def block_level(self, stmt: Node) -> bool:
        words = _words(stmt)
        calls = _calls(stmt)
        return not (words & (THREAD_WORDS | self.shared | set(self.partial))) and \
            not any(c.startswith("atomic") or c in BARRIERS | WARP_OPS for c in calls)

    def stride_loop(self, stmt: Node) -> tuple[str, str, str, list[Node]] | None:
        """`for (T c = threadIdx.x; c < E; c += S) body` -> (T, c, E, body statements)."""
        if stmt.type != "for_statement":
            return None
        head = text_of(stmt)[:text_of(stmt).find(")") + 1]
        m = re.fullmatch(r"for\s*\(\s*(int|unsigned|size_t|long)\s+(\w+)\s*=\s*threadIdx\.x\s*;\s*\2\s*<\s*([^;]+?)\s*;"
                         r"\s*\2\s*\+=\s*(blockDim\.x|\w+)\s*\)", head)
        if m is None:
            return None
        return m.group(1), m.group(2), m.group(3), [s for s in statements_of(stmt.child_by_field_name("body"))
                                                    if s.type != "comment"]

    def fold(self, stmt: Node) -> tuple[str, str] | None:
        """`v += e;` / `v = fmaxf(v, e);` -> (v, op)."""
        if stmt.type != "expression_statement" or not stmt.named_children:
            return None
        expr = stmt.named_children[0]
        if expr.type != "assignment_expression":
            return None
        target = text_of(expr.child_by_field_name("left"))
        operator = text_of(expr.child_by_field_name("operator"))
        right = expr.child_by_field_name("right")
        if operator == "+=":
            return target, "+"
        if operator == "=" and right.type == "call_expression" and called_name(right) in COMBINE_CALLS and \
                target in [text_of(strip(a)) for a in arguments(right)] and len(arguments(right)) == 2:
            return target, COMBINE_CALLS[called_name(right)]
        return None

    def run(self, stmts: list[Node]) -> bool:
        declared_init: dict[str, str] = {}
        i = 0
        while i < len(stmts):
            stmt = stmts[i]
            if is_barrier_statement(stmt):
                i += 1
                continue
            if stmt.type == "declaration" and "__shared__" in text_of(stmt).split("[")[0].split():
                self.shared.update(n for n, _ in declared_names(stmt))
                i += 1
                continue
            loop = self.stride_loop(stmt)
            if loop is not None:
                type_text, index, bound, body = loop
                if any(_words(s) & (THREAD_WORDS | self.shared) or _calls(s) & (BARRIERS | WARP_OPS) or
                       any(c.startswith("atomic") for c in _calls(s)) for s in body):
                    return False
                folded = self.fold(body[0]) if len(body) == 1 else None
                if folded is not None and folded[0] in declared_init and folded[0] not in self.partial:
                    var, op = folded
                    if op == "+" and not ZERO.match(declared_init[var]):
                        return False
                    if op == "+" and var in _words(body[0].named_children[0].child_by_field_name("right")):
                        return False
                    self.partial[var] = op
                    self.out += [f"#pragma omp simd reduction({op}:{var})",
                                 f"for ({type_text} {index} = 0; {index} < {bound}; ++{index})",
                                 STEP + dedent_block(text_of(body[0]))]
                elif any(_words(s) & set(self.partial) for s in body):
                    return False  # a partial value used before the block combined it
                else:
                    self.out += ["#pragma omp simd", f"for ({type_text} {index} = 0; {index} < {bound}; ++{index})"]
                    text = "\n".join(dedent_block(text_of(s)) for s in body)
                    self.out += [STEP + l for l in text.splitlines()] if len(body) == 1 else \
                        ["{"] + [STEP + l for l in text.splitlines()] + ["}"]
                i += 1
                continue
            combined = self.shuffle_all_reduce(stmt) or self.shared_tree(stmts, i)
            if combined:
                i += combined
                continue
            if not self.block_level(stmt):
                return False
            if stmt.type == "declaration":
                for name, declarator in declared_names(stmt):
                    value = declarator.child_by_field_name("value") if declarator.type == "init_declarator" else None
                    if value is not None:
                        declared_init[name] = text_of(value)
            self.out += dedent_block(text_of(stmt)).splitlines()
            i += 1
        return bool(self.stages) and not self.partial

    def shuffle_all_reduce(self, stmt: Node) -> int:
        """`for (m = 16; m > 0; m >>= 1) v += __shfl_xor_sync(mask, v, m);` combines v in a warp-sized block."""
        if stmt.type != "for_statement" or not whole_warp_shuffles([stmt]):
            return 0
        body = [s for s in statements_of(stmt.child_by_field_name("body")) if s.type != "comment"]
        folded = self.fold(body[0]) if len(body) == 1 else None
        if folded is None or folded[0] not in self.partial or _calls(body[0]) & WARP_OPS != {"__shfl_xor_sync"}:
            return 0
        if self.partial[folded[0]] != folded[1]:
            return 0
        del self.partial[folded[0]]
        self.stages.append("xor shuffles")
        return 1

    def shared_tree(self, stmts: list[Node], i: int) -> int:
        """`red[threadIdx.x] = v; __syncthreads(); for (k...) { if (threadIdx.x < k) red[..] op= ..; __syncthreads(); }
        w = red[0];` -> `w = v;` (nothing when w is v)."""
        m = re.fullmatch(r"(\w+)\[threadIdx\.x\]=(\w+);", _squash(text_of(stmts[i])))
        if m is None or m.group(1) not in self.shared or m.group(2) not in self.partial:
            return 0
        red, var = m.groups()
        op = self.partial[var]
        j = i + 1
        if j >= len(stmts) or not is_barrier_statement(stmts[j]):
            return 0
        j += 1
        if j >= len(stmts) or stmts[j].type != "for_statement":
            return 0
        tree = _squash(text_of(stmts[j]))
        halving = re.fullmatch(r"for\(int(\w+)=[\w.]+/2;\1>0;\1(>>=1|/=2)\)\{if\(threadIdx\.x<\1\)(.+);__syncthreads\(\);\}",
                               tree)
        if halving is None:
            return 0
        k = halving.group(1)
        step = halving.group(3)
        here, there = f"{red}[threadIdx.x]", f"{red}[threadIdx.x+{k}]"
        forms = {"+": {f"{here}+={there}"}}.get(op, {f"{here}={f}({here},{there})" for f, o in COMBINE_CALLS.items()
                                                     if o == op})
        if step not in forms:
            return 0
        j += 1
        if j >= len(stmts):
            return 0
        result = re.fullmatch(rf"(?:(\w+(?:\s+\w+)*)\s+)?(\w+)\s*=\s*{red}\s*\[\s*0\s*\]\s*;", text_of(stmts[j]).strip())
        if result is None:
            return 0
        later = stmts[j + 1:]
        reuse = next((k for k, st in enumerate(later) if red in _words(st)), None)
        if reuse is not None and not any(is_barrier_statement(st) for st in later[:reuse]):
            return 0  # the tree's array is written again before every thread has read the result: a race
        declared_type, target = result.groups()
        if declared_type:
            self.out.append(f"{declared_type} {target} = {var};")
        elif target != var:
            self.out.append(f"{target} = {var};")
        del self.partial[var]
        self.stages.append("shared-memory tree")
        return j + 1 - i


def recognise(src: Source, func: Node, body: Node, name: str) -> str | None:
    text = text_of(body)
    if re.search(r"blockIdx\.[yz]|threadIdx\.[yz]|gridDim\.[yz]|\breturn\b", text):
        return None
    stmts = [s for s in statements_of(body) if s.type != "comment"]
    rows = _Rows(src, body)
    if not rows.run(stmts) or not any("threadIdx" in text_of(s) for s in stmts):
        return None
    stages = " and ".join(sorted(set(rows.stages)))
    lines = [f"// idiom: one block per row, block-stride loops combined by {stages} -> rows in parallel, "
             "each row's loops plain",
             "#pragma omp parallel for schedule(static)",
             "for (unsigned bx = 0; bx < gridDim.x; ++bx) {",
             STEP + "const dim3 blockIdx(bx);"]
    lines += [STEP + l if l.strip() else l for l in rows.out]
    lines.append("}")
    return "{\n" + "\n".join(STEP + l for l in lines) + "\n}"
