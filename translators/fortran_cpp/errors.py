"""The one exception the translator raises internally: a construct the rules do not cover.

It is always caught at statement level and turned into an `Unsupported` entry, so a
single unknown construct never hides the others, and callers never see a traceback.
"""

from __future__ import annotations


class UnsupportedConstruct(Exception):
    def __init__(self, construct: str, message: str, line: int | None = None):
        super().__init__(message)
        self.construct = construct
        self.message = message
        self.line = line
        self.follow_on = False  # a consequence of a problem already reported (not listed again)


def follow_on(name: str) -> UnsupportedConstruct:
    problem = UnsupportedConstruct("declaration", f"'{name}' has an unsupported declaration")
    problem.follow_on = True
    return problem
