"""Parent side of the PyTorch -> JAX pair: check both files, run the torch reference and the
candidate in two separate sandboxed processes, compare their outputs here, and build
VerifyResults.

The reference process writes the cases' inputs and parameters (feed{n}.npz) and its outputs
(expected{n}.npz); the parent reads the outputs into memory and removes the reference's work
directory before the candidate starts in a work directory of its own that holds only the
candidate and the feed.  Nothing the candidate's process prints, exits with or writes decides a
verdict except the output arrays it hands back, which are compared here (compare_trees, numpy,
no pickle)."""

from __future__ import annotations

import shutil
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .. import sandbox
from ..errors import VerifyInputError
from ..options import VerifyOptions
from ..result import ERROR, NOT_EQUIVALENT, Diagnostic, VerifyResult
from .localise import localise
from .outcome import compare_job, from_report, result
from .spec import check_candidate, read_source_spec
from .transfer import TransferError, load_arrays, load_json, write_json

IMPORT_SECONDS = 30.0  # torch or jax start-up on a loaded 2-core machine, on top of the per-pair budget
MEMORY_MB = 16384  # XLA reserves address space generously
# Per-file size limit: the .npz files between the sides hold 8 cases of inputs (up to 2^20
# elements each after shrinking) and outputs.  The candidate's side sends its own stdout and
# stderr to /dev/null, so a chatty candidate cannot make the parent read this much text.
ARRAY_FILE_BYTES = 512 << 20
_WARM_LOCK = threading.Lock()  # one verification at a time on the warm sides
ENV = {"JAX_PLATFORMS": "cpu", "PYTHONDONTWRITEBYTECODE": "1", "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONHASHSEED": "0"}


@dataclass
class Job:
    source: Path
    candidate: Path
    options: VerifyOptions


def budget_seconds(options: VerifyOptions) -> float:
    """A pair's wall-clock budget on each side: 60 s or 6x --timeout, whichever is larger."""
    return max(60.0, 6 * options.timeout)


def verify_many(jobs: list[Job]) -> list[VerifyResult]:
    """Verify every (source, candidate): one reference process for all of them, then one
    candidate process for all of them, so a batch pays the torch and jax start-up once."""
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
            results[i] = result(NOT_EQUIVALENT, "compile_candidate", exc.describe(), spec.entry, mode,
                                diagnostics=[Diagnostic(exc.file or str(job.candidate), exc.line or 1, 1, "error",
                                                        exc.describe())])
            continue
        prepared.append((i, job, spec, round(time.monotonic() - started, 4)))
    if prepared:
        for (i, *_), verdict in zip(prepared, _verify_prepared(prepared)):
            results[i] = verdict
    return results  # type: ignore[return-value]


def _verify_prepared(prepared: list) -> list[VerifyResult]:
    from . import warm

    if len(prepared) == 1 and warm.enabled():
        with _WARM_LOCK:
            verdicts = _verify_on(prepared, _WarmPlace("reference"), _WarmPlace("candidate"))
            started = warm.starts()
            for verdict in verdicts:
                verdict.tools["worker"] = (f"warm (a fresh fork per side; sides started reference "
                                           f"{started.get('reference', 0)}x, candidate {started.get('candidate', 0)}x)")
            return verdicts
    return _verify_on(prepared, _FreshPlace("reference"), _FreshPlace("candidate"))


