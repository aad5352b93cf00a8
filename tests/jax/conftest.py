"""PyTorch -> JAX tests need the [jax] extra (torch, jax); without it they are skipped."""

import importlib.util

import pytest

if importlib.util.find_spec("torch") is None or importlib.util.find_spec("jax") is None:
    pytest.skip("the [jax] extra (torch, jax) is not installed", allow_module_level=True)
