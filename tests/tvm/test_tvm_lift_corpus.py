"""The one-thread-per-output corpus (tests/tvm/kernels/lift_*.cu): each kernel is lifted to TVM TE by
`translate --to cpu --solver tvm --trials 0 --json` and its emitted C++ is verified against the .cu;
refusals of what is still not lifted name the construct and its line.

The command lines run in the test worker's long-lived CLI process (tests/support/cli_worker.py:
`transverify.cli.main`, as the console script runs it), so TVM is imported once per worker rather
than once per kernel.
"""

import json
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("tvm", reason="apache-tvm (the optional 'tvm' extra) is not installed")

from transverify.translators.tvm_cpu.errors import Unliftable  # noqa: E402
from transverify.translators.tvm_cpu.solver import generate  # noqa: E402

KERNELS = Path(__file__).resolve().parent / "kernels"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cuda"

# Kernel -> the small sizes it is verified at (--value), and what it exercises.
CORPUS = {
    "lift_conv2d": ["C=2", "H=7", "W=6", "K=3", "KH=3", "KW=2"],  # a sum over c, kh, kw: one 3-axis reduction
    "lift_conv2d_pad": ["C=2", "H=5", "W=6", "K=3"],  # padding checks inside the window, a loop over filters
    "lift_maxpool2d": ["C=3", "H=8", "W=6", "S=2"],  # fmaxf over a 2-D window
    "lift_avgpool2d": ["N=2", "H=6", "W=8"],  # nested sum then a divide; extents W / 2
    # the window sum over kh, kw beside a count of valid rows updated in the kh loop alone
    "lift_avgpool_valid": ["H=5", "W=7"],
    "lift_layernorm": ["rows=5", "cols=12", "eps=0.00001"],  # mean, variance using the mean, a loop that stores
    "lift_softmax_cols": ["rows=9", "cols=7"],  # strided max and sum, one thread per column
    "lift_minmax_rows": ["rows=6", "cols=10"],  # min and max in one loop, three outputs
    "lift_extremes_if": ["rows=7", "cols=9"],  # max and min kept by `if (v > mx) mx = v;` and `if (mn > v)`
    "lift_histogram_bins": ["n=40", "nbins=6"],  # a conditional count (if inside the reduction)
    "lift_gemv_t": ["m=9", "n=7"],  # GEMV down the columns
    "lift_gemm_ab": ["m=6", "n=10", "k=5"],  # naive GEMM with alpha, beta; C read at its own cell
    "lift_bias_rows": ["rows=5", "cols=11"],  # broadcasts over rows and over columns
    "lift_stencil5": ["n=30"],  # 1-D 5-point stencil, edges copied
    "lift_laplace3d": ["nz=4", "ny=5", "nx=6"],  # 3-D 7-point stencil on a 3-D grid
    "lift_conv1d_const": ["n=37"],  # a __constant__ filter read at the tap index, ends skipped
    # a loop that stores exp(...) and sums what it stored into a double, then rescales the row in place
    "lift_softmax_store_sum": ["rows=9", "cols=7", "temp=0.7"],
    "lift_embed_btc": ["B=2", "T=3", "C=5"],  # idx split by / and % that recombines; a gather; `*dst = ...`
    "lift_gelu_macro": ["n=50"],  # constants as object-like macros (one over M_PI, one naming another)
    "lift_linear_bias": ["rows=5", "ins=6", "outs=7"],  # `bias != nullptr` on a device copy: always true
    "lift_sgd_momentum": ["n=77"],  # a `long` count; the weights read the old velocity before it is stored
    # pointer parameters advanced to the row; stored cells read back in a later reduction loop
    "lift_residual_rmsnorm": ["rows=7", "cols=9", "eps=0.00001"],
    "lift_gelu_erf_backward": ["n=61"],  # erff, coshf, log1pf, exp2f, floorf beside tanhf: three outputs
    # causal bounds: `t2 <= t` with t = idx % T, and `t3 <= t2` inside it (a triangle of the triangle)
    "lift_causal_prefix": ["rows=3", "T=7"],
    # `t2 < t + 1`, `t2 <= t` (max, then a sum of exponentials), `t2 < t` on a 2-D grid; columns after t masked
    "lift_causal_softmax": ["T=9"],
    # a trailing window t - W + 1 .. t: a start below 0 skipped by a guard, a start clipped by max()
    "lift_causal_window": ["n=23", "W=4"],
    # a loop that stores over t2 <= t (cells after t keep their values), then a loop over the whole row
    "lift_causal_rows": ["T=11"],
    # a sum from an output loop's variable to the end of the row (p = j; p < n)
    "lift_causal_suffix": ["rows=4", "n=9"],
    # attention scores whose masked cells store -inf and return before the dot product
    "lift_causal_scores": ["B=2", "T=7", "D=5"],
    # bare and storing early returns on data, one with an else branch; cells a branch skips keep their values
    "lift_masked_update": ["n=53", "limit=0.3"],
    # __device__ helpers inlined: fmaf lerp, sigmoid, a template, early returns, helpers calling helpers
    "lift_device_helpers": ["n=45", "t=0.3"],
    # a helper's reduction loop over a row pointer; a void helper storing through a pointer, returning early
    "lift_device_rows": ["rows=7", "cols=9", "limit=0.5"],
    # helpers in the kernel's loops: summed in a reduction, a storing helper making its loop an output axis
    "lift_device_loops": ["n=5", "m=6"],
    # accumulators updated through helpers' reference parameters in a loop (one passed on to another helper)
    "lift_device_accumulate": ["rows=7", "cols=9"],
    # size_t, long and unsigned sizes bounding indices and loops of their own types (int extents)
    "lift_size_types": ["rows=6", "cols=9", "m=4"],
    # C scaled by beta, then alpha * A B accumulated in the cell itself; macro sizes and element type,
    # `int p; for (p = 0; ...)`
    "lift_cell_gemm": [],
    # two cells accumulated in one loop (one from 0, one from its old value), a third over a double loop
    "lift_cell_sums": ["n=9", "m=5"],
    # an interior (1 .. size - 2) of a grid whose row is wider than the columns written: the border kept
    "lift_interior_stencil": [],
    "lift_column_scale": ["rows=11", "col=4"],  # one column of a matrix: stride WIDTH, offset col
    # two launches in order: the second reads the row sums the first stored
    "lift_two_launches": ["rows=13", "cols=40"],
    # bit operators in index math: a pair swap `i ^ 1`, an 8-bit reversal gather, a store at
    # ((i >> 1) << 1) + (i & 1)
    "lift_bits_pairs": ["n=77"],
    # unsigned bits of signed data: a count of (v >> k) & 1u, parity by xor-folding, a hash with <<=, |=, &=
    "lift_bits_popcount": ["n=77"],
    "lift_bits_lanes": ["n=77"],
    # __popc, __popcll, __clz (32 for zero), __ffs, __ffsll, __brev, a sum of __popc over the row
    "lift_bits_intrinsics": ["rows=5", "cols=9"],
    # |=, &= (from ~0), ^= and an |= under an if over a row; a bit reversal of the row index with |=
    "lift_bits_reduce": ["rows=9", "cols=7"],  # lane = i & 31, warp = i >> 5 over (n + 31) / 32 warps
    # negative data: arithmetic >> (floor) beside C's truncating / and %, a logical >> of the same bits
    "lift_bits_signed": ["n=77"],
    "poly_constant": ["n=33"],  # examples/cuda: __constant__ coefficients filled by cudaMemcpyToSymbol
}


