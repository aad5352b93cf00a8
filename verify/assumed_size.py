"""Size assumed-size dummies (`x(*)`, `a(lda,*)`) from how the routine uses its integers.

Public API:
  size_assumed(proc, shapes) -> None
      Replaces each `*` extent with an expression over the routine's integer arguments and
      gives those arguments a role the input generator honours:
        "length"  an element count: a DO-loop bound (directly, or through a local it is
                  copied into), or the `n` of `(n-1)*incx`; drawn from the size schedule
        "stride"  an increment: named inc*, a DO-loop step, or added to an index variable
                  (`ix = ix + incx`); drawn from 1, 2, 3 and, where the routine tests its
                  sign, negative values
        "leading" the first extent of a 2-D assumed-size array (`lda`): at least the largest
                  length, so every column the routine may address exists
      A length the routine increases in place (`nzv = nzv + 1` before `v(nzv) = val`) adds
      that much. A 1-D array with stride s gets 1 + (L-1)*|s| elements, L the largest length (the
      reference BLAS layout; negative strides walk the same elements backwards); a 2-D one
      gets L columns. Larger than needed is safe: both sides receive the same elements, and
      every element is compared afterwards.
      `shapes` (from --shape NAME=EXPR) gives the extent of NAME's last dimension instead.
      VerifyInputError when an extent cannot be inferred, naming the flag to add.
"""

from __future__ import annotations

import re

from .errors import VerifyInputError
from .fortran_signature import Arg, Procedure

_DO = re.compile(r"(?m)^\s*(?:\d+\s+)?(?:\w+\s*:\s*)?do\s+(?:\d+\s*,?\s*)?(\w+)\s*=\s*(.+)$")


def size_assumed(proc: Procedure, shapes: dict[str, str]) -> None:
    _legacy_last_extent_one(proc)
    assumed = [a for a in proc.args if a.assumed_size]
    if not assumed:
        return
    shapes = {k.lower(): v for k, v in shapes.items()}
    integers = [a for a in proc.args if a.base == "integer" and not a.is_array and a.intent != "out"]
    bounds = _loop_bound_text(proc.body, _last_subscript_loops(proc, assumed))
    strides = [a for a in integers if not a.is_size and _is_stride(a.name, proc.body)]
    band = _band_widths(proc.body, {a.name for a in integers} - {a.name for a in strides})
    lengths = [a for a in integers if a not in strides and (a.is_size or _mentions(bounds, a.name) or a.name in band
                                                            or _bounds_a_goto_loop(a.name, proc.body)
                                                            or re.search(rf"\b{a.name}\s*-\s*1\s*\)\s*\*", proc.body))]
    leading = {a.dims[0][1] for a in assumed if len(a.dims) == 2}
    # Extents of the other dimensions (lda, ldx/2*2+1) are sizes of their own, not lengths.
    inner = {ident for a in assumed for lower, upper in a.dims[:-1] for ident in re.findall(r"[a-z_]\w*", f"{lower} {upper}")}
    lengths = [a for a in lengths if a.name not in leading and a.name not in inner]
    for arg in strides:
        arg.role = "stride"
    for arg in lengths:
        if not arg.is_size:
            arg.role = "length"
            arg.is_size = True
    for arg in integers:
        if arg.name in leading and arg.is_size:
            arg.role = "leading"
    longest = _largest(lengths)
    growth = _grown_in_place(proc.body, lengths)
    if longest is not None and growth:
        longest = f"{longest} + {growth}"  # nzv = nzv + 1; v(nzv) = val: one element past the count
    for arg in assumed:
        lower, _ = arg.dims[-1]
        plane = _plane_subscript(proc, arg, integers)
        if arg.name in shapes:
            extent = shapes[arg.name]
        elif plane is not None:  # v(m, i, j, k-1) .. v(m, i, j, k+1): planes up to k + 1
            index, low, high = plane
            index.role, index.min_index = "plane", int(lower) - low
            extent = f"{index.name} + {high} - ({lower}) + 1"
        elif longest is None and (common := _common_loop_extent(proc, arg)) is not None:
            extent = common
        elif longest is None:
            raise VerifyInputError(f"cannot tell how many elements assumed-size argument '{arg.name}' of "
                                   f"'{proc.name}' has (no integer argument bounds its loops): give the extent of "
                                   f"its last dimension with --shape {arg.name}=EXPR", line=arg.line,
                                   construct=arg.name)
        elif len(arg.dims) == 1:
            stride = _stride_of(arg, strides)
            extent = f"1 + ({longest} - 1) * abs({stride.name})" if stride else longest
            if not stride and (_computed_subscripts(arg.name, proc.body) or _TRIANGULAR.search(proc.body)
                               or _accumulated_offset(proc.body)):
                extent = f"({longest}) * ({longest} + 1) / 2 + {longest}"  # packed triangle: ap(ik + j)
        else:
            extent = longest
        upper = extent if lower == "1" else f"({lower}) + ({extent}) - 1"
        arg.dims = [*arg.dims[:-1], (lower, upper)]
    unknown = {ident for arg in assumed for ident in re.findall(r"[a-z_]\w*", arg.dims[-1][1].lower())}
    names = {a.name for a in proc.args} | _integer_commons(proc)
    proc.common_sizes = proc.common_sizes | (unknown & _integer_commons(proc))
    for ident in unknown - names - set(proc.constants) - {"max", "min", "abs", "mod"}:
        raise VerifyInputError(f"--shape uses '{ident}', which is neither an integer argument of '{proc.name}' nor "
                               "a constant of the file", construct="--shape")
    for arg in proc.args:
        if arg.base == "integer" and not arg.is_array and arg.name in unknown and not arg.role and not arg.is_size:
            arg.is_size = True


