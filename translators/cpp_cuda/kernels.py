"""Kernel and launch text for one parallel nest."""

from __future__ import annotations

import re

from ..cuda_cpu.syntax import dedent_block, text_of, walk
from .analysis import Nest, Reduction, Variable

STEP = "    "

IDENTITY_MAX = {"float": "-INFINITY", "double": "-INFINITY", "int": "INT_MIN", "long": "LONG_MIN",
                "long long": "LLONG_MIN", "int64_t": "LLONG_MIN", "int32_t": "INT_MIN", "unsigned": "0u",
                "unsigned int": "0u", "size_t": "0", "uint32_t": "0u", "uint64_t": "0ull",
                "unsigned long long": "0ull", "short": "SHRT_MIN", "char": "CHAR_MIN"}
IDENTITY_MIN = {"float": "INFINITY", "double": "INFINITY", "int": "INT_MAX", "long": "LONG_MAX",
                "long long": "LLONG_MAX", "int64_t": "LLONG_MAX", "int32_t": "INT_MAX", "unsigned": "UINT_MAX",
                "unsigned int": "UINT_MAX", "size_t": "SIZE_MAX", "uint32_t": "UINT_MAX",
                "uint64_t": "ULLONG_MAX", "unsigned long long": "ULLONG_MAX", "short": "SHRT_MAX",
                "char": "CHAR_MAX"}


def identity(r: Reduction) -> str | None:
    t = r.type_text.replace("std::", "")
    if r.op in ("argmax", "argmin"):
        if (r.index_type or "").replace("std::", "") not in IDENTITY_MIN:
            return None
        return (IDENTITY_MAX if r.op == "argmax" else IDENTITY_MIN).get(t)
    zero, one = {"float": ("0.0f", "1.0f"), "double": ("0.0", "1.0"), "int": ("0", "1")}.get(
        t, (f"static_cast<{r.type_text}>(0)", f"static_cast<{r.type_text}>(1)"))
    if r.op == "+":
        return zero
    if r.op == "*":
        return one
    return (IDENTITY_MAX if r.op == "max" else IDENTITY_MIN).get(t)


def no_index(r: Reduction) -> str:
    """The index of a thread that saw no element: loses every tie."""
    return IDENTITY_MIN[(r.index_type or "int").replace("std::", "")]


def better(r: Reduction, value: str, index: str, best_value: str, best_index: str) -> str:
    """(value, index) beats (best_value, best_index): the sequential loop keeps the first best."""
    op = ">" if r.op == "argmax" else "<"
    return f"{value} {op} {best_value} || ({value} == {best_value} && {index} < {best_index})"


def _pair_tree(r: Reduction, values: str, indices: str) -> list[str]:
    a, b = "threadIdx.x", "threadIdx.x + stride"
    return [STEP + "for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {",
            STEP * 2 + f"if (threadIdx.x < stride && ({better(r, f'{values}[{b}]', f'{indices}[{b}]', f'{values}[{a}]', f'{indices}[{a}]')})) {{",
            STEP * 3 + f"{values}[{a}] = {values}[{b}];",
            STEP * 3 + f"{indices}[{a}] = {indices}[{b}];",
            STEP * 2 + "}",
            STEP * 2 + "__syncthreads();",
            STEP + "}"]


def combine(op: str, a: str, b: str) -> str:
    if op in "+*":
        return f"{a} {op} {b}"
    return f"({b} > {a} ? {b} : {a})" if op == "max" else f"({b} < {a} ? {b} : {a})"


def device_text(text: str) -> str:
    """std::max/min are constexpr templates nvcc refuses in device code without a flag; CUDA's own
    max/min overloads do the same."""
    return re.sub(r"\bstd::(max|min)\s*(<[^>]*>)?\s*\(", r"\1(", text)


def parameters(nest: Nest, variables: dict[str, Variable]) -> list[str]:
    params = []
    for name in nest.free:
        var = variables[name]
        if var.pointer:
            const = "const " if var.const or name not in nest.writes else ""
            params.append(f"{const}{var.type_text}* {name}")
        else:
            params.append(f"{var.type_text} {name}")
    return params


def body_text(nest: Nest) -> str:
    return device_text(dedent_block(text_of(nest.body)))


def _loop_header(loop, dim: str) -> str:
    start = f"blockIdx.{dim} * blockDim.{dim} + threadIdx.{dim}"
    lo = loop.lo.strip()
    first = start if lo == "0" else f"{lo} + {start}"
    return (f"for ({loop.var_type} {loop.var} = {first}; {loop.var} < {loop.hi}; "
            f"{loop.var} += blockDim.{dim} * gridDim.{dim})")


