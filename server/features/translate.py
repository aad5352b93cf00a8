"""The "Translate to ... and verify" command: run the pipeline as a job, offer
the result as a confirmable edit, and record what the user decided."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from ..links import Link
from ..pairs import translation_named, unavailable_reason
from ..status import lens_title
from ..units import find_unit
from .edits import supports_document_changes, translation_edit
from .jobs import run_job

log = logging.getLogger(__name__)

COMMAND = "transverify.translate"


class CommandError(Exception):
    """Bad command arguments: answered as a message, never a traceback."""


def register(server) -> None:
    @server.command(COMMAND)
    async def translate_command(ls, *args: Any) -> dict:
        try:
            uri, entry, target = _arguments(args)
            solver = _solver(args)
        except CommandError as exc:
            ls.show(f"transverify: {exc}", types.MessageType.Error)
            return {"status": "error", "message": str(exc)}
        return await translate_unit(ls, uri, entry, target, solver=solver)


def _solver(args: tuple) -> str | None:
    """The solver an action asks for ("tvm"), or None for the user's setting."""
    solver = args[0].get("solver")
    if solver is not None and solver != "tvm":
        raise CommandError(f"{COMMAND}: 'solver' may only be \"tvm\", got {solver!r}")
    return solver


def _arguments(args: tuple) -> tuple[str, str | None, str]:
    spec = args[0] if len(args) == 1 and isinstance(args[0], dict) else None
    if spec is None:
        raise CommandError(f"{COMMAND} expects one argument {{uri, entry, target}}, got {list(args)!r}")
    uri, entry, target = spec.get("uri"), spec.get("entry"), spec.get("target", "cpp")
    if not isinstance(uri, str) or not uri:
        raise CommandError(f"{COMMAND}: 'uri' is missing")
    if entry is not None and not isinstance(entry, str):
        raise CommandError(f"{COMMAND}: 'entry' must be a name")
    return uri, entry, target


async def translate_unit(ls, uri: str, entry: str | None, target: str, solver: str | None = None) -> dict:
    translation = translation_named(target, solver)
    if translation is None:
        ls.show(f"transverify: unknown target '{target}'", types.MessageType.Error)
        return {"status": "error", "message": f"unknown target '{target}'"}
    reason = unavailable_reason(translation)
    if reason is not None:
        ls.show(f"transverify: {translation.title} is not available: {reason}", types.MessageType.Warning)
        return {"status": "unavailable", "message": reason}
    source = Path(to_fs_path(uri) or uri)
    too_large = ls.too_large(uri)
    if too_large is not None:
        ls.show(f"transverify: {too_large}", types.MessageType.Error)
        return {"status": "error", "message": too_large}
    if not source.is_file():
        ls.show(f"transverify: {source} is not a file on disk; save it first", types.MessageType.Error)
        return {"status": "error", "message": f"{source}: not a file on disk"}
    document = ls.workspace.text_documents.get(uri)
    if document is not None and document.source != source.read_text(encoding="utf-8", errors="replace"):
        # The pipeline and the record store work from the file; translating unsaved text would
        # verify one version and record another.
        ls.show(f"transverify: save {source.name} before translating it", types.MessageType.Warning)
        return {"status": "error", "message": f"{source.name} has unsaved changes"}

    settings = await ls.settings_for(uri)
    if settings.toolchain_error:
        ls.show(f"transverify: {settings.toolchain_error}", types.MessageType.Error)
        return {"status": "error", "message": settings.toolchain_error}
    output = settings.output_path(source, target)
    name = entry or source.stem

    def work(job, progress):
        from transverify.translators.pipeline import TranslateRequest, translate

        store = settings.open_store()
        request = TranslateRequest(
            source=source, target=target, entry=entry, solver=solver or settings.solver,
            questioner=settings.questioner, max_rounds=settings.max_rounds, llm=_llm(settings), output=output,
            verify_options=settings.verify_options(cancel=job.cancel, progress=progress),
            cancel=job.cancel, progress=progress, store=store,
            tvm_measure=True if solver == "tvm" else None)  # the speed-up goes into the result message
        return translate(request), store

    what = f"Translating {name} to {target.upper()}" + (" with TVM" if solver == "tvm" else "")
    job, (outcome, store) = await run_job(ls, what, work, lambda v: v[0].message)
    return await deliver(ls, job, outcome, store, source=source, target_path=output, entry=entry,
                         target_kind=target, settings=settings)


