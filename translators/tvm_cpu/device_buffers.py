"""The entry's device buffers: which stand for a host array and which become local arrays.

A device pointer that is a copy of exactly one host pointer parameter (`cudaMemcpy` to it from that
array, or from it back to that array, and no other device pointer copied to or from the array) is
that array: the CPU equivalent computes in the host array itself. Any other buffer `cudaMalloc`ed in
the entry is *local*: a scratch array with no host copy (`d_tmp` of a Jacobi sweep), one of two
device copies of one host array (both halves of a ping-pong pair loaded from `u`), or a buffer
copied between device pointers. A local buffer becomes a zero-filled local array of the allocated
size, named as the device pointer; the copies and `cudaMemset`s that fill it before the first
launch, and the copies that read it after the last one, become `std::memcpy`/`std::memset` in the
same order. A `cudaMemset` of a buffer that is a host array becomes a `std::memset` of that array
(unless a later copy refills it). A buffer copied or set between launches is always local, and the
copy or set runs where it is among the launches (`cudaMemcpy(d_u, d_new, S, cudaMemcpyDeviceToDevice)`
after each time step); one under a branch or in a loop without launches is refused, naming the call
and its line. A host array's copy that a launch writes but the entry never copies back gets a local
copy too (`shadow_copies`): the CUDA entry leaves the host array as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

from ...verify.cuda.parse import is_kernel_launch, line_of, text_of, walk
from ...verify.cuda.signature import HostFunction, Param
from .entry_locals import DerivedScalars, as_macros, constant_locals
from .errors import Unliftable
from .host_loop import TRANSFER_CALLS, host_int
from .macros import object_macros, type_aliases
from .tir_util import C_TYPES

_COPIES = tuple(call for call in TRANSFER_CALLS if "Memcpy" in call)
_SETS = tuple(call for call in TRANSFER_CALLS if "Memset" in call)


@dataclass
class Transfer:
    """A `cudaMemcpy` (kind "copy") or `cudaMemset` (kind "set") call of the entry."""
    kind: str
    dst: str  # the destination pointer as written (an identifier when the call can be translated)
    src: str  # the source pointer ("copy") or the byte value ("set"), as written
    direction: str  # "HostToDevice", "DeviceToHost", "DeviceToDevice", "" for a set
    size: Node
    value: Node | None
    line: int
    start: int  # byte offset, to place it before, between or after the launches
    node: Node | None = None  # the call

    @property
    def call(self) -> str:
        return "cudaMemcpy" if self.kind == "copy" else "cudaMemset"


@dataclass
class LocalBuffer:
    name: str
    size: Node  # the allocation's size in bytes
    line: int
    param: Param | None = None  # set by the first kernel launch that takes it (its element type)

    @property
    def type_text(self) -> str:
        return C_TYPES[self.param.dtype] if self.param is not None else "unsigned char"


@dataclass
class DeviceBuffers:
    copies: dict = field(default_factory=dict)  # device pointer standing for a host array -> that parameter
    allocated: dict = field(default_factory=dict)  # device pointer cudaMalloc'ed in the entry -> (size, line)
    locals: dict = field(default_factory=dict)  # local buffers kernels take, by name (LocalBuffer)
    transfers: list = field(default_factory=list)
    scalars: DerivedScalars | None = None  # the scalar locals launches take (entry_locals.py)
    region: tuple = (0, 0)  # bytes from the first launch (or its host loop) to the end of the last
    named: set = field(default_factory=set)  # parameter names given to launch arguments written as expressions

    def not_copied_back(self) -> dict:
        """Host array -> its device copy, for the copies never copied back to it after the launches: a
        launch that writes one must not write the host array (the CUDA entry leaves it as it was)."""
        back = {t.src for t in self.transfers if t.kind == "copy" and t.start >= self.region[1]
                and self.copies.get(t.src) == t.dst}
        return {host: device for device, host in self.copies.items() if device not in back}

    def host_copies(self, host: HostFunction) -> dict:
        """Host pointer parameter -> the local buffers a cudaMemcpy connects it with."""
        params = {p.name for p in host.params if p.pointer}
        found: dict = {}
        for transfer in self.transfers:
            if transfer.kind == "copy":
                for a, b in ((transfer.dst, transfer.src), (transfer.src, transfer.dst)):
                    if a in params and b in self.locals:
                        found.setdefault(a, []).append(b)
        return found

    def argument_name(self, stem: str, taken: dict) -> str:
        """A parameter name for a launch argument written as an expression, unused in the entry."""
        name = stem
        while name in taken or name in self.allocated or name in self.scalars.locals or name in self.named:
            name += "_"
        self.named.add(name)
        return name

    def local(self, name: str, kernel_param: Param | None = None) -> LocalBuffer | None:
        """The local buffer `name` (created on first use; `kernel_param`, a kernel parameter it is passed
        as, gives its element type), or None when it is not one."""
        if name in self.copies or name not in self.allocated:
            return None
        if name not in self.locals:
            size, line = self.allocated[name]
            self.locals[name] = LocalBuffer(name, size, line)
        local = self.locals[name]
        if kernel_param is not None and local.param is None and kernel_param.dtype in C_TYPES:
            local.param = Param(name=name, type_text=C_TYPES[kernel_param.dtype], dtype=kernel_param.dtype,
                                pointer=True, const=False, line=local.line,
                                declaration=f"{C_TYPES[kernel_param.dtype]}* {name}")
        return local


def read_device_buffers(host: HostFunction, region: tuple[int, int]) -> DeviceBuffers:
    """The entry's buffers; `region`: the bytes from the first launch (or the host loop it runs in)
    to the last. A device pointer copied or set inside the region is never a host array's copy: the
    host array would not hold what the device buffer holds between the launches."""
    params = {p.name: p for p in host.params}
    entry = host.body.parent
    found = DeviceBuffers(scalars=DerivedScalars(params, constant_locals(host.body), object_macros(entry),
                                                 type_aliases(entry)), region=region)
    touches: dict[str, set] = {}  # pointer -> the pointers a copy connects it with
    for node in walk(host.body):
        if node.type == "call_expression" and not is_kernel_launch(node):
            name = text_of(node.child_by_field_name("function")).strip()
            args = node.child_by_field_name("arguments").named_children
            if name == "cudaMalloc" and len(args) >= 2 and _address_of(args[0]):
                found.allocated.setdefault(_address_of(args[0]), (args[1], line_of(node)))
            elif name in _COPIES and len(args) >= 4:
                dst, src = text_of(args[0]).strip(), text_of(args[1]).strip()
                direction = text_of(args[3]).strip().rsplit("Memcpy", 1)[-1]
                found.transfers.append(Transfer("copy", dst, src, direction, args[2], None, line_of(node),
                                                node.start_byte, node))
                touches.setdefault(dst, set()).add(src)
                touches.setdefault(src, set()).add(dst)
            elif name in _SETS and len(args) >= 3:
                found.transfers.append(Transfer("set", text_of(args[0]).strip(), "", "", args[2], args[1],
                                                line_of(node), node.start_byte, node))
    inside = {name for t in found.transfers if region[0] <= t.start < region[1] for name in (t.dst, t.src)}
    # a set buffer the entry never copies back is scratch: setting the host array would change it
    back = {t.src for t in found.transfers if t.kind == "copy" and t.start >= region[1] and t.dst in params}
    scratch = {t.dst for t in found.transfers if t.kind == "set"} - back
    for device, others in touches.items():
        if device in params or len(others) != 1 or device in inside or device in scratch:
            continue
        (host_name,) = others
        if host_name in params and params[host_name].pointer and touches.get(host_name) == {device}:
            found.copies[device] = host_name
    return found


def _address_of(node: Node) -> str | None:
    """`d` of `&d` or `(void**)&d`."""
    while node.type in ("cast_expression", "parenthesized_expression"):
        node = node.child_by_field_name("value") if node.type == "cast_expression" else node.named_children[0]
    if node.type == "pointer_expression" and text_of(node.child_by_field_name("operator")) == "&":
        target = node.child_by_field_name("argument")
        return text_of(target) if target is not None and target.type == "identifier" else None
    return None


@dataclass
class EntryStatements:
    prologue: list = field(default_factory=list)  # scalar locals, local arrays and what fills them, before the first launch
    epilogue: list = field(default_factory=list)  # copies out of local arrays after the last launch
    steps: list = field(default_factory=list)  # (byte offset, host loop node or None, statement) among the launches

    def __bool__(self) -> bool:
        return bool(self.prologue or self.epilogue or self.steps)


def entry_statements(buffers: DeviceBuffers, host: HostFunction, region: tuple[int, int], holders: dict,
                     loops: list) -> EntryStatements:
    """The C++ statements the entry needs for the local buffers and the sets of host arrays: before
    the launches, among them (each with the host loop it runs in, from `loops`: the launches' host
    loops) and after them. `holders`: host parameter -> the local pointer holding its array (ping-pong)."""
    params = {p.name: p for p in host.params}
    entry = host.body.parent
    sizes = _SizeReader(host, params, object_macros(entry), type_aliases(entry))
    for transfer in buffers.transfers:  # buffers only copies use get a local array too
        for name in (transfer.dst, transfer.src):
            buffers.local(name)
    found = EntryStatements(prologue=buffers.scalars.declarations())
    for local in buffers.locals.values():
        storage = f"{local.name}_storage"
        found.prologue += [
            f"std::vector<unsigned char> {storage}({sizes.text(local.size, local.line, 'cudaMalloc')});"
            f"  // device buffer '{local.name}' (line {local.line})",
            f"{local.type_text}* {local.name} = reinterpret_cast<{local.type_text}*>({storage}.data());"]
    before = []  # (statement, the host array a set fills or None)
    for transfer in buffers.transfers:
        involved = [name for name in (transfer.dst, transfer.src) if name in buffers.locals]
        if transfer.start < region[0]:
            if transfer.kind == "copy" and transfer.dst in buffers.copies:
                # the host array already holds what this copy loads: a set of it before is overwritten
                before = [(s, filled) for s, filled in before if filled != transfer.dst]
                continue
            statement = _statement(transfer, buffers, params, sizes, holders={})
            if statement is not None:
                before.append((statement, transfer.dst if transfer.kind == "set" else None))
        elif transfer.start < region[1]:
            loop = _placed_in(transfer, host, loops)
            statement = _statement(transfer, buffers, params, sizes, holders)
            if statement is None:
                raise Unliftable(transfer.call, transfer.line, f"'{transfer.dst}' is {transfer.call}'d between "
                                 "kernel launches, but it is not a device buffer the entry allocates")
            found.steps.append((transfer.start, loop, statement))
        elif transfer.kind == "copy" and involved:
            found.epilogue.append(_statement(transfer, buffers, params, sizes, holders))
    found.prologue += [statement for statement, _ in before]
    return found


def launch_statements(launches: list, holders: dict) -> EntryStatements:
    """entry_statements for the entry of `launches` (launch.KernelLaunch, one entry's)."""
    from .host_loop import host_loops

    buffers = launches[0].buffers
    return entry_statements(buffers, launches[0].entry, buffers.region, holders, host_loops(launches))


def shadow_copies(buffers: DeviceBuffers, host: HostFunction, written: set) -> tuple[dict, list]:
    """For each host array whose device copy a launch writes but the entry never copies back: a local
    copy of it, loaded before the launches, that the launches take in its place. (holders: host
    array -> the local copy's name, the prologue's statements)."""
    params = {p.name: p for p in host.params}
    entry = host.body.parent
    sizes = _SizeReader(host, params, object_macros(entry), type_aliases(entry))
    holders, prologue = {}, []
    for host_name, device in buffers.not_copied_back().items():
        if host_name not in written:
            continue
        load = next((t for t in buffers.transfers if t.kind == "copy" and t.dst == device and t.src == host_name
                     and t.start < buffers.region[0]), None)
        if load is None:
            continue  # not loaded from the host array: nothing of it reaches the launches
        size = sizes.text(load.size, load.line, "cudaMemcpy")
        c_type = C_TYPES[params[host_name].dtype]
        holders[host_name] = device
        prologue += [f"std::vector<unsigned char> {device}_storage({size});  // device copy '{device}' of "
                     f"{host_name} (line {load.line}): written, never copied back",
                     f"{c_type}* {device} = reinterpret_cast<{c_type}*>({device}_storage.data());",
                     f"std::memcpy({device}, {host_name}, {size});"]
    return holders, prologue


def _placed_in(transfer: Transfer, host: HostFunction, loops: list):
    """The host loop of launches a copy or set between the launches runs in (None: the entry's body);
    refused under a branch or in another loop."""
    starts = {loop.node.start_byte: loop for loop in loops}
    node, found = transfer.node.parent, None
    while node is not None and node != host.body:
        if node.type == "for_statement" and node.start_byte in starts:
            found = found or starts[node.start_byte]  # the innermost; its key names the outer ones
        elif node.type not in ("call_expression", "argument_list", "expression_statement", "compound_statement"):
            raise Unliftable(transfer.call, transfer.line, f"a {transfer.call} between the launches under a "
                             f"{node.type.split('_')[0]} (line {line_of(node)}); copies and sets that run once, or "
                             "on every step of a host loop of launches, are lifted")
        node = node.parent
    return found


def _statement(transfer: Transfer, buffers: DeviceBuffers, params: dict, sizes, holders: dict) -> str | None:
    """The C++ statement of a copy or set, or None when it touches no local buffer and sets no host
    array (a copy of a host array to its own device copy)."""
    def place(name: str) -> str | None:
        if name in buffers.locals:
            return name
        if name in buffers.copies:
            host_name = buffers.copies[name]
            return holders.get(host_name, host_name)
        if name in params and params[name].pointer:
            return name
        return None

    if transfer.kind == "set":
        if transfer.dst in buffers.copies and params[buffers.copies[transfer.dst]].const:
            raise Unliftable("cudaMemset", transfer.line, f"'{transfer.dst}' is set after it is loaded from the const "
                             f"input '{buffers.copies[transfer.dst]}'; sets of device buffers that no const input "
                             "stands for are lifted")
        target = place(transfer.dst)
        if transfer.dst not in buffers.locals and transfer.dst not in buffers.copies:
            return None  # not a buffer of the entry
        value = sizes.text(transfer.value, transfer.line, "cudaMemset")
        return f"std::memset({target}, {value}, {sizes.text(transfer.size, transfer.line, 'cudaMemset')});" \
               f"  // cudaMemset of '{transfer.dst}' (line {transfer.line})"
    if transfer.dst not in buffers.locals and transfer.src not in buffers.locals:
        return None
    dst, src = place(transfer.dst), place(transfer.src)
    for name, where in ((transfer.dst, dst), (transfer.src, src)):
        if where is None:
            raise Unliftable("cudaMemcpy", transfer.line, f"'{name}' is copied to or from a device buffer of the "
                             "entry; copies between device buffers and host pointer parameters are lifted")
    return f"std::memcpy({dst}, {src}, {sizes.text(transfer.size, transfer.line, 'cudaMemcpy')});" \
           f"  // cudaMemcpy{transfer.direction} (line {transfer.line})"


class _SizeReader:
    """Sizes of allocations, copies and sets as C++ text over the entry's integer parameters, literals,
    macros, `sizeof` of scalar types and integer locals the entry declares once and never assigns
    (`size_t bytes = n * sizeof(float);`)."""

    def __init__(self, host: HostFunction, params: dict, macros: dict, types: dict):
        self.params, self.types = params, types
        self.macros = {**macros, **as_macros(constant_locals(host.body))}

    def text(self, node: Node, line: int, call: str) -> str:
        try:
            return host_int(node, self.params, self.macros, line, types=self.types)
        except Unliftable:
            raise Unliftable(call, line, f"the size '{text_of(node).strip()[:60]}' of {call} is not an integer "
                             "expression over the entry's integer parameters, literals, macros, sizeof of a scalar "
                             "type and integer locals set once") from None
