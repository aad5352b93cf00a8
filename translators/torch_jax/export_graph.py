"""The export route's sandboxed step: run the user's module through torch.export and write its
ATen graph as plain JSON (export_route.py emits JAX from it).

    python -m transverify.translators.torch_jax.export_graph SOURCE ENTRY GRAPH.json

torch.export executes the module, so this runs in the verification sandbox, never in the
translating process."""

from __future__ import annotations

import importlib.util
import json
import sys
import traceback

SCALARS = (bool, int, float, str, type(None))


def _encode(value, torch):
    import torch.fx

    if isinstance(value, torch.fx.Node):
        return {"node": value.name}
    if isinstance(value, (list, tuple)):
        return {"list": [_encode(v, torch) for v in value]}
    if isinstance(value, SCALARS):
        return {"value": value if not isinstance(value, float) or value == value else repr(value)}
    if isinstance(value, torch.dtype):
        return {"dtype": str(value).removeprefix("torch.")}
    if isinstance(value, (torch.device, torch.layout, torch.memory_format)):
        return {"value": None}
    raise TypeError(f"an argument of type {type(value).__name__} in the exported graph")


def _line(node, path: str) -> int | None:
    """The line of the user's file this node comes from (the innermost frame in that file)."""
    line = None
    for text in (node.meta.get("stack_trace") or "").splitlines():
        text = text.strip()
        if text.startswith(f'File "{path}", line '):
            try:
                line = int(text.split(", line ")[1].split(",")[0])
            except (IndexError, ValueError):
                pass
    return line


def export(path: str, entry: str) -> dict:
    import torch

    spec = importlib.util.spec_from_file_location("transverify_export_source", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    init = list(module.get_init_inputs()) if hasattr(module, "get_init_inputs") else []
    if not hasattr(module, "get_inputs"):
        return {"error": "the export route needs get_inputs() (example inputs to trace with)"}
    model = getattr(module, entry)(*init).eval()
    inputs = tuple(module.get_inputs())
    with torch.no_grad():
        single = isinstance(model(*inputs), torch.Tensor)
    program = torch.export.export(model, inputs, strict=False).run_decompositions({})
    signature = program.graph_signature
    if any(spec.kind.name != "USER_OUTPUT" for spec in signature.output_specs):
        return {"error": "the exported graph updates buffers (train-mode state): the export route is eval-only"}
    constants = {}
    placeholders = []
    for spec in signature.input_specs:
        item = {"name": spec.arg.name, "kind": spec.kind.name, "target": spec.target}
        if spec.kind.name == "CONSTANT_TENSOR":
            value = program.constants[spec.target]
            constants[spec.arg.name] = {"values": value.tolist(), "dtype": str(value.dtype).removeprefix("torch.")}
        placeholders.append(item)
    nodes = []
    for node in program.graph.nodes:
        if node.op != "call_function":
            continue
        target = node.target
        name = getattr(target, "__name__", str(target))
        schema = getattr(target, "_schema", None)
        nodes.append({"name": node.name, "target": str(target) if schema is not None else f"python.{name}",
                      "arg_names": [a.name for a in schema.arguments] if schema is not None else [],
                      "args": [_encode(a, torch) for a in node.args],
                      "kwargs": {k: _encode(v, torch) for k, v in node.kwargs.items()},
                      "line": _line(node, path)})
    outputs = [spec.arg.name for spec in signature.output_specs]
    return {"placeholders": placeholders, "constants": constants, "nodes": nodes, "outputs": outputs,
            "single": single, "init_count": len(init)}


def main(argv: list[str]) -> int:
    path, entry, out = argv
    try:
        graph = export(path, entry)
    except Exception as exc:  # the module does not export: reported, the route refuses
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == path]
        graph = {"error": f"torch.export fails: {exc.__class__.__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
                 "line": frames[-1].lineno if frames else None}
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(graph, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
