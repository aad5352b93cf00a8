"""Ping-pong buffers: device pointers a host loop swaps between steps (`std::swap(d_a, d_b)`, `tmp =
d_a; d_a = d_b; d_b = tmp;`), and the entry's calls of the lifted launches that follow them.

The CPU equivalent computes in the host arrays themselves: `d_a` is host `a`'s array, `d_b` host
`b`'s. A local pointer per swapped array holds the array its device name holds now; the launches
take those pointers and the loop swaps them as the CUDA loop swaps the device pointers. After the
last launch the entry copies each device array back to its host array (`cudaMemcpy(a, d_a, S, ...)`):
where `d_a` then holds `b`'s array (an odd number of swaps), the two arrays' contents are exchanged
over those S bytes. So both arrays must be copied back, with the same size, after the last launch,
and copied nowhere between launches; otherwise the swap is refused, naming why.
"""

from __future__ import annotations

from dataclasses import dataclass, field


from ...verify.cuda.parse import line_of, text_of, walk
from .entry_locals import as_macros, constant_locals
from .errors import Unliftable
from .host_loop import host_int, host_loops
from .macros import object_macros, type_aliases


@dataclass
class PingPong:
    holders: dict = field(default_factory=dict)  # host pointer parameter -> the local pointer holding its array
    prologue: list = field(default_factory=list)  # C++ statements before the first launch
    epilogue: list = field(default_factory=list)  # ... after the last one
    copies: dict = field(default_factory=dict)  # device pointer -> host parameter


def read_ping_pong(launches: list, host, copies: dict, local_params: dict | None = None) -> PingPong:
    """The swaps of the launches' host loops checked against the entry's copies (`copies`: device
    pointer -> host parameter) and local buffers (`local_params`: name -> Param; the local pointer
    itself is swapped), or an empty PingPong when no loop swaps pointers."""
    swaps = [swap for loop in host_loops(launches) for swap in loop.swaps]
    found = PingPong(copies=copies)
    if not swaps:
        return found
    local_params = local_params or {}
    params = {p.name: p for p in host.params}
    pairs: dict[str, frozenset] = {}
    for swap in swaps:
        pair = frozenset((swap.first, swap.second))
        for name in (swap.first, swap.second):
            if name not in copies and name not in local_params:
                raise Unliftable("pointer swap", swap.line, f"'{name}' swapped in the host loop is not a device "
                                 "copy of a host parameter (`cudaMemcpy` to or from one) or a device buffer of the "
                                 "entry that a launch takes")
            if pairs.setdefault(name, pair) != pair:
                raise Unliftable("pointer swap", swap.line, f"'{name}' is swapped with two different pointers; "
                                 "ping-pong buffers that swap in one pair are lifted")
        if swap.first in local_params or swap.second in local_params:
            _check_local_pair(swap, copies, local_params, params)
            continue
        first, second = copies[swap.first], copies[swap.second]
        if first == second or params[first].const or params[second].const \
                or params[first].dtype != params[second].dtype:
            raise Unliftable("pointer swap", swap.line, f"'{swap.first}' and '{swap.second}' are copies of "
                             f"'{first}' and '{second}': ping-pong buffers of two non-const host arrays of one type "
                             "are lifted")
    entry = host.body.parent
    macros, types = {**object_macros(entry), **as_macros(constant_locals(host.body))}, type_aliases(entry)
    first_launch = min(launch.node.start_byte for launch in launches)
    last_launch = max(launch.node.end_byte for launch in launches)
    used = {p.name for p in host.params} | {loop.var for loop in host_loops(launches)} | set(local_params)
    for pair in dict.fromkeys(pairs.values()):
        if any(name in local_params for name in pair):
            _local_pair(pair, found, host, copies, local_params, params, first_launch, last_launch, macros, types,
                        swaps, used)
            continue
        a, b = sorted(pair, key=lambda name: copies[name])
        sizes = [_copied_back(host, copies, name, first_launch, last_launch, params, macros, types,
                              next(s.line for s in swaps if name in (s.first, s.second))) for name in (a, b)]
        line = next(s.line for s in swaps if s.first in pair)
        if sizes[0] != sizes[1]:
            raise Unliftable("pointer swap", line, f"'{a}' and '{b}' are copied back with different sizes "
                             f"({sizes[0]}, {sizes[1]}); ping-pong buffers copied back whole are lifted")
        host_a, host_b = copies[a], copies[b]
        for name in (host_a, host_b):
            _hold(name, _device(copies, name), found, used)
        found.epilogue += [
            f"if ({found.holders[host_a]} != {host_a}) {{  // an odd number of swaps: '{a}' holds {host_b}'s array",
            f"    std::swap_ranges(reinterpret_cast<char*>({host_a}), reinterpret_cast<char*>({host_a}) + "
            f"({sizes[0]}), reinterpret_cast<char*>({host_b}));",
            "}"]
    return found


