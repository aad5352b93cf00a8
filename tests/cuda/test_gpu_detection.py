"""Which path runs CUDA: the GPU when one works, else the CPU execution layer."""

import shutil
import subprocess

import pytest

from transverify.verify.cuda.gpu import CPU_EMULATED, detect_gpu, execution_label, parse_gpu_list


def test_gpu_list_parsing():
    text = ("GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-1234)\n"
            "GPU 1: NVIDIA A100-SXM4-40GB (UUID: GPU-5678)\n")
    assert parse_gpu_list(text) == ["NVIDIA H100 80GB HBM3", "NVIDIA A100-SXM4-40GB"]
    assert parse_gpu_list("No devices were found\n") == []
    assert execution_label("NVIDIA H100 80GB HBM3") == "gpu: NVIDIA H100 80GB HBM3"
    assert execution_label(None) == CPU_EMULATED


def test_forced_cpu_path(monkeypatch):
    monkeypatch.setenv("TRANSVERIFY_CUDA_EXECUTION", "cpu")
    assert detect_gpu(shutil.which("nvcc") or "nvcc") is None


def _gpu_listed() -> bool:
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return False
    listed = subprocess.run([smi, "-L"], capture_output=True, text=True)
    return listed.returncode == 0 and bool(parse_gpu_list(listed.stdout))


def test_without_a_gpu_cuda_runs_emulated(tv_cmd, tmp_path, monkeypatch):
    if _gpu_listed():
        pytest.skip("a GPU is listed here; the GPU test covers this machine")
    monkeypatch.delenv("TRANSVERIFY_CUDA_EXECUTION", raising=False)
    from pathlib import Path
    import json

    corpus = Path(__file__).resolve().parents[2] / "examples" / "cuda" / "saxpy"
    proc = subprocess.run(tv_cmd + ["verify", str(corpus / "saxpy.cpp"), str(corpus / "saxpy.cu"), "--json",
                                    "--cases", "2"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["execution"] == "cpu-emulated"


@pytest.mark.skipif(not _gpu_listed(), reason="no GPU listed by nvidia-smi")
def test_with_a_gpu_cuda_runs_natively(tv_cmd, monkeypatch):
    monkeypatch.delenv("TRANSVERIFY_CUDA_EXECUTION", raising=False)
    from pathlib import Path
    import json

    corpus = Path(__file__).resolve().parents[2] / "examples" / "cuda" / "tiled_matmul"
    proc = subprocess.run(tv_cmd + ["verify", str(corpus / "tiled_matmul.cpp"), str(corpus / "tiled_matmul.cu"),
                                    "--json"], capture_output=True, text=True, timeout=600)
    result = json.loads(proc.stdout)
    assert proc.returncode == 0, result["message"]
    assert result["execution"].startswith("gpu: ")