def _verify_on(prepared: list, reference_place, candidate_place) -> list[VerifyResult]:
    keep = prepared[0][1].options.keep_workdir
    reference_dir = reference_place.folder()
    try:
        references, sources = _run_references(prepared, reference_dir, reference_place)
    finally:
        if not keep:
            reference_place.remove(reference_dir)  # before the candidate starts: its outputs are gone
    out: list[VerifyResult | None] = [None] * len(prepared)
    pending = []
    for n, (i, job, spec, parse_time) in enumerate(prepared):
        report, feed, expected, acts = references[n]
        if not report.get("ok"):
            out[n] = from_report(report, spec.entry, job.options.mode, sources[n], parse_time)
        else:
            pending.append((n, job, spec, parse_time, report, feed, expected, acts))
    if pending:
        candidate_dir = candidate_place.folder()
        try:
            verdicts = _run_candidates(pending, candidate_dir, sources, candidate_place)
        finally:
            if not keep:
                candidate_place.remove(candidate_dir)
        localise(pending, verdicts, candidate_place, keep, candidate_payload)
        for (n, *_), verdict in zip(pending, verdicts):
            out[n] = verdict
    return out  # type: ignore[return-value]


class _FreshPlace:
    """A side run as a new sandboxed process in a new work directory."""

    def __init__(self, side: str):
        self.side = side

    def folder(self) -> Path:
        return sandbox.make_workdir(f"transverify-jax-{self.side[:4]}-")

    def remove(self, folder: Path) -> None:
        sandbox.remove_workdir(folder)

    def run(self, folder: Path, outputs: list[str], timeout: float, cancel):
        return sandbox.run([sys.executable, "-m", f"transverify.verify.torch_jax.{self.side}_side", "jobs.json"],
                           folder, _limits(timeout), env=ENV, cancel=cancel, code_dirs=_package_dirs(),
                           writable=outputs)


class _WarmPlace:
    """A side run by a fresh child of the language server's warm worker (warm.py)."""

    def __init__(self, side: str):
        from . import warm

        self.worker = warm.side(side, _limits(IMPORT_SECONDS), ENV, _package_dirs())

    def folder(self) -> Path:
        return self.worker.job_dir()

    def remove(self, folder: Path) -> None:
        self.worker.finish(folder)

    def run(self, folder: Path, outputs: list[str], timeout: float, cancel):
        return self.worker.submit(folder, timeout, cancel)


def _run_references(prepared: list, workdir: Path, place) -> tuple[list, list]:
    """Run every job's reference in one sandboxed process; (report, feed bytes, expected arrays)
    per job, and the names the reference's files had inside the sandbox."""
    payload, sources = [], []
    for n, (i, job, spec, _) in enumerate(prepared):
        folder = workdir / f"pair{n}"
        folder.mkdir()
        folder.chmod(0o755)
        source = folder / job.source.name
        shutil.copyfile(job.source, source)
        sources.append({str(source): str(job.source)})
        payload.append({"source": str(source), "spec": spec.to_dict(), "mode": job.options.mode,
                        "cases": job.options.cases, "seed": job.options.seed, "budget": budget_seconds(job.options)})
    write_json(workdir / "jobs.json", payload)
    timeout = IMPORT_SECONDS + sum(p["budget"] for p in payload)
    outputs = [f"{kind}{n}.{ext}" for n in range(len(payload))
               for kind, ext in (("ref", "json"), ("feed", "npz"), ("expected", "npz"), ("acts", "npz"))]
    outcome = place.run(workdir, outputs, timeout, prepared[0][1].options.cancel)
    references = []
    for n in range(len(payload)):
        try:
            report = load_json(workdir / f"ref{n}.json")
            if not isinstance(report, dict):
                raise TransferError(f"ref{n}.json is damaged")
            feed = (workdir / f"feed{n}.npz").read_bytes() if report.get("ok") else b""
            expected = load_arrays(workdir / f"expected{n}.npz") if report.get("ok") else {}
            acts = load_arrays(workdir / f"acts{n}.npz") if report.get("ok") else {}
        except (TransferError, OSError):
            why = outcome.describe_failure() if outcome.returncode != 0 or outcome.timed_out else "wrote no result"
            tail = outcome.stderr_text.strip().splitlines()[-3:]
            report, feed, expected, acts = {"verdict": ERROR, "stage": "compile_source",
                                      "message": f"the reference's process {why}"
                                                 + (f": {' | '.join(tail)}" if tail else ""),
                                      "warnings": list(outcome.warnings)}, b"", {}, {}
        report.setdefault("sandbox_warnings", list(outcome.warnings))
        references.append((report, feed, expected, acts))
    return references, sources


