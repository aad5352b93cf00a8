"""Value domains: inferred from the source, declared by --range or a comment, applied, reported."""

from pathlib import Path

CELLS_SOURCE = """
// Every cell of output is 1 if exactly one of its four neighbours in input is 1, else 0.
// transverify: shape input=n*n, output=n*n
void cellsXOR(const int* input, int* output, int n) {
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) {
            int count = 0;
            if (i > 0 && input[(i - 1) * n + j] == 1) count++;
            if (i < n - 1 && input[(i + 1) * n + j] == 1) count++;
            if (j > 0 && input[i * n + j - 1] == 1) count++;
            if (j < n - 1 && input[i * n + j + 1] == 1) count++;
            output[i * n + j] = count == 1 ? 1 : 0;
        }
    }
}
"""

# Sums the neighbours: the same as counting ones on 0/1 grids.
CELLS_CUDA = """
__global__ void cellsKernel(const int* grid, int* out, int n) {
    int i = blockIdx.y * blockDim.y + threadIdx.y, j = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n || j >= n) return;
    int sum = 0;
    if (i > 0) sum += grid[(i - 1) * n + j];
    if (i < n - 1) sum += grid[(i + 1) * n + j];
    if (j > 0) sum += grid[i * n + j - 1];
    if (j < n - 1) sum += grid[i * n + j + 1];
    out[i * n + j] = SUM_TEST;
}
void cellsXOR(const int* input, int* output, int n) {
    int *d_in, *d_out;
    cudaMalloc(&d_in, n * n * sizeof(int));
    cudaMalloc(&d_out, n * n * sizeof(int));
    cudaMemcpy(d_in, input, n * n * sizeof(int), cudaMemcpyHostToDevice);
    dim3 block(16, 16), grid((n + 15) / 16, (n + 15) / 16);
    cellsKernel<<<grid, block>>>(d_in, d_out, n);
    cudaMemcpy(output, d_out, n * n * sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(d_in);
    cudaFree(d_out);
}
"""

HISTOGRAM_SOURCE = """
// Counts of each pixel value; pixels are assumed to be below 256.
void histogram(const int* image, int n, int* bins) {
    int local[256];
    for (int b = 0; b < 256; ++b) local[b] = 0;
    for (int i = 0; i < n; ++i) local[image[i]]++;
    for (int b = 0; b < 256; ++b) bins[b] = local[b];
}
"""

HISTOGRAM_CUDA = """
__global__ void histKernel(const int* image, int n, int* bins) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) atomicAdd(&bins[image[i]], 1);
}
void histogram(const int* image, int n, int* bins) {
    int *d_img, *d_bins;
    cudaMalloc(&d_img, n * sizeof(int));
    cudaMalloc(&d_bins, 256 * sizeof(int));
    cudaMemcpy(d_img, image, n * sizeof(int), cudaMemcpyHostToDevice);
    cudaMemset(d_bins, 0, 256 * sizeof(int));
    histKernel<<<(n + 255) / 256, 256>>>(d_img, n, d_bins);
    cudaMemcpy(bins, d_bins, 256 * sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(d_img);
    cudaFree(d_bins);
}
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_cellular_automaton_on_inferred_01_grid_verified(tmp_path, verify_json):
    source = _write(tmp_path, "cells.cpp", CELLS_SOURCE)
    candidate = _write(tmp_path, "cells.cu", CELLS_CUDA.replace("SUM_TEST", "sum == 1"))
    code, result = verify_json(source, candidate, "--cases", "8")
    assert code == 0, result["message"]
    assert result["domains"] == [{"name": "input", "lo": 0, "hi": 1, "source": "inferred",
                                  "reason": "compared for equality with 1 only (cells.cpp line 8, 9, 10, 11)"}]


def test_at_least_one_neighbour_mutant_rejected_under_20_seeds(tmp_path, verify_json):
    source = _write(tmp_path, "cells.cpp", CELLS_SOURCE)
    mutant = _write(tmp_path, "cells_at_least_one.cu", CELLS_CUDA.replace("SUM_TEST", "sum >= 1"))
    for seed in range(20):
        code, result = verify_json(source, mutant, "--cases", "8", "--seed", str(seed))
        assert code == 1, (seed, result["message"])
        assert result["mismatches"][0]["output"] == "output"


def test_histogram_reference_runs_on_its_inferred_index_domain(tmp_path, verify_json):
    source = _write(tmp_path, "hist.cpp", HISTOGRAM_SOURCE)
    candidate = _write(tmp_path, "hist.cu", HISTOGRAM_CUDA)
    code, result = verify_json(source, candidate, "--cases", "8", "--shape", "bins=256")
    assert code == 0, result["message"]
    (domain,) = result["domains"]
    assert (domain["name"], domain["lo"], domain["hi"], domain["source"]) == ("image", 0, 255, "inferred")
    assert "index of a local array of 256" in domain["reason"]


def test_index_into_parameter_array_bounded_by_its_extent(tmp_path, verify_json):
    source = _write(tmp_path, "gather.cpp", """
// transverify: shape idx=n, table=m, out=n
void gather(const int* idx, const float* table, float* out, int n, int m) {
    for (int i = 0; i < n; ++i) out[i] = table[idx[i]];
}
""")
    candidate = _write(tmp_path, "gather.cu", """
