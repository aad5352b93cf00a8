"""Device buffers that are not one host array's copy (a scratch half of a ping-pong pair, two device
copies of one host array, an intermediate between launches), cudaMemset, and scalar locals the
launches take: the CPU equivalent declares them as the entry does and verifies against the .cu;
what it cannot place is refused with its construct and line."""

import json
import os
from pathlib import Path

import pytest

pytest.importorskip("tvm", reason="apache-tvm (the optional 'tvm' extra) is not installed")

from transverify.translators.tvm_cpu.errors import Unliftable  # noqa: E402
from transverify.translators.tvm_cpu.solver import generate  # noqa: E402
from transverify.verify import VerifyOptions, verify  # noqa: E402

KERNELS = Path(__file__).resolve().parent / "kernels"


@pytest.fixture(autouse=True)
def _cpu_execution(monkeypatch):
    monkeypatch.setenv("TRANSVERIFY_CUDA_EXECUTION", "cpu")


def _translate(tv_cli, source: Path, output: Path, *flags: str):
    proc = tv_cli.run(["translate", str(source), "--to", "cpu", "--solver", "tvm", "--trials", "0",
                       "--json", "--cases", "2", "-o", str(output), *flags], timeout=300)
    text = proc.stdout.strip()
    return proc.returncode, json.loads(text) if text.startswith("{") else proc.stdout + proc.stderr


def _without(code: str, line_start: str) -> str:
    """The code less the one line that starts (after its indent) with `line_start`."""
    lines = code.splitlines(keepends=True)
    hits = [k for k, line in enumerate(lines) if line.lstrip().startswith(line_start)]
    assert len(hits) == 1, (line_start, hits)
    return "".join(lines[:hits[0]] + lines[hits[0] + 1:])


def test_two_device_copies_of_one_host_array_ping_pong(tv_cli, tmp_path):
    source = KERNELS / "buffers_jacobi_scratch.cu"
    out = tmp_path / "jacobi_cpu.cpp"
    code, result = _translate(tv_cli, source, out, "--value", "steps=3")
    assert code == 0 and result["verdict"] == "equivalent", result
    emitted = out.read_text()
    entry = emitted[emitted.index("void relax(int n, int steps, float* u) {"):]
    # the local computed from a macro, both buffers local arrays loaded from u, the pointers swapped
    # themselves, and the one copied back
    for line in ("const float weight = 1.0f / (float)(2);  // line 13",
                 "float* d_tmp = reinterpret_cast<float*>(d_tmp_storage.data());",
                 "std::memcpy(d_u, u, (n * sizeof(float)));  // cudaMemcpyHostToDevice (line 16)",
                 "std::memcpy(d_tmp, u, (n * sizeof(float)));  // cudaMemcpyHostToDevice (line 17)",
                 "relax_launch1(n, steps, u, t, weight, d_u, d_tmp);", "std::swap(d_u, d_tmp);",
                 "std::memcpy(u, d_u, (n * sizeof(float)));  // cudaMemcpyDeviceToHost (line 22)"):
        assert f"    {line}\n" in entry, (line, entry)
    # the second load matters: without it the scratch half's boundary cells are zeros, and after an
    # odd number of steps they are u's
    unloaded = tmp_path / "unloaded_cpu.cpp"
    unloaded.write_text(_without(emitted, "std::memcpy(d_tmp, u,"))
    checked = verify(source, unloaded, VerifyOptions(cases=2, values={"steps": "3"}))
    assert not checked.ok and checked.stage not in ("parse", "compile_source", "compile_candidate"), checked.message


