"""Operator templates: kernels the one-thread lifter refuses (shared memory, barriers, atomics, warp
shuffles) are recognised as GEMM, sum reduction, row or column softmax, histogram or scan, and a
template is kept only when its emitted C++ verifies against the .cu (on the CPU execution layer).
The newer templates' CLI tests are in test_tvm_block_templates.py."""

import json
from pathlib import Path

import pytest

pytest.importorskip("tvm", reason="apache-tvm (the optional 'tvm' extra) is not installed")

from transverify.translators.tvm_cpu.templates import recognise  # noqa: E402
from transverify.verify import VerifyOptions  # noqa: E402

HERE = Path(__file__).resolve().parent
KERNELS = HERE / "kernels"
EXAMPLES = HERE.parent.parent / "examples" / "cuda"


@pytest.fixture(autouse=True)
def _cpu_execution(monkeypatch):
    monkeypatch.setenv("TRANSVERIFY_CUDA_EXECUTION", "cpu")


def _translate(tv_cli, source: Path, output: Path, *flags: str):
    return tv_cli.run(["translate", str(source), "--to", "cpu", "--solver", "tvm", "-o", str(output),
                       "--cases", "3", "--trials", "0", "--json", *flags], timeout=300)


def test_cli_tiled_gemm_becomes_the_gemm_template(tv_cli, tmp_path):
    out = tmp_path / "tiled_cpu.cpp"
    proc = _translate(tv_cli, EXAMPLES / "tiled_matmul" / "tiled_matmul.cu", out, "--measure", "--value", "n=64")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    assert report["verdict"] == "equivalent" and report["solver_used"] == "tvm"
    assert report["tvm"]["template"] == "gemm"
    assert report["tvm"]["template_variant"] == "C (nxn) = A (nxn) · B (nxn), row-major"
    # Timed like a lifted kernel, against the naive rule translation (no assertion on the times).
    assert report["tvm"]["shape"] == {"n": 64}
    assert {"tvm", "openmp", "serial"} <= set(report["tvm"]["ms"]), report["tvm"]
    code = out.read_text()
    assert "operator template 'gemm'" in "\n".join(code.splitlines()[:3])  # the header names the template
    assert "void tiled_matmul(int n, const float* A, const float* B, float* C)" in code
    assert "#pragma omp parallel for" in code and "__shared__" not in code


def test_cli_gemm_signature_computing_a_b_transposed_is_refused(tv_cli, tmp_path):
    # Same signature and shared tiles as GEMM, but C = A * B^T: verification rejects the template.
    out = tmp_path / "bt_cpu.cpp"
    proc = _translate(tv_cli, KERNELS / "gemm_bt_tiled.cu", out)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    [refusal] = report["unsupported"]
    assert (refusal["construct"], refusal["line"]) == ("__shared__", 5)  # the construct, as without templates
    assert "operator templates tried: gemm (C (nxn) = A (nxn) · B (nxn), row-major): not verified" in \
        refusal["message"]
    assert not out.exists()


RECOGNISED = [
    (EXAMPLES / "reduce_sum" / "reduce_sum.cu", {}, "sum_reduction", "the return value = sum over i < n of x[i]"),
    (EXAMPLES / "dot" / "dot.cu", {}, "sum_reduction", "the return value = sum over i < n of x[i] · y[i]"),
    (EXAMPLES / "warp_reduce" / "warp_reduce.cu", {}, "sum_reduction", "the return value = sum over i < n of x[i]"),
    (EXAMPLES / "softmax" / "softmax.cu", {}, "row_softmax",
     "y[r, c] = softmax over c < cols of x[r, c], r < rows, row-major"),
    (EXAMPLES / "histogram" / "histogram.cu", {"nbins": "64"}, "histogram",
     "hist[b] = count of i < n with data[i] % nbins == b, b < nbins"),
    (KERNELS / "hist_accumulate.cu", {}, "histogram", "hist[b] += count of i < n with data[i] == b, b < nbins"),
    # one block per column: the two row softmax guesses fail, then the column one verifies
    (KERNELS / "block_softmax_columns.cu", {}, "column_softmax",
     "y[r, c] = softmax over r < rows of x[r, c], c < cols, row-major"),
    (EXAMPLES / "block_scan" / "block_scan.cu", {"n": "600"}, "scan",
     "y[i] = sum of x[j], j <= i, in segments of 256, i < n (inclusive scan)"),
]


@pytest.mark.parametrize("source,values,template,variant", RECOGNISED, ids=[s.stem for s, *_ in RECOGNISED])
def test_block_level_kernel_is_recognised_and_verified(source, values, template, variant):
    found = recognise(source, None, VerifyOptions(cases=3, values=values))
    assert (found.template, found.variant) == (template, variant), found.tried_words()
    assert found.result.ok
    assert f"operator template '{template}'" in found.code


def test_sum_of_squares_is_not_taken_for_a_sum():
    # A sum reduction's signature, shared tree and atomicAdd, but of x[i]^2: no template verifies.
    found = recognise(KERNELS / "sumsq_atomic.cu", None, VerifyOptions(cases=3))
    assert found.template is None
    assert found.tried and all(t.startswith("sum_reduction (out[0] ") and "not verified" in t for t in found.tried)


def test_signature_no_template_fits_is_said():
    # A scan and a per-element total from one warp: two outputs, which no template has.
    found = recognise(EXAMPLES / "warp_scan" / "warp_scan.cu", None, VerifyOptions(cases=3))
    assert found.template is None and found.tried == []
    assert found.tried_words().startswith("no operator template matches the entry's signature")


def test_a_source_that_cannot_be_verified_stops_the_search():
    # Without --value nbins=64 the kernel's 256 shared bins overflow on the verifier's inputs: the
    # .cu itself fails, so no further candidate is tried and the reason is kept.
    found = recognise(EXAMPLES / "histogram" / "histogram.cu", None, VerifyOptions(cases=3))
    assert found.template is None
    assert len(found.tried) == 2 and "the source itself fails" in found.tried[0]
    assert found.tried[1] == "the others not tried: the source cannot be verified as given"
