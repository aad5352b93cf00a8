"""The CUDA pairs: C++ -> CUDA and CUDA -> C++ (CPU, OpenMP allowed).

Unit mode calls one host function (docs/cuda.md has the convention) on
generated cases; program mode (SOURCE has a main()) compares stdout and the
exit status.  CUDA runs natively when a GPU works, else on the CPU execution
layer (verify/cuda/).
"""

from __future__ import annotations

import json
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .. import sandbox
from ..cache import ArtifactCache, cache_root, content_key
from ..compare import (FAST_MATH_TOLERANCE, MAX_MISMATCHES, compare_exit_status, compare_stdout, compare_text,
                       compare_values)
from ..cuda import build as cuda_build
from ..cuda.extents import resolve, size_parameters
from ..cuda.gpu import detect_gpu, execution_label
from ..cuda.harness import HARNESS_VERSION, harness_source, plan_cases, read_outputs
from ..cuda.rewrite import check_supported
from ..cuda.runtime_errors import explain
from ..cuda.domain_inference import infer as infer_domains
from ..cuda.signature import SourceFile, choose_entry, check_convention, read_source
from ..cuda import undefined_cells
from ..coverage import COVERAGE_FLAGS, MAX_ROUNDS, Counts
from ..domains import resolve as resolve_domains
from ..errors import VerifyInputError
from ..languages import CPP, CUDA
from ..options import VerifyOptions
from ..result import EQUIVALENT, ERROR, NOT_EQUIVALENT, Diagnostic, Mismatch, VerifyResult
from ..toolchain import ToolMissing, find_tool, tool_version
from . import Pair, register


class CudaPair(Pair):
    def __init__(self, source_language: str, candidate_language: str):
        self.source_language = source_language
        self.candidate_language = candidate_language
        self.name = f"{source_language}->{candidate_language}"
        self.fast_math = candidate_language == CPP  # a C++ candidate can be built and verified with -ffast-math

    def verify(self, source: Path, candidate: Path, options: VerifyOptions) -> VerifyResult:
        return _Verification(self, source, candidate, options).run()


class _Failure(Exception):
    """Stops a verification with a finished result."""

    def __init__(self, result: VerifyResult):
        self.result = result


