"""The PyTorch -> JAX pair: a torch module file against a JAX translation (both .py).

The convention of both files is in docs/jax.md; the work is in verify/torch_jax/."""

from __future__ import annotations

from pathlib import Path

from ..languages import PYTHON
from ..options import VerifyOptions
from ..result import VerifyResult
from . import Pair, register


class TorchJaxPair(Pair):
    name = "pytorch->jax"
    source_language = PYTHON
    candidate_language = PYTHON

    def verify(self, source: Path, candidate: Path, options: VerifyOptions) -> VerifyResult:
        from ..torch_jax.runner import verify_one

        result = verify_one(source, candidate, options)
        if options.reproducer is not None:
            from ..torch_jax.reproducer import write_for_result

            write_for_result(source, candidate, options, result)
        return result


def _installed() -> bool:
    from importlib.util import find_spec

    return find_spec("torch") is not None and find_spec("jax") is not None


# Registered only where the [jax] extra is installed: elsewhere the pair stays "not supported".
if _installed():
    register(TorchJaxPair())
