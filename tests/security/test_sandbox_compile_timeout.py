"""Item 7: compiles have a wall-clock limit of their own (--compile-timeout), say so when they
run out, and a timed-out compile is not tried again without the precompiled header."""

from __future__ import annotations

# Constant evaluation that g++ would grind through for many minutes before its own ops limit.
COMPILE_BOMB = r"""
#include <cstdio>
// Each assertion stays under g++'s constexpr operation limit (one alone gives up in seconds);
// together they keep the compiler busy for minutes.
constexpr long grind(long salt) {
    long total = salt;
    for (long i = 0; i < 2000; ++i)
        for (long j = 0; j < 2000; ++j) total += (i ^ j) + salt;
    return total;
}
#define GRIND(k) static_assert(grind(k) != 1, "never decided in time");
GRIND(1) GRIND(2) GRIND(3) GRIND(4) GRIND(5) GRIND(6) GRIND(7) GRIND(8)
GRIND(9) GRIND(10) GRIND(11) GRIND(12) GRIND(13) GRIND(14) GRIND(15) GRIND(16)
GRIND(17) GRIND(18) GRIND(19) GRIND(20) GRIND(21) GRIND(22) GRIND(23) GRIND(24)
int main() { std::puts("hello"); return 0; }
"""


def test_a_compile_bomb_is_stopped_by_the_compile_timeout(verify_json, hello_source, tmp_path, needs_compilers):
    candidate = tmp_path / "bomb.cpp"
    candidate.write_text(COMPILE_BOMB)
    code, out = verify_json(hello_source, candidate, "--compile-timeout", 3, timeout=120)
    assert code == 1 and out["stage"] == "compile_candidate", out
    assert "timed out while compiling" in out["message"], out["message"]
    assert "limit 3 s" in out["message"] and "--compile-timeout" in out["message"]


def test_a_compile_bomb_in_a_cuda_pair_is_stopped_by_the_compile_timeout(verify_json, tmp_path):
    from pathlib import Path

    # CUDA -> C++; the limit leaves nvcc time for the source even on a loaded machine.
    source = Path(__file__).resolve().parents[2] / "examples" / "cuda" / "program_sum" / "program_sum.cu"
    candidate = tmp_path / "bomb.cpp"
    candidate.write_text(COMPILE_BOMB)
    code, out = verify_json(source, candidate, "--compile-timeout", 20, timeout=300)
    assert code == 1 and out["stage"] == "compile_candidate", out
    assert "the candidate timed out while compiling" in out["message"], out["message"]


def test_a_timed_out_compile_is_not_retried_without_the_precompiled_header(tmp_path, monkeypatch,
                                                                          needs_compilers):
    from transverify.verify.options import VerifyOptions
    from transverify.verify.pairs import fortran_cpp
    from transverify.verify.toolchain import CompileOutcome

    calls = []

    def timed_out(argv, workdir, output, **kwargs):
        calls.append((argv, kwargs.get("timeout")))
        return CompileOutcome(ok=False, output="g++: timed out while compiling", binary=None, timed_out=True)

    monkeypatch.setattr(fortran_cpp, "compile_in_sandbox", timed_out)
    verification = fortran_cpp._Verification(tmp_path / "a.f90", tmp_path / "b.cpp",
                                             VerifyOptions(compile_timeout=7, cache_dir=tmp_path / "cache"))
    gch = tmp_path / "tv_std.h.gch"
    gch.write_bytes(b"x")
    binary, output, _ = verification._build(None, tmp_path, ["g++", "b.cpp"], "candidate",
                                            (["-include", "tv_std.h"], {"tv_std.h.gch": gch}))
    assert binary is None and "timed out while compiling" in output
    assert len(calls) == 1 and calls[0][1] == 7


def test_the_compile_timeout_is_a_documented_flag(tv_cmd):
    import subprocess

    shown = subprocess.run([*tv_cmd, "verify", "--help"], capture_output=True, text=True)
    text = " ".join(shown.stdout.split())
    assert "--compile-timeout" in text and "default 60" in text
