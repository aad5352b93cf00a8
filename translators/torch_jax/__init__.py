"""Rule-based PyTorch -> JAX translation (the offline Solver of the pair).

translate_file(source) translates the module's own Python (ast_route) and copies the prelude
pieces the translation uses into the same file, so the result stands alone."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from .ast_route import FileTranslator, Issue
from .emit import needed_prelude

ROUTE_AST = "ast"
HEADER = '''"""JAX translation of {name}, by transverify's rules (route: {route}).

Convention (docs/jax.md): {entry}(*init_inputs)(params, *inputs), params keyed by the torch
state_dict names in torch layouts; a submodule reads its own through a Scope.
"""

'''


@dataclass
class Translation:
    code: str | None
    unsupported: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    route: str = ROUTE_AST


def translate_text(text: str, name: str = "model.py", entry: str | None = None) -> Translation:
    try:
        tree = ast.parse(text, filename=name)
    except SyntaxError as exc:
        return Translation(None, [Issue(exc.lineno, "syntax", f"Python syntax error: {exc.msg}")])
    translator = FileTranslator(tree)
    body = translator.translate()
    if translator.issues:
        return Translation(None, sorted(translator.issues, key=lambda i: i.line or 0), translator.notes)
    entry_name = entry or ("Model" if "Model" in translator.classes else next(iter(translator.classes), "Model"))
    prelude = needed_prelude(body)
    imports = ["import collections"] if "collections." in prelude else []
    imports += ["import math", "", "import jax", "import jax.numpy as jnp", "from jax import lax"]
    parts = [HEADER.format(name=name, route="Python AST, statement by statement", entry=entry_name)
             + "\n".join(imports)]
    if prelude:
        parts.append("# -- torch semantics used below (transverify prelude) --\n\n" + prelude)
    parts.append("# -- the translated module --\n\n" + body)
    code = "\n\n\n".join(parts) + "\n"
    ast.parse(code)  # the emitter's own check: a bug here must not reach the user as a draft
    notes = [f"route: {ROUTE_AST} (the module's own Python, translated statement by statement)"]
    return Translation(code, [], notes + translator.notes)


def translate_file(source: Path | str, entry: str | None = None) -> Translation:
    path = Path(source)
    return translate_text(path.read_text(encoding="utf-8"), path.name, entry)
