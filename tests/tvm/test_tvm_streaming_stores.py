"""Streaming (non-temporal) stores in the default schedule (--trials 0): an output stored once in a
contiguous simd run and never read is written 64 bytes at a time by streaming stores when it is
large; the size from which they are used comes from TRANSVERIFY_TVM_STREAM_BYTES (0 here, so
small verified cases run the streaming path), an output that is also read (saxpy's y) or a value
computed with a math call (GELU's tanh: bound by its arithmetic) never."""

import os
import re
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("tvm", reason="apache-tvm (the optional 'tvm' extra) is not installed")

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples" / "cuda"


def _translate(tv_cli, source: Path, output: Path, *flags: str):
    env = dict(os.environ, TRANSVERIFY_CUDA_EXECUTION="cpu", TRANSVERIFY_TVM_STREAM_BYTES="0")
    return tv_cli.run(["translate", str(source), "--to", "cpu", "--solver", "tvm", "--trials", "0",
                       "--no-measure", "-o", str(output), "--cases", "2", *flags], timeout=300, env=env)


def test_stencil_output_is_streamed_and_verifies(tv_cli, tmp_path):
    """jacobi2d writes v once from u: its simd runs get a streaming version (an unaligned head,
    whole 64-byte lines through tv_stream_line, a fence, the rest), taken from the threshold; at
    0 bytes every case runs it, with rows (53 floats) that start off a 64-byte boundary."""
    out = tmp_path / "jacobi_cpu.cpp"
    proc = _translate(tv_cli, EXAMPLES / "jacobi2d" / "jacobi2d.cu", out, "--value", "ny=37", "--value", "nx=53")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "verified equivalent" in proc.stdout
    code = out.read_text()
    header = code.split("#include", 1)[0]
    assert re.search(r"Streaming stores: v \(.*\) written with non-temporal stores.*at least 0 bytes "
                     r"\(TRANSVERIFY_TVM_STREAM_BYTES\)", header), header
    assert "const bool tv_stream_v = true;" in code
    # the boundary rows' copy and the interior, in the parallel loop and in its one-thread copy for small grids
    assert code.count("tv_stream_line(&v[") == 4
    assert "tv_stream_fence();" in code and "_mm512_stream_ps" in code and "_mm_sfence()" in code
    assert "tv_stream_line(&u[" not in code
    # the sizes are private copies, so a streaming store (which may alias anything) does not force reloads
    assert "if ((static_cast<int64_t>(ny) * static_cast<int64_t>(nx)) >= 20480) {\n        #pragma omp parallel for firstprivate(ny, nx)" in code
    built = subprocess.run(["g++", "-std=c++17", "-O2", "-march=native", "-fopenmp", "-Wall", "-Wextra", "-Werror",
                            "-fsyntax-only", str(out)], capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr


def test_output_read_in_place_is_not_streamed(tv_cli, tmp_path):
    """saxpy reads y before it writes it: streaming stores would save no read, so none are emitted."""
    out = tmp_path / "saxpy_cpu.cpp"
    proc = _translate(tv_cli, EXAMPLES / "saxpy" / "saxpy.cu", out, "--value", "n=1000")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    code = out.read_text()
    assert "#pragma omp simd" in code
    assert "Streaming stores" not in code and "tv_stream" not in code and "firstprivate" not in code


def test_value_with_a_math_call_is_not_streamed(tv_cli, tmp_path):
    """GELU computes tanh per element: the run is bound by its arithmetic, so it keeps plain stores."""
    out = tmp_path / "gelu_cpu.cpp"
    proc = _translate(tv_cli, Path(__file__).resolve().parent / "kernels" / "gelu_tanh.cu", out, "--value", "n=1000")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    code = out.read_text()
    assert "tv_tanhf(" in code and "tv_stream" not in code


def test_array_a_later_launch_reads_is_not_streamed(tv_cli, tmp_path):
    """Two launches: `scaled` is written by the first and read by the second, so only `y` (read by
    neither) gets streaming stores; the sequence verifies."""
    out = tmp_path / "scale_shift_cpu.cpp"
    proc = _translate(tv_cli, Path(__file__).resolve().parent / "kernels" / "stream_two_launches.cu", out,
                      "--value", "n=1000")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "verified equivalent" in proc.stdout
    code = out.read_text()
    assert "Streaming stores: y (" in code
    assert "tv_stream_line(&y[" in code and "tv_stream_line(&scaled[" not in code