def _source(name: str) -> Path:
    return KERNELS / f"{name}.cu" if name.startswith("lift_") else EXAMPLES / name / f"{name}.cu"


def test_every_lift_kernel_is_in_the_corpus():
    assert sorted(p.stem for p in KERNELS.glob("lift_*.cu")) == sorted(n for n in CORPUS if n.startswith("lift_"))


@pytest.mark.parametrize("name", list(CORPUS))
def test_lift_kernel_translates_and_verifies(name, tv_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("TRANSVERIFY_CUDA_EXECUTION", "cpu")
    output = tmp_path / f"{name}_cpu.cpp"
    argv = ["translate", str(_source(name)), "--to", "cpu", "--solver", "tvm", "--trials", "0", "--json",
            "--cases", "4", "-o", str(output)]
    for value in CORPUS[name]:
        argv += ["--value", value]
    proc = tv_cli.run(argv, timeout=600)
    code, text = proc.returncode, proc.stdout
    assert code == 0, text[-3000:] + proc.stderr[-3000:]
    result = json.loads(text)
    assert result["verdict"] == "equivalent" and result["solver_used"] == "tvm" and result["written"] is True
    emitted = output.read_text()
    assert "lifted to TVM TE" in emitted.splitlines()[1]  # lifted thread by thread, not an operator template
    # fixed sizes below the one-thread threshold have no parallel loop (parallel_work.py)
    assert "#pragma omp parallel for" in emitted or "// one thread: fewer than" in emitted


def test_nested_reduction_is_one_reduction_over_all_axes():
    lifted = generate(KERNELS / "lift_conv2d.cu").lifted
    (stage,) = lifted.stages
    assert stage.op == "sum" and [name.split("r_")[1].rstrip("0123456789") for name, _, _ in stage.inner] == ["kh", "kw"]
    pooled = generate(KERNELS / "lift_maxpool2d.cu").lifted
    assert [s.op for s in pooled.stages] == ["max"] and len(pooled.stages[0].inner) == 1


def test_an_inner_loop_adds_its_axis_only_to_the_accumulators_it_updates():
    # Counting the valid rows over kh and kw would count each row three times.
    stages = generate(KERNELS / "lift_avgpool_valid.cu").lifted.stages
    assert sorted((s.dtype, len(s.inner)) for s in stages) == [("float32", 1), ("int32", 0), ("int32", 0)]


def test_compare_and_assign_is_a_max_or_min_reduction():
    stages = generate(KERNELS / "lift_extremes_if.cu").lifted.stages
    assert [s.op for s in stages] == ["max", "min"]


def test_layernorm_stages_use_earlier_results():
    lifted = generate(KERNELS / "lift_layernorm.cu").lifted
    # sum, mean = sum / cols (once per row), variance sum, rsqrtf(var / cols + eps) (once per row)
    assert [s.op for s in lifted.stages] == ["sum", "compute", "sum", "compute"]
    from transverify.translators.tvm_cpu.ir import StageRef, children

    def refs(e):
        return ({e.stage} if isinstance(e, StageRef) else set()).union(*(refs(c) for c in children(e)))

    assert refs(lifted.stages[2].expr) == {1}  # the variance reads the mean
    assert refs(lifted.stages[3].expr) == {2}
    assert refs(lifted.outputs[0].value) == {1, 3}  # the loop that stores reads the mean and 1/sqrt


def test_a_loop_that_stores_and_sums_is_a_reduction_over_the_stored_values():
    lifted = generate(KERNELS / "lift_softmax_store_sum.cu").lifted
    # the maximum, the double sum of the stored exp values (read back from the cells just written)
    reductions = [(s.op, s.dtype) for s in lifted.stages if s.op != "compute"]
    assert reductions == [("max", "float32"), ("sum", "float64")]
    (out,) = lifted.outputs  # the rescaling loop's store is the last write of every cell
    assert out.buffer == "probs" and len(out.axes) == 2


def test_a_causal_loop_reduces_over_a_fixed_range_where_the_thread_runs_it():
    from transverify.translators.tvm_cpu.ir import symbols, to_poly

    stages = generate(KERNELS / "lift_causal_prefix.cu").lifted.stages
    prefix, nested = stages
    # t2 <= t with t = idx % T: the range [0, |T|) holds every iteration; the predicate keeps t2 < t + 1
    assert to_poly(prefix.lo) == {} and symbols(prefix.hi, ("axis", "reduce")) == set()
    assert prefix.where is not None and symbols(prefix.where, ("axis",)) == {"gx"}
    # t3 <= t2 inside it: one reduction over both axes, its predicate over both loop variables
    (inner_name, _, inner_hi), = nested.inner
    assert symbols(inner_hi, ("axis", "reduce")) == set()
    assert symbols(nested.where, ("reduce",)) == {nested.reduce, inner_name}
    window = generate(KERNELS / "lift_causal_window.cu").lifted.stages
    # the start t - W + 1 goes below 0: the range starts at 1 - W, a parameter expression
    assert all(s.where is not None and symbols(s.lo, ("axis", "reduce")) == set() for s in window)


def test_a_causal_loop_that_stores_shares_the_row_axis_and_keeps_the_cells_it_skips():
    from transverify.translators.tvm_cpu.ir import Load, Select

    lifted = generate(KERNELS / "lift_causal_rows.cu").lifted
    outputs = {out.buffer: out for out in lifted.outputs}
    assert sorted(outputs) == ["probs", "seen"] and len(outputs["probs"].axes) == 2
    assert outputs["probs"].axes == outputs["seen"].axes  # the full-row loop took the causal loop's axis
    seen = outputs["seen"].value
    # t2 <= t: the new value, else the cell's old value
    assert isinstance(seen, Select) and isinstance(seen.b, Load) and seen.b.buffer == "seen"


def test_a_reduction_range_not_starting_at_zero_runs_from_zero_in_the_workload():
    # MetaSchedule rewrites only loops from 0: the window from 1 - W runs over [0, hi - lo), read as r + lo.
    import re

    from transverify.translators.tvm_cpu.launch import find_launch
    from transverify.translators.tvm_cpu.te_build import build_prim_func

    lifted = generate(KERNELS / "lift_causal_window.cu").lifted
    assert any(s.reduce and "W" in str(s.lo) for s in lifted.stages)
    func = build_prim_func(lifted, find_launch(KERNELS / "lift_causal_window.cu", None).entry.params).func
    loops = [line for line in func.script().splitlines() if line.strip().startswith("for ")]
    # every loop is `range(extent)` or `T.grid(extents...)`, never `range(start, end)`
    assert len(loops) == 5 and not any(re.search(r"\brange\([^()]*(\([^()]*\))?[^()]*,", line) for line in loops)


def test_split_thread_index_recombines():
    from transverify.translators.tvm_cpu.ir import Bin, Sym, binary, to_poly

    idx, C, T = Sym("int32", "gx", "axis"), Sym("int32", "C", "param"), Sym("int32", "T", "param")
    bt, c = binary("/", idx, C), binary("%", idx, C)
    b, t = binary("/", bt, T), binary("%", bt, T)
    flat = binary("+", binary("*", binary("+", binary("*", b, T), t), C), c)
    assert to_poly(flat) == to_poly(idx)
    assert to_poly(binary("+", binary("*", b, binary("*", T, C)), binary("*", t, C))) == to_poly(binary("*", bt, C))
    # t taken modulo another size does not recombine
    wrong = binary("+", binary("*", binary("+", binary("*", b, T), binary("%", bt, C)), C), c)
    assert to_poly(wrong) != to_poly(idx) and isinstance(wrong, Bin)


HOST = """
void entry(int n, int m, const float* a, const float* b, float* y) {
    float *da, *db, *dy;
    cudaMalloc(&da, n * m * sizeof(float)); cudaMalloc(&db, n * m * sizeof(float)); cudaMalloc(&dy, n * sizeof(float));
    cudaMemcpy(da, a, n * m * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(db, b, n * m * sizeof(float), cudaMemcpyHostToDevice);
    k<<<(n + 63) / 64, 64>>>(n, m, da, db, dy);
    cudaMemcpy(y, dy, n * sizeof(float), cudaMemcpyDeviceToHost);
}
"""

# Each kernel would compute something else if its inner loop were read as one more axis of the outer
# reduction (a term added once per outer step, a maximum of sums, a triangular window): all are refused.
REFUSED = {
    # an early return inside a loop ends the thread, not the iteration: not a masked rest of the kernel
    "return_in_loop": ("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) {
                for (int p = 0; p < m; ++p) {
                    if (a[i * m + p] > 0.0f) return;
                }
                y[i] = b[i];
            }
        }""", "return", 5),
    # statements after the block that returns would be skipped too
    "return_before_later_statements": ("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) {
                if (a[i] > 0.0f) {
                    y[i] = 1.0f;
                    return;
                }
            }
            if (i < n) y[i] = b[i];
        }""", "return", 6),
    "after_inner_loop": ("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) {
                float acc = 0.0f;
                for (int p = 0; p < m; ++p) {
                    for (int q = 0; q < m; ++q) acc += a[p * m + q];
                    acc += b[p];
                }
                y[i] = acc;
            }
        }""", "nested reduction", 5),
    "max_of_sums": ("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) {
                float best = -INFINITY;
                for (int p = 0; p < m; ++p) {
                    float s = 0.0f;
                    for (int q = 0; q < m; ++q) s += a[p * m + q] * b[i * m + q];
                    best = fmaxf(best, s);
                }
                y[i] = best;
            }
        }""", "nested reduction", 7),
    # A bound that is not affine in the enclosing loop (p * p) has no range proven to hold it.
    "product_bound": ("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) {
                float acc = 0.0f;
                for (int p = 0; p < m; ++p)
                    for (int q = 0; q < p * p; ++q) acc += a[p * m + q];
                y[i] = acc;
            }
        }""", "data-dependent loop", 6),
    "scaled_between": ("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) {
                float acc = 0.0f;
                for (int p = 0; p < m; ++p) {
                    for (int q = 0; q < m; ++q) acc += a[p * m + q];
                    acc *= 0.5f;
                }
                y[i] = acc;
            }
        }""", "nested reduction", 5),
    "conditional_reset": ("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) {
                float acc = 0.0f;
                for (int p = 0; p < m; ++p) {
                    if (a[p] > 0.0f) acc += a[p]; else acc = 0.0f;
                }
                y[i] = acc;
            }
        }""", "loop-carried variable", 5),
    # Keeping twice the larger element is not a maximum of the elements.
    "compare_assign_other": ("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) {
                float acc = -INFINITY;
                for (int p = 0; p < m; ++p) {
                    if (a[i * m + p] > acc) acc = 2.0f * a[i * m + p];
                }
                y[i] = acc;
            }
        }""", "loop-carried variable", 5),
    # The inner `acc` is another variable: the outer one must keep its value.
    "shadowed": ("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) {
                float acc = b[i];
                {
                    float acc = 0.0f;
                    for (int p = 0; p < m; ++p) acc += a[p];
                }
                y[i] = acc;
            }
        }""", "shadowed local", 6),
    # A running sum stored per iteration is a scan, not a reduction.
    "running_sum": ("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) {
                float run = 0.0f;
                for (int p = 0; p < m; ++p) {
                    run += a[i * m + p];
                    y[i * m + p] = run;
                }
            }
        }""", "loop-carried variable", 5),
    # The stored value is accumulated, but scaled on each step: not a sum.
    "store_then_decay": ("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) {
                float acc = 0.0f;
                for (int p = 0; p < m; ++p) {
                    y[i * m + p] = a[i * m + p];
                    acc = 0.5f * acc + y[i * m + p];
                }
                y[i * m] += acc;
            }
        }""", "loop-carried variable", 5),
    # A sum of a running sum of the stored values.
    "sum_of_running_sum": ("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) {
                float s = 0.0f;
                float t = 0.0f;
                for (int p = 0; p < m; ++p) {
                    y[i * m + p] = a[i * m + p];
                    s += y[i * m + p];
                    t += s;
                }
                y[i * m] = t;
            }
        }""", "loop-carried variable", 6),
    # The rewrite reads the neighbouring cell the first loop wrote: not the cell's own value.
    "read_back_neighbour": ("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) {
                for (int p = 0; p < m; ++p) y[i * m + p] = a[i * m + p];
                for (int p = 0; p < m; ++p) y[i * m + p] += y[i * m + p + 1];
            }
        }""", "in-place update", 5),
    # Rewriting only part of the row: the cells' last writes differ.
    "rewrite_part_of_row": ("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) {
                float s = 0.0f;
                for (int p = 0; p < m; ++p) {
                    y[i * m + p] = expf(a[i * m + p]);
                    s += y[i * m + p];
                }
                for (int p = 0; p < m - 1; ++p) y[i * m + p] /= s;
            }
        }""", "store index", 9),
    # A column taken modulo the wrong size: the pieces are not the thread's own index.
    "split_mismatch": ("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int idx = blockIdx.x * blockDim.x + threadIdx.x;
            if (idx < n * m) {
                int r = idx / m;
                int c = idx % n;
                y[r * m + c] = a[idx];
            }
        }""", "store index", 6),
    # The reduction reads the stored cells over another range than the loop that stored them.
    "read_back_shorter": ("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) {
                for (int p = 0; p < m; ++p) y[i * m + p] = a[i * m + p] * 2.0f;
                float s = 0.0f;
                for (int p = 0; p < m - 1; ++p) s += y[i * m + p];
                y[i * m] = s;
            }
        }""", "in-place update", 4),
    # A parameter is a local: a pointer advanced in the loop is not a loop-invariant array.
    "pointer_walks_in_loop": ("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) {
                float s = 0.0f;
                for (int p = 0; p < m; ++p) {
                    s += a[0];
                    a += 1;
                }
                y[i] = s;
            }
        }""", "loop-carried variable", 5),
    # Bounds from the thread's index that no fixed range is proven to hold: a square, a division by a size.
    "bound_thread_squared": ("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) {
                int t = i % m;
                float s = 0.0f;
                for (int p = 0; p <= t * t; ++p) s += a[p];
                y[i] = s;
            }
        }""", "data-dependent loop", 6),
    "bound_divided_by_size": ("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) {
                float s = 0.0f;
                for (int p = i / m; p < n; ++p) s += a[p];
                y[i] = s;
            }
        }""", "data-dependent loop", 5),
    # A bound read from an array.
    "bound_from_data": ("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) {
                float s = 0.0f;
                for (int p = 0; p < (int)b[i]; ++p) s += a[p];
                y[i] = s;
            }
        }""", "data-dependent loop", 5),
    # A loop that stores under a causal bound `p <= i % m` is bounded by |m|, not a polynomial range
    # (an output axis's extent): refused.
    "causal_store_loop": ("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) {
                int t = i % m;
                for (int p = 0; p <= t; ++p) y[i * m + p] = a[p];
            }
        }""", "data-dependent loop", 5),
    # A cell accumulated in by the loop is read at another cell inside it (another thread's cell).
    "cell_read_elsewhere": ("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) {
                y[i] = 0.0f;
                for (int p = 0; p < m; ++p) y[i] += a[p] * y[p];
            }
        }""", "in-place update", 5),
    # A loop variable declared before the loop holds the bound after it: not guessed.
    "loop_variable_read_after": ("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) {
                float s = 0.0f;
                int p;
                for (p = 0; p < m; ++p) s += a[p];
                y[i] = s * p;
            }
        }""", "uninitialised", 7),
    # The loop variable must be an int: a float counter is not an index.
    "float_loop_variable": ("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) {
                float s = 0.0f;
                float p;
                for (p = 0; p < m; ++p) s += a[i];
                y[i] = s;
            }
        }""", "for", 6),
    # Stride 2 under columns up to 4: threads (r, c) and (r + 1, c - 2) write one cell.
    "overlapping_strides": ("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int c = blockIdx.x * blockDim.x + threadIdx.x;
            int r = blockIdx.y * blockDim.y + threadIdx.y;
            if (r < n && c < 4) y[r * 2 + c] = a[c];
        }""", "store index", 4),
    # A stride that is a size parameter is not known to keep the threads' cells apart.
    "parameter_stride": ("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int c = blockIdx.x * blockDim.x + threadIdx.x;
            int r = blockIdx.y * blockDim.y + threadIdx.y;
            if (r < n && c < 4) y[r * m + c] = a[c];
        }""", "store index", 4),
    # Which value the macro has depends on how the file is compiled.
    "macro_under_ifdef": ("""
        #ifdef FAST
        #define SCALE 2.0f
        #endif
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) y[i] = SCALE * a[i];
        }""", "macro", 6),
    "macro_redefined": ("""
        #define SCALE 2.0f
        #undef SCALE
        #define SCALE 3.0f
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) y[i] = SCALE * a[i];
        }""", "macro", 6),
}


