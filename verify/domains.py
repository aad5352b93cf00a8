"""Value domains: the range each input is drawn from when the default one is wrong for it.

A domain comes from, in order of precedence:
  1. `--range NAME=LO:HI` (VerifyOptions.ranges),
  2. a structured comment in the source (C++/CUDA `// transverify: range x=0:1, y=-1:1`,
     Fortran `! transverify: range x=0:1`),
  3. cheap inference from the source (verify/cuda/domain_inference.py for C++/CUDA,
     infer_fortran below): elements compared for equality with small constants (0/1 grids),
     computed GO TO selectors (0 .. labels + 1: every branch, and the fall-through), arrays used as indices, `% 2` / `mod(x, 2)` parities, explicit clamps.
Bounds are numbers; an inferred index domain may say `len(ARRAY)-1` (the extent of ARRAY
in that case). Integers are drawn inclusive of both bounds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import VerifyInputError

FLAG, COMMENT, INFERRED = "flag", "comment", "inferred"
_C_COMMENT = re.compile(r"//\s*transverify:\s*range\s+(.+)$", re.MULTILINE)
_F_COMMENT = re.compile(r"!\s*transverify:\s*range\s+(.+)$", re.MULTILINE | re.IGNORECASE)
# Equality tests against constants up to this magnitude suggest a small value set (flags, grids).
SMALL_CONSTANT = 16


@dataclass
class Domain:
    name: str
    lo: str
    hi: str
    source: str  # "flag" | "comment" | "inferred"
    reason: str

    @property
    def numeric(self) -> tuple[float, float] | None:
        """(lo, hi) as numbers, or None when a bound depends on an extent."""
        try:
            return float(self.lo), float(self.hi)
        except ValueError:
            return None

    def to_dict(self) -> dict:
        result: dict = {"name": self.name, "lo": _number(self.lo), "hi": _number(self.hi), "source": self.source,
                        "reason": self.reason}
        return result


def _number(text: str):
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() else value


def parse_range(name: str, text: str, origin: str, file: str | None = None, line: int | None = None) -> Domain:
    """'LO:HI' (numbers, LO <= HI) -> Domain; a clear error otherwise."""
    lo, sep, hi = text.partition(":")
    try:
        if not sep:
            raise ValueError
        low, high = float(lo), float(hi)
    except ValueError:
        raise VerifyInputError(f"range for '{name}' must be LO:HI with two numbers, got '{text}'", file=file,
                               line=line, construct="--range" if origin == FLAG else "transverify: range",
                               stage="parse") from None
    if low > high:
        raise VerifyInputError(f"range for '{name}' is empty ({text}: LO is above HI)", file=file, line=line,
                               construct="--range" if origin == FLAG else "transverify: range", stage="parse")
    reason = f"--range {name}={text}" if origin == FLAG else f"'transverify: range {name}={text}' comment"
    return Domain(name, lo.strip(), hi.strip(), origin, reason)


def comment_ranges(text: str, fortran: bool, file: str) -> dict[str, Domain]:
    found: dict[str, Domain] = {}
    pattern = _F_COMMENT if fortran else _C_COMMENT
    for match in pattern.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        for item in match.group(1).split(","):
            name, sep, value = item.partition("=")
            if not sep or not name.strip():
                raise VerifyInputError(f"expected NAME=LO:HI in the range comment, got '{item.strip()}'", file=file,
                                       line=line, construct="transverify: range", stage="parse")
            key = name.strip().lower() if fortran else name.strip()
            found[key] = parse_range(key, value.strip(), COMMENT, file, line)
    return found


def resolve(names: list[str], flags: dict[str, str], source_text: str, fortran: bool, file: str,
            inferred: dict[str, Domain], line: int | None = None) -> dict[str, Domain]:
    """Flags over comments over inference, for the given parameter names."""
    known = {n.lower() if fortran else n for n in names}
    domains = dict(inferred)
    comments = comment_ranges(source_text, fortran, file)
    for name in comments:
        if name not in known:
            raise VerifyInputError(f"range comment names '{name}', which is not a parameter (parameters: "
                                   f"{', '.join(names)})", file=file, construct="transverify: range", stage="parse")
    domains.update(comments)
    for name, text in flags.items():
        key = name.lower() if fortran else name
        if key not in known:
            raise VerifyInputError(f"--range names '{name}', which is not a parameter (parameters: "
                                   f"{', '.join(names)})", file=file, line=line, construct="--range", stage="parse")
        domains[key] = parse_range(key, text, FLAG, file, line)
    return domains


def merge_inferred(found: dict[str, Domain], domain: Domain) -> None:
    """Keep one inferred domain per name: the first clue wins, a later one only widens it."""
    old = found.get(domain.name)
    if old is None:
        found[domain.name] = domain
        return
    a, b = old.numeric, domain.numeric
    if a is not None and b is not None:
        lo, hi = min(a[0], b[0]), max(a[1], b[1])
        found[domain.name] = Domain(old.name, _fmt(lo), _fmt(hi), INFERRED, f"{old.reason}; {domain.reason}")


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def widened_clamp(name: str, lo: float, hi: float, how: str) -> Domain:
    """A clamp to [lo, hi]: draw beyond both bounds so that each side of it is taken."""
    margin = max(1.0, (hi - lo) / 2)
    return Domain(name, _fmt(lo - margin), _fmt(hi + margin), INFERRED,
                  f"{how}: values on both sides of the clamp")


def equality_domain(name: str, constants: list[int], where: str) -> Domain:
    lo, hi = min([0, *constants]), max([1, *constants])
    shown = ", ".join(str(c) for c in sorted(set(constants)))
    return Domain(name, _fmt(lo), _fmt(hi), INFERRED, f"compared for equality with {shown} only ({where})")


def parity_domain(name: str, where: str) -> Domain:
    return Domain(name, "-1000", "999", INFERRED,
                  f"remainder taken ({where}): negative values too, where C and Fortran differ from floor modulo")


# ---- Fortran --------------------------------------------------------------------------------

def infer_fortran(body: str, integer_args: set[str], index_args: set[str]) -> dict[str, Domain]:
    """Inference on the lowercase text of a Fortran procedure, for its integer arguments."""
    found: dict[str, Domain] = {}
    for name in sorted(integer_args):
        n = re.escape(name)
        selector = re.search(rf"\bgo\s*to\s*\(([\d\s,]+)\)\s*,?\s*{n}\s*$", body, re.MULTILINE)
        if selector:  # go to (10, 130), job: each branch, and once in a while none (falls through)
            labels = len([x for x in selector.group(1).split(",") if x.strip()])
            merge_inferred(found, Domain(name, "0", str(labels + 1), INFERRED,
                                         f"computed GO TO selector over {labels} labels"))
            continue
        element = rf"\b{n}\b(?:\s*\([^()]*\))?"
        constants, other, first = [], False, ""
        for match in re.finditer(rf"{element}\s*(==|/=|\.eq\.|\.ne\.|<=|>=|<|>|\.lt\.|\.gt\.|\.le\.|\.ge\.)\s*"
                                 rf"([-+]?\w+)", body):
            op, value = match.group(1), match.group(2)
            if op in ("==", "/=", ".eq.", ".ne.") and re.fullmatch(r"[-+]?\d+", value) \
                    and abs(int(value)) <= SMALL_CONSTANT:
                constants.append(int(value))
                first = first or re.sub(r"\s+", " ", match.group(0))
            else:
                other = True
        if constants and not other and len(constants) == _value_uses(body, name):
            merge_inferred(found, equality_domain(name, constants, f"'{first}' in the source"))
            continue
        if name not in index_args and re.search(rf"\bmod\s*\(\s*{element}\s*,\s*2\s*\)", body):
            merge_inferred(found, parity_domain(name, f"mod({name}, 2)"))
    return found


def fortran_domains(proc, flags: dict[str, str], source_text: str, file: str) -> dict[str, Domain]:
    """Domains for a Fortran procedure's arguments (sizes keep the size schedule)."""
    from .unit_inputs import _used_as_index

    integer = {a.name for a in proc.args if a.base == "integer" and not a.is_size and a.intent != "out"}
    index = {name for name in integer if _used_as_index(name, proc.body, proc.arrays)}
    inferred = infer_fortran(proc.body, integer - index, index)
    domains = resolve([a.name for a in proc.args], flags, source_text, True, file, inferred, proc.line)
    for arg in proc.args:
        if arg.struct is not None and arg.name in domains:
            raise VerifyInputError(f"'{arg.name}' is a derived type: ranges apply to numeric arguments, not to the "
                                   f"fields of a type", file=file, line=proc.line, construct="--range", stage="parse")
        if arg.is_size and arg.name in domains:
            raise VerifyInputError(f"'{arg.name}' sizes an array; pin it with --value {arg.name}=N instead of a "
                                   f"range", file=file, line=proc.line, construct="--range", stage="parse")
    return domains