def test_a_scratch_buffer_swapped_with_a_host_arrays_copy(tv_cli, tmp_path):
    source = KERNELS / "buffers_scratch_swap.cu"
    out = tmp_path / "smooth_cpu.cpp"
    code, result = _translate(tv_cli, source, out, "--value", "steps=3", "--value", "w=0.25")
    assert code == 0 and result["verdict"] == "equivalent", result
    emitted = out.read_text()
    # d_x is x itself (its holder x_now); d_scratch a local array; after an odd number of swaps
    # x_now holds the scratch array, copied to x as the CUDA copy back does
    assert "    auto x_now = x;  // the array 'd_x' holds now\n" in emitted
    assert "        std::swap(x_now, d_scratch);\n" in emitted
    fix = "    if (x_now != x) {  // an odd number of swaps: 'd_x' holds a local buffer's array\n" \
          "        std::memcpy(x, x_now, n * sizeof(double));\n    }\n"
    assert fix in emitted
    unfixed = tmp_path / "unfixed_cpu.cpp"
    unfixed.write_text(emitted.replace(fix, ""))
    checked = verify(source, unfixed, VerifyOptions(cases=2, values={"steps": "3", "w": "0.25"}))
    assert not checked.ok and checked.stage not in ("parse", "compile_source", "compile_candidate"), checked.message


def test_an_intermediate_buffer_a_memset_and_a_computed_size(tv_cli, tmp_path):
    source = KERNELS / "buffers_pipeline.cu"
    out = tmp_path / "energy_cpu.cpp"
    code, result = _translate(tv_cli, source, out)
    assert code == 0 and result["verdict"] == "equivalent", result
    emitted = out.read_text()
    entry = emitted[emitted.index("void row_energy("):]
    assert "    const int32_t n = rows * cols;  // line 17\n" in entry
    assert "    std::vector<unsigned char> d_sq_storage((rows * cols) * sizeof(float));" in entry
    # d_acc is energy's device copy (only copied back), zeroed before the accumulating launch
    memset = "std::memset(energy, 0, rows * sizeof(float));  // cudaMemset of 'd_acc' (line 23)"
    assert f"    {memset}\n" in entry
    unset = tmp_path / "unset_cpu.cpp"
    unset.write_text(_without(emitted, memset))
    checked = verify(source, unset, VerifyOptions(cases=2))
    assert not checked.ok and checked.stage not in ("parse", "compile_source", "compile_candidate"), checked.message


def test_copies_and_sets_on_every_step_run_in_the_loop(tv_cli, tmp_path):
    source = KERNELS / "buffers_copy_steps.cu"
    out = tmp_path / "steps_cpu.cpp"
    code, result = _translate(tv_cli, source, out, "--value", "steps=3", "--value", "k=0.25", "--measure")
    assert code == 0 and result["verdict"] == "equivalent", result
    # timed: the host arrays the entry copies to and from the local buffers are as long as those buffers
    assert set(result["tvm"]["ms"]) == {"tvm", "openmp", "serial"}, result["tvm"]
    emitted = out.read_text()
    # inside CUDA_CHECK(...), in source order among the launches of each step
    memset = "std::memset(d_change, 0, (n * sizeof(float)));  // cudaMemset of 'd_change' (line 27)"
    assert "    for (int t = 0; t < steps; ++t) {\n" \
           f"        {memset}\n" \
           "        diffuse_steps_launch1(n, steps, k, u, change, t, d_u, d_new, d_change);\n" \
           "        diffuse_steps_launch2(n, steps, k, u, change, t, d_u, d_new, d_change);\n" \
           "        std::memcpy(d_u, d_new, (n * sizeof(float)));  // cudaMemcpyDeviceToDevice (line 30)\n" \
           "    }\n" in emitted, emitted
    # without the set on each step the change would add up over the steps
    unset = tmp_path / "unset_cpu.cpp"
    unset.write_text(_without(emitted, memset))
    checked = verify(source, unset, VerifyOptions(cases=2, values={"steps": "3", "k": "0.25"}))
    assert not checked.ok and checked.stage not in ("parse", "compile_source", "compile_candidate"), checked.message


def test_scalar_arguments_written_as_expressions(tv_cli, tmp_path):
    source = KERNELS / "buffers_arguments.cu"
    out = tmp_path / "shifted_cpu.cpp"
    code, result = _translate(tv_cli, source, out, "--value", "steps=3")
    assert code == 0 and result["verdict"] == "equivalent", result
    emitted = out.read_text()
    # the macro's value, the loop variable plus one and the product passed as written, in the loop
    call = "        shifted_launch1(x, y, w, steps, t, d_x, d_y, (300), t + 1, 0.5f * w);\n"
    assert call in emitted
    assert "static void shifted_launch1(const float* x, float* y, float w, int steps, int t, float* d_x, " \
           "float* d_y, int32_t shift_scale_n, int32_t shift_scale_offset, float shift_scale_s) {" in emitted
    shifted_by_t = tmp_path / "by_t_cpu.cpp"
    shifted_by_t.write_text(emitted.replace(call, call.replace("t + 1", "t")))
    checked = verify(source, shifted_by_t, VerifyOptions(cases=2, values={"steps": "3"}))
    assert not checked.ok and checked.stage not in ("parse", "compile_source", "compile_candidate"), checked.message


