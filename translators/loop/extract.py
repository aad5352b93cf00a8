"""Pull the code out of an LLM reply.

Replies come as one fenced block, several blocks (a snippet, then the full
code), prose around the code, bare code, or cut off mid-block by a token limit.
A reply with no code at all yields None: the loop treats it as a Questioner
turn to answer, not as a crash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FENCE = re.compile(r"^[ \t]*(```|~~~)[ \t]*([\w+#.-]*)[^\n]*\n", re.MULTILINE)

TAGS = {
    "cpp": {"cpp", "c++", "cxx", "cc", "c", "hpp", "h"},
    "cuda": {"cuda", "cu", "cuh", "cpp", "c++"},
    "python": {"python", "py", "python3"},
    "fortran": {"fortran", "f90", "f"},
}


@dataclass
class Extracted:
    code: str
    truncated: bool = False  # the reply stopped inside a code block
    blocks: int = 1


def _blocks(reply: str) -> list[tuple[str, str, bool]]:
    """(tag, body, closed) for every fenced block, in order."""
    found = []
    pos = 0
    while True:
        opening = FENCE.search(reply, pos)
        if not opening:
            break
        fence, tag = opening.group(1), opening.group(2).lower()
        start = opening.end()
        closing = re.compile(r"^[ \t]*" + re.escape(fence) + r"[ \t]*$", re.MULTILINE).search(reply, start)
        if closing is None:
            found.append((tag, reply[start:], False))
            break
        found.append((tag, reply[start:closing.start()], True))
        pos = closing.end()
    return found


def extract_code(reply: str, language: str, entry: str | None = None) -> Extracted | None:
    """The translation in `reply` (target `language`: cpp | cuda | python), or None."""
    blocks = [(tag, body.strip("\n"), closed) for tag, body, closed in _blocks(reply) if body.strip()]
    if blocks:
        wanted = TAGS.get(language, {language})
        tagged = [b for b in blocks if b[0] in wanted]
        untagged = [b for b in blocks if not b[0]]
        pool = tagged or untagged
        if not pool:
            return None  # only code in another language (e.g. the Fortran source quoted back)
        if entry:
            named = [b for b in pool if re.search(r"\b" + re.escape(entry) + r"\b", b[1], re.IGNORECASE)]
            pool = named or pool
        # The complete translation is normally the longest block; a later one wins a tie.
        tag, body, closed = max(reversed(pool), key=lambda b: len(b[1]))
        return Extracted(code=body.rstrip() + "\n", truncated=not closed, blocks=len(blocks))
    if _looks_like_code(reply, language):
        return Extracted(code=reply.strip("\n").rstrip() + "\n", blocks=0)
    return None


def _looks_like_code(text: str, language: str) -> bool:
    """Bare code with no fences: nearly every non-blank line must read as code."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        return False
    if language == "python":
        codeish = re.compile(r"^(def |import |from |return\b|@|#|[\w.\[\], ]+ ?[-+*/]?= "
                             r"|if |for |while |else|elif |\)|]|})")
        needed = any(line.startswith(("def ", "import ", "from ")) for line in lines)
    else:
        codeish = re.compile(r"(^#|^//|^/\*|^\*|[;{}]$|^}|^(template|extern|namespace|using)\b|\)$|^\w[\w:<>,*& ]*\($)")
        needed = any("{" in line for line in lines) and any(line.endswith(";") for line in lines)
    share = sum(1 for line in lines if codeish.search(line)) / len(lines)
    return needed and share >= 0.8
