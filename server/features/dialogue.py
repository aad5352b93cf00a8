"""What the last translation said, for the client's "Translation" output channel, and the
record views' refresh signal.

After each translation (or Solver fix) the server sends `transverify/dialogue` with the
Questioner-Solver turns as the record store keeps them (scrubbed of credentials), the rule
Solver's notes and the verification summary; `transverify/recordsChanged` follows every
change of the record store the editor caused (an accepted or rejected translation, a fix
record). The command `transverify.recordStats` answers the store's counts, per pair and status.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.uris import from_fs_path

DIALOGUE = "transverify/dialogue"
RECORDS_CHANGED = "transverify/recordsChanged"
RECORD_STATS = "transverify.recordStats"
MAX_TURN_CHARS = 6000  # a turn is a prompt or a reply: long ones are cut for the channel, not for the store

log = logging.getLogger(__name__)


def register(server) -> None:
    @server.command(RECORD_STATS)
    async def record_stats_command(ls, *args: Any) -> dict:
        settings = await ls.settings_for(None)

        def read() -> dict:
            store = settings.open_store()
            if store is None:
                return {"status": "error", "message": "the record store cannot be opened (see the server log)"}
            try:
                return {"status": "ok", **store.stats()}
            except Exception as exc:  # a damaged store: its own message names the file and the way out
                return {"status": "error", "message": str(exc)}
            finally:
                store.close()

        answer = await ls.in_worker(read)
        if answer["status"] != "ok":
            ls.show(f"transverify: {answer['message']}", types.MessageType.Warning)
        return answer


def records_changed(ls, reason: str) -> None:
    ls.notify(RECORDS_CHANGED, {"reason": reason})


def dialogue_payload(outcome, store, source: Path, target: Path, origin: str) -> dict:
    """The notification's body (runs on a worker: it reads the record store)."""
    result = outcome.result
    turns, note = [], None
    if outcome.dialogue_id and store is not None and getattr(store, "enabled", False):
        try:
            dialogue = store.dialogue(outcome.dialogue_id)
        except Exception as exc:
            log.warning("dialogue %s not read: %s", outcome.dialogue_id, exc)
            dialogue = None
        for turn in (dialogue or {}).get("turns", []):
            feedback = turn.get("feedback") if isinstance(turn.get("feedback"), dict) else None
            content = turn.get("content") or ""
            turns.append({
                "role": turn.get("role"), "agent": turn.get("agent"), "model": turn.get("model"),
                "content": content if len(content) <= MAX_TURN_CHARS
                else content[:MAX_TURN_CHARS] + f"\n… ({len(content) - MAX_TURN_CHARS} more characters)",
                "verdict": feedback.get("verdict") if feedback else None,
                "feedback": feedback.get("message") if feedback else None,
            })
    elif outcome.dialogue_id is None or store is None or not getattr(store, "enabled", False):
        note = "the dialogue is not kept: capture is off or the record store is unavailable (transverify.capture)"
    return {
        "source": from_fs_path(str(source)), "target": from_fs_path(str(target)), "origin": origin,
        "solver": outcome.solver_used, "rounds": outcome.rounds, "verdict": outcome.verdict,
        "message": outcome.message, "details": outcome.details, "warnings": list(outcome.warnings),
        "events": [str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in outcome.events],
        "dialogueId": outcome.dialogue_id, "turns": turns, "note": note,
        "verification": _summary(result) if result is not None else None,
    }


def _summary(result) -> dict:
    from ..status import element

    return {"verdict": result.verdict, "stage": result.stage, "cases": result.cases, "message": result.message,
            "mismatches": [f"{element(m)} case {m.case}: expected {m.expected!r}, got {m.actual!r}"
                           for m in result.mismatches[:5]],
            "seconds": result.timings.get("total")}
