"""Coverage-guided rounds of the Fortran -> C++ pair (unit mode, `--coverage`).

The reference (source, its modules, wrapper and driver) is built a second time with
`gfortran --coverage` and run on the verified cases; gcov's counts of the source file give its
line and branch coverage (verify/coverage.py). While coverage is below 100%, a further round of
cases (a new seed, the next sizes of the schedule) is generated, run on both built sides,
compared like the first round, and run on the instrumented build; rounds stop when one takes no
new line or branch, or after coverage.MAX_ROUNDS more. The same fields as the CUDA pairs:
`coverage: {lines, branches, lines_total, branches_total, rounds, untaken}`.
"""

from __future__ import annotations

import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .. import sandbox
from ..coverage import COVERAGE_FLAGS, MAX_ROUNDS, Counts, Coverage
from ..toolchain import compile_in_sandbox, fast_linker_flags
from .fortran_cpp_helpers import read_bytes

# Seeds of later rounds: the user's seed plus a multiple of this prime (as in the CUDA pairs).
ROUND_SEED_STEP = 7919


@dataclass
class Rounds:
    """What the coverage rounds found: the report, the cases run in all, and a failure of a later
    round (None when every round agreed): (stage, message)."""
    report: Coverage | None
    cases: int
    failure: tuple[str, str, list] | None = None  # (stage, message, mismatches)


def coverage_rounds(verification, proc, ffile, ref_dir: Path, cand_dir: Path, src_name: str, inputs: bytes,
                    first_cases: int, extra_sources: list[str]) -> Rounds:
    """`verification` is the pair's _Verification (its options, sandbox runs and comparison)."""
    started = time.monotonic()
    # A top-level directory: the instrumented program creates its .gcda files by absolute path,
    # and inside the sandbox it could not pass through the parent of a nested one.
    cov_dir = sandbox.make_workdir("transverify-coverage-")
    try:
        return _rounds(verification, proc, ffile, cov_dir, ref_dir, cand_dir, src_name, inputs, first_cases,
                       extra_sources)
    finally:
        if not verification.options.keep_workdir:
            sandbox.remove_workdir(cov_dir)
        verification._timed("coverage", started)


def _rounds(v, proc, ffile, cov_dir, ref_dir, cand_dir, src_name, inputs, first_cases, extra_sources) -> Rounds:
    build = _instrumented_build(v, cov_dir, ref_dir, src_name, extra_sources)
    if build is None:
        v.warnings.append("coverage: the instrumented build of the source did not give gcov counts")
        return Rounds(None, first_cases)
    counts = Counts(str(cov_dir / src_name))
    report = _instrumented_run(v, cov_dir, counts, inputs)
    if report is None:
        v.warnings.append("coverage: the instrumented build of the source did not give gcov counts")
        return Rounds(None, first_cases)
    cases, rounds = first_cases, 1
    while not report.complete and rounds <= MAX_ROUNDS:
        seed = v.options.seed + ROUND_SEED_STEP * rounds
        more = _round_inputs(v, proc, ffile, seed, rounds * first_cases)
        if more is None:
            break
        more_cases, more_inputs = more
        rounds += 1
        failure = _verify_round(v, proc, ref_dir, cand_dir, more_cases, more_inputs)
        if failure == "reference":
            v.warnings.append(f"coverage round {rounds} (seed {seed}): the reference failed on its inputs; "
                              "no further rounds")
            rounds -= 1
            break
        if failure is not None:
            stage, message, mismatches = failure
            report.rounds = rounds
            return Rounds(report, cases + len(more_cases),
                          (stage, f"coverage round {rounds} (seed {seed}): {message}", mismatches))
        cases += len(more_cases)
        new = _instrumented_run(v, cov_dir, counts, more_inputs)
        improved = new is not None and new.better_than(report)
        report = new or report
        if not improved:
            break
    report.rounds = rounds
    return Rounds(report, cases)


