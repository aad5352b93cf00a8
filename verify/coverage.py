"""Line and branch coverage of the source (the reference) under the generated inputs.

The source is built a second time with `--coverage` (gcc/gfortran, -O0, no sanitizer) in a
directory of its own; every run of that build adds to the counts in its .gcda files, and
`gcov --json-format` reads them back. Only the lines of the user's source file count (the
harness, the CUDA execution layer and the Fortran wrapper are left out); branches that gcc
adds for exceptions (`throw`) are ignored.

Public API:
  COVERAGE_FLAGS                           compiler flags of the instrumented build
  Counts(source_path).add_run(directory)   after each run of the instrumented build
  Counts.report()                          -> Coverage | None
  Coverage.to_dict()                       the result's `coverage` field
  Coverage.summary()                       "100% of the source's branches taken"
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

COVERAGE_FLAGS = ["-O0", "--coverage"]
MAX_UNTAKEN = 20
# Coverage-guided rounds: each adds as many cases as the first one, with a new seed and
# other sizes, while coverage rises; at most this many rounds after the first.
MAX_ROUNDS = 3


@dataclass
class Coverage:
    lines_total: int
    lines_hit: int
    branches_total: int
    branches_taken: int
    untaken: list[dict] = field(default_factory=list)  # {line, taken, total, text}
    rounds: int = 1

    @property
    def lines(self) -> float:
        return _pct(self.lines_hit, self.lines_total)

    @property
    def branches(self) -> float:
        return _pct(self.branches_taken, self.branches_total)

    def better_than(self, other: "Coverage | None") -> bool:
        return other is None or (self.lines_hit, self.branches_taken) > (other.lines_hit, other.branches_taken)

    @property
    def complete(self) -> bool:
        return self.lines_hit == self.lines_total and self.branches_taken == self.branches_total

    def to_dict(self) -> dict:
        return {"lines": self.lines, "branches": self.branches, "lines_total": self.lines_total,
                "branches_total": self.branches_total, "rounds": self.rounds, "untaken": self.untaken}

    def summary(self) -> str:
        if self.branches_total:
            return f"{self.branches:g}% of the source's branches taken, {self.lines:g}% of its lines run"
        return f"{self.lines:g}% of the source's lines run (it has no branches)"


def _pct(part: int, whole: int) -> float:
    return 100.0 if whole == 0 else round(100.0 * part / whole, 1)


class Counts:
    """Counts of one source file, summed over runs of its instrumented build.

    Each run is read back and its .gcda files removed before the next: the sandbox runs every
    program as a different unprivileged user, which could not update the previous run's files."""

    def __init__(self, source_path: str, gcov: str = "gcov"):
        self.source_path, self.gcov = source_path, gcov
        self.lines: dict[int, int] = {}
        self.branches: dict[int, list[int]] = {}

    def add_run(self, directory: Path) -> bool:
        """Add the counts the last run left in `directory`; False when there were none."""
        gcdas = sorted(str(p) for p in directory.glob("*.gcda"))
        if not gcdas:
            return False
        try:
            subprocess.run([self.gcov, "--json-format", "--branch-probabilities", *gcdas], cwd=directory,
                           capture_output=True, timeout=60, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return False
        found = False
        wanted = os.path.realpath(self.source_path)
        for report in directory.glob("*.gcov.json.gz"):
            try:
                data = json.loads(gzip.decompress(report.read_bytes()))
            except (OSError, ValueError):
                continue
            report.unlink(missing_ok=True)
            for entry in data.get("files", []):
                name = entry.get("file", "")
                if os.path.realpath(name if os.path.isabs(name) else directory / name) != wanted:
                    continue
                found = True
                for line in entry.get("lines", []):
                    self._add_line(line)
        for gcda in gcdas:
            Path(gcda).unlink(missing_ok=True)
        return found

    def _add_line(self, line: dict) -> None:
        number = line["line_number"]
        self.lines[number] = self.lines.get(number, 0) + line.get("count", 0)
        counts = [b.get("count", 0) for b in line.get("branches", []) if not b.get("throw")]
        if counts:
            merged = self.branches.setdefault(number, [0] * len(counts))
            if len(merged) == len(counts):
                self.branches[number] = [a + b for a, b in zip(merged, counts)]

    def report(self) -> Coverage | None:
        if not self.lines:
            return None
        lines, branches = self.lines, self.branches
        try:
            text = Path(self.source_path).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            text = []
        untaken = []
        for number in sorted(set(branches) | {n for n, c in lines.items() if c == 0}):
            counts = branches.get(number, [])
            taken = sum(1 for c in counts if c > 0)
            if lines.get(number, 0) == 0 or taken < len(counts):
                untaken.append({"line": number, "executed": lines.get(number, 0) > 0, "taken": taken,
                                "total": len(counts),
                                "text": text[number - 1].strip() if 0 < number <= len(text) else ""})
        return Coverage(lines_total=len(lines), lines_hit=sum(1 for c in lines.values() if c > 0),
                        branches_total=sum(len(c) for c in branches.values()),
                        branches_taken=sum(1 for c in branches.values() for n in c if n > 0),
                        untaken=untaken[:MAX_UNTAKEN])
