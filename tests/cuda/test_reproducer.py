"""`verify --reproducer DIR` for C++ -> CUDA and CUDA -> C++: the folder rebuilds both sides
(a .cu on the CPU execution layer here, with nvcc where a GPU is), runs one case and shows the
verifier's verdict on it, without transverify."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "cuda"


def run_reproducer(folder: Path) -> subprocess.CompletedProcess:
    # A plain environment: the reproducer needs the compilers and python3, not transverify.
    env = {"PATH": os.environ["PATH"], "HOME": str(folder), "TRANSVERIFY_CUDA_EXECUTION": "cpu"}
    return subprocess.run(["sh", str(folder / "run.sh")], capture_output=True, text=True, timeout=180, env=env,
                          cwd="/")


def files_of(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_cpu_translation_with_a_wrong_result_reproduces_the_element(verify_json, tmp_path):
    folder = tmp_path / "repro"
    code, payload = verify_json(CORPUS / "reduce_sum" / "reduce_sum.cu", CORPUS / "reduce_sum" / "reduce_sum_wrong_init.cpp",
                                "--reproducer", str(folder), "--reproducer-case", "1")
    assert code == 1 and payload["reproducer"]["case"] == 1, payload
    mismatch = next(m for m in payload["mismatches"] if m["case"] == 1)
    assert files_of(folder) == [
        "README.md", "candidate/harness.cpp", "candidate/user_candidate.cpp", "case.json", "cases.txt", "compare.py",
        "reference/harness.cpp", "reference/tvcuda_runtime.h", "reference/user_source.cu",
        "reference/user_source_cpu.cpp", "run.sh"]
    assert (folder / "reference" / "user_source.cu").read_text() == (CORPUS / "reduce_sum" / "reduce_sum.cu").read_text()
    assert (folder / "cases.txt").read_text().startswith("1\n")

    run = run_reproducer(folder)
    assert run.returncode == 1, run.stdout + run.stderr
    first = run.stdout.splitlines()[0]
    assert first.startswith(f"{mismatch['output']}[{mismatch['index']}]: expected "), run.stdout
    expected, actual = (float(v) for v in first.split("expected ")[1].split(", got "))
    assert abs(expected - mismatch["expected"]) <= 1e-4 * abs(mismatch["expected"]) + 1e-6
    assert abs(actual - mismatch["actual"]) <= 1e-4 * abs(mismatch["actual"]) + 1e-6
    assert "on case 1 of reduce_sum" in run.stdout


def test_cuda_translation_agrees_and_a_racy_one_shows_the_race(verify_json, tmp_path):
    good = tmp_path / "good"
    code, payload = verify_json(CORPUS / "saxpy" / "saxpy.cpp", CORPUS / "saxpy" / "saxpy.cu", "--reproducer", str(good))
    assert code == 0 and payload["reproducer"]["case"] == 0, payload
    run = run_reproducer(good)
    assert run.returncode == 0 and "equivalent on case 0 of saxpy" in run.stdout, run.stdout + run.stderr
    assert "CUDA sides run on: cpu" in run.stderr

    racy = tmp_path / "racy"
    code, payload = verify_json(CORPUS / "reduce_sum" / "reduce_sum.cpp",
                                CORPUS / "reduce_sum" / "reduce_sum_wrong_nosync.cu", "--reproducer", str(racy))
    assert code == 1 and "data race" in payload["message"] and payload["reproducer"] is not None, payload
    run = run_reproducer(racy)
    assert run.returncode == 1 and "data race in the candidate" in run.stdout, run.stdout + run.stderr


def test_program_mode_reproduces_the_differing_token(verify_json, tmp_path):
    folder = tmp_path / "program"
    code, payload = verify_json(CORPUS / "program_sum" / "program_sum.cpp",
                                CORPUS / "program_sum" / "program_sum_wrong_last.cu", "--reproducer", str(folder))
    assert code == 1 and payload["mode"] == "program" and payload["reproducer"]["case"] == 0, payload
    first = payload["mismatches"][0]
    run = run_reproducer(folder)
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.stdout.splitlines()[0] == (f"stdout token {first['index']}: expected {first['expected']!r}, "
                                          f"got {first['actual']!r}")
