"""--solver rules and auto: the rule-based translator drafts, the loop takes over where it stops."""

from __future__ import annotations

import json

from tests.loop.samples import answer, endpoint

# Derived types are outside the rules' subset (tests/corpus/unsupported.toml).
USES_DERIVED_TYPE = """\
subroutine scale(n, x)
  implicit none
  integer, intent(in) :: n
  real, intent(inout) :: x(n)
  type :: factor_t
    real :: value
  end type factor_t
  type(factor_t) :: f
  integer :: i
  f%value = 2.0
  do i = 1, n
    x(i) = f%value * x(i)
  end do
end subroutine scale
"""
SCALE_CPP = """\
void scale(int n, float* x) {
    for (int i = 0; i < n; ++i) {
        x[i] = 2.0f * x[i];
    }
}
"""


def test_rules_solver_translates_and_verifies_offline(llm, source, store_path, run_cli, tmp_path):
    out = tmp_path / "saxpy.cpp"
    done = run_cli("translate", str(source), "--to", "cpp", "--solver", "rules", "-o", str(out), "--json",
                   extra_env=endpoint(llm))
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert (report["verdict"], report["solver_used"], report["rounds"]) == ("equivalent", "rules", 1)
    assert "void saxpy(int n, float a, const float* x, float* y)" in out.read_text()
    assert llm.requests == []  # the rules never call an LLM
    codepairs = tmp_path / "pairs.jsonl"
    assert run_cli("records", "export", "--format", "codepair", "--out", str(codepairs)).returncode == 0
    [pair] = [json.loads(line) for line in codepairs.read_text().splitlines()]
    assert (pair["origin"], pair["verdict"], pair["target_code"]) == ("rules", "equivalent", out.read_text())
    stats = json.loads(run_cli("records", "stats", "--json").stdout)
    assert stats["by_status"] == {"accepted": 1} and stats["verified_translations"] == 1
    human = run_cli("records", "stats").stdout
    assert "verified translations: 1" in human and "by pair: fortran->cpp 1" in human
    assert stats["by_pair_status"] == {"fortran->cpp": {"accepted": 1}} and "fortran->cpp: accepted 1" in human


def test_auto_with_a_verified_draft_asks_no_llm(llm, source, run_cli):
    done = run_cli("translate", str(source), "--to", "cpp", "--json", extra_env=endpoint(llm))
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["solver_used"] == "rules" and llm.requests == []


def test_unsupported_constructs_without_llm_exit_2_with_lines(run_cli, tmp_path):
    source = tmp_path / "scale.f90"
    source.write_text(USES_DERIVED_TYPE)
    done = run_cli("translate", str(source), "--to", "cpp", "--json")
    assert done.returncode == 2
    report = json.loads(done.stdout)
    assert {"line": 5, "construct": "derived type"}.items() <= report["unsupported"][0].items()
    assert "no LLM is configured" in report["message"] and "OPENAI_BASE_URL" in report["details"]
    assert not (tmp_path / "scale.cpp").exists()
    human = run_cli("translate", str(source), "--to", "cpp")
    assert human.returncode == 2 and "line 5: derived type" in human.stdout


def test_auto_hands_unsupported_constructs_to_the_llm(llm, run_cli, tmp_path):
    source = tmp_path / "scale.f90"
    source.write_text(USES_DERIVED_TYPE)
    llm.reply(answer(SCALE_CPP))
    done = run_cli("translate", str(source), "--to", "cpp", "--json", extra_env=endpoint(llm))
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert (report["solver_used"], report["unsupported"]) == ("llm", [])
    [request] = llm.requests
    task = request["body"]["messages"][1]["content"]
    assert "could not translate these constructs" in task and "line 5: derived type" in task
    assert (tmp_path / "scale.cpp").read_text() == SCALE_CPP


MODULE = """\
module ops
  implicit none
contains
  subroutine add_one(n, x)
    integer, intent(in) :: n
    real, intent(inout) :: x(n)
    x = x + 1.0
  end subroutine add_one

  subroutine twice(n, x)
    integer, intent(in) :: n
    real, intent(inout) :: x(n)
    x = 2.0 * x
  end subroutine twice
end module ops
"""
MODULE_CPP_WRONG_TWICE = """\
void add_one(int n, float* x) {
    for (int i = 0; i < n; ++i) x[i] = x[i] + 1.0f;
}

void twice(int n, float* x) {
    for (int i = 0; i < n; ++i) x[i] = 3.0f * x[i];
}
"""


def test_a_module_is_verified_procedure_by_procedure(llm, run_cli, tmp_path):
    source = tmp_path / "ops.f90"
    source.write_text(MODULE)
    done = run_cli("translate", str(source), "--to", "cpp", "--solver", "rules", "--cases", "4", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout)["result"]
    assert (result["entry"], result["cases"]) == ("add_one, twice", 8)

    llm.reply(answer(MODULE_CPP_WRONG_TWICE)).reply(answer(MODULE_CPP_WRONG_TWICE.replace("3.0f", "2.0f")))
    done = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", "--cases", "4", "--json",
                   extra_env=endpoint(llm))
    assert done.returncode == 0, done.stdout + done.stderr
    question = [m for m in llm.requests[1]["body"]["messages"] if m["role"] == "user"][-1]["content"]
    assert "`twice` is the first that fails" in question and "Output `x` at index" in question


def test_pytorch_to_jax_llm_loop_quotes_the_mismatch_and_verifies_the_fix(llm, run_cli, tmp_path):
    """PyTorch -> JAX runs the Questioner-Solver loop: the question quotes the mismatching output."""
    import importlib.util

    import pytest

    if importlib.util.find_spec("torch") is None or importlib.util.find_spec("jax") is None:
        pytest.skip("the [jax] extra is not installed")
    model = tmp_path / "model.py"
    model.write_text("import torch\n\nclass Double(torch.nn.Module):\n    def forward(self, x):\n        return 2 * x\n"
                     "\n\ndef get_inputs():\n    return [torch.rand(4, 3)]\n")
    wrong = "import jax.numpy as jnp\n\n\nclass Double:\n    def __call__(self, params, x):\n        return 3 * x\n"
    fence = "```python\n{}```"
    llm.reply("Here.\n\n" + fence.format(wrong)).reply("Fixed.\n\n" + fence.format(wrong.replace("3 * x", "2 * x")))
    done = run_cli("translate", str(model), "--to", "jax", "--solver", "llm", "--json", extra_env=endpoint(llm),
                   timeout=400)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 * x" in (tmp_path / "model_jax.py").read_text()
    question = [m for m in llm.requests[1]["body"]["messages"] if m["role"] == "user"][-1]["content"]
    assert "Output `output` at index (0,0) differs in case 0" in question and "constantly 1.5" in question
