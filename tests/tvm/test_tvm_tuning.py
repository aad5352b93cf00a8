"""translate --solver tvm --trials N: MetaSchedule tuning, the per-target record cache, cancellation.

Budgets are tiny (2 trials, a 16^3 matmul, a fixed seed): these tests check the plumbing,
not the quality of the schedules.
"""

import json
import os
import signal
import stat
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("tvm", reason="apache-tvm (the optional 'tvm' extra) is not installed")
psutil = pytest.importorskip("psutil")

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples" / "cuda"
MATMUL = EXAMPLES / "matmul" / "matmul.cu"
SHAPE = ["--value", "m=16", "--value", "n=16", "--value", "k=16"]


@pytest.fixture(autouse=True)
def _cpu_execution(monkeypatch):
    monkeypatch.setenv("TRANSVERIFY_CUDA_EXECUTION", "cpu")


def _tune(tv_cmd, output: Path, *flags: str, env=None):
    return subprocess.run(tv_cmd + ["translate", str(MATMUL), "--to", "cpu", "--solver", "tvm", "-o", str(output),
                                    "--cases", "3", "--trials", "2", *SHAPE, "--json", "--no-measure", *flags],
                          capture_output=True, text=True, timeout=600, env=env)


def test_tuned_matmul_is_verified_cached_and_replayed_in_a_new_process(tv_cmd, tmp_path):
    cache = tmp_path / "cache"
    env = dict(os.environ, TRANSVERIFY_CACHE_DIR=str(cache))
    first = _tune(tv_cmd, tmp_path / "first.cpp", env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    report = json.loads(first.stdout)
    assert report["verdict"] == "equivalent"
    tvm = report["tvm"]
    assert tvm["cached"] is False and tvm["tuning_shape"] == {"m": 16, "n": 16, "k": 16}
    assert 1 <= tvm["trials"] <= 2
    code = (tmp_path / "first.cpp").read_text()
    # The tuned function at its shape, the default schedule for every other shape.
    assert "static void matmul_tuned(" in code and "static void matmul_any_shape(" in code
    assert "if (m == 16 && n == 16 && k == 16)" in code
    assert "Tuned by TVM MetaSchedule at m = 16, n = 16, k = 16" in code

    # One database per target (CPU model, cores, ISA), one per workload inside it; private folders.
    targets = list((cache / "tvm").iterdir())
    assert len(targets) == 1
    workloads = list(targets[0].iterdir())
    assert len(workloads) == 1 and (workloads[0] / "database_tuning_record.json").stat().st_size > 0
    for folder in (cache / "tvm", targets[0], workloads[0]):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700

    second = _tune(tv_cmd, tmp_path / "second.cpp", env=env)
    assert second.returncode == 0, second.stdout + second.stderr
    again = json.loads(second.stdout)["tvm"]
    assert again["cached"] is True and again["trials"] == tvm["trials"]
    assert (tmp_path / "second.cpp").read_text() == code  # no tuning, the same code


def test_a_larger_budget_searches_on_from_the_cached_records(tv_cmd, tmp_path):
    env = dict(os.environ, TRANSVERIFY_CACHE_DIR=str(tmp_path / "cache"))
    first = _tune(tv_cmd, tmp_path / "first.cpp", env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    before = json.loads(first.stdout)["tvm"]["trials"]
    first_code = (tmp_path / "first.cpp").read_text()
    # a cancelled extension leaves the cached run's records as they were
    proc = subprocess.Popen(tv_cmd + ["translate", str(MATMUL), "--to", "cpu", "--solver", "tvm",
                                      "-o", str(tmp_path / "cancelled.cpp"), "--trials", "64", *SHAPE, "--no-measure"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        for line in proc.stderr:
            if "searching on for 62 more" in line:
                break
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130 and not (tmp_path / "cancelled.cpp").exists()
    again = _tune(tv_cmd, tmp_path / "again.cpp", env=env)
    assert json.loads(again.stdout)["tvm"]["cached"] is True
    assert (tmp_path / "again.cpp").read_text() == first_code
    # a budget of 4 after one of 2: the search runs on for 2 more, and the records rank together
    more = _tune(tv_cmd, tmp_path / "more.cpp", "--trials", "4", env=env)
    assert more.returncode == 0, more.stdout + more.stderr
    report = json.loads(more.stdout)
    assert report["verdict"] == "equivalent", report
    tvm = report["tvm"]
    assert tvm["cached"] is False and tvm["searched_on_from"] == before and before < tvm["trials"] <= before + 2, tvm
    # the same budget again: replayed from the cache, the same code
    replay = _tune(tv_cmd, tmp_path / "replay.cpp", "--trials", "4", env=env)
    assert json.loads(replay.stdout)["tvm"]["cached"] is True
    assert (tmp_path / "replay.cpp").read_text() == (tmp_path / "more.cpp").read_text()


def test_sigterm_stops_tuning_and_its_worker(tv_cmd, tmp_path):
    cache = tmp_path / "cache"
    env = dict(os.environ, TRANSVERIFY_CACHE_DIR=str(cache))
    out = tmp_path / "mm.cpp"
    proc = subprocess.Popen(tv_cmd + ["translate", str(MATMUL), "--to", "cpu", "--solver", "tvm", "-o", str(out),
                                      "--trials", "64", *SHAPE, "--no-measure"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        for line in proc.stderr:  # progress lines; tuning has begun once it says so
            if "tuning with MetaSchedule" in line:
                break
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, stdout + stderr
    assert "Traceback" not in stdout + stderr
    assert not out.exists()
    workers = [p for p in psutil.process_iter(["cmdline", "environ"])
               if "tvm_cpu.tune_worker" in " ".join(p.info["cmdline"] or [])
               and (p.info["environ"] or {}).get("TRANSVERIFY_CACHE_DIR") == str(cache)]
    for worker in workers:  # stopped with its group; allow the kernel a moment to reap it
        try:
            worker.wait(timeout=30)
        except psutil.TimeoutExpired:
            pytest.fail(f"tuning worker {worker.pid} outlived the cancelled translation")


def test_tune_seconds_stops_the_search_at_the_budget(tv_cmd, tmp_path):
    env = dict(os.environ, TRANSVERIFY_CACHE_DIR=str(tmp_path / "cache"))
    out = tmp_path / "mm.cpp"
    proc = subprocess.run(tv_cmd + ["translate", str(MATMUL), "--to", "cpu", "--solver", "tvm", "-o", str(out),
                                    "--cases", "3", "--trials", "500", "--tune-seconds", "1", *SHAPE, "--json",
                                    "--no-measure"], capture_output=True, text=True, timeout=600, env=env)
    report = json.loads(proc.stdout)
    assert proc.returncode == 0 and report["verdict"] == "equivalent", proc.stdout
    if "trials" in report["tvm"]:  # a fast machine measured something within the second
        assert report["tvm"]["stopped"] == "time budget" and report["tvm"]["trials"] < 500
    else:  # starting the tuner alone takes longer than that here: the verified default schedule is kept
        assert report["tvm"]["notes"] == ["not tuned: no schedule was measured within --tune-seconds 1; "
                                          "give it more time"], report["tvm"]
        assert "default schedule, not tuned: no schedule was measured" in report["message"]
        code = out.read_text()
        header = code.split("#include")[0]
        assert "// Not tuned: no schedule was measured within --tune-seconds 1" in header
        assert "matmul_tuned" not in code and "void matmul(int m, int n, int k" in code
    assert not [p for p in psutil.process_iter(["cmdline"]) if str(out.parent) in " ".join(p.info["cmdline"] or [])]


def test_windowed_mean_whose_output_reads_two_reductions_tunes_and_verifies(tv_cmd, tmp_path):
    # mean[t] = used > 0 ? sum / used : 0 reads two reductions: MetaSchedule's tiling rule cannot
    # fuse it into either one's tiles; the block is tiled without it and the rest is searched as usual.
    window = Path(__file__).resolve().parent / "kernels" / "lift_causal_window.cu"
    out = tmp_path / "window.cpp"
    env = dict(os.environ, TRANSVERIFY_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.run(tv_cmd + ["translate", str(window), "--to", "cpu", "--solver", "tvm", "-o", str(out),
                                    "--cases", "3", "--trials", "2", "--value", "n=64", "--value", "W=5", "--json",
                                    "--no-measure"], capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    assert report["verdict"] == "equivalent" and 1 <= report["tvm"]["trials"] <= 2, report["tvm"]
    assert "notes" not in report["tvm"]
    code = out.read_text()
    assert "static void trailing_window_tuned(" in code and "if (n == 64 && W == 5)" in code
