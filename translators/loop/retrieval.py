"""Bug-context augmentation: before asking the Solver for a repair, find the most
similar past bug -> fix records of the same pair in the record store (FTS5 bm25
over the error context and the faulty code) and show them as worked examples."""

from __future__ import annotations

from ..records import RecordStore

MAX_LINES = 40


def _clip(code: str) -> str:
    lines = code.rstrip().splitlines()
    if len(lines) <= MAX_LINES:
        return "\n".join(lines)
    return "\n".join(lines[:MAX_LINES] + [f"... ({len(lines) - MAX_LINES} more lines)"])


def bug_context(store: RecordStore | None, pair: str, error_context: str, language: str, limit: int = 2) -> str:
    """A prompt section with up to `limit` similar past fixes, or '' when there are none."""
    if store is None:
        return ""
    try:
        fixes = store.similar_fixes(pair, error_context, limit=limit)
    except Exception:  # retrieval is an aid; a damaged index must not stop a translation
        return ""
    if not fixes:
        return ""
    parts = ["\nSimilar bugs fixed before in this language pair, for reference:"]
    for number, fix in enumerate(fixes, 1):
        parts.append(f"\nExample {number}. The verifier said:\n{fix['error_context'].strip()}\n"
                     f"Faulty code:\n```{language}\n{_clip(fix['before'])}\n```\n"
                     f"Fixed code:\n```{language}\n{_clip(fix['after'])}\n```")
    return "\n".join(parts) + "\n"
