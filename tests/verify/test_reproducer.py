"""`verify --reproducer DIR`: a standalone folder that rebuilds both sides with the verifier's
flags, runs one generated case and shows the same mismatch, without transverify."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path


def run_reproducer(folder: Path) -> subprocess.CompletedProcess:
    # A plain environment: the reproducer needs the compilers and python3, not transverify.
    env = {"PATH": os.environ["PATH"], "HOME": str(folder)}
    return subprocess.run(["sh", str(folder / "run.sh")], capture_output=True, text=True, timeout=120, env=env,
                          cwd="/")


def test_reproducer_of_a_mismatching_case_shows_the_same_mismatch(verify_cli, examples, tmp_path):
    folder = tmp_path / "repro"
    code, payload, _ = verify_cli(examples / "saxpy.f90", examples / "saxpy_wrong.cpp", "--cases", "4",
                                  "--reproducer", folder, "--reproducer-case", "2")
    assert code == 1 and payload["verdict"] == "not_equivalent"
    assert payload["reproducer"] == {"directory": str(folder), "case": 2, "command": f"sh {folder / 'run.sh'}"}
    mismatch = next(m for m in payload["mismatches"] if m["case"] == 2)
    # Only the generated harness and copies of the user's two files, and the case itself.
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "README.md", "candidate/tv_driver.cpp", "candidate/user_candidate.cpp", "case.json", "compare.py",
        "inputs.bin", "reference/tv_driver.c", "reference/tv_wrapper.f90", "reference/user_source.f90", "run.sh"]
    assert (folder / "candidate" / "user_candidate.cpp").read_text() == (examples / "saxpy_wrong.cpp").read_text()
    assert "--cases 4 --seed 0" in (folder / "README.md").read_text()

    run = run_reproducer(folder)
    assert run.returncode == 1, run.stdout + run.stderr
    first = run.stdout.splitlines()[0]
    assert first.startswith(f"y{mismatch['index']}: expected ")
    expected, actual = (float(v) for v in first.split("expected ")[1].split(", got "))
    assert abs(expected - mismatch["expected"]) < 1e-6 and abs(actual - mismatch["actual"]) < 1e-6
    assert "not equivalent: 1 element(s) differ on case 2 of saxpy" in run.stdout


def test_reproducer_of_a_correct_translation_agrees(verify_cli, examples, tmp_path):
    folder = tmp_path / "ok"
    code, payload, _ = verify_cli(examples / "saxpy.f90", examples / "saxpy.cpp", "--cases", "2",
                                  "--reproducer", folder)
    assert code == 0 and payload["reproducer"]["case"] == 0  # no failing case: the first one
    run = run_reproducer(folder)
    assert run.returncode == 0 and "equivalent on case 0 of saxpy" in run.stdout, run.stdout + run.stderr


def test_reproducer_never_overwrites(verify_cli, tv_cmd, examples, tmp_path):
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    run = subprocess.run([*tv_cmd, "verify", str(examples / "saxpy.f90"), str(examples / "saxpy_wrong.cpp"),
                          "--reproducer", str(folder)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "not an empty directory; not overwriting it" in run.stderr
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]

    # Through the library: a link planted where the folder should go is not followed.
    from transverify.verify import VerifyOptions, verify

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "link").symlink_to(elsewhere)
    result = verify(examples / "saxpy.f90", examples / "saxpy_wrong.cpp",
                    VerifyOptions(cases=2, reproducer=tmp_path / "link"))
    assert result.reproducer is None and not any(elsewhere.iterdir())
    assert any("symbolic link" in w for w in result.warnings)
    shutil.rmtree(elsewhere)


def test_program_mode_reproducer_shows_the_differing_token(verify_cli, examples, tmp_path):
    folder = tmp_path / "program"
    code, payload, _ = verify_cli(examples / "harmonic.f90", examples / "harmonic_int_division.cpp",
                                  "--reproducer", folder)
    assert code == 1 and payload["mode"] == "program"
    assert payload["reproducer"] == {"directory": str(folder), "case": 0, "command": f"sh {folder / 'run.sh'}"}
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "README.md", "candidate/user_candidate.cpp", "case.json", "compare.py", "reference/user_source.f90", "run.sh"]
    first = payload["mismatches"][0]
    run = run_reproducer(folder)
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.stdout.splitlines()[0] == (f"stdout token {first['index']}: expected {first['expected']!r}, "
                                          f"got {first['actual']!r}")

    good = tmp_path / "good"
    code, payload, _ = verify_cli(examples / "harmonic.f90", examples / "harmonic.cpp", "--reproducer", good)
    assert code == 0 and payload["reproducer"]["case"] == 0
    run = run_reproducer(good)
    assert run.returncode == 0 and "equivalent on main program" in run.stdout, run.stdout + run.stderr
