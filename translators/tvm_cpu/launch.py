"""The entry host function of a .cu file and its kernel launches, mapped to host parameters.

Device pointers are traced back to host pointers through `cudaMemcpy(d, h, ...)`
or `cudaMemcpy(h, d, ...)`, or are local buffers of the entry (device_buffers.py); scalar launch
arguments are host parameters, scalar locals the entry computes from them, or expressions over
those, literals and macros, passed as written (entry_locals.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tree_sitter import Node

from ...verify.cuda.parse import function_name, function_qualifiers, is_kernel_launch, line_of, parse, text_of, walk
from ...verify.cuda.signature import HostFunction, Param, choose_entry, function_signature, read_source
from ...verify.errors import VerifyInputError
from .device_buffers import DeviceBuffers, read_device_buffers
from .errors import Unliftable
from .host_loop import HostLoop, read_host_loop
from .lift import refuse_block_level
from .macros import type_aliases
from .tables import constant_arrays
from .tir_util import C_TYPES


@dataclass
class KernelLaunch:
    entry: HostFunction
    kernel: Node  # the __global__ function_definition
    kernel_name: str
    binding: dict  # kernel parameter -> host parameter
    launch_line: int
    constants: dict = field(default_factory=dict)  # __constant__ array -> tables.constant_arrays' answer
    # host pointer parameters every kernel argument reaches through a device copy (`cudaMemcpy(d, h, ...)`):
    # the kernel sees a device allocation there, never a null pointer
    device_copies: set = field(default_factory=set)
    loop: HostLoop | None = None  # the innermost host loop the launch runs in (host_loop.py), once per step
    node: Node | None = None  # the launch's call expression
    copies: dict = field(default_factory=dict)  # the entry's device pointers -> host parameters
    buffers: DeviceBuffers | None = None  # the entry's device buffers (device_buffers.py), shared by its launches
    # scalar arguments written as expressions (`N`, `2.0f`, `t + 1`): a parameter of this launch's function
    # each, and the C++ text the entry passes for it
    extra_params: list = field(default_factory=list)
    arguments: dict = field(default_factory=dict)


def find_launch(path: Path, entry: str | None) -> KernelLaunch:
    """The entry's one kernel launch (refused when it launches several)."""
    launches = find_launches(path, entry)
    if len(launches) > 1:
        raise Unliftable("kernel launch", launches[1].launch_line,
                         f"{launches[0].entry.name} launches {len(launches)} kernels; one launch per entry is lifted")
    return launches[0]


def find_launches(path: Path, entry: str | None) -> list[KernelLaunch]:
    """The entry's kernel launches in the order they run: each a statement of the entry's body, run
    once, or of a host loop in that body (host_loop.py), run once per step; never under a branch."""
    try:
        source = read_source(path, "cuda")
        host = choose_entry(source, entry)
    except VerifyInputError as exc:
        raise Unliftable(exc.construct or "entry", getattr(exc, "line", None), str(exc)) from None
    if host.problems:
        message, line, construct = host.problems[0]
        raise Unliftable(construct, line, f"{host.name}: {message}")
    tree = parse(source.text, "cuda")
    kernels = {function_name(f): f for f in walk(tree.root_node)
               if f.type == "function_definition" and "__global__" in function_qualifiers(f)}
    launches = [n for n in walk(host.body) if is_kernel_launch(n)]
    if not launches:
        raise Unliftable("kernel launch", host.line, f"{host.name} launches no kernel")
    host_params = {p.name: p for p in host.params}
    # the launches' region: from the first launch (or the host loop it runs in) to the end of the last
    spans = [(_enclosing_loops(launch, host.body) or [launch])[0] for launch in launches]
    buffers = read_device_buffers(host, (min(n.start_byte for n in spans), max(n.end_byte for n in spans)))
    constants = constant_arrays(tree.root_node, host.body, host_params)
    entry_node = host.body.parent
    loops: dict[int, HostLoop] = {}  # a loop's start byte -> the loop, read once for all its launches
    found = []
    for launch in launches:
        branch = _enclosing_branch(launch, host.body)
        if branch is not None:
            raise Unliftable("kernel launch", line_of(launch), f"{host.name} launches a kernel under a condition "
                             f"(line {line_of(branch)}); launches that run once each, or on every step of a host "
                             "loop, are lifted")
        host_loop = None  # the innermost, read with the loops around it
        for loop in _enclosing_loops(launch, host.body):
            if loop.start_byte not in loops:
                loops[loop.start_byte] = read_host_loop(loop, host, entry_node, host_loop)
            host_loop = loops[loop.start_byte]
        found.append(_launch(launch, kernels, source, host, host_params, buffers, constants, host_loop))
    return found


