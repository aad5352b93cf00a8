"""Checks a toolchain setting before transverify runs it.

A compiler path from the editor's settings is executed as the user.  It is
accepted only when it names a real compiler: an existing, executable regular
file (after following links), named like the tool it stands for (gfortran,
g++/c++/clang++, nvcc, with an optional target prefix and version suffix),
not a script, not writable by others, and not inside an open workspace folder
(a cloned repository must not be able to bring its own "compiler").
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from pathlib import Path
from typing import Iterable

_NAMES = {
    "gfortran": re.compile(r"^([\w.]+-)*gfortran(-[\d.]+)?$"),
    "gxx": re.compile(r"^([\w.]+-)*(g\+\+|c\+\+|clang\+\+)(-[\d.]+)?$"),
    "nvcc": re.compile(r"^nvcc$"),
}


class ToolchainSettingError(Exception):
    """The message names the setting, the value and what is wrong with it."""


def check_toolchain(toolchain: dict[str, str], workspace_roots: Iterable[Path]) -> dict[str, str]:
    """The settings' toolchain overrides with absolute, checked paths; raises ToolchainSettingError."""
    roots = [Path(r).resolve() for r in workspace_roots]
    return {tool: _check(tool, value, roots) for tool, value in toolchain.items() if value}


def _check(tool: str, value: str, roots: list[Path]) -> str:
    setting = f"transverify.toolchain.{tool}"
    pattern = _NAMES.get(tool)
    if pattern is None:
        raise ToolchainSettingError(f"{setting}: unknown tool (expected one of {', '.join(_NAMES)})")
    found = value if os.sep in value else shutil.which(value)
    if not found:
        raise ToolchainSettingError(f"{setting}: '{value}' is not found on PATH")
    path = Path(found)
    if not path.is_absolute():
        raise ToolchainSettingError(f"{setting}: '{value}' must be an absolute path")
    real = path.resolve()
    if not (pattern.match(path.name) or pattern.match(real.name)):
        raise ToolchainSettingError(f"{setting}: '{value}' is not named like {tool} "
                                    f"(e.g. {'g++' if tool == 'gxx' else tool}, x86_64-linux-gnu-{tool}-12)")
    try:
        info = real.stat()
    except OSError as exc:
        raise ToolchainSettingError(f"{setting}: '{value}' does not exist ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode) or not os.access(real, os.X_OK):
        raise ToolchainSettingError(f"{setting}: '{value}' is not an executable file")
    if info.st_mode & stat.S_IWOTH:
        raise ToolchainSettingError(f"{setting}: '{value}' is writable by every user; transverify will not run it")
    for root in roots:
        if real == root or root in real.parents or root in path.parents:
            raise ToolchainSettingError(f"{setting}: '{value}' lies inside the workspace folder {root}; "
                                        "transverify only runs compilers installed outside the project")
    try:
        with real.open("rb") as handle:
            if handle.read(2) == b"#!":
                raise ToolchainSettingError(f"{setting}: '{value}' is a script, not a compiler; point it at "
                                            "the compiler's binary")
    except OSError as exc:
        raise ToolchainSettingError(f"{setting}: cannot read '{value}': {exc.strerror}") from None
    return str(path)