def apply_fortran_domains(proc, cases: list, domains: dict[str, Domain], seed: int) -> None:
    """Redraw the values of arguments with a domain, in place (cases from unit_inputs.generate_cases).
    Boundary cases (every other one) mix LO, HI and 0/1/-1 (inside the domain) with random values;
    a scalar is LO in case 0 and HI in case 1."""
    import numpy as np

    if not domains:
        return
    rng = np.random.default_rng([seed, 0x5EED])
    for index, case in enumerate(cases):
        for arg in proc.args:
            domain = domains.get(arg.name)
            if domain is None or domain.numeric is None or arg.name not in case.values or arg.struct is not None:
                continue
            lo, hi = domain.numeric
            current = np.asarray(case.values[arg.name])
            n = current.size
            if arg.base == "logical":
                values = rng.integers(max(0, int(lo)), min(1, int(hi)) + 1, n).astype(bool)
            elif arg.base == "integer":
                values = rng.integers(int(np.ceil(lo)), int(np.floor(hi)) + 1, n)
            elif arg.base == "complex":  # each part within the domain
                values = rng.uniform(lo, hi, n) + 1j * rng.uniform(lo, hi, n)
            else:
                values = rng.uniform(lo, hi, n)
            if arg.is_array and index % 2 == 1 and n:
                edges = [e for e in (lo, hi, 0.0, 1.0, -1.0) if lo <= e <= hi]
                chosen = rng.random(n) < 0.125
                values[chosen] = np.array(edges)[rng.integers(0, len(edges), int(chosen.sum()))]
            elif not arg.is_array and index < 2:
                values[:] = lo if index == 0 else hi
            values = values.astype(arg.dtype)
            case.values[arg.name] = values if arg.is_array else values.reshape(())


def _value_uses(body: str, name: str) -> int:
    """Occurrences of `name` outside declarations and the procedure's header and end lines."""
    count = 0
    for line in body.splitlines():
        code = line.split("!", 1)[0]
        stripped = code.strip()
        if "::" in code or re.match(r"(end\b|subroutine\b|.*\bfunction\b)", stripped):
            continue
        count += len(re.findall(rf"\b{re.escape(name)}\b", code))
    return count
