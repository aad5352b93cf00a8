"""PyTorch -> JAX: the torch reference and the candidate run in separate sandboxed processes and
the comparison happens in the parent.  Hostile candidates that try to fake the verdict (patch the
comparison, read the reference's outputs, print a verdict, exit early, write their own output
files) are rejected; a right candidate in the same batch still passes."""

import importlib.util
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

if importlib.util.find_spec("torch") is None or importlib.util.find_spec("jax") is None:
    pytest.skip("the [jax] extra (torch, jax) is not installed", allow_module_level=True)

from transverify.verify import VerifyOptions  # noqa: E402
from transverify.verify.torch_jax.runner import Job, verify_many  # noqa: E402

SOURCE = """
import torch
import torch.nn as nn

class Model(nn.Module):
    def __init__(self, features):
        super().__init__()
        self.fc = nn.Linear(features, features)
    def forward(self, x):
        return torch.tanh(self.fc(x))

batch = 4
features = 6
def get_inputs():
    return [torch.randn(batch, features)]
def get_init_inputs():
    return [features]
"""

RIGHT = """
import jax.numpy as jnp

class Model:
    def __init__(self, features):
        pass
    def __call__(self, params, x):
        return jnp.tanh(x @ params["fc.weight"].T + params["fc.bias"])
"""

WRONG_BODY = """
class Model:
    def __init__(self, features):
        pass
    def __call__(self, params, x):
        return jnp.tanh(x @ params["fc.weight"].T)   # drops the bias
"""

PATCHES_COMPARISON = """
import jax.numpy as jnp
import numpy
numpy.allclose = lambda *a, **k: True
numpy.array_equal = lambda *a, **k: True
numpy.isclose = lambda a, b, *r, **k: numpy.ones(numpy.shape(a), bool)
import transverify.verify.torch_jax.compare_trees as compare_trees
compare_trees.compare = lambda *a, **k: ([], [])
compare_trees._values = lambda *a, **k: []
""" + WRONG_BODY

# Finds which case it is called for from the feed it may read, then looks everywhere it can for
# the reference's outputs and returns them: it passes only if it can read them.
READS_REFERENCE = """
import glob, os
import jax, jax.numpy as jnp, numpy as np

def _find_expected():
    roots = [os.getcwd(), os.path.dirname(os.getcwd()), "/tmp", "/var/tmp", "/dev/shm"]
    for root in roots:
        for path in glob.glob(os.path.join(root, "**", "expected*.npz"), recursive=True)[:50]:
            try:
                return dict(np.load(path))
            except Exception:
                pass
    return None

EXPECTED = _find_expected()
FEED = {k: v for k, v in np.load("feed0.npz").items()} if os.path.exists("feed0.npz") else {}

def _lookup(x):
    for key, value in FEED.items():
        if key.endswith("_i_0") and value.shape == x.shape and np.array_equal(value, x):
            return EXPECTED.get(key.replace("_i_0", "_o0"))
    return None

class Model:
    def __init__(self, features):
        pass
    def __call__(self, params, x):
        if EXPECTED is not None:
            def peek(v):
                found = _lookup(np.asarray(v))
                return np.zeros(v.shape, np.float32) if found is None else found.astype(np.float32)
            return jax.pure_callback(peek, jax.ShapeDtypeStruct(x.shape, jnp.float32), x)
        return jnp.zeros(x.shape, jnp.float32)
"""

PRINTS_VERDICT = """
import json, sys
import jax.numpy as jnp
FAKE = {"verdict": "equivalent", "stage": "compare", "message": "equivalent on 8 case(s)", "mismatches": []}
print(json.dumps(FAKE))
print(json.dumps([FAKE]), file=sys.stderr)
for name in ("results.json", "verdict.json"):
    try:
        open(name, "w").write(json.dumps(FAKE))
    except OSError:
        pass
""" + WRONG_BODY

EXITS_AT_IMPORT = """
import os
print('{"verdict": "equivalent"}', flush=True)
os._exit(0)
""" + WRONG_BODY


# Writes its own "outputs" (it cannot know the right values) and claims the budget ran out.
WRITES_OWN_OUTPUTS = """
import json, os, sys
import numpy as np
import jax.numpy as jnp

class Model:
    def __init__(self, features):
        pass
    def __call__(self, params, x):
        np.savez("out0.npz", k0_o0=np.zeros((4, 6), np.float32))
        with open("out0.json", "w") as handle:
            json.dump({"cases": {"0": {"outputs": [{"name": "output", "dtype": "float32", "array": "k0_o0",
                                                     "tensor": True}]}},
                       "failure": None, "budget_spent": True, "timings": {}}, handle)
        sys.stdout.write('{"verdict": "equivalent"}\\n')
        os._exit(0)
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("jax_split")
    (path / "model.py").write_text(SOURCE)
    return path


def _verify(folder: Path, candidates: dict[str, str]):
    jobs = []
    for name, text in candidates.items():
        target = folder / f"{name}_jax.py"
        target.write_text(textwrap.dedent(text))
        jobs.append(Job(folder / "model.py", target, VerifyOptions(cases=4)))
    return dict(zip(candidates, verify_many(jobs)))


def test_hostile_candidates_in_one_batch_are_rejected(folder):
    results = _verify(folder, {"right": RIGHT, "patches": PATCHES_COMPARISON, "reads": READS_REFERENCE,
                               "prints": PRINTS_VERDICT, "right_again": RIGHT})
    assert results["right"].verdict == "equivalent", results["right"].message
    assert results["right_again"].verdict == "equivalent", results["right_again"].message
    for name in ("patches", "reads", "prints"):
        result = results[name]
        assert result.verdict == "not_equivalent", (name, result.message)
        assert result.stage == "compare" and result.message.startswith("outputs differ"), (name, result.message)
        assert result.mismatches, name


def test_candidate_that_exits_at_import_is_rejected(folder):
    result = _verify(folder, {"exits": EXITS_AT_IMPORT})["exits"]
    assert result.verdict == "not_equivalent"
    assert result.stage == "run"
    assert "after 0 of 4 case(s)" in result.message


def test_candidate_that_writes_its_own_outputs_and_exits_is_rejected(folder):
    result = _verify(folder, {"writes": WRITES_OWN_OUTPUTS})["writes"]
    assert result.verdict == "not_equivalent", result.message
    assert result.stage in ("compare", "run")


def test_cli_ignores_a_verdict_printed_by_the_candidate(folder):
    (folder / "prints_cli_jax.py").write_text(textwrap.dedent(PRINTS_VERDICT))
    run = subprocess.run([sys.executable, "-m", "transverify", "verify", str(folder / "model.py"),
                          str(folder / "prints_cli_jax.py"), "--json", "--cases", "2"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 1, run.stderr
    result = json.loads(run.stdout)
    assert result["verdict"] == "not_equivalent" and result["stage"] == "compare"
    assert result["pair"] == "pytorch->jax"
