"""Throughput of `transverify dataset build` with the rules only: units per minute on this
machine, a local pool of 1 and 2 workers and a Ray cluster of 2 worker CPUs, side by side in
one run.  The baseline is the local 1-worker run; Ray's overhead per unit is compared with
the local pool at equal workers.

Each configuration starts from an empty reference cache (every reference is compiled), so
the runs do the same work.  Ray is measured only when it is installed; the bench starts and
stops its own Ray head on loopback.

    .venv/bin/python bench/dataset.py [--limit 40] [--repeats 1]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "corpus" / "fortran"
TRANSVERIFY = str(Path(sys.executable).with_name("transverify"))
RAY = str(Path(sys.executable).with_name("ray"))
RAY_ENV = {"RAY_USAGE_STATS_ENABLED": "0", "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",
           "RAY_agent_register_timeout_ms": "180000"}


def build(engine: str, workers: int, limit: int, extra: list[str], env: dict[str, str]) -> tuple[float, int]:
    with tempfile.TemporaryDirectory(prefix="tv-bench-ds-") as folder:
        run_env = {**env, "TRANSVERIFY_CACHE_DIR": str(Path(folder) / "cache")}
        started = time.monotonic()
        done = subprocess.run([TRANSVERIFY, "dataset", "build", str(CORPUS), "--to", "cpp", "--solver", "rules",
                               "--out", str(Path(folder) / "ds"), "--workers", str(workers), "--engine", engine,
                               "--limit", str(limit), "--json", *extra], env=run_env, capture_output=True,
                              text=True)
        seconds = time.monotonic() - started
        if done.returncode != 0:
            raise SystemExit(f"{engine}/{workers}: exit {done.returncode}\n{done.stderr[-2000:]}")
        return seconds, json.loads(done.stdout)["units"]


def start_ray(temp: Path) -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    subprocess.run([RAY, "start", "--head", f"--port={port}", "--node-ip-address=127.0.0.1", "--num-cpus=2",
                    "--include-dashboard=false", "--disable-usage-stats", f"--temp-dir={temp}"],
                   env={**os.environ, **RAY_ENV}, check=True, capture_output=True)
    return f"127.0.0.1:{port}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=40, help="units per run")
    parser.add_argument("--repeats", type=int, default=1, help="runs per configuration (median reported)")
    args = parser.parse_args()

    configs = [("local", 1, []), ("local", 2, [])]
    ray_temp = None
    address = None
    try:
        import ray  # noqa: F401
        ray_temp = Path(tempfile.mkdtemp(prefix="tvray-"))
        address = start_ray(ray_temp)
        configs.append(("ray", 2, ["--ray-address", address]))
    except ImportError:
        print("Ray is not installed: only the local engine is measured (pip install 'transverify[ray]')")
    env = {**os.environ, **RAY_ENV}
    results = {}
    try:
        for engine, workers, extra in configs:
            times, units = [], 0
            for _ in range(args.repeats):
                seconds, units = build(engine, workers, args.limit, extra, env)
                times.append(seconds)
            results[(engine, workers)] = (statistics.median(times), units)
    finally:
        if address:
            subprocess.run([RAY, "stop", "--force"], env=env, capture_output=True)
        if ray_temp:
            shutil.rmtree(ray_temp, ignore_errors=True)

    base_seconds, base_units = results[("local", 1)]
    print(f"dataset build, rules only, {base_units} units of tests/corpus/fortran, median of {args.repeats} "
          f"run(s), cold reference cache, {os.cpu_count()} cores")
    print(f"{'engine':<8}{'workers':>8}{'seconds':>10}{'units/min':>11}{'s/unit':>9}{'vs local 1':>12}")
    for (engine, workers), (seconds, units) in results.items():
        print(f"{engine:<8}{workers:>8}{seconds:>10.1f}{60 * units / seconds:>11.1f}{seconds / units:>9.2f}"
              f"{base_seconds / seconds:>11.2f}x")
    if ("ray", 2) in results:
        overhead = results[("ray", 2)][0] / results[("local", 2)][0] - 1
        print(f"Ray overhead per unit vs local at 2 workers: {overhead:+.1%} (includes Ray's driver connect, "
              "about a second per run)")


if __name__ == "__main__":
    main()
