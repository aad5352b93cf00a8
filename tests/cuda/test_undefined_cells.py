"""Output cells copied back from device memory the source never wrote are undefined in CUDA: the
verifier finds them by running the source under two cudaMalloc fills, leaves them out of the
comparison and says so; the cells the source does write are compared as always."""

from pathlib import Path

INTERIOR_CU = """
__global__ void smooth(int n, const float* x, float* y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i > 0 && i < n - 1) y[i] = (x[i - 1] + x[i] + x[i + 1]) / 3.0f;
}
void smooth_interior(int n, const float* x, float* y) {
    float *d_x, *d_y;
    cudaMalloc(&d_x, n * sizeof(float));
    cudaMalloc(&d_y, n * sizeof(float));
    cudaMemcpy(d_x, x, n * sizeof(float), cudaMemcpyHostToDevice);
    smooth<<<(n + 63) / 64, 64>>>(n, d_x, d_y);
    cudaMemcpy(y, d_y, n * sizeof(float), cudaMemcpyDeviceToHost);
}
"""

INTERIOR_CPP = """
void smooth_interior(int n, const float* x, float* y) {
    for (int i = 1; i < n - 1; ++i) y[i] = (x[i - 1] + x[i] + x[i + 1]) / 3.0f;
}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_cells_the_source_never_writes_are_not_compared(tmp_path, verify_json):
    source = write(tmp_path, "s.cu", INTERIOR_CU)
    code, result = verify_json(source, write(tmp_path, "s.cpp", INTERIOR_CPP), "--value", "n=40")
    assert code == 0, result["message"]
    notes = [w for w in result["warnings"] if "never wrote" in w]
    # the first and the last cell of each case's y
    assert notes == ["y: 6 cell(s) come from device memory the source never wrote (undefined in CUDA: they change "
                     "with what cudaMalloc leaves there), so they are not compared; the first is y[0] in case 0"], \
        result["warnings"]
    # the cells it does write are still compared
    wrong = INTERIOR_CPP.replace("/ 3.0f", "/ 2.0f")
    code, result = verify_json(source, write(tmp_path, "wrong.cpp", wrong), "--value", "n=40")
    assert code == 1 and result["mismatches"][0]["index"] not in (0, 39), result["mismatches"][:2]


def test_a_source_that_writes_every_cell_has_none_left_out(tmp_path, verify_json):
    whole = INTERIOR_CU.replace("if (i > 0 && i < n - 1) y[i] = (x[i - 1] + x[i] + x[i + 1]) / 3.0f;",
                                "if (i < n) y[i] = 2.0f * x[i];")
    candidate = "void smooth_interior(int n, const float* x, float* y) { for (int i = 0; i < n; ++i) y[i] = 2.0f * x[i]; }\n"
    code, result = verify_json(write(tmp_path, "w.cu", whole), write(tmp_path, "w.cpp", candidate))
    assert code == 0, result["message"]
    assert not [w for w in result["warnings"] if "never wrote" in w]
