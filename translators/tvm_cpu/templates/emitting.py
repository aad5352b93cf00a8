"""A template's TE workload -> the default CPU schedule -> C++17 + OpenMP with the entry's signature.

An entry that returns a value gets a static function computing into a one-element
buffer and the entry itself returns that element.
"""

from __future__ import annotations

from pathlib import Path

from ..emit import C_TYPES, Printer, header_parts
from ..prelude import PRELUDE
from ..vector_unit import vector_width_words
from .cues import Cues
from .library import RESULT, Built, Candidate


def emit_candidate(candidate: Candidate, built: Built, cues: Cues, path: Path) -> tuple[str, list[str]]:
    """The C++ file and the schedule's decisions (EmitError or TVM's errors propagate)."""
    from ..schedule import default_schedule, lower

    mod, decisions = built.schedule(built.func) if built.schedule else default_schedule(built.func, built.blocks)
    lowered = lower(mod)
    printer = Printer(lowered, built.buffers, built.scalars, streaming=True)
    body = printer.body()
    host = cues.host
    used = set(built.buffers.values()) | set(built.scalars)
    unused = [f"    (void){p.name};" for p in host.params if p.name not in used]
    header = [
        f"CPU equivalent of CUDA kernel{'s' if len(cues.kernels) > 1 else ''} "
        f"{', '.join(repr(k) for k in cues.kernels) or '(none launched)'} (entry {host.name}, {path.name}),",
        f"recognised as the operator template '{candidate.template}': {built.formula}.",
        "The kernel's own algorithm is replaced by the template's TVM TE workload,",
        "emitted as C++17 + OpenMP (build with -fopenmp); kept only because it verified against the .cu.",
        vector_width_words(),
        "Schedule:", *[f"  {d}" for d in decisions],
    ]
    header, extra = header_parts([printer], header)
    comment = ["// " + line if line else "//" for line in header]
    declarations = ", ".join(p.declaration for p in host.params)
    linkage = "extern \"C\" " if host.extern_c else ""
    if host.return_dtype is None:
        return "\n".join(comment + ["", PRELUDE, *extra, f"{linkage}void {host.name}({declarations}) {{", *unused,
                                    *body, "}", ""]), decisions
    ctype = C_TYPES[host.return_dtype]
    arguments = ", ".join([p.name for p in host.params] + [RESULT])
    inner = f"{host.name}_template"
    inner_params = ", ".join([d for d in (declarations, f"{ctype}* {RESULT}") if d])
    return "\n".join(comment + [
        "", PRELUDE, *extra,
        f"// The template's workload; the value {host.name} returns is computed into {RESULT}[0].",
        f"static void {inner}({inner_params}) {{",
        *unused, *body, "}", "",
        f"{linkage}{host.return_text} {host.name}({declarations}) {{",
        f"    {ctype} {RESULT}[1] = {{}};",
        f"    {inner}({arguments});",
        f"    return {RESULT}[0];",
        "}", ""]), decisions
