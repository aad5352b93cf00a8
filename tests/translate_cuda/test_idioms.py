"""CUDA -> CPU idioms: kernels the rules recognise as a whole and write as plain OpenMP loops.

Each translation goes through the real CLI and is verified against its CUDA source on the CPU
path; the recognised idiom is named in the result's details and in a comment of the code.  A
kernel that only looks like an idiom falls back on the literal translation.  The verifier's
tolerances accept a reduction summed in another order but not one that drops an element.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent / "idioms"
CASES = "4"  # sizes 1, 3, 17, 100: the last spans blocks of up to 128 threads with a ragged end

pytestmark = pytest.mark.skipif(shutil.which("nvcc") is None or shutil.which("g++") is None,
                                reason="nvcc and g++ are needed to verify CUDA translations")

# source -> (words of the idiom in the details, text the code must hold)
IDIOMS = {
    ROOT / "examples/cuda/reduce_sum/reduce_sum.cu":
        ("block reduction (one element per thread, shared-memory tree of the block", "reduction(+:acc)"),
    ROOT / "examples/cuda/dot/dot.cu":
        ("block reduction (grid-stride accumulation, every thread's partial value, atomicAdd)", "reduction(+:acc)"),
    ROOT / "examples/cuda_rules/dot_warp_cu.cu":
        ("block reduction (grid-stride accumulation, warp shuffles, atomicAdd)", "reduction(+:s)"),
    HERE / "warp_max.cu": ("block reduction (one element per thread, warp shuffles, atomicMax)", "reduction(max:v)"),
    HERE / "min_tree.cu": ("block reduction (grid-stride accumulation, shared-memory tree of the block "
                           "(__syncthreads halving loop), one result per block) -> blocks in parallel", "m = fminf(m, x[i]);"),
    ROOT / "examples/cuda/count_positive/count_positive.cu":
        ("atomic update of one address per element", "reduction(+:acc)"),
    ROOT / "examples/cuda_rules/gemm_tiled_cu.cu": ("shared-memory tiled matrix multiply -> rows in parallel, i-k-j",
                                                    "#pragma omp simd"),
    ROOT / "examples/cuda_rules/histogram_cu.cu": ("shared-memory histogram with atomics -> a private histogram",
                                                   "#pragma omp for schedule(static) nowait"),
    ROOT / "examples/cuda/softmax/softmax.cu": ("one block per row with block-wide reductions -> rows in parallel",
                                                "#pragma omp simd reduction(max:m)"),
    ROOT / "examples/cuda_rules/layernorm_cu.cu": ("one block per row with block-wide reductions",
                                                   "#pragma omp simd reduction(+:v)"),
    ROOT / "examples/cuda/jacobi2d/jacobi2d.cu": ("one thread per element", "#pragma omp simd"),  # 2-D early exit
    ROOT / "examples/cuda_rules/gemv_warp_cu.cu": ("one warp per row (lane-stride loop, warp shuffle reduction, "
                                                   "lane 0 writes) -> rows in parallel", "reduction(+:acc)"),
}


def _run(tv_cmd, args: list[str], monkeypatch) -> tuple[int, dict]:
    monkeypatch.setenv("TRANSVERIFY_CUDA_EXECUTION", "cpu")
    for name in ("OPENAI_BASE_URL", "TRANSVERIFY_MODEL"):
        monkeypatch.delenv(name, raising=False)
    proc = subprocess.run(tv_cmd + args + ["--json", "--cases", CASES], capture_output=True, text=True, timeout=600)
    return proc.returncode, json.loads(proc.stdout)


def _translate(tv_cmd, source: Path, out: Path, monkeypatch) -> tuple[int, dict]:
    return _run(tv_cmd, ["translate", str(source), "--to", "cpu", "-o", str(out), "--no-capture",
                         "--no-alternatives"], monkeypatch)


@pytest.mark.parametrize("source", list(IDIOMS), ids=lambda p: p.name)
def test_idiom_is_recognised_named_and_verified(tv_cmd, tmp_path, monkeypatch, source: Path):
    out = tmp_path / f"{source.stem}_cpu.cpp"
    code, result = _translate(tv_cmd, source, out, monkeypatch)
    assert code == 0, result["message"]
    assert result["verdict"] == "equivalent" and result["solver_used"] == "rules"
    words, fragment = IDIOMS[source]
    assert "idiom recognised: " + words.split(" (")[0] in result["details"], result["details"]
    assert words in result["details"], result["details"]
    text = out.read_text()
    assert fragment in text
    assert "// idiom: " in text
    # no thread scaffolding: neither per-thread arrays nor loops over a block's threads
    assert "kMaxBlockThreads" not in text and "thread_index" not in text


def test_a_kernel_that_only_looks_like_a_reduction_gets_the_literal_translation(tv_cmd, tmp_path, monkeypatch):
    out = tmp_path / "half_tree_cpu.cpp"
    code, result = _translate(tv_cmd, HERE / "half_tree.cu", out, monkeypatch)
    assert code == 0, result["message"]
    assert result["verdict"] == "equivalent"
    assert "the idiom translation did not verify" in result["details"], result["details"]
    assert "outputs differ" in result["details"]
    text = out.read_text()
    assert "reduction(" not in text and "// idiom:" not in text
    assert "for (unsigned tid = 0; tid < nthreads; ++tid)" in text  # the block's threads as loops


REASSOCIATED = """
float reduce_sum(int n, const float* x) {
    // eight interleaved partial sums, added up pairwise: another order than the source's tree
    float part[8] = {};
    for (int i = n - 1; i >= 0; --i) part[i % 8] += x[i];
    for (int w = 4; w > 0; w /= 2)
        for (int j = 0; j < w; ++j) part[j] += part[j + w];
    return part[0];
}
"""

DROPPED = """
float reduce_sum(int n, const float* x) {
    float s = 0.0f;
    #pragma omp parallel for reduction(+:s)
    for (int i = 0; i < n; ++i)
        if (i != n / 2) s += x[i];  // one element left out
    return s;
}
"""


def test_tolerances_accept_a_reassociated_sum_and_reject_a_dropped_element(tv_cmd, tmp_path, monkeypatch):
    source = ROOT / "examples/cuda/reduce_sum/reduce_sum.cu"
    good = tmp_path / "reduce_sum_cpu.cpp"
    good.write_text(REASSOCIATED)
    code, result = _run(tv_cmd, ["verify", str(source), str(good)], monkeypatch)
    assert code == 0, result.get("message")
    bad = tmp_path / "reduce_sum_dropped.cpp"
    bad.write_text(DROPPED)
    code, result = _run(tv_cmd, ["verify", str(source), str(bad)], monkeypatch)
    assert code == 1, result.get("message")
    assert result["verdict"] == "not_equivalent" and result["mismatches"], result
