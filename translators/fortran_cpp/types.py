"""Fortran intrinsic types and their C++ spelling under the engine's calling convention."""

from __future__ import annotations

from dataclasses import dataclass

_CPP_NAMES = {
    ("integer", 1): "signed char",
    ("integer", 2): "short",
    ("integer", 4): "int",
    ("integer", 8): "long long",
    ("real", 4): "float",
    ("real", 8): "double",
    ("logical", 4): "bool",
    ("logical", 1): "bool",
    ("logical", 8): "bool",
    ("complex", 4): "std::complex<float>",
    ("complex", 8): "std::complex<double>",
    ("character", 1): "char",
}

_RANK = {"integer": 0, "real": 1, "complex": 2}


@dataclass(frozen=True)
class FType:
    base: str  # integer | real | complex | logical | character (one char) | string (kind = length)
    kind: int = 4

    @property
    def cpp(self) -> str:
        if self.base == "string":  # character(len=n), n > 1: kind holds the length
            return "std::string"
        if self.base == "cstring":  # a character*(*) dummy argument, read only
            return "const char*"
        try:
            return _CPP_NAMES[(self.base, self.kind)]
        except KeyError:
            raise ValueError(f"{self.base}(kind={self.kind})") from None

    @property
    def numeric(self) -> bool:
        return self.base in _RANK

    @property
    def is_int(self) -> bool:
        return self.base == "integer"

    @property
    def is_real(self) -> bool:
        return self.base == "real"

    def zero(self) -> str:
        """The C++ literal 0 of this type (accumulator initialisers)."""
        return {"integer": "0" if self.kind <= 4 else "0LL", "logical": "false"}.get(
            self.base, "0.0f" if self.kind == 4 else "0.0") if self.base != "complex" else f"{self.cpp}{{}}"

    def one(self) -> str:
        if self.base == "integer":
            return "1" if self.kind <= 4 else "1LL"
        if self.base == "complex":
            return f"{self.cpp}(1)"
        return "1.0f" if self.kind == 4 else "1.0"


INTEGER = FType("integer", 4)
INTEGER8 = FType("integer", 8)
REAL = FType("real", 4)
DOUBLE = FType("real", 8)
LOGICAL = FType("logical", 4)
CHARACTER = FType("character", 1)
CSTRING = FType("cstring", 0)


def is_text(ftype: FType) -> bool:
    return ftype.base in ("character", "string")


def promote(a: FType, b: FType) -> FType:
    """Result type of Fortran mixed-mode arithmetic (the higher base, then the larger kind)."""
    if not (a.numeric and b.numeric):
        return a if a.base == b.base else LOGICAL
    if _RANK[a.base] != _RANK[b.base]:
        high, low = (a, b) if _RANK[a.base] > _RANK[b.base] else (b, a)
        if high.base == "complex" and low.base == "real":
            return FType("complex", max(high.kind, low.kind))
        return high
    return FType(a.base, max(a.kind, b.kind))
