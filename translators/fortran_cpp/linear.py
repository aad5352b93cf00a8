"""Integer index arithmetic, kept symbolic so generated subscripts read like hand-written ones.

`x(i)` with lower bound 1 must become `x[i - 1]`, `b(0:n-1)` has extent `n`, and a section
`a(2:n)` walked by a counter k touches `a[k + 1]`: folding these by hand is what a C++
engineer would do, so the translator does it too.  Terms are C++ code fragments with an
integer coefficient; anything non-linear is one opaque term.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Linear:
    terms: dict[str, int] = field(default_factory=dict)  # code -> coefficient, insertion ordered
    const: int = 0

    @staticmethod
    def of(code: str) -> "Linear":
        return Linear({code: 1})

    @staticmethod
    def constant(value: int) -> "Linear":
        return Linear({}, value)

    def is_constant(self) -> bool:
        return not self.terms

    def __add__(self, other: "Linear") -> "Linear":
        terms = dict(self.terms)
        for code, coef in other.terms.items():
            terms[code] = terms.get(code, 0) + coef
            if terms[code] == 0:
                del terms[code]
        return Linear(terms, self.const + other.const)

    def __neg__(self) -> "Linear":
        return Linear({code: -coef for code, coef in self.terms.items()}, -self.const)

    def __sub__(self, other: "Linear") -> "Linear":
        return self + (-other)

    def scale(self, factor: int) -> "Linear":
        if factor == 0:
            return Linear()
        return Linear({code: coef * factor for code, coef in self.terms.items()}, self.const * factor)

    def times(self, other: "Linear") -> "Linear":
        if other.is_constant():
            return self.scale(other.const)
        if self.is_constant():
            return other.scale(self.const)
        return Linear.of(f"{self.render(wrap=True)} * {other.render(wrap=True)}")

    def render(self, wrap: bool = False) -> str:
        """C++ text; wrap=True adds parentheses when the text is a sum (operand of *)."""
        parts: list[str] = []
        for code, coef in self.terms.items():
            magnitude = abs(coef)
            text = code if magnitude == 1 else f"{magnitude} * {_operand(code)}"
            if not parts:
                parts.append(text if coef > 0 else f"-{text}")
            else:
                parts.append(f"+ {text}" if coef > 0 else f"- {text}")
        if self.const or not parts:
            if not parts:
                parts.append(str(self.const))
            else:
                parts.append(f"+ {self.const}" if self.const > 0 else f"- {-self.const}")
        text = " ".join(parts)
        if wrap and (len(parts) > 1 or text.startswith("-") or " " in text):
            return f"({text})"
        return text


def _operand(code: str) -> str:
    """A term as the right operand of `k *`: `n / 2` must stay one operand."""
    return f"({code})" if " " in code and not (code.startswith("(") and code.endswith(")")) else code
