"""Complex numbers and POD structs passed by value (and complex results) in the CUDA pairs:
std::complex <-> cuFloatComplex/cuDoubleComplex, structs matched by field position (CPU path,
through the CLI)."""

from pathlib import Path

CPP = """
#include <complex>
struct Affine { float scale; float shift; int skip; };
// transverify: shape x=n
void zscale(int n, std::complex<float> a, Affine t, std::complex<float>* x) {
    for (int i = 0; i < n; ++i)
        if (i % 3 != t.skip % 3) x[i] = a * x[i] * t.scale + t.shift;
}
"""

CU = """
#include <cuComplex.h>
typedef struct { float k; float d; int s; } Aff;
__global__ void zscale_kernel(int n, cuFloatComplex a, Aff t, cuFloatComplex* x) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n && i % 3 != t.s % 3) {
        cuFloatComplex v = cuCmulf(A, x[i]);
        x[i] = make_cuFloatComplex(cuCrealf(v) * t.k + t.d, cuCimagf(v) * t.k);
    }
}
void zscale(int n, cuFloatComplex a, Aff t, cuFloatComplex* x) {
    cuFloatComplex* d;
    cudaMalloc(&d, n * sizeof(cuFloatComplex));
    cudaMemcpy(d, x, n * sizeof(cuFloatComplex), cudaMemcpyHostToDevice);
    zscale_kernel<<<(n + 63) / 64, 64>>>(n, a, t, d);
    cudaMemcpy(x, d, n * sizeof(cuFloatComplex), cudaMemcpyDeviceToHost);
    cudaFree(d);
}
"""

ZSUM_CU = """
#include <cuComplex.h>
// transverify: shape v=n
__global__ void zsum_kernel(int n, const cuDoubleComplex* v, cuDoubleComplex* out) {
    if (threadIdx.x == 0 && blockIdx.x == 0) {
        cuDoubleComplex s = make_cuDoubleComplex(0.0, 0.0);
        for (int i = 0; i < n; ++i) s = cuCadd(s, v[i]);
        *out = s;
    }
}
cuDoubleComplex zsum(int n, const cuDoubleComplex* v) {
    cuDoubleComplex *dv, *dout, result;
    cudaMalloc(&dv, (n + 1) * sizeof(cuDoubleComplex));
    cudaMalloc(&dout, sizeof(cuDoubleComplex));
    cudaMemcpy(dv, v, n * sizeof(cuDoubleComplex), cudaMemcpyHostToDevice);
    zsum_kernel<<<1, 32>>>(n, dv, dout);
    cudaMemcpy(&result, dout, sizeof(cuDoubleComplex), cudaMemcpyDeviceToHost);
    cudaFree(dv);
    cudaFree(dout);
    return result;
}
"""

ZSUM_CPP = """
#include <complex>
std::complex<double> zsum(int n, const std::complex<double>* v) {
    std::complex<double> s = 0.0;
    for (int i = 0; i < n; ++i) s += v[i];
    return s;
}
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_complex_and_struct_by_value_cpp_to_cuda(tmp_path, verify_json):
    source = _write(tmp_path, "zscale.cpp", CPP)
    good = _write(tmp_path, "zscale.cu", CU.replace("cuCmulf(A,", "cuCmulf(a,"))
    code, result = verify_json(source, good)
    assert code == 0, result["message"]
    # both parts of the complex scalar and every field of the struct reach the call
    assert len(result["inputs"][0]["a"].split()) == 2 and len(result["inputs"][0]["t"].split()) == 3
    conj = _write(tmp_path, "zscale_conj.cu", CU.replace("cuCmulf(A,", "cuCmulf(cuConjf(a),"))
    code, result = verify_json(source, conj)
    assert code == 1 and result["mismatches"][0]["output"] == "x", result["message"]


def test_wrong_struct_field_rejected_cuda_to_cpp(tmp_path, verify_json):
    source = _write(tmp_path, "zscale.cu", CU.replace("cuCmulf(A,", "cuCmulf(a,"))
    good = _write(tmp_path, "zscale.cpp", CPP)
    code, result = verify_json(source, good, "--range", "t=0:1")
    assert code == 0, result["message"]
    # a range applies to every field of a struct passed by value: LO in case 0, HI in case 1
    assert [case["t"] for case in result["inputs"][:2]] == ["0.0 0.0 0", "1.0 1.0 1"]
    wrong_field = _write(tmp_path, "zscale_field.cpp", CPP.replace("t.skip % 3", "t.skip % 2"))
    code, result = verify_json(source, wrong_field, "--cases", "6")
    assert code == 1, result["message"]
    swapped = _write(tmp_path, "zscale_swapped.cpp", CPP.replace("* t.scale + t.shift", "* t.shift + t.scale"))
    code, result = verify_json(source, swapped)
    assert code == 1, result["message"]


def test_struct_by_value_field_types_must_match(tmp_path, verify_json):
    source = _write(tmp_path, "zscale.cpp", CPP)
    other = _write(tmp_path, "zscale.cu", CU.replace("cuCmulf(A,", "cuCmulf(a,").replace("int s; }", "float s; }")
                   .replace("t.s % 3", "int(t.s) % 3"))
    code, result = verify_json(source, other)
    assert code == 1 and "signature differs" in result["message"], result["message"]


def test_complex_result_cuda_to_cpp(tmp_path, verify_json):
    source = _write(tmp_path, "zsum.cu", ZSUM_CU)
    code, result = verify_json(source, _write(tmp_path, "zsum.cpp", ZSUM_CPP))
    assert code == 0, result["message"]
    conj = _write(tmp_path, "zsum_conj.cpp", ZSUM_CPP.replace("s += v[i]", "s += std::conj(v[i])"))
    code, result = verify_json(source, conj)
    assert code == 1 and result["mismatches"][0]["output"] == "result", result["message"]
