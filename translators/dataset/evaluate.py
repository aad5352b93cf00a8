"""`transverify eval`: a benchmark runner.  Per unit: compile pass (CP), execution pass (EP),
verified by the generated tests (UT), Solver rounds used, and where both sides are timed
apart, the speed-up of the translation over the reference (same machine, same run).  The
summary is comparable across models: same corpus, same seeds, same metrics."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any, Callable

from .engines import run_units
from .units import discover
from .worker import JobConfig


def evaluate(corpus: list[Path], config: JobConfig, *, workers: int = 1, engine: str = "local",
             ray_address: str | None = None, limit: int | None = None,
             progress: Callable[[str, Any], None] | None = None) -> dict[str, Any]:
    units, skipped, duplicates = discover(corpus, config.target)
    if limit is not None:
        units = units[:limit]
    order = {unit.id: k for k, unit in enumerate(units)}
    if progress:
        progress("start", {"total": len(units), "done": 0})
    rows = []
    for result in run_units(units, config.to_dict(), engine, workers, ray_address):
        summary = result["summary"]
        rows.append({"unit_id": summary["unit_id"], "source_file": summary["source_file"],
                     "entry": summary["entry"], "cp": summary["compile_pass"], "ep": summary["execution_pass"],
                     "ut": summary["status"] == "verified", "rounds": summary["rounds"],
                     "speedup": summary.get("speedup"), "status": summary["status"],
                     "reason": summary.get("reason"), "seconds": summary.get("seconds")})
        if progress:
            progress("unit", summary)
    if progress:
        progress("end", None)
    rows.sort(key=lambda row: order[row["unit_id"]])
    return {"target": config.target, "solver": config.solver, "questioner": config.questioner,
            "model": config.model, "max_rounds": config.max_rounds, "seed": config.seed, "cases": config.cases,
            "units": rows, "summary": summarize(rows), "duplicates_dropped": duplicates,
            "files_without_units": [{"source_file": s.source_file, "reason": s.reason} for s in skipped]}


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    total = len(rows)

    def share(key: str) -> float:
        return round(sum(1 for row in rows if row[key]) / total, 4) if total else 0.0

    speedups = [row["speedup"] for row in rows if row.get("speedup")]
    verified_rounds = [row["rounds"] for row in rows if row["ut"]]
    return {
        "units": total,
        "compile_pass": share("cp"),
        "execution_pass": share("ep"),
        "verified": share("ut"),
        "mean_rounds_verified": round(statistics.fmean(verified_rounds), 3) if verified_rounds else None,
        "median_speedup": round(statistics.median(speedups), 3) if speedups else None,
        "geomean_speedup": round(statistics.geometric_mean(speedups), 3) if speedups else None,
        "speedup_units": len(speedups),
    }
