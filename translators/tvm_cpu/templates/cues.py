"""What template matching looks at: the entry's signature and cheap structural cues of its kernels.

Nothing here executes or lifts the kernel; the cues only rank candidate templates,
verification against the .cu decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ....verify.cuda.extents import resolve
from ....verify.cuda.parse import function_name, function_qualifiers, is_kernel_launch, parse, text_of, walk
from ....verify.cuda.signature import HostFunction, choose_entry, read_source
from ....verify.errors import VerifyInputError
from ..errors import Unliftable
from ..tables import constant_arrays
from ..lift_calls import device_functions

_WARP = re.compile(r"^(__shfl\w*|__ballot_sync|__any_sync|__all_sync|__reduce\w*)$")
_ATOMIC = re.compile(r"^atomic(\w+)$")


@dataclass
class Cues:
    host: HostFunction
    kernels: list[str]  # names of the kernels the entry launches
    inputs: list  # const pointer params (verify.cuda.signature.Param), in order
    outputs: list  # non-const pointer params, in order
    sizes: list  # integer scalar params, in order
    others: list  # other scalar params
    shared: bool = False
    barrier: bool = False
    atomics: set = field(default_factory=set)  # "Add", "Max", ...
    warp: bool = False
    loops: int = 0
    log_loops: int = 0  # loops whose counter doubles or halves (tree levels of a reduction or scan)
    calls: set = field(default_factory=set)  # every called name in the kernels (expf, fmaxf, ...)
    modulo: bool = False  # a `%` in a kernel (bin of a histogram)
    copied_in: set = field(default_factory=set)  # host pointers copied to the device (read by the kernel)
    shapes: dict = field(default_factory=dict)  # pointer param -> element count as the verifier reads it ("n*n")
    float_literals: list = field(default_factory=list)  # floating literals of the kernels, as written (macros expanded)
    block_sizes: list = field(default_factory=list)  # threads per block of each launch, where a constant
    # comparisons of an array element with a literal or a name, the element on the left: ("x", ">", "0.0f")
    comparisons: list = field(default_factory=list)
    defines: dict = field(default_factory=dict)  # object-like macros of the file: name -> value text
    # __constant__ arrays the kernels read -> tables.constant_arrays' answer (a table of literals, the
    # host pointer parameter that fills it, or why neither)
    constants: dict = field(default_factory=dict)
    subscripts: dict = field(default_factory=dict)  # array name -> index texts of the kernels' reads of it

    @property
    def returns(self) -> str | None:
        return self.host.return_dtype

    def size_names(self) -> list[str]:
        return [p.name for p in self.sizes]


def read_cues(path: Path, entry: str | None, shapes: dict | None = None, values: dict | None = None) -> Cues:
    """shapes/values: the verifier's --shape/--value options (they win over the source's comments)."""
    try:
        source = read_source(path, "cuda")
        host = choose_entry(source, entry)
    except VerifyInputError as exc:
        raise Unliftable(exc.construct or "entry", getattr(exc, "line", None), str(exc)) from None
    try:
        extents = resolve(host, [source], dict(shapes or {}), dict(values or {})).shapes
    except VerifyInputError:
        extents = {}  # the verifier will say what is missing; the cues go without
    tree = parse(source.text, "cuda")
    kernels = {function_name(f): f for f in walk(tree.root_node)
               if f.type == "function_definition" and "__global__" in function_qualifiers(f)}
    # Host functions the entry calls count too (a recursive scan_device helper holds the launches).
    helpers = {function_name(f): f for f in walk(tree.root_node)
               if f.type == "function_definition" and not {"__global__", "__device__"} & function_qualifiers(f)}
    host_bodies, todo_host, launched, launches = [], [host.body], [], []
    while todo_host:
        body = todo_host.pop(0)
        host_bodies.append(body)
        for node in walk(body):
            if is_kernel_launch(node):
                launches.append(node)
                name = text_of(node.child_by_field_name("function"))
                if name in kernels and name not in launched:
                    launched.append(name)
            elif node.type == "call_expression":
                callee = text_of(node.child_by_field_name("function"))
                if callee in helpers and helpers[callee].child_by_field_name("body") not in host_bodies + todo_host:
                    todo_host.append(helpers[callee].child_by_field_name("body"))
    cues = Cues(host=host, kernels=launched,
                inputs=[p for p in host.params if p.pointer and p.const],
                outputs=[p for p in host.params if p.pointer and not p.const],
                sizes=[p for p in host.params if not p.pointer and p.dtype == "int32"],
                others=[p for p in host.params if not p.pointer and p.dtype != "int32"],
                shapes={k: v.replace(" ", "") for k, v in extents.items()})
    defines = _defines(tree.root_node)
    cues.defines = defines
    try:
        declared_constants = constant_arrays(tree.root_node, host.body, {p.name: p for p in host.params})
    except Unliftable:  # a __constant__ declaration the table reader cannot follow: no constant cues
        declared_constants = {}
    # Device functions the kernels call count too (a warp_sum helper holds the shuffles).
    device = {name: helper.node for name, helper in device_functions(tree.root_node).items()}
    seen: set[str] = set()
    todo = [kernels[k] for k in launched]
    while todo:
        func = todo.pop()
        for node in walk(func):
            text = text_of(node)
            if node.type in ("storage_class_specifier", "type_qualifier", "identifier") and text == "__shared__":
                cues.shared = True
            elif node.type in ("for_statement", "while_statement", "do_statement"):
                cues.loops += 1
                update = node.child_by_field_name("update")
                if update is not None and _LOG_STEP.search(text_of(update).replace(" ", "")):
                    cues.log_loops += 1
            elif node.type == "subscript_expression":
                array = text_of(node.child_by_field_name("argument") or node.children[0])
                index = text_of(node)[len(array):].strip()
                cues.subscripts.setdefault(array, []).append(index[1:-1].strip() if index.startswith("[") else index)
                if array in declared_constants:
                    cues.constants[array] = declared_constants[array]
            elif node.type == "binary_expression" and text_of(node.child_by_field_name("operator")) == "%":
                cues.modulo = True
            elif node.type == "binary_expression" and text_of(node.child_by_field_name("operator")) in _FLIPPED:
                compared = _element_comparison(node, defines)
                if compared is not None and compared not in cues.comparisons:
                    cues.comparisons.append(compared)
            elif node.type in ("number_literal", "identifier"):
                literal = defines.get(text, text) if node.type == "identifier" else text
                if _FLOAT.match(literal) and literal not in cues.float_literals:
                    cues.float_literals.append(literal)
            elif node.type == "call_expression":
                fn = node.child_by_field_name("function")
                fname = text_of(fn) if fn is not None else ""
                cues.calls.add(fname)
                if fname.startswith("__syncthreads") or fname in ("sync", "__syncwarp") or fname.endswith(".sync"):
                    cues.barrier = True
                if _WARP.match(fname):
                    cues.warp = True
                atomic = _ATOMIC.match(fname)
                if atomic:
                    cues.atomics.add(atomic.group(1))
                if fname in device and fname not in seen:
                    seen.add(fname)
                    todo.append(device[fname])
    for launch in launches:
        size = _launch_block_size(launch, defines)
        if size is not None:
            cues.block_sizes.append(size)
    for node in walk(host.body):
        if node.type == "call_expression" and text_of(node.child_by_field_name("function")) in (
                "cudaMemcpy", "cudaMemcpyAsync"):
            args = [text_of(a).strip() for a in node.child_by_field_name("arguments").named_children]
            if len(args) >= 4 and args[3].endswith("HostToDevice"):
                cues.copied_in.add(args[1].lstrip("&"))
    return cues


_FLOAT = re.compile(r"^((\d+\.\d*|\.\d+)([eE][-+]?\d+)?|\d+[eE][-+]?\d+)[fFlL]?$")
_INTEGER = re.compile(r"^\(?\s*(\d+)[uU]?\s*\)?$")


def _defines(root) -> dict[str, str]:
    """Object-like macros with a plain literal value (`#define EPS 1e-5f`, `#define BLOCK 256`)."""
    found = {}
    for node in walk(root):
        if node.type == "preproc_def":
            name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
            if name is not None and value is not None:
                found[text_of(name)] = text_of(value).strip()
    return found


def _launch_block_size(launch, defines: dict) -> int | None:
    """The threads per block of `kernel<<<grid, block>>>` when it is an integer constant (or a macro of one)."""
    config = next((c for c in launch.children if c.type == "kernel_call_syntax"), None)
    if config is None:
        return None
    arguments = [c for c in config.named_children]
    if len(arguments) < 2:
        return None
    text = text_of(arguments[1]).strip()
    text = defines.get(text, text)
    match = _INTEGER.match(text)
    return int(match.group(1)) if match else None


_LOG_STEP = re.compile(r"(<<=|>>=)1\b|(\*=|/=)2\b|=\w+(\*|/)2$|=\w+(<<|>>)1$")
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _element_comparison(node, defines: dict):
    """(array, op, other) for `a[i] op other` or `other op a[i]`, other a literal or a plain name."""
    op = text_of(node.child_by_field_name("operator"))
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if left is None or right is None:
        return None
    if right.type == "subscript_expression" and left.type != "subscript_expression":
        left, right, op = right, left, _FLIPPED[op]
    if left.type != "subscript_expression" or right.type not in ("number_literal", "identifier"):
        return None
    array = left.child_by_field_name("argument")
    other = text_of(right)
    return (text_of(array) if array is not None else "", op, defines.get(other, other))