def _plane_subscript(proc: Procedure, arg: Arg, integers: list[Arg]):
    """(argument, lowest offset, highest offset) when every last subscript of a multi-dimensional
    `arg` is one integer argument plus a constant (NPB's blts: v(m, i, j, k-1) and v(m, i, j, k));
    None otherwise."""
    if len(arg.dims) < 2:
        return None
    names = {a.name: a for a in integers if not a.is_size and a.role is None}
    found, offsets = None, []
    for m in re.finditer(rf"\b{re.escape(arg.name)}\s*\(((?:[^()]|\([^()]*\))*)\)", proc.body):
        parts = m.group(1).split(",")
        if len(parts) != len(arg.dims) or parts[-1].strip() == "*":  # the declaration
            continue
        hit = re.fullmatch(r"\s*([a-z_]\w*)\s*(?:([-+])\s*(\d+))?\s*", parts[-1])
        if not hit or hit.group(1) not in names or found not in (None, hit.group(1)):
            return None
        found = hit.group(1)
        offsets.append(int(hit.group(3) or 0) * (-1 if hit.group(2) == "-" else 1))
    if found is None:
        return None
    return names[found], min(offsets), max(offsets)


def _bounds_a_goto_loop(name: str, body: str) -> bool:
    """A loop built from IF and GO TO (`k = n` ... `if (k .eq. 0) go to 80` ... `k = k - 1`, or
    `if (k .gt. n) go to 160`): the argument starts or ends a counter."""
    n = re.escape(name)
    copied = re.search(rf"(?m)^\s*(?:\d+\s+)?\w+\s*(?:\([^()=]*\))?\s*=\s*{n}\s*$", body)  # k = n, stack(2, 1) = n
    compared = re.search(rf"\bif\s*\(\s*\w+\s*(?:\.gt\.|\.ge\.|>=?)\s*{n}\s*\)\s*go\s*to\b", body)
    return bool(copied or compared)


def _band_widths(body: str, names: set[str]) -> set[str]:
    """Integer arguments added to each other to form a row (m = ml + mu + 1): band widths, drawn
    like lengths so that the leading dimension can hold the band."""
    found = set()
    for m in re.finditer(r"(?m)^\s*(?:\d+\s+)?\w+\s*=\s*(\w+)\s*\+\s*(\w+)\b", body):
        if m.group(1) in names and m.group(2) in names and m.group(1) != m.group(2):
            found |= {m.group(1), m.group(2)}
    return found


