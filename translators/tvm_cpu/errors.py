"""The one error of the TVM CPU translator: a construct it does not lift, with its line."""

from __future__ import annotations


class Unliftable(Exception):
    """The kernel uses something the one-thread lifter cannot express in TVM TE."""

    def __init__(self, construct: str, line: int | None, message: str):
        super().__init__(message)
        self.construct = construct
        self.line = line
        self.message = message

    def describe(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.construct}: {self.message}"
