"""Operator templates for block-level kernels beyond GEMM/sum/softmax/histogram: layer and RMS norm,
scans, max/min and count reductions, GEMM with alpha/beta, convolutions, pooling.  Each kernel is
translated the way a user does it (`translate --solver tvm`, through the CLI) and must verify against the .cu with the template named; a kernel with the same
signature that computes something else is refused, the template tried named."""

import json
from pathlib import Path

import pytest

pytest.importorskip("tvm", reason="apache-tvm (the optional 'tvm' extra) is not installed")

KERNELS = Path(__file__).resolve().parent / "kernels"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cuda"


@pytest.fixture(autouse=True)
def _cpu_execution(monkeypatch):
    monkeypatch.setenv("TRANSVERIFY_CUDA_EXECUTION", "cpu")


def _translate(tv_cli, name, output: Path, *flags: str):
    proc = tv_cli.run(["translate", str(KERNELS / name), "--to", "cpu", "--solver", "tvm",
                       "-o", str(output), "--cases", "3", "--trials", "0", "--json", *flags], timeout=300)
    return proc, json.loads(proc.stdout)


RECOGNISED = [
    # warp butterflies in a device function, no gamma/beta, eps a parameter, an early `return`
    ("block_layernorm_warp_eps.cu", "layer_norm",
     "y[r, c] = (x[r, c] - mean) / sqrt(var + eps) over c < cols, r < rows, row-major",
     "void layer_norm(const float* x, float* y, int rows, int cols, float eps)"),
    # two launches (per-row mean and rstd kept as outputs, then the normalisation), rows = B*T,
    # gamma/beta, eps a literal behind a macro (#define EPS 1e-5f) read from the kernel
    ("block_layernorm_stats.cu", "layer_norm",
     "out[r, c] = (inp[r, c] - mean) / sqrt(var + 1e-5f) · weight[c] + bias[c] over c < C, r < B*T, row-major, "
     "mean[r] = mean, rstd[r] = 1 / sqrt(var + 1e-5f)",
     "void layernorm_train(float* out, float* mean, float* rstd, const float* inp, const float* weight,"),
    # RMS norm: warp butterflies, eps a parameter (layer_norm is tried first and does not verify)
    ("block_rmsnorm.cu", "rms_norm",
     "y[r, c] = x[r, c] / sqrt(mean of x[r, c]² + eps) over c < cols, r < rows, row-major",
     "void rms_norm(const float* x, float* y, int rows, int cols, float eps)"),
    # RMS norm with a weight, rows = B*T, a shared tree, eps behind a macro, the reciprocal root kept
    ("block_rmsnorm_weight.cu", "rms_norm",
     "out[r, c] = inp[r, c] / sqrt(mean of inp[r, c]² + 1e-6f) · weight[c] over c < C, r < B*T, row-major, "
     "rrms[r] = 1 / sqrt(mean square + 1e-6f)",
     "void rmsnorm_forward(float* out, float* rrms, const float* inp, const float* weight, int B, int T, int C)"),
    # one thread per row, online softmax: the running sum rescaled as the running max grows (a
    # recurrence the lifter refuses as a loop-carried variable)
    ("online_softmax.cu", "row_softmax",
     "probs[r, c] = softmax over c < cols of logits[r, c], r < rows, row-major",
     "void online_softmax(const float* logits, float* probs, int rows, int cols)"),
    # in place, one block: Hillis-Steele double-buffered in shared memory, then each thread keeps
    # its left neighbour's sum (inclusive, then shifted right by one in place)
    ("block_scan_inplace.cu", "scan",
     "data[i] = sum of the old data[j], j < i, over the whole array, i < n (exclusive scan)",
     "void exclusive_scan_in_place(int* data, int n)"),
    # Blelloch per block, the block sums scanned by a recursive host helper, then added back
    ("block_scan_two_pass.cu", "scan",
     "y[i] = sum of x[j], j < i, over the whole array, i < n (exclusive scan)",
     "void exclusive_scan(const float* x, float* y, int n)"),
    # int maximum: shared tree + atomicMax
    ("block_max_atomic.cu", "max_reduction", "out[0] = max over i < n of x[i]",
     "void max_int(const int* x, int* out, int n)"),
    # count of negative ints: per-thread flags, a shared tree, one atomicAdd per block
    ("block_count_negative.cu", "count_reduction", "count[0] = count of i < n with x[i] < 0",
     "void count_negative(const int* x, int* count, int n)"),
    # C = alpha * A * B + beta * C with shared tiles, sizes m, n, k, alpha/beta between the arrays
    ("block_sgemm_alpha_beta.cu", "gemm_scaled", "C (mxn) = alpha · A (mxk) · B (kxn) + beta · C, row-major",
     "void sgemm(int m, int n, int k, float alpha, const float* A, const float* B, float beta, float* C)"),
    # the bundled example: a transpose through a padded shared tile, 32x8 threads, guarded edges
    (EXAMPLES / "transpose" / "transpose.cu", "transpose",
     "out[c, r] = in[r, c], in rowsxcols row-major, out colsxrows",
     "void transpose(int rows, int cols, const float* in, float* out)"),
    # no shared memory: each thread moves several elements in a loop stepping by ROWS, which the
    # lifter refuses ("for"); doubles, sizes w, h
    ("strided_transpose.cu", "transpose", "dst[c, r] = src[r, c], src hxw row-major, dst wxh",
     "void transpose_doubles(double* dst, const double* src, int w, int h)"),
    # each row's arg-max: (value, index) pairs in a shared tree, one block per row
    ("block_row_argmax.cu", "argmax",
     "best[r] = argmax over c < cols of logits[r, c], r < rows, row-major (the first on ties)",
     "void row_argmax(const float* logits, int* best, int rows, int cols)"),
    # each row's maximum and its index, both written (one reduction over (index, value) pairs)
    ("block_row_argmax_value.cu", "argmax",
     "top_index[r] = argmax, top[r] = max over c < cols of scores[r, c], r < rows, row-major "
     "(the first index on ties)",
     "void row_top(const float* scores, float* top, int* top_index, int rows, int cols)"),
    # the whole array's arg-min, returned: warp shuffles of (value, index) pairs, then one thread
    ("block_argmin_warp.cu", "argmin", "the return value = argmin over i < n of x[i] (the first on ties)",
     "int argmin(const float* x, int n)"),
    # float minimum, returned: warp shuffles + an atomicCAS loop
    ("block_min_cas.cu", "min_reduction", "the return value = min over i < n of x[i]",
     "float min_value(const float* x, int n)"),
    # tiled 2-D convolution: a shared tile with a halo (zero outside), a 5x5 mask in __constant__
    # memory filled from the parameter by cudaMemcpyToSymbol, the radius a macro
    ("block_conv2d_tiled.cu", "conv2d",
     "out[i, j] = Σ_a,b in[i+a-2, j+b-2] · mask[a, b], zero outside, i < height, j < width, row-major",
     "void conv2d_tiled(const float* in, const float* mask, float* out, int height, int width)"),
    # separable convolution: rows then columns launches through a temporary, each over a shared
    # tile with an apron, a 5-tap __constant__ table read flipped (c_taps[KERNEL_RADIUS - j])
    ("block_conv_separable.cu", "conv_separable",
     "dst = the columns pass of the rows pass of src, each Σ_a ·[..+a-2] · c_taps[4-a], zero outside, "
     "h rows of w, row-major",
     "void separable_blur(const float* src, float* dst, int w, int h)"),
    # 1-D convolution with a halo in dynamic shared memory, reads clamped to the ends, the mask
    # and its radius parameters
    ("block_conv1d_halo.cu", "conv1d", "y[i] = Σ_a x[i+a-r] · w[a], clamped to the edge, i < n",
     "void conv1d_clamped(const float* x, const float* w, float* y, int n, int r)"),
    # tiled max pooling: 2x2 windows at stride 2 (a macro), the input tile staged in shared memory
    ("block_maxpool_tiled.cu", "pool2d",
     "out[i, j] = max over a < 2, b < 2 of in[i·2+a, j·2+b], in HxW, row-major, valid windows only",
     "void maxpool2d(const float* in, float* out, int H, int W)"),
]


