"""What a caller can ask of one verification."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable


@dataclass
class VerifyOptions:
    entry: str | None = None  # procedure / host function to test; None = the only one
    cases: int = 8  # generated input cases (unit mode)
    seed: int = 0
    timeout: float = 10.0  # wall-clock seconds per run of a compiled program
    compile_timeout: float = 60.0  # wall-clock seconds per compile step (a timed-out compile is not retried)
    rtol: float | None = None  # override the per-type default tolerances
    atol: float | None = None
    shapes: dict[str, str] = field(default_factory=dict)  # CUDA/C++: array extents, e.g. {"x": "n"}
    values: dict[str, str] = field(default_factory=dict)  # pinned scalar values, e.g. {"k": "3"}
    coverage: bool = False  # measure the source's line/branch coverage; add cases while it rises
    ranges: dict[str, str] = field(default_factory=dict)  # value domains, e.g. {"grid": "0:1"} (--range)
    procedures: dict[str, str] = field(default_factory=dict)  # Fortran dummy procedure -> procedure passed
    include_dirs: list[Path] = field(default_factory=list)  # Fortran INCLUDE search path (-I)
    cache_dir: Path | None = None  # compiled-reference cache; None = the per-user default
    use_cache: bool = True
    keep_workdir: bool = False  # leave the temp dir for debugging
    cancel: threading.Event | None = None  # set() to stop compilers and runs promptly
    progress: Callable[[str], None] | None = None  # stage messages for editors ("compiling", ...)
    # Build the candidate (the C++ side of CUDA -> C++) with -ffast-math at -O3 -march=native, and
    # compare floats with the wider fast-math tolerances (verify/compare.py): a translation meant to
    # be built with -ffast-math is verified as it will run. The reference is built as always.
    fast_math: bool = False
    toolchain: dict[str, str] = field(default_factory=dict)  # overrides: {"gfortran": "/opt/..", "gxx": .., "nvcc": ..}
    mode: str = "eval"  # PyTorch -> JAX: "eval" or "train" (BatchNorm batch statistics, buffer updates)
    inputs: dict[str, str] = field(default_factory=dict)  # PyTorch -> JAX: {"x": "(8,3,32,32):float32"}
    # Write a standalone reproducer (harness, the user's files, one case's inputs, a build-and-run
    # script) into this new or empty directory; every pair and mode (verify/reproducer.py,
    # verify/reproducer_sides.py, verify/cuda/reproducer.py, verify/torch_jax/reproducer.py).
    reproducer: Path | None = None
    reproducer_case: int | None = None  # None: the first failing case, else case 0

    def report(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)