def _run_candidates(pending: list, workdir: Path, sources: list, place) -> list[VerifyResult]:
    payload, names = [], []
    for k, (n, job, spec, _, report, feed, *_) in enumerate(pending):
        job_payload, candidate = candidate_payload(workdir, k, job, spec, report, feed)
        names.append({str(candidate): str(job.candidate), **sources[n]})
        payload.append(job_payload)
    write_json(workdir / "jobs.json", payload)
    timeout = IMPORT_SECONDS + sum(p["budget"] for p in payload)
    outputs = [f"out{k}.{ext}" for k in range(len(payload)) for ext in ("json", "npz")]
    outcome = place.run(workdir, outputs, timeout, pending[0][1].options.cancel)
    verdicts = []
    for k, (n, job, spec, parse_time, report, _, expected, _) in enumerate(pending):
        try:
            actual_report = load_json(workdir / f"out{k}.json")
            actual = load_arrays(workdir / f"out{k}.npz")
        except TransferError:
            actual_report, actual = None, {}
        verdicts.append(compare_job(report, expected, actual_report, actual, outcome, job.options, spec.entry,
                                    names[k], parse_time))
    return verdicts


def candidate_payload(workdir: Path, k: int, job: Job, spec, report: dict, feed: bytes) -> tuple[dict, Path]:
    """Job k of a candidate run: the candidate and the feed copied into `workdir`, and what the
    candidate side is told (inputs and parameters, never the reference's outputs)."""
    folder = workdir / f"pair{k}"
    folder.mkdir()
    folder.chmod(0o755)
    candidate = folder / f"candidate_{job.candidate.name}"
    shutil.copyfile(job.candidate, candidate)
    (workdir / f"feed{k}.npz").write_bytes(feed)
    cases = report["cases"]
    return {"candidate": str(candidate), "entry": spec.entry, "kind": spec.kind, "mode": job.options.mode,
            "x64": bool(report.get("x64")), "budget": budget_seconds(job.options),
            "configs": [{key: c[key] for key in ("init", "state", "state_dtypes")} for c in report["configs"]],
            "cases": [{key: c[key] for key in ("family", "config", "inputs", "changed")} for c in cases],
            "order": interleaved([c["family"] for c in cases])}, candidate


def interleaved(families: list[str]) -> list[int]:
    """The order the candidate runs the cases in: one of each family first, so a run cut short
    still covers every family it reached."""
    seen: dict[str, int] = {}
    rank = []
    for k, family in enumerate(families):
        rank.append((seen.get(family, 0), k))
        seen[family] = seen.get(family, 0) + 1
    return [k for _, k in sorted(rank)]


def _limits(timeout: float) -> sandbox.Limits:
    return sandbox.Limits(timeout=timeout, memory_mb=MEMORY_MB, cpu_seconds=int(timeout * 8) + 10,
                          max_processes=1024, output_bytes=ARRAY_FILE_BYTES)


def _input_error(exc: VerifyInputError) -> VerifyResult:
    diagnostics = [Diagnostic(exc.file, exc.line or 1, 1, "error", exc.describe())] if exc.file else []
    return result(ERROR, exc.stage, exc.describe(), None, "eval", diagnostics=diagnostics)


def verify_one(source: Path, candidate: Path, options: VerifyOptions) -> VerifyResult:
    return verify_many([Job(source, candidate, options)])[0]


def _package_dirs() -> list[Path]:
    """Where transverify's packages live (an editable install maps them to source folders the
    sandbox does not otherwise show): the harness imports transverify.verify from there."""
    import transverify
    from transverify import verify

    return [Path(module.__file__).resolve().parent for module in (transverify, verify)]
