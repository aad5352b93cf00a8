"""COMMON blocks as inputs and outputs of a unit-mode test.

A routine that reads or writes COMMON state (NPB's globals.h, legacy libraries' *.incl) is
tested like one with extra arguments: before each call the harness writes generated values
into every member of the blocks the routine declares, on both sides; after it, every member is
read back and compared.

Convention on the C++ side (what the rule translator emits): each member is a namespace-scope
variable of the member's name, in lower case: a scalar (`int naa;`), or an array holding at
least the member's elements in Fortran (column-major) order as a C array, `std::array` or
`std::vector` (`std::vector<double> a(nz);`).

Public API:
  common_members(proc) -> list[Arg]     the members of the COMMON blocks the entry uses (Arg.common
                                        names the block), extents evaluated with the file's
                                        constants; VerifyInputError naming the member otherwise
  check_common_sizes(proc) -> None       the members that size arguments (Procedure.common_sizes) are
                                        integer scalars; VerifyInputError otherwise
  fortran_common_io(members) -> str     bind(C) `tv_common_io(mode, ...)`: mode 0 copies the
                                        buffers into the blocks, mode 1 copies them out
  reference_lines(members, first) / candidate_lines(members, first)
                                        driver code per case: read the buffers and set the state,
                                        (after the call) write the state out
  CPP_HELPERS                            the candidate driver's copy-in/copy-out templates
"""

from __future__ import annotations

import re

from .errors import VerifyInputError
from .fortran_kinds import split_top
from .fortran_signature import Arg, Procedure, evaluate_extent

_TYPES = [(r"double\s+precision", ("real", 8)), (r"real\s*\*\s*8", ("real", 8)), (r"real\s*\(\s*(?:kind\s*=\s*)?8\s*\)", ("real", 8)),
          (r"real", ("real", 4)), (r"integer\s*\*\s*8", ("integer", 8)), (r"integer\s*\(\s*(?:kind\s*=\s*)?8\s*\)", ("integer", 8)),
          (r"integer", ("integer", 4)), (r"logical", ("logical", 4)), (r"character", ("character", 1)),
          (r"complex", ("complex", 8))]
_C_TYPES = {("character", 1): "char", ("integer", 4): "int32_t", ("integer", 8): "int64_t", ("real", 4): "float", ("real", 8): "double",
            ("logical", 4): "int32_t"}
_F_TYPES = {("integer", 4): "integer(c_int32_t)", ("integer", 8): "integer(c_int64_t)", ("real", 4): "real(c_float)",
            ("real", 8): "real(c_double)", ("logical", 4): "integer(c_int32_t)"}
_USER_TYPES = {("integer", 4): "integer(4)", ("integer", 8): "integer(8)", ("real", 4): "real(4)",
               ("real", 8): "real(8)", ("logical", 4): "logical(4)"}


def _statements(body: str) -> list[str]:
    return [s.strip() for line in body.splitlines() for s in line.split(";") if s.strip()]


def _split(text: str) -> list[str]:
    """Top-level comma-separated items, stripped, empty ones dropped."""
    return [p.strip() for p in split_top(text) if p.strip()]


def _declared(statements: list[str], name: str) -> tuple[tuple[str, int] | None, str | None]:
    """(base, kind) and the dimension text of `name` from its declarations."""
    found_type, dims = None, None
    entity = re.compile(rf"(?:^|,)\s*{re.escape(name)}\s*(\((?:[^()]|\([^()]*\))*\))?\s*"
                        rf"(?:\*\s*\(?\s*[\d*]+\s*\)?\s*)?(?=,|$)")  # character name(3)*8
    for stmt in statements:
        for pattern, typed in _TYPES:
            m = re.match(rf"{pattern}\b(.*)$", stmt)
            if not m:
                continue
            rest = m.group(1)
            if typed[0] == "character":  # character*8 / character(len=8) before the names
                rest = re.sub(r"^\s*(?:\*\s*\(?\s*[\d*]+\s*\)?|\((?:[^()]|\([^()]*\))*\))", "", rest)
            if "::" in rest:
                rest = rest.split("::", 1)[1]
            hit = entity.search(rest.strip())
            if hit:
                found_type = typed
                dims = hit.group(1) or dims
            break
        m = re.match(r"dimension\b\s*(?:::)?(.*)$", stmt)
        if m:
            hit = entity.search(m.group(1).strip())
            if hit and hit.group(1):
                dims = hit.group(1)
    return found_type, dims