SAXPY_LITERALS = """\
#define N 1000
__global__ void saxpy(int n, float a, const float* x, float* y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = a * x[i] + y[i];
}
void run(const float* x, float* y) {
    float *d_x, *d_y;
    cudaMalloc(&d_x, N * sizeof(float));
    cudaMalloc(&d_y, N * sizeof(float));
    cudaMemcpy(d_x, x, N * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(d_y, y, N * sizeof(float), cudaMemcpyHostToDevice);
    saxpy<<<(N + 255) / 256, 256>>>(N, 2.0f, d_x, d_y);
    cudaMemcpy(y, d_y, N * sizeof(float), cudaMemcpyDeviceToHost);
}
"""


def test_a_single_launch_with_a_macro_and_a_literal_argument(tv_cli, tmp_path):
    source = tmp_path / "saxpy.cu"
    source.write_text(SAXPY_LITERALS)
    out = tmp_path / "saxpy_cpu.cpp"
    code, result = _translate(tv_cli, source, out)
    assert code == 0 and result["verdict"] == "equivalent", result
    assert "    run_launch1(x, y, (1000), 2.0f);\n" in out.read_text()


WRITTEN_COPY = """\
__global__ void add_rows(int n, float* t, const float* a) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) t[i] = t[i] + a[i];
}
__global__ void twice(int n, const float* t, float* d) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) d[i] = 2.0f * t[i];
}
void two_steps(int n, float* tmp, const float* a, float* d) {
    float *d_tmp, *d_a, *d_d;
    cudaMalloc(&d_tmp, n * sizeof(float));
    cudaMalloc(&d_a, n * sizeof(float));
    cudaMalloc(&d_d, n * sizeof(float));
    cudaMemcpy(d_tmp, tmp, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(d_a, a, n * sizeof(float), cudaMemcpyHostToDevice);
    add_rows<<<(n + 63) / 64, 64>>>(n, d_tmp, d_a);
    twice<<<(n + 63) / 64, 64>>>(n, d_tmp, d_d);
    cudaMemcpy(d, d_d, n * sizeof(float), cudaMemcpyDeviceToHost);
}
"""


@pytest.mark.parametrize("const", [False, True])
def test_a_device_copy_written_but_never_copied_back_is_a_local_copy(tv_cli, tmp_path, const):
    # PolyBench's 2mm writes tmp_gpu and copies back only D: the host's tmp must stay as it was
    source = tmp_path / "two_steps.cu"
    source.write_text(WRITTEN_COPY.replace("float* tmp,", "const float* tmp,") if const else WRITTEN_COPY)
    out = tmp_path / "two_steps_cpu.cpp"
    code, result = _translate(tv_cli, source, out)
    assert code == 0 and result["verdict"] == "equivalent", result
    emitted = out.read_text()
    assert "    std::memcpy(d_tmp, tmp, n * sizeof(float));\n" \
           "    two_steps_launch1(n, d_tmp, a, d);\n    two_steps_launch2(n, d_tmp, a, d);\n" in emitted
    # the launch functions take the copy as writable even where the entry's parameter is const
    assert "static void two_steps_launch1(int n, float* tmp, const float* a, float* d) {" in emitted
    if not const:
        in_place = tmp_path / "in_place_cpu.cpp"
        in_place.write_text(emitted.replace("(n, d_tmp, a, d);", "(n, tmp, a, d);"))
        checked = verify(source, in_place, VerifyOptions(cases=2))
        assert not checked.ok and checked.stage not in ("parse", "compile_source", "compile_candidate"), \
            checked.message


