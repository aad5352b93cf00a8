"""Background tuning of the TVM action's result, and applying the tuned code.

After the instant result (the default schedule, timed), the server tunes the same unit
with MetaSchedule in a child process (translators/tvm_cpu/background.py), with the
`transverify.tvm.trials` budget (0: no tuning).  It is a work-done progress of its own:
the client's cancel stops it, and so do an edit or the closing of the source, a new TVM
translation of the unit and shutdown; the child's whole process tree is stopped.  When the
tuned code verifies and measured at least `tvm.minSpeedup` times the default schedule's
speed-up over the naive OpenMP translation, it becomes the offer: the code action and the
code lenses apply it (`transverify.applyTunedTvm {uri, entry}`), the lens and hover show its
speed-up.  State lives in server/tvm_offers.py.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.uris import to_fs_path

from ..tvm_offers import (APPLY_TUNED, TvmOffer, compared_ratio, is_fresh, offer_key, offers_for_source,
                          text_digest, tuned_offer)
from .delivery import deliver
from .jobs import Job
from .tvm_child import run_in_child

log = logging.getLogger(__name__)

_TASKS: set = set()  # running tuning coroutines (a task nobody holds may be collected)


def register(server) -> None:
    @server.command(APPLY_TUNED)
    async def apply_tuned_command(ls, *args: Any) -> dict:
        spec = args[0] if len(args) == 1 and isinstance(args[0], dict) else None
        if spec is None or not isinstance(spec.get("uri"), str) or not isinstance(spec.get("entry"), (str, type(None))):
            message = f"{APPLY_TUNED} expects one argument {{uri, entry}}"
            ls.show(f"transverify: {message}", types.MessageType.Error)
            return {"status": "error", "message": message}
        return await apply_tuned(ls, spec["uri"], spec.get("entry"))


def _path(uri: str) -> Path:
    return Path(to_fs_path(uri) or uri)


ALL_UNITS = object()


def stop_tuning_of(ls, source: Path, reason: str, entry: Any = ALL_UNITS) -> None:
    """Cancel the tuning runs of this source's units (their offers no longer match it), or of
    the one unit `entry` names."""
    for offer in offers_for_source(ls, source):
        if entry is ALL_UNITS or offer.entry == entry:
            _stop(offer, reason)


def _stop(offer: TvmOffer, reason: str) -> None:
    if offer.state != "tuning":
        return
    offer.stop_reason = offer.stop_reason or reason
    if offer.job is not None:
        offer.job.cancel.set()


def after_instant_result(ls, job, outcome, *, source: Path, entry: str | None, target: Path, settings) -> None:
    """Remember the TVM action's verified result as the unit's offer; start tuning it."""
    previous = ls.tvm_offers.pop(offer_key(source, entry), None)
    if previous is not None:
        _stop(previous, "a new translation of it")
    if job.cancel.is_set() or outcome.exit_code != 0 or outcome.code is None:
        return
    try:
        text = source.read_text(encoding="utf-8", errors="replace")  # what the pipeline translated
    except OSError:
        return
    offer = TvmOffer(source=str(source.resolve()), entry=entry, target=str(target), digest=text_digest(text),
                     default_code=outcome.code, default_speedup=dict((outcome.tvm or {}).get("speedup") or {}))
    ls.tvm_offers[offer.key] = offer
    if settings.tvm_trials <= 0:
        return
    offer.state, offer.trials = "tuning", settings.tvm_trials
    task = asyncio.ensure_future(_tune(ls, offer, settings))
    _TASKS.add(task)
    task.add_done_callback(_TASKS.discard)


def _job_spec(offer: TvmOffer, settings) -> dict:
    return {"source": offer.source, "entry": offer.entry, "output": offer.target, "trials": settings.tvm_trials,
            "tune_seconds": settings.tvm_tune_seconds, "cases": settings.cases, "timeout": settings.timeout,
            "toolchain": dict(settings.toolchain), "records": settings.records_path,
            "shape": dict(settings.tvm_shape)}


async def _tune(ls, offer: TvmOffer, settings) -> None:
    spec = _job_spec(offer, settings)

    decision: dict = {}

    def end_message(value) -> str:
        decision.update(decide(offer, *value, settings.tvm_min_speedup))
        return decision["note"]

    name = offer.entry or Path(offer.source).name
    title = f"Tuning {name} with TVM MetaSchedule ({settings.tvm_trials} trials)"
    refresh_lenses(ls)
    try:
        job, (outcome, _error) = await run_in_child(ls, offer, spec, title, end_message,
                                                    supersedes=f"tvm-tuning:{offer.source}:{offer.entry}",
                                                    process="tuning process")
    except Exception as exc:  # noqa: BLE001 - a failed tuning must leave the default offer usable
        log.warning("tuning %s failed: %s", name, exc)
        job, outcome = None, None
        decision = {"state": "failed", "note": f"tuning failed: {exc}"}
    offer.job = None
    if ls.tvm_offers.get(offer.key) is not offer:
        return  # a newer translation of the unit replaced this offer
    if job is not None and job.cancel.is_set():
        offer.state = "cancelled"
        offer.note = "tuning cancelled" + (f": {offer.stop_reason}" if offer.stop_reason else "")
    else:
        offer.state, offer.note = decision["state"], decision["note"]
        if outcome is not None and outcome.get("exit_code") == 0:
            offer.tuned_outcome = outcome
            offer.tuned_code = outcome.get("code") if offer.state == "tuned" else None
    refresh_lenses(ls)
    if offer.state == "tuned":
        ls.show(f"transverify: tuning {name} found a faster CPU equivalent: {offer.note}; "
                "the code lens or the code action applies it")


def decide(offer: TvmOffer, outcome: dict | None, error: str | None, min_speedup: float) -> dict:
    """What the tuned run means for the offer: {"state", "note"}."""
    if error is not None or outcome is None:
        return {"state": "failed", "note": f"tuning failed: {error or 'no result'}"}
    if outcome.get("exit_code") != 0 or not outcome.get("code"):
        return {"state": "failed", "note": f"tuning gave no verified code: {outcome.get('message', '')}"}
    if "trials" not in (outcome.get("tvm") or {}):  # e.g. a te.extern operator template: MetaSchedule has no say
        notes = [n for n in (outcome.get("tvm") or {}).get("notes", []) if str(n).startswith("not tuned")]
        return {"state": "not tunable", "note": notes[0] if notes else "not tuned: the workload cannot be tuned"}
    tuned = (outcome.get("tvm") or {}).get("speedup") or {}
    compared = compared_ratio(offer.default_speedup, tuned)
    if compared is None:
        return {"state": "not measured",
                "note": "tuned code verified, but its speed was not measured against the default schedule's"}
    key, what = compared
    numbers = f"tuned {tuned[key]:.2f}x {what}, default schedule {offer.default_speedup[key]:.2f}x"
    if tuned[key] >= min_speedup * offer.default_speedup[key]:
        return {"state": "tuned", "note": numbers}
    return {"state": "not faster", "note": f"tuning found nothing faster ({numbers})"}


async def apply_tuned(ls, uri: str, entry: str | None) -> dict:
    """Offer the tuned code as the confirmable edit, as the TVM action offers its instant result."""
    from transverify.translators.pipeline import TranslateOutcome
    from transverify.verify.result import VerifyResult

    source = _path(uri)
    offer = ls.tvm_offers.get(offer_key(source, entry))
    if offer is not None and offer.state == "tuned" and not is_fresh(ls, offer):
        message = f"{source.name} changed since it was tuned; run the TVM action again"
        ls.show(f"transverify: {message}", types.MessageType.Warning)
        return {"status": "error", "message": message}
    offer = tuned_offer(ls, source, entry)
    if offer is None:
        message = f"no tuned TVM code is offered for {entry or source.name}"
        ls.show(f"transverify: {message}", types.MessageType.Warning)
        return {"status": "error", "message": message}
    settings = await ls.settings_for(uri)
    tuned = offer.tuned_outcome
    result = VerifyResult.from_dict(tuned["result"]) if isinstance(tuned.get("result"), dict) else None
    outcome = TranslateOutcome(code=offer.tuned_code, exit_code=0, result=result, unsupported=[], dialogue_id=None,
                               rounds=1, solver_used="tvm", message=str(tuned.get("message", "")),
                               details=str(tuned.get("details", "")), tvm=tuned.get("tvm"))
    job = Job(token=f"transverify-{uuid.uuid4().hex[:12]}", title=f"Applying the tuned {entry or source.name}")
    store = await ls.in_worker(settings.open_store)
    return await deliver(ls, job, outcome, store, source=source, target_path=Path(offer.target), entry=entry,
                         target_kind="cpu", settings=settings, origin="tvm-tuning")


def refresh_lenses(ls) -> None:
    workspace_caps = ls.client_capabilities.workspace
    lens_caps = workspace_caps.code_lens if workspace_caps is not None else None
    if lens_caps is not None and lens_caps.refresh_support:
        ls.workspace_code_lens_refresh(None)
