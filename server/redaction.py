"""Keeps API keys out of the server's log.

pygls logs whole JSON-RPC messages at debug level, initialize (with its
initializationOptions) included; the LLM client may log request details.  A
filter on every handler masks the key wherever it appears: by value (the keys
this process knows) and by shape (an "apiKey"/"api_key" field, a Bearer token,
and every credential shape translators.secrets knows: private keys, tokens).
"""

from __future__ import annotations

import logging
import os
import re

from transverify.translators import secrets

MASK = "***"
_PATTERNS = [
    re.compile(r'("apiKey"\s*:\s*")[^"]*(")'),
    re.compile(r"('apiKey'\s*:\s*')[^']*(')"),
    re.compile(r"(api_?key\s*=\s*')[^']*(')", re.IGNORECASE),
    re.compile(r'(Bearer\s+)[^\s"\',}]+()'),
]
_known: set[str] = set()


def remember(secret: str | None) -> None:
    """Mask this value from now on (keys from initializationOptions or the environment)."""
    if secret and len(secret) >= 4:
        _known.add(secret)
        secrets.remember(secret)  # also kept out of LLM requests and records


def redact(text: str) -> str:
    for secret in _known:
        text = text.replace(secret, MASK)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: f"{m.group(1)}{MASK}{m.group(2)}", text)
    return secrets.scrub(text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install() -> None:
    """Add the filter to every root handler; call after logging is configured."""
    remember(os.environ.get("OPENAI_API_KEY"))
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingFilter())
