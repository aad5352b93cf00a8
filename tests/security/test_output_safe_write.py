"""Item 10: `translate -o` writes through a fresh exclusive temp file and a rename: a planted
`.X.transverify-partial` symlink is never followed, a failed write leaves nothing behind,
a read-only target is not replaced, and an unverified result never replaces an existing
file unless --force is given."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.security.server_support import SAXPY_F90, cli_env, run_cli

pytestmark = pytest.mark.skipif(shutil.which("gfortran") is None or shutil.which("g++") is None,
                                reason="gfortran and g++ are needed to verify translations")

# Skips the last element: compiles, runs, and is not equivalent.
UNVERIFIED_CANDIDATE = "void saxpy(int n, float a, const float* x, float* y) { for (int i = 0; i < n - 1; ++i) y[i] += a * x[i]; }\n"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "saxpy.f90"
    path.write_text(SAXPY_F90)
    return path


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if "transverify-partial" in p.name)


def test_a_planted_partial_symlink_is_not_followed(tmp_path: Path, source: Path):
    env = cli_env(tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (out_dir / ".saxpy.cpp.transverify-partial").symlink_to(victim)
    run = run_cli("translate", str(source), "--to", "cpp", "--solver", "rules", "-o", str(out_dir / "saxpy.cpp"),
                  env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert victim.read_text() == "precious\n"
    assert "void saxpy" in (out_dir / "saxpy.cpp").read_text()
    assert not (out_dir / "saxpy.cpp").is_symlink()
    assert _leftovers(out_dir) == [".saxpy.cpp.transverify-partial"]  # the planted link, untouched, nothing new


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path, source: Path):
    env = cli_env(tmp_path)
    out_dir = tmp_path / "out"
    (out_dir / "saxpy.cpp").mkdir(parents=True)  # cannot be replaced by a file
    run = run_cli("translate", str(source), "--to", "cpp", "--solver", "rules", "-o", str(out_dir / "saxpy.cpp"),
                  env=env)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "saxpy.cpp" in run.stdout
    assert sorted(p.name for p in out_dir.iterdir()) == ["saxpy.cpp"]
    assert (out_dir / "saxpy.cpp").is_dir()


def test_a_read_only_target_is_not_replaced(tmp_path: Path, source: Path):
    env = cli_env(tmp_path)
    target = tmp_path / "saxpy.cpp"
    target.write_text("// mine\n")
    target.chmod(0o444)
    run = run_cli("translate", str(source), "--to", "cpp", "--solver", "rules", "-o", str(target), "--force", env=env)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "read-only" in run.stdout and "Traceback" not in run.stdout + run.stderr
    assert target.read_text() == "// mine\n"
    assert _leftovers(tmp_path) == []


def test_an_unverified_result_needs_force_to_replace_a_file(tmp_path: Path, source: Path):
    from tests.support.scripted_llm import ScriptedLLM

    env = cli_env(tmp_path)
    target = tmp_path / "saxpy.cpp"
    target.write_text("// my careful translation\n")
    os.utime(target, (1, 1))

    def translate(*extra: str):
        with ScriptedLLM() as llm:
            llm.reply(f"```cpp\n{UNVERIFIED_CANDIDATE}```")
            return run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", "--max-rounds", "1",
                           "--base-url", llm.base_url, "--model", "m", "-o", str(target), *extra, env=env)

    refused = translate()
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "--force" in refused.stdout and "NOT verified" in refused.stdout
    assert target.read_text() == "// my careful translation\n"
    assert _leftovers(tmp_path) == []

    forced = translate("--force")
    assert forced.returncode == 1, forced.stdout + forced.stderr
    assert target.read_text() == UNVERIFIED_CANDIDATE
    assert _leftovers(tmp_path) == []
