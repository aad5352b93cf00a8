"""Float exp and tanh are the printer's tv_expf/tv_tanhf (branch-free, so omp simd loops vectorise
them without -ffast-math): checked against glibc's expf/tanhf on a sweep of all floats, and used in
a verified translation (GELU's tanh, softmax's exp)."""

import json
import re
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("tvm", reason="apache-tvm (the optional 'tvm' extra) is not installed")

from transverify.translators.tvm_cpu.prelude import PRELUDE  # noqa: E402

KERNELS = Path(__file__).resolve().parent / "kernels"

_CHECK = r"""
#include <cstdio>
PRELUDE
int main() {
    double worst_exp = 0, worst_tanh = 0; long wrong = 0;
    auto ulps = [](float got, float want) {
        double ulp = std::fabs(double(std::nextafter(std::fabs(want), INFINITY)) - double(std::fabs(want)));
        return std::fabs(double(got) - double(want)) / ulp;
    };
    auto check = [&](float x) {
        float e = tv_expf(x), want_e = std::exp(x);
        if (std::isnan(want_e) || std::isinf(want_e) || want_e == 0)
            wrong += !(std::isnan(want_e) ? std::isnan(e) : e == want_e);
        else
            worst_exp = std::max(worst_exp, ulps(e, want_e));
        float t = tv_tanhf(x), want_t = std::tanh(x);
        if (std::isnan(want_t) || want_t == 0)
            wrong += !(std::isnan(want_t) ? std::isnan(t) : t == want_t);
        else
            worst_tanh = std::max(worst_tanh, ulps(t, want_t));
    };
    for (uint64_t b = 0; b < (1ull << 32); b += 251) check(tv_bits_float(int32_t(uint32_t(b))));
    for (float x = -104.5f; x < 89.5f; x += 0.00390625f) check(x);  // where expf is finite and not 0
    const float special[] = {0.0f, -0.0f, 88.72283172607421875f, 88.72283935546875f, 88.7228394f, -103.972076f, -103.97209f, 1e-30f, -1e-30f,
                             0.625f, -0.625f, 0.62499994f, 9.0f, -9.0f, 45.0f, -87.33654f, -87.33655f,
                             std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                             std::numeric_limits<float>::quiet_NaN()};
    for (float x : special) check(x);
    std::printf("%.3f %.3f %ld\n", worst_exp, worst_tanh, wrong);
}
"""


def test_tv_expf_and_tv_tanhf_are_within_one_and_two_ulp_of_libm(tmp_path):
    source = tmp_path / "math_check.cpp"
    source.write_text(_CHECK.replace("PRELUDE", PRELUDE))
    exe = tmp_path / "math_check"
    subprocess.run(["g++", "-O2", "-std=c++17", str(source), "-o", str(exe)], check=True, timeout=120)
    worst_exp, worst_tanh, wrong = subprocess.run([str(exe)], capture_output=True, text=True, check=True,
                                                  timeout=120).stdout.split()
    assert int(wrong) == 0  # infinities, zeros and NaN exactly as libm's
    assert float(worst_exp) <= 1.0
    assert float(worst_tanh) <= 2.0


@pytest.mark.parametrize("flags", [[], ["--fast-math"]], ids=["plain", "fast-math"])
def test_gelu_uses_tv_tanhf_in_a_simd_loop_and_verifies(tv_cli, tmp_path, monkeypatch, flags):
    """Also built with -ffast-math, whose reassociation must not break the helpers (an earlier
    rounding trick, (a + c) - c, was folded away by it)."""
    monkeypatch.setenv("TRANSVERIFY_CUDA_EXECUTION", "cpu")
    out = tmp_path / "gelu_cpu.cpp"
    proc = tv_cli.run(["translate", str(KERNELS / "gelu_tanh.cu"), "--to", "cpu", "--solver", "tvm",
                       "--trials", "0", "--cases", "3", "--json", "-o", str(out), *flags], timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(proc.stdout)["verdict"] == "equivalent"
    code = out.read_text()
    assert re.search(r"#pragma omp simd\n\s*for \(.*\) \{\n[^\n]*tv_tanhf\(", code), code
    assert "std::tanh" not in code


_SIMD_LOOPS = r"""
PRELUDE
void exps(int n, const float* x, float* y) {
    #pragma omp simd
    for (int i = 0; i < n; ++i) y[i] = tv_expf(x[i]);
}
void tanhs(int n, const float* x, float* y) {
    #pragma omp simd
    for (int i = 0; i < n; ++i) y[i] = tv_tanhf(x[i]);
}
"""


@pytest.mark.parametrize("flags", [[], ["-ffast-math"]], ids=["plain", "fast-math"])
def test_g_plus_plus_vectorises_the_helpers_in_simd_loops(tmp_path, flags):
    """The point of the helpers: with the emitted files' flags g++ vectorises loops calling them (an
    earlier tv_expf with an int -> float conversion was left scalar: 'control flow in loop')."""
    source = tmp_path / "simd_loops.cpp"
    source.write_text(_SIMD_LOOPS.replace("PRELUDE", PRELUDE))
    proc = subprocess.run(["g++", "-std=c++17", "-O3", "-march=native", "-fopenmp", *flags, "-c", str(source),
                           "-o", str(tmp_path / "simd_loops.o"), "-fopt-info-vec-optimized"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    vectorised = {int(m) for m in re.findall(r"simd_loops\.cpp:(\d+):\d+: optimized: loop vectorized", proc.stderr)}
    lines = _SIMD_LOOPS.replace("PRELUDE", PRELUDE).splitlines()
    loops = {k + 1 for k, line in enumerate(lines) if line.strip().startswith("for (int i")}
    assert loops and loops <= vectorised, proc.stderr