def kernel(name: str, nest: Nest, variables: dict[str, Variable], reason: str) -> str:
    params = parameters(nest, variables)
    for r in nest.reductions:
        params.append(f"{r.type_text}* {r.name}_partial")
        if r.index:
            params.append(f"{r.index_type}* {r.index}_partial")
    body = body_text(nest)
    lines = [f"// {reason}", f"__global__ void {name}({', '.join(params)}) {{"]
    lines += [STEP + table for table in nest.tables]
    for r in nest.reductions:
        lines.append(STEP + f"__shared__ {r.type_text} {r.name}_cache[kBlockSize];")
        if r.index:
            lines.append(STEP + f"__shared__ {r.index_type} {r.index}_cache[kBlockSize];")
        lines.append(STEP + f"{r.type_text} {r.name} = {identity(r)};  // this thread's part of the reduction")
        if r.index:
            lines.append(STEP + f"{r.index_type} {r.index} = {no_index(r)};")
    if len(nest.loops) == 2:
        lines.append(STEP + _loop_header(nest.loops[0], "y"))
        lines.append(STEP * 2 + _loop_header(nest.loops[1], "x") + _attach(body, 2))
    else:
        lines.append(STEP + _loop_header(nest.loops[0], "x") + _attach(body, 1))
    for r in nest.reductions:
        cache = f"{r.name}_cache"
        if r.index:
            icache = f"{r.index}_cache"
            lines += [STEP + f"{cache}[threadIdx.x] = {r.name};", STEP + f"{icache}[threadIdx.x] = {r.index};",
                      STEP + "__syncthreads();"] + _pair_tree(r, cache, icache) + [
                      STEP + "if (threadIdx.x == 0) {",
                      STEP * 2 + f"{r.name}_partial[blockIdx.x] = {cache}[0];",
                      STEP * 2 + f"{r.index}_partial[blockIdx.x] = {icache}[0];",
                      STEP + "}"]
            continue
        lines += [STEP + f"{cache}[threadIdx.x] = {r.name};", STEP + "__syncthreads();",
                  STEP + "for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {",
                  STEP * 2 + f"if (threadIdx.x < stride) {cache}[threadIdx.x] = "
                  f"{combine(r.op, f'{cache}[threadIdx.x]', f'{cache}[threadIdx.x + stride]')};",
                  STEP * 2 + "__syncthreads();", STEP + "}",
                  STEP + f"if (threadIdx.x == 0) {r.name}_partial[blockIdx.x] = {cache}[0];"]
    lines.append("}")
    return "\n".join(lines)


def _attach(body: str, depth: int) -> str:
    lines = body.splitlines()
    if body.startswith("{"):
        return " " + "\n".join([lines[0]] + [STEP * depth + l if l.strip() else l for l in lines[1:]])
    return "\n" + "\n".join(STEP * (depth + 1) + l for l in lines)


def final_pass_name(r: Reduction) -> str:
    op = {"+": "sum", "*": "product", "max": "max", "min": "min", "argmax": "argmax", "argmin": "argmin"}[r.op]
    types = r.type_text + (f" {r.index_type}" if r.index else "")
    return f"combine_partials_{op}_{re.sub(r'[^A-Za-z0-9]+', '_', types)}"


def _final_pair_pass(r: Reduction) -> str:
    name = final_pass_name(r)
    return "\n".join([
        "// Second pass of an arg reduction: one block picks the best (value, index) of the blocks.",
        f"__global__ void {name}(int count, {r.type_text}* values, {r.index_type}* indices) {{",
        STEP + f"__shared__ {r.type_text} value_cache[kBlockSize];",
        STEP + f"__shared__ {r.index_type} index_cache[kBlockSize];",
        STEP + f"{r.type_text} best = {identity(r)};",
        STEP + f"{r.index_type} best_index = {no_index(r)};",
        STEP + "for (int i = threadIdx.x; i < count; i += blockDim.x) {",
        STEP * 2 + f"if ({better(r, 'values[i]', 'indices[i]', 'best', 'best_index')}) {{",
        STEP * 3 + "best = values[i];",
        STEP * 3 + "best_index = indices[i];",
        STEP * 2 + "}",
        STEP + "}",
        STEP + "value_cache[threadIdx.x] = best;",
        STEP + "index_cache[threadIdx.x] = best_index;",
        STEP + "__syncthreads();"] + _pair_tree(r, "value_cache", "index_cache") + [
        STEP + "if (threadIdx.x == 0) {",
        STEP * 2 + "values[0] = value_cache[0];",
        STEP * 2 + "indices[0] = index_cache[0];",
        STEP + "}",
        "}"])


def final_pass(r: Reduction) -> str:
    if r.index:
        return _final_pair_pass(r)
    name = final_pass_name(r)
    return "\n".join([
        "// Second pass of a reduction: one block combines the per-block results into partial[0].",
        f"__global__ void {name}(int count, {r.type_text}* partial) {{",
        STEP + f"__shared__ {r.type_text} cache[kBlockSize];",
        STEP + f"{r.type_text} acc = {identity(r)};",
        STEP + f"for (int i = threadIdx.x; i < count; i += blockDim.x) acc = {combine(r.op, 'acc', 'partial[i]')};",
        STEP + "cache[threadIdx.x] = acc;",
        STEP + "__syncthreads();",
        STEP + "for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {",
        STEP * 2 + f"if (threadIdx.x < stride) cache[threadIdx.x] = "
        f"{combine(r.op, 'cache[threadIdx.x]', 'cache[threadIdx.x + stride]')};",
        STEP * 2 + "__syncthreads();",
        STEP + "}",
        STEP + "if (threadIdx.x == 0) partial[0] = cache[0];",
        "}"])


