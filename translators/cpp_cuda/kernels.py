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
    zero, one = {"float": ("0.0f", "1.0f"), "double": ("0.0", "1.0")}.get(
        t, (f"static_cast<{r.type_text}>(0)", f"static_cast<{r.type_text}>(1)"))
    if r.op == "+":
        return zero
    if r.op == "*":
        return one
    return (IDENTITY_MAX if r.op == "max" else IDENTITY_MIN).get(t)


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
    params += [f"{r.type_text}* {r.name}_partial" for r in nest.reductions]
    body = body_text(nest)
    lines = [f"// {reason}", f"__global__ void {name}({', '.join(params)}) {{"]
    for r in nest.reductions:
        lines.append(STEP + f"__shared__ {r.type_text} {r.name}_cache[kBlockSize];")
        lines.append(STEP + f"{r.type_text} {r.name} = {identity(r)};  // this thread's part of the reduction")
    if len(nest.loops) == 2:
        lines.append(STEP + _loop_header(nest.loops[0], "y"))
        lines.append(STEP * 2 + _loop_header(nest.loops[1], "x") + _attach(body, 2))
    else:
        lines.append(STEP + _loop_header(nest.loops[0], "x") + _attach(body, 1))
    for r in nest.reductions:
        cache = f"{r.name}_cache"
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
    op = {"+": "sum", "*": "product", "max": "max", "min": "min"}[r.op]
    return f"combine_partials_{op}_{re.sub(r'[^A-Za-z0-9]+', '_', r.type_text)}"


def final_pass(r: Reduction) -> str:
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
    inner += [STEP + f"{name}<<<{blocks}, kBlockSize>>>({', '.join(args + list(partials.values()))});",
              STEP + "CUDA_CHECK(cudaGetLastError());"]
    for r in nest.reductions:
        part = fresh(f"{r.name}_part")
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
