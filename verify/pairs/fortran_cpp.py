"""Fortran -> C++: program mode (compare stdout and exit status) and unit mode
(call the entry procedure and its translation on generated inputs, compare every output).

The reference and the candidate are built concurrently, each in its own sandboxed
directory, and run in their own sandboxes: the candidate can neither see nor touch the
reference's files. Compiled references (and, in unit mode, their outputs for a given
input file) are cached by content hash.
"""

from __future__ import annotations

import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .. import sandbox
from ..cache import ArtifactCache, cache_root, content_key
from ..domains import apply_fortran_domains, fortran_domains
from ..cpp_signature import CppFunction, parse_cpp
from ..diagnostics import parse_compiler_output, remap
from ..errors import Cancelled, VerifyInputError
from ..assumed_size import size_assumed
from ..common_blocks import check_common_sizes, common_members
from ..fortran_signature import FortranFile, Procedure, parse_fortran, select_entry
from ..legacy_runtime import fortran_runtime
from ..languages import CPP, FORTRAN
from ..options import VerifyOptions
from ..pch import cached_pch, stage_pch
from ..result import (EQUIVALENT, ERROR, NOT_EQUIVALENT, STAGE_COMPARE, STAGE_COMPILE_CANDIDATE,
                      STAGE_COMPILE_SOURCE, STAGE_PARSE, STAGE_RUN, Diagnostic, Mismatch, VerifyResult)
from ..toolchain import compile_in_sandbox, fast_linker_flags, find_tool, tool_version
from ..unit_harness import (candidate_driver, check_candidate_signature, fortran_wrapper, reference_driver,
                            returned_from_every_case, signature_warnings)
from . import Pair, register
from .fortran_program import program_mode
from .fortran_c_sources import c_failure, c_files, compile_c_objects, copy_c_sources
from .fortran_cpp_helpers import (bind_procedures, blank_lines, called_procedures, candidate_procedures, clock_outputs,
                                 openmp_flags, read_bytes, runs_past_column_72, stderr_tail, stopped_during)

from .fortran_cpp_settings import (CXX_UNIT_FLAGS, FORTRAN_FLAGS, HARNESS_VERSION, MAX_MISMATCHES,
                                  RUN_ENV, RUN_MEMORY_MB, UNIT_LINK_FLAGS)


class FortranCpp(Pair):
    name = "fortran->cpp"
    source_language = FORTRAN
    candidate_language = CPP

    def verify(self, source: Path, candidate: Path, options: VerifyOptions) -> VerifyResult:
        return _Verification(source, candidate, options).run()


register(FortranCpp())