def _llm(settings):
    """The editor's LLM settings; None lets the pipeline resolve them and explain what is missing."""
    try:
        return settings.llm_settings()
    except Exception:  # e.g. an unreadable config file: the pipeline reports it in words
        return None


def _unsupported_text(outcome) -> str:
    parts = []
    for item in getattr(outcome, "unsupported", None) or []:
        line, construct, message = (getattr(item, k, None) for k in ("line", "construct", "message"))
        parts.append(f"line {line}: {construct}: {message}")
    return "; ".join(parts)


async def deliver(ls, job, outcome, store, *, source: Path, target_path: Path, entry: str | None,
                  target_kind: str, settings, origin: str = "translation") -> dict:
    """Offer outcome.code as a confirmable edit of target_path; record the decision."""
    from .dialogue import DIALOGUE, dialogue_payload, records_changed

    if not job.cancel.is_set():  # the Translation output channel shows it while the preview is open
        ls.protocol.notify(DIALOGUE, await ls.in_worker(dialogue_payload, outcome, store, source, target_path, origin))
    if job.cancel.is_set() or outcome.code is None:
        await ls.in_worker(_close, store)
    if job.cancel.is_set():
        ls.show(f"transverify: translation of {source.name} cancelled")
        return {"status": "cancelled", "message": "cancelled", "stages": job.stages}
    if outcome.code is None:
        detail = _unsupported_text(outcome)
        message = outcome.message + (f" ({detail})" if detail else "")
        ls.show(f"transverify: {message}", types.MessageType.Error)
        return {"status": "failed", "exitCode": outcome.exit_code, "message": message, "stages": job.stages}

    result = outcome.result
    source_line = _source_line(ls, source, entry)
    verdict_text = lens_title(result, source, source_line) if result is not None else outcome.message
    current = ls.text_of(target_path) if target_path.exists() or _is_open(ls, target_path) else None
    label = f"{source.name} → {target_path.name}: {verdict_text}"
    open_document = ls.workspace.text_documents.get(from_fs_path(str(target_path)))
    # With the open buffer's version, the editor refuses the edit if the buffer changed meanwhile.
    edit = translation_edit(target_path, outcome.code, current, label=label, description=outcome.message,
                            version=open_document.version if open_document is not None and current is not None
                            else None,
                            document_changes=supports_document_changes(ls.client_capabilities))
    response = await ls.workspace_apply_edit_async(types.ApplyWorkspaceEditParams(edit=edit, label=label))
    accepted = bool(response is not None and response.applied)
    record_error = await ls.in_worker(_mark_outcome, store, outcome.dialogue_id, accepted,
                                      outcome.code if accepted else None)
    if record_error:
        ls.show(f"transverify: the decision was not recorded: {record_error}", types.MessageType.Warning)
    elif outcome.dialogue_id and store is not None:
        records_changed(ls, "accepted" if accepted else "rejected")
    answer = {"status": "applied" if accepted else "rejected", "exitCode": outcome.exit_code,
              "verdict": result.verdict if result is not None else None, "target": str(target_path),
              "message": outcome.message, "dialogueId": outcome.dialogue_id, "stages": job.stages,
              "origin": origin}
    if not accepted:
        return answer
    link = Link(target=str(target_path), source=str(source), entry=entry, target_kind=target_kind,
                source_line=source_line, dialogue_id=outcome.dialogue_id)
    from .verification import record_result

    record_result(ls, link, result, outcome.code)
    return answer


def _mark_outcome(store, dialogue_id: str | None, accepted: bool, code: str | None) -> str | None:
    """Record accept/reject in the store; returns the error in words, if any."""
    if store is None:
        return None
    try:
        if dialogue_id:
            store.mark_outcome(dialogue_id, accepted, code)
        return None
    except Exception as exc:  # a broken record store must not lose the user's edit
        log.warning("mark_outcome failed: %s", exc)
        return str(exc)
    finally:
        store.close()


def _close(store) -> None:
    if store is not None:
        store.close()


def _is_open(ls, path: Path) -> bool:
    return from_fs_path(str(path)) in ls.workspace.text_documents


def _source_line(ls, source: Path, entry: str | None) -> int:
    from ..server import LANGUAGE_BY_SUFFIX
    from ..units import find_units

    text = ls.text_of(source) or ""
    language = LANGUAGE_BY_SUFFIX.get(source.suffix.lower())
    if language is None or entry is None:
        return 1
    unit = find_unit(find_units(text, language), entry)
    return unit.name_line + 1 if unit else 1