class _Verification:
    def __init__(self, pair: CudaPair, source: Path, candidate: Path, options: VerifyOptions):
        self.pair, self.options = pair, options
        self.source_path, self.candidate_path = source.resolve(), candidate.resolve()
        self.timings: dict[str, float] = {}
        self.warnings: list[str] = []
        self.tools: dict[str, str] = {"sandbox": sandbox.isolation_mode()}
        self.gpu_name: str | None = None
        self.mode = "unit"
        self.entry_name: str | None = None
        self.harness_text: str | None = None
        self.inputs: list[dict] = []
        self.domains: list[dict] = []
        self._undefined: list = []  # per case, output -> mask of the source's undefined cells

    # -- result helpers ---------------------------------------------------------------------
    def result(self, verdict: str, stage: str | None, message: str, **fields) -> VerifyResult:
        return VerifyResult(verdict=verdict, stage=stage, message=message, pair=self.pair.name, mode=self.mode,
                            entry=self.entry_name, execution=execution_label(self.gpu_name),
                            timings=self.timings, warnings=list(dict.fromkeys(self.warnings)),
                            tools=self.tools, harness=self.harness_text, inputs=self.inputs, domains=self.domains,
                            **fields)

    def fail(self, verdict: str, stage: str, message: str, **fields) -> _Failure:
        return _Failure(self.result(verdict, stage, message, **fields))

    def timed(self, name: str, started: float) -> None:
        self.timings[name] = round(self.timings.get(name, 0.0) + time.monotonic() - started, 4)

    # -- the verification ------------------------------------------------------------------------
    def run(self) -> VerifyResult:
        self._reproducer_plan = None  # collected when options.reproducer asks for one
        result = self._verify()
        if self.options.reproducer is not None:
            from ..reproducer import write_for_result

            write_for_result(result, self._reproducer_plan, self.options)
        return result

    def _verify(self) -> VerifyResult:
        started = time.monotonic()
        source = read_source(self.source_path, self.pair.source_language)
        candidate = read_source(self.candidate_path, self.pair.candidate_language)
        self.nvcc = self._nvcc()
        self.gpu_name = detect_gpu(self.nvcc)
        self.tools["gxx"] = tool_version(find_tool("gxx", self.options.toolchain))
        if self.options.fast_math:
            self.tools["candidate_flags"] = " ".join(cuda_build.optimisation_flags(CPP, "candidate", self.options))
        if not self.gpu_name:
            for side in (source, candidate):
                if side.language == CUDA:
                    check_supported(side.text, str(side.path))
        self.mode = "program" if source.has_main else "unit"
        try:
            if self.mode == "program":
                self._prepare_program(candidate)
                harnesses = (None, None)
                plan = None
            else:
                plan, harnesses = self._prepare_unit(source, candidate)
            if self.options.reproducer is not None:
                from ..cuda import reproducer

                self._reproducer_plan = (
                    reproducer.program_plan(self.pair.name, source, candidate, self.options) if plan is None else
                    reproducer.unit_plan(self.pair.name, self.entry_name, source, candidate, harnesses, plan,
                                         self.options))
            self.timed("parse", started)
            self.options.report("building")
            workdir = cuda_build.Workdirs()
            result = None
            try:
                expected = self._reference(source, harnesses[0], plan, workdir)
                actual = self._candidate(candidate, harnesses[1], plan, workdir)
                result = self._compare(expected, actual, plan)
                if self.options.coverage and plan is None:
                    self.warnings.append("coverage: measured in unit mode only (this source is a program)")
                    result.warnings = list(dict.fromkeys(self.warnings))
                elif self.options.coverage and result.ok:
                    result = self._covered(result, source, candidate, harnesses, plan, workdir)
                return result
            except _Failure as failure:
                result = failure.result
                raise
            finally:
                if self.options.keep_workdir:
                    # the result is already built: the note goes into its warnings too
                    kept = f"kept build directories {', '.join(map(str, workdir.paths))}"
                    self.warnings.append(kept)
                    if result is not None:
                        result.warnings = [*result.warnings, kept]
                else:
                    workdir.remove()
        except _Failure as failure:
            return failure.result

    def _nvcc(self) -> str | None:
        if CUDA not in (self.pair.source_language, self.pair.candidate_language):
            return None
        try:
            nvcc = find_tool("nvcc", self.options.toolchain)
        except ToolMissing:
            self.warnings.append("nvcc not found: CUDA files were not compiled by nvcc, so CUDA-only errors may "
                                 "go unreported; install the CUDA toolkit")
            return None
        self.tools["nvcc"] = tool_version(nvcc)
        return nvcc

    def _prepare_program(self, candidate: SourceFile) -> None:
        if not candidate.has_main:
            raise self.fail(NOT_EQUIVALENT, "compile_candidate",
                            f"{candidate.path}: the source is a program (has main()) but the candidate has no main()",
                            diagnostics=[Diagnostic(str(candidate.path), 1, 1, "error", "no main() function")])

    def _prepare_unit(self, source: SourceFile, candidate: SourceFile):
        entry = choose_entry(source, self.options.entry)
        check_convention(entry, source.path)
        self.entry_name = entry.name
        cand_entry = next((f for f in candidate.host_functions if f.name == entry.name), None)
        if cand_entry is None:
            raise self.fail(NOT_EQUIVALENT, "compile_candidate",
                            f"{candidate.path}: no host function '{entry.name}' with external linkage; the "
                            f"translation must define it with the same parameters",
                            diagnostics=[Diagnostic(str(candidate.path), 1, 1, "error",
                                                    f"missing host function '{entry.name}'")])
        self._check_same_signature(entry, cand_entry, candidate.path)
        extents = resolve(entry, [source, candidate], self.options.shapes, self.options.values)
        domains = self._domains(entry, source, extents)
        self._unit = (entry, extents, domains)
        plan = plan_cases(entry, extents, self.options.cases, self.options.seed, domains)
        self.inputs = plan.inputs_summary
        harness_src = harness_source(entry, extents, source.language == CUDA, domains=domains)
        harness_cand = harness_source(cand_entry, extents, candidate.language == CUDA, reference=entry,
                                      domains=domains)
        self.harness_text = harness_cand
        return plan, (harness_src, harness_cand)

    def _domains(self, entry, source: SourceFile, extents):
        """Value domains (flags, comments, inference from the source); sizes and pinned values keep theirs."""
        inferred = infer_domains(entry, source)
        fixed = set(extents.values) | set(size_parameters(extents, entry))
        inferred = {k: v for k, v in inferred.items() if k not in fixed}
        domains = resolve_domains([p.name for p in entry.params], self.options.ranges, source.text, False,
                                  str(source.path), inferred, entry.line)
        self.domains = [d.to_dict() for d in domains.values()]
        return domains

    def _check_same_signature(self, entry, cand_entry, path: Path) -> None:
        problem = None
        if cand_entry.problems:
            problem = cand_entry.problems[0][0], cand_entry.problems[0][1]
        elif len(cand_entry.params) != len(entry.params):
            problem = (f"'{entry.name}' takes {len(cand_entry.params)} parameters; the source's takes "
                       f"{len(entry.params)}", cand_entry.line)
        elif cand_entry.return_dtype != entry.return_dtype:
            problem = (f"'{entry.name}' returns {cand_entry.return_text}; the source's returns {entry.return_text}",
                       cand_entry.line)
        else:
            for mine, theirs in zip(cand_entry.params, entry.params):
                if mine.dtype != theirs.dtype or mine.pointer != theirs.pointer:
                    problem = (f"parameter {mine.name} is '{mine.declaration}'; the source's is "
                               f"'{theirs.declaration}'", mine.line)
                    break
        if problem:
            message, line = problem
            raise self.fail(NOT_EQUIVALENT, "compile_candidate", f"{path}:{line}: signature differs: {message}",
                            diagnostics=[Diagnostic(str(path), line, 1, "error", f"signature differs: {message}")])

    # -- building and running ----------------------------------------------------------------
    def _reference_key(self, source: SourceFile, harness: str | None, plan) -> str:
        return content_key(HARNESS_VERSION, self.mode, source.path.suffix, source.text, harness or "",
                           plan.case_file if plan else "", cuda_build.runtime_header_text(),
                           " ".join(cuda_build.CXX_FLAGS), str(cuda_build.use_asan()), self.tools.get("gxx", ""),
                           self.tools.get("nvcc", ""), execution_label(self.gpu_name))

    def _reference(self, source: SourceFile, harness: str | None, plan, workdir: cuda_build.Workdirs):
        cache = ArtifactCache(cache_root(self.options.cache_dir))
        key = self._reference_key(source, harness, plan)
        if self.options.use_cache:
            hit = cache.get(key, "reference.json")
            if hit is not None:
                self.tools["reference"] = "cached"
                return self._load_reference(hit, plan)
        record = self._compile_and_run(source, harness, plan, workdir, "source")
        cache.put_bytes(key, "reference.json", json.dumps(record).encode())
        return self._decode(record, plan)

    def _load_reference(self, path: Path, plan):
        record = json.loads(path.read_text())
        self._undefined = undefined_cells.decode(record.get("undefined", []))
        return self._decode(record, plan)

    def _decode(self, record: dict, plan):
        if plan is None:
            return record
        return read_outputs(bytes.fromhex(record["outputs"]), plan)

    def _candidate(self, candidate: SourceFile, harness: str | None, plan, workdir: cuda_build.Workdirs):
        return self._decode(self._compile_and_run(candidate, harness, plan, workdir, "candidate"), plan)

    def _compile_and_run(self, side: SourceFile, harness: str | None, plan, workdir: cuda_build.Workdirs,
                         role: str) -> dict:
        """Build one side, run it (and its race check); the raw record of what it printed and wrote.

        A failure of the source is bad input (error); of the candidate, a verdict (not equivalent).
        """
        verdict = ERROR if role == "source" else NOT_EQUIVALENT
        started = time.monotonic()
        build, check = self._build(side, harness, workdir, role)
        self.timed(f"compile_{role}", started)
        for outcome in (check, build):
            if outcome is not None and not outcome.ok:
                timed_out = next((line for line in outcome.output.splitlines() if "timed out while compiling" in line),
                                 None)
                what = timed_out.strip() if timed_out else "does not compile"
                raise self.fail(verdict, f"compile_{role}", f"{side.path}: the {role} {what}",
                                diagnostics=outcome.diagnostics or [Diagnostic(str(side.path), 1, 1, "error",
                                                                               outcome.output.strip()[-500:])])
        if role == "candidate":
            self.options.report("running")
        started = time.monotonic()
        outcome, data = self._execute(build, plan, workdir, role)
        self.timed(f"run_{role}", started)
        failure = self._run_failure(outcome, build, data, plan)
        if failure is None:
            failure = self._race_check(side, build, plan, outcome, data)
        if failure is not None:
            message, diagnostics = failure
            if role == "source":
                raise self.fail(ERROR, "run", f"{side.path}: the source itself fails at run time: {message}",
                                diagnostics=diagnostics)
            raise self.fail(NOT_EQUIVALENT, "run", f"{side.path}: the candidate fails at run time: {message}",
                            diagnostics=diagnostics, cases=len(plan.cases) if plan else 1)
        record = {"stdout": outcome.stdout_text, "status": outcome.returncode, "outputs": data.hex() if data else ""}
        if role == "source":
            self._undefined = self._undefined_cells(side, build, plan, data)
            if self._undefined:
                record["undefined"] = undefined_cells.encode(self._undefined)
        return record

    def _undefined_cells(self, side: SourceFile, build, plan, first_data: bytes) -> list:
        """On the CPU path, the source's output cells that change with what cudaMalloc leaves in
        memory (undefined_cells.py): a second run under another fill byte."""
        if side.language != CUDA or self.gpu_name or not side.kernels or plan is None:
            return []
        started = time.monotonic()
        second, data = self._rerun_cases(build, malloc_fill=undefined_cells.SECOND_FILL)
        self.timed("run_source", started)
        if second.returncode != 0 or len(read_outputs(data, plan)) != len(plan.cases):
            return []  # the run that counts succeeded; this one only refines the comparison
        masks = undefined_cells.undefined_cells(read_outputs(first_data, plan), read_outputs(data, plan),
                                                plan.outputs)
        return masks if any(masks) else []

    def _rerun_cases(self, build, **how):
        """Run a built CPU-path side on its case file again (`how`: run_side's reverse_threads or
        malloc_fill); its outcome and the outputs it wrote."""
        out = build.workdir / "outputs.bin"
        out.unlink(missing_ok=True)
        outcome = cuda_build.run_side(build.binary, [str(build.workdir / "cases.txt"), str(out)], build.workdir,
                                      self.options, False, writable=[out.name], **how)
        return outcome, (out.read_bytes() if out.exists() else b"")

    def _build(self, side: SourceFile, harness: str | None, workdir: cuda_build.Workdirs, role: str):
        """Build the side; a .cu is also compiled by nvcc, concurrently, for its diagnostics."""
        gpu = bool(self.gpu_name) and side.language == CUDA
        if side.language != CUDA or self.nvcc is None or gpu:
            # On the GPU path the nvcc build itself gives the CUDA diagnostics.
            return self._build_side_cached(side, harness, workdir, role, gpu), None
        with ThreadPoolExecutor(max_workers=2) as pool:
            check = pool.submit(cuda_build.nvcc_check, side, workdir, role, self.options)
            build = self._build_side_cached(side, harness, workdir, role, gpu)
            checked = check.result()
        if not checked.ok:
            return build, checked
        if not build.ok:
            # nvcc accepts it but the CPU layer's build does not: a CUDA feature the layer lacks.
            build.diagnostics = [Diagnostic(d.file, d.line, d.column, d.severity,
                                            f"CPU execution layer: {d.message}") for d in build.diagnostics]
            first = next((d for d in build.diagnostics if d.severity == "error"), None)
            where = f"{first.file}:{first.line}: " if first else ""
            raise VerifyInputError(
                f"nvcc accepts this file but the CPU execution layer cannot build it (a CUDA feature it does not "
                f"implement?): {where}{first.message if first else build.output.strip()[-300:]}",
                file=str(side.path), line=first.line if first else None, construct="CPU execution layer",
                stage="compile_source" if role == "source" else "compile_candidate")
        return build, checked

    def _build_side_cached(self, side: SourceFile, harness: str | None, workdir: cuda_build.Workdirs, role: str,
                           gpu: bool):
        """build_side, with the binary kept by content: the harness does not depend on the seed or
        the case values, so verifying again with other seeds or more cases reuses both builds."""
        cache = ArtifactCache(cache_root(self.options.cache_dir))
        key = content_key("cuda-binary-1", side.text, str(side.path), side.language, harness or "",
                          cuda_build.runtime_header_text(), " ".join(cuda_build.CXX_FLAGS),
                          " ".join(cuda_build.optimisation_flags(side.language, role, self.options)),
                          str(cuda_build.use_asan()), str(gpu), self.tools.get("gxx", ""), self.tools.get("nvcc", ""))
        if self.options.use_cache:
            binary, meta = cache.get(key, "prog"), cache.get(key, "build.json")
            if binary is not None and meta is not None:
                record = json.loads(meta.read_text())
                side_dir = workdir.new(f"transverify-cuda-{role}-")
                copy = side_dir / "prog"
                shutil.copy2(binary, copy)
                copy.chmod(0o755)
                return cuda_build.Build(ok=True, binary=copy, diagnostics=[], output="", kernels=record["kernels"],
                                        path_map=record["path_map"], workdir=side_dir)
        build = cuda_build.build_side(side, harness, workdir, role, gpu, self.options)
        if build.ok and build.binary is not None and not build.warnings:
            cache.put(key, "prog", build.binary)
            cache.put_bytes(key, "build.json", json.dumps({"kernels": build.kernels,
                                                           "path_map": build.path_map}).encode())
        return build

    def _execute(self, build, plan, workdir: cuda_build.Workdirs, role: str):
        gpu = bool(self.gpu_name)
        run_dir = build.workdir
        if plan is None:
            outcome = cuda_build.run_side(build.binary, [], run_dir, self.options, gpu)
            return outcome, b""
        cases = run_dir / "cases.txt"
        cases.write_text(plan.case_file)
        out = run_dir / "outputs.bin"
        outcome = cuda_build.run_side(build.binary, [str(cases), str(out)], run_dir, self.options, gpu,
                                      writable=[out.name])
        data = out.read_bytes() if out.exists() else b""
        return outcome, data

    def _race_check(self, side: SourceFile, build, plan, first, first_data: bytes):
        """On the CPU path, run the CUDA side again with the threads of every block in reverse
        order between barriers: a race-free kernel gives the same outputs, a missing
        __syncthreads (or another intra-block race) usually does not."""
        if side.language != CUDA or self.gpu_name or not side.kernels:
            return None
        started = time.monotonic()
        if plan is None:
            second = cuda_build.run_side(build.binary, [], build.workdir, self.options, False, reverse_threads=True)
            differences = compare_stdout(first.stdout_text, second.stdout_text)
            data = b""
        else:
            second, data = self._rerun_cases(build, reverse_threads=True)
            differences = []
        self.timed("race_check", started)
        failure = self._run_failure(second, build, data, plan)
        if failure is not None:
            return failure
        if plan is not None:
            forward, backward = read_outputs(first_data, plan), read_outputs(data, plan)
            for case, (a, b) in enumerate(zip(forward, backward)):
                for output in plan.outputs:
                    differences += compare_values(output.name, a[output.name], b[output.name], case,
                                                  rtol=self.options.rtol, atol=self.options.atol, limit=1)
                if differences:
                    break
        if not differences:
            return None
        first_diff = differences[0]
        where = f"[{first_diff.index}]" if first_diff.index is not None else ""
        message = (f"data race: the result depends on the order in which the threads of a block run between "
                   f"barriers ({first_diff.output}{where} in case {first_diff.case} is {first_diff.expected} when "
                   f"threads run first to last, {first_diff.actual} when last to first); a missing "
                   f"__syncthreads()?")
        return message, [Diagnostic(str(side.path), 1, 1, "error", message)]

    def _run_failure(self, outcome, build, data: bytes, plan):
        self.warnings.extend(outcome.warnings)
        files = dict(build.path_map)
        explained = explain(outcome.stderr_text, files, set(build.kernels))
        if explained is not None:
            return explained.message, explained.diagnostics
        if plan is None:
            if outcome.timed_out or outcome.signal_name or outcome.memory_exceeded:
                return outcome.describe_failure(), []
            return None  # a program's exit status is compared, not judged
        if outcome.returncode != 0:
            tail = outcome.stderr_text.strip().splitlines()[-3:]
            return outcome.describe_failure() + (f": {' | '.join(tail)}" if tail else ""), []
        if len(read_outputs(data, plan)) != len(plan.cases):
            return "the harness wrote incomplete outputs", []
        return None

    # -- coverage ------------------------------------------------------------------------------
    def _covered(self, result: VerifyResult, source: SourceFile, candidate: SourceFile, harnesses, plan,
                 workdir: cuda_build.Workdirs) -> VerifyResult:
        """The source's coverage under the cases; more rounds of cases (new seed, other sizes),
        each verified like the first, while it rises (verify/coverage.py)."""
        started = time.monotonic()
        if self.gpu_name and source.language == CUDA:
            self.warnings.append("coverage: not measured on the GPU path (gcov instruments host code only)")
            return self.result(result.verdict, result.stage, result.message, cases=result.cases)
        build = cuda_build.build_side(source, harnesses[0], workdir, "coverage", False, self.options,
                                      opt_flags=COVERAGE_FLAGS)
        counts = Counts(str(source.path))
        report = self._instrumented_run(build, plan, counts) if build.ok else None
        if report is None:
            self.warnings.append("coverage: the instrumented build of the source did not give gcov counts")
            self.timed("coverage", started)
            return self.result(result.verdict, result.stage, result.message, cases=result.cases)
        entry, extents, domains = self._unit
        cases, rounds = len(plan.cases), 1
        while not report.complete and rounds <= MAX_ROUNDS:
            seed = self.options.seed + 7919 * rounds
            more = plan_cases(entry, extents, len(plan.cases), seed, domains, first_case=rounds * len(plan.cases))
            expected = self._reference(source, harnesses[0], more, workdir)
            actual = self._candidate(candidate, harnesses[1], more, workdir)
            self.inputs = more.inputs_summary
            verdict = self._compare(expected, actual, more)
            rounds += 1
            if not verdict.ok:
                if self._reproducer_plan is not None:  # the failing cases are this round's
                    self._reproducer_plan.case_lines = more.case_file.splitlines()[1:]
                    self._reproducer_plan.summaries = list(more.inputs_summary)
                verdict.message = f"coverage round {rounds} (seed {seed}): {verdict.message}"
                self.timed("coverage", started)
                return verdict
            cases += len(more.cases)
            new = self._instrumented_run(build, more, counts)
            improved = new is not None and new.better_than(report)
            report = new or report
            if not improved:
                break
        report.rounds = rounds
        self.inputs = plan.inputs_summary
        self.timed("coverage", started)
        return self.result(EQUIVALENT, None, f"equivalent on {cases} case(s); {report.summary()}", cases=cases,
                           coverage=report.to_dict())

    def _instrumented_run(self, build, plan, counts: Counts):
        cases = build.workdir / "cases.txt"
        cases.write_text(plan.case_file)
        out = build.workdir / "outputs.bin"
        out.unlink(missing_ok=True)
        # The instrumented source writes .gcda counts beside its objects: its folder stays writable.
        cuda_build.run_side(build.binary, [str(cases), str(out)], build.workdir, self.options, False, writable=None)
        return counts.report() if counts.add_run(build.workdir) else None

    # -- comparing ------------------------------------------------------------------------------
    def _compare(self, expected, actual, plan) -> VerifyResult:
        started = time.monotonic()
        mismatches: list[Mismatch] = []
        if plan is None:
            mismatches = compare_stdout(expected["stdout"], actual["stdout"],
                                        **({"rtol": FAST_MATH_TOLERANCE["float32"][0]} if self.options.fast_math
                                           else {}))
            if len(mismatches) < MAX_MISMATCHES:
                mismatches += compare_exit_status(expected["status"], actual["status"])
            cases = 1
        else:
            cases = len(plan.cases)
            undefined = getattr(self, "_undefined", None) or []
            if undefined:
                self.warnings.extend(undefined_cells.describe(undefined))
            for case, (exp, act) in enumerate(zip(expected, actual)):
                if case < len(undefined):
                    act = undefined_cells.mask_out(exp, act, undefined[case])
                for output in plan.outputs:
                    left = MAX_MISMATCHES - len(mismatches)
                    if left <= 0:
                        break
                    if output.text:
                        mismatches += compare_text(output.name, exp[output.name], act[output.name], case)
                        continue
                    mismatches += compare_values(output.name, exp[output.name], act[output.name], case,
                                                 rtol=self.options.rtol, atol=self.options.atol, limit=left,
                                                 fast_math=self.options.fast_math)
        self.timed("compare", started)
        if mismatches:
            first = mismatches[0]
            where = f"[{first.index}]" if first.index is not None else ""
            message = (f"outputs differ: {first.output}{where} in case {first.case}: expected {first.expected}, "
                       f"got {first.actual}")
            return self.result(NOT_EQUIVALENT, "compare", message, mismatches=mismatches, cases=cases)
        fast = " (candidate built with -ffast-math, fast-math tolerances)" if self.options.fast_math else ""
        return self.result(EQUIVALENT, None, f"equivalent on {cases} case(s){fast}", cases=cases)


register(CudaPair(CPP, CUDA))
register(CudaPair(CUDA, CPP))
