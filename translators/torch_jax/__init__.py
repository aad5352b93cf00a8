"""Rule-based PyTorch -> JAX translation (the offline Solver of the pair).

translate_file(source) translates the module's own Python (ast_route) and copies the prelude
pieces the translation uses into the same file, so the result stands alone.  Where the AST route
cannot map the entry module, it falls back to the export-graph route (export_route): the ATen
graph of torch.export, emitted op by op.  The file's docstring says which route produced it."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from .ast_route import FileTranslator, Issue
from .emit import needed_prelude

ROUTE_AST = "ast"
ROUTE_EXPORT = "export"
# Refusals the export route may overcome: a missing mapping, not a construct JAX cannot express
# the same way (random numbers in forward, attribute assignment, non-default options).
UNMAPPED = ("no JAX mapping", "no JAX layer")
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
    """The AST route; where it cannot map the module and torch is installed, the export-graph
    route for the entry module (export_route.py)."""
    path = Path(source)
    result = translate_text(path.read_text(encoding="utf-8"), path.name, entry)
    if result.code is None and result.unsupported and _torch_installed() \
            and all(issue.message.startswith(UNMAPPED) for issue in result.unsupported):
        return _export_fallback(path, entry, result)
    return result


def _torch_installed() -> bool:
    from importlib.util import find_spec

    return find_spec("torch") is not None


def _export_fallback(path: Path, entry: str | None, refused: Translation) -> Translation:
    from .export_route import emit, export_graph

    first = refused.unsupported[0]
    why = f"{first.construct} (line {first.line})"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
    entry_name = entry or ("Model" if "Model" in classes else None)
    if entry_name is None or entry_name not in classes:
        return refused
    graph = export_graph(path, entry_name)
    if "error" in graph:
        notes = refused.notes + [f"route: {ROUTE_EXPORT} not possible: {graph['error']}"]
        return Translation(None, refused.unsupported, notes)
    body, issues = emit(graph, entry_name, why)
    if body is None:
        extra = [Issue(i.line, i.construct, i.message) for i in issues]
        return Translation(None, refused.unsupported + extra, refused.notes)
    prelude = needed_prelude(body)
    imports = ["import collections"] if "collections." in prelude else []
    imports += ["import math", "", "import jax", "import jax.numpy as jnp", "from jax import lax"]
    parts = [HEADER.format(name=path.name, route=f"export graph (ATen), the Python AST route could not map {why}",
                           entry=entry_name) + "\n".join(imports)]
    if prelude:
        parts.append("# -- torch semantics used below (transverify prelude) --\n\n" + prelude)
    parts.append("# -- the exported graph, one statement per ATen operation --\n\n" + body)
    code = "\n\n\n".join(parts) + "\n"
    ast.parse(code)
    notes = [f"route: {ROUTE_EXPORT} (torch.export + run_decompositions, ATen ops): the AST route could not map "
             f"{why}: {first.message}"]
    return Translation(code, [], notes, route=ROUTE_EXPORT)
