"""Item 4: every pair limits memory. A candidate that allocates and touches 6 GiB ends with a
clear "memory limit" verdict (the CUDA <-> C++ pairs run under AddressSanitizer, where an
address-space limit cannot work: the sandbox's resident-memory watchdog stops it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"
TOUCH_6_GIB = r"""
#include <cstdio>
#include <cstdlib>
#include <cstring>
int main() {
    const size_t size = size_t(6) << 30;
    char *block = static_cast<char *>(std::malloc(size));
    if (!block) std::abort();  // refused by the address-space limit
    for (size_t i = 0; i < size; i += 4096) block[i] = 1;
    std::printf("touched %zu bytes\n", size);
    return 0;
}
"""


def test_cuda_to_cpp_candidate_touching_6_gib_hits_the_memory_limit(verify_json, tmp_path):
    if not shutil.which("g++"):
        pytest.skip("needs g++")
    candidate = tmp_path / "hog.cpp"
    candidate.write_text(TOUCH_6_GIB)
    code, out = verify_json(EXAMPLES / "cuda" / "program_sum" / "program_sum.cu", candidate, "--timeout", 60)
    assert code == 1 and out["stage"] == "run", out
    assert "memory limit" in out["message"], out["message"]


def test_fortran_to_cpp_candidate_touching_6_gib_hits_the_memory_limit(verify_json, hello_source, tmp_path,
                                                                        needs_compilers):
    candidate = tmp_path / "hog.cpp"
    candidate.write_text(TOUCH_6_GIB)
    code, out = verify_json(hello_source, candidate, "--timeout", 60)
    assert code == 1 and out["stage"] == "run", out
    assert "memory limit" in out["message"], out["message"]
