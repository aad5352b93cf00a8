"""What to verify in a PyTorch source, read with `ast` alone (no torch import).

The source is a benchmark-style file (a `Model` class, `get_inputs()`,
`get_init_inputs()`), or any nn.Module class or function named with --entry whose
inputs come from `get_inputs()`, `--input NAME=shape:dtype` flags or
`# transverify: input x=(8,3,32,32):float32` comments.
"""

from __future__ import annotations

import ast
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import VerifyInputError

DTYPES = ("float16", "bfloat16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool")
_COMMENT = re.compile(r"#\s*transverify:\s*input\s+(.+)$")


@dataclass
class InputSpec:
    name: str
    shape: list[int]
    dtype: str = "float32"


@dataclass
class SourceSpec:
    entry: str
    kind: str  # "class" | "function"
    line: int
    has_get_inputs: bool
    has_get_init_inputs: bool
    inputs: list[InputSpec] = field(default_factory=list)  # from flags / comments when no get_inputs()

    def to_dict(self) -> dict:
        return asdict(self)


def parse_input(text: str, file: str | None = None, line: int | None = None) -> InputSpec:
    """'x=(8,3,32,32):float32', '--input x=8,3:int64' -> InputSpec."""
    name, sep, rest = text.partition("=")
    shape_text, _, dtype = rest.strip().partition(":")
    dtype = (dtype.strip() or "float32").removeprefix("torch.")
    shape_text = shape_text.strip().strip("()[] ")
    try:
        shape = [int(part) for part in shape_text.split(",") if part.strip()] if shape_text else []
    except ValueError:
        shape = None
    if not sep or not name.strip().isidentifier() or shape is None or any(d < 0 for d in shape):
        raise VerifyInputError(f"bad input specification '{text}': expected NAME=(d0,d1,...):dtype", file=file,
                               line=line, construct="input specification")
    if dtype not in DTYPES:
        raise VerifyInputError(f"unknown dtype '{dtype}' in input '{text}' (known: {', '.join(DTYPES)})",
                               file=file, line=line, construct="input specification")
    return InputSpec(name.strip(), shape, dtype)


def _is_module_class(node: ast.ClassDef) -> bool:
    for base in node.bases:
        text = ast.unparse(base)
        if text in ("nn.Module", "torch.nn.Module", "Module"):
            return True
    return False


def read_source_spec(path: Path, entry: str | None, flag_inputs: dict[str, str] | None = None) -> SourceSpec:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise VerifyInputError(f"not UTF-8 text (byte {exc.start})", file=name, construct="encoding")
    try:
        tree = ast.parse(text, filename=name)
    except SyntaxError as exc:
        raise VerifyInputError(f"Python syntax error: {exc.msg}", file=name, line=exc.lineno, construct="syntax")
    top = {node.name: node for node in tree.body if isinstance(node, (ast.ClassDef, ast.FunctionDef))}
    modules = [n for n in tree.body if isinstance(n, ast.ClassDef) and _is_module_class(n)]
    if entry:
        node = top.get(entry)
        if node is None:
            raise VerifyInputError(f"no class or function named '{entry}' at the top level", file=name,
                                   construct="--entry")
    elif "Model" in top and isinstance(top["Model"], ast.ClassDef):
        node = top["Model"]
    elif len(modules) == 1:
        node = modules[0]
    else:
        found = ", ".join(m.name for m in modules) or "none"
        raise VerifyInputError(f"which module to verify? name it with --entry (nn.Module classes: {found})",
                               file=name, construct="entry")
    kind = "class" if isinstance(node, ast.ClassDef) else "function"
    if kind == "class" and not _is_module_class(node):
        raise VerifyInputError(f"class '{node.name}' is not an nn.Module subclass", file=name, line=node.lineno,
                               construct="entry")
    spec = SourceSpec(entry=node.name, kind=kind, line=node.lineno,
                      has_get_inputs="get_inputs" in top, has_get_init_inputs="get_init_inputs" in top)
    if flag_inputs:
        spec.inputs = [parse_input(f"{k}={v}", file=name) for k, v in flag_inputs.items()]
    else:
        for number, source_line in enumerate(text.splitlines(), start=1):
            match = _COMMENT.search(source_line)
            if match:
                spec.inputs.append(parse_input(match.group(1).strip(), file=name, line=number))
    if not spec.inputs and not spec.has_get_inputs:
        raise VerifyInputError(
            f"no inputs for '{spec.entry}': define get_inputs(), pass --input NAME=shape:dtype, or add a "
            "'# transverify: input x=(8,3,32,32):float32' comment", file=name, line=node.lineno, construct="inputs")
    return spec


def check_candidate(path: Path, entry: str) -> None:
    """The candidate parses and defines the entry the harness will call."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text, filename=name)
    except UnicodeDecodeError as exc:
        raise VerifyInputError(f"not UTF-8 text (byte {exc.start})", file=name, construct="encoding",
                               stage="compile_candidate")
    except SyntaxError as exc:
        raise VerifyInputError(f"Python syntax error: {exc.msg}", file=name, line=exc.lineno, construct="syntax",
                               stage="compile_candidate")
    names = {n.name for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))}
    names |= {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
    if entry not in names:
        raise VerifyInputError(f"the candidate defines no '{entry}' (the class or function the source names)",
                               file=name, construct="candidate convention", stage="compile_candidate")