def test_an_output_that_reads_another_outputs_old_values_is_computed_first():
    lifted = generate(KERNELS / "lift_sgd_momentum.cu").lifted
    assert [out.buffer for out in lifted.outputs] == ["w", "vel"]  # stored in the order vel, w


SWAP = """
__global__ void k(int n, float* a, float* b) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float t = a[i];
        a[i] = b[i];
        b[i] = t;
    }
}
void entry(int n, float* a, float* b) {
    float *da, *db;
    cudaMalloc(&da, n * sizeof(float)); cudaMalloc(&db, n * sizeof(float));
    cudaMemcpy(da, a, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(db, b, n * sizeof(float), cudaMemcpyHostToDevice);
    k<<<(n + 63) / 64, 64>>>(n, da, db);
    cudaMemcpy(a, da, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(b, db, n * sizeof(float), cudaMemcpyDeviceToHost);
}
"""


def test_outputs_that_read_each_others_old_values_are_refused(tmp_path):
    # Each output array is computed whole before the next: a swap would read one already overwritten.
    source = tmp_path / "swap.cu"
    source.write_text(SWAP)
    with pytest.raises(Unliftable) as info:
        generate(source)
    assert (info.value.construct, info.value.line) == ("in-place update", 6), info.value.describe()


# The entry hands its own pointer to the kernel: whether it is null is up to the entry's caller.
PASSED_THROUGH = """
__global__ void k(int n, const float* b, float* y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = b != NULL ? b[i] : 1.0f;
}
void entry(int n, const float* b, float* y) {
    k<<<(n + 63) / 64, 64>>>(n, b, y);
}
"""


