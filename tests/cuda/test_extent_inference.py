"""Array extents inferred from the entry's copies when the size goes through an integer local or an
object-like macro (`int n = rows * cols;`, `#define N 48`), through the CLI; a local assigned again
or a macro defined twice is not used, and the missing extent is named."""

from pathlib import Path

ROW_SQUARES_CU = """
__global__ void square(int n, const float* x, float* y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = x[i] * x[i];
}
void squares(int rows, int cols, const float* x, float* y) {
    int n = rows * cols;
    size_t bytes = n * sizeof(float);
    float *d_x, *d_y;
    cudaMalloc(&d_x, bytes);
    cudaMalloc(&d_y, bytes);
    cudaMemcpy(d_x, x, bytes, cudaMemcpyHostToDevice);
    square<<<(n + 63) / 64, 64>>>(n, d_x, d_y);
    cudaMemcpy(y, d_y, bytes, cudaMemcpyDeviceToHost);
}
"""

ROW_SQUARES_CPP = """
void squares(int rows, int cols, const float* x, float* y) {
    for (int i = 0; i < rows * cols; ++i) y[i] = x[i] * x[i];
}
"""

FIXED_CU = """
#define CELLS 48
#define BYTES (CELLS * sizeof(float))
__global__ void twice(const float* x, float* y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < CELLS) y[i] = 2.0f * x[i];
}
void twice_all(const float* x, float* y) {
    float *d_x, *d_y;
    cudaMalloc(&d_x, BYTES);
    cudaMalloc(&d_y, BYTES);
    cudaMemcpy(d_x, x, CELLS * sizeof(float), cudaMemcpyHostToDevice);
    twice<<<1, 64>>>(d_x, d_y);
    cudaMemcpy(y, d_y, CELLS * sizeof(float), cudaMemcpyDeviceToHost);
}
"""

FIXED_CPP = """
void twice_all(const float* x, float* y) {
    for (int i = 0; i < 48; ++i) y[i] = 2.0f * x[i];
}
"""


# candidates without a `for` loop: the extent can come from the source's copies alone
ROW_SQUARES_WHILE_CPP = """
void squares(int rows, int cols, const float* x, float* y) {
    int i = 0;
    while (i < rows * cols) { y[i] = x[i] * x[i]; ++i; }
}
"""

FIXED_WHILE_CPP = """
void twice_all(const float* x, float* y) {
    int i = 0;
    while (i < 48) { y[i] = 2.0f * x[i]; ++i; }
}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_an_extent_through_an_integer_local(tmp_path, verify_json):
    code, result = verify_json(write(tmp_path, "sq.cu", ROW_SQUARES_CU), write(tmp_path, "sq.cpp", ROW_SQUARES_CPP))
    assert code == 0, result["message"]
    for case in result["inputs"]:
        rows, cols = int(case["rows"]), int(case["cols"])
        assert case["len(x)"] == case["len(y)"] == rows * cols, case


def test_an_extent_through_an_object_like_macro(tmp_path, verify_json):
    code, result = verify_json(write(tmp_path, "t.cu", FIXED_CU), write(tmp_path, "t.cpp", FIXED_CPP))
    assert code == 0, result["message"]
    assert {(case["len(x)"], case["len(y)"]) for case in result["inputs"]} == {(48, 48)}


def test_a_local_assigned_again_is_not_an_extent(tmp_path, verify_json):
    candidate = write(tmp_path, "sq.cpp", ROW_SQUARES_WHILE_CPP)
    code, result = verify_json(write(tmp_path, "sq.cu", ROW_SQUARES_CU), candidate)
    assert code == 0, result["message"]
    source = ROW_SQUARES_CU.replace("    int n = rows * cols;\n", "    int n = rows;\n    n *= cols;\n")
    code, result = verify_json(write(tmp_path, "sq2.cu", source), candidate)
    assert code == 2 and "cannot tell how many elements array parameter 'x'" in result["message"], result
    assert "--shape x=" in result["message"]


def test_a_macro_defined_twice_is_not_an_extent(tmp_path, verify_json):
    source = FIXED_CU.replace("#define CELLS 48\n", "#ifdef BIG\n#define CELLS 4096\n#else\n#define CELLS 48\n#endif\n")
    candidate = write(tmp_path, "t.cpp", FIXED_WHILE_CPP)
    code, result = verify_json(write(tmp_path, "t.cu", FIXED_CU), candidate)
    assert code == 0, result["message"]
    code, result = verify_json(write(tmp_path, "t2.cu", source), candidate)
    assert code == 2 and "cannot tell how many elements array parameter 'x'" in result["message"], result
