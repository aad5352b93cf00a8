"""Both rule translators over the CUDA corpora, through the real CLI, verified on the CPU path.

examples/cuda/<name>/<name>.cpp and .cu (both directions) and the self-written kernels of
examples/cuda_rules/ (*.cpp: C++ -> CUDA, *.cu: CUDA -> CPU).  Every case is its own test, so
`pytest -n 2` spreads them; the verifier's reference cache keeps reruns cheap.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CUDA_EXAMPLES = ROOT / "examples" / "cuda"
RULES_CORPUS = ROOT / "examples" / "cuda_rules"
CASES = "2"

# Extents or pinned values the verification needs for a source (as `translate` flags).
FLAGS = {
    "histogram.cu": ["--value", "nbins=64"],  # the kernel's shared bins hold at most 256
    "ping_pong_steps_cu.cu": ["--value", "steps=3"],  # odd: the swapped buffers end in the other array
    "streams_axpby.cu": ["--shape", "x=n", "--shape", "y=n"],
    "block_scan.cpp": ["--shape", "x=n", "--shape", "y=n"],
    "warp_scan.cpp": ["--shape", "x=n", "--shape", "scan=n", "--shape", "total=n"],
}
# Sources the rules refuse, with the line they must name.
REFUSED = {
    "refuse_asm_cu.cu": 4,
    "refuse_dynamic_cu.cu": 8,
    "refuse_texture_cu.cu": 2,
    "refuse_grid_sync_cu.cu": 1,
    "program_sum.cpp": None,  # a whole program: the rules translate functions
}
# Loops the dependence analysis keeps on the host (the translation is still verified).
HOST_ONLY = {"prefix_sum.cpp", "block_scan.cpp", "warp_scan.cpp"}  # (the last two step by a segment size)

pytestmark = pytest.mark.skipif(shutil.which("nvcc") is None or shutil.which("g++") is None,
                                reason="nvcc and g++ are needed to verify CUDA translations")


def _sources(suffix: str) -> list[Path]:
    found = [folder / f"{folder.name}{suffix}" for folder in sorted(CUDA_EXAMPLES.iterdir()) if folder.is_dir()]
    return found + sorted(RULES_CORPUS.glob(f"*{suffix}"))


def _params(suffix: str, target: str):
    return [pytest.param(path, target, id=f"{path.parent.name}/{path.name}") for path in _sources(suffix)]


def _translate(tv_cli, source: Path, target: str, out: Path, monkeypatch) -> tuple[int, dict]:
    monkeypatch.setenv("TRANSVERIFY_CUDA_EXECUTION", "cpu")
    for name in ("OPENAI_BASE_URL", "TRANSVERIFY_MODEL"):
        monkeypatch.delenv(name, raising=False)
    proc = tv_cli.run(["translate", str(source), "--to", target, "-o", str(out), "--json",
                       "--no-capture", "--no-alternatives", "--cases", CASES, *FLAGS.get(source.name, [])], timeout=600)
    return proc.returncode, json.loads(proc.stdout)


@pytest.mark.parametrize("source,target", _params(".cu", "cpu") + _params(".cpp", "cuda"))
def test_rule_translation_is_verified_or_refused_by_line(tv_cli, tmp_path, monkeypatch, source: Path, target: str):
    out = tmp_path / (f"{source.stem}_cpu.cpp" if target == "cpu" else f"{source.stem}.cu")
    code, result = _translate(tv_cli, source, target, out, monkeypatch)
    if source.name in REFUSED:
        assert code == 2, result["message"]
        assert result["unsupported"], result
        line = REFUSED[source.name]
        if line is not None:
            assert any(u["line"] == line for u in result["unsupported"]), result["unsupported"]
        assert all(u["construct"] and u["line"] for u in result["unsupported"])
        assert not out.exists()
        return
    assert code == 0, result["message"]
    assert result["verdict"] == "equivalent" and result["solver_used"] == "rules"
    text = out.read_text()
    if target == "cpu":
        assert "#pragma omp parallel" in text
        code_only = re.sub(r"//[^\n]*", "", text)
        assert not re.search(r"\bcuda(Malloc|Memcpy|Free)\b|<<<|__global__|__shared__", code_only)
    elif source.name in HOST_ONLY:
        assert "__global__" not in text and "stays on the host" in text
    else:
        assert "__global__" in text and "CUDA_CHECK(cudaGetLastError());" in text


def test_corpus_has_thirty_self_written_kernels():
    assert len(list(RULES_CORPUS.glob("*.cpp"))) + len(list(RULES_CORPUS.glob("*.cu"))) >= 30
