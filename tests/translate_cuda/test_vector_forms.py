"""CUDA -> CPU: element loops written so that gcc vectorises them, with results unchanged.

A maximum or minimum against a constant (`fmaxf(x, 0.f)`) becomes a select (`select_max<float>(0.f,
x)`), which gcc vectorises where it leaves a call of fmaxf scalar; the select's operand order
keeps fmax's answers for a NaN operand and for zeros of opposite signs.  A stencil's boundary
test (`i == 0 || i == nx - 1 || ...`) moves into the loop bounds: boundary rows and the edge
elements run apart, the interior loop runs without the test.  Each translation goes through the
real CLI and is verified against its CUDA source on the CPU path.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent / "idioms"

pytestmark = pytest.mark.skipif(shutil.which("nvcc") is None or shutil.which("g++") is None,
                                reason="nvcc and g++ are needed to verify CUDA translations")


def _translate(tv_cmd, source: Path, out: Path, monkeypatch) -> tuple[int, dict]:
    monkeypatch.setenv("TRANSVERIFY_CUDA_EXECUTION", "cpu")
    for name in ("OPENAI_BASE_URL", "TRANSVERIFY_MODEL"):
        monkeypatch.delenv(name, raising=False)
    proc = subprocess.run(tv_cmd + ["translate", str(source), "--to", "cpu", "-o", str(out), "--no-capture",
                                    "--json", "--cases", "4"], capture_output=True, text=True, timeout=600)
    return proc.returncode, json.loads(proc.stdout)


def _kernel_text(code: str, name: str) -> str:
    start = code.index(f"static void {name}(")
    return code[start:code.index("\n}\n", start)]


def _vectorised_lines(source: Path, tmp_path: Path) -> set[int]:
    """Lines of `source` whose loops gcc -O3 reports as vectorised."""
    report = subprocess.run(["g++", "-std=c++17", "-O3", "-fopenmp", "-fopt-info-vec-optimized", "-c", str(source),
                             "-o", str(tmp_path / "out.o")], capture_output=True, text=True, timeout=120)
    assert report.returncode == 0, report.stderr
    return {int(m.group(1)) for m in re.finditer(rf"{re.escape(source.name)}:(\d+):\d+: optimized: loop vectorized",
                                                  report.stderr)}


def _loop_is_vectorised(source: Path, fragment: str, tmp_path: Path) -> bool:
    """gcc names the loop's header line or a line of its (short) body."""
    text = source.read_text()
    line = text[:text.index(fragment)].count("\n") + 1
    return any(line <= v <= line + 3 for v in _vectorised_lines(source, tmp_path))


def test_relu_maximum_becomes_a_select_that_gcc_vectorises(tv_cmd, tmp_path, monkeypatch):
    out = tmp_path / "relu2d_cpu.cpp"
    code, result = _translate(tv_cmd, ROOT / "examples/cuda/relu2d/relu2d.cu", out, monkeypatch)
    assert code == 0, result["message"]
    assert result["verdict"] == "equivalent"
    text = out.read_text()
    kernel = _kernel_text(text, "relu_kernel")
    assert "select_max<double>(0.0, x[r * cols + c])" in kernel
    assert not re.search(r"\bf(max|min)f?\(", kernel)
    assert _loop_is_vectorised(out, "for (int c = 0;", tmp_path)


def test_nan_and_signed_zero_operands_keep_fmax_results(tv_cmd, tmp_path, monkeypatch):
    # sqrtf of the negative inputs gives NaN, x * 0.f gives -0: both reach the selects, and a
    # select with its operands swapped (NaN out) or a minimum against +0 (+0 for -0) would differ
    out = tmp_path / "relu_nan_cpu.cpp"
    code, result = _translate(tv_cmd, HERE / "relu_nan.cu", out, monkeypatch)
    assert code == 0, result["message"]
    assert result["verdict"] == "equivalent"
    kernel = _kernel_text(out.read_text(), "clamp_kernel")
    assert "select_max<float>(0.0f, sqrtf(x[i]) - 0.5f)" in kernel
    assert "select_min<float>(1.0f, sqrtf(x[i]))" in kernel
    assert "select_min<float>(0.5f, select_max<float>(-0.5f, x[i]))" in kernel  # nested: a clamp
    assert "fminf(x[i] * 0.f, 0.f)" in kernel  # a minimum against +0 keeps its call (sign of zero)