_DECLARATION = re.compile(r"(?:double\s+precision|real|integer|logical|character|complex|common|dimension|"
                          r"parameter|save|external|intrinsic|implicit|data|include|subroutine|.*\bfunction|end)"
                          r"\b(?!\s*=)")


def _used_names(statements: list[str]) -> set[str]:
    """Names the executable statements refer to (an INCLUDE file declares blocks a routine may
    not touch: those are left out, as the rule translator leaves them out)."""
    names: set[str] = set()
    for stmt in statements:
        if not _DECLARATION.match(stmt):
            names |= set(re.findall(r"[a-z_]\w*", re.sub(r"'[^']*'", "", stmt)))
    return names


def common_members(proc: Procedure) -> list[Arg]:
    statements = _statements(proc.body)
    used = _used_names(statements) | set(proc.common_sizes)  # a block that only sizes arrays is used too
    members: list[Arg] = []
    for stmt in statements:
        m = re.match(r"common\b(.*)$", stmt)
        if not m:
            continue
        for block, names in re.findall(r"/\s*(\w*)\s*/([^/]*)", m.group(1)):
            if not any(re.match(r"\w+", item).group(0) in used for item in _split(names)):
                continue
            for item in _split(names):
                name = re.match(r"\w+", item).group(0)
                typed, dims = _declared(statements, name)
                inline = item[len(name):].strip()
                dims = inline or dims
                if typed is None:
                    typed = ("integer", 4) if name[0] in "ijklmn" else ("real", 4)
                if typed[0] == "character":
                    members.append(_character_member(proc, statements, block, name, dims))
                    continue
                if typed not in _C_TYPES:
                    raise VerifyInputError(f"COMMON /{block}/ member '{name}' of '{proc.name}' is "
                                           f"{typed[0].upper()}: the harness exchanges integer, real, logical and "
                                           "character COMMON members only", line=proc.line,
                                           construct=f"COMMON /{block}/")
                # logicals travel as 0/1 integers; common_type keeps the declared type
                base, kind = ("integer", 4) if typed[0] == "logical" else typed
                members.append(Arg(name=name, base=base, kind=kind, intent="inout",
                                   dims=_extents(proc, block, name, dims), line=proc.line, common=block,
                                   common_type=typed))
    return members


def _character_member(proc: Procedure, statements: list[str], block: str, name: str, dims: str | None) -> Arg:
    """A CHARACTER member travels as its bytes (blank-padded, Fortran storage order): a
    character*1 scalar as one byte, anything longer or an array of strings as a flat byte array.
    common_type is ("character", LENGTH)."""
    length = _character_length(statements, name)
    if length is None:
        raise VerifyInputError(f"COMMON /{block}/ member '{name}' of '{proc.name}' is CHARACTER of a length that is "
                               "not a literal", line=proc.line, construct=f"COMMON /{block}/")
    extents = _extents(proc, block, name, dims)
    count = length * _count(extents)
    flat = [("1", str(count))] if extents or length > 1 else []
    return Arg(name=name, base="character", kind=1, intent="inout", dims=flat, line=proc.line, common=block,
               common_type=("character", length))


def _character_length(statements: list[str], name: str) -> int | None:
    """character*8 name, character(len=8) name, character(8) name, character name*8, or 1."""
    n = re.escape(name)
    for stmt in statements:
        m = re.match(r"character\b\s*(\*\s*\d+|\*\s*\(\s*\d+\s*\)|\(\s*(?:len\s*=\s*)?\d+\s*\))?(.*)$", stmt)
        if not m:
            continue
        rest = m.group(2).split("::", 1)[-1]
        own = re.search(rf"(?:^|,)\s*{n}\s*(?:\((?:[^()]|\([^()]*\))*\))?\s*(?:\*\s*\(?\s*(\d+|\*)\s*\)?)?\s*(?=,|$)",
                        rest.strip())
        if not own:
            continue
        if own.group(1):
            return int(own.group(1)) if own.group(1).isdigit() else None
        if m.group(1):
            return int(re.search(r"\d+", m.group(1)).group(0))
        return 1
    return 1


def _count(extents: list[tuple[str, str]]) -> int:
    total = 1
    for lo, hi in extents:
        total *= max(0, int(hi) - int(lo) + 1)
    return total


