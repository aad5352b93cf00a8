"""Host code: CUDA runtime calls become host memory operations (or nothing), launches calls."""

from __future__ import annotations

import re

from tree_sitter import Node

from ...verify.cuda.parse import is_kernel_launch
from .kernels import KernelInfo
from .syntax import Source, arguments, called_name, rewrite, text_of

ALLOCATIONS = {"cudaMalloc", "cudaMallocManaged", "cudaMallocHost", "cudaHostAlloc"}
FREES = {"cudaFree", "cudaFreeHost"}
COPIES = {"cudaMemcpy", "cudaMemcpyAsync"}
SETS = {"cudaMemset", "cudaMemsetAsync"}
# Types whose variables only serve the GPU (ordering, timing): their declarations go.
GPU_ONLY_TYPES = {"cudaStream_t", "cudaEvent_t"}


class HostRewriter:
    def __init__(self, src: Source, kernels: dict[str, KernelInfo]):
        self.src = src
        self.kernels = kernels
        self.notes: set[str] = set()

    def function(self, func: Node) -> str:
        return rewrite(self.src, func, self.replace)

    def replace(self, n: Node) -> str | None:
        if n.type == "expression_statement" and n.named_children:
            call = self._api_call_of_statement(n.named_children[0])
            if call is not None:
                text = self._api(call, statement=True)
                if text is not None:
                    return self._statement(n, text)
        if n.type == "declaration":
            type_node = n.child_by_field_name("type")
            if type_node is not None and text_of(type_node) in GPU_ONLY_TYPES:
                self.notes.add("streams and events are dropped: the CPU translation runs everything in order")
                return self._statement(n, "")
        if n.type == "call_expression":
            if is_kernel_launch(n):
                return self._launch(n)
            name = called_name(n)
            if name and name.startswith("cuda"):
                return self._api(n, statement=False)
        return None

    def _statement(self, stmt: Node, text: str) -> str:
        if text:
            return text if text.endswith(";") or text.endswith("}") else text + ";"
        parent = stmt.parent
        return "" if parent is not None and parent.type in ("compound_statement", "translation_unit") else "{}"

    def _api_call_of_statement(self, expr: Node) -> Node | None:
        """The CUDA call of `cudaX(...);` or of a checking macro `CHECK(cudaX(...));`."""
        if expr.type != "call_expression" or is_kernel_launch(expr):
            return None
        name = called_name(expr) or ""
        if name.startswith("cuda"):
            return expr
        args = arguments(expr)
        if len(args) == 1 and args[0].type == "call_expression" and (called_name(args[0]) or "").startswith("cuda") \
                and not is_kernel_launch(args[0]):
            return args[0]
        return None

    def _sub(self, node: Node) -> str:
        return rewrite(self.src, node, self.replace)

    def _api(self, call: Node, statement: bool) -> str | None:
        name = called_name(call)
        args = arguments(call)
        text = [self._sub(a) for a in args]
        if name in ALLOCATIONS and len(args) >= 2:
            target = _address_target(args[0])
            if target is None:
                expr = f"*reinterpret_cast<void**>({text[0]}) = std::malloc({text[1]})"
            else:
                target_text = self._sub(target)
                expr = f"{target_text} = static_cast<decltype({target_text})>(std::malloc({text[1]}))"
        elif name in FREES and args:
            expr = f"std::free({text[0]})"
        elif name in COPIES and len(args) >= 3:
            expr = f"std::memcpy({text[0]}, {text[1]}, {text[2]})"
        elif name in SETS and len(args) >= 3:
            expr = f"std::memset({text[0]}, {text[1]}, {text[2]})"
        elif name == "cudaMemcpyToSymbol" and len(args) >= 3:
            offset = f" + {text[3]}" if len(args) > 3 else ""
            expr = f"std::memcpy(reinterpret_cast<char*>(&{text[0]}){offset}, {text[1]}, {text[2]})"
        elif name == "cudaMemcpyFromSymbol" and len(args) >= 3:
            offset = f" + {text[3]}" if len(args) > 3 else ""
            expr = f"std::memcpy({text[0]}, reinterpret_cast<const char*>(&{text[1]}){offset}, {text[2]})"
        elif name == "cudaGetErrorString":
            return None  # the error shim defines it
        elif name == "cudaEventElapsedTime" and args:
            target = _address_target(args[0])
            expr = f"{self._sub(target)} = 0.0f" if target is not None else ""
        else:
            expr = ""  # synchronisation, streams, events, devices: nothing to do on the host
        if statement:
            return expr
        if not expr:
            return "cudaSuccess"
        return f"({expr}, cudaSuccess)"

    def _launch(self, call: Node) -> str:
        function = call.child_by_field_name("function")
        config = next(c for c in call.children if c.type == "kernel_call_syntax")
        config_args = [c for c in config.named_children if c.type != "comment"]
        name = text_of(function)
        info = self.kernels.get(re.sub(r"<.*", "", name).split("::")[-1])
        args = [self._sub(a) for a in arguments(call)]
        if info is not None and info.elementwise:
            launch: list[str] = []
        else:
            launch = [self._sub(a) for a in config_args[:2]]
            if info is not None and info.dynamic_shared:
                launch.append(self._sub(config_args[2]) if len(config_args) > 2 else "0")
        return f"{name}({', '.join(launch + args)})"


def _address_target(node: Node) -> Node | None:
    """`&d` or `(void**)&d` -> d"""
    while node.type in ("cast_expression", "parenthesized_expression"):
        node = node.child_by_field_name("value") or node.named_children[-1]
    if node.type == "pointer_expression" and text_of(node).startswith("&"):
        return node.child_by_field_name("argument")
    return None
