"""The widest vector unit of this machine, which the GEMM tiles are sized for and the header
comment of an emitted file names (its simd loops are vectorised by g++ -march=native)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def widest_vector() -> tuple[str, int]:
    """(ISA name, float lanes a vector): AVX-512 16, AVX2/AVX 8, SSE2 or NEON 4."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as info:
            flags = set(next((line for line in info if line.startswith(("flags", "Features"))), "").split())
    except OSError:
        flags = set()
    for flag, name, lanes in (("avx512f", "AVX-512", 16), ("avx2", "AVX2", 8), ("avx", "AVX", 8),
                              ("sse2", "SSE2", 4), ("asimd", "NEON", 4)):
        if flag in flags:
            return name, lanes
    return "scalar", 1


def vector_width_words() -> str:
    name, lanes = widest_vector()
    if lanes == 1:
        return "Vector width: simd loops are left to g++ -march=native (no vector unit found on this machine)."
    return (f"Vector width: simd loops are vectorised by g++ -march=native; {name} here, "
            f"{lanes} floats a vector.")