@pytest.mark.parametrize("name,template,variant,signature", RECOGNISED, ids=[Path(r[0]).stem for r in RECOGNISED])
def test_block_level_kernel_becomes_its_template(tv_cli, tmp_path, name, template, variant, signature):
    out = tmp_path / "k_cpu.cpp"
    proc, report = _translate(tv_cli, name, out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert report["verdict"] == "equivalent" and report["solver_used"] == "tvm"
    assert (report["tvm"]["template"], report["tvm"]["template_variant"]) == (template, variant)
    code = out.read_text()
    assert f"operator template '{template}'" in "\n".join(code.splitlines()[:3])
    assert signature in code and "__shared__" not in code and "__syncthreads" not in code


REFUSED = [
    # L2 row normalisation: RMS norm's signature and warp shuffles, the sum of squares not divided
    # by cols
    ("block_l2norm.cu", ("__shfl_xor_sync", 10),
     "rms_norm (y[r, c] = x[r, c] / sqrt(mean of x[r, c]² + eps) over c < cols, r < rows, row-major): "
     "not verified (outputs differ"),
    # a transpose's signature and shared tile, written back untransposed (a copy)
    ("block_copy_tiled.cu", ("__shared__", 5),
     "transpose (out[c, r] = in[r, c], in rowsxcols row-major, out colsxrows): not verified (outputs differ"),
    # a suffix sum: a scan's signature and shared tree, summed from the end
    ("block_suffix_scan.cu", ("__shared__", 6),
     "scan (y[i] = sum of x[j], j <= i, over the whole array, i < n (inclusive scan)): not verified "
     "(outputs differ"),
    # max(0, max x): a maximum that starts from 0.  It agrees with max x whenever an element is
    # positive, so the template is verified again on all-negative inputs, where it does not.
    # a local energy: the tiled 2-D convolution's signature, tile and __constant__ mask, but each
    # pixel squared before it is weighted
    ("block_conv2d_energy.cu", ("__shared__", 13),
     "conv2d (out[i, j] = Σ_a,b in[i+a-2, j+b-2] · mask[a, b], zero outside, i < height, j < width, row-major): "
     "not verified (outputs differ"),
    (EXAMPLES / "amax_dynamic" / "amax_dynamic_wrong_abs.cu", ("__shared__", 3),
     "max_reduction (the return value = max over i < n of x[i]): not verified (with x=-100:-1: outputs differ"),
]


@pytest.mark.parametrize("name,where,tried", REFUSED, ids=[Path(r[0]).stem for r in REFUSED])
def test_same_signature_other_computation_is_refused(tv_cli, tmp_path, name, where, tried):
    out = tmp_path / "k_cpu.cpp"
    proc, report = _translate(tv_cli, name, out)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    [refusal] = report["unsupported"]
    assert (refusal["construct"], refusal["line"]) == where
    assert "operator templates tried: " in refusal["message"]
    assert tried in refusal["message"]
    assert not out.exists()
