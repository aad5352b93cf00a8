"""`translate --to cpu` (solver auto) offers the TVM CPU equivalent beside the rule translation;
`--fast-math` builds, verifies and times TVM code with -ffast-math (verify --fast-math widens
the float tolerances)."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
KERNELS = HERE / "kernels"
EXAMPLES = HERE.parent.parent / "examples" / "cuda"
needs_tvm = pytest.mark.skipif(importlib.util.find_spec("tvm") is None,
                               reason="apache-tvm (the optional 'tvm' extra) is not installed")


@pytest.fixture(autouse=True)
def _offline_cpu_execution(monkeypatch):
    monkeypatch.setenv("TRANSVERIFY_CUDA_EXECUTION", "cpu")
    for name in ("OPENAI_BASE_URL", "TRANSVERIFY_MODEL"):
        monkeypatch.delenv(name, raising=False)


def _run(command: list[str], timeout: int = 300) -> tuple[int, dict]:
    proc = subprocess.run(command + ["--json"], capture_output=True, text=True, timeout=timeout)
    assert proc.stdout.strip(), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


@needs_tvm
def test_auto_offers_the_verified_tvm_equivalent_beside_the_rule_translation(tv_cmd, tmp_path):
    # A GEMM: the TVM code is many times faster than the naive OpenMP loops on any load, so the
    # offer clears the "not clearly slower" bar (0.5x) whatever the machine is doing.
    out = tmp_path / "matmul_cpu.cpp"
    code, result = _run(tv_cmd + ["translate", str(EXAMPLES / "matmul" / "matmul.cu"), "--to", "cpu", "-o", str(out),
                                  "--cases", "3", "--no-capture", "--value", "m=128", "--value", "n=128",
                                  "--value", "k=128"])
    assert code == 0, result["message"]
    assert result["solver_used"] == "rules" and result["written"] is True  # the primary stays the rules'
    assert "TVM" not in out.read_text().splitlines()[0]
    [alternative] = result["alternatives"]
    assert alternative["solver"] == "tvm" and alternative["verdict"] == "equivalent"
    assert alternative["exit_code"] == 0 and alternative["written"] is True, (alternative, result["notes"])
    path = Path(alternative["path"])
    assert path == tmp_path / "matmul_cpu_tvm.cpp"
    assert "lifted to TVM TE" in path.read_text() and \
        "void matmul(int m, int n, int k, const float* A, const float* B, float* C)" in path.read_text()
    # measured against the naive translations, with the flags each was built with
    assert {"tvm", "openmp", "serial"} <= set(alternative["ms"])
    assert alternative["speedup"]["vs_openmp"] == pytest.approx(
        alternative["ms"]["openmp"] / alternative["ms"]["tvm"], rel=1e-2, abs=1e-3)
    assert "-fopenmp" in alternative["flags"]["tvm"] and "-ffast-math" not in alternative["flags"]["tvm"]
    assert result["notes"] == []


@needs_tvm
def test_auto_never_replaces_a_file_of_the_users_at_the_offers_path(tv_cmd, tmp_path):
    out = tmp_path / "relu2d_cpu.cpp"
    mine = tmp_path / "relu2d_cpu_tvm.cpp"
    mine.write_text("// my own hand-tuned version\n")
    code, result = _run(tv_cmd + ["translate", str(EXAMPLES / "relu2d" / "relu2d.cu"), "--to", "cpu", "-o", str(out),
                                  "--cases", "2", "--no-capture", "--shape", "x=rows*cols", "--shape", "y=rows*cols",
                                  "--value", "rows=16", "--value", "cols=32"])
    assert code == 0 and out.exists(), result["message"]
    [alternative] = result["alternatives"]
    assert alternative["verdict"] == "equivalent" and alternative["written"] is False
    assert mine.read_text() == "// my own hand-tuned version\n"
    assert any("not written" in note and "relu2d_cpu_tvm.cpp" in note for note in result["notes"]), result["notes"]


@needs_tvm
def test_auto_reports_a_kernel_tvm_cannot_lift_and_writes_nothing_for_it(tv_cmd, tmp_path):
    out = tmp_path / "stencil1d_cpu.cpp"
    code, result = _run(tv_cmd + ["translate", str(EXAMPLES / "stencil1d" / "stencil1d.cu"), "--to", "cpu", "-o",
                                  str(out), "--cases", "3", "--no-capture"])
    assert code == 0 and result["solver_used"] == "rules", result["message"]
    [alternative] = result["alternatives"]
    assert alternative["exit_code"] == 2 and alternative["verdict"] is None and alternative["written"] is False
    assert "line 4: __shared__" in alternative["message"]
    assert not (tmp_path / "stencil1d_cpu_tvm.cpp").exists()


def test_without_the_extra_auto_translates_as_before_and_says_so(tmp_path, monkeypatch):
    # The real CLI with apache-tvm made unimportable, as on an install without the extra.
    out = tmp_path / "saxpy_cpu.cpp"
    script = ("import sys; sys.modules['tvm'] = None; sys.modules['tvm_ffi'] = None\n"
              "from transverify.cli import main\n"
              f"sys.argv = ['transverify', 'translate', {str(EXAMPLES / 'saxpy' / 'saxpy.cu')!r}, '--to', 'cpu', "
              f"'-o', {str(out)!r}, '--cases', '3', '--no-capture', '--json']\n"
              "main()\n")
    code, result = _run([sys.executable, "-c", script])
    assert code == 0 and result["solver_used"] == "rules" and out.exists()
    assert result["alternatives"] == []
    assert any("not offered" in note and "pip install 'transverify[tvm]'" in note for note in result["notes"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["saxpy_cpu.cpp"]


def test_no_alternatives_and_other_pairs_have_no_alternatives_field(tv_cmd, tmp_path):
    code, result = _run(tv_cmd + ["translate", str(EXAMPLES / "saxpy" / "saxpy.cu"), "--to", "cpu", "-o",
                                  str(tmp_path / "s_cpu.cpp"), "--cases", "3", "--no-capture", "--no-alternatives"])
    assert code == 0 and "alternatives" not in result and result["notes"] == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s_cpu.cpp"]


@needs_tvm
def test_fast_math_is_verified_and_timed_with_the_flag(tv_cmd, tmp_path):
    out = tmp_path / "softmax_rows_cpu.cpp"
    code, result = _run(tv_cmd + ["translate", str(KERNELS / "softmax_rows.cu"), "--to", "cpu", "--solver", "tvm",
                                  "--fast-math", "--measure", "-o", str(out), "--cases", "3", "--value", "rows=32",
                                  "--value", "cols=64"])
    assert code == 0, result["message"]
    assert "-ffast-math" in result["message"]
    assert "-ffast-math" in result["result"]["tools"]["candidate_flags"]  # the verifier built it so
    assert "fast-math tolerances" in result["result"]["message"]
    flags = result["tvm"]["flags"]
    assert "-ffast-math" in flags["tvm"] and "-ffast-math" not in flags["openmp"]
    assert "build with -fopenmp -O3 -march=native -ffast-math" in out.read_text()


def test_fast_math_is_for_tvm_translations_only(tv_cmd, tmp_path):
    code, result = _run(tv_cmd + ["translate", str(EXAMPLES / "saxpy" / "saxpy.cu"), "--to", "cpu", "--solver",
                                  "rules", "--fast-math", "-o", str(tmp_path / "s_cpu.cpp")])
    assert code == 2 and "--fast-math applies to TVM translations" in result["message"]
    assert not (tmp_path / "s_cpu.cpp").exists()


SCALE_CU = """
// transverify: shape x=n, y=n
__global__ void scale_kernel(int n, const float* x, float* y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = 3.0f * x[i];
}
void scale(int n, const float* x, float* y) {
    float *dx, *dy;
    cudaMalloc(&dx, n * sizeof(float)); cudaMalloc(&dy, n * sizeof(float));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    scale_kernel<<<(n + 127) / 128, 128>>>(n, dx, dy);
    cudaMemcpy(y, dy, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dy);
}
"""
# 5e-4 relative off: outside the default float32 tolerance (1e-4), inside the fast-math one (1e-3).
SCALE_CPP = """
void scale(int n, const float* x, float* y) {
    for (int i = 0; i < n; ++i) y[i] = 3.0015f * x[i];
}
"""


def test_verify_fast_math_widens_float_tolerances_and_is_cuda_to_cpp_only(tv_cmd, tmp_path):
    source, candidate = tmp_path / "scale.cu", tmp_path / "scale.cpp"
    source.write_text(SCALE_CU)
    candidate.write_text(SCALE_CPP)
    command = tv_cmd + ["verify", str(source), str(candidate), "--cases", "3"]
    code, strict = _run(command)
    assert code == 1 and strict["verdict"] == "not_equivalent", strict["message"]
    assert "candidate_flags" not in strict["tools"]
    code, fast = _run(command + ["--fast-math"])
    assert code == 0, fast["message"]
    assert fast["tools"]["candidate_flags"].startswith("-O3 -march=native -ffast-math")
    fortran = tmp_path / "f.f90"
    fortran.write_text("subroutine f(x)\n  real, intent(out) :: x\n  x = 1.0\nend subroutine f\n")
    code, other = _run(tv_cmd + ["verify", str(fortran), str(candidate), "--fast-math"])
    assert code == 2 and "CUDA -> C++ candidates only" in other["message"]


def test_a_verified_offer_far_slower_than_naive_openmp_is_reported_not_written(tmp_path):
    from translators.alternatives import Alternative, write_alternatives

    slow = Alternative(solver="tvm", path=tmp_path / "k_cpu_tvm.cpp", written=False, verdict="equivalent",
                       exit_code=0, message="verified", code="// slow\n", speedup={"vs_openmp": 0.31})
    fast = Alternative(solver="tvm", path=tmp_path / "j_cpu_tvm.cpp", written=False, verdict="equivalent",
                       exit_code=0, message="verified", code="// fast\n", speedup={"vs_openmp": 1.7})
    notes: list[str] = []
    write_alternatives([slow, fast], notes)
    assert not slow.written and not slow.path.exists()
    assert notes == [f"tvm: not written to {slow.path}: verified, but 0.31x the naive OpenMP translation (slower)"]
    assert fast.written and fast.path.read_text() == "// fast\n"