def test_null_check_of_a_pointer_the_entry_passes_through_is_refused(tmp_path):
    source = tmp_path / "passed_through.cu"
    source.write_text(PASSED_THROUGH)
    with pytest.raises(Unliftable) as info:
        generate(source)
    assert (info.value.construct, info.value.line) == ("null check", 4), info.value.describe()
    for value in ("b[i] + (NULL != 0)", "NULL ? 1.0f : 2.0f"):  # a null pointer as a number
        source.write_text(PASSED_THROUGH.replace("b != NULL ? b[i] : 1.0f", value))
        with pytest.raises(Unliftable) as info:
            generate(source)
        assert (info.value.construct, info.value.line) == ("null", 4), info.value.describe()


CONSTANT_FROM_LOOP = """
__constant__ float coeff[4];
__global__ void k(int n, const float* x, float* y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = coeff[0] + coeff[1] * x[i];
}
void entry(int n, const float* x, float* y) {
    float c[4];
    for (int j = 0; j < 4; ++j) c[j] = 1.0f / (j + 1);
    cudaMemcpyToSymbol(coeff, c, sizeof c);
    float *dx, *dy;
    cudaMalloc(&dx, n * sizeof(float)); cudaMalloc(&dy, n * sizeof(float));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    k<<<(n + 63) / 64, 64>>>(n, dx, dy);
    cudaMemcpy(y, dy, n * sizeof(float), cudaMemcpyDeviceToHost);
}
"""


