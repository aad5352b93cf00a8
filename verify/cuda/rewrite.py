"""Turn a .cu file into C++ that g++ builds against the CPU execution layer.

Three constructs are rewritten; the header (runtime/tvcuda_runtime.h)
provides the rest as plain C++:
  * launches  `k<<<g, b, s, st>>>(args)`  ->  `::tvcuda::launch("k", "file:line", g, b, s, st, k, args)`
  * `extern __shared__ T name[];`         ->  `T* name = (T*)::tvcuda::dynamic_shared();`
  * `__shared__ T name[N];` in a function ->  a reference to a per-worker heap block
    (`::tvcuda::shared_block`), so AddressSanitizer catches out-of-bounds
    shared-memory accesses (it does not guard thread_local storage).
Line numbers are preserved (replacements keep their newlines) and a #line
directive names the user's file, so compiler and AddressSanitizer messages
point into it.

Constructs the layer does not implement are refused up front, by name and
line, rather than risking a wrong verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import VerifyInputError
from .parse import (enclosing_function, function_name, function_qualifiers, is_kernel_launch, line_of, parse,
                    text_of, walk)
from .thread_groups import thread_block_barriers

# Names that the CPU layer does not provide, with what they are.
UNSUPPORTED_NAMES = {
    "__syncthreads_count": "__syncthreads_count", "__syncthreads_and": "__syncthreads_and",
    "__syncthreads_or": "__syncthreads_or", "cooperative_groups": "cooperative groups",
    "__half": "half precision (__half)", "__half2": "half precision (__half2)", "half2": "half precision",
    "__nv_bfloat16": "bfloat16", "tex1D": "texture fetch", "tex2D": "texture fetch", "tex1Dfetch": "texture fetch",
    "tex3D": "texture fetch", "cudaTextureObject_t": "texture objects", "cudaSurfaceObject_t": "surface objects",
    "cudaMallocPitch": "pitched allocation", "cudaMemcpy2D": "2-D copies", "cudaMemcpy3D": "3-D copies",
    "cudaMallocArray": "CUDA arrays", "cudaGraph_t": "CUDA graphs", "cudaGraphExec_t": "CUDA graphs",
    "cudaLaunchKernel": "cudaLaunchKernel", "cudaLaunchCooperativeKernel": "cooperative launch",
    "clock64": "clock64", "__nanosleep": "__nanosleep", "wmma": "tensor-core WMMA", "nvcuda": "tensor-core WMMA",
    "thrust": "Thrust", "cub": "CUB", "cublasHandle_t": "cuBLAS", "cufftHandle": "cuFFT",
    "curandState": "cuRAND", "__match_any_sync": "__match_any_sync", "__match_all_sync": "__match_all_sync",
    "__reduce_add_sync": "__reduce_add_sync", "cudaFuncSetAttribute": "cudaFuncSetAttribute",
    "cudaOccupancyMaxPotentialBlockSize": "occupancy API",
}
UNSUPPORTED_INCLUDES = ("cooperative_groups", "cuda_fp16", "cuda_bf16", "mma.h", "thrust/", "cub/", "cublas",
                        "cufft", "curand", "cusparse", "cudnn", "nccl")
# Headers of the CUDA toolkit the layer stands in for (dropped from the copy).
TOOLKIT_INCLUDES = ("cuda_runtime.h", "cuda_runtime_api.h", "cuda.h", "cuComplex.h", "device_launch_parameters.h",
                    "device_functions.h", "math_constants.h", "cuda_device_runtime_api.h")


@dataclass
class Rewritten:
    text: str
    kernels: list[str]  # names of __global__ functions, for runtime error messages
    launches: int


def check_supported(text: str, path: str) -> None:
    """Raise VerifyInputError naming the first construct the CPU layer lacks."""
    tree = parse(thread_block_barriers(text), "cuda")
    for node in walk(tree.root_node):
        if node.type in ("identifier", "namespace_identifier", "type_identifier", "field_identifier"):
            name = text_of(node)
            if name in UNSUPPORTED_NAMES and node.type != "field_identifier":
                raise _unsupported(path, line_of(node), UNSUPPORTED_NAMES[name])
        elif node.type == "preproc_include":
            target = text_of(node.child_by_field_name("path") or node)
            if any(bad in target for bad in UNSUPPORTED_INCLUDES):
                raise _unsupported(path, line_of(node), f"#include {target.strip()}")
        elif node.type in ("gnu_asm_expression", "asm_statement"):
            raise _unsupported(path, line_of(node), "inline PTX assembly (asm)")
        elif is_kernel_launch(node):
            func = enclosing_function(node)
            if func is not None and {"__global__", "__device__"} & function_qualifiers(func):
                raise _unsupported(path, line_of(node), "kernel launch from device code (dynamic parallelism)")


def _unsupported(path: str, line: int, what: str) -> VerifyInputError:
    return VerifyInputError(
        f"{what} is not supported by the CPU execution layer (no GPU here); run on a machine with a GPU "
        f"or remove it", file=path, line=line, construct=what)


def rewrite(text: str, path: str) -> Rewritten:
    """The C++ text that g++ builds for `path` (a .cu file)."""
    text = thread_block_barriers(text)
    check_supported(text, path)
    tree = parse(text, "cuda")
    data = text.encode("utf-8")
    edits: list[tuple[int, int, str]] = []
    kernels: list[str] = []
    launches = 0
    for node in walk(tree.root_node):
        if node.type == "function_definition" and "__global__" in function_qualifiers(node):
            name = function_name(node)
            if name:
                kernels.append(name)
        elif is_kernel_launch(node):
            edits.append((node.start_byte, node.end_byte, _launch_text(node, path)))
            launches += 1
        elif node.type == "declaration" and _is_static_shared(node):
            replacement = _shared_text(node, len(edits))
            if replacement is not None:
                edits.append((node.start_byte, node.end_byte, replacement))
        elif node.type == "preproc_include":
            target = text_of(node.child_by_field_name("path") or node).strip("<>\" \n")
            if target in TOOLKIT_INCLUDES:
                edits.append((node.start_byte, node.end_byte, "\n" * text_of(node).count("\n")))
    # Apply from the end so earlier offsets stay valid; nested launches (a
    # launch inside a launch's arguments) do not occur in valid CUDA.
    edits.sort(key=lambda e: e[0], reverse=True)
    kept: list[tuple[int, int, str]] = []
    for start, end, new in edits:
        if kept and start < kept[-1][1] and end > kept[-1][0]:
            continue
        kept.append((start, end, new))
        data = data[:start] + new.encode("utf-8") + data[end:]
    text = _EXTERN_SHARED.sub(_dynamic_shared_text, data.decode("utf-8"))
    quoted = path.replace("\\", "\\\\").replace('"', '\\"')
    return Rewritten(text=f'#line 1 "{quoted}"\n' + text, kernels=kernels, launches=launches)


def _launch_text(node, path: str) -> str:
    function = node.child_by_field_name("function") or node.children[0]
    config_node = next(c for c in node.children if c.type == "kernel_call_syntax")
    arguments = node.child_by_field_name("arguments") or node.children[-1]
    config = [text_of(c) for c in config_node.children if c.type not in ("<<<", ">>>", ",")]
    while len(config) < 4:
        config.append("0" if len(config) == 2 else "nullptr")
    kernel = text_of(function)
    args = text_of(arguments)[1:-1].strip()
    display = re.sub(r"\s+", " ", kernel).replace('"', "'")
    where = f"{path.rsplit('/', 1)[-1]}:{line_of(node)}".replace('"', "'")
    replacement = (f'::tvcuda::launch("{display}", "{where}", {config[0]}, {config[1]}, {config[2]}, '
                   f'{config[3]}, {kernel}{", " + args if args else ""})')
    # Keep every line where it was: fold the replacement onto one line and add
    # the original's newlines after it.
    newlines = text_of(node).count("\n")
    return replacement.replace("\n", " ") + "\n" * newlines


def _is_static_shared(node) -> bool:
    words = [text_of(c) for c in node.children if c.type in ("storage_class_specifier", "type_qualifier")]
    return "__shared__" in words and "extern" not in words and enclosing_function(node) is not None


def _shared_text(node, unique: int) -> str | None:
    """`__shared__ float t[16][17];` -> `float (&t)[16][17] = *reinterpret_cast<...>(shared_block(id, size));`
    None (the header's thread_local fallback applies) for forms it does not handle."""
    type_node = node.child_by_field_name("type")
    if type_node is None:
        return None
    qualifiers = [text_of(c) for c in node.children if c.type == "type_qualifier" and text_of(c) != "__shared__"]
    base = " ".join(qualifiers + [text_of(type_node)])
    pieces = []
    for index, declarator in enumerate(node.children_by_field_name("declarator")):
        if declarator.type not in ("identifier", "array_declarator"):
            return None  # initialised or pointer declarators
        name_node = declarator
        while name_node.type == "array_declarator":
            name_node = name_node.child_by_field_name("declarator")
        if name_node is None or name_node.type != "identifier":
            return None
        name = text_of(name_node)
        dims = " ".join(text_of(declarator)[len(name):].split())
        slot = f"::tvcuda::shared_block({unique * 16 + index}, sizeof({base}{dims}))"
        if dims:
            pieces.append(f"{base} (&{name}){dims} = *reinterpret_cast<{base}(*){dims}>({slot});")
        else:
            pieces.append(f"{base}& {name} = *reinterpret_cast<{base}*>({slot});")
    if not pieces:
        return None
    return " ".join(pieces) + "\n" * text_of(node).count("\n")


# `extern __shared__ [__align__(N)] T [__align__(N)] name[];` -- matched on text because the
# CUDA grammar does not know __align__.
_EXTERN_SHARED = re.compile(r"\bextern\s+__shared__\s+(?P<decl>[^;{}()]*(?:\(\s*\d+\s*\)[^;{}()]*)*)\[\s*\]\s*;")
_ALIGN = re.compile(r"\b(?:__align__|alignas)\s*\(\s*\d+\s*\)")


def _dynamic_shared_text(match: re.Match) -> str:
    decl = _ALIGN.sub(" ", match.group("decl")).strip()
    parts = re.match(r"(?P<type>.*?)\s*\b(?P<name>[A-Za-z_]\w*)\s*$", decl, re.S)
    if parts is None or not parts.group("type").strip():
        return match.group(0)
    base = " ".join(parts.group("type").split())
    newlines = match.group(0).count("\n")
    return (f"{base}* {parts.group('name')} = reinterpret_cast<{base}*>(::tvcuda::dynamic_shared());"
            + "\n" * newlines)
