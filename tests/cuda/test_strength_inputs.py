"""Generated inputs are independent per array and per case; parameters match by position.

The correlation detector reads the real harness's output: an entry that copies its input
arrays to its outputs makes the harness write exactly what it generated.
"""

import subprocess
from pathlib import Path

import numpy as np
import pytest

from transverify.verify.cuda.extents import resolve
from transverify.verify.cuda.harness import harness_source, plan_cases, read_outputs
from transverify.verify.cuda.signature import choose_entry, read_source

DUMP = """
// transverify: shape a=n, b=n, ia=n, ib=n, oa=n, ob=n, oia=n, oib=n, c=n, d=n
void dump(const float* a, const float* b, const int* ia, const int* ib, float* oa, float* ob, int* oia,
          int* oib, float* c, float* d, int n) {
    for (int i = 0; i < n; ++i) { oa[i] = a[i]; ob[i] = b[i]; oia[i] = ia[i]; oib[i] = ib[i]; }
}
"""

CORRELATION_LIMIT = 1.0  # in standard errors beyond 5; shifted copies score about sqrt(n) / 5


def max_correlation(arrays: list[np.ndarray], min_length: int = 200) -> float:
    """Largest |Pearson r| between any two arrays (aligned and shifted by one), over common
    prefixes, in units of 5 standard errors of r for independent data (1/sqrt(n))."""
    worst = 0.0
    for i, first in enumerate(arrays):
        for second in arrays[i + 1:]:
            n = min(len(first), len(second))
            if n < min_length:
                continue
            x, y = first[:n].astype(np.float64), second[:n].astype(np.float64)
            for left, right in ((x, y), (x[1:], y[:-1]), (x[:-1], y[1:])):
                if left.std() > 0 and right.std() > 0:
                    r = abs(float(np.corrcoef(left, right)[0, 1]))
                    worst = max(worst, r * np.sqrt(len(left)) / 5)
    return worst


def test_detector_flags_shifted_and_copied_arrays():
    rng = np.random.default_rng(1)
    base = rng.random(1001)
    assert max_correlation([base[:-1], base[1:]]) > 5  # y[i] == x[i+1]
    assert max_correlation([base, base]) > 5
    assert max_correlation([base, 0.5 * base + 0.5 * rng.random(1001)]) > 2
    assert max_correlation([base, rng.random(1001)]) < CORRELATION_LIMIT


def _generated_arrays(tmp_path: Path, seed: int) -> list[list[np.ndarray]]:
    source_path = tmp_path / "dump.cpp"
    source_path.write_text(DUMP)
    source = read_source(source_path, "cpp")
    entry = choose_entry(source, None)
    extents = resolve(entry, [source], {}, {})
    plan = plan_cases(entry, extents, 8, seed)
    harness = tmp_path / "harness.cpp"
    harness.write_text(harness_source(entry, extents, cuda_side=False))
    binary = tmp_path / "harness"
    subprocess.run(["g++", "-std=c++17", "-O1", "-o", str(binary), str(harness), str(source_path)], check=True,
                   capture_output=True, timeout=120)
    (tmp_path / "cases.txt").write_text(plan.case_file)
    subprocess.run([str(binary), str(tmp_path / "cases.txt"), str(tmp_path / "out.bin")], check=True, timeout=60)
    cases = read_outputs((tmp_path / "out.bin").read_bytes(), plan)
    assert len(cases) == 8
    return [[case[name] for name in ("oa", "ob", "oia", "oib", "c", "d")] for case in cases]


@pytest.mark.parametrize("seed", [0, 7])
def test_arrays_of_one_case_are_independent(tmp_path, seed):
    for arrays in _generated_arrays(tmp_path, seed):
        assert max_correlation(arrays) < CORRELATION_LIMIT


def test_cases_are_independent(tmp_path):
    cases = _generated_arrays(tmp_path, 3)
    for position in range(6):
        same_array_across_cases = [case[position] for case in cases]
        assert max_correlation(same_array_across_cases) < CORRELATION_LIMIT


XOR_SOURCE = """
// Does val occur in exactly one of x and y?
// transverify: shape x=n, y=n, found=1
void xorContains(const int* x, const int* y, int n, int val, bool* found) {
    bool in_x = false, in_y = false;
    for (int i = 0; i < n; ++i) {
        if (x[i] == val) in_x = true;
        if (y[i] == val) in_y = true;
    }
    *found = in_x != in_y;
}
"""

XOR_STUB = """
__global__ void xorKernel(const int* x, const int* y, int n, int val, bool* found) {}
void xorContains(const int* x, const int* y, int n, int val, bool* found) {
    *found = false;
}
"""

# Correct, with every parameter named differently from the source's (and one named like a
# variable of the harness).
XOR_RENAMED = """
__global__ void xorKernel(const int* in, const int* other, int count, int value, int* hits) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < count) {
        if (in[i] == value) atomicOr(&hits[0], 1);
        if (other[i] == value) atomicOr(&hits[0], 2);
    }
}
void xorContains(const int* in, const int* other, int out, int value, bool* result) {
    int *d_x, *d_y, *d_h;
    int h = 0;
    cudaMalloc(&d_x, out * sizeof(int));
    cudaMalloc(&d_y, out * sizeof(int));
    cudaMalloc(&d_h, sizeof(int));
    cudaMemcpy(d_x, in, out * sizeof(int), cudaMemcpyHostToDevice);
    cudaMemcpy(d_y, other, out * sizeof(int), cudaMemcpyHostToDevice);
    cudaMemcpy(d_h, &h, sizeof(int), cudaMemcpyHostToDevice);
    xorKernel<<<(out + 255) / 256, 256>>>(d_x, d_y, out, value, d_h);
    cudaMemcpy(&h, d_h, sizeof(int), cudaMemcpyDeviceToHost);
    *result = h == 1 || h == 2;
    cudaFree(d_x); cudaFree(d_y); cudaFree(d_h);
}
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_xor_contains_stub_rejected_under_20_seeds(tmp_path, verify_json):
    source = _write(tmp_path, "xor.cpp", XOR_SOURCE)
    stub = _write(tmp_path, "xor_stub.cu", XOR_STUB)
    for seed in range(20):
        code, result = verify_json(source, stub, "--seed", str(seed), "--cases", "8")
        assert code == 1, (seed, result["message"])
        assert result["mismatches"][0]["output"] == "found"


def test_renamed_parameters_match_by_position(tmp_path, verify_json):
    source = _write(tmp_path, "xor.cpp", XOR_SOURCE)
    renamed = _write(tmp_path, "xor_renamed.cu", XOR_RENAMED)
    code, result = verify_json(source, renamed, "--cases", "8")
    assert code == 0, result["message"]
    assert result["cases"] == 8


def test_parameter_count_and_type_differences_are_named(tmp_path, verify_json):
    source = _write(tmp_path, "xor.cpp", XOR_SOURCE)
    fewer = _write(tmp_path, "fewer.cu", "void xorContains(const int* x, const int* y, int n, bool* found) "
                                         "{ *found = false; }\n")
    code, result = verify_json(source, fewer)
    assert code == 1
    assert "takes 4 parameters; the source's takes 5" in result["message"]
    other_type = _write(tmp_path, "typed.cu", "void xorContains(const float* x, const int* y, int n, int val, "
                                              "bool* found) { *found = false; }\n")
    code, result = verify_json(source, other_type)
    assert code == 1
    assert "parameter x is 'const float* x'; the source's is 'const int* x'" in result["message"]
