"""Copy the prelude pieces a translation uses (and what they use) into its file."""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

PRELUDE = Path(__file__).parent / "prelude"
MODULES = ("core", "functional", "layers")


@lru_cache(maxsize=1)
def _definitions() -> list[tuple[str, str, frozenset[str]]]:
    """(name, source, names it refers to) for every top-level definition, in prelude order."""
    out = []
    for module in MODULES:
        text = (PRELUDE / f"{module}.py").read_text(encoding="utf-8")
        lines = text.split("\n")
        for node in ast.parse(text).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                source = "\n".join(lines[node.lineno - 1:node.end_lineno])
                refs = frozenset(n.id for n in ast.walk(node) if isinstance(n, ast.Name))
                out.append((node.name, source, refs))
    return out


def prelude_names() -> set[str]:
    return {name for name, _, _ in _definitions()}


def needed_prelude(code: str) -> str:
    """The definitions `code` refers to, with their own dependencies, in dependency-safe order."""
    by_name = {name: (source, refs) for name, source, refs in _definitions()}
    wanted: set[str] = set()
    pending = [n.id for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Name) and n.id in by_name]
    while pending:
        name = pending.pop()
        if name in wanted:
            continue
        wanted.add(name)
        pending += [r for r in by_name[name][1] if r in by_name and r not in wanted]
    return "\n\n\n".join(source for name, source, _ in _definitions() if name in wanted)