def entry_steps(launches: list, names: list[str], owns: list[list], ping: PingPong, transfers: list = ()) -> list:
    """The entry's statements in source order as (host loop key or None, C++ statement): each launch's
    call (its array arguments the holders of ping-pong arrays), the swaps between them, and
    `transfers`: (byte offset, host loop or None, statement) of the copies and sets among them."""
    def key(loop):
        return loop.key() if loop else None

    placed = []  # (byte offset, host loop key, statement)
    for k, launch in enumerate(launches):
        passed = (ping.holders.get(p.name, launch.arguments.get(p.name, p.name)) for p in owns[k])
        call = f"{names[k]}({', '.join(passed)});"
        placed.append((launch.node.start_byte, key(launch.loop), call))
    for loop in host_loops(launches):
        placed += [(swap.start, key(loop), _swap_call(swap, ping)) for swap in loop.swaps]
    placed += [(start, key(loop), statement) for start, loop, statement in transfers]
    return [(where, statement) for _, where, statement in sorted(placed, key=lambda item: item[0])]


def _swap_call(swap, ping: PingPong) -> str:
    return f"std::swap({_holder(swap.first, ping)}, {_holder(swap.second, ping)});"


def _holder(device: str, ping: PingPong) -> str:
    """The local pointer holding the array `device` names now: a host array's holder, or the local
    buffer's own pointer."""
    return ping.holders[ping.copies[device]] if device in ping.copies else device


def _check_local_pair(swap, copies: dict, local_params: dict, params: dict) -> None:
    types = {name: (local_params[name] if name in local_params else params[copies[name]])
             for name in (swap.first, swap.second)}
    if types[swap.first].dtype != types[swap.second].dtype:
        raise Unliftable("pointer swap", swap.line, f"'{swap.first}' and '{swap.second}' hold arrays of different "
                         "types; ping-pong buffers of one type are lifted")
    for name in (swap.first, swap.second):
        if name in copies and params[copies[name]].const:
            raise Unliftable("pointer swap", swap.line, f"'{name}' is a copy of '{copies[name]}', a const input; "
                             "ping-pong buffers of non-const host arrays are lifted")


def _local_pair(pair, found: PingPong, host, copies: dict, local_params: dict, params: dict, first_launch: int,
                last_launch: int, macros: dict, types: dict, swaps: list, used: set) -> None:
    """A pair with a local buffer: the local pointer is swapped itself; a host array's device copy in
    the pair gets a holder, and after the loop, where the holder points at the local array (an odd
    number of swaps), that array is copied to the host array as the CUDA copy back does."""
    for name in sorted(pair):
        if name in local_params:
            continue
        line = next(s.line for s in swaps if name in (s.first, s.second))
        size = _copied_back(host, copies, name, first_launch, last_launch, params, macros, types, line)
        host_name = copies[name]
        holder = _hold(host_name, name, found, used)
        found.epilogue += [
            f"if ({holder} != {host_name}) {{  // an odd number of swaps: '{name}' holds a local buffer's array",
            f"    std::memcpy({host_name}, {holder}, {size});",
            "}"]


def _hold(host_name: str, device: str, found: PingPong, used: set) -> str:
    """A local pointer, unused in the entry, holding the array the device pointer names now (at
    first the host array): its name, declared in the prologue."""
    holder = f"{host_name}_now"
    while holder in used:
        holder += "_"
    used.add(holder)
    found.holders[host_name] = holder
    found.prologue.append(f"auto {holder} = {host_name};  // the array '{device}' holds now")
    return holder


def _device(copies: dict, host_name: str) -> str:
    return next(device for device, name in copies.items() if name == host_name)


def _copied_back(host, copies: dict, name: str, first_launch: int, last_launch: int, params: dict, macros: dict,
                 types: dict, line: int) -> str:
    """The size (C++ text, bytes) of `cudaMemcpy(host, name, size, cudaMemcpyDeviceToHost)` after the last
    launch; refused when there is none or when `name` is copied between the launches."""
    back = None
    for node in walk(host.body):
        if node.type != "call_expression" or not text_of(node.child_by_field_name("function")).startswith("cudaMemcpy"):
            continue
        args = node.child_by_field_name("arguments").named_children
        if len(args) < 4 or name not in (text_of(args[0]).strip(), text_of(args[1]).strip()):
            continue
        if first_launch < node.start_byte < last_launch:
            raise Unliftable("pointer swap", line_of(node), f"'{name}' is copied between the launches; ping-pong "
                             "buffers copied only before the first launch and after the last are lifted")
        if node.start_byte > last_launch and text_of(args[1]).strip() == name \
                and text_of(args[3]).strip().endswith("DeviceToHost") and text_of(args[0]).strip() == copies[name]:
            try:
                back = host_int(args[2], params, macros, line_of(node), types=types)
            except Unliftable:
                raise Unliftable("pointer swap", line_of(node), f"the size '{text_of(args[2]).strip()}' '{name}' is "
                                 "copied back with is not an expression over integer parameters, literals, macros "
                                 "and sizeof of a scalar type") from None
    if back is None:
        raise Unliftable("pointer swap", line, f"'{name}' is swapped but not copied back to '{copies[name]}' after "
                         "the last launch; ping-pong buffers that are both copied back are lifted")
    return back