def _legacy_last_extent_one(proc: Procedure) -> None:
    """FORTRAN 66 spelled an assumed-size dummy `x(1)` / `a(lda,1)`: a last extent of 1 that the
    routine subscripts with anything but the constant 1, or passes whole to a procedure, means `*`."""
    for arg in proc.args:
        if not arg.is_array or arg.assumed_size or arg.dims[-1] != ("1", "1"):
            continue
        rank = len(arg.dims)
        # passed whole to a procedure (`call dcopy(n, y, 1, qy, 1)`): the callee may read past 1
        if re.search(rf"[(,]\s*{re.escape(arg.name)}\s*[,)]", proc.body):
            arg.dims = [*arg.dims[:-1], ("1", "*")]
            arg.assumed_size = True
            continue
        for m in re.finditer(rf"\b{re.escape(arg.name)}\s*\(((?:[^()]|\([^()]*\))*)\)", proc.body):
            parts = [p.strip() for p in m.group(1).split(",")]
            if len(parts) == rank and parts[-1] != "1":
                arg.dims = [*arg.dims[:-1], ("1", "*")]
                arg.assumed_size = True
                break


# k*(k-1)/2, (n*(n+1))/2: positions in packed triangular storage
_TRIANGULAR = re.compile(r"\b\w+\s*\*\s*\(\s*\w+\s*[-+]\s*1\s*\)\s*\)?\s*/\s*2\b")


def _accumulated_offset(body: str) -> bool:
    """An offset grown by a loop counter (`jj = jj + j` inside `do 30 j = 1, n`): the start of
    column j of a packed triangle."""
    counters = {m.group(1) for m in _DO.finditer(body)}
    return any(m.group(2) in counters
               for m in re.finditer(r"(?m)^\s*(?:\d+\s+)?(\w+)\s*=\s*\1\s*\+\s*(\w+)\s*$", body))


def _computed_subscripts(name: str, body: str) -> bool:
    """Some subscript of a 1-D array is computed (`ap(ik + j)`, `ap(kk - 1)` with two variables),
    not a counter plus a constant: packed storage, larger than its order."""
    for m in re.finditer(rf"\b{re.escape(name)}\s*\(((?:[^()]|\([^()]*\))*)\)", body):
        sub = m.group(1).strip()
        if "," in sub or re.fullmatch(r"\w+|\w+\s*[-+]\s*\d+|\d+|\*|\d+\s*:\s*\*", sub):  # not the declaration
            continue
        return True
    return False


def stride_handles_negative(proc: Procedure, name: str) -> bool:
    """The routine tests the stride's sign (`incx.lt.0`, `incx > 0`, ...): negative strides are
    part of its contract."""
    ops = r"(?:\.(?:lt|le|gt|ge|eq|ne)\.|<=|>=|<|>|==|/=)"
    return re.search(rf"\b{re.escape(name)}\s*{ops}\s*0\b|\b0\s*{ops}\s*{re.escape(name)}\b", proc.body) is not None


def _last_subscript_loops(proc: Procedure, assumed: list[Arg]) -> set[str] | None:
    """With only multi-dimensional assumed-size arrays, the loop variables that subscript their
    last dimension (v(m,i,j,k): k); None when a 1-D one exists (its walking index may come from
    any loop)."""
    if any(len(a.dims) == 1 for a in assumed):
        return None
    names: set[str] = set()
    for arg in assumed:
        for m in re.finditer(rf"\b{re.escape(arg.name)}\s*\(((?:[^()]|\([^()]*\))*)\)", proc.body):
            parts = m.group(1).split(",")
            if len(parts) == len(arg.dims):
                names |= set(re.findall(r"[a-z_]\w*", parts[-1]))
    return names


