"""Bad input, unsupported constructs and runtime failures of CUDA code, through the CLI."""

from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "cuda"

SCALE_CPP = """
void scale(int n, float a, float* x) {
    for (int i = 0; i < n; ++i) x[i] *= a;
}
"""

SCALE_CU = """
__global__ void scale_kernel(int n, float a, float* x) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) x[i] *= a;
}
void scale(int n, float a, float* x) {
    float* d;
    cudaMalloc(&d, n * sizeof(float));
    cudaMemcpy(d, x, n * sizeof(float), cudaMemcpyHostToDevice);
    scale_kernel<<<(n + 63) / 64, BLOCK>>>(n, a, d);
    cudaMemcpy(x, d, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(d);
}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_missing_extent_names_parameter_and_flag(tmp_path, verify_json):
    src = write(tmp_path, "first.cpp", "void first(int n, const float* x, float* out) { out[0] = x[n - 1]; }\n")
    cand = write(tmp_path, "first.cu", "void first(int n, const float* x, float* out) { out[0] = x[n - 1]; }\n")
    code, result = verify_json(src, cand)
    assert code == 2
    assert "'x'" in result["message"] and "--shape x=" in result["message"]
    code, result = verify_json(src, cand, "--shape", "x=n", "--shape", "out=1")
    assert code == 0, result["message"]
    assert result["inputs"][0]["len(out)"] == 1


def test_shape_flag_must_name_a_parameter(tmp_path, verify_json):
    src = write(tmp_path, "s.cpp", SCALE_CPP)
    cand = write(tmp_path, "s.cu", SCALE_CU.replace("BLOCK", "64"))
    code, result = verify_json(src, cand, "--shape", "y=n")
    assert code == 2 and "--shape names 'y'" in result["message"]


def test_pinned_value_is_used(tmp_path, verify_json):
    src = write(tmp_path, "s.cpp", SCALE_CPP)
    cand = write(tmp_path, "s.cu", SCALE_CU.replace("BLOCK", "64"))
    code, result = verify_json(src, cand, "--value", "n=5")
    assert code == 0, result["message"]
    assert {case["n"] for case in result["inputs"]} == {"5"}


def test_failed_launch_is_a_runtime_error(tmp_path, verify_json):
    src = write(tmp_path, "s.cpp", SCALE_CPP)
    cand = write(tmp_path, "s.cu", SCALE_CU.replace("BLOCK", "2048"))
    code, result = verify_json(src, cand)
    assert code == 1
    assert result["stage"] == "run"
    assert "invalid configuration" in result["message"] and "scale_kernel" in result["message"]
    assert result["diagnostics"][0]["line"] == 10


def test_out_of_bounds_names_kernel_and_line(verify_json):
    code, result = verify_json(CORPUS / "saxpy" / "saxpy.cpp", CORPUS / "saxpy" / "saxpy_wrong_no_bounds.cu")
    assert code == 1 and result["stage"] == "run"
    assert "kernel 'saxpy_kernel'" in result["message"]
    diag = result["diagnostics"][0]
    assert diag["file"].endswith("saxpy_wrong_no_bounds.cu") and diag["line"] == 5


def test_candidate_cuda_error_is_reported_at_its_line(tmp_path, verify_json):
    src = write(tmp_path, "s.cpp", SCALE_CPP)
    cand = write(tmp_path, "s.cu", SCALE_CU.replace("BLOCK", "64").replace("x[i] *= a;", "x[i] *= undefined_factor;"))
    code, result = verify_json(src, cand)
    assert code == 1 and result["stage"] == "compile_candidate"
    lines = {(Path(d["file"]).name, d["line"]) for d in result["diagnostics"] if d["severity"] == "error"}
    assert ("s.cu", 4) in lines


def test_source_that_does_not_compile_is_bad_input(tmp_path, verify_json):
    src = write(tmp_path, "s.cu", SCALE_CU.replace("BLOCK", "64").replace("cudaFree(d);", "cudaFree(d)"))
    cand = write(tmp_path, "s.cpp", SCALE_CPP)
    code, result = verify_json(src, cand)
    assert code == 2 and result["stage"] == "compile_source"
    assert any(Path(d["file"]).name == "s.cu" for d in result["diagnostics"])


def test_unsupported_construct_is_refused_by_name(tmp_path, verify_json):
    kernel = SCALE_CU.replace("BLOCK", "64").replace(
        "if (i < n) x[i] *= a;", "int c = __syncthreads_count(i < n);\n    if (i < n) x[i] *= a * c;")
    cand = write(tmp_path, "s.cu", kernel)
    src = write(tmp_path, "s.cpp", SCALE_CPP)
    code, result = verify_json(src, cand)
    assert code == 2
    assert "__syncthreads_count" in result["message"] and ":4" in result["message"]


def test_signature_must_match(tmp_path, verify_json):
    src = write(tmp_path, "s.cpp", SCALE_CPP)
    cand = write(tmp_path, "s.cu", SCALE_CU.replace("BLOCK", "64").replace("void scale(int n, float a, float* x)",
                                                                              "void scale(int n, double a, float* x)"))
    code, result = verify_json(src, cand)
    assert code == 1 and "signature differs" in result["message"] and "a" in result["message"]


def test_entry_must_be_chosen_among_several(tmp_path, verify_json):
    src = write(tmp_path, "s.cpp", SCALE_CPP + "void other(int n, float* y) { for (int i = 0; i < n; ++i) y[i] = 0; }\n")
    cand = write(tmp_path, "s.cu", SCALE_CU.replace("BLOCK", "64"))
    code, result = verify_json(src, cand)
    assert code == 2 and "--entry" in result["message"]
    code, result = verify_json(src, cand, "--entry", "scale")
    assert code == 0, result["message"]


def test_barrier_divergence_is_a_runtime_error(tmp_path, verify_json):
    kernel = SCALE_CU.replace("BLOCK", "64").replace(
        "if (i < n) x[i] *= a;",
        "float v = i < n ? x[i] : 0.0f;\n"
        "    if (threadIdx.x % 2) __syncthreads(); else v = __shfl_down_sync(0xffffffffu, v, 1);\n"
        "    if (i < n) x[i] = v * a;")
    src = write(tmp_path, "s.cpp", SCALE_CPP)
    cand = write(tmp_path, "s.cu", kernel)
    code, result = verify_json(src, cand)
    assert code == 1 and "barrier divergence" in result["message"]


def test_kernel_that_never_ends_times_out(tmp_path, verify_json):
    kernel = SCALE_CU.replace("BLOCK", "64").replace("if (i < n) x[i] *= a;", "while (i < n) x[i] *= a;")
    src = write(tmp_path, "s.cpp", SCALE_CPP)
    cand = write(tmp_path, "s.cu", kernel)
    code, result = verify_json(src, cand, "--timeout", "3")
    assert code == 1 and result["stage"] == "run" and "timed out" in result["message"]


def test_missing_syncthreads_is_reported_as_a_race(verify_json):
    code, result = verify_json(CORPUS / "stencil1d" / "stencil1d.cpp", CORPUS / "stencil1d" / "stencil1d_wrong_nosync.cu")
    assert code == 1 and result["stage"] == "run"
    assert "data race" in result["message"] and "__syncthreads" in result["message"]
    assert "race_check" in result["timings"]


def test_program_mode_compares_stdout_and_reports_failed_launch(verify_json):
    folder = CORPUS / "program_sum"
    code, result = verify_json(folder / "program_sum.cpp", folder / "program_sum.cu")
    assert code == 0 and result["mode"] == "program"
    code, result = verify_json(folder / "program_sum.cpp", folder / "program_sum_bad_launch.cu")
    assert code == 1 and "invalid configuration" in result["message"]
    assert result["diagnostics"][0]["line"] == 10  # the launch


def test_out_of_bounds_shared_memory_is_caught(tmp_path, verify_json):
    kernel = SCALE_CU.replace("BLOCK", "64").replace(
        "if (i < n) x[i] *= a;",
        "__shared__ float tile[64];\n"
        "    tile[threadIdx.x + 1] = i < n ? x[i] : 0.0f;\n"
        "    __syncthreads();\n"
        "    if (i < n) x[i] = tile[threadIdx.x] * a;")
    src = write(tmp_path, "s.cpp", SCALE_CPP)
    cand = write(tmp_path, "s.cu", kernel)
    code, result = verify_json(src, cand)
    assert code == 1 and result["stage"] == "run"
    assert "out-of-bounds write" in result["message"] and "kernel 'scale_kernel'" in result["message"]
    assert result["diagnostics"][0]["line"] == 5


def test_source_failing_by_itself_is_bad_input(verify_json):
    code, result = verify_json(CORPUS / "saxpy" / "saxpy_wrong_no_bounds.cu", CORPUS / "saxpy" / "saxpy.cpp")
    assert code == 2 and result["stage"] == "run"
    assert "source itself fails" in result["message"] and "saxpy_kernel" in result["message"]
