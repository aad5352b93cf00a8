"""When outputs differ, the verifier names the first submodule whose output already differs:
torch forward hooks on one side, the candidate's same-named layers (attributes, list items, the
rule translator's Sequential) recorded in an eager rerun on the other, compared in the parent.
The loop's question quotes it."""

import textwrap

from transverify.translators.loop.questioner import rules_questions
from transverify.translators.torch_jax import translate_file
from transverify.verify import VerifyOptions
from transverify.verify.torch_jax.runner import Job, verify_many

CHAIN = """
import torch
import torch.nn as nn

class Model(nn.Module):
    def __init__(self, features):
        super().__init__()
        self.fc1 = nn.Linear(features, features)
        self.act = nn.ReLU()
        self.layers = nn.ModuleList([nn.Linear(features, features), nn.Linear(features, features)])
        self.norm = nn.LayerNorm(features)
    def forward(self, x):
        x = self.act(self.fc1(x))
        for layer in self.layers:
            x = layer(x)
        return self.norm(x)

features = 6
def get_inputs():
    return [torch.randn(4, features)]
def get_init_inputs():
    return [features]
"""

HAND_WRITTEN = """
import jax.numpy as jnp

def _sub(params, name):
    return {{k[len(name) + 1:]: v for k, v in params.items() if k.startswith(name + ".")}}

class Linear:
    def __call__(self, p, x):
        return x @ p["weight"].T + p["bias"]

class LinearWithoutBias:
    def __call__(self, p, x):
        return x @ p["weight"].T

class Relu:
    def __call__(self, p, x):
        return jnp.maximum(x, 0)

class LayerNorm:
    def __call__(self, p, x):
        y = (x - x.mean(-1, keepdims=True)) / jnp.sqrt(x.var(-1, keepdims=True) + 1e-5)
        return y * p["weight"] + p["bias"]

class Model:
    def __init__(self, features):
        self.fc1, self.act, self.norm = Linear(), Relu(), LayerNorm()
        self.layers = [Linear(), {second}()]
    def __call__(self, params, x):
        x = self.act({{}}, self.fc1(_sub(params, "fc1"), x))
        for i, layer in enumerate(self.layers):
            x = layer(_sub(params, f"layers.{{i}}"), x)
        return self.norm(_sub(params, "norm"), x)
"""

SEQUENTIAL = """
import torch
import torch.nn as nn

class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 3))
    def forward(self, x):
        return self.net(x) * 2

def get_inputs():
    return [torch.randn(4, 5)]
"""


def test_first_differing_submodule_is_named(tmp_path):
    (tmp_path / "chain.py").write_text(CHAIN)
    (tmp_path / "right_jax.py").write_text(textwrap.dedent(HAND_WRITTEN.format(second="Linear")))
    (tmp_path / "wrong_jax.py").write_text(textwrap.dedent(HAND_WRITTEN.format(second="LinearWithoutBias")))
    (tmp_path / "seq.py").write_text(SEQUENTIAL)
    translated = translate_file(tmp_path / "seq.py").code
    assert "jax.nn.relu" in translated
    (tmp_path / "seq_jax.py").write_text(translated)
    (tmp_path / "seq_wrong_jax.py").write_text(translated.replace("jax.nn.relu", "jax.nn.softplus"))
    options = VerifyOptions(cases=2)
    right, wrong, seq, seq_wrong = verify_many([
        Job(tmp_path / "chain.py", tmp_path / "right_jax.py", options),
        Job(tmp_path / "chain.py", tmp_path / "wrong_jax.py", options),
        Job(tmp_path / "seq.py", tmp_path / "seq_jax.py", options),
        Job(tmp_path / "seq.py", tmp_path / "seq_wrong_jax.py", options)])
    assert right.verdict == "equivalent" and right.first_difference is None, right.message
    assert seq.verdict == "equivalent", seq.message

    assert wrong.verdict == "not_equivalent" and wrong.stage == "compare"
    found = wrong.first_difference
    assert found["submodule"] == "layers.1" and found["type"] == "Linear", found
    assert found["checked"] == 4  # fc1, act and layers.0 agree
    assert "the first submodule whose output differs is 'layers.1' (Linear)" in wrong.message
    question = rules_questions(wrong, (tmp_path / "wrong_jax.py").read_text()).text
    assert question.startswith("1. The first submodule whose output already differs is `layers.1` (Linear)")

    assert seq_wrong.verdict == "not_equivalent"
    assert seq_wrong.first_difference["submodule"] == "net.1", seq_wrong.first_difference
    assert seq_wrong.first_difference["type"] == "ReLU"
