"""The PyTorch -> JAX verifier catches wrong candidates, one per known trap, and accepts right
ones.  Every pair is verified in one harness process (verify_many); a few go through the CLI."""

import json
import subprocess
import textwrap

import pytest

from tests.conftest import computed_once
from transverify.verify import VerifyOptions
from transverify.verify.torch_jax.runner import Job, verify_many

HEADER = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
JAX_HEADER = "import jax\nimport jax.numpy as jnp\nfrom jax import lax\n"

SOURCES = {
    "gelu": """
        class Model(nn.Module):
            def forward(self, x):
                return F.gelu(x)
        def get_inputs():
            return [torch.rand(4, 8)]
        def get_init_inputs():
            return []
    """,
    "variance": """
        class Model(nn.Module):
            def forward(self, x):
                return torch.var(x, dim=1)
        batch = 16
        features = 5
        def get_inputs():
            return [torch.rand(batch, features)]
    """,
    "batchnorm": """
        class Model(nn.Module):
            def __init__(self, channels):
                super().__init__()
                self.bn = nn.BatchNorm2d(channels)
            def forward(self, x):
                return self.bn(x)
        batch = 4
        channels = 3
        def get_inputs():
            return [torch.randn(batch, channels, 5, 5)]
        def get_init_inputs():
            return [channels]
    """,
    "layernorm": """
        class Model(nn.Module):
            def __init__(self, features):
                super().__init__()
                self.norm = nn.LayerNorm(features)
            def forward(self, x):
                return self.norm(x)
        batch = 8
        features = 6
        def get_inputs():
            return [torch.randn(batch, features)]
        def get_init_inputs():
            return [features]
    """,
    "flatten": """
        class Model(nn.Module):
            def forward(self, x):
                return x.reshape(x.shape[0], -1) * 2
        batch_size = 8
        def get_inputs():
            return [torch.randn(batch_size, 3, 4)]
    """,
    "trunc_div": """
        class Model(nn.Module):
            def forward(self, a, b):
                return torch.div(a, b, rounding_mode="trunc"), torch.fmod(a, b)
        n = 64
        def get_inputs():
            return [torch.randint(-50, 50, (n,)), torch.randint(1, 7, (n,))]
    """,
    "conv_transpose": """
        class Model(nn.Module):
            def __init__(self, cin, cout, k, groups):
                super().__init__()
                self.up = nn.ConvTranspose2d(cin, cout, k, stride=2, groups=groups)
            def forward(self, x):
                return self.up(x)
        batch = 2
        size = 5
        def get_inputs():
            return [torch.randn(batch, 4, size, size)]
        def get_init_inputs():
            return [4, 6, 3, 2]
    """,
    "huge": """
        class Model(nn.Module):
            def forward(self, a, b):
                return torch.matmul(a, b)
        M = 4096
        K = 1024 * 8
        shape_b = (K, 2048)
        def get_inputs():
            return [torch.rand(M, K), torch.rand(*shape_b)]
    """,
    "double": """
        class Model(nn.Module):
            def forward(self, x):
                return torch.cumsum(x, dim=0)
        def get_inputs():
            return [torch.randn(100, dtype=torch.float64)]
    """,
    "dropout": """
        class Model(nn.Module):
            def __init__(self):
                super().__init__()
                self.drop = nn.Dropout(0.5)
            def forward(self, x):
                return self.drop(x) + 1
        def get_inputs():
            return [torch.randn(4, 4)]
    """,
}

