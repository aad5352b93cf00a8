"""`transverify dataset build|stats` and `transverify eval` through the real CLI, rules only."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.dataset.conftest import CORPUS, make_corpus, read_rows

CONTRACT_FILES = ("pairs.jsonl", "verified.jsonl", "dialogues.jsonl", "fixes.jsonl", "rejected.jsonl",
                  "manifest.json")
UNSUPPORTED = """\
subroutine uses_pointer(n, x)
  integer, intent(in) :: n
  real, pointer :: x(:)
  x(1) = real(n)
end subroutine uses_pointer
"""


def _stable(rows: list[dict]) -> list[dict]:
    """Rows without what legitimately differs between two runs (wall-clock times)."""
    return sorted((json.dumps({k: v for k, v in row.items() if k not in ("seconds",)}, sort_keys=True)
                   for row in rows))


def test_fifty_units_make_a_dataset_with_provenance_dedup_and_rejections(run_cli, tmp_path):
    corpus = make_corpus(tmp_path, 50)
    # The same routine twice (another folder, other comments and spacing) is translated once.
    first = sorted(corpus.glob("*.f90"))[0]
    (corpus / "copies").mkdir()
    (corpus / "copies" / first.name).write_text("! a copy\n\n" + first.read_text().replace("\n", "  \n"))
    (corpus / "pointer_dummy.f90").write_text(UNSUPPORTED)
    (corpus / "notes.txt").write_text("not a source file")
    out = tmp_path / "ds"

    done = run_cli("dataset", "build", str(corpus), "--to", "cpp", "--out", str(out), "--workers", "2", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    summary = json.loads(done.stdout)
    assert summary["units"] >= 51 and summary["duplicates_dropped"] == 1 and summary["ran"] == summary["units"]
    for name in CONTRACT_FILES:
        assert (out / name).exists(), name

    units = read_rows(out, "units")
    assert len(units) == summary["units"] and len({u["unit_id"] for u in units}) == len(units)
    verified, rejected = read_rows(out, "verified"), read_rows(out, "rejected")
    assert len(verified) + len(rejected) == len(units)
    assert len(verified) >= 45, [r["reason"] for r in rejected]
    # Every verified pair carries the test that verified it.
    for row in verified:
        assert row["translation"] and row["source_code"]
        test = row["test"]
        assert test["cases"] > 0 and test["tolerances"]
        if test["mode"] == "unit":
            assert test["harness"] and test["inputs"]
    # The unsupported routine is rejected with construct and line, not dropped.
    [pointer] = [r for r in rejected if r["entry"] == "uses_pointer"]
    assert pointer["status"] in ("unsupported", "refused") and pointer["reason"]
    # Dialogues in the messages format, named by the corpus-relative source file.
    dialogues = read_rows(out, "dialogues")
    assert dialogues and all({"id", "messages", "source_file"} <= set(d) for d in dialogues)
    assert all(d["source_file"].startswith("corpus/") for d in dialogues)
    assert all(m["role"] in ("system", "user", "assistant") for d in dialogues for m in d["messages"])
    pairs = read_rows(out, "pairs")
    assert {p["unit_id"] for p in pairs} >= {v["unit_id"] for v in verified}

    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["config"]["target"] == "cpp"
    for key in ("tool_version", "git_revision", "models", "prompt_versions", "seeds", "toolchain"):
        assert key in manifest, key
    assert "gfortran" in manifest["toolchain"] and manifest["prompt_versions"]["fortran_cpp"]
    assert manifest["units"]["duplicates_dropped"] == 1
    assert manifest["files"]["verified"] == len(verified)
    card = (out / "README.md").read_text()
    assert card.startswith("---\nconfigs:") and "path: dialogues.jsonl" in card

    # stats: text, JSON and a PNG chart.
    done = run_cli("dataset", "stats", str(out), "--json")
    assert done.returncode == 0, done.stderr
    stats = json.loads(done.stdout)
    assert stats["units"] == len(units) and stats["by_status"]["verified"] == len(verified)
    assert stats["pass_rates"]["verified"] == round(len(verified) / len(units), 4)
    assert sum(stats["rounds_histogram"].values()) == len(units)
    assert Path(stats["chart"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    done = run_cli("dataset", "stats", str(out), "--no-chart")
    assert done.returncode == 0 and "verified" in done.stdout and "top failure reasons" in done.stdout

    # A second build into the same folder without --resume is refused; nothing is lost.
    done = run_cli("dataset", "build", str(corpus), "--to", "cpp", "--out", str(out))
    assert done.returncode == 2 and "--resume" in done.stderr
    assert len(read_rows(out, "units")) == len(units)


def test_a_killed_build_resumes_without_redoing_or_duplicating(run_cli, tv_cmd, cli_env, tmp_path):
    corpus = make_corpus(tmp_path, 14)
    reference = tmp_path / "reference"
    done = run_cli("dataset", "build", str(corpus), "--to", "cpp", "--out", str(reference), "--workers", "2",
                   "--json")
    assert done.returncode == 0, done.stderr

    out = tmp_path / "killed"
    process = subprocess.Popen([*tv_cmd, "dataset", "build", str(corpus), "--to", "cpp", "--out", str(out),
                                "--workers", "2", "--json"], env=cli_env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(read_rows(out, "units")) < 4:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # the driver and its workers, mid-run
    process.wait()
    before = len(read_rows(out, "units"))
    assert 4 <= before < len(read_rows(reference, "units"))
    # Simulate the worst moment: data rows of an unfinished unit and a torn line on disk.
    with open(out / "pairs.jsonl", "a") as handle:
        handle.write(json.dumps({"id": "x", "unit_id": "unfinished", "pair": "fortran->cpp"}) + "\n{\"torn")

    done = run_cli("dataset", "build", str(corpus), "--to", "cpp", "--out", str(out), "--workers", "2",
                   "--resume", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["already_done"] == before and summary["ran"] == summary["units"] - before
    for name in ("units", "pairs", "verified", "dialogues", "fixes", "rejected"):
        assert _stable(read_rows(out, name)) == _stable(read_rows(reference, name)), name
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and [run["resumed"] for run in manifest["runs"]] == [False, True]


def test_eval_reports_compile_execution_and_verified_per_unit(run_cli, tmp_path):
    corpus = tmp_path / "bench"
    corpus.mkdir()
    for name in ("saxpy_cycle.f90", "binary_search.f90"):
        if (CORPUS / name).exists():
            shutil.copy(CORPUS / name, corpus / name)
    (corpus / "pointer_dummy.f90").write_text(UNSUPPORTED)
    report_path = tmp_path / "eval.json"
    done = run_cli("eval", str(corpus), "--to", "cpp", "--workers", "2", "--json", "--out", str(report_path))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report == json.loads(report_path.read_text())
    rows = {row["entry"]: row for row in report["units"]}
    assert rows["uses_pointer"]["cp"] is False and rows["uses_pointer"]["ut"] is False
    good = [row for row in report["units"] if row["ut"]]
    assert good and all(row["cp"] and row["ep"] and row["rounds"] >= 1 for row in good)
    summary = report["summary"]
    assert summary["units"] == len(report["units"])
    assert summary["verified"] == round(len(good) / len(report["units"]), 4)
    done = run_cli("eval", str(corpus), "--to", "cpp", "--workers", "1")
    assert done.returncode == 0 and "CP" in done.stdout and "verified" in done.stdout


def test_bad_input_is_a_clear_error(run_cli, tmp_path):
    done = run_cli("dataset", "build", str(tmp_path / "missing"), "--to", "cpp", "--out", str(tmp_path / "o"))
    assert done.returncode == 2 and "no such file or folder" in done.stderr and "Traceback" not in done.stderr
    done = run_cli("dataset", "build", str(tmp_path), "--to", "fortran", "--out", str(tmp_path / "o"))
    assert done.returncode == 2 and "unknown target" in done.stderr
    done = run_cli("dataset", "stats", str(tmp_path))
    assert done.returncode == 2 and "not a transverify dataset" in done.stderr
    done = run_cli("dataset", "build", str(tmp_path), "--to", "cpp", "--out", str(tmp_path / "o"),
                   "--engine", "ray", "--ray-address", "127.0.0.1:1")
    assert done.returncode == 2 and "Ray" in done.stderr and "Traceback" not in done.stderr


def test_the_files_load_with_hugging_face_datasets(run_cli, tmp_path, monkeypatch):
    datasets = pytest.importorskip("datasets", reason="Hugging Face datasets is not installed")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    corpus = make_corpus(tmp_path, 6)
    (corpus / "pointer_dummy.f90").write_text(UNSUPPORTED)
    out = tmp_path / "ds"
    done = run_cli("dataset", "build", str(corpus), "--to", "cpp", "--out", str(out), "--workers", "2", "--json")
    assert done.returncode == 0, done.stderr
    for name in ("pairs", "verified", "dialogues", "rejected"):
        rows = datasets.load_dataset("json", data_files=str(out / f"{name}.jsonl"), split="train")
        assert rows.num_rows == len(read_rows(out, name)) > 0, name
    # Through the dataset card: each non-empty file is a configuration of the folder.
    dialogues = datasets.load_dataset(str(out), "dialogues", split="train")
    assert dialogues.num_rows == len(read_rows(out, "dialogues"))
    assert set(dialogues.column_names) >= {"id", "messages", "source_file"}
