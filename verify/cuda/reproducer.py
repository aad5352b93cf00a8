"""Reproducers of the CUDA pairs (C++ -> CUDA, CUDA -> C++), unit and program mode: each side's
copy of the user's file, its generated harness, and for a .cu side the launch-rewritten copy and
the CPU execution layer's header, so that run.sh builds it with nvcc on a GPU or with g++ on the
CPU layer, as the verifier would (verify/reproducer_sides.py writes the folder).

Public API:
  unit_plan(pair, entry, source, candidate, harnesses, cases, options) -> SidesPlan
  program_plan(pair, source, candidate, options) -> SidesPlan
"""

from __future__ import annotations

from ..compare import default_tolerance
from ..errors import VerifyInputError
from ..reproducer import verify_command
from ..reproducer_sides import CUDA_FAILURE_MARKERS, PROGRAM, UNIT, Side, SidesPlan, cuda_build
from .build import (ASAN_OPTIONS, CXX_FLAGS, NVCC_GPU_FLAGS, OMP_THREADS, RUNTIME_HEADER, optimisation_flags,
                    runtime_header_text)
from .harness import Plan
from .rewrite import rewrite
from .signature import SourceFile

CUDA = "cuda"


def _side(folder: str, stem: str, side: SourceFile, harness: str | None, options) -> Side:
    copy = stem + side.path.suffix
    files = {copy: side.text.encode()}
    extra = []
    if harness is not None:
        files["harness.cpp"] = harness.encode()
        extra = ["harness.cpp"]
    role = "candidate" if folder == "candidate" else "source"
    cpu_argv = [*CXX_FLAGS, *optimisation_flags(side.language, role, options)]
    if side.language != CUDA:
        words = " ".join([*cpu_argv, "-o", "prog", copy, *extra])
        return Side(folder, files, f'"$CXX" {words}')
    layer = f"{stem}_cpu.cpp"
    try:
        # Messages of the rewritten copy name the copy of the user's file, at its own lines.
        rewritten = rewrite(side.text, copy)
    except VerifyInputError:
        layer = None  # a construct the CPU layer lacks: the reproducer needs a GPU
    else:
        files[layer] = f'#include "{RUNTIME_HEADER.name}"\n{rewritten.text}'.encode()
        files[RUNTIME_HEADER.name] = runtime_header_text().encode()
    return Side(folder, files, cuda_build(copy, layer, extra, NVCC_GPU_FLAGS, cpu_argv), race=bool(side.kernels))


def _env() -> dict[str, str]:
    return {"OMP_NUM_THREADS": OMP_THREADS, "ASAN_OPTIONS": ASAN_OPTIONS}


def unit_plan(pair: str, entry: str, source: SourceFile, candidate: SourceFile, harnesses: tuple[str, str],
              cases: Plan, options) -> SidesPlan:
    """The plan of a unit-mode run: `harnesses` are the source's and the candidate's harness text."""
    outputs = []
    for output in cases.outputs:
        rtol, scale = default_tolerance(output.dtype, options.fast_math)
        outputs.append({"name": output.name, "dtype": output.dtype, "rtol": rtol if options.rtol is None else options.rtol,
                        "atol": options.atol, "scale": scale})
    lines = cases.case_file.splitlines()[1:]
    return SidesPlan(
        pair=pair, mode=UNIT, entry=entry, source_name=source.path.name,
        candidate_name=candidate.path.name,
        reference=_side("reference", "user_source", source, harnesses[0], options),
        candidate=_side("candidate", "user_candidate", candidate, harnesses[1], options),
        env=_env(), verify_command=verify_command(source.path, candidate.path, options),
        cuda=CUDA in (source.language, candidate.language), failure_markers=CUDA_FAILURE_MARKERS,
        outputs=outputs, case_lines=lines, summaries=list(cases.inputs_summary))


def program_plan(pair: str, source: SourceFile, candidate: SourceFile, options) -> SidesPlan:
    return SidesPlan(
        pair=pair, mode=PROGRAM, entry="main program", source_name=source.path.name,
        candidate_name=candidate.path.name,
        reference=_side("reference", "user_source", source, None, options),
        candidate=_side("candidate", "user_candidate", candidate, None, options),
        env=_env(), verify_command=verify_command(source.path, candidate.path, options),
        cuda=CUDA in (source.language, candidate.language), failure_markers=CUDA_FAILURE_MARKERS)
