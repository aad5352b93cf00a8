"""MetaSchedule tuning of one workload, run as its own process by `tuning.py`.

    python -m <package>.translators.tvm_cpu.tune_worker JOB_DIR

JOB_DIR holds `workload.json` (the IRModule, tvm.ir.save_json) and `job.json`
({"trials", "seed", "threads", "database", "cxx_flags"}: cxx_flags are the
compiler flags candidates get beyond tune_measure's own, e.g. -ffast-math).  Records go to the JSON database in
`database` as they are measured, so a run stopped early (time budget, Ctrl-C) keeps
what it measured.  Progress is one JSON object per line on stdout:
{"measured": k, "trials": N, "best_ms": t}.  Running apart lets the caller stop tuning
at once and keeps TVM's logging out of the caller's process.
Candidates are built and timed as emitted C++ (tune_measure.py); the design space is
TVM's default CPU rules with the tiling rule guarded (tune_rules.py).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from . import load_tvm


def _cpu_intrinsics_only() -> None:
    """MetaSchedule's TuneContext imports tvm.s_tir.tensor_intrin, whose package builds every
    CUDA tensor intrinsic first (about a minute on a busy 2-core machine).  A CPU tuning run
    needs only the x86 ones: register the package without running its __init__, then import
    those."""
    import importlib.util
    import types

    name = "tvm.s_tir.tensor_intrin"
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return
    package = types.ModuleType(name)
    package.__path__ = list(spec.submodule_search_locations)
    package.__package__ = name
    sys.modules[name] = package
    try:
        importlib.import_module(name + ".x86")
    except Exception:  # noqa: BLE001 - without them only int8 dot-product rules are missing
        pass


def main(job_dir: str) -> int:
    load_tvm()
    import tvm
    import tvm.s_tir

    _cpu_intrinsics_only()
    from tvm.ir.utils import derived_object
    from tvm.s_tir import meta_schedule as ms
    from tvm.target import Target

    job = json.loads((Path(job_dir) / "job.json").read_text())
    mod = tvm.ir.load_json((Path(job_dir) / "workload.json").read_text())
    trials, threads = int(job["trials"]), int(job["threads"])
    state = {"measured": 0, "best": None}

    @derived_object
    class Progress(ms.measure_callback.PyMeasureCallback):
        def apply(self, task_scheduler, task_id, measure_candidates, builder_results, runner_results):
            for result in runner_results:
                state["measured"] += 1
                if result.run_secs:
                    ms_time = 1000 * sum(float(s) for s in result.run_secs) / len(result.run_secs)
                    if state["best"] is None or ms_time < state["best"]:
                        state["best"] = ms_time
            print(json.dumps({"measured": state["measured"], "trials": trials, "best_ms": state["best"]}), flush=True)

    from .tune_measure import make_builder_runner
    from .tune_rules import design_space

    target = Target({"kind": "llvm", "num-cores": threads})
    database = ms.database.JSONDatabase(work_dir=job["database"])
    # Small budgets: a small population, and a random cost model (XGBoost learns nothing
    # from a handful of measurements but costs seconds per round).
    strategy = ms.search_strategy.EvolutionarySearch(
        population_size=max(16, min(512, 8 * trials)), init_min_unmeasured=max(8, min(50, 2 * trials)))
    builder, runner = make_builder_runner(Path(job_dir) / "builds", threads,
                                          tuple(str(f) for f in job.get("cxx_flags", [])))
    ms.tune_tir(
        mod, target, str(Path(job_dir) / "logs"), max_trials_global=trials,
        num_trials_per_iter=max(1, min(trials, 16)),
        space=design_space(), builder=builder, runner=runner, cost_model="xgb" if trials >= 32 else "random",
        database=database, strategy=strategy,
        measure_callbacks=[*ms.measure_callback.MeasureCallback.create("default"), Progress()],
        num_tuning_cores=1, seed=int(job["seed"]),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