def _instrumented_build(v, cov_dir: Path, ref_dir: Path, src_name: str, extra_sources: list[str]) -> bool | None:
    """The source with everything the reference is built from (modules, runtime, wrapper, driver)."""
    names = [*extra_sources, src_name, "tv_wrapper.f90", "tv_driver.c"]
    for name in {*names, *(p.name for p in ref_dir.iterdir() if p.suffix in (".h", ".inc", ".fi"))}:
        if (ref_dir / name).is_file():
            shutil.copyfile(ref_dir / name, cov_dir / name)
            (cov_dir / name).chmod(0o644)
    # Linked like the reference: only what the entry reaches (other routines may call absent ones).
    argv = [v.gfortran, *COVERAGE_FLAGS, "-fwrapv", "-ffunction-sections", "-Wl,--gc-sections",
            *v._include_flags(), *fast_linker_flags(), *names,
            "-o", "reference"]
    built = compile_in_sandbox(argv, cov_dir, cov_dir / "reference", cancel=v.options.cancel)
    return True if built.ok else None


def _instrumented_run(v, cov_dir: Path, counts: Counts, inputs: bytes) -> Coverage | None:
    (cov_dir / "inputs.bin").write_bytes(inputs)
    (cov_dir / "inputs.bin").chmod(0o644)
    (cov_dir / "outputs.bin").unlink(missing_ok=True)
    # The instrumented *source* writes its .gcda counts beside its objects, so its folder stays
    # writable (writable=None); candidates never run this way.
    v._run(cov_dir, ["./reference", "inputs.bin", "outputs.bin"], None)
    return counts.report() if counts.add_run(cov_dir) else None


def _round_inputs(v, proc, ffile, seed: int, first_case: int):
    from ..domains import apply_fortran_domains, fortran_domains
    from ..unit_inputs import generate_cases, write_inputs

    try:
        domains = fortran_domains(proc, v.options.ranges, ffile.text, str(v.source))
        cases = generate_cases(proc, v.options.cases, seed, v.options.values, first_case=first_case)
    except (KeyError, ValueError, ZeroDivisionError):
        return None
    apply_fortran_domains(proc, cases, domains, seed)
    return cases, write_inputs(proc, cases)


def _verify_round(v, proc, ref_dir: Path, cand_dir: Path, cases, inputs: bytes):
    """Run both built sides on a new round's inputs and compare: None when they agree,
    "reference" when the reference fails, else (stage, message, mismatches)."""
    from ..unit_inputs import read_outputs

    for directory in (ref_dir, cand_dir):
        (directory / "inputs.bin").write_bytes(inputs)
        (directory / "inputs.bin").chmod(0o644)
        (directory / "outputs.bin").unlink(missing_ok=True)
    with ThreadPoolExecutor(max_workers=2) as pool:
        ref_future = pool.submit(v._run, ref_dir, ["./reference", "inputs.bin", "outputs.bin"], ["outputs.bin"])
        cand_future = pool.submit(v._run, cand_dir, ["./candidate", "inputs.bin", "outputs.bin"], ["outputs.bin"])
        ref_run, cand_run = ref_future.result(), cand_future.result()
    if ref_run.returncode != 0:
        return "reference"
    ref_values, _ = read_outputs(proc, cases, read_bytes(ref_dir / "outputs.bin"))
    cand_values, done = read_outputs(proc, cases, read_bytes(cand_dir / "outputs.bin"))
    if cand_run.returncode != 0:
        case = min(done, len(cases) - 1)
        return "run", (f"the candidate {cand_run.describe_failure()} on case {case} (sizes {cases[case].sizes})"
                       + v._limits_hint(cand_run)), []
    mismatches = v._compare(proc, cases, ref_values, cand_values)
    if not mismatches:
        return None
    first = mismatches[0]
    where = f"{first.output}{first.index if isinstance(first.index, str) else ''}"
    return "compare", (f"outputs differ: {where} in case {first.case} (sizes {cases[first.case].sizes}): "
                       f"expected {first.expected}, got {first.actual}"), mismatches
