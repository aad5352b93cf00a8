"""Offering a finished translation: the confirmable edit beside the source, the
dialogue notification, and the record of what the user decided."""

from __future__ import annotations

import logging
from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path

from ..links import Link
from ..status import lens_title
from ..units import find_unit
from .edits import supports_document_changes, translation_edit

log = logging.getLogger(__name__)


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