def test_stencil_boundary_test_leaves_the_interior_loop(tv_cmd, tmp_path, monkeypatch):
    out = tmp_path / "jacobi2d_cpu.cpp"
    code, result = _translate(tv_cmd, ROOT / "examples/cuda/jacobi2d/jacobi2d.cu", out, monkeypatch)
    assert code == 0, result["message"]
    assert result["verdict"] == "equivalent"
    assert "the boundary test moves out of the element loop" in result["details"]
    text = out.read_text()
    kernel = _kernel_text(text, "jacobi_kernel")
    assert "if (j == 0 || j == ny - 1) {" in kernel  # once per row
    assert "i == 0" not in kernel and "i == nx - 1" not in kernel
    interior = "for (int i = 1; i < nx - 1; ++i) {"
    assert interior in kernel
    assert _loop_is_vectorised(out, interior, tmp_path)


def test_interior_test_of_a_1d_grid_stride_stencil_and_a_test_that_is_no_edge(tv_cmd, tmp_path, monkeypatch):
    # `i > 0 && i < n - 1` with an unsigned n: sizes 1 and 3 are among the cases, where n - 1
    # would wrap around without the `0 < n` guard
    out = tmp_path / "stencil1d_cpu.cpp"
    code, result = _translate(tv_cmd, HERE / "stencil1d.cu", out, monkeypatch)
    assert code == 0, result["message"]
    assert result["verdict"] == "equivalent"
    text = out.read_text()
    smooth = _kernel_text(text, "smooth")
    assert "#pragma omp parallel for simd schedule(static)\n        for (int i = 1; i < n - 1; ++i) {" in smooth
    assert "i > 0" not in smooth
    assert "if (i == 5) y[i] = -1.0f;" in _kernel_text(text, "mark")  # not an edge: the test stays


def test_a_warp_per_row_kernel_whose_shuffles_miss_half_the_lanes_is_no_idiom(tv_cmd, tmp_path, monkeypatch):
    out = tmp_path / "warp_rows_half_cpu.cpp"
    code, result = _translate(tv_cmd, HERE / "warp_rows_half.cu", out, monkeypatch)
    assert code == 0, result["message"]
    assert result["verdict"] == "equivalent"
    assert "one warp per row" not in result["details"]
    assert "shfl_down_source" in out.read_text()  # the literal translation's shuffles


def test_a_guard_with_lower_bounds_starts_the_element_loops_there(tv_cmd, tmp_path, monkeypatch):
    # `if (i > 0 && j > 0 && i < nx - 1 && j < ny - 1)`: the interior as the loops' ranges, not a
    # test per element (sizes 1 and 3 among the cases leave empty or one-element interiors)
    out = tmp_path / "stencil2d_cpu.cpp"
    code, result = _translate(tv_cmd, ROOT / "examples/cuda_rules/stencil2d_cu.cu", out, monkeypatch)
    assert code == 0, result["message"]
    assert result["verdict"] == "equivalent"
    assert "idiom recognised: one thread per element" in result["details"]
    kernel = _kernel_text(out.read_text(), "laplacian")
    assert "for (int j = 1; j < ny - 1; ++j)" in kernel
    assert "for (int i = 1; i < nx - 1; ++i)" in kernel
    assert "i > 0" not in kernel and "blockIdx" not in kernel
    assert _loop_is_vectorised(out, "for (int i = 1; i < nx - 1; ++i)", tmp_path)
