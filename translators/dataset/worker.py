"""One unit through the translate pipeline, where the work happens (a pool process or a Ray
worker).  The pipeline records into a private, temporary record store; what it recorded
comes back as plain JSON rows, and only the driver writes the dataset (one writer: a task
retried after a worker died cannot write twice).

Row ids derive from the unit's content hash, not from random ids, so the same corpus gives
the same dataset whichever engine ran it.
"""

from __future__ import annotations

import shutil
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .units import Unit


@dataclass
class JobConfig:
    """What every unit of one `dataset build` shares; plain data, so it pickles to any worker."""

    target: str
    solver: str = "auto"
    questioner: str = "rules"
    max_rounds: int = 3
    cases: int = 8
    seed: int = 0
    timeout: float = 10.0
    model: str | None = None
    questioner_model: str | None = None
    base_url: str | None = None
    api_key_env: str | None = None
    shapes: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def run_unit(unit_data: dict[str, Any], config_data: dict[str, Any]) -> dict[str, Any]:
    """Translate and verify one unit; never raises (a bug of ours becomes a rejected row)."""
    unit, config = Unit.from_dict(unit_data), JobConfig(**config_data)
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="transverify-dataset-"))
    try:
        rows = _run(unit, config, folder)
    except Exception as exc:  # noqa: BLE001 - reported as data, the run goes on
        rows = _rows_for_failure(unit, f"internal error in transverify: {exc.__class__.__name__}: {exc}",
                                 traceback.format_exc(limit=6))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    rows["summary"]["seconds"] = round(time.monotonic() - started, 3)
    return rows


def _run(unit: Unit, config: JobConfig, folder: Path) -> dict[str, Any]:
    from ..llm import ConfigError, resolve_settings
    from ..pipeline import TranslateRequest, translate
    from ..records import RecordStore
    from ...verify import VerifyOptions

    try:
        settings = resolve_settings(base_url=config.base_url, model=config.model,
                                    questioner_model=config.questioner_model, api_key_env=config.api_key_env)
    except ConfigError as exc:
        return _rows_for_failure(unit, str(exc))
    store = RecordStore.open(folder / "records.sqlite", enabled=True)
    try:
        options = VerifyOptions(entry=unit.entry, cases=config.cases, seed=config.seed, timeout=config.timeout,
                                shapes=dict(config.shapes), values=dict(config.values))
        request = TranslateRequest(source=Path(unit.path), target=unit.target, entry=unit.entry,
                                   solver=config.solver, questioner=config.questioner,
                                   max_rounds=config.max_rounds, llm=settings, store=store,
                                   verify_options=options)
        outcome = translate(request)
        return _rows(unit, outcome, store)
    finally:
        store.close()


def _rows(unit: Unit, outcome: Any, store: Any) -> dict[str, Any]:
    from ..records.export import iter_records

    result = outcome.result
    pair = result.pair if result is not None and result.pair else f"{unit.language}->{unit.target}"
    base = {"unit_id": unit.id, "source_file": unit.source_file, "entry": unit.entry}
    dialogues = []
    for k, record in enumerate(iter_records(store, "messages")):
        dialogues.append({"id": f"{unit.id}-d{k}", "messages": record["messages"],
                          "source_file": unit.source_file, "unit_id": unit.id, "entry": unit.entry, "pair": pair})
    pairs = [dict(base, id=f"{unit.id}-p{k}", pair=row["pair"], source_code=row["source_code"],
                  target_code=row["target_code"], verdict=row["verdict"], origin=row["origin"])
             for k, row in enumerate(store.code_pairs())]
    fixes = [dict(base, id=f"{unit.id}-f{k}", pair=row["pair"], source_code=row["source_code"],
                  before=row["before"], error_context=row["error_context"], after=row["after"], origin=row["origin"])
             for k, row in enumerate(store.fixes())]
    verified, rejected = [], []
    status = _status(outcome)
    if status == "verified":
        source_code = Path(unit.path).read_text(encoding="utf-8")
        verified.append(dict(base, id=unit.id, pair=pair, source_code=source_code, translation=outcome.code,
                             solver=outcome.solver_used, rounds=outcome.rounds, test=_test_of(result)))
    else:
        rejected.append(dict(base, id=unit.id, pair=pair, status=status, exit_code=outcome.exit_code,
                             verdict=outcome.verdict, stage=result.stage if result else None,
                             reason=outcome.message, rounds=outcome.rounds,
                             unsupported=[{"line": u.line, "construct": u.construct, "message": u.message}
                                          for u in outcome.unsupported]))
    summary = dict(base, status=status, exit_code=outcome.exit_code, verdict=outcome.verdict,
                   stage=result.stage if result else None, rounds=outcome.rounds,
                   messages=max((len(d["messages"]) for d in dialogues), default=0),
                   compile_pass=_compile_pass(result), execution_pass=_execution_pass(result),
                   reason=None if status == "verified" else _reason(outcome), solver=outcome.solver_used,
                   speedup=_speedup(result), execution=result.execution if result else None)
    return {"summary": summary, "pairs": pairs, "verified": verified, "dialogues": dialogues, "fixes": fixes,
            "rejected": rejected}


