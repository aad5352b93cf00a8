"""Credential-shaped strings out of everything sent to an LLM or kept as a record.

A candidate (or a compiler it tricks, e.g. `#include "~/.ssh/id_rsa"` and a
crafted error) can print files it should never see; what it prints flows into
feedback, the next question to the LLM and the record store.  `scrub()` is the
one filter both paths use.  It masks:

  * values this process knows to be secret: keys registered with `remember()`
    and environment variables whose names say KEY, TOKEN, SECRET or PASSWORD;
  * shapes: PEM / OpenSSH private-key blocks (also when cut short), OpenAI-style
    `sk-...` keys, `Bearer` tokens, AWS access key ids and secret keys, GitHub,
    Slack and Google API tokens, `api_key = "..."` / `"apiKey": "..."` /
    `password = "..."` assignments, and long mixed-case base64 runs (key bodies).

Used by translators (LLM client, record store) and by the server's log filter.
"""

from __future__ import annotations

import os
import re
import threading
from typing import Any, Iterable

MASK = "[REDACTED]"
_MIN_SECRET = 6  # shorter values would mask ordinary words

_PRIVATE_KEY = re.compile(
    r"-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY( BLOCK)?-----"
    r"(?:.*?-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|(?:\n[^\n]{0,16}[A-Za-z0-9+/=]{40,}[^\n]{0,8})*)",
    re.DOTALL)
# (substrings one of which a match must contain, pattern): the cheap `in` test spares the
# regex scan of large texts (Python's re is ~0.3 s per MB for each of these).
_SHAPES = [
    (("sk-",), re.compile(r"\bsk-(?:[A-Za-z0-9]+-)*[A-Za-z0-9_\-]{16,}")),  # OpenAI, Anthropic, sk-proj-...
    (("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
     re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})")),  # GitHub
    (("xox",), re.compile(r"\bxox[abposr]-[A-Za-z0-9\-]{10,}")),  # Slack
    (("AIza",), re.compile(r"\bAIza[0-9A-Za-z_\-]{30,}")),  # Google API keys
    (("AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA"),
     re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\b")),  # AWS access key ids
]
# Long base64 runs with upper, lower case and digits: private-key and token bodies (looked for
# only in whitespace-separated words of 60 characters or more).
_BASE64_RUN = re.compile(r"(?<![A-Za-z0-9+/])(?=[A-Za-z0-9+/]*[A-Z])(?=[A-Za-z0-9+/]*[a-z])"
                         r"(?=[A-Za-z0-9+/]*[0-9])[A-Za-z0-9+/]{60,}={0,2}")
_LONG_WORD = 60
# name = value: the value is masked, the name kept so the text still reads.  Applied line by
# line, to lines that contain one of these words (lower case).
_ASSIGNMENT_WORDS = ("bearer", "authorization", "key", "token", "secret", "passw")
_ASSIGNMENTS = [
    re.compile(r"(?i)(\bBearer\s+)[A-Za-z0-9_\-\.=:+/~]{12,}"),
    re.compile(r"(?i)(\bAuthorization\s*[:=]\s*[\"']?(?:Basic|Token)\s+)[A-Za-z0-9_\-\.=:+/~]{6,}"),
    # api_key = "...", "apiKey": "...", aws_secret_access_key=..., password: '...'
    re.compile(r"(?i)((?:\b|_)(?:api[_\-]?key|apikey|secret[_\-]?(?:access[_\-]?)?key|access[_\-]?token|"
               r"auth[_\-]?token|client[_\-]?secret|password|passwd|token|secret)[\"']?\s*[:=]\s*)"
               r"(\"[^\"\n]{6,}\"|'[^'\n]{6,}')"),
    # the same names unquoted, as in config and .env files: KEY=value up to the end of the word
    re.compile(r"(?i)((?:\b|_)(?:api[_\-]?key|apikey|secret[_\-]?(?:access[_\-]?)?key|access[_\-]?token|"
               r"auth[_\-]?token|client[_\-]?secret|password|passwd)\s*[:=]\s*)"
               r"([A-Za-z0-9_\-\.+/=~]{8,})(?=[\s,;\"']|$)"),
]
_SECRET_NAME = re.compile(r"(?i)(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL)")

_lock = threading.Lock()
_known: set[str] = set()


def remember(secret: str | None) -> None:
    """Mask this value wherever it appears from now on (the configured API key, a server token)."""
    if isinstance(secret, str) and len(secret.strip()) >= _MIN_SECRET:
        with _lock:
            _known.add(secret.strip())


def known_secrets(extra: Iterable[str | None] = ()) -> list[str]:
    """Registered values, secret-named environment variables and `extra`, longest first."""
    values = set(_known)
    for name, value in os.environ.items():
        if _SECRET_NAME.search(name) and len(value.strip()) >= _MIN_SECRET:
            values.add(value.strip())
    values.update(v.strip() for v in extra if isinstance(v, str) and len(v.strip()) >= _MIN_SECRET)
    return sorted(values, key=len, reverse=True)


def scrub(text: str, extra: Iterable[str | None] = ()) -> str:
    """text with every credential-shaped string replaced by [REDACTED]."""
    if not text:
        return text
    for secret in known_secrets(extra):
        if secret in text:
            text = text.replace(secret, MASK)
    lowered = text.lower()
    if "private key" in lowered:
        text = _PRIVATE_KEY.sub(MASK, text)
    for markers, pattern in _SHAPES:
        if any(marker in text for marker in markers):
            text = pattern.sub(MASK, text)
    for word in {w for w in text.split() if len(w) >= _LONG_WORD}:
        masked = _BASE64_RUN.sub(MASK, word)
        if masked != word:
            text = text.replace(word, masked)
    if any(word in lowered for word in _ASSIGNMENT_WORDS):
        text = "".join(_scrub_assignments(line) for line in text.splitlines(keepends=True))
    return text


def _scrub_assignments(line: str) -> str:
    lowered = line.lower()
    if "bearer" in lowered:
        line = _ASSIGNMENTS[0].sub(lambda m: m.group(1) + MASK, line)
    if "authorization" in lowered:
        line = _ASSIGNMENTS[1].sub(lambda m: m.group(1) + MASK, line)
    if ("=" in line or ":" in line) and any(word in lowered for word in _ASSIGNMENT_WORDS[2:]):
        for pattern in _ASSIGNMENTS[2:]:
            line = pattern.sub(lambda m: m.group(1) + MASK, line)
    return line


def scrub_value(value: Any, extra: Iterable[str | None] = ()) -> Any:
    """scrub() applied to every string inside lists, tuples and dicts (JSON-like data)."""
    extra = list(extra)
    if isinstance(value, str):
        return scrub(value, extra)
    if isinstance(value, dict):
        return {k: scrub_value(v, extra) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(scrub_value(v, extra) for v in value)
    return value


def scrub_messages(messages: list[dict[str, Any]], extra: Iterable[str | None] = ()) -> list[dict[str, Any]]:
    """A copy of chat messages with their contents scrubbed (roles and other fields kept)."""
    extra = list(extra)
    return [{**m, "content": scrub_value(m.get("content"), extra)} if "content" in m else dict(m)
            for m in messages]
