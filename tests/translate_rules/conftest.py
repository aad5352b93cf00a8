"""Helpers for the rule translator's tests: translate, compile with g++, verify with the engine."""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from transverify.translators.fortran_cpp import RuleTranslation, translate_source
from transverify.verify import VerifyOptions, verify

needs_compilers = pytest.mark.skipif(
    shutil.which("gfortran") is None or shutil.which("g++") is None,
    reason="verification needs gfortran and g++ (scripts/setup.sh installs them)")


def translate(source: str, entry: str | None = None, filename: str = "case.f90") -> RuleTranslation:
    return translate_source(textwrap.dedent(source), filename, entry)


def translated(source: str, entry: str | None = None) -> str:
    """The C++ of a source the rules must cover (fails the test with the reasons otherwise)."""
    result = translate(source, entry)
    assert result.code is not None, [str(u) for u in result.unsupported]
    assert result.unsupported == []
    return result.code


def compile_cpp(code: str, workdir: Path) -> None:
    path = workdir / "candidate.cpp"
    path.write_text(code)
    done = subprocess.run(["g++", "-std=c++17", "-fopenmp", "-Wall", "-Wextra", "-fsyntax-only", str(path)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr + "\n" + code
    assert "warning" not in done.stderr, done.stderr + "\n" + code


def verify_translation(source: str, workdir: Path, entry: str | None = None, cases: int = 6):
    """Translate, then let the verification engine compare the C++ with the Fortran."""
    code = translated(source, entry)
    compile_cpp(code, workdir)
    src = workdir / "source.f90"
    src.write_text(textwrap.dedent(source))
    cand = workdir / "candidate.cpp"
    result = verify(src, cand, VerifyOptions(entry=entry, cases=cases, seed=7))
    assert result.verdict == "equivalent", (result.message, [m.__dict__ for m in result.mismatches[:3]],
                                            [d.__dict__ for d in result.diagnostics[:3]], code)
    return code, result
