"""Explain why a CUDA or C++ program failed at run time, in the user's terms.

Reads AddressSanitizer reports (out-of-bounds accesses), the CPU execution
layer's own messages (failed launches, barrier divergence) and the CUDA
runtime's, and points at the user's file, line and kernel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..result import Diagnostic

_ASAN_KIND = re.compile(r"ERROR: AddressSanitizer: ([\w-]+)")
_ASAN_ACCESS = re.compile(r"^(READ|WRITE) of size (\d+)", re.MULTILINE)
_FRAME = re.compile(r"^\s*#\d+ 0x[0-9a-f]+ in (?P<func>.+?) (?P<file>/[^\s:]+):(?P<line>\d+)(?::\d+)?\s*$",
                    re.MULTILINE)
_LAUNCH = re.compile(r"tvcuda launch error: (.*)")
_FATAL = re.compile(r"tvcuda error: (.*)")


@dataclass
class RuntimeFailure:
    message: str
    diagnostics: list[Diagnostic]


def explain(stderr: str, user_files: dict[str, str], kernels: set[str]) -> RuntimeFailure | None:
    """A RuntimeFailure when stderr shows a known kind of failure, else None.

    `user_files` maps paths as compiled to the user's paths; `kernels` names the
    __global__ functions, so a frame inside one is reported as a kernel.
    """
    kind = _ASAN_KIND.search(stderr)
    if kind:
        return _asan(stderr, kind.group(1), user_files, kernels)
    launch = _LAUNCH.search(stderr)
    if launch:
        text = f"failed kernel launch: {launch.group(1).strip()}"
        return RuntimeFailure(text, _diagnostic_at_launch(launch.group(1), user_files, text))
    fatal = _FATAL.search(stderr)
    if fatal:
        return RuntimeFailure(f"CUDA execution error: {fatal.group(1).strip()}", [])
    return None


def _asan(stderr: str, kind: str, user_files: dict[str, str], kernels: set[str]) -> RuntimeFailure:
    access = _ASAN_ACCESS.search(stderr)
    what = f"{'read' if access.group(1) == 'READ' else 'write'} of {access.group(2)} bytes" if access else "access"
    # The report's first stack is the faulting access; take its first frame in a user file.
    first_stack = stderr[stderr.find("ERROR: AddressSanitizer"):]
    cut = first_stack.find("\n\n", first_stack.find("#0"))
    first_stack = first_stack[:cut] if cut > 0 else first_stack
    for frame in _FRAME.finditer(first_stack):
        user = user_files.get(frame.group("file"))
        if user is None:
            continue
        func = frame.group("func")
        bare = re.sub(r"\(.*$", "", func).split("::")[-1].split("<")[0].strip()
        role = f"kernel '{bare}'" if bare in kernels else f"function '{bare}'"
        line = int(frame.group("line"))
        label = "out-of-bounds" if "overflow" in kind else kind
        message = f"{label} {what} in {role} at {user}:{line} (AddressSanitizer: {kind})"
        return RuntimeFailure(message, [Diagnostic(file=user, line=line, column=1, severity="error",
                                                   message=message)])
    return RuntimeFailure(f"invalid memory {what} (AddressSanitizer: {kind})", [])


def _diagnostic_at_launch(text: str, user_files: dict[str, str], message: str) -> list[Diagnostic]:
    match = re.search(r"at ([^\s:]+):(\d+)", text)
    if not match:
        return []
    for compiled, user in user_files.items():
        if compiled.rsplit("/", 1)[-1] == match.group(1) or user.rsplit("/", 1)[-1] == match.group(1):
            return [Diagnostic(file=user, line=int(match.group(2)), column=1, severity="error", message=message)]
    return []
