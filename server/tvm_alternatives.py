"""What the editor offers beside a CUDA -> CPU translation made with solver auto: the TVM CPU
equivalent (the default schedule, verified and timed), per CUDA unit, said as code action,
code lens and hover text.

State only, no LSP traffic: features/tvm_alternative.py computes the alternative and changes
it; the code action, code lens and hover features read it.  An alternative holds for the source
text it was made from: once the source changes it is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .tvm_offers import is_fresh, offer_key, speed_words

APPLY_ALTERNATIVE = "transverify.applyTvmAlternative"
WHAT = "TVM-optimized CPU equivalent"


@dataclass
class TvmAlternative:
    source: str  # absolute path of the .cu
    entry: str | None
    target: str  # where the translation went, and where the alternative goes when used (k_cpu.cpp)
    digest: str  # of the source text it is for
    # "computing", "offered", "not offered" (note says why), "cancelled", "failed"
    state: str = "computing"
    note: str = ""  # why it is not offered, in words
    progress: str = ""  # the computation's last stage
    outcome: dict = field(default_factory=dict)  # the TVM run's TranslateOutcome.to_dict() plus "code"
    job: object = None  # the running job (features/jobs.Job)
    stop_reason: str = ""  # why the server cancelled the job

    @property
    def key(self) -> tuple[str, str | None]:
        return offer_key(self.source, self.entry)

    @property
    def code(self) -> str | None:
        return self.outcome.get("code") if self.state == "offered" else None

    @property
    def speedup(self) -> dict:
        return (self.outcome.get("tvm") or {}).get("speedup") or {}


def offered_alternative(ls, source: Path, entry: str | None) -> TvmAlternative | None:
    """The verified alternative of this unit, when one is offered for the source as it reads now."""
    alternative = ls.tvm_alternatives.get(offer_key(source, entry))
    if alternative is None or alternative.state != "offered" or not is_fresh(ls, alternative):
        return None
    return alternative


def in_use(ls, alternative: TvmAlternative) -> bool:
    """The translated file already holds the alternative's code."""
    text = ls.text_of(Path(alternative.target))
    return text is not None and alternative.code is not None and \
        text.replace("\r\n", "\n").strip() == alternative.code.strip()


def action_title(alternative: TvmAlternative) -> str:
    """'Use TVM-optimized CPU equivalent (verified, 1.34x naive OpenMP)'"""
    speed = speed_words(alternative.speedup, 1)
    return f"Use {WHAT} (verified, {speed})" if speed else f"Use {WHAT} (verified, not timed)"


def state_words(alternative: TvmAlternative, used: bool = False) -> str:
    if alternative.state == "computing":
        return "computing" + (f" ({alternative.progress})" if alternative.progress else "")
    if alternative.state == "offered":
        speed = speed_words(alternative.speedup)
        return "verified" + (f", {speed}" if speed else ", not timed") + \
            (f": in use in `{Path(alternative.target).name}`" if used else ": the code action or code lens uses it")
    return f"not offered: {alternative.note}"


def hover_line(ls, alternative: TvmAlternative) -> str:
    name = f"`{alternative.entry}`" if alternative.entry else Path(alternative.source).name
    return f"{WHAT} of {name} (offered with solver auto): {state_words(alternative, in_use(ls, alternative))}"


# -- code lenses ------------------------------------------------------------------------------

def _lens(line: int, title: str, command: str = "", arguments: list | None = None):
    from lsprotocol import types

    position = types.Position(line=line, character=0)
    # A lens without a command id is a label: it shows the state and runs nothing.
    return types.CodeLens(range=types.Range(start=position, end=position),
                          command=types.Command(title=title, command=command, arguments=arguments))


def _apply_lens(line: int, alternative: TvmAlternative):
    from pygls.uris import from_fs_path

    return _lens(line, action_title(alternative), APPLY_ALTERNATIVE,
                 [{"uri": from_fs_path(alternative.source), "entry": alternative.entry}])


def source_lenses(ls, path: Path) -> list:
    """Over each CUDA unit whose alternative is being computed or is offered."""
    from .units import entry_name_line, find_units

    shown = [a for a in ls.tvm_alternatives.values() if a.source == str(Path(path).resolve())
             and a.state in ("computing", "offered") and is_fresh(ls, a)]
    if not shown:
        return []
    units = find_units(ls.text_of(path) or "", "cuda")
    lenses = []
    for alternative in shown:
        line = entry_name_line(units, alternative.entry)
        if alternative.state == "offered":
            if not in_use(ls, alternative):
                lenses.append(_apply_lens(line, alternative))
        else:
            lenses.append(_lens(line, f"{WHAT}: {state_words(alternative)}"))
    return lenses


def target_lens(ls, link, line: int):
    """Over the translated function, while the file does not hold the alternative's code yet."""
    alternative = offered_alternative(ls, Path(link.source), link.entry)
    if alternative is None or str(Path(alternative.target).resolve()) != str(Path(link.target).resolve()) \
            or in_use(ls, alternative):
        return None
    return _apply_lens(line, alternative)
