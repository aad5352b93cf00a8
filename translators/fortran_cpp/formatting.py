"""clang-format pass over the generated code, in the project's C++ style."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

STYLE = "{BasedOnStyle: Google, IndentWidth: 4, ColumnLimit: 100, AccessModifierOffset: -2, " \
        "AllowShortFunctionsOnASingleLine: Inline, AllowShortIfStatementsOnASingleLine: Never, " \
        "AllowShortLoopsOnASingleLine: false, IncludeBlocks: Preserve}"


def clang_format_binary() -> str | None:
    try:  # the PyPI wheel ships the native binary; its console script is a slow Python wrapper
        import clang_format
        native = clang_format.get_executable("clang-format")
        if native and Path(native).exists():
            return native
    except (ImportError, AttributeError, OSError):
        pass
    local = Path(sys.executable).with_name("clang-format")
    if local.exists():
        return str(local)
    return shutil.which("clang-format")


def format_cpp(code: str) -> str:
    """The code as clang-format lays it out; unchanged when clang-format is not installed."""
    binary = clang_format_binary()
    if binary is None:
        return code
    try:
        done = subprocess.run([binary, f"--style={STYLE}", "--assume-filename=translation.cpp"],
                              input=code, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return code
    return done.stdout if done.returncode == 0 and done.stdout.strip() else code
