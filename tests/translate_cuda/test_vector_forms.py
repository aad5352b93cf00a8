"""CUDA -> CPU: element loops written so that gcc vectorises them, with results unchanged.

A maximum or minimum against a constant (`fmaxf(x, 0.f)`) becomes a select (`select_max<float>(0.f,
x)`), which gcc vectorises where it leaves a call of fmaxf scalar; the select's operand order
keeps fmax's answers for a NaN operand and for zeros of opposite signs.  Each translation goes
through the real CLI and is verified against its CUDA source on the CPU path.
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


def test_relu_maximum_becomes_a_select_that_gcc_vectorises(tv_cmd, tmp_path, monkeypatch):
    out = tmp_path / "relu2d_cpu.cpp"
    code, result = _translate(tv_cmd, ROOT / "examples/cuda/relu2d/relu2d.cu", out, monkeypatch)
    assert code == 0, result["message"]
    assert result["verdict"] == "equivalent"
    kernel = _kernel_text(out.read_text(), "relu_kernel")
    assert "select_max<double>(0.0, x[r * cols + c])" in kernel
    assert not re.search(r"\bf(max|min)f?\(", kernel)
    report = subprocess.run(["g++", "-std=c++17", "-O3", "-fopenmp", "-fopt-info-vec-optimized", "-c", str(out),
                             "-o", str(tmp_path / "relu2d.o")], capture_output=True, text=True, timeout=120)
    assert report.returncode == 0, report.stderr
    assert "loop vectorized" in report.stderr, report.stderr


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
