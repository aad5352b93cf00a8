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
REMOVED = "\x01"
# Types whose variables only serve the GPU (ordering, timing): their declarations go.
GPU_ONLY_TYPES = {"cudaStream_t", "cudaEvent_t"}


class HostRewriter:
    def __init__(self, src: Source, kernels: dict[str, KernelInfo], kernel_params: dict[str, list[str]]):
        self.src = src
        self.kernels = kernels
        self.kernel_params = kernel_params  # kernel -> its parameter declarations, in order
        self.notes: set[str] = set()
        self.aliases: dict[str, str] = {}

    def function(self, func: Node) -> str:
        self.aliases = _aliases(func, self.kernel_params)
        for device, host in self.aliases.items():
            self.notes.add(f"the device buffer '{device}' is the host array '{host}': no copies")
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
        # REMOVED marks a dropped statement; the driver deletes lines left empty by it
        return REMOVED if parent is not None and parent.type in ("compound_statement", "translation_unit") else "{}"

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
        aliased = self._aliased_call(name, args)
        if aliased is not None:
            expr = aliased
        elif name in ALLOCATIONS and len(args) >= 2:
            target = _address_target(args[0])
            if target is None:
                expr = f"*reinterpret_cast<void**>({text[0]}) = std::malloc({text[1]})"
            else:
                target_text = self._sub(target)
                # decltype of an element (d[k]) is a reference: strip it
                pointer_type = f"decltype({target_text})" if target.type == "identifier" else \
                    f"std::remove_reference_t<decltype({target_text})>"
                expr = f"{target_text} = static_cast<{pointer_type}>(std::malloc({text[1]}))"
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

    def _aliased_call(self, name: str | None, args: list[Node]) -> str | None:
        """Allocation, copies and release of a device buffer that is the host array itself."""
        if not self.aliases:
            return None
        if name in ALLOCATIONS and args:
            target = _address_target(args[0])
            if target is not None and text_of(target) in self.aliases:
                device = text_of(target)
                return f"{device} = const_cast<decltype({device})>({self.aliases[device]})"
        if name in COPIES and len(args) >= 2 and (text_of(args[0]) in self.aliases or text_of(args[1]) in self.aliases):
            return ""
        if name in FREES and args and text_of(args[0]) in self.aliases:
            return ""
        return None

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


def _reassigned(n: Node) -> set[str]:
    """Pointer variables this node may point elsewhere: `d = ...`, `d += ...`, `++d`,
    `std::swap(d, e)`, or `&d` handed to anything but an allocation."""
    if n.type == "assignment_expression":
        left = n.child_by_field_name("left")
        return {text_of(left)} if left is not None and left.type == "identifier" else set()
    if n.type == "update_expression":
        target = n.child_by_field_name("argument")
        return {text_of(target)} if target is not None and target.type == "identifier" else set()
    if n.type == "call_expression" and (called_name(n) or "").split("::")[-1] == "swap":
        return {text_of(a) for a in arguments(n) if a.type == "identifier"}
    if n.type == "pointer_expression" and text_of(n).startswith("&"):
        operand = n.child_by_field_name("argument")
        call = n.parent.parent if n.parent is not None and n.parent.type == "argument_list" else None
        if operand is not None and operand.type == "identifier" and (
                call is None or call.type != "call_expression" or called_name(call) not in ALLOCATIONS):
            return {text_of(operand)}
    return set()


def _aliases(func: Node, kernel_params: dict[str, list[str]]) -> dict[str, str]:
    """Device buffers that may simply be the host array they mirror: allocated once, copied only
    from and to that one array (whole, never at an offset), never set, the pointer never
    reassigned (ping-pong buffers swapped between steps hold the other array's data by the final
    copies); a buffer mirroring a `const` array also reaches kernels only through `const`
    parameters."""
    from .syntax import walk

    body = func.child_by_field_name("body")
    if body is None:
        return {}
    allocations: dict[str, int] = {}
    partner: dict[str, set[str]] = {}
    spoiled: set[str] = set()
    const_hosts = _const_pointer_params(func)
    launches: list[tuple[str, list[str]]] = []
    for n in walk(body):
        spoiled |= _reassigned(n)
        if n.type != "call_expression":
            continue
        if is_kernel_launch(n):
            function = n.child_by_field_name("function")
            launches.append((re.sub(r"<.*", "", text_of(function)), [text_of(a) for a in arguments(n)]))
            continue
        name = called_name(n)
        args = arguments(n)
        if name in ALLOCATIONS and args:
            target = _address_target(args[0])
            if target is not None:
                allocations[text_of(target)] = allocations.get(text_of(target), 0) + 1
        elif name in COPIES and len(args) >= 4:
            kind = text_of(args[3])
            device, host = (args[0], args[1]) if kind.endswith("HostToDevice") else (args[1], args[0]) \
                if kind.endswith("DeviceToHost") else (None, None)
            if device is None:
                for a in args[:2]:
                    spoiled.add(text_of(a))
                continue
            if device.type == "identifier" and host.type == "identifier":
                partner.setdefault(text_of(device), set()).add(text_of(host))
            else:
                spoiled.add(_base_name(device))
        elif name in SETS or name in ("cudaMemcpyToSymbol", "cudaMemcpyFromSymbol"):
            for a in args[:2]:
                spoiled.add(_base_name(a))
    aliases = {}
    for device, hosts in partner.items():
        if allocations.get(device) != 1 or device in spoiled or len(hosts) != 1:
            continue
        host = next(iter(hosts))
        if host not in _pointer_params(func):
            continue
        if host in const_hosts and not all(
                params[i].lstrip().startswith("const")
                for kernel, args in launches for i, arg in enumerate(args)
                if arg == device and (params := kernel_params.get(kernel)) is not None and i < len(params)):
            continue
        if host in const_hosts and any(arg == device and kernel not in kernel_params for kernel, args in launches
                                       for arg in args):
            continue
        aliases[device] = host
    return aliases


def _base_name(node: Node) -> str:
    text = text_of(node)
    match = re.match(r"[&(\s]*([A-Za-z_]\w*)", text)
    return match.group(1) if match else text


def _pointer_params(func: Node) -> set[str]:
    from .syntax import walk
    declarator = func.child_by_field_name("declarator")
    params = declarator.child_by_field_name("parameters") if declarator is not None else None
    names = set()
    for p in (params.named_children if params is not None else []):
        d = p.child_by_field_name("declarator")
        if d is not None and d.type == "pointer_declarator":
            ident = [n for n in walk(d) if n.type == "identifier"]
            if ident:
                names.add(text_of(ident[-1]))
    return names


def _const_pointer_params(func: Node) -> set[str]:
    declarator = func.child_by_field_name("declarator")
    params = declarator.child_by_field_name("parameters") if declarator is not None else None
    out = set()
    for p in (params.named_children if params is not None else []):
        if text_of(p).lstrip().startswith("const") and "*" in text_of(p):
            out.add(re.findall(r"[A-Za-z_]\w*", text_of(p))[-1])
    return out