def check_common_sizes(proc: Procedure) -> None:
    """Every COMMON member that sizes an argument must be an integer scalar: it is drawn like a
    size argument, then the arrays are sized from it."""
    members = {m.name: m for m in proc.commons}
    for name in sorted(proc.common_sizes):
        member = members.get(name)
        if member is None or member.is_array or member.common_type[0] != "integer":
            raise VerifyInputError(f"an array extent of '{proc.name}' uses COMMON member '{name}', which is not an "
                                   "integer scalar", line=proc.line, construct=f"COMMON /{member.common}/"
                                   if member else name)


def _extents(proc: Procedure, block: str, name: str, dims: str | None) -> list[tuple[str, str]]:
    if not dims:
        return []
    extents = []
    for part in _split(dims.strip()[1:-1]):
        lower, _, upper = part.rpartition(":") if ":" in part else ("1", "", part)
        try:
            lo, hi = evaluate_extent(lower or "1", proc.constants), evaluate_extent(upper, proc.constants)
        except (KeyError, ValueError, ZeroDivisionError, SyntaxError):
            raise VerifyInputError(f"COMMON /{block}/ member '{name}{dims}' of '{proc.name}' has an extent that is "
                                   "not a constant of the file", line=proc.line,
                                   construct=f"COMMON /{block}/") from None
        extents.append((str(lo), str(hi)))
    return extents


def member_values(member: Arg, rng, n: int):
    """Generated contents: logicals 0/1, integers small (they often bound loops), reals in [-1, 1]."""
    if member.common_type[0] == "logical":
        return rng.integers(0, 2, n).astype(member.dtype)
    if member.common_type[0] == "character":  # letters and blanks (Fortran pads with blanks)
        import numpy as np  # on first use: the CLI starts compiling before numpy is loaded

        return rng.choice(np.frombuffer(b"abcAB ", dtype=np.uint8), n).astype(member.dtype)
    if member.base == "integer":
        return rng.integers(1, 10, n).astype(member.dtype)
    return rng.uniform(-1.0, 1.0, n).astype(member.dtype)


def size_of(member: Arg) -> int:
    total = 1
    for lo, hi in member.dims:
        total *= max(0, int(hi) - int(lo) + 1)
    return total


def _f_type(member: Arg) -> str:
    return "character(kind=c_char)" if member.base == "character" else _F_TYPES[member.common_type]


def _user_type(member: Arg) -> str:
    return "character(len=1)" if member.base == "character" else _USER_TYPES[member.common_type]


def fortran_common_io(members: list[Arg]) -> str:
    """Every member is declared flat (storage association keeps the block's layout)."""
    formal = ", ".join(f"tv_c{i}" for i in range(len(members)))
    lines = [f"subroutine tv_common_io(tv_mode, {formal}) bind(C, name='tv_common_io')",
             "  use, intrinsic :: iso_c_binding", "  implicit none", "  integer(c_int32_t), value :: tv_mode"]
    for i, member in enumerate(members):
        lines.append(f"  {_f_type(member)}, intent(inout) :: tv_c{i}(*)")
    blocks: dict[str, list[str]] = {}
    for member in members:
        shape = f"({size_of(member)})" if member.is_array else ""
        lines.append(f"  {_user_type(member)} :: {member.name}{shape}")
        blocks.setdefault(member.common, []).append(member.name)
    for block, names in blocks.items():
        lines.append(f"  common /{block}/ {', '.join(names)}")
    lines.append("  if (tv_mode == 0) then")
    for i, member in enumerate(members):
        n = size_of(member)
        if member.common_type[0] == "logical":
            target = f"{member.name}(1:{n})" if member.is_array else member.name
            source = f"tv_c{i}(1:{n})" if member.is_array else f"tv_c{i}(1)"
            lines.append(f"    {target} = {source} /= 0")
        elif member.is_array:
            lines.append(f"    {member.name}(1:{n}) = tv_c{i}(1:{n})")
        else:
            lines.append(f"    {member.name} = tv_c{i}(1)")
    lines.append("  else")
    for i, member in enumerate(members):
        n = size_of(member)
        if member.common_type[0] == "logical":
            source = f"{member.name}(1:{n})" if member.is_array else member.name
            target = f"tv_c{i}(1:{n})" if member.is_array else f"tv_c{i}(1)"
            lines.append(f"    {target} = merge(1, 0, {source})")
        elif member.is_array:
            lines.append(f"    tv_c{i}(1:{n}) = {member.name}(1:{n})")
        else:
            lines.append(f"    tv_c{i}(1) = {member.name}")
    lines += ["  end if", "end subroutine tv_common_io"]
    out = []
    for line in lines:  # long common statements: continue them
        while len(line) > 120:
            cut = line.rfind(", ", 0, 118)
            out.append(line[:cut + 1] + " &")
            line = "      " + line[cut + 2:]
        out.append(line)
    return "\n".join(out) + "\n"


