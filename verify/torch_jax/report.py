"""How both sandboxed sides of a PyTorch -> JAX verification describe a failure: the message
and the line of the user's file it happened at."""

from __future__ import annotations

import traceback


def where(exc: BaseException, path: str) -> int | None:
    """The last line of `path` in the exception's traceback."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == path:
            line = frame.lineno
    if line is None and isinstance(exc, SyntaxError) and exc.filename == path:
        line = exc.lineno
    return line


def describe(exc: BaseException) -> str:
    text = f"{exc.__class__.__name__}: {exc}".strip()
    text = text.split("\n--------------------")[0]  # jax appends a long filtered-traceback note
    return text if len(text) < 700 else text[:700] + " …"


def diagnostic(path: str, exc: BaseException, what: str) -> dict:
    return {"file": path, "line": where(exc, path) or 1, "column": 1, "severity": "error",
            "message": f"{what}: {describe(exc)}"}
