"""Notice when the loop stops getting anywhere.

A candidate whose normalised text (comments and whitespace aside; `transverify:`
annotations kept, as they steer the verifier) equals an earlier one is not verified
again: its earlier result stands.  A round makes *progress* when its candidate is
new and either gets further than every earlier one (a later stage: compiles, runs,
fewer failing cases or errors) or fails in a way not seen before.  Two rounds in a
row without progress end the loop early.

Temperature policy (documented in docs/llm.md): the Solver is asked at the
configured temperature; after a candidate that repeats an earlier one the next
request is 0.3 warmer (from 0.4 when none is configured, at most 1.0), to get
the model out of its groove; after a round with progress the configured
temperature is restored.  A new candidate that fails the same way keeps the
temperature and is answered with a sharper question instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...verify.result import EQUIVALENT, VerifyResult

TEMPERATURE_STEP = 0.3
TEMPERATURE_FROM = 0.4  # the base of the first raise when no temperature is configured
TEMPERATURE_MAX = 1.0
STALL_ROUNDS = 2

_TOKENS = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|//[^\n]*|/\*.*?\*/|#[^\n]*|\s+|[^\s"\'/#]+|.',
                     re.DOTALL)


def normalise(code: str) -> str:
    """The code without comments and with whitespace collapsed; `transverify:` annotations and
    string literals are kept as they are, preprocessor lines too."""
    out: list[str] = []
    for token in _TOKENS.findall(code):
        if token.startswith(("//", "/*")) and "transverify:" not in token:
            token = " "
        if token.isspace():
            if out and out[-1] != " ":
                out.append(" ")
            continue
        out.append(token.strip())
    return "".join(out).strip()


def score(result: VerifyResult) -> tuple[int, int]:
    """How far a candidate got: a larger tuple is closer to equivalent."""
    if result.verdict == EQUIVALENT:
        return (5, 0)
    if result.stage == "compare":
        return (4, -len({(m.case, m.output) for m in result.mismatches}))
    if result.stage == "run":
        return (3, 0)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if result.stage == "compile_candidate":
        return (2, -len(errors))
    return (1, -len(errors))


def fingerprint(result: VerifyResult) -> str:
    """The failure without the details that change with every edit (lines, values)."""
    if result.mismatches:
        outputs = sorted({m.output for m in result.mismatches})
        cases = sorted({m.case for m in result.mismatches})
        return f"{result.stage}|outputs {outputs}|cases {cases}"
    messages = sorted({re.sub(r"\d+", "#", d.message) for d in result.diagnostics if d.severity == "error"})
    if messages:
        return f"{result.stage}|{messages}"
    return f"{result.stage}|{re.sub(r'[0-9]+', '#', result.message)}"


@dataclass
class RoundCheck:
    progress: bool
    repeat_of: int | None = None  # the earlier round whose code this repeats
    same_failure_as: int | None = None  # the earlier round that failed the same way


@dataclass
class Tracker:
    base_temperature: float | None
    temperature: float | None = None
    stalled: int = 0  # consecutive rounds without progress
    notes: list[str] = field(default_factory=list)  # one line per round without progress
    _seen: dict[str, tuple[int, VerifyResult]] = field(default_factory=dict)
    _failures: dict[str, int] = field(default_factory=dict)
    _best: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        self.temperature = self.base_temperature

    def earlier(self, code: str) -> tuple[int, VerifyResult] | None:
        """(round, result) of an earlier candidate with the same normalised code."""
        return self._seen.get(normalise(code))

    def record(self, round_number: int, code: str, result: VerifyResult) -> RoundCheck:
        key = normalise(code)
        earlier = self._seen.get(key)
        if earlier is not None:
            check = RoundCheck(progress=False, repeat_of=earlier[0])
            self.notes.append(f"round {round_number} repeated the code of round {earlier[0]}")
            self.temperature = min(TEMPERATURE_MAX, (self.temperature if self.temperature is not None
                                                     else TEMPERATURE_FROM) + TEMPERATURE_STEP)
        else:
            self._seen[key] = (round_number, result)
            current = score(result)
            failure = fingerprint(result)
            seen_before = self._failures.get(failure)
            better = self._best is None or current > self._best
            if better or seen_before is None:
                check = RoundCheck(progress=True)
                self.temperature = self.base_temperature
            else:
                check = RoundCheck(progress=False, same_failure_as=seen_before)
                self.notes.append(f"round {round_number} failed the same way as round {seen_before}")
            self._failures.setdefault(failure, round_number)
            self._best = current if self._best is None else max(self._best, current)
        self.stalled = 0 if check.progress else self.stalled + 1
        return check

    @property
    def stuck(self) -> bool:
        return self.stalled >= STALL_ROUNDS
