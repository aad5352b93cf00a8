"""Where a wrong candidate first goes wrong: for a job whose outputs differ, one more run of
the candidate side on the first mismatching case, eager, with its layers recording their
outputs (activations.py); the parent compares them with the reference's submodule outputs in
execution order and names the first submodule that differs."""

from __future__ import annotations

from ..result import NOT_EQUIVALENT
from .activations import first_difference
from .compare_trees import first_value_mismatch
from .transfer import TransferError, load_arrays, load_json, write_json

IMPORT_SECONDS = 30.0


def localise(pending: list, verdicts: list, place, keep: bool, make_payload) -> None:
    """Add `first_difference` (and a sentence of the message) to the verdicts it can localise."""
    todo = []
    for item, verdict in zip(pending, verdicts):
        _, job, spec, _, report, _, _, acts = item
        if verdict.verdict != NOT_EQUIVALENT or verdict.stage != "compare" or not verdict.mismatches \
                or spec.kind != "class":
            continue
        case = verdict.mismatches[0].case
        recorded = report["cases"][case].get("activations") or []
        reference = [(a["name"], a.get("type", ""), acts[a["array"]]) for a in recorded
                     if isinstance(a.get("array"), str) and a["array"] in acts]
        if reference:
            todo.append((item, verdict, case, reference))
    if not todo:
        return
    folder = place.folder()
    try:
        payload = []
        for k, ((_, job, spec, _, report, feed, _, _), _, case, _) in enumerate(todo):
            job_payload, _ = make_payload(folder, k, job, spec, report, feed)
            payload.append({**job_payload, "localise": case, "order": [case]})
        write_json(folder / "jobs.json", payload)
        outputs = [f"out{k}.{ext}" for k in range(len(payload)) for ext in ("json", "npz")]
        timeout = IMPORT_SECONDS + sum(p["budget"] for p in payload)
        place.run(folder, outputs, timeout, todo[0][0][1].options.cancel)
        for k, ((_, job, *_), verdict, case, reference) in enumerate(todo):
            try:
                answer, arrays = load_json(folder / f"out{k}.json"), load_arrays(folder / f"out{k}.npz")
            except TransferError:
                continue
            candidate = _recorded(answer, arrays)
            found = first_difference(reference, candidate,
                                     lambda e, a: first_value_mismatch(e, a, job.options.rtol, job.options.atol))
            if found is not None:
                found["case"] = case
                verdict.first_difference = found
                verdict.message += "; " + describe(found)
    finally:
        if not keep:
            place.remove(folder)


def _recorded(answer, arrays: dict) -> dict:
    """{dotted name: array} from the candidate side's untrusted answer."""
    out = {}
    records = answer.get("activations") if isinstance(answer, dict) else None
    for record in records if isinstance(records, list) else []:
        if isinstance(record, dict) and isinstance(record.get("name"), str) and isinstance(record.get("array"), str) \
                and record["array"] in arrays:
            out.setdefault(record["name"], arrays[record["array"]])
    return out


def describe(found: dict) -> str:
    where = f"the first submodule whose output differs is '{found['submodule']}' ({found['type']})"
    if "problem" in found:
        return f"{where}: {found['problem']}"
    return (f"{where}: at {found['index']} expected {found['expected']}, got {found['actual']} "
            f"({found['count']} of {found['of']} elements differ; {found['checked'] - 1} submodule(s) before it agree)")