def test_constant_table_filled_at_run_time_is_refused_where_it_is_read(tmp_path):
    source = tmp_path / "computed_coeff.cu"
    source.write_text(CONSTANT_FROM_LOOP)
    with pytest.raises(Unliftable) as info:
        generate(source)
    assert (info.value.construct, info.value.line) == ("__constant__", 5), info.value.describe()
    assert "'c'" in info.value.describe()
    # Literal values changed before the copy are not the table's values either.
    source.write_text(CONSTANT_FROM_LOOP.replace("float c[4];\n    for (int j = 0; j < 4; ++j) c[j] = 1.0f / (j + 1);",
                                                 "float c[4] = {1.0f, 2.0f, 3.0f, 4.0f};\n    c[1] = 0.5f;"))
    with pytest.raises(Unliftable) as info:
        generate(source)
    assert (info.value.construct, info.value.line) == ("__constant__", 5), info.value.describe()


def test_constant_table_values_are_lifted():
    from transverify.translators.tvm_cpu.ir import Const, Select, children

    def consts(e):
        found = {e.value} if isinstance(e, Const) and e.dtype == "float32" else set()
        return found.union(*(consts(c) for c in children(e)))

    lifted = generate(KERNELS / "lift_conv1d_const.cu").lifted
    assert {0.0625, 0.25, 0.375} <= consts(lifted.stages[0].expr)  # the taps, selected by the tap index
    assert isinstance(lifted.stages[0].expr, Select)  # the skipped taps


