"""The Questioner-Solver loop on PyTorch -> JAX: a repaired weak translation becomes a bug -> fix
record, and the next translation of similar code sees it as bug context in its first prompt."""

from __future__ import annotations

import json
import os
import subprocess

from tests.support.scripted_llm import ScriptedLLM

SOURCE = """import torch
import torch.nn as nn


class {name}(nn.Module):
    def __init__(self, features):
        super().__init__()
        self.norm = nn.LayerNorm(features)

    def forward(self, x):
        return torch.var(self.norm(x), dim=1)


def get_inputs():
    return [torch.randn(6, 5)]


def get_init_inputs():
    return [5]
"""
WEAK = """import jax.numpy as jnp


class {name}:
    def __init__(self, features):
        pass

    def __call__(self, params, x):
        y = (x - x.mean(-1, keepdims=True)) / jnp.sqrt(x.var(-1, keepdims=True) + 1e-5)
        y = y * params["norm.weight"] + params["norm.bias"]
        return jnp.var(y, axis=1)
"""
FIXED = WEAK.replace("jnp.var(y, axis=1)", "jnp.var(y, axis=1, ddof=1)")


def _translate(tv_cmd, source, llm, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "TRANSVERIFY_MODEL"))}
    env.update(OPENAI_BASE_URL=llm.base_url, TRANSVERIFY_MODEL="solver-model", OPENAI_API_KEY="test-key",
               TRANSVERIFY_RECORDS=str(tmp_path / "records.sqlite"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    return subprocess.run(tv_cmd + ["translate", str(source), "--to", "jax", "--solver", "llm", "--cases", "2",
                                    "--json"], capture_output=True, text=True, timeout=600, env=env)


def test_a_repaired_translation_becomes_bug_context_for_similar_code(tmp_path, tv_cmd):
    first = tmp_path / "first.py"
    first.write_text(SOURCE.format(name="Spread"))
    fence = "```python\n{}```"
    with ScriptedLLM() as llm:
        llm.reply(fence.format(WEAK.format(name="Spread"))).reply(fence.format(FIXED.format(name="Spread")))
        done = _translate(tv_cmd, first, llm, tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        repair = [m for m in llm.requests[1]["body"]["messages"] if m["role"] == "user"][-1]["content"]
        assert "Output `output`" in repair  # the question quotes the mismatching output

    second = tmp_path / "second.py"
    second.write_text(SOURCE.format(name="Spread2"))
    with ScriptedLLM() as llm:
        llm.reply(fence.format(FIXED.format(name="Spread2")))
        done = _translate(tv_cmd, second, llm, tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        prompt = [m for m in llm.requests[0]["body"]["messages"] if m["role"] == "user"][-1]["content"]
    assert "Bugs fixed before when translating similar code" in prompt
    assert "ddof=1" in prompt and json.loads(done.stdout)["verdict"] == "equivalent"