def _launch(launch: Node, kernels: dict, source, host: HostFunction, host_params: dict, buffers: DeviceBuffers,
            constants: dict, loop: HostLoop | None) -> KernelLaunch:
    name = text_of(launch.child_by_field_name("function"))
    if name not in kernels:
        raise Unliftable("kernel launch", line_of(launch), f"kernel '{name}' is not defined in this file")
    kernel = kernels[name]
    refuse_block_level(kernel)
    kernel_params = function_signature(kernel, name, source.structs, type_aliases(kernel)).params
    args = launch.child_by_field_name("arguments").named_children
    if len(args) != len(kernel_params):
        raise Unliftable("kernel launch", line_of(launch), f"'{name}' takes {len(kernel_params)} arguments")
    binding = {}
    direct = set()
    extra_params, arguments = [], {}
    if loop is not None:  # the loop variable is a scalar the launch may take (`t`, a time step)
        host_params = {**host_params, loop.var: loop.param}
    for param, arg in zip(kernel_params, args):
        text = text_of(arg).strip()
        if text in host_params and host_params[text].pointer == param.pointer:
            binding[param.name] = text
            direct.add(text)
        elif not param.pointer and buffers.scalars.take(text, param, line_of(arg)) is not None:
            binding[param.name] = text  # a scalar local of the entry, declared the same way in the CPU equivalent
            host_params = {**host_params, text: buffers.scalars.used[text].param}
            direct.add(text)
        elif param.pointer and text in buffers.copies:
            binding[param.name] = buffers.copies[text]
        elif param.pointer and buffers.local(text, param) is not None:
            binding[param.name] = text  # a local array of the CPU equivalent, named as the device pointer
            local = buffers.locals[text]
            if local.param is None:
                raise Unliftable("launch argument", line_of(arg), f"device buffer '{text}' is passed as '{param.name}' "
                                 f"of '{name}', an array of {param.type_text}; local buffers of scalar types are lifted")
            host_params = {**host_params, text: local.param}
        elif not param.pointer:  # an expression: passed as it is written, macros replaced by their values
            extra = frozenset(outer.var for outer in loop.chain()) if loop is not None else frozenset()
            value = buffers.scalars.argument(arg, param, line_of(arg), extra)
            synthetic = buffers.argument_name(f"{name}_{param.name}", host_params)
            c_type = C_TYPES[param.dtype]
            host_params = {**host_params, synthetic: Param(name=synthetic, type_text=c_type, dtype=param.dtype,
                                                           pointer=False, const=False, line=line_of(arg),
                                                           declaration=f"{c_type} {synthetic}")}
            binding[param.name] = synthetic
            direct.add(synthetic)
            extra_params.append(host_params[synthetic])
            arguments[synthetic] = value
        else:
            raise Unliftable("launch argument", line_of(arg),
                             f"argument '{text}' of '{name}' is not a host parameter, a device copy of one or a "
                             "device buffer the entry allocates with cudaMalloc")
        host_param = host_params[binding[param.name]]
        if host_param.dtype != param.dtype:
            raise Unliftable("launch argument", line_of(arg),
                             f"'{param.name}' of '{name}' has another type than host parameter '{host_param.name}'")
    return KernelLaunch(entry=host, kernel=kernel, kernel_name=name, binding=binding, launch_line=line_of(launch),
                        constants=constants, device_copies=set(binding.values()) - direct, loop=loop,
                        node=launch, copies=buffers.copies, buffers=buffers, extra_params=extra_params,
                        arguments=arguments)


def _enclosing_loops(node: Node, body: Node) -> list[Node]:
    """The loops around `node` in the entry's body, the outermost first."""
    found = []
    while node is not None and node != body:
        if node.type in ("for_statement", "while_statement", "do_statement", "for_range_loop"):
            found.insert(0, node)
        node = node.parent
    return found


def _enclosing_branch(node: Node, body: Node) -> Node | None:
    while node is not None and node != body:
        if node.type in ("if_statement", "switch_statement", "conditional_expression"):
            return node
        node = node.parent
    return None