@pytest.mark.parametrize("name", list(REFUSED))
def test_refusals_name_construct_and_line(name, tmp_path):
    body, construct, line = REFUSED[name]
    source = tmp_path / f"{name}.cu"
    source.write_text(textwrap.dedent(body).lstrip("\n") + HOST)
    with pytest.raises(Unliftable) as info:
        generate(source)
    assert (info.value.construct, info.value.line) == (construct, line), info.value.describe()


def test_cells_accumulated_in_a_loop_are_reductions_stored_once():
    from transverify.translators.tvm_cpu.ir import Load, StageRef, children

    lifted = generate(KERNELS / "lift_cell_sums.cu").lifted
    # s and y in one loop, z over p and q: sums, the last with an inner axis
    assert [(s.op, len(s.inner)) for s in lifted.stages] == [("sum", 0), ("sum", 0), ("sum", 1)]
    assert [out.buffer for out in lifted.outputs] == ["s", "y", "z"]

    def loads(e):
        return ({e.buffer} if isinstance(e, Load) else set()).union(*(loads(c) for c in children(e)))

    z = lifted.outputs[2].value
    assert "z" in loads(z) and isinstance(z.b, StageRef)  # the old z[i] plus the double sum


def test_a_store_with_constant_strides_is_an_output_over_the_cells_it_spans():
    from transverify.translators.tvm_cpu.ir import Select

    lifted = generate(KERNELS / "lift_interior_stencil.cu").lifted
    (out,) = lifted.outputs
    assert len(out.axes) == 1 and out.axes[0].startswith("cells_dst")
    assert isinstance(out.value, Select)  # cells outside the interior keep the old value
    assert "dst" in lifted.loads


