"""The torch side of the harness: load the source with chosen module constants, build the
model with a fixed seed, randomise what a careless candidate could ignore, shrink problems
sized for a GPU, and produce the input families.  Runs inside the sandbox."""

from __future__ import annotations

import ast
import copy
import time
import types
from dataclasses import dataclass, field

import torch

# A problem is shrunk until it fits these (a CPU must run it in a fraction of a second).
MAX_INPUT_ELEMENTS = 1 << 20
MAX_PARAMETERS = 1 << 22
MAX_FORWARD_SECONDS = 0.4
SMALL_SIZES = (3, 2, 5, 8, 16)
TORCH_DTYPES = {"float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32,
                "float64": torch.float64, "int8": torch.int8, "int16": torch.int16, "int32": torch.int32,
                "int64": torch.int64, "uint8": torch.uint8, "bool": torch.bool}


class SourceError(Exception):
    """The reference itself fails (import, construction or forward)."""


@dataclass
class SourceFile:
    path: str
    text: str
    tree: ast.Module
    constants: dict[str, int]  # top-level `name = <int>` assignments
    input_names: set[str]  # names read by get_inputs()
    init_names: set[str]  # names read by get_init_inputs()
    counter: list[int] = field(default_factory=lambda: [0])

    @classmethod
    def read(cls, path: str) -> "SourceFile":
        text = open(path, encoding="utf-8").read()
        tree = ast.parse(text, filename=path)
        constants, reads = {}, {"get_inputs": set(), "get_init_inputs": set()}
        for node in tree.body:
            value = _int_value(node.value) if isinstance(node, ast.Assign) else None
            if isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) for t in node.targets) \
                    and value is not None:
                for target in node.targets:  # `height = width = 32` names two constants
                    constants[target.id] = value
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Tuple) \
                    and isinstance(node.value, ast.Tuple) and len(node.targets[0].elts) == len(node.value.elts) \
                    and all(isinstance(t, ast.Name) for t in node.targets[0].elts):
                for target, element in zip(node.targets[0].elts, node.value.elts):  # D, H, W = 16, 32, 32
                    if _int_value(element) is not None:
                        constants[target.id] = _int_value(element)
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                    and isinstance(node.value, ast.Tuple) and node.value.elts \
                    and all(isinstance(e, ast.Constant) and type(e.value) is int for e in node.value.elts):
                for i, element in enumerate(node.value.elts):  # input_shape = (4096, 64): each size on its own
                    constants[f"{node.targets[0].id}[{i}]"] = element.value
            if isinstance(node, ast.FunctionDef) and node.name in reads:
                reads[node.name] = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        return cls(path, text, tree, constants, reads["get_inputs"], reads["get_init_inputs"])

    def load(self, overrides: dict[str, int] | None = None) -> types.ModuleType:
        """Execute the source as a fresh module, with some top-level constants replaced."""
        tree = copy.deepcopy(self.tree)
        body = []
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Tuple) \
                    and isinstance(node.value, ast.Tuple) and overrides:
                for i, target in enumerate(node.targets[0].elts):
                    if isinstance(target, ast.Name) and target.id in overrides and i < len(node.value.elts):
                        node.value.elts[i] = ast.copy_location(ast.Constant(overrides[target.id]), node.value.elts[i])
            names = [t.id for t in node.targets if isinstance(t, ast.Name)] if isinstance(node, ast.Assign) else []
            if names and len(names) == 1 and isinstance(node.value, ast.Tuple) and overrides:
                for i, element in enumerate(node.value.elts):
                    if f"{names[0]}[{i}]" in (overrides or {}):
                        node.value.elts[i] = ast.copy_location(ast.Constant(overrides[f"{names[0]}[{i}]"]), element)
            if overrides and any(n in overrides for n in names) and len(names) == len(node.targets):
                for name in names:  # split `a = b = 32` so each may take its own value
                    value = overrides.get(name, source_value(node))
                    body.append(ast.copy_location(ast.Assign([ast.Name(name, ast.Store())], ast.Constant(value)),
                                                  node))
                continue
            body.append(node)
        tree.body = body
        ast.fix_missing_locations(tree)
        self.counter[0] += 1
        module = types.ModuleType(f"transverify_source_{self.counter[0]}")
        module.__file__ = self.path
        import sys

        sys.modules[module.__name__] = module  # dataclasses and pickling look modules up by name
        exec(compile(tree, self.path, "exec"), module.__dict__)
        return module


