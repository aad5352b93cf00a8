"""Fortran -> C++ program mode: build the Fortran program and its C++ translation, run each
once in its sandbox, compare stdout and exit status."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..cache import content_key
from ..fortran_signature import FortranFile
from ..result import EQUIVALENT, ERROR, NOT_EQUIVALENT, STAGE_COMPARE, STAGE_COMPILE_CANDIDATE, STAGE_RUN, Diagnostic, VerifyResult
from ..toolchain import fast_linker_flags
from .fortran_cpp_helpers import openmp_flags, stderr_tail
from .fortran_cpp_settings import CXX_FLAGS, FORTRAN_FLAGS, HARNESS_VERSION, MAX_MISMATCHES, RUN_ENV


def program_mode(verification, pair_name: str, ffile: FortranFile, cfile, workdir: Path) -> VerifyResult:
    """`verification`: the pair's verification in progress (fortran_cpp._Verification)."""
    fields = {"mode": "program", "entry": "main program"}
    if verification.options.coverage:
        verification.warnings.append("coverage: measured in unit mode only (this source is a program)")
    if cfile.main_line is None:
        return verification._result(NOT_EQUIVALENT, STAGE_COMPILE_CANDIDATE, message=(
            f"{verification.source} is a Fortran program but the candidate has no main(); a program translates to a "
            "C++ program"), diagnostics=[Diagnostic(str(verification.candidate), 1, 1, "error",
                                                    "no main() function: the source is a Fortran program")],
            **fields)
    ref_dir, cand_dir = verification._side_dirs(workdir)
    src_name = verification._copy_user_file(verification.source, ref_dir, "user_source")
    cand_name = verification._copy_user_file(verification.candidate, cand_dir, "user_candidate")
    modules = verification._copy_modules(ffile, ref_dir)
    c_objects = verification._candidate_c_objects(ffile, cand_dir, ffile.program_line)
    if isinstance(c_objects, VerifyResult):
        return c_objects
    ref_argv = [verification.gfortran, *FORTRAN_FLAGS, *verification._include_flags(), *fast_linker_flags(), *modules, src_name,
                "-o", "reference"]
    cand_argv = [verification.gxx, *CXX_FLAGS, *openmp_flags(cfile.text), *fast_linker_flags(), cand_name, *c_objects,
                 "-o", "candidate"]
    ref_key = content_key(HARNESS_VERSION, "program", ffile.text, verification._included_text(ffile),
                          " ".join(FORTRAN_FLAGS + verification._include_flags()),
                          verification.tools["gfortran"], verification.source.suffix)
    if verification.options.reproducer is not None:  # before the PCH is staged: the user's files only
        from ..reproducer_sides import program_plan

        verification._plan = program_plan(pair_name, verification.source, verification.candidate, verification.options, ref_dir, cand_dir,
                                  reference_compile=["FC", *FORTRAN_FLAGS, *modules, src_name],
                                  candidate_compile=["CXX", *CXX_FLAGS, *openmp_flags(cfile.text), cand_name],
                                  env=RUN_ENV)
    pch = verification._pch(cand_dir, CXX_FLAGS + openmp_flags(cfile.text))
    (ref_bin, ref_out, _), (cand_bin, cand_out, _), _ = verification._compile_both(ref_key, ref_dir, ref_argv,
                                                                          cand_dir, cand_argv, pch=pch)
    if ref_bin is None:
        return verification._source_failed(ref_out, src_name, ffile.program_line)
    if cand_bin is None:
        return verification._candidate_failed(cand_out, cand_name, cfile.main_line, **fields)
    verification._check_cancel()
    verification.options.report("running 1 case")
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=2) as pool:
        ref_future = pool.submit(verification._run, ref_dir, ["./reference"], [])
        cand_future = pool.submit(verification._run, cand_dir, ["./candidate"], [])
        ref_run, cand_run = ref_future.result(), cand_future.result()
    verification._timed(STAGE_RUN, started)
    if ref_run.timed_out or ref_run.signal_name:
        return verification._result(ERROR, STAGE_RUN, cases=1, message=(
            f"the reference program {ref_run.describe_failure()}; nothing to compare against"), **fields)
    if cand_run.timed_out or cand_run.signal_name:
        return verification._result(NOT_EQUIVALENT, STAGE_RUN, cases=1, message=(
            f"the candidate {cand_run.describe_failure()}" + verification._limits_hint(cand_run) + stderr_tail(cand_run)),
            diagnostics=[Diagnostic(str(verification.candidate), cfile.main_line, 1, "error",
                                    f"at run time: the program {cand_run.describe_failure()}")], **fields)
    from ..compare import compare_exit_status, compare_stdout

    verification.options.report("comparing")
    started = time.monotonic()
    mismatches = compare_stdout(ref_run.stdout_text, cand_run.stdout_text, limit=MAX_MISMATCHES)
    mismatches += compare_exit_status(ref_run.returncode, cand_run.returncode)
    verification._timed(STAGE_COMPARE, started)
    if mismatches:
        first = mismatches[0]
        what = (f"exit status {first.actual}, expected {first.expected}" if first.output == "exit_status"
                else f"stdout token {first.index}: expected {first.expected!r}, got {first.actual!r}")
        return verification._result(NOT_EQUIVALENT, STAGE_COMPARE, cases=1, mismatches=mismatches[:MAX_MISMATCHES],
                            message=f"outputs differ ({len(mismatches)} mismatch(es)); first: {what}", **fields)
    return verification._result(EQUIVALENT, None, cases=1, message="same stdout and exit status", **fields)
