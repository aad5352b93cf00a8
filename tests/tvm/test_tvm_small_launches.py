"""A launch too small to pay for starting threads runs on one thread: each emitted parallel loop
is under `if (work >= N)`, work computed from the sizes before the loop, with the same loop
without the pragma in the else branch. Observed the way a user
would: libgomp starts its worker threads at the first parallel region that runs on more than
one, so a program whose launches all stayed on one thread has a single task."""

import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("tvm", reason="apache-tvm (the optional 'tvm' extra) is not installed")

KERNEL = Path(__file__).resolve().parent / "kernels" / "hostloop_steps.cu"

# calls the entry once at the size it is given, then prints how many threads the process has
DRIVER = textwrap.dedent("""\
    #include <cstdio>
    #include <cstdlib>
    #include <dirent.h>
    #include <vector>
    void run_steps(int n, int steps, float* u, float* v, const float* w, const float* src, float* r);
    int main(int argc, char** argv) {
        const int n = std::atoi(argv[1]), steps = 3;
        std::vector<float> u(n, 1.0f), v(n, 2.0f), w(n, 3.0f), src(steps, 1.0f), r(n);
        run_steps(n, steps, u.data(), v.data(), w.data(), src.data(), r.data());
        int tasks = 0;
        DIR* dir = opendir("/proc/self/task");
        while (dirent* entry = readdir(dir)) tasks += entry->d_name[0] != '.';
        closedir(dir);
        std::printf("%d %g\\n", tasks, r[0]);
    }
""")


@pytest.fixture(autouse=True)
def _cpu_execution(monkeypatch):
    monkeypatch.setenv("TRANSVERIFY_CUDA_EXECUTION", "cpu")


def _translate(tv_cli, out: Path, *values: str, env: dict | None = None) -> dict:
    argv = ["translate", str(KERNEL), "--to", "cpu", "--solver", "tvm", "--trials", "0", "--json", "--cases", "2",
            "-o", str(out)]
    for value in values:
        argv += ["--value", value]
    proc = tv_cli.run(argv, timeout=300, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(proc.stdout)


def _threads_at(tmp_path: Path, code: Path, n: int) -> int:
    driver = tmp_path / "driver.cpp"
    driver.write_text(DRIVER)
    program = tmp_path / f"{code.stem}_program"
    subprocess.run(["g++", "-O1", "-fopenmp", str(driver), str(code), "-o", str(program)], check=True, timeout=120)
    run = subprocess.run([str(program), str(n)], capture_output=True, text=True, timeout=60, check=True,
                         env={**os.environ, "OMP_NUM_THREADS": "2"})
    return int(run.stdout.split()[0])


def test_small_launches_run_on_one_thread_and_large_ones_on_all(tv_cli, tmp_path):
    out = tmp_path / "steps_cpu.cpp"
    result = _translate(tv_cli, out, "n=37", "steps=5")
    assert result["verdict"] == "equivalent", result
    code = out.read_text()
    header = code.split("#include", 1)[0]
    assert "Small launches: a parallel loop nest of fewer than 20480 (measured on a 2-core machine) statement" \
        in header, header
    # every launch's nest, ceil(n / 1024) chunks of at most 1024 cells, has a one-thread copy for fewer
    guard = "    if ((tv_floordiv<int64_t>((static_cast<int64_t>(n) + 1023), 1024) * 1024) >= 20480) {\n" \
            "        #pragma omp parallel for"
    assert code.count(guard) == 4, code
    assert code.count("    } else {  // too little work for threads: the same loop on one\n") == 4
    assert _threads_at(tmp_path, out, 1000) == 1
    assert _threads_at(tmp_path, out, 100000) == 2


def test_the_threshold_is_a_setting_and_zero_keeps_every_loop_parallel(tv_cli, tmp_path):
    out = tmp_path / "always_parallel.cpp"
    result = _translate(tv_cli, out, "n=37", "steps=5",
                        env={**os.environ, "TRANSVERIFY_TVM_PARALLEL_MIN_WORK": "0"})
    assert result["verdict"] == "equivalent", result
    code = out.read_text()
    assert "too little work" not in code and "Small launches" not in code
    assert code.count("    #pragma omp parallel for\n") == 3  # the fourth takes the streamed array's sizes
    assert _threads_at(tmp_path, out, 1000) == 2

    out = tmp_path / "low_threshold.cpp"
    _translate(tv_cli, out, "n=37", "steps=5", env={**os.environ, "TRANSVERIFY_TVM_PARALLEL_MIN_WORK": "512"})
    assert "fewer than 512 (TRANSVERIFY_TVM_PARALLEL_MIN_WORK)" in out.read_text()
    assert _threads_at(tmp_path, out, 1000) == 2


def test_a_launch_above_the_threshold_verifies_on_its_parallel_path(tv_cli, tmp_path):
    """At n = 30000 (30 chunks of 1024) every launch runs on both threads while it is verified."""
    result = _translate(tv_cli, tmp_path / "large.cpp", "n=30000", "steps=2")
    assert result["verdict"] == "equivalent", result


def test_a_call_of_a_few_nanoseconds_is_timed_in_batches(tv_cli, tmp_path):
    """saxpy at n = 256 on one thread takes tens of nanoseconds: each timing sample is a batch of
    calls (the same for every version), so the report rates it instead of rounding it to 0 ms."""
    saxpy = Path(__file__).resolve().parents[2] / "examples" / "cuda" / "saxpy" / "saxpy.cu"
    proc = tv_cli.run(["translate", str(saxpy), "--to", "cpu", "--solver", "tvm", "--trials", "0", "--json",
                       "--cases", "2", "--measure", "--value", "n=256", "-o", str(tmp_path / "saxpy_cpu.cpp")],
                      timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)["tvm"]
    assert report["calls_per_sample"] == 64, report  # 65536 elements over x and y's 512
    assert all(report["ms"][name] > 0 for name in ("tvm", "openmp", "serial")), report
    assert set(report["speedup"]) == {"vs_serial", "vs_openmp"}, report
