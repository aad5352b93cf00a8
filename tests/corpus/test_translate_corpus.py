"""Acceptance corpus of the rule-based Fortran -> C++ translator (issue 3).

Every source under fortran/ goes through the real command
`transverify translate SRC --to cpp --solver rules -o OUT --json`:
- a source listed in unsupported.toml must give exit 2, naming its construct
  and the line where it occurs;
- every other source must be translated *and verified* (exit 0).
Translator defects found here stay in known_failures.toml as strict xfails.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent
SOURCES = sorted((CORPUS / "fortran").glob("*.f90"))
UNSUPPORTED = tomllib.loads((CORPUS / "unsupported.toml").read_text())
KNOWN_FAILURES = tomllib.loads((CORPUS / "known_failures.toml").read_text())
# Translation plus verification of one small source; a hang must fail the test, not the job.
CLI_TIMEOUT = 300

pytestmark = pytest.mark.skipif(
    shutil.which("gfortran") is None or shutil.which("g++") is None,
    reason="the translator corpus is verified with gfortran and g++ (scripts/setup.sh installs them)",
)


def _param(path: Path):
    known = KNOWN_FAILURES.get(path.stem)
    marks = [pytest.mark.xfail(strict=True, reason=known["reason"])] if known else []
    return pytest.param(path, id=path.stem, marks=marks)


def _translate(tv_cli, source: Path, out: Path) -> tuple[subprocess.CompletedProcess, dict | None]:
    argv = ["translate", str(source), "--to", "cpp", "--solver", "rules", "-o", str(out), "--json"]
    proc = tv_cli.run(argv, timeout=CLI_TIMEOUT)
    try:
        payload = json.loads(proc.stdout)
    except json.JSONDecodeError:
        payload = None
    return proc, payload


def _lines_mentioned(payload, text: str) -> set[int]:
    """Line numbers the report points at: values of any "line" field, and file:LINE / 'line N' in text."""
    found: set[int] = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "line" and isinstance(value, int):
                    found.add(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(payload)
    found.update(int(m) for m in re.findall(r"\.f90:(\d+)", text))
    found.update(int(m) for m in re.findall(r"\bline\s+(\d+)", text, flags=re.IGNORECASE))
    return found


def _summary(proc: subprocess.CompletedProcess, payload) -> str:
    if payload is None:
        return f"exit {proc.returncode}\nstdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-3000:]}"
    return f"exit {proc.returncode}\n" + json.dumps(payload, default=str)[:4000]


def test_corpus_size_and_manifests_agree() -> None:
    """At least 45 sources, and both manifests name only files that exist."""
    stems = {p.stem for p in SOURCES}
    assert len(stems) >= 45, len(stems)
    assert set(UNSUPPORTED) <= stems, set(UNSUPPORTED) - stems
    assert set(KNOWN_FAILURES) <= stems, set(KNOWN_FAILURES) - stems


@pytest.mark.parametrize("source", [_param(p) for p in SOURCES])
def test_translate_corpus(tv_cli, tmp_path, source: Path) -> None:
    out = tmp_path / f"{source.stem}.cpp"
    proc, payload = _translate(tv_cli, source, out)
    why = f"{source.name}: {_summary(proc, payload)}"
    assert payload is not None, f"--json did not print one JSON object: {why}"
    assert "traceback" not in (proc.stdout + proc.stderr).lower(), why

    expected = UNSUPPORTED.get(source.stem)
    if expected is None:
        assert proc.returncode == 0, why
        # The verified translation is the file written to -o (the engine compiled exactly that).
        assert out.is_file() and out.stat().st_size > 0, why
        assert payload["result"]["verdict"] == "equivalent", why
        assert payload["result"]["mismatches"] == [], why
    else:
        assert proc.returncode != 0, f"now translated and verified: remove it from unsupported.toml: {why}"
        assert proc.returncode == 2, why
        text = proc.stdout + proc.stderr
        assert any(name.lower() in text.lower() for name in expected["names"]), \
            f"{expected['construct']} not named: {why}"
        assert _lines_mentioned(payload, text) & set(expected["lines"]), \
            f"no line of the {expected['construct']} named: {why}"
