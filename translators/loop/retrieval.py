"""Bug-context augmentation: before asking the Solver, find the most similar past
bug -> fix records of the same pair in the record store (FTS5 bm25) and show them
as worked examples: for a repair, by the verifier's findings and the faulty code;
for the first request, by the source being translated."""

from __future__ import annotations

from ..records import RecordStore

MAX_LINES = 40


def _clip(code: str) -> str:
    lines = code.rstrip().splitlines()
    if len(lines) <= MAX_LINES:
        return "\n".join(lines)
    return "\n".join(lines[:MAX_LINES] + [f"... ({len(lines) - MAX_LINES} more lines)"])


HEADINGS = {
    "error": "Similar bugs fixed before in this language pair, for reference:",
    "source": "Bugs fixed before when translating similar code, to avoid repeating them:",
}


def bug_context(store: RecordStore | None, pair: str, text: str, language: str, limit: int = 2,
                by: str = "error") -> str:
    """A prompt section with up to `limit` similar past fixes, or '' when there are none.
    by="error": `text` is the verifier's digest; by="source": `text` is the source to translate."""
    if store is None:
        return ""
    try:
        fixes = store.similar_fixes(pair, text, limit=limit, by=by)
    except Exception:  # retrieval is an aid; a damaged index must not stop a translation
        return ""
    if not fixes:
        return ""
    parts = ["\n" + HEADINGS[by]]
    for number, fix in enumerate(fixes, 1):
        parts.append(f"\nExample {number}. The verifier said:\n{fix['error_context'].strip()}\n"
                     f"Faulty code:\n```{language}\n{_clip(fix['before'])}\n```\n"
                     f"Fixed code:\n```{language}\n{_clip(fix['after'])}\n```")
    return "\n".join(parts) + "\n"