def _int_value(node: ast.expr) -> int | None:
    """The value of an integer literal or of arithmetic on literals (`256 * 8`, `2 ** 20`)."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv, ast.Pow)):
        left, right = _int_value(node.left), _int_value(node.right)
        if left is None or right is None or (isinstance(node.op, ast.Pow) and right > 64):
            return None
        if isinstance(node.op, ast.FloorDiv) and right == 0:
            return None
        return {ast.Add: int.__add__, ast.Sub: int.__sub__, ast.Mult: int.__mul__, ast.FloorDiv: int.__floordiv__,
                ast.Pow: int.__pow__}[type(node.op)](left, right)
    return None


def source_value(node: ast.Assign):
    return _int_value(node.value)


def make_inputs(module, spec: dict, seed: int) -> list:
    torch.manual_seed(seed)
    if spec["inputs"]:
        made = []
        for item in spec["inputs"]:
            dtype = TORCH_DTYPES[item["dtype"]]
            if dtype.is_floating_point:
                made.append(torch.randn(item["shape"], dtype=dtype))
            elif dtype == torch.bool:
                made.append(torch.rand(item["shape"]) > 0.5)
            else:
                made.append(torch.randint(0, 4, item["shape"], dtype=dtype))
        return made
    return list(module.get_inputs())


def init_inputs(module) -> list:
    getter = getattr(module, "get_init_inputs", None)
    return list(getter()) if getter is not None else []


def build(module, spec: dict, seed: int = 0):
    """The reference: a module instance (class entry) or the function itself."""
    entry = getattr(module, spec["entry"])
    if spec["kind"] == "function":
        return entry
    torch.manual_seed(seed)
    model = entry(*init_inputs(module))
    randomise(model, seed)
    return model


def randomise(model: torch.nn.Module, seed: int) -> None:
    """BatchNorm running statistics and constant-initialised tensors get random values, so a
    candidate that ignores them (uses batch statistics, drops a bias of zeros) fails."""
    generator = torch.Generator().manual_seed(seed + 7)
    with torch.no_grad():
        for name, tensor in list(model.named_parameters()) + list(model.named_buffers()):
            if not tensor.is_floating_point() or tensor.numel() == 0:
                continue
            if name.endswith("running_var"):
                tensor.copy_(torch.rand(tensor.shape, generator=generator) + 0.5)
            elif name.endswith("running_mean"):
                tensor.copy_(torch.randn(tensor.shape, generator=generator) * 0.5)
            elif tensor.numel() > 1 and bool((tensor == tensor.reshape(-1)[0]).all()):
                noise = torch.randn(tensor.shape, generator=generator).to(tensor.dtype)
                tensor.add_(noise * 0.5)


def run(reference, inputs: list, mode: str):
    """(outputs, changed buffers) of one forward; inputs are cloned, so in-place ops cannot leak."""
    cloned = [x.clone() if isinstance(x, torch.Tensor) else copy.deepcopy(x) for x in inputs]
    if not isinstance(reference, torch.nn.Module):
        with torch.no_grad():
            return reference(*cloned), {}
    model = copy.deepcopy(reference) if mode == "train" else reference
    model.train(mode == "train")
    before = {k: v.clone() for k, v in model.state_dict().items()} if mode == "train" else {}
    with torch.no_grad():
        out = model(*cloned)
    changed = {}
    if mode == "train":
        for key, value in model.state_dict().items():
            if key in before and not torch.equal(before[key], value):
                changed[key] = value.clone()
    return out, changed


def random_modules(model) -> list[str]:
    """Modules whose output is random in train mode (compared in eval mode only)."""
    if not isinstance(model, torch.nn.Module):
        return []
    return [f"{name or 'model'} ({type(m).__name__})" for name, m in model.named_modules()
            if isinstance(m, torch.nn.modules.dropout._DropoutNd) and m.p > 0]


def _numel(values) -> int:
    return sum(v.numel() for v in values if isinstance(v, torch.Tensor))


def _cost_fits(source: SourceFile, spec: dict, overrides: dict[str, int]) -> bool:
    """Cheap check on the meta device: element and parameter counts within budget."""
    module = source.load(overrides)
    with torch.device("meta"):
        inputs = make_inputs(module, spec, 0)
        if spec["kind"] == "class":
            model = getattr(module, spec["entry"])(*init_inputs(module))
            params = sum(p.numel() for p in model.parameters())
        else:
            model, params = getattr(module, spec["entry"]), 0
        if _numel(inputs) > MAX_INPUT_ELEMENTS or params > MAX_PARAMETERS:
            return False
        try:  # the outputs count too (a small-K matmul has small inputs and a huge product)
            with torch.no_grad():
                out = model(*inputs)
        except Exception:
            return True
    leaves = out if isinstance(out, (tuple, list)) else [out]
    return _numel(leaves) <= 4 * MAX_INPUT_ELEMENTS


def _forward_ok(source: SourceFile, spec: dict, overrides: dict[str, int], mode: str) -> float | None:
    """Seconds one reference forward takes, or None when the reference fails at this size."""
    try:
        module = source.load(overrides)
        reference = build(module, spec)
        inputs = make_inputs(module, spec, 0)
        started = time.monotonic()
        run(reference, inputs, mode)
        first = time.monotonic() - started
        if first <= MAX_FORWARD_SECONDS or first > 8 * MAX_FORWARD_SECONDS:
            return first
        started = time.monotonic()  # the first call pays one-off set-up (kernels, allocator): ask again
        run(reference, inputs, mode)
        return time.monotonic() - started
    except Exception:
        return None


def shrink(source: SourceFile, spec: dict, mode: str, deadline: float) -> dict[str, int]:
    """Halve the largest module constants until the problem fits a CPU; {} when it already does.
    A halving that breaks the model (a size no longer divisible, a kernel larger than its input)
    is undone and that constant is left alone."""
    if spec["inputs"]:
        return {}
    overrides: dict[str, int] = {}
    frozen: set[str] = set()
    history: list[tuple[str, dict[str, int]]] = []
    used = source.input_names | source.init_names
    used = used | {n for n in source.constants if n.split("[")[0] in used}
    last_ok: dict[str, int] | None = None  # the smallest size seen to run, if slowly
    for _ in range(80):
        if time.monotonic() > deadline:
            return overrides if last_ok is None else last_ok
        if _cost_fits_or_unknown(source, spec, overrides):
            seconds = _forward_ok(source, spec, overrides, mode)
            if seconds is not None and seconds <= MAX_FORWARD_SECONDS:
                return overrides
            if seconds is not None:
                last_ok = overrides
            if seconds is None:
                if not history:
                    return overrides  # the reference fails as written: reported by the caller
                name, overrides = history.pop()
                frozen.add(name)
                continue
        values = {**source.constants, **overrides}
        movable = [n for n in values if n in used and n not in frozen and values[n] >= 4]
        if not movable:
            return overrides if last_ok is None else last_ok
        name = max(movable, key=lambda n: values[n])
        history.append((name, overrides))
        # Equal sizes usually mean the same dimension (batch_size and input_shape[0]): halve them together.
        overrides = {**overrides, **{n: values[n] // 2 for n in movable if values[n] == values[name]}}
    return overrides if last_ok is None else last_ok


def _cost_fits_or_unknown(source: SourceFile, spec: dict, overrides: dict[str, int]) -> bool:
    try:
        return _cost_fits(source, spec, overrides)
    except Exception:
        return True


def tiny_overrides(source: SourceFile, spec: dict, base: dict[str, int], mode: str) -> dict[str, int] | None:
    """Small values for the constants only get_inputs() reads (batch, spatial sizes): the shapes a
    translation must not have baked in.  None when the source has no such free constants."""
    if spec["inputs"]:
        return None
    free = [n for n in source.constants if n.split("[")[0] in source.input_names
            and n.split("[")[0] not in source.init_names]
    if not free:
        return None
    chosen = dict(base)
    changed = False
    done: set[str] = set()
    for name in free:
        if name in done:
            continue
        current = chosen.get(name, source.constants[name])
        # sizes equal to this one usually name the same dimension: they change together
        group = [n for n in free if chosen.get(n, source.constants[n]) == current]
        done.update(group)
        for small in SMALL_SIZES:
            if small >= current:
                break
            trial = {**chosen, **{n: small for n in group}}
            if _forward_ok(source, spec, trial, mode) is not None:
                chosen, changed = trial, True
                break
    return chosen if changed else None


def tiny_inputs(inputs: list, seed: int) -> list | None:
    """For --input specs: the same inputs with a batch of 3 (dimension 0), when that runs."""
    torch.manual_seed(seed)
    out, any_tensor = [], False
    for x in inputs:
        if isinstance(x, torch.Tensor) and x.dim() >= 1 and x.shape[0] != 3:
            shape = (3, *x.shape[1:])
            any_tensor = True
            out.append(torch.randn(shape, dtype=x.dtype) if x.is_floating_point()
                       else x[torch.arange(3) % x.shape[0]] if x.shape[0] else x)
        else:
            out.append(x)
    return out if any_tensor else None


def widen(inputs: list, seed: int) -> list:
    """Wide-range normal inputs in place of the floating-point ones (benchmark inputs often lie in
    [0, 1), where tanh- and erf-GELU agree); integer inputs (indices, labels) are kept."""
    generator = torch.Generator().manual_seed(seed + 1000)
    out = []
    for x in inputs:
        if isinstance(x, torch.Tensor) and x.is_floating_point():
            out.append((torch.randn(x.shape, generator=generator) * 3.0).to(x.dtype))
        else:
            out.append(x)
    return out
