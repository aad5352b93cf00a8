"""OpenMP directives (`!$omp ...` comments) to `#pragma omp` lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .context import UnitContext
from .errors import UnsupportedConstruct

_LOOP = {"parallel do": "parallel for", "do": "for", "parallel do simd": "parallel for simd",
         "do simd": "for simd", "simd": "simd"}
_BLOCK = {"parallel", "critical", "single", "master", "masked"}
_STANDALONE = {"barrier", "atomic", "atomic update", "flush"}
_CLAUSE_WORDS = {"private", "firstprivate", "lastprivate", "shared", "reduction", "schedule", "collapse",
                 "num_threads", "default", "if", "nowait"}
_REDUCTION_OPS = {"+": "+", "*": "*", "max": "max", "min": "min", ".and.": "&&", ".or.": "||", "-": "+"}


@dataclass
class OmpDirective:
    kind: str  # loop | open | close | standalone
    pragma: str = ""


def parse_directive(text: str, ctx: UnitContext) -> OmpDirective | None:
    match = re.match(r"!\$omp\s+(.*)$", text, re.IGNORECASE)
    if match is None:
        return None
    body = match.group(1).strip().lower()
    if body.startswith("end"):
        rest = body[3:].strip()
        if rest in _LOOP:
            return OmpDirective("ignored")  # the loop's end needs nothing in C++
        if rest.split("(")[0].strip() in _BLOCK:
            return OmpDirective("close")
        raise UnsupportedConstruct("openmp directive", f"'!$omp {body}'")
    words = re.match(r"([a-z ]+?)(?=\s*(?:\(|$|\b(?:" + "|".join(_CLAUSE_WORDS) + r")\b))", body)
    head = words.group(1).strip() if words else body
    clauses = body[len(head):].strip()
    if head in _LOOP:
        return OmpDirective("loop", f"#pragma omp {_LOOP[head]}{_clauses(clauses, ctx)}")
    if head in _BLOCK:
        return OmpDirective("open", f"#pragma omp {head}{_clauses(clauses, ctx) if head == 'parallel' else ' ' + clauses if clauses else ''}")
    if head in _STANDALONE:
        return OmpDirective("standalone", f"#pragma omp {head}")
    raise UnsupportedConstruct("openmp directive", f"'!$omp {body}'")


def _clauses(text: str, ctx: UnitContext) -> str:
    out = []
    for name, args in re.findall(r"([a-z_]+)\s*(?:\(([^)]*)\))?", text):
        if name == "default":
            continue  # C++ defaults to shared, which default(none) already made explicit
        if name in ("private", "firstprivate", "lastprivate", "shared"):
            names = [_cname(ctx, n) for n in args.split(",") if n.strip()]
            names = [n for n in names if n is not None]
            if names:
                out.append(f"{name}({', '.join(names)})")
        elif name == "reduction":
            op, _, names = args.partition(":")
            op = _REDUCTION_OPS.get(op.strip())
            if op is None:
                raise UnsupportedConstruct("openmp reduction", f"reduction({args})")
            listed = [_cname(ctx, n) for n in names.split(",") if n.strip()]
            out.append(f"reduction({op} : {', '.join(n for n in listed if n)})")
        elif name in ("schedule", "collapse", "num_threads", "if"):
            out.append(f"{name}({args.strip()})")
        elif name == "nowait":
            out.append("nowait")
        else:
            raise UnsupportedConstruct("openmp clause", f"clause '{name}'")
    return (" " + " ".join(out)) if out else ""


def _cname(ctx: UnitContext, name: str) -> str | None:
    symbol = ctx.scope.lookup(name.strip())
    if symbol is None:
        raise UnsupportedConstruct("openmp clause", f"'{name.strip()}' in an OpenMP clause is not declared")
    return None if symbol.loop_local else symbol.cname
