"""Errors that mean "bad input", as opposed to "not equivalent"."""

from __future__ import annotations


class VerifyInputError(Exception):
    """The inputs cannot be verified: missing file, unsupported construct, ...

    Always names the file, and where known the line and the construct, so the
    user (or the translation loop) knows exactly what to change.
    """

    def __init__(self, message: str, file: str | None = None, line: int | None = None,
                 construct: str | None = None, stage: str = "parse"):
        self.file = file
        self.line = line
        self.construct = construct
        self.stage = stage
        self.reason = message
        super().__init__(self.describe())

    def describe(self) -> str:
        where = self.file or ""
        if where and self.line:
            where += f":{self.line}"
        head = f"{where}: " if where else ""
        tail = f" [{self.construct}]" if self.construct else ""
        return f"{head}{self.reason}{tail}"


class Cancelled(Exception):
    """The caller cancelled the verification (editor request, loop shutdown)."""