CANDIDATES = {
    "gelu_erf": ("gelu", """
        class Model:
            def __init__(self):
                pass
            def __call__(self, params, x):
                return jax.nn.gelu(x, approximate=False)
    """),
    "gelu_tanh": ("gelu", """
        class Model:
            def __init__(self):
                pass
            def __call__(self, params, x):
                return jax.nn.gelu(x)
    """),
    "variance_unbiased": ("variance", """
        class Model:
            def __call__(self, params, x):
                return jnp.var(x, axis=1, ddof=1)
    """),
    "variance_biased": ("variance", """
        class Model:
            def __call__(self, params, x):
                return jnp.var(x, axis=1)
    """),
    "bn_running": ("batchnorm", """
        class Model:
            def __init__(self, channels):
                self.training = False
            def __call__(self, params, x):
                shape = (1, -1, 1, 1)
                if self.training:
                    mean = x.mean((0, 2, 3))
                    var = x.var((0, 2, 3))
                    n = x.size / x.shape[1]
                    updates = {
                        "bn.running_mean": 0.9 * params["bn.running_mean"] + 0.1 * mean,
                        "bn.running_var": 0.9 * params["bn.running_var"] + 0.1 * var * n / (n - 1),
                        "bn.num_batches_tracked": params["bn.num_batches_tracked"] + 1,
                    }
                else:
                    mean, var, updates = params["bn.running_mean"], params["bn.running_var"], None
                y = (x - mean.reshape(shape)) / jnp.sqrt(var.reshape(shape) + 1e-5)
                y = y * params["bn.weight"].reshape(shape) + params["bn.bias"].reshape(shape)
                return (y, updates) if self.training else y
    """),
    "bn_batch_stats": ("batchnorm", """
        class Model:
            def __init__(self, channels):
                pass
            def __call__(self, params, x):
                shape = (1, -1, 1, 1)
                mean, var = x.mean((0, 2, 3)), x.var((0, 2, 3))
                y = (x - mean.reshape(shape)) / jnp.sqrt(var.reshape(shape) + 1e-5)
                return y * params["bn.weight"].reshape(shape) + params["bn.bias"].reshape(shape)
    """),
    "ln_affine": ("layernorm", """
        class Model:
            def __init__(self, features):
                pass
            def __call__(self, params, x):
                y = (x - x.mean(-1, keepdims=True)) / jnp.sqrt(x.var(-1, keepdims=True) + 1e-5)
                return y * params["norm.weight"] + params["norm.bias"]
    """),
    "ln_ignores_affine": ("layernorm", """
        class Model:
            def __init__(self, features):
                pass
            def __call__(self, params, x):
                return (x - x.mean(-1, keepdims=True)) / jnp.sqrt(x.var(-1, keepdims=True) + 1e-5)
    """),
    "flatten_dynamic": ("flatten", """
        class Model:
            def __call__(self, params, x):
                return x.reshape(x.shape[0], -1) * 2
    """),
    "flatten_baked": ("flatten", """
        class Model:
            def __call__(self, params, x):
                return x.reshape(8, -1) * 2
    """),
    "trunc_lax": ("trunc_div", """
        class Model:
            def __call__(self, params, a, b):
                return lax.div(a, b), lax.rem(a, b)
    """),
    "trunc_floor": ("trunc_div", """
        class Model:
            def __call__(self, params, a, b):
                return a // b, a % b
    """),
    "convT_flip": ("conv_transpose", """
        class Model:
            def __init__(self, cin, cout, k, groups):
                self.groups, self.k = groups, k
            def __call__(self, params, x):
                w = params["up.weight"]  # (cin, cout/groups, k, k)
                cin, cpg, k, _ = w.shape
                g = self.groups
                w = w.reshape(g, cin // g, cpg, k, k).transpose(0, 2, 1, 3, 4).reshape(g * cpg, cin // g, k, k)
                w = w[:, :, ::-1, ::-1]
                y = lax.conv_general_dilated(x, w, (1, 1), [(k - 1, k - 1)] * 2, lhs_dilation=(2, 2),
                                             dimension_numbers=("NCHW", "OIHW", "NCHW"), feature_group_count=g)
                return y + params["up.bias"].reshape(1, -1, 1, 1)
    """),
    "convT_noflip": ("conv_transpose", """
        class Model:
            def __init__(self, cin, cout, k, groups):
                self.groups, self.k = groups, k
            def __call__(self, params, x):
                w = params["up.weight"]
                cin, cpg, k, _ = w.shape
                g = self.groups
                w = w.reshape(g, cin // g, cpg, k, k).transpose(0, 2, 1, 3, 4).reshape(g * cpg, cin // g, k, k)
                y = lax.conv_general_dilated(x, w, (1, 1), [(k - 1, k - 1)] * 2, lhs_dilation=(2, 2),
                                             dimension_numbers=("NCHW", "OIHW", "NCHW"), feature_group_count=g)
                return y + params["up.bias"].reshape(1, -1, 1, 1)
    """),
    "huge_matmul": ("huge", """
        class Model:
            def __call__(self, params, a, b):
                return a @ b
    """),
    "double_cumsum": ("double", """
        class Model:
            def __call__(self, params, x):
                return jnp.cumsum(x, axis=0)
    """),
    "double_as_single": ("double", """
        class Model:
            def __call__(self, params, x):
                return jnp.cumsum(x.astype(jnp.float32), axis=0)
    """),
    "runtime_error": ("gelu", """
        class Model:
            def __call__(self, params, x):
                return x.reshape(3, -1)
    """),
    "extra_parameter": ("gelu", """
        class Model:
            def __init__(self):
                pass
            def __call__(self, params, x, scale):
                return jax.nn.gelu(x, approximate=False) * scale
    """),
    "import_error": ("gelu", """
        import not_a_module_anywhere
        class Model:
            pass
    """),
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return computed_once(tmp_path_factory, "jax-traps", lambda: _verify_traps(tmp_path_factory))


def _verify_traps(tmp_path_factory):
    folder = tmp_path_factory.mktemp("traps")
    for name, body in SOURCES.items():
        (folder / f"{name}.py").write_text(HEADER + textwrap.dedent(body))
    jobs, names = [], []
    for name, (source, body) in CANDIDATES.items():
        path = folder / f"{name}_jax.py"
        path.write_text(JAX_HEADER + textwrap.dedent(body))
        jobs.append(Job(folder / f"{source}.py", path, VerifyOptions()))
        names.append(name)
    # train mode: BatchNorm's buffer updates are compared too
    jobs.append(Job(folder / "batchnorm.py", folder / "bn_running_jax.py", VerifyOptions(mode="train")))
    names.append("bn_running@train")
    jobs.append(Job(folder / "dropout.py", folder / "gelu_erf_jax.py", VerifyOptions(mode="train")))
    names.append("dropout@train")
    return dict(zip(names, verify_many(jobs)))


@pytest.mark.parametrize("right, wrong", [
    ("gelu_erf", "gelu_tanh"),  # erf vs tanh GELU, exposed by wide-range inputs
    ("variance_unbiased", "variance_biased"),  # torch.var is unbiased by default
    ("bn_running", "bn_batch_stats"),  # eval BatchNorm uses the (randomised) running statistics
    ("ln_affine", "ln_ignores_affine"),  # constant-initialised weight/bias are randomised
    ("flatten_dynamic", "flatten_baked"),  # the batch dimension must not be baked in (tiny shapes)
    ("trunc_lax", "trunc_floor"),  # trunc division and fmod vs floor division and remainder
    ("convT_flip", "convT_noflip"),  # ConvTranspose needs flipped kernels and per-group transposes
    ("double_cumsum", "double_as_single"),  # x64 is on for a float64 reference; dtypes compared
])
def test_a_right_candidate_verifies_and_the_trap_is_caught(results, right, wrong):
    good, bad = results[right], results[wrong]
    assert good.verdict == "equivalent", good.message
    assert bad.verdict == "not_equivalent", bad.message
    assert bad.mismatches or "dtype" in bad.message or "reshape" in bad.message


def test_families_cover_own_wide_and_tiny_inputs(results):
    families = {case["family"] for case in results["flatten_dynamic"].inputs}
    assert families == {"own", "wide", "tiny"}
    tiny = [c for c in results["flatten_dynamic"].inputs if c["family"] == "tiny"]
    assert tiny[0]["config"]["batch_size"] < 8


def test_gpu_sized_problems_are_shrunk(results):
    result = results["huge_matmul"]
    assert result.verdict == "equivalent", result.message
    assert any(w.startswith("shrunk to run on this machine") for w in result.warnings)


def test_train_mode_compares_buffer_updates(results):
    assert results["bn_running@train"].verdict == "equivalent", results["bn_running@train"].message
    assert results["bn_running@train"].mode == "train"


def test_train_mode_refuses_random_modules(results):
    result = results["dropout@train"]
    assert result.verdict == "error" and "eval mode only" in result.message and "Dropout" in result.message


def test_candidate_failures_point_at_the_candidate_line(results):
    failed = results["runtime_error"]
    assert failed.verdict == "not_equivalent" and failed.stage == "run"
    assert failed.diagnostics[0].file.endswith("runtime_error_jax.py") and failed.diagnostics[0].line == 7
    broken = results["import_error"]
    assert broken.stage == "compile_candidate" and broken.diagnostics[0].line == 5
    assert "not_a_module_anywhere" in broken.message


def test_a_different_parameter_count_is_named(results):
    result = results["extra_parameter"]
    assert result.verdict == "not_equivalent" and result.stage == "run"
    assert "parameter count differs" in result.message and "1 input(s)" in result.message, result.message


def test_cli_json_contract_and_exit_codes(tmp_path, tv_cmd):
    source = tmp_path / "act.py"
    source.write_text(HEADER + textwrap.dedent("""
        def act(x, y):
            return torch.tanh(x) * y
        # transverify: input x=(4,5):float32
        # transverify: input y=(4,5):float32
    """))
    good = tmp_path / "act_jax.py"
    good.write_text(JAX_HEADER + "def act(x, y):\n    return jnp.tanh(x) * y\n")
    done = subprocess.run(tv_cmd + ["verify", str(source), str(good), "--entry", "act", "--json"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads(done.stdout)
    assert {"verdict", "stage", "diagnostics", "mismatches", "cases", "timings"} <= set(data)
    assert data["pair"] == "pytorch->jax" and data["cases"] >= 3

    bad = tmp_path / "bad_jax.py"
    bad.write_text(JAX_HEADER + "def act(x, y):\n    return jnp.tanh(x) + y\n")
    done = subprocess.run(tv_cmd + ["verify", str(source), str(bad), "--entry", "act",
                                    "--input", "x=(2,3):float32", "--input", "y=(2,3):float32", "--json"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert json.loads(done.stdout)["inputs"][0]["inputs"] == ["float32[2, 3]", "float32[2, 3]"]


def test_a_source_without_inputs_is_refused_with_its_line(tmp_path, tv_cmd):
    source = tmp_path / "m.py"
    source.write_text(HEADER + "\n\nclass Net(nn.Module):\n    def forward(self, x):\n        return x\n")
    candidate = tmp_path / "m_jax.py"
    candidate.write_text("class Net:\n    pass\n")
    done = subprocess.run(tv_cmd + ["verify", str(source), str(candidate)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2
    assert "m.py:6" in done.stdout + done.stderr and "get_inputs" in done.stdout + done.stderr
