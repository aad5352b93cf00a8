"""The TVM CPU equivalent offered beside a CUDA -> CPU translation made with solver auto.

As `transverify translate k.cu --to cpu` offers it (translators/alternatives.py), but without
making the user wait: the rule/LLM translation's preview comes as always; meanwhile the default
schedule is made, verified and timed in a child process of its own process group
(translators/tvm_cpu/background.py with 0 trials, as for background tuning), shown as a
cancellable work-done progress.  An edit or the closing of the source, a new translation of the
unit and shutdown stop it and drop what it made.  A verified result that is not clearly slower
than the naive OpenMP translation (`transverify.tvm.offerMinSpeedup`, default 0.5 as the CLI)
becomes the offer: a code action and code lenses
(`transverify.applyTvmAlternative {uri, entry}`) put it into the translated file through the
same confirmable edit, and accepting it stores a training record like any accepted translation.
Why nothing was offered is said in the hover.  `transverify.tvm.offerWithAuto` false turns it off.
State lives in server/tvm_alternatives.py.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.uris import to_fs_path

from ..tvm_alternatives import APPLY_ALTERNATIVE, WHAT, TvmAlternative, offered_alternative
from ..tvm_offers import TvmOffer, is_fresh, offer_key, speed_words, text_digest
from .delivery import deliver
from .jobs import Job
from .tvm_child import run_in_child
from .tvm_tuning import refresh_lenses

log = logging.getLogger(__name__)

ORIGIN = "tvm-alternative"
_TASKS: set = set()  # running computations (a task nobody holds may be collected)
ALL_UNITS = object()


def register(server) -> None:
    @server.command(APPLY_ALTERNATIVE)
    async def apply_alternative_command(ls, *args: Any) -> dict:
        spec = args[0] if len(args) == 1 and isinstance(args[0], dict) else None
        if spec is None or not isinstance(spec.get("uri"), str) or not isinstance(spec.get("entry"), (str, type(None))):
            message = f"{APPLY_ALTERNATIVE} expects one argument {{uri, entry}}"
            ls.show(f"transverify: {message}", types.MessageType.Error)
            return {"status": "error", "message": message}
        return await apply_alternative(ls, spec["uri"], spec.get("entry"))


def _path(uri: str) -> Path:
    return Path(to_fs_path(uri) or uri)


def drop_alternatives_of(ls, source: Path, reason: str, entry: Any = ALL_UNITS) -> None:
    """Forget the alternatives of this source's units (or of the unit `entry` names), stopping
    the computations still running: they no longer match the source."""
    path = str(Path(source).resolve())
    for key, alternative in list(ls.tvm_alternatives.items()):
        if alternative.source == path and (entry is ALL_UNITS or alternative.entry == entry):
            del ls.tvm_alternatives[key]
            _stop(alternative, reason)


def _stop(alternative: TvmAlternative, reason: str) -> None:
    if alternative.state != "computing":
        return
    alternative.stop_reason = alternative.stop_reason or reason
    if alternative.job is not None:
        alternative.job.cancel.set()


def after_auto_result(ls, job, outcome, *, source: Path, entry: str | None, target: Path, settings) -> None:
    """After a CUDA -> CPU translation (before its preview): make the unit's TVM alternative in the
    background, or say why there is none.  The state is set before this returns."""
    from transverify.translators.alternatives import skip_reason, unavailable_alternative

    drop_alternatives_of(ls, source, "a new translation of it", entry=entry)
    if settings.solver != "auto" or not settings.tvm_offer_with_auto or job.cancel.is_set():
        return
    try:
        text = source.read_text(encoding="utf-8", errors="replace")  # what the pipeline translated
    except OSError:
        return
    alternative = TvmAlternative(source=str(source.resolve()), entry=entry, target=str(target),
                                 digest=text_digest(text))
    ls.tvm_alternatives[alternative.key] = alternative
    why_not = skip_reason(outcome) or unavailable_alternative("cuda", "cpu", "tvm")
    if why_not is not None:
        alternative.state, alternative.note = "not offered", why_not
        return
    task = asyncio.ensure_future(_compute(ls, alternative, settings))
    _TASKS.add(task)
    task.add_done_callback(_TASKS.discard)


def _job_spec(alternative: TvmAlternative, settings) -> dict:
    # 0 trials: the default schedule, verified and measured; no tuning, no cache (as the CLI's offer).
    return {"source": alternative.source, "entry": alternative.entry, "output": alternative.target, "trials": 0,
            "tune_seconds": None, "cases": settings.cases, "timeout": settings.timeout,
            "toolchain": dict(settings.toolchain), "records": None, "shape": dict(settings.tvm_shape)}


async def _compute(ls, alternative: TvmAlternative, settings) -> None:
    spec = _job_spec(alternative, settings)

    decision: dict = {}

    def end_message(value) -> str:
        decision.update(decide(*value, least_speedup=settings.tvm_offer_min_speedup))
        return decision["words"]

    name = alternative.entry or Path(alternative.source).name
    refresh_lenses(ls)
    try:
        job, (outcome, _error) = await run_in_child(
            ls, alternative, spec, f"Offering a {WHAT} of {name}", end_message,
            supersedes=f"tvm-alternative:{alternative.source}:{alternative.entry}", process="TVM process")
    except Exception as exc:  # noqa: BLE001 - the translation itself is unharmed
        log.warning("the TVM alternative of %s failed: %s", name, exc)
        job, outcome = None, None
        decision = {"state": "failed", "note": f"the TVM translation failed: {exc}"}
    alternative.job = None
    if ls.tvm_alternatives.get(alternative.key) is not alternative:
        return  # dropped meanwhile (an edit, the source closed, a new translation)
    if job is not None and job.cancel.is_set():
        alternative.state = "cancelled"
        alternative.note = "cancelled" + (f": {alternative.stop_reason}" if alternative.stop_reason else "")
    else:
        alternative.state, alternative.note = decision["state"], decision["note"]
        if alternative.state == "offered":
            alternative.outcome = outcome
    refresh_lenses(ls)


def decide(outcome: dict | None, error: str | None, least_speedup: float) -> dict:
    """What the TVM run means: {"state", "note" (why not offered), "words" (the progress's end)}."""
    from transverify.translators.alternatives import clearly_slower

    def no(state: str, note: str) -> dict:
        return {"state": state, "note": note, "words": f"not offered: {note}"}

    if error is not None or outcome is None:
        return no("failed", f"the TVM translation failed: {error or 'no result'}")
    message = str(outcome.get("message") or "")
    if outcome.get("exit_code") == 2 or not outcome.get("code"):
        refused = "; ".join(f"line {u.get('line')}: {u.get('construct')}: {u.get('message')}"
                            for u in outcome.get("unsupported") or [] if isinstance(u, dict))
        return no("not offered", f"TVM did not translate it: {message or refused or 'no code'}")
    if outcome.get("exit_code") != 0:
        return no("not offered", f"the TVM translation did not verify: {message}")
    speedup = (outcome.get("tvm") or {}).get("speedup") or {}
    slower = clearly_slower(speedup, least_speedup)
    if slower is not None:
        return no("not offered", slower)
    speed = speed_words(speedup)
    return {"state": "offered", "note": "", "words": "verified" + (f", {speed}" if speed else ", not timed")}


async def apply_alternative(ls, uri: str, entry: str | None) -> dict:
    """The alternative as the confirmable edit of the translated file; its acceptance is recorded."""
    source = _path(uri)
    alternative = ls.tvm_alternatives.get(offer_key(source, entry))
    if alternative is not None and alternative.state == "offered" and not is_fresh(ls, alternative):
        message = f"{source.name} changed since the {WHAT} was made; translate it again"
        ls.show(f"transverify: {message}", types.MessageType.Warning)
        return {"status": "error", "message": message}
    alternative = offered_alternative(ls, source, entry)
    if alternative is None:
        message = f"no {WHAT} is offered for {entry or source.name}"
        ls.show(f"transverify: {message}", types.MessageType.Warning)
        return {"status": "error", "message": message}
    settings = await ls.settings_for(uri)
    outcome = _outcome(alternative)
    store = await ls.in_worker(settings.open_store)
    outcome.dialogue_id = await ls.in_worker(_record, store, alternative, outcome)
    job = Job(token=f"transverify-{uuid.uuid4().hex[:12]}", title=f"Using the {WHAT} of {entry or source.name}")
    answer = await deliver(ls, job, outcome, store, source=source, target_path=Path(alternative.target),
                           entry=entry, target_kind="cpu", settings=settings, origin=ORIGIN)
    if answer.get("status") == "applied" and alternative.key not in ls.tvm_offers:
        # The translated file now holds TVM's default schedule: its TVM lens and hover show the numbers.
        ls.tvm_offers[alternative.key] = TvmOffer(
            source=alternative.source, entry=entry, target=alternative.target, digest=alternative.digest,
            default_code=outcome.code, default_speedup=dict(alternative.speedup))
        refresh_lenses(ls)
    return answer


def _outcome(alternative: TvmAlternative):
    from transverify.translators.pipeline import TranslateOutcome
    from transverify.verify.result import VerifyResult

    made = alternative.outcome
    result = VerifyResult.from_dict(made["result"]) if isinstance(made.get("result"), dict) else None
    return TranslateOutcome(code=alternative.code, exit_code=0, result=result, unsupported=[], dialogue_id=None,
                            rounds=1, solver_used="tvm", message=str(made.get("message", "")),
                            details=str(made.get("details", "")), tvm=made.get("tvm"))


def _record(store, alternative: TvmAlternative, outcome) -> str | None:
    """A one-answer dialogue of the TVM solver, so that deliver() can mark it accepted or rejected."""
    from transverify.translators.answer_record import record_one_answer

    if store is None:
        return None
    source = Path(alternative.source)
    try:
        return record_one_answer(store, source=source, source_code=source.read_text(encoding="utf-8"),
                                 output=Path(alternative.target), target="cpu", entry=alternative.entry,
                                 code=outcome.code, result=outcome.result, agent="tvm")
    except Exception as exc:  # noqa: BLE001 - a broken record store must not cost the user's edit
        log.warning("the TVM alternative was not recorded: %s", exc)
        return None
