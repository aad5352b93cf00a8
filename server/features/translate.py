"""The "Translate to ... and verify" command: run the pipeline as a job, offer
the result as a confirmable edit, and record what the user decided."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.uris import to_fs_path

from ..pairs import translation_named, unavailable_reason
from .delivery import deliver
from .jobs import run_job
from .tvm_alternative import after_auto_result, drop_alternatives_of
from .tvm_tuning import after_instant_result, stop_tuning_of

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

    if solver == "tvm":  # a new instant result replaces the offer: its tuning would be wasted
        stop_tuning_of(ls, source, "a new translation of it", entry=entry)
    offers_alternative = solver is None and translation.source_language == "cuda" and target == "cpu"
    if offers_alternative:  # so would the alternative made beside the last translation
        drop_alternatives_of(ls, source, "a new translation of it", entry=entry)
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
            tvm_measure=True if solver == "tvm" else None,  # the speed-up goes into the result message
            tvm_shape=dict(settings.tvm_shape))
        return translate(request), store

    what = f"Translating {name} to {target.upper()}" + (" with TVM" if solver == "tvm" else "")
    job, (outcome, store) = await run_job(ls, what, work, lambda v: v[0].message)
    if solver == "tvm":  # the instant result; tuning it goes on in the background
        after_instant_result(ls, job, outcome, source=source, entry=entry, target=output, settings=settings)
    elif offers_alternative:  # solver auto: the TVM CPU equivalent is made while the preview is open
        after_auto_result(ls, job, outcome, source=source, entry=entry, target=output, settings=settings)
    return await deliver(ls, job, outcome, store, source=source, target_path=output, entry=entry,
                         target_kind=target, settings=settings)


def _llm(settings):
    """The editor's LLM settings; None lets the pipeline resolve them and explain what is missing."""
    try:
        return settings.llm_settings()
    except Exception:  # e.g. an unreadable config file: the pipeline reports it in words
        return None
