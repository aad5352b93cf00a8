"""Parent side of the PyTorch -> JAX pair: check both files, run the harness for one or many
(source, candidate) pairs in one sandboxed process, and build VerifyResults."""

from __future__ import annotations

import json
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .. import sandbox
from ..errors import VerifyInputError
from ..options import VerifyOptions
from ..result import ERROR, NOT_EQUIVALENT, Diagnostic, Mismatch, VerifyResult
from .spec import check_candidate, read_source_spec

PAIR_NAME = "pytorch->jax"
IMPORT_SECONDS = 30.0  # torch + jax start-up on a loaded 2-core machine, on top of the per-pair budget
MEMORY_MB = 16384  # XLA reserves address space generously


@dataclass
class Job:
    source: Path
    candidate: Path
    options: VerifyOptions


def budget_seconds(options: VerifyOptions) -> float:
    """A pair's wall-clock budget inside the harness: 60 s or 6x --timeout, whichever is larger."""
    return max(60.0, 6 * options.timeout)


def verify_many(jobs: list[Job]) -> list[VerifyResult]:
    """Verify every (source, candidate) in one sandboxed harness process: torch and jax are
    imported once, so a batch costs the 2-3 s start-up once instead of per pair."""
    results: list[VerifyResult | None] = [None] * len(jobs)
    prepared = []
    for i, job in enumerate(jobs):
        started = time.monotonic()
        try:
            spec = read_source_spec(job.source, job.options.entry, job.options.inputs)
        except VerifyInputError as exc:
            results[i] = _input_error(exc)
            continue
        mode = job.options.mode
        if mode not in ("eval", "train"):
            results[i] = _input_error(VerifyInputError(f"unknown mode '{mode}': use eval or train",
                                                       construct="--mode"))
            continue
        try:
            check_candidate(job.candidate, spec.entry)
        except VerifyInputError as exc:
            results[i] = _result(NOT_EQUIVALENT, "compile_candidate", exc.describe(), spec.entry, mode,
                                 diagnostics=[Diagnostic(exc.file or str(job.candidate), exc.line or 1, 1, "error",
                                                         exc.describe())])
            continue
        prepared.append((i, job, spec, round(time.monotonic() - started, 4)))
    if not prepared:
        return results  # type: ignore[return-value]
    workdir = sandbox.make_workdir("transverify-jax-")
    try:
        payload, names = [], {}
        for n, (i, job, spec, _) in enumerate(prepared):
            folder = workdir / f"pair{n}"
            folder.mkdir()
            folder.chmod(0o755)
            source, candidate = folder / job.source.name, folder / f"candidate_{job.candidate.name}"
            shutil.copyfile(job.source, source)
            shutil.copyfile(job.candidate, candidate)
            names[str(source)], names[str(candidate)] = str(job.source), str(job.candidate)
            payload.append({"source": str(source), "candidate": str(candidate), "spec": spec.to_dict(),
                            "mode": job.options.mode, "cases": job.options.cases, "seed": job.options.seed,
                            "rtol": job.options.rtol, "atol": job.options.atol,
                            "budget": budget_seconds(job.options)})
        jobs_file, results_file = workdir / "jobs.json", workdir / "results.json"
        jobs_file.write_text(json.dumps(payload))
        timeout = IMPORT_SECONDS + sum(p["budget"] for p in payload)
        first_options = prepared[0][1].options
        outcome = sandbox.run([sys.executable, "-m", "transverify.verify.torch_jax.harness", str(jobs_file),
                               str(results_file)], workdir,
                              sandbox.Limits(timeout=timeout, memory_mb=MEMORY_MB, cpu_seconds=int(timeout * 8) + 10,
                                             max_processes=1024),
                              env={"JAX_PLATFORMS": "cpu", "PYTHONDONTWRITEBYTECODE": "1",
                                   "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONHASHSEED": "0"},
                              cancel=first_options.cancel, code_dirs=_package_dirs())
        try:
            raw = json.loads(results_file.read_text()) if results_file.exists() else []
        except (OSError, ValueError):
            raw = []
        for n, (i, job, spec, parse_time) in enumerate(prepared):
            if n < len(raw):
                results[i] = _from_harness(raw[n], spec.entry, job.options.mode, names, parse_time,
                                           outcome.warnings)
            else:
                why = outcome.describe_failure() if outcome.returncode != 0 or outcome.timed_out else "no result"
                tail = outcome.stderr_text.strip().splitlines()[-3:]
                stage = "run" if n == len(raw) else None
                verdict = NOT_EQUIVALENT if outcome.timed_out and n == len(raw) else ERROR
                results[i] = _result(verdict, stage, f"the verification harness {why}"
                                     + (f": {' | '.join(tail)}" if tail else ""), spec.entry, job.options.mode,
                                     warnings=list(outcome.warnings))
    finally:
        if not first_options.keep_workdir:
            sandbox.remove_workdir(workdir)
    return results  # type: ignore[return-value]


def _result(verdict: str, stage: str | None, message: str, entry: str | None, mode: str, **fields) -> VerifyResult:
    return VerifyResult(verdict=verdict, stage=stage, message=message, pair=PAIR_NAME, mode=mode, entry=entry,
                        execution="cpu (torch reference, jax.jit candidate)",
                        tools={"sandbox": sandbox.isolation_mode()}, **fields)


def _input_error(exc: VerifyInputError) -> VerifyResult:
    diagnostics = [Diagnostic(exc.file, exc.line or 1, 1, "error", exc.describe())] if exc.file else []
    return _result(ERROR, exc.stage, exc.describe(), None, "eval", diagnostics=diagnostics)


def _rename(text: str, names: dict[str, str]) -> str:
    for inside, outside in names.items():
        text = text.replace(inside, outside)
    return text


def _from_harness(raw: dict, entry: str, mode: str, names: dict[str, str], parse_time: float,
                  sandbox_warnings: list[str]) -> VerifyResult:
    diagnostics = [Diagnostic(names.get(d["file"], d["file"]), d["line"], d["column"], d["severity"],
                              _rename(d["message"], names)) for d in raw.get("diagnostics", [])]
    fields = set(Mismatch.__dataclass_fields__)
    mismatches = [Mismatch(**{k: v for k, v in m.items() if k in fields}) for m in raw.get("mismatches", [])]
    timings = {"parse": parse_time, **raw.get("timings", {})}
    warnings = list(sandbox_warnings) + [_rename(w, names) for w in raw.get("warnings", [])]
    if raw.get("problems"):
        warnings += raw["problems"][1:]
    result = _result(raw.get("verdict", ERROR), raw.get("stage"), _rename(raw.get("message", ""), names), entry,
                     mode, diagnostics=diagnostics, mismatches=mismatches, cases=raw.get("cases", 0),
                     timings=timings, warnings=warnings, inputs=raw.get("inputs", []))
    if raw.get("x64"):
        result.tools["jax_enable_x64"] = "on (the reference uses 64-bit types)"
    return result


def verify_one(source: Path, candidate: Path, options: VerifyOptions) -> VerifyResult:
    return verify_many([Job(source, candidate, options)])[0]


def _package_dirs() -> list[Path]:
    """Where transverify's packages live (an editable install maps them to source folders the
    sandbox does not otherwise show): the harness imports transverify.verify from there."""
    import transverify
    from transverify import verify

    return [Path(module.__file__).resolve().parent for module in (transverify, verify)]