__global__ void k(const int* idx, const float* table, float* out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = table[idx[i]];
}
void gather(const int* idx, const float* table, float* out, int n, int m) {
    int* di; float *dt, *dout;
    cudaMalloc(&di, n * sizeof(int)); cudaMalloc(&dt, m * sizeof(float)); cudaMalloc(&dout, n * sizeof(float));
    cudaMemcpy(di, idx, n * sizeof(int), cudaMemcpyHostToDevice);
    cudaMemcpy(dt, table, m * sizeof(float), cudaMemcpyHostToDevice);
    k<<<(n + 127) / 128, 128>>>(di, dt, dout, n);
    cudaMemcpy(out, dout, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(di); cudaFree(dt); cudaFree(dout);
}
""")
    code, result = verify_json(source, candidate, "--cases", "6")
    assert code == 0, result["message"]
    assert [(d["name"], d["lo"], d["hi"]) for d in result["domains"]] == [("idx", 0, "len(table)-1")]


COUNT_SOURCE = """
// transverify: shape g=n
int count_set(const int* g, int n) {
    int count = 0;
    for (int i = 0; i < n; ++i) if (g[i] > 0) count++;
    return count;
}
"""

COUNT_CUDA = """
int count_set(const int* g, int n) {
    int total = 0;
    for (int i = 0; i < n; ++i) total += g[i];
    return total;
}
"""


def test_range_flag_and_comment(tmp_path, verify_json):
    source = _write(tmp_path, "count.cpp", COUNT_SOURCE)
    candidate = _write(tmp_path, "count.cu", COUNT_CUDA)
    code, result = verify_json(source, candidate)
    assert code == 1 and result["domains"] == []  # on the default inputs the sum is not the count
    code, result = verify_json(source, candidate, "--range", "g=0:1")
    assert code == 0, result["message"]
    assert result["domains"] == [{"name": "g", "lo": 0, "hi": 1, "source": "flag", "reason": "--range g=0:1"}]
    commented = _write(tmp_path, "count_commented.cpp", "// transverify: range g=0:1\n" + COUNT_SOURCE)
    code, result = verify_json(commented, candidate)
    assert code == 0, result["message"]
    assert result["domains"][0]["source"] == "comment"


def test_bad_ranges_are_usage_errors(tmp_path, verify_json):
    source = _write(tmp_path, "count.cpp", COUNT_SOURCE)
    candidate = _write(tmp_path, "count.cu", COUNT_CUDA)
    code, result = verify_json(source, candidate, "--range", "g=1")
    assert code == 2 and "range for 'g' must be LO:HI" in result["message"]
    code, result = verify_json(source, candidate, "--range", "g=5:1")
    assert code == 2 and "is empty" in result["message"]
    code, result = verify_json(source, candidate, "--range", "nope=0:1")
    assert code == 2 and "--range names 'nope'" in result["message"] and "g, n" in result["message"]


def test_clamp_inferred_and_applied(tmp_path, verify_json):
    source = _write(tmp_path, "relu6.cpp", """
#include <algorithm>
// transverify: shape x=n, y=n
void relu6(const float* x, float* y, int n) {
    for (int i = 0; i < n; ++i) y[i] = std::min(std::max(x[i], 0.0f), 6.0f);
}
""")
    no_upper = _write(tmp_path, "relu6.cu", """
#include <algorithm>
void relu6(const float* x, float* y, int n) {
    for (int i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}
""")
    code, result = verify_json(source, no_upper)
    assert code == 1, result["message"]
    assert [(d["name"], d["lo"], d["hi"], d["source"]) for d in result["domains"]] == [("x", -3, 9, "inferred")]


def test_parity_draws_negative_values(tmp_path, verify_json):
    source = _write(tmp_path, "even.cpp", """
// transverify: shape x=n, out=n
void even(const int* x, int* out, int n) {
    for (int i = 0; i < n; ++i) out[i] = x[i] % 2 == 0 ? 1 : 0;
}
""")
    floor_mod = _write(tmp_path, "even.cu", """
void even(const int* x, int* out, int n) {
    for (int i = 0; i < n; ++i) out[i] = x[i] % 2 == 1 ? 0 : 1;
}
""")
    code, result = verify_json(source, floor_mod)
    assert code == 1, result["message"]
    assert result["domains"][0]["lo"] == -1000


def test_real_threshold_is_drawn_exactly(tmp_path, verify_json):
    source = _write(tmp_path, "positive.cu", """
// transverify: shape x=n
__global__ void k(int n, const float* x, int* count) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n && x[i] > 0.0f) atomicAdd(count, 1);
}
int count_positive(int n, const float* x) {
    float* dx; int* dc; int c = 0;
    cudaMalloc(&dx, n * sizeof(float)); cudaMalloc(&dc, sizeof(int));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dc, &c, sizeof(int), cudaMemcpyHostToDevice);
    k<<<(n + 255) / 256, 256>>>(n, dx, dc);
    cudaMemcpy(&c, dc, sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dc);
    return c;
}
""")
    at_least = _write(tmp_path, "positive_ge.cpp", """
int count_positive(int n, const float* x) {
    int c = 0;
    for (int i = 0; i < n; ++i) c += x[i] >= 0.0f;
    return c;
}
""")
    code, result = verify_json(source, at_least, "--cases", "4")
    assert code == 1, result["message"]
    assert result["domains"][0]["name"] == "x" and "0.0f" in result["domains"][0]["reason"]
    correct = _write(tmp_path, "positive.cpp", at_least.read_text().replace(">=", ">"))
    code, result = verify_json(source, correct, "--cases", "4")
    assert code == 0, result["message"]
