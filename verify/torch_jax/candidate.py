"""The JAX side of the harness: load the candidate, hand it the reference's parameters (numpy
arrays keyed by state_dict names) and call it under jax.jit.  Runs in the candidate's own
sandboxed process, which never imports torch."""

from __future__ import annotations

import importlib.util
import inspect
import sys

import jax
import jax.numpy as jnp
import numpy as np

jax.config.update("jax_default_matmul_precision", "highest")


def use_x64(enabled: bool) -> None:
    jax.config.update("jax_enable_x64", bool(enabled))


def load(path: str, index: int):
    name = f"transverify_candidate_{index}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def as_dtype(array: np.ndarray, dtype: str) -> np.ndarray:
    """An array back in the dtype its tensor had (bfloat16 travels as float32)."""
    if dtype == "bfloat16":
        import ml_dtypes

        return array.astype(ml_dtypes.bfloat16)
    return array


class Callable_:
    """One candidate instance (or function) jitted once per configuration.  `init_inputs` and
    `state` hold numpy arrays (and Python values), never tensors."""

    def __init__(self, module, entry: str, kind: str, init_inputs: list, state: dict, mode: str):
        target = getattr(module, entry)
        if kind == "class":
            if not inspect.isclass(target):
                raise TypeError(f"'{entry}' in the candidate must be a class with __init__(*init_inputs) and "
                                f"__call__(params, *inputs)")
            self.instance = target(*init_inputs)
            try:
                self.instance.training = mode == "train"
            except AttributeError:
                pass
            self.function = self.instance.__call__
            convert = getattr(self.instance, "convert_state_dict", None) or getattr(module, "convert_state_dict", None)
            params = convert(dict(state)) if convert is not None else dict(state)
            self.params = jax.tree_util.tree_map(jnp.asarray, params)
            self.takes_params = True
        else:
            self.function, self.params, self.takes_params = target, None, False
        try:
            self.wants_key = "key" in inspect.signature(self.function).parameters
        except (TypeError, ValueError):
            self.wants_key = False
        self._jitted = {}

    def __call__(self, inputs: list):
        self._check_arity(len(inputs))
        static = tuple(i for i, v in enumerate(inputs) if not isinstance(v, np.ndarray))
        jitted = self._jitted.get(static)
        if jitted is None:
            offset = 1 if self.takes_params else 0
            jitted = jax.jit(self._call, static_argnums=tuple(i + offset for i in static))
            self._jitted[static] = jitted
        args = [jnp.asarray(v) if isinstance(v, np.ndarray) else v for v in inputs]
        out = jitted(self.params, *args) if self.takes_params else jitted(*args)
        return jax.block_until_ready(out)

    def _check_arity(self, count: int) -> None:
        """Inputs are passed by position: a different count is named, not left to a TypeError deep in jit."""
        try:
            signature = inspect.signature(self.function)
        except (TypeError, ValueError):
            return
        leading = [None] if self.takes_params else []
        try:
            signature.bind(*leading, *([None] * count), **({"key": None} if self.wants_key else {}))
        except TypeError as exc:
            what = "params and " if self.takes_params else ""
            raise TypeError(f"parameter count differs: the candidate's {getattr(self.function, '__name__', 'function')}"
                            f"{signature} cannot take {what}the source's {count} input(s) by position ({exc})") from None

    def _call(self, *args):
        kwargs = {"key": jax.random.PRNGKey(0)} if self.wants_key else {}
        return self.function(*args, **kwargs)
