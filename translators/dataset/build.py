"""`transverify dataset build`: the driver.  Finds the units, hands them to an engine, writes
every result as it arrives (one writer), and keeps the manifest current, so a killed run
resumes where it stopped."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import manifest as manifest_mod
from .card import write_card
from .engines import run_units
from .units import Unit, discover
from .worker import JobConfig
from .writer import MANIFEST, DatasetWriter, read_jsonl, write_json_atomically


@dataclass
class BuildReport:
    out: Path
    units: int  # units in the corpus (after dedup and --limit)
    skipped_done: int  # already done by an earlier run (--resume)
    ran: int
    duplicates: int
    files_without_units: list[dict[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # status -> units
    interrupted: bool = False


ProgressHook = Callable[[str, Any], None]  # ("start", total) / ("unit", summary) / ("end", None)


def build_dataset(corpus: list[Path], config: JobConfig, out: Path, *, workers: int = 1, engine: str = "local",
                  ray_address: str | None = None, resume: bool = False, limit: int | None = None,
                  settings: Any = None, progress: ProgressHook | None = None) -> BuildReport:
    units, skipped, duplicates = discover(corpus, config.target)
    if limit is not None:
        units = units[:limit]
    writer = DatasetWriter(out, resume)
    try:
        done_before = writer.done & {u.id for u in units}
        todo = [u for u in units if u.id not in writer.done]
        info = _start_manifest(out, config, settings, engine, workers, corpus, resume)
        report = BuildReport(out=Path(out), units=len(units), skipped_done=len(done_before), ran=0,
                             duplicates=duplicates,
                             files_without_units=[{"source_file": s.source_file, "reason": s.reason} for s in skipped])
        if progress:
            progress("start", {"total": len(units), "done": len(done_before)})
        try:
            for rows in run_units(todo, config.to_dict(), engine, workers, ray_address):
                if writer.write(rows):
                    report.ran += 1
                    if progress:
                        progress("unit", rows["summary"])
        except KeyboardInterrupt:
            report.interrupted = True
        report.counts = _counts(writer.summaries.values())
        _finish_manifest(out, info, report, units)
        write_card(out, info, report.counts)
        if progress:
            progress("end", None)
        return report
    finally:
        writer.close()


def _start_manifest(out: Path, config: JobConfig, settings: Any, engine: str, workers: int, corpus: list[Path],
                    resume: bool) -> dict[str, Any]:
    path = Path(out) / MANIFEST
    previous = _read_manifest(path) if resume else None
    info = manifest_mod.provenance(config.to_dict(), settings, engine, workers, [str(p) for p in corpus])
    info["runs"] = (previous or {}).get("runs", [])
    info["runs"].append({"started": manifest_mod.timestamp(), "engine": engine, "workers": workers,
                         "resumed": bool(previous)})
    info["status"] = "running"
    write_json_atomically(path, info)
    return info


def _finish_manifest(out: Path, info: dict[str, Any], report: BuildReport, units: list[Unit]) -> None:
    info["status"] = "interrupted" if report.interrupted else "complete"
    info["runs"][-1].update({"finished": manifest_mod.timestamp(), "units_run": report.ran})
    info["units"] = {"in_corpus": report.units, "duplicates_dropped": report.duplicates,
                     "files_without_units": len(report.files_without_units), "by_status": report.counts}
    info["files"] = {name: _count_rows(Path(out) / f"{name}.jsonl")
                     for name in ("pairs", "verified", "dialogues", "fixes", "rejected")}
    write_json_atomically(Path(out) / MANIFEST, info)


def _read_manifest(path: Path) -> dict[str, Any] | None:
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _counts(summaries) -> dict[str, int]:
    counts: dict[str, int] = {}
    for summary in summaries:
        counts[summary["status"]] = counts.get(summary["status"], 0) + 1
    return dict(sorted(counts.items()))


def _count_rows(path: Path) -> int:
    return sum(1 for _ in read_jsonl(path))
