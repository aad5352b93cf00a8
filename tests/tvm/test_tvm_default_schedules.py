"""The default schedules' shapes (--trials 0): register-blocked GEMM (its B operand packed into
column panels first), stencil interiors without the boundary select; every emitted file
verified against its .cu at sizes with whole and edge tiles."""

import re
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("tvm", reason="apache-tvm (the optional 'tvm' extra) is not installed")

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples" / "cuda"
KERNELS = Path(__file__).resolve().parent / "kernels"


@pytest.fixture(autouse=True)
def _cpu_execution(monkeypatch):
    monkeypatch.setenv("TRANSVERIFY_CUDA_EXECUTION", "cpu")


def _translate(tv_cli, source: Path, output: Path, *flags: str):
    return tv_cli.run(["translate", str(source), "--to", "cpu", "--solver", "tvm", "--trials", "0",
                       "-o", str(output), "--cases", "2", *flags], timeout=300)


def _whole_tile_copies(code: str) -> list[str]:
    """The bodies printed for whole tiles (from the `if` to its `} else {`)."""
    copies = []
    for match in re.finditer(r"^( *)if \(.*\) \{  // a whole tile: no bounds guards$", code, re.M):
        end = code.index(f"\n{match.group(1)}}} else {{", match.end())
        copies.append(code[match.end():end])
    return copies


def test_gemm_reading_b_along_the_reduction_packs_it_first(tv_cli, tmp_path):
    """A linear layer (out = inp · weightᵀ): the weight is copied once into column panels, each
    [reduction][column], and the register-blocked tiles read the copy, consecutive along their
    simd loop over columns."""
    out = tmp_path / "linear_cpu.cpp"
    proc = _translate(tv_cli, KERNELS / "gemm_nt_linear.cu", out, "--value", "T=13", "--value", "OC=70",
                      "--value", "C=5")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "verified equivalent" in proc.stdout
    code = out.read_text()
    header = code.split("#include", 1)[0]
    assert "weight_panels: weight copied once into panels of" in header and "register-blocked GEMM" in header
    # panel, reduction index, lane: zeros past the last column (70 = two whole panels of 32 and 6 columns)
    assert re.search(r"weight_panels\[.*\] = \(\(\(\(panel \* (32|16)\) \+ lane\) < OC\) \? "
                     r"weight\[.*\] : 0\.0f\);", code), code
    copies = _whole_tile_copies(code)
    assert copies, code
    for body in copies:
        assert "weight_panels[" in body and "weight[" not in body


def test_transpose_is_walked_in_blocks(tv_cli, tmp_path):
    """One thread per output reading its input down a column: the loop nest walks 16x16 blocks in
    128x128 super-blocks, whole blocks without bounds guards; verified with whole and edge blocks
    (37 = 2 * 16 + 5) and a second, partial super-block (130 = 128 + 2)."""
    out = tmp_path / "transpose_cpu.cpp"
    proc = _translate(tv_cli, KERNELS / "transpose_naive.cu", out, "--value", "rows=37", "--value", "cols=130")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "verified equivalent" in proc.stdout
    code = out.read_text()
    header = code.split("#include", 1)[0]
    assert "16x16 blocks (read down the input's columns" in header and "128x128 super-blocks" in header
    copies = _whole_tile_copies(code)
    assert len(copies) == 2, code  # in the parallel loop and in its one-thread copy for small matrices
    assert all("std::min" not in copy and "if ((" not in copy for copy in copies)
    assert len(re.findall(r"for \(int32_t \w+ = 0; \w+ < 16; \+\+\w+\)", copies[0])) == 2


@pytest.mark.parametrize("source,values", [
    # 13 = two whole 6-row tiles and one row; 70 = whole column tiles and a partial one
    (EXAMPLES / "matmul" / "matmul.cu", ["m=13", "n=70", "k=5"]),
    (EXAMPLES / "tiled_matmul" / "tiled_matmul.cu", ["n=70"]),  # the operator template 'gemm'
], ids=["lifted", "template"])
def test_gemm_default_schedule_is_register_blocked_and_verifies(tv_cli, tmp_path, source, values):
    out = tmp_path / "gemm_cpu.cpp"
    flags = [arg for v in values for arg in ("--value", v)]
    proc = _translate(tv_cli, source, out, *flags)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "verified equivalent" in proc.stdout
    code = out.read_text()
    assert "register-blocked GEMM" in code  # the decision, in the header comment
    # the accumulators are a fixed-size local array, not a heap buffer or C itself
    assert re.search(r"alignas\(64\) float \w+_local\[\d+\] = \{\};", code)
    assert "stage0[" not in code  # the lifted kernel's accumulator array is fused away
    copies = _whole_tile_copies(code)
    assert copies, code
    for body in copies:  # whole tiles: constant trip counts, no bounds guard
        assert "std::min" not in body and "if ((" not in body
        assert re.search(r"for \(int32_t \w+ = 0; \w+ < (16|32); \+\+\w+\)", body)
    if source.name == "matmul.cu":  # lifted: B, read along its rows, is packed into column panels first
        assert "B_panels: B copied once into panels of" in code
        assert all("B_panels[" in body and "B[" not in body for body in copies)
    build = subprocess.run(["g++", "-std=c++17", "-fopenmp", "-O2", "-Wall", "-Wextra", "-c", str(out),
                            "-o", str(tmp_path / "k.o")], capture_output=True, text=True, timeout=120)
    assert build.returncode == 0 and "warning" not in build.stderr, build.stderr


@pytest.mark.parametrize("values", [[], ["ny=4", "nx=2"]], ids=["cases", "two-columns"])
def test_stencil_interior_is_a_branch_free_simd_loop(tv_cli, tmp_path, values):
    out = tmp_path / "jacobi2d_cpu.cpp"
    flags = [arg for v in values for arg in ("--value", v)]
    proc = _translate(tv_cli, EXAMPLES / "jacobi2d" / "jacobi2d.cu", out, *flags)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    code = out.read_text()
    simd_bodies = re.findall(r"#pragma omp simd\n *for \(.*\) \{\n(.*)\n", code)
    # boundary rows (a copy) and the interior, each also in a streaming version (64-byte lines) for a large v,
    # in the parallel loop and in its one-thread copy for a small grid
    assert len([body for body in simd_bodies if "v_line" not in body]) == 4, code
    assert len([body for body in simd_bodies if "v_line" in body]) == 4, code
    assert all("?" not in body for body in simd_bodies)  # no select left in any
    assert any("0.25f" in body for body in simd_bodies)
