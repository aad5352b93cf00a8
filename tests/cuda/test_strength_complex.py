"""Complex arrays in the CUDA calling convention: std::complex<float/double> <-> cuFloatComplex /
cuDoubleComplex, compared by real and imaginary part (CPU path, through the CLI)."""

from pathlib import Path

ZAXPY_CPP = """
#include <complex>
// transverify: shape x=n, y=n
void zaxpy(int n, float ar, float ai, const std::complex<float>* x, std::complex<float>* y) {
    const std::complex<float> a(ar, ai);
    for (int i = 0; i < n; ++i) y[i] = a * x[i] + y[i];
}
"""

ZAXPY_CU = """
#include <cuComplex.h>
__global__ void zaxpy_kernel(int n, cuFloatComplex a, const cuFloatComplex* x, cuFloatComplex* y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = cuCaddf(cuCmulf(A, x[i]), y[i]);
}
void zaxpy(int n, float ar, float ai, const cuFloatComplex* x, cuFloatComplex* y) {
    cuFloatComplex *dx, *dy;
    cudaMalloc(&dx, n * sizeof(cuFloatComplex));
    cudaMalloc(&dy, n * sizeof(cuFloatComplex));
    cudaMemcpy(dx, x, n * sizeof(cuFloatComplex), cudaMemcpyHostToDevice);
    cudaMemcpy(dy, y, n * sizeof(cuFloatComplex), cudaMemcpyHostToDevice);
    zaxpy_kernel<<<(n + 127) / 128, 128>>>(n, make_cuFloatComplex(ar, ai), dx, dy);
    cudaMemcpy(y, dy, n * sizeof(cuFloatComplex), cudaMemcpyDeviceToHost);
    cudaFree(dx);
    cudaFree(dy);
}
"""

ZMUL_CU = """
#include <cuComplex.h>
// transverify: shape a=n, b=n, c=n
__global__ void zmul_kernel(int n, const cuDoubleComplex* a, const cuDoubleComplex* b, cuDoubleComplex* c) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) c[i] = cuCdiv(cuCmul(a[i], b[i]), make_cuDoubleComplex(2.0, cuCabs(b[i])));
}
void zmul(int n, const cuDoubleComplex* a, const cuDoubleComplex* b, cuDoubleComplex* c) {
    cuDoubleComplex *da, *db, *dc;
    cudaMalloc(&da, n * sizeof(cuDoubleComplex));
    cudaMalloc(&db, n * sizeof(cuDoubleComplex));
    cudaMalloc(&dc, n * sizeof(cuDoubleComplex));
    cudaMemcpy(da, a, n * sizeof(cuDoubleComplex), cudaMemcpyHostToDevice);
    cudaMemcpy(db, b, n * sizeof(cuDoubleComplex), cudaMemcpyHostToDevice);
    zmul_kernel<<<(n + 63) / 64, 64>>>(n, da, db, dc);
    cudaMemcpy(c, dc, n * sizeof(cuDoubleComplex), cudaMemcpyDeviceToHost);
    cudaFree(da);
    cudaFree(db);
    cudaFree(dc);
}
"""

ZMUL_CPP = """
#include <complex>
void zmul(int n, const std::complex<double>* a, const std::complex<double>* b, std::complex<double>* c) {
    for (int i = 0; i < n; ++i) c[i] = a[i] * b[i] / std::complex<double>(2.0, std::abs(b[i]));
}
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_complex_float_cpp_to_cuda(tmp_path, verify_json):
    source = _write(tmp_path, "zaxpy.cpp", ZAXPY_CPP)
    candidate = _write(tmp_path, "zaxpy.cu", ZAXPY_CU.replace("A, x[i]", "a, x[i]"))
    code, result = verify_json(source, candidate)
    assert code == 0, result["message"]


def test_conjugated_complex_rejected_with_complex_values_shown(tmp_path, verify_json):
    source = _write(tmp_path, "zaxpy.cpp", ZAXPY_CPP)
    wrong = _write(tmp_path, "zaxpy_conj.cu", ZAXPY_CU.replace("A, x[i]", "cuConjf(a), x[i]"))
    code, result = verify_json(source, wrong)
    assert code == 1, result["message"]
    first = result["mismatches"][0]
    assert first["output"] == "y"
    assert complex(first["expected"]) != complex(first["actual"])  # "(re+imj)" strings


def test_complex_double_cuda_to_cpp(tmp_path, verify_json):
    source = _write(tmp_path, "zmul.cu", ZMUL_CU)
    candidate = _write(tmp_path, "zmul.cpp", ZMUL_CPP)
    code, result = verify_json(source, candidate)
    assert code == 0, result["message"]
    swapped = _write(tmp_path, "zmul_swapped.cpp", ZMUL_CPP.replace("a[i] * b[i] /", "a[i] * std::conj(b[i]) /"))
    code, result = verify_json(source, swapped)
    assert code == 1, result["message"]


def test_complex_precision_must_match(tmp_path, verify_json):
    source = _write(tmp_path, "zmul.cu", ZMUL_CU)
    single = _write(tmp_path, "zmul_float.cpp", ZMUL_CPP.replace("complex<double>", "complex<float>"))
    code, result = verify_json(source, single)
    assert code == 1
    assert "signature differs" in result["message"]


def test_complex_scalar_by_value_must_match_in_type(tmp_path, verify_json):
    source = _write(tmp_path, "zscale.cpp", """
#include <complex>
// transverify: shape x=n
void zscale(int n, std::complex<float> a, std::complex<float>* x) { for (int i = 0; i < n; ++i) x[i] *= a; }
""")
    candidate = _write(tmp_path, "zscale.cu", "void zscale(int n, float a, float* x) {}\n")
    code, result = verify_json(source, candidate)
    assert code == 1
    assert "signature differs" in result["message"] and "parameter a" in result["message"]
