"""Compile one side (a .cu or .cpp file, with or without the unit harness) and run it.

  * .cu, no GPU:  launches rewritten, built by g++ against the CPU execution layer
                  (runtime/tvcuda_runtime.h), with AddressSanitizer.
  * .cu, GPU:     built by nvcc for the local GPU (-arch=native).
  * .cpp:         g++ -std=c++17 -fopenmp, with AddressSanitizer.
Every .cu is also compiled by nvcc (`nvcc_check`), GPU or not, for real CUDA
diagnostics.  All compiles and runs go through the sandbox.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .. import sandbox
from ..cache import ArtifactCache, cache_root, content_key
from ..diagnostics import parse_compiler_output, remap
from ..options import VerifyOptions
from ..pch import Header, cached_pch
from ..result import Diagnostic
from ..toolchain import compile_in_sandbox, find_tool, tool_version
from .rewrite import rewrite
from .signature import SourceFile

RUNTIME_HEADER = Path(__file__).resolve().parent / "runtime" / "tvcuda_runtime.h"
CXX_FLAGS = ["-std=c++17", "-g1", "-fno-omit-frame-pointer", "-fopenmp", "-pthread"]
# -O1 under AddressSanitizer: builds take about half as long as -O2 (measured
# 1.6 s vs 2.8 s for a small kernel) and verification runs are short.
ASAN_FLAGS = ["-O1", "-fsanitize=address"]
PLAIN_FLAGS = ["-O2"]
# VerifyOptions.fast_math: the C++ candidate is optimised as a fast-math build will be used (the
# TVM speed report builds with these too), so reassociated reductions and vector math are what
# is verified; AddressSanitizer, when on, is kept.
FAST_MATH_FLAGS = ["-O3", "-march=native", "-ffast-math"]
NVCC_CHECK_ARCH = "-arch=sm_80"
# The GPU build of a .cu side (with its harness); reproducers build it the same way.
NVCC_GPU_FLAGS = ["-std=c++17", "-O2", "-arch=native", "-Xcompiler", "-fopenmp", "-lgomp", "-DTV_GPU_BUILD"]
OMP_THREADS = "4"  # several threads even on 2 cores, so that races can show
# Resident memory of a run's whole process tree (the sandbox's watchdog): AddressSanitizer and
# the CUDA driver reserve terabytes of address space, so RLIMIT_AS cannot bound them; plain
# CPU builds get RLIMIT_AS as well.
RUN_MEMORY_MB = 4096
ASAN_OPTIONS = "detect_leaks=0:halt_on_error=1:abort_on_error=0:exitcode=99:allocator_may_return_null=1:symbolize=1"


# The sandbox runs everything as one unprivileged user with a process limit:
# on a busy machine a compiler or an OpenMP thread can be refused with EAGAIN.
# Such a refusal says nothing about the code, so the step is tried once more.
_TRANSIENT = ("Resource temporarily unavailable", "exited with status 127", "exited with status 126")


def _transient(text: str) -> bool:
    return any(marker in text for marker in _TRANSIENT) and not parse_compiler_output(text)


def _compile(argv: list[str], workdir: Path, output: Path, options: VerifyOptions, readonly: dict | None = None):
    compiled = compile_in_sandbox(argv, workdir, output, cancel=options.cancel, timeout=options.compile_timeout,
                                  readonly=readonly)
    if not compiled.ok and not compiled.timed_out and _transient(compiled.output):
        time.sleep(1.0)
        compiled = compile_in_sandbox(argv, workdir, output, cancel=options.cancel, timeout=options.compile_timeout,
                                      readonly=readonly)
    return compiled


def _runtime_pch(gxx: str, flags: list[str], options: VerifyOptions) -> dict[str, Path] | None:
    """The cached precompiled runtime header for exactly these g++ flags, as the read-only file
    to show beside the header's copy (g++ takes `<header>.gch` from the header's folder), or
    None (not built yet: a background build starts; this compile parses the header)."""
    if not options.use_cache:
        return None
    header = Header(RUNTIME_HEADER.name, runtime_header_text())
    gch = cached_pch(gxx, tool_version(gxx), flags, ArtifactCache(cache_root(options.cache_dir)), header)
    return {RUNTIME_HEADER.name + ".gch": gch} if gch is not None else None


def _pch_may_have_failed(output: str) -> bool:
    """A failed build with a PCH is built again without it unless the compiler blamed the code:
    the header can make a build faster, never change its verdict."""
    return "gch" in output or "precompiled" in output or not parse_compiler_output(output)


def use_asan() -> bool:
    return os.environ.get("TRANSVERIFY_CUDA_ASAN", "1") != "0"


class Workdirs:
    """The sandbox binds one directory per command, so each build, check and run
    gets a top-level temp directory of its own; all are removed together."""

    def __init__(self) -> None:
        self.paths: list[Path] = []

    def new(self, prefix: str) -> Path:
        path = sandbox.make_workdir(prefix)
        self.paths.append(path)
        return path

    def remove(self) -> None:
        for path in self.paths:
            sandbox.remove_workdir(path)


@dataclass
class Build:
    ok: bool
    binary: Path | None
    diagnostics: list[Diagnostic]
    output: str
    kernels: list[str] = field(default_factory=list)
    path_map: dict[str, str] = field(default_factory=dict)  # compiled path -> user's path
    warnings: list[str] = field(default_factory=list)
    workdir: Path | None = None


def runtime_header_text() -> str:
    return RUNTIME_HEADER.read_text()


def optimisation_flags(language: str, role: str, options: VerifyOptions) -> list[str]:
    """The optimisation/sanitizer flags of a g++ build of one side (a C++ candidate under
    options.fast_math gets FAST_MATH_FLAGS in place of the optimisation level)."""
    if role == "candidate" and options.fast_math and language != "cuda":
        return [*FAST_MATH_FLAGS, *(ASAN_FLAGS[1:] if use_asan() else [])]
    return ASAN_FLAGS if use_asan() else PLAIN_FLAGS


def build_side(source: SourceFile, harness: str | None, workdirs: Workdirs, role: str, gpu: bool,
               options: VerifyOptions, opt_flags: list[str] | None = None) -> Build:
    """Compile `source` (+ harness) in a new directory; role is "source" or "candidate".
    opt_flags replace the optimisation/sanitizer flags of a g++ build (coverage builds)."""
    build_flags = opt_flags if opt_flags is not None else optimisation_flags(source.language, role, options)
    user_path = str(source.path)
    side_dir = workdirs.new(f"transverify-cuda-{role}-")
    binary = side_dir / "prog"
    files: list[str] = []
    path_map = {user_path: user_path}
    kernels = list(source.kernels)
    pch = None
    if source.language == "cuda" and gpu:
        copy = side_dir / ("user" + source.path.suffix)
        copy.write_text(source.text)
        path_map[str(copy)] = user_path
        argv = [find_tool("nvcc", options.toolchain), *NVCC_GPU_FLAGS, "-o", str(binary), str(copy)]
        files = []
    elif source.language == "cuda":
        rewritten = rewrite(source.text, user_path)
        kernels = rewritten.kernels
        copy = side_dir / "user_cuda.cpp"
        # Included by this file only (not -include, which would also parse it for the harness).
        # A copy beside it: the sandbox sees neither /tmp nor unreadable homes where transverify may live.
        (side_dir / RUNTIME_HEADER.name).write_text(runtime_header_text())
        copy.write_text(f'#include "{RUNTIME_HEADER.name}"\n' + rewritten.text)
        path_map[str(copy)] = user_path
        gxx = find_tool("gxx", options.toolchain)
        argv = [gxx, *CXX_FLAGS, *build_flags, "-o", str(binary), str(copy)]
        pch = _runtime_pch(gxx, [*CXX_FLAGS, *build_flags], options)
    else:
        copy = side_dir / ("user" + source.path.suffix)
        copy.write_text(f'#line 1 "{user_path}"\n' + source.text)
        path_map[str(copy)] = user_path
        argv = [find_tool("gxx", options.toolchain), *CXX_FLAGS, *build_flags,
                "-o", str(binary), str(copy)]
    if harness is not None:
        harness_path = side_dir / "harness.cpp"
        harness_path.write_text(harness)
        files.append(str(harness_path))
    argv += files
    for path in side_dir.iterdir():
        os.chmod(path, 0o644)
    compiled = _compile(argv, side_dir, binary, options, readonly=pch)
    if pch and not compiled.ok and not compiled.timed_out and _pch_may_have_failed(compiled.output):
        compiled = _compile(argv, side_dir, binary, options)
    diagnostics = remap(parse_compiler_output(compiled.output), path_map, fallback=(user_path, 1))
    return Build(ok=compiled.ok, binary=compiled.binary, diagnostics=diagnostics, output=compiled.output,
                 kernels=kernels, path_map=path_map, warnings=compiled.warnings, workdir=side_dir)


def nvcc_check(source: SourceFile, workdirs: Workdirs, role: str, options: VerifyOptions) -> Build:
    """Compile the .cu with nvcc for diagnostics only (the object is discarded).

    Cached by content: the editor and the translation loop check one file many times."""
    nvcc = find_tool("nvcc", options.toolchain)
    cache = ArtifactCache(cache_root(options.cache_dir))
    key = content_key("nvcc-check-1", source.text, str(source.path), tool_version(nvcc), NVCC_CHECK_ARCH)
    hit = cache.get(key, "check.json") if options.use_cache else None
    if hit is not None:
        record = json.loads(hit.read_text())
        return Build(ok=record["ok"], binary=None, output=record["output"],
                     diagnostics=[Diagnostic(**d) for d in record["diagnostics"]])
    built = _nvcc_check(nvcc, source, workdirs, role, options)
    # Only real answers are kept: a failure without nvcc diagnostics (killed,
    # refused a process) may not happen next time.
    if not built.warnings and (built.ok or parse_compiler_output(built.output)):
        record = {"ok": built.ok, "output": built.output, "diagnostics": [asdict(d) for d in built.diagnostics]}
        cache.put_bytes(key, "check.json", json.dumps(record).encode())
    return built


def _nvcc_check(nvcc: str, source: SourceFile, workdirs: Workdirs, role: str, options: VerifyOptions) -> Build:
    check_dir = workdirs.new(f"transverify-nvcc-{role}-")
    copy = check_dir / source.path.name
    copy.write_text(source.text)
    os.chmod(copy, 0o644)
    obj = check_dir / "check.o"
    argv = [nvcc, "-std=c++17", NVCC_CHECK_ARCH, "-c", "-o", str(obj), str(copy)]
    compiled = _compile(argv, check_dir, obj, options)
    path_map = {str(copy): str(source.path), source.path.name: str(source.path)}
    diagnostics = remap(parse_compiler_output(compiled.output), path_map, fallback=(str(source.path), 1))
    return Build(ok=compiled.ok, binary=None, diagnostics=diagnostics, output=compiled.output,
                 warnings=compiled.warnings)


def run_side(binary: Path, args: list[str], workdir: Path, options: VerifyOptions, gpu: bool,
             reverse_threads: bool = False, writable: list[str] | None = (),
             malloc_fill: int | None = None) -> sandbox.RunOutcome:
    """Run a built side; `writable` names the files in `workdir` it may write (its outputs);
    None leaves the whole folder writable (only for the instrumented source, which writes its
    coverage counts there); `malloc_fill`: the byte the CPU layer fills cudaMalloc'ed memory with."""
    env = {"OMP_NUM_THREADS": OMP_THREADS, "ASAN_OPTIONS": ASAN_OPTIONS}
    if reverse_threads:
        env["TVCUDA_THREAD_ORDER"] = "reverse"
    if malloc_fill is not None:
        env["TVCUDA_MALLOC_FILL"] = str(malloc_fill)
    limits = sandbox.Limits(timeout=options.timeout, memory_mb=None if (use_asan() or gpu) else RUN_MEMORY_MB,
                            rss_mb=RUN_MEMORY_MB)
    outcome = sandbox.run([str(binary), *args], workdir, limits, env=env, cancel=options.cancel,
                          writable=None if writable is None else list(writable))
    if outcome.returncode != 0 and "Resource temporarily unavailable" in outcome.stderr_text:
        time.sleep(1.0)
        outcome = sandbox.run([str(binary), *args], workdir, limits, env=env, cancel=options.cancel,
                              writable=None if writable is None else list(writable))
    return outcome
