"""Corpora for the dataset tests, copied from the in-repo translator corpus into the test's
own folder (so nothing a run writes lands in the repository)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

CORPUS = REPO / "tests" / "corpus" / "fortran"


def make_corpus(folder: Path, units: int) -> Path:
    """At least `units` units (whole files, in name order), under folder/corpus."""
    from transverify.translators.dataset.units import units_of_file

    corpus = folder / "corpus"
    corpus.mkdir(parents=True)
    found = 0
    for path in sorted(CORPUS.glob("*.f90")):
        shutil.copy(path, corpus / path.name)
        found += len(units_of_file(path, "cpp"))
        if found >= units:
            break
    return corpus


def read_rows(folder: Path, name: str) -> list[dict]:
    path = folder / f"{name}.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith(("OPENAI_", "TRANSVERIFY_MODEL", "TRANSVERIFY_QUESTIONER"))}
    environ["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    return environ


@pytest.fixture
def run_cli(tv_cmd, cli_env):
    def run(*args: str, extra_env: dict[str, str] | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run([*tv_cmd, *args], env={**cli_env, **(extra_env or {})}, capture_output=True,
                              text=True, timeout=timeout)
    return run