class _Verification:
    def __init__(self, source: Path, candidate: Path, options: VerifyOptions):
        self.source, self.candidate, self.options = source, candidate, options
        self.timings: dict[str, float] = {}
        self.warnings: list[str] = []
        self.cache = ArtifactCache(cache_root(options.cache_dir))
        self.long_fixed_lines = False
        self.gfortran = find_tool("gfortran", options.toolchain)
        self.gxx = find_tool("gxx", options.toolchain)
        self.tools = {"gfortran": tool_version(self.gfortran), "g++": tool_version(self.gxx),
                      "sandbox": sandbox.isolation_mode()}
        self._plan = None  # ReproducerPlan, collected in unit mode when a reproducer is asked for
        self.not_compared: dict[str, str] = {}  # clock-fed outputs (verify/clock_outputs.py) -> why
        self._unit_domains: dict = {}  # value domains of the unit-mode inputs (verify/domains.py)

    # ---- shared steps ------------------------------------------------------------------

    def _timed(self, stage: str, started: float) -> None:
        self.timings[stage] = round(self.timings.get(stage, 0.0) + time.monotonic() - started, 4)

    def _check_cancel(self) -> None:
        if self.options.cancel is not None and self.options.cancel.is_set():
            raise Cancelled()

    def _result(self, verdict: str, stage: str | None, **fields) -> VerifyResult:
        warnings = list(dict.fromkeys(self.warnings + fields.pop("warnings", [])))
        return VerifyResult(verdict=verdict, stage=stage, timings=self.timings, pair=FortranCpp.name,
                            execution="native", tools=self.tools, warnings=warnings, **fields)

    def _build(self, key: str | None, workdir: Path, argv: list[str], output: str, pch=((), None)):
        """Compile (or fetch from the cache) one side; returns (binary path | None, compiler output, cached).

        With `pch` (flags, read-only files), a failed compile is retried without the precompiled
        header, so the header can speed a verdict up but never change it; a timed-out one is not
        (the header was not the cause)."""
        pch_flags, pch_files = pch
        if key is not None and self.options.use_cache:
            hit = self.cache.get(key, "binary")
            if hit is not None:
                target = workdir / output
                shutil.copy2(hit, target)
                return target, "", True
        with_pch = argv[:1] + list(pch_flags) + argv[1:]
        outcome = compile_in_sandbox(with_pch, workdir, workdir / output, cancel=self.options.cancel,
                                     timeout=self.options.compile_timeout, readonly=pch_files)
        if not outcome.ok and pch_flags and not outcome.timed_out:
            outcome = compile_in_sandbox(argv, workdir, workdir / output, cancel=self.options.cancel,
                                         timeout=self.options.compile_timeout)
        self.warnings.extend(outcome.warnings)
        if outcome.ok and key is not None:
            self.cache.put(key, "binary", outcome.binary)
        return outcome.binary, outcome.output, False

    def _pch(self, directory: Path, flags: list[str]) -> tuple[list[str], dict[str, Path] | None]:
        """(flags, read-only files) that use the cached standard-header PCH staged into `directory`."""
        if not self.options.use_cache:
            return [], None
        gch = cached_pch(self.gxx, self.tools["g++"], flags, self.cache)
        return stage_pch(gch, directory) if gch is not None else ([], None)

    def _limits_hint(self, outcome: sandbox.RunOutcome) -> str:
        """A crash may be the sandbox's limits speaking (a failed allocation segfaults too)."""
        if outcome.signal_name in ("SIGSEGV", "SIGABRT", "SIGKILL", "SIGBUS"):
            return f"; runs are limited to {RUN_MEMORY_MB} MiB of memory (memory limit)"
        return ""

    def _run(self, workdir: Path, argv: list[str], writable: list[str] | None) -> sandbox.RunOutcome:
        limits = sandbox.Limits(timeout=self.options.timeout, memory_mb=RUN_MEMORY_MB)
        outcome = sandbox.run(argv, workdir, limits, cancel=self.options.cancel, writable=writable,
                              env=RUN_ENV)
        self.warnings.extend(outcome.warnings)
        return outcome

    # ---- entry ---------------------------------------------------------------------------

    def run(self) -> VerifyResult:
        started = time.monotonic()
        ffile = parse_fortran(self.source, self.options.include_dirs)
        cfile = parse_cpp(self.candidate)
        self.long_fixed_lines = any(runs_past_column_72(p) for p in [self.source, *ffile.includes.values()])
        self._timed(STAGE_PARSE, started)
        workdir = sandbox.make_workdir()
        if self.options.keep_workdir:
            self.warnings.append(f"kept build directory {workdir}")
        try:
            if ffile.has_syntax_error:
                failed = self._syntax_check(workdir)
                if failed is not None:
                    return failed
            named = self.options.entry and any(p.name == self.options.entry.lower() for p in ffile.procedures)
            if ffile.has_program and not named:
                result = program_mode(self, FortranCpp.name, ffile, cfile, workdir)
            else:
                proc = select_entry(ffile, self.options.entry)
                result = self._unit_mode(ffile, proc, cfile, workdir)
            if self.options.reproducer is not None:
                from ..reproducer import write_for_result

                write_for_result(result, self._plan, self.options)
            return result
        finally:
            if not self.options.keep_workdir:
                sandbox.remove_workdir(workdir)

    def _syntax_check(self, workdir: Path) -> VerifyResult | None:
        """The grammar stumbled: let gfortran say whether the source really is broken, and where."""
        started = time.monotonic()
        check_dir = sandbox.make_subdir(workdir, "syntax")
        name = self._copy_user_file(self.source, check_dir, "user_source")
        ffile = parse_fortran(self.source, self.options.include_dirs)
        modules = [m for m in self._copy_modules(ffile, check_dir)]
        if modules:  # their .mod files must exist before the source is checked
            compile_in_sandbox([self.gfortran, "-fsyntax-only", *modules], check_dir, None, cancel=self.options.cancel,
                               timeout=self.options.compile_timeout)
        outcome = compile_in_sandbox([self.gfortran, "-fsyntax-only", *self._include_flags(), name], check_dir, None,
                                     cancel=self.options.cancel, timeout=self.options.compile_timeout)
        self._timed(STAGE_COMPILE_SOURCE, started)
        return None if outcome.ok else self._source_failed(outcome.output, name, 1)

    def _include_flags(self) -> list[str]:
        """The source is compiled from a copy: its own directory and -I DIRs stay searchable.
        Fixed-form statements that run past column 72 (NPB's generated npbparams.h) are read whole."""
        dirs = [self.source.resolve().parent, *(Path(d).resolve() for d in self.options.include_dirs)]
        return [f"-I{d}" for d in dirs] + (["-ffixed-line-length-none"] if self.long_fixed_lines else [])

    def _copy_modules(self, ffile: FortranFile, directory: Path) -> list[str]:
        """Sources of the modules the source USEs (found next to it or with -I), compiled first;
        INCLUDEd files copied under the name the source uses (the sandbox hides other directories)."""
        for name, path in ffile.includes.items():
            target = (directory / name).resolve()
            if directory.resolve() in target.parents:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
                target.chmod(0o644)
        names = []
        for index, path in enumerate([*ffile.module_sources, *ffile.external_sources]):
            names.append(self._copy_user_file(path, directory, f"tv_module{index}_{path.stem}"))
        return names + copy_c_sources(ffile, directory)

    def _candidate_c_objects(self, ffile: FortranFile, directory: Path, line: int) -> list[str] | VerifyResult:
        """The called C sources compiled for the candidate; an error of the source when one fails."""
        objects, failed = compile_c_objects(self.gxx, ffile, directory, cancel=self.options.cancel,
                                            timeout=self.options.compile_timeout, warnings=self.warnings)
        if failed is None:
            return objects
        diags, message = c_failure(failed, ffile, self.source, line)
        return self._result(ERROR, STAGE_COMPILE_SOURCE, diagnostics=diags, message=message)

    def _included_text(self, ffile: FortranFile) -> str:
        """INCLUDEd files and USEd module sources shape the reference: their text goes into its cache key."""
        parts = []
        for path in [*ffile.includes.values(), *ffile.module_sources, *ffile.external_sources, *c_files(ffile)]:
            try:
                parts.append(path.read_text(errors="replace"))
            except OSError:
                pass
        return "\n".join(parts)

    def _side_dirs(self, workdir: Path) -> tuple[Path, Path]:
        return sandbox.make_subdir(workdir, "reference"), sandbox.make_subdir(workdir, "candidate")

    def _copy_user_file(self, path: Path, directory: Path, stem: str) -> str:
        name = stem + path.suffix
        shutil.copyfile(path, directory / name)
        (directory / name).chmod(0o644)
        return name

    # ---- compile both sides concurrently ------------------------------------------------

    def _compile_both(self, ref_key, ref_dir, ref_argv, cand_dir, cand_argv, meanwhile=None, pch=((), None)):
        """Build both sides concurrently; `meanwhile()` runs in this thread while they compile."""
        started = time.monotonic()
        self.options.report("compiling reference")
        self.options.report("compiling candidate")
        with ThreadPoolExecutor(max_workers=2) as pool:
            ref_future = pool.submit(self._build, ref_key, ref_dir, ref_argv, "reference")
            cand_future = pool.submit(self._build, None, cand_dir, cand_argv, "candidate", pch)
            side = meanwhile() if meanwhile is not None else None
            ref = ref_future.result()
            cand = cand_future.result()
        # Both compiles overlap; each stage is charged with the wall time it kept us waiting.
        elapsed = time.monotonic() - started
        self.timings[STAGE_COMPILE_SOURCE] = round(elapsed if not ref[2] else 0.0, 4)
        self.timings[STAGE_COMPILE_CANDIDATE] = round(elapsed, 4)
        return ref, cand, side

    def _source_failed(self, output: str, source_name: str, line: int) -> VerifyResult:
        diags = remap(parse_compiler_output(output), {source_name: str(self.source)}, (str(self.source), line))
        first = next((d for d in diags if d.severity == "error"), None)
        message = "the source does not compile with gfortran" + (f": {first.file}:{first.line}: {first.message}"
                                                                   if first else f": {output.strip()[-400:]}")
        return self._result(ERROR, STAGE_COMPILE_SOURCE, diagnostics=diags, message=message)

    def _candidate_failed(self, output: str, cand_name: str, line: int, **fields) -> VerifyResult:
        parsed = parse_compiler_output(output)
        diags = remap(parsed, {cand_name: str(self.candidate)})
        if not any(d.severity == "error" for d in diags):
            # Only the harness's code failed (a type check, a call): say so at the function.
            diags = remap(parsed, {cand_name: str(self.candidate)}, (str(self.candidate), line))
        errors = [d for d in diags if d.severity == "error"]
        if not errors:
            diags.append(Diagnostic(str(self.candidate), line, 1, "error", output.strip()[-400:] or "compile failed"))
            errors = diags[-1:]
        first = errors[0]
        return self._result(NOT_EQUIVALENT, STAGE_COMPILE_CANDIDATE, diagnostics=diags,
                            message=f"the candidate does not compile: {first.file}:{first.line}: {first.message}",
                            **fields)

    # ---- unit mode ----------------------------------------------------------------------

    def _unit_mode(self, ffile: FortranFile, proc: Procedure, cfile, workdir: Path) -> VerifyResult:
        fields = {"mode": "unit", "entry": proc.name}
        fn = self._candidate_function(proc, cfile, workdir, allow_main=ffile.has_program)
        if isinstance(fn, VerifyResult):
            return fn
        try:
            proc.commons = common_members(proc)  # first: COMMON members may size assumed-size arrays
            size_assumed(proc, self.options.shapes)
            for each in ffile.procedures:  # sizes and levels passed on are bounded by the callees' use too
                if isinstance(each, Procedure):
                    each.callees = called_procedures(ffile, each)
            check_common_sizes(proc)
        except VerifyInputError as exc:
            exc.file = exc.file or str(self.source)
            raise VerifyInputError(exc.reason, file=exc.file, line=exc.line, construct=exc.construct) from None
        bind_procedures(ffile, proc, self.options.procedures, str(self.source))
        self.not_compared = clock_outputs(ffile, proc)
        for name, why in self.not_compared.items():
            if name == "result" and proc.result is not None:
                continue  # said under the function's own name
            self.warnings.append(f"'{name}' is {why}: two runs never share it, so it is not compared")
        passed = candidate_procedures(proc, cfile)
        if isinstance(passed, str):
            return self._result(NOT_EQUIVALENT, STAGE_COMPILE_CANDIDATE, message=passed,
                                diagnostics=[Diagnostic(str(self.candidate), fn.line, 1, "error", passed)], **fields)
        defined = {name.lower() for name in cfile.functions}
        proc.xerbla_output = "xerbla" in proc.externals and "xerbla" not in defined
        if "xerbla" in proc.externals and not proc.xerbla_output:
            self.warnings.append("the candidate defines its own xerbla: the argument number reported through "
                                 "XERBLA is not compared")
        problems = check_candidate_signature(proc, fn, cfile.text)
        if problems:
            diags = [Diagnostic(str(self.candidate), line, 1, "error", msg) for line, msg in problems]
            return self._result(NOT_EQUIVALENT, STAGE_COMPILE_CANDIDATE, diagnostics=diags,
                                message=f"{self.candidate}:{problems[0][0]}: {problems[0][1]}", **fields)
        self.warnings.extend(signature_warnings(proc, fn))
        ref_dir, cand_dir = self._side_dirs(workdir)
        src_name = self._copy_user_file(self.source, ref_dir, "user_source")
        if ffile.has_program:  # --entry picked a procedure: the main program stays out of the harness
            blank_lines(ref_dir / src_name, ffile.program_line, ffile.program_end)
        cand_name = self._copy_user_file(self.candidate, cand_dir, "user_candidate")
        wrapper, ref_driver = fortran_wrapper(proc), reference_driver(proc)
        cand_driver = candidate_driver(proc, fn, cand_name, defined=defined, functions=passed,
                                       rename_main=ffile.has_program and cfile.main_line is not None)
        runtime = fortran_runtime(proc.externals) if proc.externals else ""
        if runtime:
            (ref_dir / "tv_runtime.f90").write_text(runtime)
        (ref_dir / "tv_wrapper.f90").write_text(wrapper)
        (ref_dir / "tv_driver.c").write_text(ref_driver)
        (cand_dir / "tv_driver.cpp").write_text(cand_driver)
        fields["harness"] = (f"! ---- tv_wrapper.f90\n{wrapper}\n/* ---- tv_driver.c (reference) */\n{ref_driver}\n"
                             f"// ---- tv_driver.cpp (candidate)\n{cand_driver}")
        modules = self._copy_modules(ffile, ref_dir)
        # Only what the entry reaches is linked: other routines of the file may call procedures
        # that are not there (NPB's timers), which would otherwise fail the link.
        ref_files = [*modules, src_name, *(["tv_runtime.f90"] if runtime else []), "tv_wrapper.f90", "tv_driver.c"]
        ref_argv = [self.gfortran, *FORTRAN_FLAGS, *UNIT_LINK_FLAGS, *self._include_flags(), *fast_linker_flags(),
                    *ref_files,
                    "-o", "reference"]
        c_objects = self._candidate_c_objects(ffile, cand_dir, proc.line)
        if isinstance(c_objects, VerifyResult):
            return c_objects
        cand_argv = [self.gxx, *CXX_UNIT_FLAGS, *openmp_flags(cfile.text), *fast_linker_flags(), "tv_driver.cpp",
                     *c_objects, "-o", "candidate"]
        ref_key = content_key(HARNESS_VERSION, "unit", ffile.text, self._included_text(ffile), runtime, wrapper,
                              ref_driver, " ".join(FORTRAN_FLAGS + self._include_flags()),
                              self.tools["gfortran"], self.source.suffix)

        if self.options.reproducer is not None:  # before the PCH is staged: the user's files and the harness only
            from ..reproducer import unit_plan

            self._plan = unit_plan(self.source, self.candidate, self.options, proc, ref_dir, cand_dir,
                                   reference_compile=["FC", *FORTRAN_FLAGS, *UNIT_LINK_FLAGS, *ref_files, "-o", "reference"],
                                   candidate_compile=["CXX", *CXX_UNIT_FLAGS, *openmp_flags(cfile.text), "tv_driver.cpp",
                                                      "-o", "candidate"])

        def prepare_inputs():
            # Runs while the compilers work: numpy's import and input generation cost nothing extra.
            from ..unit_inputs import generate_cases, write_inputs

            started = time.monotonic()
            domains = fortran_domains(proc, self.options.ranges, ffile.text, str(self.source))
            fields["domains"] = [d.to_dict() for d in domains.values()]
            self._unit_domains = domains  # fresh cases drawn in place of rejected ones use them too
            try:
                cases = generate_cases(proc, self.options.cases, self.options.seed, self.options.values)
            except (KeyError, ValueError, ZeroDivisionError) as exc:
                return exc
            apply_fortran_domains(proc, cases, domains, self.options.seed)
            self.warnings.extend(note for case in cases for note in case.notes)  # constraints left unmet
            if self._plan is not None:
                self._plan.cases = cases
            inputs = write_inputs(proc, cases)
            for directory in (ref_dir, cand_dir):
                (directory / "inputs.bin").write_bytes(inputs)
                (directory / "inputs.bin").chmod(0o644)
            self._timed("generate", started)
            return cases, inputs

        pch = self._pch(cand_dir, CXX_UNIT_FLAGS + openmp_flags(cfile.text))
        (ref_bin, ref_out, _), (cand_bin, cand_out, _), prepared = self._compile_both(
            ref_key, ref_dir, ref_argv, cand_dir, cand_argv, meanwhile=prepare_inputs, pch=pch)
        if isinstance(prepared, Exception):
            raise VerifyInputError(f"cannot generate inputs for '{proc.name}': {prepared}", file=str(self.source),
                                   line=proc.line, construct="array extents")
        cases, inputs = prepared
        from ..unit_inputs import read_outputs, summarize

        outputs_key = content_key(ref_key, inputs)
        cached_outputs = self.cache.get(outputs_key, "outputs") if self.options.use_cache else None
        if ref_bin is None:
            return self._source_failed(ref_out, src_name, proc.line)
        if cand_bin is None:
            return self._candidate_failed(cand_out, cand_name, fn.line, **fields)
        self._check_cancel()
        self.options.report(f"running {len(cases)} cases")
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=2) as pool:
            ref_future = None
            if cached_outputs is None:
                ref_future = pool.submit(self._run, ref_dir, ["./reference", "inputs.bin", "outputs.bin"],
                                         ["outputs.bin"])
            cand_future = pool.submit(self._run, cand_dir, ["./candidate", "inputs.bin", "outputs.bin"],
                                      ["outputs.bin"])
            ref_run = ref_future.result() if ref_future else None
            cand_run = cand_future.result()
        dropped_note = ""
        if ref_run is not None and ref_run.returncode != 0 and not ref_run.cancelled:
            # Cases outside the routine's preconditions: left out, fresh ones drawn, both sides run again.
            accepted = self._accepted_cases(proc, cases, ref_dir, cand_dir)
            ref_run, cases, inputs, dropped_note = accepted.run, accepted.cases, accepted.inputs, accepted.note()
            if dropped_note:
                self.warnings.append(dropped_note)
            if self._plan is not None:
                self._plan.cases = cases
            if ref_run.returncode == 0:
                cand_run = self._run(cand_dir, ["./candidate", "inputs.bin", "outputs.bin"], ["outputs.bin"])
        self._timed(STAGE_RUN, started)
        fields["inputs"] = [summarize(c) for c in cases]
        if ref_run is not None:
            ref_data = read_bytes(ref_dir / "outputs.bin")
            if ref_run.returncode != 0:
                _, done = read_outputs(proc, cases, ref_data)
                # after cases were left out, the note names them; the output file says nothing more
                where = (f" on generated case {done} (sizes {cases[done].sizes})"
                         if done < len(cases) and not dropped_note else "")
                return self._result(ERROR, STAGE_RUN, cases=len(cases), message=(
                    f"the reference {ref_run.describe_failure()}{where}; "
                    + (dropped_note or "pin inputs it accepts with --value NAME=V (and --shape NAME=EXPR for array "
                       "extents)") + stderr_tail(ref_run)), **fields)
            if not returned_from_every_case(ref_data):  # it ended the program (STOP): one run per case
                return self._case_by_case(proc, cases, ref_dir, cand_dir, ref_data, fn, fields)
            if self.options.use_cache and not dropped_note:
                self.cache.put_bytes(outputs_key, "outputs", ref_data)
        else:
            ref_data = cached_outputs.read_bytes()
        cand_data = read_bytes(cand_dir / "outputs.bin")
        ref_values, _ = read_outputs(proc, cases, ref_data)
        cand_values, done = read_outputs(proc, cases, cand_data)
        if cand_run.returncode != 0:
            case = min(done, len(cases) - 1)
            reason = (f"the candidate {cand_run.describe_failure()} on case {case} (sizes {cases[case].sizes})"
                      + self._limits_hint(cand_run))
            return self._result(NOT_EQUIVALENT, STAGE_RUN, cases=len(cases), message=reason + stderr_tail(cand_run),
                                diagnostics=[Diagnostic(str(self.candidate), fn.line, 1, "error",
                                                        f"at run time: {reason}")], **fields)
        if not returned_from_every_case(cand_data):
            reason = (f"the candidate ended the program (exit status 0) {stopped_during(proc, cases, cand_data)} instead of "
                      f"returning from '{fn.name}', which the reference does")
            return self._result(NOT_EQUIVALENT, STAGE_RUN, cases=len(cases), message=reason + stderr_tail(cand_run),
                                diagnostics=[Diagnostic(str(self.candidate), fn.line, 1, "error",
                                                        f"at run time: {reason}")], **fields)
        self.options.report("comparing")
        started = time.monotonic()
        mismatches = self._compare(proc, cases, ref_values, cand_values)
        self._timed(STAGE_COMPARE, started)
        if mismatches:
            first = mismatches[0]
            where = f"{first.output}{first.index if isinstance(first.index, str) else ''}"
            if isinstance(first.index, int):
                where += f"[{first.index}]"
            return self._result(NOT_EQUIVALENT, STAGE_COMPARE, cases=len(cases), mismatches=mismatches,
                                message=(f"outputs differ: {where} in case {first.case} (sizes "
                                         f"{cases[first.case].sizes}): expected {first.expected}, got "
                                         f"{first.actual}"), **fields)
        message = f"all outputs match on {len(cases)} generated cases"
        if dropped_note:
            message += f" ({dropped_note})"
        if self.options.coverage:
            from .fortran_coverage import coverage_rounds

            extra = [*modules, *(["tv_runtime.f90"] if runtime else [])]
            rounds = coverage_rounds(self, proc, ffile, ref_dir, cand_dir, src_name, inputs, len(cases), extra)
            if rounds.report is not None:
                fields["coverage"] = rounds.report.to_dict()
            if rounds.failure is not None:
                stage, reason, mismatches = rounds.failure
                diagnostics = [] if mismatches else [Diagnostic(str(self.candidate), fn.line, 1, "error",
                                                                f"at run time: {reason}")]
                return self._result(NOT_EQUIVALENT, stage, cases=rounds.cases, mismatches=mismatches,
                                    diagnostics=diagnostics, message=reason, **fields)
            if rounds.report is not None:
                message = f"all outputs match on {rounds.cases} generated cases; {rounds.report.summary()}"
            return self._result(EQUIVALENT, None, cases=rounds.cases, message=message, **fields)
        return self._result(EQUIVALENT, None, cases=len(cases), message=message, **fields)

    def _case_by_case(self, proc: Procedure, cases, ref_dir: Path, cand_dir: Path, ref_data: bytes, fn,
                      fields: dict) -> VerifyResult:
        """The reference ended the program in some case: each case runs alone on both sides and
        is compared by what the reference did there (fortran_stops.py)."""
        from .fortran_stops import compare_case_by_case

        self.options.report(f"running {len(cases)} cases one by one: '{proc.name}' "
                            f"stopped the program {stopped_during(proc, cases, ref_data)}")
        if self.options.reproducer is not None:
            self.warnings.append("the reproducer compares the outputs of returning cases only: a case where "
                                 f"'{proc.name}' ends the program is not reproduced")
        started = time.monotonic()
        mismatches, stopped, failure = compare_case_by_case(self, proc, cases, ref_dir, cand_dir, MAX_MISMATCHES)
        self._timed(STAGE_RUN, started)
        if failure is not None:
            side, reason = failure
            if side == "reference":
                return self._result(ERROR, STAGE_RUN, cases=len(cases), message=reason, **fields)
            return self._result(NOT_EQUIVALENT, STAGE_RUN, cases=len(cases), message=reason, diagnostics=[
                Diagnostic(str(self.candidate), fn.line, 1, "error", f"at run time: {reason}")], **fields)
        if mismatches:
            first = mismatches[0]
            what = {"returned": (f"the reference {'returned' if first.expected else 'ended the program'}, the "
                                 f"candidate {'returned' if first.actual else 'ended the program'}"),
                    "exit_status": f"exit status {first.actual}, expected {first.expected}",
                    "stdout": f"stdout token {first.index}: expected {first.expected!r}, got {first.actual!r}"}.get(
                first.output, f"{first.output}{first.index if first.index is not None else ''}: expected "
                              f"{first.expected}, got {first.actual}")
            return self._result(NOT_EQUIVALENT, STAGE_COMPARE, cases=len(cases), mismatches=mismatches,
                                message=f"outputs differ in case {first.case}: {what}", **fields)
        return self._result(EQUIVALENT, None, cases=len(cases), message=(
            f"all {len(cases)} generated cases match, each run alone: '{proc.name}' ended the program in {stopped} "
            "(stdout and exit status compared) and returned in the others (outputs and stdout compared)"), **fields)

    def _accepted_cases(self, proc: Procedure, cases, ref_dir: Path, cand_dir: Path):
        from ..unit_inputs import generate_cases
        from .fortran_rejected import run_accepted

        domains = self._unit_domains

        def redraw(index: int):
            seed = self.options.seed + 7919 * (index + 1)
            fresh = generate_cases(proc, 1, seed, self.options.values, first_case=len(cases) + 5 * index + 1)
            apply_fortran_domains(proc, fresh, domains, seed)
            return fresh[0]

        return run_accepted(self, proc, list(cases), ref_dir, cand_dir, redraw)

    def _candidate_function(self, proc: Procedure, cfile, workdir: Path,
                            allow_main: bool = False) -> CppFunction | VerifyResult:
        fields = {"mode": "unit", "entry": proc.name}
        if cfile.main_line is not None and not allow_main:
            raise VerifyInputError("the candidate defines main(), but the source has no Fortran program: in unit "
                                   f"mode the harness calls '{proc.name}' itself", file=str(self.candidate),
                                   line=cfile.main_line, construct="main()", stage=STAGE_PARSE)
        fn = cfile.functions.get(proc.name)
        if fn is None:
            lower = {name.lower(): f for name, f in cfile.functions.items()}
            fn = lower.get(proc.name)
        if fn is None and cfile.syntax_error_line is not None:
            # The grammar could not find it in a broken file: g++ says what is broken, and where.
            check_dir = sandbox.make_subdir(workdir, "candidate-syntax")
            name = self._copy_user_file(self.candidate, check_dir, "user_candidate")
            outcome = compile_in_sandbox([self.gxx, *CXX_UNIT_FLAGS, "-fsyntax-only", name], check_dir, None,
                                         cancel=self.options.cancel, timeout=self.options.compile_timeout)
            if not outcome.ok:
                return self._candidate_failed(outcome.output, name, cfile.syntax_error_line, **fields)
        if fn is None:
            found = ", ".join(sorted(cfile.functions)) or "none"
            line = cfile.syntax_error_line or 1
            message = f"no function named '{proc.name}' in the candidate (found: {found})"
            return self._result(NOT_EQUIVALENT, STAGE_COMPILE_CANDIDATE, message=message,
                                diagnostics=[Diagnostic(str(self.candidate), line, 1, "error", message)], **fields)
        return fn

    def _compare(self, proc: Procedure, cases, ref_values, cand_values) -> list[Mismatch]:
        from ..compare import compare_values
        from ..unit_inputs import outputs_of

        mismatches: list[Mismatch] = []
        for index, (case, ref, cand) in enumerate(zip(cases, ref_values, cand_values)):
            for arg in outputs_of(proc):
                if arg.name in self.not_compared:
                    continue
                shape = case.shapes.get(arg.name)
                expected, actual = ref[arg.name], cand[arg.name]
                if not arg.is_array:  # 0-d: reported without an index
                    expected, actual = expected.reshape(()), actual.reshape(())
                # A bind(C) struct is compared field by field, as `p%x`.
                fields = [(f"{arg.name}%{f}", f) for f, _, _ in arg.struct.fields] if arg.struct else [(arg.name, None)]
                for name, field in fields:
                    found = compare_values(name, expected if field is None else expected[field],
                                           actual if field is None else actual[field], index, shape=shape,
                                           lower=case.lowers.get(arg.name), rtol=self.options.rtol,
                                           atol=self.options.atol, limit=MAX_MISMATCHES - len(mismatches))
                    mismatches.extend(found)
                if len(mismatches) >= MAX_MISMATCHES:
                    return mismatches
        return mismatches
