"""translate --to cpu --solver tvm: lifted kernels verify against their .cu; refusals name construct and line."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("tvm", reason="apache-tvm (the optional 'tvm' extra) is not installed")

from transverify.translators.tvm_cpu.errors import Unliftable  # noqa: E402
from transverify.translators.tvm_cpu.solver import generate  # noqa: E402
from transverify.verify import VerifyOptions, verify  # noqa: E402

HERE = Path(__file__).resolve().parent
KERNELS = HERE / "kernels"
EXAMPLES = HERE.parent.parent / "examples" / "cuda"


@pytest.fixture(autouse=True)
def _cpu_execution(monkeypatch):
    monkeypatch.setenv("TRANSVERIFY_CUDA_EXECUTION", "cpu")


def _translate(tv_cli, source: Path, output: Path, *flags: str):
    proc = tv_cli.run(["translate", str(source), "--to", "cpu", "--solver", "tvm", "-o", str(output),
                       "--cases", "4", *flags], timeout=300)
    return proc


def test_cli_translates_saxpy_to_verified_openmp(tv_cli, tmp_path):
    out = tmp_path / "saxpy_cpu.cpp"
    proc = _translate(tv_cli, EXAMPLES / "saxpy" / "saxpy.cu", out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "verified equivalent" in proc.stdout
    code = out.read_text()
    assert "void saxpy(int n, float a, const float* x, float* y)" in code
    assert "#pragma omp parallel for" in code and "#pragma omp simd" in code
    assert "tvm" not in code.split("#include", 1)[1].lower()  # no TVM header or runtime call
    assert "saxpy_kernel" in code.splitlines()[0]  # the header comment names the kernel
    header = code.split("#include", 1)[0]
    assert "parallel" in header and "simd loop" in header  # the schedule: parallel axis, vector loop
    assert "// Vector width: simd loops are" in header  # ... and the vector width it was made for


def test_cli_json_for_matmul(tv_cli, tmp_path):
    out = tmp_path / "matmul_cpu.cpp"
    proc = _translate(tv_cli, EXAMPLES / "matmul" / "matmul.cu", out, "--json", "--trials", "0")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(proc.stdout)
    assert result["verdict"] == "equivalent"
    assert result["solver_used"] == "tvm" and result["written"] is True
    assert "register-blocked GEMM" in out.read_text()  # the schedule decision is in the header comment


def test_cli_refusal_names_construct_and_line(tv_cli, tmp_path):
    # A shared-memory stencil: no operator template fits its signature either.
    out = tmp_path / "stencil_cpu.cpp"
    proc = _translate(tv_cli, EXAMPLES / "stencil1d" / "stencil1d.cu", out, "--json")
    assert proc.returncode == 2
    result = json.loads(proc.stdout)
    assert result["unsupported"] == [{"line": 4, "construct": "__shared__", "message": result["unsupported"][0]["message"]}]
    assert "no operator template matches the entry's signature" in result["unsupported"][0]["message"]
    assert not out.exists()


def test_cli_tvm_solver_is_for_cuda_to_cpu_only(tv_cli, tmp_path):
    source = tmp_path / "k.cpp"
    source.write_text("void f(int n, float* x) { for (int i = 0; i < n; ++i) x[i] = 0; }\n")
    proc = tv_cli.run(["translate", str(source), "--to", "cuda", "--solver", "tvm"], timeout=120)
    assert proc.returncode == 2
    assert "--solver tvm translates CUDA to CPU only" in proc.stdout + proc.stderr


def test_without_the_extra_the_cli_says_how_to_install(tmp_path):
    # The real CLI with apache-tvm made unimportable, as on an install without the extra.
    script = ("import sys; sys.modules['tvm'] = None; sys.modules['tvm_ffi'] = None\n"
              "from transverify.cli import main\n"
              f"sys.argv = ['transverify', 'translate', {str(EXAMPLES / 'saxpy' / 'saxpy.cu')!r}, '--to', 'cpu', "
              f"'--solver', 'tvm', '-o', {str(tmp_path / 'o_cpu.cpp')!r}]\n"
              "main()\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "pip install 'transverify[tvm]'" in proc.stdout + proc.stderr


# Lifted through the API and verified by the CUDA -> CPU pair (extents from shape comments or here).
LIFTED = [
    (EXAMPLES / "vector_add" / "vector_add.cu", {}),  # grid-stride loop
    (EXAMPLES / "relu2d" / "relu2d.cu", {"x": "rows*cols", "y": "rows*cols"}),  # 2-D grid, double
    (EXAMPLES / "jacobi2d" / "jacobi2d.cu", {"u": "ny*nx", "v": "ny*nx"}),  # early-return guard, if/else
    (KERNELS / "rowsum.cu", {}),  # sum reduction
    (KERNELS / "rowmax.cu", {}),  # integer max reduction
    (KERNELS / "softmax_rows.cu", {}),  # max + sum reductions, a loop that stores
    (KERNELS / "stencil3.cu", {}),  # if/else on one cell
    (KERNELS / "transpose_naive.cu", {}),  # store index column-major in the thread's axes
    (KERNELS / "gemv.cu", {}),  # in/out array read at the stored cell
    (KERNELS / "bias_relu.cu", {}),  # broadcast, conditional expression
    (KERNELS / "clamp_partial.cu", {}),  # if without else keeps the old value
    (KERNELS / "box3d.cu", {}),  # 3-D grid, double, conditional updates of a local
    (KERNELS / "size_t_extent.cu", {}),  # a size_t size bounding a size_t index: an int extent
]


@pytest.mark.parametrize("source,shapes", LIFTED, ids=[p.stem for p, _ in LIFTED])
def test_lifted_kernel_verifies(source, shapes, tmp_path):
    generated = generate(source)
    candidate = tmp_path / f"{source.stem}_cpu.cpp"
    candidate.write_text(generated.code)
    result = verify(source, candidate, VerifyOptions(shapes=shapes, cases=4))
    assert result.ok, result.message
    assert "#pragma omp parallel for" in generated.code


def test_a_wider_size_is_read_as_an_int_extent_and_a_larger_one_stops_the_entry(tmp_path):
    generated = generate(KERNELS / "size_t_extent.cu")
    assert "Sizes n (size_t) are read as int extents: exact for values up to 2147483647" in generated.code
    assert "static_cast<int32_t>(n)" in generated.code
    # Beyond the int range the entry stops with a message rather than computing a wrong result.
    (tmp_path / "k.cpp").write_text(generated.code)
    (tmp_path / "main.cpp").write_text("#include <cstddef>\nvoid scale(size_t n, const float* x, float* y);\n"
                                       "int main(int argc, char**) { float v = 1; scale(argc > 1 ? 3000000000u : 1, "
                                       "&v, &v); return v == 2 ? 0 : 3; }\n")
    exe = tmp_path / "k"
    built = subprocess.run(["g++", "-std=c++17", "-fopenmp", "-O1", str(tmp_path / "main.cpp"), str(tmp_path / "k.cpp"),
                            "-o", str(exe)], capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    assert subprocess.run([str(exe)], capture_output=True, timeout=30).returncode == 0
    over = subprocess.run([str(exe), "big"], capture_output=True, text=True, timeout=30)
    assert over.returncode != 0 and "scale: n must be at most 2147483647" in over.stderr


def test_emitted_code_has_no_warnings(tmp_path):
    for source in (KERNELS / "softmax_rows.cu", EXAMPLES / "jacobi2d" / "jacobi2d.cu"):
        path = tmp_path / f"{source.stem}.cpp"
        path.write_text(generate(source).code)
        proc = subprocess.run(["g++", "-std=c++17", "-fopenmp", "-O2", "-Wall", "-Wextra", "-c", str(path),
                               "-o", str(tmp_path / "k.o")], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0 and "warning" not in proc.stderr, proc.stderr


ATOMIC = """
__global__ void count_kernel(int n, const float* x, int* c) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n && x[i] > 0) atomicAdd(c, 1);
}
void count(int n, const float* x, int* c) {
    float* dx; int* dc;
    cudaMalloc(&dx, n * sizeof(float)); cudaMalloc(&dc, sizeof(int));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dc, c, sizeof(int), cudaMemcpyHostToDevice);
    count_kernel<<<(n + 255) / 256, 256>>>(n, dx, dc);
    cudaMemcpy(c, dc, sizeof(int), cudaMemcpyDeviceToHost);
}
"""

REFUSED = [
    (EXAMPLES / "softmax" / "softmax.cu", "__shared__", 4),
    (EXAMPLES / "stencil1d" / "stencil1d.cu", "__shared__", 4),
    (EXAMPLES / "warp_scan" / "warp_scan.cu", None, None),  # a warp shuffle or shared memory, by name
    (KERNELS / "barrier_only.cu", "__syncthreads", 4),
    (KERNELS / "data_dependent_loop.cu", "data-dependent loop", 6),
    ("atomic", "atomicAdd", 4),
    # `i < n - skip` in unsigned arithmetic: wraps around for skip > n, not an int extent
    (KERNELS / "size_unsigned_difference.cu", "unsigned difference", 6),
    (KERNELS / "macro_constant.cu", "macro", 6),  # a macro whose value is not one operand
    # __device__ functions: the line inside the helper is named, the call site in the message
    (KERNELS / "device_recursion.cu", "recursion", 3),
    (KERNELS / "device_return_in_loop.cu", "return", 2),
    (KERNELS / "device_reference_write.cu", "reference", 8),  # an assigned reference given an array element
]


@pytest.mark.parametrize("source,construct,line", REFUSED, ids=[str(s).split("/")[-1] for s, _, _ in REFUSED])
def test_refusals_name_construct_and_line(source, construct, line, tmp_path):
    if source == "atomic":
        source = tmp_path / "count.cu"
        source.write_text(textwrap.dedent(ATOMIC))
    with pytest.raises(Unliftable) as info:
        generate(source)
    if construct is None:
        assert info.value.construct.startswith(("__shfl", "__shared__")) and info.value.line
    else:
        assert (info.value.construct, info.value.line) == (construct, line), info.value.describe()


@pytest.mark.parametrize("name,helper,call_line", [("device_recursion", "fact", 7),
                                                   ("device_return_in_loop", "first_pos", 9)])
def test_device_function_refusals_name_the_helper_and_the_call_site(name, helper, call_line):
    with pytest.raises(Unliftable) as info:
        generate(KERNELS / f"{name}.cu")
    assert f"'{helper}'" in info.value.message and f"called at line {call_line}" in info.value.message


def test_tune_seconds_needs_trials(tv_cli, tmp_path):
    out = tmp_path / "saxpy_cpu.cpp"
    proc = _translate(tv_cli, EXAMPLES / "saxpy" / "saxpy.cu", out, "--tune-seconds", "5")
    assert proc.returncode == 2
    assert "--trials" in proc.stdout
    assert not out.exists()


TWO_ENTRIES = """
// transverify: shape x=n, y=n
__global__ void twice_kernel(int n, const float* x, float* y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = 2.0f * x[i];
}
__global__ void square_kernel(int n, const float* x, float* y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = x[i] * x[i];
}
void twice(int n, const float* x, float* y) {
    float *dx, *dy;
    cudaMalloc(&dx, n * sizeof(float)); cudaMalloc(&dy, n * sizeof(float));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    twice_kernel<<<(n + 127) / 128, 128>>>(n, dx, dy);
    cudaMemcpy(y, dy, n * sizeof(float), cudaMemcpyDeviceToHost);
}
void square(int n, const float* x, float* y) {
    float *dx, *dy;
    cudaMalloc(&dx, n * sizeof(float)); cudaMalloc(&dy, n * sizeof(float));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    square_kernel<<<(n + 127) / 128, 128>>>(n, dx, dy);
    cudaMemcpy(y, dy, n * sizeof(float), cudaMemcpyDeviceToHost);
}
"""


def test_cli_entry_chooses_the_host_function(tv_cli, tmp_path):
    source = tmp_path / "two.cu"
    source.write_text(TWO_ENTRIES)
    out = tmp_path / "two_cpu.cpp"
    proc = _translate(tv_cli, source, out, "--entry", "square")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    code = out.read_text()
    assert "void square(int n, const float* x, float* y)" in code and "void twice(" not in code
    assert "square_kernel" in code.splitlines()[0]
    proc = _translate(tv_cli, source, tmp_path / "none_cpu.cpp")
    assert proc.returncode == 2 and "choose one with --entry NAME" in proc.stdout


def test_measure_reports_speed_ups_over_the_naive_translations(tv_cli, tmp_path):
    from transverify.translators.tvm_cpu.speed import openblas_available

    out = tmp_path / "matmul_cpu.cpp"
    proc = _translate(tv_cli, EXAMPLES / "matmul" / "matmul.cu", out, "--json", "--measure",
                      "--value", "m=24", "--value", "n=40", "--value", "k=8")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)["tvm"]
    assert report["shape"] == {"m": 24, "n": 40, "k": 8}
    ms, speedup = report["ms"], report["speedup"]
    assert {"tvm", "openmp", "serial"} <= set(ms), report["notes"]
    assert speedup["vs_serial"] == pytest.approx(ms["serial"] / ms["tvm"], rel=1e-2, abs=1e-3)
    assert speedup["vs_openmp"] == pytest.approx(ms["openmp"] / ms["tvm"], rel=1e-2, abs=1e-3)
    # matmul is GEMM-shaped: OpenBLAS is the third baseline where it is installed
    assert ("vs_openblas" in speedup) == openblas_available()
    plain = _translate(tv_cli, EXAMPLES / "saxpy" / "saxpy.cu", tmp_path / "s.cpp", "--json")
    assert "tvm" not in json.loads(plain.stdout)  # timing is asked for (or comes with tuning)
