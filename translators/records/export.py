"""Exports of the record store as JSONL training data.

  messages     {"id", "messages": [{"role", "content"}], "source_file"}  (the published
               Fortran->C++ dialogue datasets' shape; LLaMA-Factory reads it as OpenAI-style messages)
  codepair     {"id", "pair", "source_language", "target_language", "source_file",
               "source_code", "target_code", "verdict", "origin"}
  openai-chat  {"messages": [{"role", "content"}]}  (OpenAI fine-tuning format)
  sharegpt     {"id", "system", "conversations": [{"from": "human"|"gpt", "value"}]}

Dialogue exports end at the last complete Solver turn (a trailing question has no
answer to learn from, and a reply cut off at the length limit -- feedback
{"truncated": true} -- is no answer); dialogues without one are skipped.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Iterable

from ..output_file import atomic_writer
from ..secrets import scrub_value
from .store import RecordStore

VERIFIED_STATUSES = {"verified", "accepted"}


def _final_answer(turn: dict[str, Any]) -> bool:
    """An assistant turn that can end a training example: not one cut off at the length limit."""
    feedback = turn.get("feedback")
    return turn["role"] == "assistant" and not (isinstance(feedback, dict) and feedback.get("truncated"))


def _messages(dialogue: dict[str, Any]) -> list[dict[str, str]]:
    turns = list(dialogue["turns"])
    while turns and not _final_answer(turns[-1]):
        turns.pop()
    return [{"role": t["role"], "content": t["content"]} for t in turns]


def _messages_format(dialogue: dict[str, Any]) -> dict[str, Any] | None:
    messages = _messages(dialogue)
    if not messages:
        return None
    return {"id": dialogue["id"], "messages": messages, "source_file": dialogue["source_file"]}


def _openai_chat(dialogue: dict[str, Any]) -> dict[str, Any] | None:
    messages = _messages(dialogue)
    return {"messages": messages} if messages else None


def _sharegpt(dialogue: dict[str, Any]) -> dict[str, Any] | None:
    messages = _messages(dialogue)
    if not messages:
        return None
    system = "\n\n".join(m["content"] for m in messages if m["role"] == "system")
    names = {"user": "human", "assistant": "gpt"}
    return {"id": dialogue["id"], "system": system,
            "conversations": [{"from": names[m["role"]], "value": m["content"]}
                              for m in messages if m["role"] in names]}


DIALOGUE_FORMATS: dict[str, Callable[[dict[str, Any]], dict[str, Any] | None]] = {
    "messages": _messages_format, "openai-chat": _openai_chat, "sharegpt": _sharegpt,
}
FORMATS = ("messages", "codepair", "openai-chat", "sharegpt")


def _codepairs(store: RecordStore, verified_only: bool) -> Iterable[dict[str, Any]]:
    for row in store.code_pairs():
        if verified_only and row["verdict"] != "equivalent":
            continue
        source_language, _, target_language = row["pair"].partition("->")
        yield {"id": row["id"], "pair": row["pair"], "source_language": source_language,
               "target_language": target_language, "source_file": row["source_file"],
               "source_code": row["source_code"], "target_code": row["target_code"],
               "verdict": row["verdict"], "origin": row["origin"]}


def iter_records(store: RecordStore, fmt: str, verified_only: bool = False,
                 pair: str | None = None) -> Iterable[dict[str, Any]]:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format '{fmt}'; choose one of {', '.join(FORMATS)}")
    if fmt == "codepair":
        yield from (r for r in _codepairs(store, verified_only) if pair is None or r["pair"] == pair)
        return
    shape = DIALOGUE_FORMATS[fmt]
    for dialogue in store.iter_dialogues(pair):
        if verified_only and dialogue["status"] not in VERIFIED_STATUSES:
            continue
        record = shape(dialogue)
        if record is not None:
            yield record


def export_records(store: RecordStore, fmt: str, out: Path, verified_only: bool = False,
                   pair: str | None = None) -> int:
    """Write the JSONL file atomically, 0600 like the store (a failed export leaves no file and never
    replaces a good one); credentials are scrubbed again, also from records kept before scrubbing
    existed.  Returns the count."""
    count = 0
    with atomic_writer(Path(out), mode=0o600) as handle:
        for record in iter_records(store, fmt, verified_only, pair):
            handle.write(json.dumps(scrub_value(record), ensure_ascii=False) + "\n")
            count += 1
    return count