def reference_declaration(members: list[Arg]) -> str:
    return f"void tv_common_io(int32_t, {', '.join(_C_TYPES[(m.base, m.kind)] + ' *' for m in members)});"


def _read(members: list[Arg], ctype_of) -> list[str]:
    lines = []
    for i, member in enumerate(members):
        ctype = ctype_of(member)
        lines += [f"    int64_t tv_cn{i} = tv_count();",
                  f"    {ctype} *tv_cv{i} = ({ctype} *)tv_alloc((size_t)tv_cn{i} * sizeof({ctype}));",
                  f"    tv_read(tv_cv{i}, (size_t)tv_cn{i} * sizeof({ctype}));"]
    return lines


def _write(members: list[Arg]) -> list[str]:
    return [f"    fwrite(tv_cv{i}, sizeof(tv_cv{i}[0]), (size_t)tv_cn{i}, tv_out);" for i in range(len(members))]


def _free(members: list[Arg]) -> list[str]:
    return [f"    free(tv_cv{i});" for i in range(len(members))]


def reference_lines(members: list[Arg]) -> tuple[list[str], list[str], list[str]]:
    """(before the call, after the call, at the end of the case) for the C reference driver."""
    buffers = ", ".join(f"tv_cv{i}" for i in range(len(members)))
    before = _read(members, lambda m: _C_TYPES[(m.base, m.kind)]) + [f"    tv_common_io(0, {buffers});"]
    after = [f"    tv_common_io(1, {buffers});"] + _write(members)
    return before, after, _free(members)


def candidate_lines(members: list[Arg]) -> tuple[list[str], list[str], list[str]]:
    before = _read(members, lambda m: _C_TYPES[(m.base, m.kind)])
    before += [f"    tv_common_in(::{m.name}, tv_cv{i}, tv_cn{i});" for i, m in enumerate(members)]
    after = [f"    tv_common_out(::{m.name}, tv_cv{i}, tv_cn{i});" for i, m in enumerate(members)] + _write(members)
    return before, after, _free(members)


CPP_HELPERS = r"""
#include <array>
#include <string>
#include <vector>
template <class T, class V> void tv_common_in(T &g, const V *v, int64_t) { g = static_cast<T>(v[0]); }
template <class T, size_t N, class V> void tv_common_in(T (&g)[N], const V *v, int64_t n) { for (int64_t i = 0; i < n && i < (int64_t)N; ++i) g[i] = static_cast<T>(v[i]); }
template <class T, size_t N, class V> void tv_common_in(std::array<T, N> &g, const V *v, int64_t n) { for (int64_t i = 0; i < n && i < (int64_t)N; ++i) g[i] = static_cast<T>(v[i]); }
template <class T, class V> void tv_common_in(std::vector<T> &g, const V *v, int64_t n) { if ((int64_t)g.size() < n) g.resize((size_t)n); for (int64_t i = 0; i < n; ++i) g[i] = static_cast<T>(v[i]); }
template <class T, class V> void tv_common_out(const T &g, V *v, int64_t) { v[0] = static_cast<V>(g); }
template <class T, size_t N, class V> void tv_common_out(const T (&g)[N], V *v, int64_t n) { for (int64_t i = 0; i < n && i < (int64_t)N; ++i) v[i] = static_cast<V>(g[i]); }
template <class T, size_t N, class V> void tv_common_out(const std::array<T, N> &g, V *v, int64_t n) { for (int64_t i = 0; i < n && i < (int64_t)N; ++i) v[i] = static_cast<V>(g[i]); }
template <class T, class V> void tv_common_out(const std::vector<T> &g, V *v, int64_t n) { for (int64_t i = 0; i < n && i < (int64_t)g.size(); ++i) v[i] = static_cast<V>(g[i]); }
// CHARACTER*n members as std::string: n bytes in, and out blank-padded (or cut) to n as Fortran keeps them
template <class V> void tv_common_in(std::string &g, const V *v, int64_t n) { g.assign((const char *)v, (size_t)n); }
template <class V> void tv_common_out(const std::string &g, V *v, int64_t n) { for (int64_t i = 0; i < n; ++i) v[i] = static_cast<V>(i < (int64_t)g.size() ? g[(size_t)i] : ' '); }
"""