TIME_STEPS = """
__global__ void k(int n, const float* a, float* b) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) b[i] = b[i] + a[i];
}
void entry(int n, int steps, const float* a, float* b) {
    float *da, *db;
    cudaMalloc(&da, n * sizeof(float)); cudaMalloc(&db, n * sizeof(float));
    cudaMemcpy(da, a, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(db, b, n * sizeof(float), cudaMemcpyHostToDevice);
    for (int t = 0; t < steps; ++t)
        k<<<(n + 63) / 64, 64>>>(n, da, db);
    cudaMemcpy(b, db, n * sizeof(float), cudaMemcpyDeviceToHost);
}
"""


def test_a_launch_inside_a_host_loop_runs_in_the_same_loop(tmp_path):
    source = tmp_path / "steps.cu"
    source.write_text(TIME_STEPS)
    code = generate(source).code
    assert "    for (int t = 0; t < steps; ++t) {\n        entry_launch1(n, steps, a, b, t);\n    }" in code, code


def test_launches_in_order_are_static_functions_the_entry_calls_in_order():
    code = generate(KERNELS / "lift_two_launches.cu").code
    first, second = code.index("normalise_rows_launch1(rows, cols, x, total, y);"), \
        code.index("normalise_rows_launch2(rows, cols, x, total, y);")
    assert first < second and "static void normalise_rows_launch1(" in code
    assert "row_totals" in code.splitlines()[0] and "divide_rows" in code.splitlines()[0]


def test_a_launch_under_a_condition_is_refused(tmp_path):
    source = tmp_path / "maybe.cu"
    source.write_text(TIME_STEPS.replace("for (int t = 0; t < steps; ++t)", "if (steps > 0)"))
    with pytest.raises(Unliftable) as info:
        generate(source)
    assert (info.value.construct, info.value.line) == ("kernel launch", 12), info.value.describe()
    assert "under a condition (line 11)" in info.value.describe()


def test_a_cell_accumulated_under_a_bound_from_the_thread_keeps_the_bound(tmp_path):
    # p <= i % m: the reduction runs over a fixed range with the thread's bound as its predicate
    source = tmp_path / "causal_cell.cu"
    source.write_text(textwrap.dedent("""
        __global__ void k(int n, int m, const float* a, const float* b, float* y) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) {
                y[i] = 0.0f;
                for (int p = 0; p <= i % m; ++p) y[i] += a[p];
            }
        }""").lstrip("\n") + HOST)
    (stage,) = generate(source).lifted.stages
    assert stage.op == "sum" and stage.where is not None
