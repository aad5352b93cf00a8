"""The CPU execution layer's runtime header is precompiled once per compiler and flags (in the
verifier's cache, built in the background) and offered to later .cu builds; a damaged header in
the cache cannot change a verdict: the build is done again without it."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from transverify.verify import VerifyOptions, verify

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cuda" / "relu2d"
pytestmark = pytest.mark.skipif(shutil.which("nvcc") is None or shutil.which("g++") is None,
                                reason="nvcc and g++ are needed to verify CUDA translations")


def _variant(tmp_path: Path, tag: str) -> Path:
    """The example with a comment of its own: a new source text, so its build is not a cache hit."""
    folder = tmp_path / tag
    folder.mkdir()
    path = folder / "relu2d.cu"
    path.write_text(f"// {tag}\n" + (EXAMPLE / "relu2d.cu").read_text())
    return path


def _kept_source_dirs(result) -> list[Path]:
    (note,) = [w for w in result.warnings if w.startswith("kept build directories ")]
    return [Path(p) for p in note.removeprefix("kept build directories ").split(", ")
            if "transverify-cuda-source-" in p]


def test_runtime_header_is_precompiled_offered_and_never_changes_a_verdict(tmp_path, monkeypatch):
    monkeypatch.setenv("TRANSVERIFY_CUDA_EXECUTION", "cpu")
    cache = tmp_path / "cache"
    candidate = EXAMPLE / "relu2d.cpp"
    first = verify(_variant(tmp_path, "first"), candidate, VerifyOptions(cache_dir=cache, cases=2))
    assert first.verdict == "equivalent", first.message
    deadline = time.monotonic() + 180
    while not list(cache.rglob("tvcuda_runtime.h.gch")) and time.monotonic() < deadline:
        time.sleep(0.2)
    (gch,) = list(cache.rglob("tvcuda_runtime.h.gch"))

    offered = verify(_variant(tmp_path, "second"), candidate, VerifyOptions(cache_dir=cache, cases=2,
                                                                            keep_workdir=True))
    kept = _kept_source_dirs(offered)
    try:
        assert offered.verdict == "equivalent", offered.message
        assert any((d / "tvcuda_runtime.h.gch").exists() for d in kept), kept
    finally:
        for folder in kept:
            shutil.rmtree(folder, ignore_errors=True)

    # A damaged PCH (cut short: g++ stops with "while reading precompiled header") is not the
    # code's fault: the .cu is built again without it and judged on its own, right or wrong.
    data = gch.read_bytes()
    gch.chmod(0o644)
    gch.write_bytes(data[:1000])
    again = verify(_variant(tmp_path, "third"), candidate, VerifyOptions(cache_dir=cache, cases=2))
    assert again.verdict == "equivalent", again.message
    wrong = tmp_path / "wrong.cpp"
    wrong.write_text(candidate.read_text().replace("(v > 0.0 ? v : 0.0)", "(v > 0.5 ? v : 0.0)", 1))
    assert wrong.read_text() != candidate.read_text()
    caught = verify(_variant(tmp_path, "fourth"), wrong, VerifyOptions(cache_dir=cache, cases=2))
    assert caught.verdict == "not_equivalent", caught.message