def test_a_set_copy_never_copied_back_leaves_its_host_array_alone(tv_cli, tmp_path):
    # d_t is loaded from t, then zeroed and accumulated into, and only y goes back: t must not change
    source = tmp_path / "set_copy.cu"
    source.write_text(WRITTEN_COPY.replace(
        "    add_rows<<<", "    cudaMemset(d_tmp, 0, n * sizeof(float));\n    add_rows<<<"))
    out = tmp_path / "set_copy_cpu.cpp"
    code, result = _translate(tv_cli, source, out)
    assert code == 0 and result["verdict"] == "equivalent", result
    assert "    std::memset(d_tmp, 0, n * sizeof(float));  // cudaMemset of 'd_tmp' (line 16)\n" in out.read_text()


PIPELINE = (KERNELS / "buffers_pipeline.cu").read_text()


@pytest.mark.parametrize("source, construct, line, words", [
    (PIPELINE.replace("    row_sums<<<", "    if (rows > 4) cudaMemset(d_sq, 0, n * sizeof(float));\n    row_sums<<<"),
     "cudaMemset", 25, "a cudaMemset between the launches under a if (line 25)"),
    (PIPELINE.replace("    row_sums<<<", "    cudaMemcpy(d_table, d_sq, 64, cudaMemcpyDeviceToDevice);\n    row_sums<<<"),
     "cudaMemcpy", 25, "copied to or from a device buffer of the entry"),
    (PIPELINE.replace("cudaMalloc(&d_sq, n * sizeof(float));", "cudaMalloc(&d_sq, bytes_for(n));"),
     "cudaMalloc", 20, "the size 'bytes_for(n)' of cudaMalloc is not an integer expression"),
    (PIPELINE.replace("    int n = rows * cols;", "    int n = rows * (int)x[0];"),
     "launch argument", 24, "local 'n' reads 'x[0]' (subscript expression)"),
    (PIPELINE.replace("    int n = rows * cols;", "    int n = rows * cols;\n    n += 1;"),
     "launch argument", 25, "argument 'n' reads 'n', not a scalar parameter, a local set once or a usable macro"),
    (PIPELINE.replace("square<<<(n + 255) / 256, 256>>>(n,", "square<<<(n + 255) / 256, 256>>>((int)x[0],"),
     "launch argument", 24, "argument '(int)x[0]' reads 'x[0]' (subscript expression)"),
    (PIPELINE.replace("    int n = rows * cols;", "    int n = rows * next_size(cols);"),
     "launch argument", 24, "local 'n' calls 'next_size'"),
    (PIPELINE.replace("cudaMalloc(&d_sq, n * sizeof(float));", ""),
     "launch argument", 24, "a device buffer the entry allocates with cudaMalloc"),
])
def test_what_a_device_buffer_or_local_may_not_do_is_refused(tmp_path, source, construct, line, words):
    path = tmp_path / "buffers.cu"
    path.write_text(source)
    with pytest.raises(Unliftable) as info:
        generate(path)
    assert (info.value.construct, info.value.line) == (construct, line), info.value.describe()
    assert words in info.value.describe()


def test_a_launch_reading_an_integer_local_is_tuned_at_its_value(tv_cli, tmp_path):
    out = tmp_path / "energy_tuned.cpp"
    env = dict(os.environ, TRANSVERIFY_CACHE_DIR=str(tmp_path / "cache"))
    proc = tv_cli.run(["translate", str(KERNELS / "buffers_pipeline.cu"), "--to", "cpu", "--solver", "tvm",
                       "--trials", "2", "--json", "--cases", "1", "--value", "rows=64", "--value", "cols=48",
                       "-o", str(out)], timeout=600, env=env)
    result = json.loads(proc.stdout)
    assert proc.returncode == 0 and result["verdict"] == "equivalent", result
    # square's domain is the local n = rows * cols: pinned at 64 * 48 like a parameter, so it is tuned
    assert [(launch["kernel"], "tvm_best_ms" in launch) for launch in result["tvm"]["launches"]] == \
        [("square", True), ("row_sums", True)], result["tvm"]["launches"]
    code = out.read_text()
    assert "    if (n == 3072) {\n        row_energy_launch1_tuned(" in code
