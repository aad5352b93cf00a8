"""The CUDA corpus, through the real CLI, in both directions on the CPU path.

examples/cuda/<name>/ holds <name>.cpp (the C++ reference), <name>.cu (a correct
CUDA translation), and wrong variants named *_wrong_* or *_bad_* (.cu variants
are wrong CUDA translations of the .cpp; .cpp variants are wrong CPU
translations of the .cu).  Other .cpp files (e.g. *_omp.cpp) are correct CPU
translations of the .cu.
"""

import json
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "cuda"
CASES = "8"


def _is_wrong(path: Path) -> bool:
    return "_wrong_" in path.name or "_bad_" in path.name


def _corpus():
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        cpp, cu = folder / f"{folder.name}.cpp", folder / f"{folder.name}.cu"
        yield pytest.param(cpp, cu, 0, id=f"{folder.name}:cpp->cu")
        yield pytest.param(cu, cpp, 0, id=f"{folder.name}:cu->cpp")
        for variant in sorted(folder.glob("*.cu")):
            if variant != cu:
                yield pytest.param(cpp, variant, 1 if _is_wrong(variant) else 0, id=f"{folder.name}:{variant.name}")
        for variant in sorted(folder.glob("*.cpp")):
            if variant != cpp:
                yield pytest.param(cu, variant, 1 if _is_wrong(variant) else 0, id=f"{folder.name}:{variant.name}")


def test_corpus_size():
    folders = [p for p in CORPUS.iterdir() if p.is_dir()]
    assert len(folders) >= 20
    wrong = [p for p in CORPUS.rglob("*") if p.is_file() and _is_wrong(p)]
    assert len(wrong) >= 20


@pytest.mark.parametrize("source,candidate,expected", list(_corpus()))
def test_corpus(tv_cli, source, candidate, expected, monkeypatch):
    monkeypatch.setenv("TRANSVERIFY_CUDA_EXECUTION", "cpu")
    proc = tv_cli.run(["verify", str(source), str(candidate), "--json", "--cases", CASES], timeout=300)
    result = json.loads(proc.stdout)
    assert proc.returncode == expected, result["message"]
    assert result["execution"] == "cpu-emulated"
    assert result["verdict"] == ("equivalent" if expected == 0 else "not_equivalent")
    if expected == 1:
        assert result["mismatches"] or result["diagnostics"], result["message"]