def _status(outcome: Any) -> str:
    if outcome.exit_code == 0:
        return "verified"
    if outcome.exit_code == 1:
        return "not_verified"
    return "unsupported" if outcome.unsupported else "refused"


def _reason(outcome: Any) -> str:
    """A short, stable reason for grouping failures ("unsupported: GO TO", "compile_candidate", ...)."""
    if outcome.unsupported:
        return f"unsupported: {outcome.unsupported[0].construct}"
    result = outcome.result
    if result is not None and result.stage:
        return f"{result.verdict} at {result.stage}"
    return outcome.message.split(":")[0][:80] if outcome.message else "unknown"


def _compile_pass(result: Any) -> bool:
    """The translation compiled: the verification got past compiling the candidate."""
    if result is None:
        return False
    if result.verdict == "equivalent":
        return True
    return result.stage in ("run", "compare")


def _execution_pass(result: Any) -> bool:
    """The translation ran to completion on every case (its outputs may still differ)."""
    if result is None:
        return False
    if result.verdict == "equivalent":
        return True
    return result.stage == "compare" and not any(m.output in ("exit_status",) for m in result.mismatches)


def _speedup(result: Any) -> float | None:
    """Reference run time over translation run time, measured in the same verification (the
    pairs that time each side separately); None where they are not timed apart."""
    if result is None or result.verdict != "equivalent":
        return None
    source, candidate = result.timings.get("run_source"), result.timings.get("run_candidate")
    if not source or not candidate:
        return None
    return round(source / candidate, 3)


def _test_of(result: Any) -> dict[str, Any]:
    """The generated test that verified the pair: enough to re-run it elsewhere."""
    return {"mode": result.mode, "entry": result.entry, "cases": result.cases, "harness": result.harness,
            "inputs": result.inputs, "execution": result.execution, "tools": result.tools,
            "tolerances": _tolerances(result)}


def _tolerances(result: Any) -> dict[str, Any]:
    """The comparison rules the verdict was reached under (the engine's per-type defaults)."""
    from ...verify.compare import default_tolerance

    if result.mode == "program":
        return {"stdout": {"rtol": 1e-4, "atol": 1e-6}, "exit_status": "exact"}
    table = {}
    for dtype in ("float32", "float64"):
        rtol, atol_scale = default_tolerance(dtype)
        table[dtype] = {"rtol": rtol, "atol_scale": atol_scale}
    table["integer"] = "exact"
    return table


def _rows_for_failure(unit: Unit, message: str, details: str = "") -> dict[str, Any]:
    base = {"unit_id": unit.id, "source_file": unit.source_file, "entry": unit.entry}
    summary = dict(base, status="error", exit_code=2, verdict=None, stage=None, rounds=0, messages=0,
                   compile_pass=False, execution_pass=False, reason=message.split(":")[0][:80], solver="none")
    rejected = [dict(base, id=unit.id, pair=f"{unit.language}->{unit.target}", status="error", exit_code=2,
                     verdict=None, stage=None, reason=message, details=details, rounds=0, unsupported=[])]
    return {"summary": summary, "pairs": [], "verified": [], "dialogues": [], "fixes": [], "rejected": rejected}
