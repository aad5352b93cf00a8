"""Every module of examples/jax is translated offline by the rules and verified: one harness
process verifies them all (verify_many); a few go through the CLI end to end."""

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import computed_once
from transverify.translators.torch_jax import translate_file
from transverify.verify import VerifyOptions
from transverify.verify.torch_jax.runner import Job, verify_many

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "jax"
NAMES = sorted(p.stem for p in EXAMPLES.glob("*.py") if not p.stem.endswith("_jax"))  # not translations
TRAIN_MODE = ("batch_norm2d", "resnet_block", "conv1d_block")  # BatchNorm: batch statistics and buffer updates


def test_there_are_at_least_forty_examples():
    assert len(NAMES) >= 40


@pytest.fixture(scope="module")
def verified(tmp_path_factory):
    return computed_once(tmp_path_factory, "jax-examples", lambda: _verify_examples(tmp_path_factory))


def _verify_examples(tmp_path_factory):
    folder = tmp_path_factory.mktemp("translations")
    jobs, keys, translations = [], [], {}
    for name in NAMES:
        translation = translate_file(EXAMPLES / f"{name}.py")
        translations[name] = translation
        if translation.code is None:
            continue
        path = folder / f"{name}_jax.py"
        path.write_text(translation.code)
        jobs.append(Job(EXAMPLES / f"{name}.py", path, VerifyOptions(cases=4)))
        keys.append(name)
        if name in TRAIN_MODE:
            jobs.append(Job(EXAMPLES / f"{name}.py", path, VerifyOptions(cases=2, mode="train")))
            keys.append(f"{name}@train")
    return translations, dict(zip(keys, verify_many(jobs)))


@pytest.mark.parametrize("name", NAMES + [f"{n}@train" for n in TRAIN_MODE])
def test_example_translates_and_verifies(verified, name):
    translations, results = verified
    translation = translations[name.split("@")[0]]
    assert translation.code is not None, [f"{i.line}: {i.construct}: {i.message}" for i in translation.unsupported]
    result = results[name]
    assert result.verdict == "equivalent", result.message
    families = {case["family"] for case in result.inputs}
    assert "own" in families and (name.endswith("@train") or "wide" in families)


def test_the_translation_keeps_structure_names_and_symbolic_config():
    code = translate_file(EXAMPLES / "nested_modules.py").code
    assert "class Block(Module):" in code and "class Model(Module):" in code
    assert "self.norm = GroupNorm(num_groups, cout)" in code
    assert "return self.up(p.sub('up'), self.down(p.sub('down'), x)) + self.shortcut(p.sub('shortcut'), x)" in code
    assert "route: Python AST" in code
    functional = translate_file(EXAMPLES / "group_norm_functional.py").code
    assert "torch_group_norm(x, self.num_groups, p['weight'], p['bias'])" in functional


@pytest.mark.parametrize("example, expected", [
    ("manual_variance_norm", "jnp.var(x, axis=0, ddof=1)"),  # torch.var is unbiased by default
    ("manual_variance_norm", "jnp.std(x, axis=1, ddof=0, keepdims=True)"),
    ("conv_bn_gelu", "jax.nn.gelu(x, approximate=False)"),  # torch's GELU is erf-exact
    ("mlp_tanh_gelu", "approximate=True"),
    ("trunc_division", "torch_div(a, b, 'trunc')"),
    ("trunc_division", "torch_fmod(a, b)"),
    ("inplace_ops", "z = z.at[:, 0].set(0.0)"),
    ("inplace_ops", "z = jnp.clip(z, -1.5, 1.5)"),
    ("conv_transpose_grouped", "jnp.flip(w"),
    ("conv_relu_pool", '("NC" + spatial, "OI" + spatial, "NC" + spatial)'),  # NCHW dimension numbers
])
def test_known_traps_are_translated_with_torch_semantics(example, expected):
    assert expected in translate_file(EXAMPLES / f"{example}.py").code


def test_cli_translates_and_verifies_offline(tmp_path, tv_cmd):
    out = tmp_path / "block_jax.py"
    done = subprocess.run(tv_cmd + ["translate", str(EXAMPLES / "squeeze_excite.py"), "--to", "jax", "-o", str(out),
                                    "--json", "--cases", "3"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["solver_used"] == "rules" and report["result"]["pair"] == "pytorch->jax"
    assert out.read_text().startswith('"""JAX translation of squeeze_excite.py')
    done = subprocess.run(tv_cmd + ["verify", str(EXAMPLES / "squeeze_excite.py"), str(out), "--mode", "train",
                                    "--cases", "2"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


def test_cli_refuses_what_the_rules_cannot_map_naming_line_and_construct(tmp_path, tv_cmd):
    source = tmp_path / "noisy.py"
    source.write_text("import torch\nimport torch.nn as nn\n\n\nclass Model(nn.Module):\n"
                      "    def forward(self, x):\n        return x + torch.randn_like(x)\n\n\n"
                      "def get_inputs():\n    return [torch.rand(2, 3)]\n")
    done = subprocess.run(tv_cmd + ["translate", str(source), "--to", "jax", "--json"], capture_output=True,
                          text=True, timeout=300, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert done.returncode == 2, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["unsupported"] == [{"line": 7, "construct": "torch.randn_like", "message": report["unsupported"][0]["message"]}]
    assert "PRNG key" in report["unsupported"][0]["message"]
    assert not (tmp_path / "noisy_jax.py").exists()
