"""Acceptance corpus of the verification engine (issue 2).

Every folder under unit/, program/ and bad_input/ holds a Fortran source, C++
candidates and a case.toml that states, per candidate, the verdict the engine
must reach, where it must stop (stage) and, for wrong translations, which output
must be reported as a mismatch.  Each candidate is checked through the real CLI:
`transverify verify SOURCE CANDIDATE --json`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest


CORPUS = Path(__file__).resolve().parent
EXIT_CODES = {"equivalent": 0, "not_equivalent": 1, "error": 2}
# A generous ceiling: a hang of the engine must fail the test, not the CI job.
CLI_TIMEOUT = 240

pytestmark = pytest.mark.skipif(
    shutil.which("gfortran") is None or shutil.which("g++") is None,
    reason="the verification corpus needs gfortran and g++ (scripts/setup.sh installs them)",
)



@dataclass(frozen=True)
class Expectation:
    """What the engine must say about one candidate of one case."""

    id: str
    source: Path
    candidate: Path
    verdict: str
    entry: str | None = None
    stage: str | None = None
    output: str | None = None
    bug: str | None = None
    diagnostic_line: int | None = None
    source_diagnostic_line: int | None = None
    message_contains: tuple[str, ...] = ()
    extra_args: tuple[str, ...] = ()


def _case_id(folder: Path, cand: dict) -> str:
    # Candidates sharing a file differ by their source or entry: put those in the id.
    extras = [f"{key}={cand[key]}" for key in ("source", "entry") if key in cand]
    return "/".join([folder.parent.name, folder.name, cand["file"], *extras])


def load_expectations() -> list[Expectation]:
    found = []
    for manifest_path in sorted(CORPUS.glob("*/*/case.toml")):
        folder = manifest_path.parent
        manifest = tomllib.loads(manifest_path.read_text())
        for cand in manifest["candidates"]:
            if cand["verdict"] not in EXIT_CODES:
                raise ValueError(f"{manifest_path}: unknown verdict {cand['verdict']!r}")
            found.append(Expectation(
                id=_case_id(folder, cand),
                source=folder / (cand.get("source") or manifest["source"]),
                candidate=folder / cand["file"],
                verdict=cand["verdict"],
                entry=cand.get("entry", manifest.get("entry")),
                stage=cand.get("stage"),
                output=cand.get("output"),
                bug=cand.get("bug") or cand.get("note"),
                diagnostic_line=cand.get("diagnostic_line"),
                source_diagnostic_line=cand.get("source_diagnostic_line"),
                message_contains=tuple(cand.get("message_contains", ())),
                extra_args=tuple(cand.get("args", ())),
            ))
    return found


EXPECTATIONS = load_expectations()


def _run_verify(tv_cmd: list[str], case: Expectation) -> tuple[subprocess.CompletedProcess, dict | None]:
    argv = [*tv_cmd, "verify", str(case.source), str(case.candidate), "--json"]
    if case.entry:
        argv += ["--entry", case.entry]
    argv += list(case.extra_args)
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=CLI_TIMEOUT)
    try:
        payload = json.loads(proc.stdout)
    except json.JSONDecodeError:
        payload = None
    return proc, payload


def _describe(proc: subprocess.CompletedProcess, payload: dict | None) -> str:
    if payload is None:
        return f"exit {proc.returncode}\nstdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-3000:]}"
    brief = {k: payload.get(k) for k in ("verdict", "stage", "message", "mismatches", "diagnostics", "warnings")}
    return f"exit {proc.returncode}\n" + json.dumps(brief, indent=1, default=str)[:4000]


def _message_text(payload: dict) -> str:
    parts = [payload.get("message") or ""]
    for diag in payload.get("diagnostics") or []:
        parts.append(f"{diag.get('file')}:{diag.get('line')}: {diag.get('message')}")
    return "\n".join(parts)


@pytest.mark.parametrize("case", EXPECTATIONS, ids=[e.id for e in EXPECTATIONS])
def test_verify_corpus(tv_cmd, case: Expectation) -> None:
    proc, payload = _run_verify(tv_cmd, case)
    why = f"{case.id} ({case.bug or case.verdict}):\n{_describe(proc, payload)}"

    assert payload is not None, f"--json did not print one JSON object: {why}"
    assert payload["verdict"] == case.verdict, why
    assert proc.returncode == EXIT_CODES[case.verdict], why
    assert "traceback" not in (proc.stderr + proc.stdout).lower(), why

    if case.stage is not None:
        assert payload["stage"] == case.stage, why
    if case.verdict == "equivalent":
        assert payload["mismatches"] == [], why
        assert payload["cases"] >= 1, why
    if case.output is not None:
        reported = [m["output"] for m in payload["mismatches"]]
        assert case.output in reported, why
        first = payload["mismatches"][0]
        assert first["expected"] != first["actual"], why
    if case.diagnostic_line is not None:
        in_candidate = [d for d in payload["diagnostics"]
                        if Path(d["file"]).name == case.candidate.name and d["line"] == case.diagnostic_line]
        assert in_candidate, f"no diagnostic at {case.candidate.name}:{case.diagnostic_line}: {why}"
    if case.source_diagnostic_line is not None:
        in_source = [d for d in payload["diagnostics"]
                     if Path(d["file"]).name == case.source.name and d["line"] == case.source_diagnostic_line]
        assert in_source, f"no diagnostic at {case.source.name}:{case.source_diagnostic_line}: {why}"
    if case.message_contains:
        text = _message_text(payload).lower()
        for needle in case.message_contains:
            assert needle.lower() in text, f"message does not mention {needle!r}: {why}"
        if case.verdict == "error":
            # Exit 2 also explains itself to a person reading the terminal.
            human = subprocess.run([a for a in proc.args if a != "--json"], capture_output=True, text=True,
                                   timeout=CLI_TIMEOUT)
            assert human.returncode == 2, human.stdout + human.stderr
            assert "traceback" not in (human.stdout + human.stderr).lower(), human.stdout + human.stderr


def test_corpus_has_the_promised_breadth() -> None:
    """Issue 2 asks for at least 12 unit-mode and 6 program-mode cases, each with right and wrong translations."""
    folders = {kind: sorted(p.parent.name for p in (CORPUS / kind).glob("*/case.toml"))
               for kind in ("unit", "program", "bad_input")}
    assert len(folders["unit"]) >= 12, folders
    assert len(folders["program"]) >= 6, folders
    for kind in ("unit", "program"):
        for name in folders[kind]:
            manifest = tomllib.loads((CORPUS / kind / name / "case.toml").read_text())
            verdicts = {c["verdict"] for c in manifest["candidates"]}
            assert {"equivalent", "not_equivalent"} <= verdicts, f"{kind}/{name} needs a right and a wrong candidate"
