"""The export-graph route: where the AST route cannot map a module, run it through
torch.export(strict=False) + run_decompositions({}) in the sandbox (export_graph.py) and emit
JAX from the ATen graph: one statement per operation (aten_ops.py), parameters read by their
state_dict names, and every value export baked in (group counts, view sizes, scalars) named as
an attribute set in __init__, so the code shows which numbers are fixed.  The emitted class
follows the candidate convention and is verified like any other translation."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from .aten_ops import OPS, op_name

TRIVIAL = ("0", "1", "-1", "None", "True", "False", "[]")
EXPORT_TIMEOUT = 120.0


@dataclass
class ExportIssue:
    line: int | None
    construct: str
    message: str


def export_graph(source: Path, entry: str) -> dict:
    """The ATen graph of `entry` in `source`, exported in the sandbox (or {"error": ...})."""
    from transverify.verify import sandbox
    from transverify.verify.torch_jax.runner import ENV, MEMORY_MB

    workdir = sandbox.make_workdir("transverify-export-")
    try:
        copy = workdir / source.name
        copy.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
        outcome = sandbox.run([sys.executable, "-m", "transverify.translators.torch_jax.export_graph", str(copy),
                               entry, "graph.json"], workdir,
                              sandbox.Limits(timeout=EXPORT_TIMEOUT, memory_mb=MEMORY_MB, max_processes=1024,
                                             cpu_seconds=int(EXPORT_TIMEOUT * 8)),
                              env=ENV, code_dirs=_package_dirs(), writable=["graph.json"])
        try:
            graph = json.loads((workdir / "graph.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            tail = " | ".join(outcome.stderr_text.strip().splitlines()[-2:])
            return {"error": f"torch.export did not finish ({outcome.describe_failure()}){': ' + tail if tail else ''}"}
        return graph if isinstance(graph, dict) else {"error": "torch.export wrote no graph"}
    finally:
        sandbox.remove_workdir(workdir)


def _package_dirs() -> list[Path]:
    import transverify
    from transverify import translators, verify

    return [Path(m.__file__).resolve().parent for m in (transverify, translators, verify)]


class _Emitter:
    def __init__(self, graph: dict):
        self.graph = graph
        self.constants: list[tuple[str, str]] = []
        self.issues: list[ExportIssue] = []

    def render(self, value, owner: str, argument: str) -> str:
        if "node" in value:
            return value["node"]
        if "list" in value:
            items = [self.render(v, owner, f"{argument}_{i}") if "node" in v else self._literal(v)
                     for i, v in enumerate(value["list"])]
            text = "[" + ", ".join(items) + "]"
            if any("node" in v for v in value["list"]):
                return text
            return self._name(text, owner, argument)
        if "dtype" in value:
            return value["dtype"]
        return self._name(self._literal(value), owner, argument)

    def _literal(self, value) -> str:
        if "list" in value:
            return "[" + ", ".join(self._literal(v) for v in value["list"]) + "]"
        if "dtype" in value:
            return value["dtype"]
        item = value.get("value")
        return repr(item) if not (isinstance(item, str) and item in ("nan", "inf", "-inf")) else f"float({item!r})"

    def _name(self, text: str, owner: str, argument: str) -> str:
        """A value export fixed: inline when trivial, else an attribute named after its use."""
        if text in TRIVIAL or text.startswith("'"):
            return text
        name = f"{owner}_{argument}"
        self.constants.append((name, text))
        return f"self.{name}"

    def statement(self, node: dict) -> str | None:
        target = node["target"]
        if target == "python.getitem":
            source, index = node["args"][0]["node"], self._literal(node["args"][1])
            return f"{node['name']} = {source}[{index}]"
        name = op_name(target)
        render = OPS.get(name)
        if render is None:
            self.issues.append(ExportIssue(node.get("line"), target, "no JAX mapping for this ATen operation "
                                           "(export-graph route)"))
            return None
        arguments = {}
        for i, value in enumerate(node["args"]):
            key = node["arg_names"][i] if i < len(node["arg_names"]) else f"arg{i}"
            arguments[key] = self.render(value, node["name"], key)
        for key, value in node["kwargs"].items():
            arguments[key] = self.render(value, node["name"], key)
        try:
            expression = render(arguments)
        except KeyError as exc:
            self.issues.append(ExportIssue(node.get("line"), target, f"argument {exc} missing (export-graph route)"))
            return None
        where = f"  # line {node['line']}" if node.get("line") else ""
        return f"{node['name']} = {expression}{where}"


def emit(graph: dict, entry: str, refused: str) -> tuple[str | None, list[ExportIssue]]:
    """(class source, issues) for the exported graph of `entry`."""
    emitter = _Emitter(graph)
    body = []
    inputs = []
    for item in graph["placeholders"]:
        if item["kind"] in ("PARAMETER", "BUFFER"):
            body.append(f"{item['name']} = params[{item['target']!r}]")
        elif item["kind"] == "CONSTANT_TENSOR":
            constant = graph["constants"][item["name"]]
            emitter.constants.append((item["name"], f"jnp.asarray({constant['values']!r}, "
                                                    f"dtype=jnp.{constant['dtype']})"))
            body.append(f"{item['name']} = self.{item['name']}")
        elif item["kind"] == "USER_INPUT":
            inputs.append(item["name"])
        else:
            emitter.issues.append(ExportIssue(None, item["kind"], "an exported input of this kind is not emitted"))
    for node in graph["nodes"]:
        line = emitter.statement(node)
        if line is not None:
            body.append(line)
    if emitter.issues:
        return None, emitter.issues
    outputs = graph["outputs"]
    body.append(f"return {outputs[0]}" if graph.get("single") and len(outputs) == 1
                else f"return ({', '.join(outputs)}{',' if len(outputs) == 1 else ''})")
    init = [f"self.{name} = {text}  # fixed by torch.export" for name, text in emitter.constants] or ["pass"]
    lines = [f"class {entry}:",
             f'    """Route: export graph (torch.export(strict=False) + run_decompositions({{}}), ATen ops), because',
             f"    the Python AST route could not map {refused}. Values export fixed are the attributes set in",
             '    __init__: they hold at the traced configuration only."""',
             "",
             "    def __init__(self, *init_inputs):",
             *[f"        {line}" for line in init],
             "",
             f"    def __call__(self, params, {', '.join(inputs)}):",
             *[f"        {line}" for line in body]]
    return "\n".join(lines) + "\n", []
