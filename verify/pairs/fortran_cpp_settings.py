"""Compiler flags, run limits and the harness version shared by the Fortran -> C++ pair's modes."""

HARNESS_VERSION = "fortran-cpp-6"
# -O1: most of -O2's run-time benefit for a fraction of the compile time on small kernels.
# -fwrapv: signed overflow wraps on both sides, so overflow tests are deterministic.
FORTRAN_FLAGS = ["-O1", "-fwrapv"]
CXX_FLAGS = ["-std=c++17", "-O1", "-fwrapv"]
UNIT_LINK_FLAGS = ["-ffunction-sections", "-Wl,--gc-sections"]
# Unit mode runs each routine on small inputs: compile time dominates, and -O0 halves it
# for header-heavy C++. x86-64 arithmetic is SSE at every level, so results do not change.
CXX_UNIT_FLAGS = ["-std=c++17", "-O0", "-fwrapv"]
MAX_MISMATCHES = 10
RUN_MEMORY_MB = 2048
RUN_ENV = {"OMP_NUM_THREADS": "2", "GFORTRAN_UNBUFFERED_PRECONNECTED": "n"}