def _extent(loop) -> str:
    lo = loop.lo.strip()
    return f"(long long)({loop.hi})" if lo == "0" else f"(long long)({loop.hi}) - (long long)({lo})"


def launch(name: str, nest: Nest, variables: dict[str, Variable], device: dict[str, str],
           fresh) -> list[str]:
    args = [device.get(v, v) if variables[v].pointer else v for v in nest.free]
    if len(nest.loops) == 2:
        outer, inner = nest.loops
        ny, nx = fresh("extent_y"), fresh("extent_x")
        lines = [f"const long long {ny} = {_extent(outer)};",
                 f"const long long {nx} = {_extent(inner)};",
                 f"if ({ny} > 0 && {nx} > 0) {{",
                 STEP + "const dim3 block(kTile, kTile);",
                 STEP + f"const dim3 grid((unsigned)std::min<long long>(({nx} + kTile - 1) / kTile, kMaxBlocks),",
                 STEP + f"                (unsigned)std::min<long long>(({ny} + kTile - 1) / kTile, kMaxBlocks));",
                 STEP + f"{name}<<<grid, block>>>({', '.join(args)});",
                 STEP + "CUDA_CHECK(cudaGetLastError());",
                 "}"]
        return ["{"] + [STEP + l for l in lines] + ["}"]
    loop = nest.loops[0]
    count, blocks = fresh("iterations"), fresh("blocks")
    inner = [STEP + f"const int {blocks} = (int)std::min<long long>(({count} + kBlockSize - 1) / kBlockSize, "
                    f"kMaxBlocks);"]
    partials = {}
    for r in nest.reductions:
        partials[r.name] = fresh(f"d_{r.name}_partial")
        inner += [STEP + f"{r.type_text}* {partials[r.name]} = nullptr;",
                  STEP + f"CUDA_CHECK(cudaMalloc(&{partials[r.name]}, {blocks} * sizeof({r.type_text})));"]
        if r.index:
            partials[r.index] = fresh(f"d_{r.index}_partial")
            inner += [STEP + f"{r.index_type}* {partials[r.index]} = nullptr;",
                      STEP + f"CUDA_CHECK(cudaMalloc(&{partials[r.index]}, {blocks} * sizeof({r.index_type})));"]
    inner += [STEP + f"{name}<<<{blocks}, kBlockSize>>>({', '.join(args + list(partials.values()))});",
              STEP + "CUDA_CHECK(cudaGetLastError());"]
    for r in nest.reductions:
        part = fresh(f"{r.name}_part")
        if r.index:
            index_part = fresh(f"{r.index}_part")
            inner += [STEP + f"{final_pass_name(r)}<<<1, kBlockSize>>>({blocks}, {partials[r.name]}, "
                             f"{partials[r.index]});",
                      STEP + "CUDA_CHECK(cudaGetLastError());",
                      STEP + f"{r.type_text} {part};",
                      STEP + f"{r.index_type} {index_part};",
                      STEP + f"CUDA_CHECK(cudaMemcpy(&{part}, {partials[r.name]}, sizeof({r.type_text}), "
                             f"cudaMemcpyDeviceToHost));",
                      STEP + f"CUDA_CHECK(cudaMemcpy(&{index_part}, {partials[r.index]}, sizeof({r.index_type}), "
                             f"cudaMemcpyDeviceToHost));",
                      STEP + f"CUDA_CHECK(cudaFree({partials[r.name]}));",
                      STEP + f"CUDA_CHECK(cudaFree({partials[r.index]}));",
                      STEP + f"if ({better(r, part, index_part, r.name, r.index)}) {{",
                      STEP * 2 + f"{r.name} = {part};",
                      STEP * 2 + f"{r.index} = {index_part};",
                      STEP + "}"]
            continue
        inner += [STEP + f"{final_pass_name(r)}<<<1, kBlockSize>>>({blocks}, {partials[r.name]});",
                  STEP + "CUDA_CHECK(cudaGetLastError());",
                  STEP + f"{r.type_text} {part};",
                  STEP + f"CUDA_CHECK(cudaMemcpy(&{part}, {partials[r.name]}, sizeof({r.type_text}), "
                         f"cudaMemcpyDeviceToHost));",
                  STEP + f"CUDA_CHECK(cudaFree({partials[r.name]}));",
                  STEP + (f"{r.name} {r.op}= {part};" if r.op in "+*" else
                          f"{r.name} = {combine(r.op, r.name, part)};")]
    lines = [f"const long long {count} = {_extent(loop)};",
             f"if ({count} > 0) {{"] + inner + ["}"]
    return ["{"] + [STEP + l for l in lines] + ["}"]


def free_variables(node, variables: dict[str, Variable], exclude: set[str]) -> list[str]:
    seen: list[str] = []
    for n in walk(node):
        if n.type == "identifier" and text_of(n) in variables and text_of(n) not in exclude and \
                text_of(n) not in seen:
            seen.append(text_of(n))
    return seen
