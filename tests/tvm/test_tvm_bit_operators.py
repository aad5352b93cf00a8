"""Shift and bitwise operators on integers (bitwise reductions too), and accumulators updated through
a helper's reference parameter: what the lifter makes of them (the kernels lift_bits_*.cu and
lift_device_accumulate.cu are translated and verified through the CLI in test_tvm_lift_corpus.py),
and the refusals of what C leaves undefined or the lifter cannot state, each naming its construct
and line."""

import textwrap

import pytest

pytest.importorskip("tvm", reason="apache-tvm (the optional 'tvm' extra) is not installed")

from pathlib import Path  # noqa: E402

from transverify.translators.tvm_cpu.errors import Unliftable  # noqa: E402
from transverify.translators.tvm_cpu.solver import generate  # noqa: E402

KERNELS = Path(__file__).resolve().parent / "kernels"

HOST = """
void entry(int n, int m, const int* a, const float* f, int* y) {
    int *da, *dy;
    float* df;
    cudaMalloc(&da, n * m * sizeof(int)); cudaMalloc(&df, n * sizeof(float)); cudaMalloc(&dy, n * sizeof(int));
    cudaMemcpy(da, a, n * m * sizeof(int), cudaMemcpyHostToDevice);
    cudaMemcpy(df, f, n * sizeof(float), cudaMemcpyHostToDevice);
    k<<<(n + 63) / 64, 64>>>(n, m, da, df, dy);
    cudaMemcpy(y, dy, n * sizeof(int), cudaMemcpyDeviceToHost);
}
"""

KERNEL = """
__global__ void k(int n, int m, const int* a, const float* f, int* y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        int v = a[i];
        BODY
    }
}
"""

REFUSED = {
    "float_shift": ("y[i] = f[i] << 1;", "<<"),  # invalid C anyway: never a silent float reinterpretation
    "float_and": ("y[i] = (int)(f[i] & 1.0f);", "&"),
    "float_not": ("y[i] = (int)~f[i];", "~"),
    "count_too_large": ("y[i] = v << 32;", "shift count"),  # C leaves counts >= the width undefined
    "count_negative": ("y[i] = v >> -1;", "shift count"),
    "compound_count": ("v <<= 40; y[i] = v;", "shift count"),
    "long_count": ("y[i] = (int)((long long)v >> 64);", "shift count"),
    "float_compound": ("float g = f[i]; g ^= 3; y[i] = (int)g;", "^"),
    "popc_of_float": ("y[i] = __popc(f[i]);", "call"),  # CUDA's intrinsic takes the bits of an integer
    "brevll": ("y[i] = (int)__brevll((unsigned long long)v);", "call"),  # no form for it yet
    # a shift-and-xor hash of a row is no reduction: the order of the elements matters
    "shift_xor_hash": ("int h = 0; for (int j = 0; j < m; ++j) h = (h << 1) ^ a[i * m + j]; y[i] = h;",
                       "loop-carried variable"),
    "or_then_shift": ("int h = 0; for (int j = 0; j < m; ++j) { h |= a[i * m + j]; h <<= 1; } y[i] = h;",
                      "loop-carried variable"),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_refusals_name_the_operator_and_line(name, tmp_path):
    body, construct = REFUSED[name]
    source = tmp_path / f"{name}.cu"
    source.write_text(textwrap.dedent(KERNEL).lstrip("\n").replace("BODY", body) + HOST)
    with pytest.raises(Unliftable) as info:
        generate(source)
    assert (info.value.construct, info.value.line) == (construct, 5), info.value.describe()


def test_lane_and_warp_recombine_into_the_thread_index():
    # y[(warp << 5) + lane] with warp = i >> 5, lane = i & 31 is y[i]: a row-major store, one axis
    lifted = generate(KERNELS / "lift_bits_lanes.cu").lifted
    (out,) = lifted.outputs
    assert out.buffer == "y" and out.axes == ("gx",)


def test_a_scatter_through_a_bit_operator_is_still_refused(tmp_path):
    # y[i ^ 1] = ...: a permutation the lifter cannot prove, refused as a store index
    source = tmp_path / "scatter.cu"
    source.write_text(textwrap.dedent(KERNEL).lstrip("\n").replace("BODY", "if ((i ^ 1) < n) y[i ^ 1] = v;")
                      + HOST)
    with pytest.raises(Unliftable) as info:
        generate(source)
    assert info.value.construct == "store index" and info.value.line == 5, info.value.describe()


def test_signed_shifts_and_truncating_division_are_printed_as_c_operators():
    code = generate(KERNELS / "lift_bits_signed.cu").code
    assert ">> 3)" in code and "<< 2)" in code  # arithmetic >> on int32_t, as in the kernel
    assert "static_cast<uint32_t>(x[" in code  # the logical shift of the same bits
    assert "tv_floordiv<int32_t>(x[" not in code and "tv_floormod<int32_t>(x[" not in code  # C's / and %


def test_or_and_xor_accumulators_are_bitwise_reductions():
    stages = generate(KERNELS / "lift_bits_reduce.cu").lifted.stages
    # u |= f, a &= f, n |= f & 0x7FF under `if (f < 0)` (0 where skipped), x ^= ..., the reversed bits
    assert sorted((s.op, s.dtype) for s in stages) == [("and", "int32"), ("or", "int32"), ("or", "int32"),
                                                       ("or", "uint32"), ("xor", "uint32")]


def test_accumulators_through_reference_parameters_are_reductions():
    stages = generate(KERNELS / "lift_device_accumulate.cu").lifted.stages
    assert [(s.op, s.dtype) for s in stages] == [("sum", "float32"), ("max", "float32"), ("sum", "float32"),
                                                ("sum", "int32")]


def test_a_helper_that_scales_its_reference_in_a_loop_is_refused(tmp_path):
    source = tmp_path / "decay.cu"
    helper = "__device__ void decay(int& s, int v) { s = s / 2 + v; }\n"
    body = "int s = 0; for (int j = 0; j < m; ++j) decay(s, a[i * m + j]); y[i] = s;"
    source.write_text(helper + textwrap.dedent(KERNEL).lstrip("\n").replace("BODY", body) + HOST)
    with pytest.raises(Unliftable) as info:
        generate(source)
    assert (info.value.construct, info.value.line) == ("loop-carried variable", 6), info.value.describe()
