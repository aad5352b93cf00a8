"""Intermediate outputs of named submodules, to say where a wrong candidate first goes wrong.

The reference side records the output of every torch submodule (forward hooks, in execution
order, first call only); the candidate side records the outputs of the candidate's attributes
that are layers, under the same dotted names (`block.conv1`, `layers.0`: the rule translator
keeps torch's names), in one eager run of the mismatching case.  The parent compares them in
the reference's order (first_difference)."""

from __future__ import annotations

import inspect
import types

import numpy as np

MAX_ELEMENTS = 1 << 24  # activations kept per job (64 MB of float32); later cases go without
MAX_DEPTH = 8


def first_array(value):
    """The first array leaf of an output (a tensor, or the output of a (output, updates) pair)."""
    if isinstance(value, (tuple, list)):
        for item in value:
            found = first_array(item)
            if found is not None:
                return found
        return None
    if isinstance(value, dict):
        return None
    return value if hasattr(value, "shape") and hasattr(value, "dtype") else None


class TorchRecorder:
    """Forward hooks on every named submodule of a torch model."""

    def __init__(self, model):
        self.current: dict | None = None
        self.order: list[tuple[str, str]] = []
        self.handles = []
        for name, module in model.named_modules():
            if name:
                self.handles.append(module.register_forward_hook(self._hook(name, type(module).__name__)))

    def _hook(self, name: str, kind: str):
        def hook(module, inputs, output):
            if self.current is not None and name not in self.current:
                leaf = first_array(output)
                if leaf is not None:
                    self.current[name] = (kind, leaf.detach().clone())
        return hook


def _is_layer(value) -> bool:
    if isinstance(value, (types.FunctionType, types.MethodType, types.BuiltinFunctionType, types.ModuleType,
                          type, np.ndarray, str, bytes, int, float, bool, complex)) or value is None:
        return False
    if inspect.isroutine(value) or not callable(value) or hasattr(value, "shape"):
        return False
    module = type(value).__module__ or ""
    return not module.split(".")[0] in ("builtins", "numpy", "jax", "jaxlib", "functools")


class _Recording:
    """A candidate layer that records its first output under its dotted name."""

    def __init__(self, layer, name: str, store: dict):
        object.__setattr__(self, "_layer", layer)
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_store", store)

    def __call__(self, *args, **kwargs):
        out = self._layer(*args, **kwargs)
        if self._name not in self._store:
            leaf = first_array(out)
            if leaf is not None:
                self._store[self._name] = np.asarray(leaf)
        return out

    def __getattr__(self, name):
        return getattr(self._layer, name)

    def __getitem__(self, index):
        return self._layer[index]

    def __len__(self):
        return len(self._layer)

    def __iter__(self):
        return iter(self._layer)


def record_candidate(instance, store: dict) -> None:
    """Wrap the candidate's layers (attributes, list items) so that calls record into `store`."""
    seen: set[int] = set()

    def wrap_list(items: list, prefix: str, depth: int) -> None:
        for i, item in enumerate(items):
            if _is_layer(item):
                walk(item, f"{prefix}{i}.", depth + 1)
                items[i] = _Recording(item, f"{prefix}{i}", store)

    def walk(obj, prefix: str, depth: int) -> None:
        if depth > MAX_DEPTH or id(obj) in seen:
            return
        seen.add(id(obj))
        if isinstance(obj, list):  # a ModuleList: its items are named by index
            wrap_list(obj, prefix, depth)
            return
        attributes = getattr(obj, "__dict__", None)
        if not isinstance(attributes, dict):
            return
        indexable = hasattr(type(obj), "__getitem__") and hasattr(type(obj), "__len__")
        for name, value in list(attributes.items()):
            if name.startswith("_"):
                continue
            if isinstance(value, list):
                # An indexable container (a Sequential) keeps its layers in a list: they are its items.
                wrap_list(value, prefix if indexable else f"{prefix}{name}.", depth)
            elif _is_layer(value):
                walk(value, f"{prefix}{name}.", depth + 1)
                try:
                    setattr(obj, name, _Recording(value, f"{prefix}{name}", store))
                except (AttributeError, TypeError):
                    pass

    walk(instance, "", 0)


def first_difference(reference: list[tuple[str, str, np.ndarray]], candidate: dict[str, np.ndarray],
                     tolerance) -> dict | None:
    """The first submodule (in the reference's execution order) whose output the candidate
    also recorded and that differs: {submodule, type, problem or index/expected/actual}."""
    checked = 0
    for name, kind, expected in reference:
        actual = candidate.get(name)
        if actual is None:
            continue
        checked += 1
        found = {"submodule": name, "type": kind, "checked": checked}
        if tuple(actual.shape) != tuple(expected.shape):
            return {**found, "problem": f"shape {tuple(actual.shape)}, expected {tuple(expected.shape)}"}
        bad = tolerance(expected, actual)
        if bad is not None:
            return {**found, **bad}
    return None