def _loop_bound_text(body: str, variables: set[str] | None = None) -> str:
    """The DO-loop bounds of the body (of the loops over `variables`, when given), plus what
    the locals used there were computed from."""
    bounds = " ".join(m.group(2) for m in _DO.finditer(body) if variables is None or m.group(1) in variables)
    for _ in range(2):  # locals copied from arguments: i1 = k1 ... do i = i1, i2
        for local in set(re.findall(r"[a-z_]\w*", bounds)):
            for m in re.finditer(rf"(?m)^\s*(?:\d+\s+)?{re.escape(local)}\s*=(?!=)\s*(.+)$", body):
                bounds += " " + m.group(1)
    return bounds


def _mentions(text: str, name: str) -> bool:
    return re.search(rf"\b{re.escape(name)}\b", text) is not None


def _is_stride(name: str, body: str) -> bool:
    if name.startswith("inc"):
        return True
    n = re.escape(name)
    step = rf"(?m)^\s*(?:\d+\s+)?do\s+(?:\d+\s*,?\s*)?\w+\s*=[^,\n]+,[^,\n]+,\s*{n}\s*$"
    advance = rf"\b(\w+)\s*=\s*\1\s*\+\s*{n}\b"
    return re.search(step, body) is not None or re.search(advance, body) is not None


def _grown_in_place(body: str, lengths: list[Arg]) -> int:
    """The most a length argument is increased by in place (`nzv = nzv + 1`, an inout count
    that appends an element), 0 when none is."""
    grown = 0
    for arg in lengths:
        n = re.escape(arg.name)
        for m in re.finditer(rf"(?m)^\s*(?:\d+\s+)?{n}\s*=\s*{n}\s*\+\s*(\d+)\s*$", body):
            grown = max(grown, int(m.group(1)))
    return grown


def _integer_commons(proc: Procedure) -> set[str]:
    return {m.name for m in proc.commons if m.base == "integer" and not m.is_array and m.common_type[0] == "integer"}


def _common_loop_extent(proc: Procedure, arg: Arg) -> str | None:
    """Legacy code sizes work arrays by COMMON state (NPB's `do j = 1, naa+1 ... q(j)`): the
    largest upper bound of the DO loops that subscript `arg`'s last dimension, when every such
    bound is an expression of integer COMMON members and constants."""
    members = _integer_commons(proc)
    if not members:
        return None
    subscripts = set()
    for m in re.finditer(rf"\b{re.escape(arg.name)}\s*\(((?:[^()]|\([^()]*\))*)\)", proc.body):
        plain = re.fullmatch(r"\s*([a-z_]\w*)\s*(?:[-+]\s*\d+\s*)?", m.group(1).split(",")[-1])
        if plain:  # z(j), z(j+1); an indirect z(colidx(k)) is bounded by the values, not a loop
            subscripts.add(plain.group(1))
    uppers = []
    for m in _DO.finditer(proc.body):
        parts = [p.strip() for p in m.group(2).split(",")]
        if m.group(1) not in subscripts or len(parts) < 2:
            continue
        idents = set(re.findall(r"[a-z_]\w*", parts[1]))
        if not idents & members or idents - members - set(proc.constants):
            return None  # some loop is bounded otherwise: not ours to guess
        uppers.append(parts[1])
    if not uppers:
        return None
    return f"max({', '.join(dict.fromkeys(uppers))}, 1)"


def _largest(lengths: list[Arg]) -> str | None:
    if not lengths:
        return None
    if len(lengths) == 1:
        return f"max({lengths[0].name}, 1)"
    return f"max({', '.join(a.name for a in lengths)}, 1)"


def _stride_of(arg: Arg, strides: list[Arg]) -> Arg | None:
    """incx goes with x / dx / sx, incy with y / dy; a routine's only stride goes with its only
    1-D assumed-size array or, failing a name match, with every one."""
    for stride in strides:
        suffix = stride.name[3:] if stride.name.startswith("inc") else ""
        if suffix and arg.name.endswith(suffix):
            return stride
    return strides[0] if len(strides) == 1 else None
