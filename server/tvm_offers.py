"""What the editor offers for the TVM action, per CUDA unit: the instant result (the default
schedule, with its measured speed-up) and what background tuning made of it, said as
code lens, hover and code action text.

State only, no LSP traffic: features/tvm_tuning.py runs the tuning and changes it; the
code lens, hover and code action features read it.  An offer holds for the source text
it was made from: once the source changes it is no longer shown or applied.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

APPLY_TUNED = "transverify.applyTunedTvm"

# Speed-ups in the order they are shown; the first both runs measured is the one compared.
RATIOS = (("vs_openmp", "naive OpenMP"), ("vs_serial", "naive serial"), ("vs_openblas", "OpenBLAS"))


@dataclass
class TvmOffer:
    source: str  # absolute path of the .cu
    entry: str | None
    target: str  # where the translation goes (k_cpu.cpp)
    digest: str  # of the source text the offer is for
    default_code: str
    default_speedup: dict  # tvm.speedup of the instant result: {"vs_openmp": 1.24, ...}
    # "default" (no tuning), "tuning", "tuned" (faster: offered), "not faster", "not measured",
    # "not tunable" (e.g. a te.extern operator template), "cancelled", "failed"
    state: str = "default"
    note: str = ""  # the tuning's outcome in words
    progress: str = ""  # the tuning's last progress message
    trials: int = 0  # the budget asked of tuning
    tuned_code: str | None = None
    tuned_outcome: dict = field(default_factory=dict)  # the tuned run's outcome (TranslateOutcome.to_dict())
    job: object = None  # the running tuning job (features/jobs.Job)
    stop_reason: str = ""  # why the job was cancelled, when the server cancelled it

    @property
    def key(self) -> tuple[str, str | None]:
        return offer_key(self.source, self.entry)

    @property
    def tuned_speedup(self) -> dict:
        return (self.tuned_outcome.get("tvm") or {}).get("speedup") or {}

    @property
    def running(self) -> bool:
        return self.state == "tuning" and self.job is not None and not self.job.cancel.is_set()


def offer_key(source: Path | str, entry: str | None) -> tuple[str, str | None]:
    return str(Path(source).resolve()), entry


def text_digest(text: str) -> str:
    return hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8", "replace")).hexdigest()


def offers_for_source(ls, source: Path) -> list[TvmOffer]:
    path = str(Path(source).resolve())
    return [offer for offer in ls.tvm_offers.values() if offer.source == path]


def is_fresh(ls, offer: TvmOffer) -> bool:
    """The source still reads as it did when the offer was made (the editor's copy if open)."""
    text = ls.text_of(Path(offer.source))
    return text is not None and text_digest(text) == offer.digest


def tuned_offer(ls, source: Path, entry: str | None) -> TvmOffer | None:
    """The offer of tuned code for this unit, when tuning made it faster and the source is unchanged."""
    offer = ls.tvm_offers.get(offer_key(source, entry))
    if offer is None or offer.state != "tuned" or offer.tuned_code is None or not is_fresh(ls, offer):
        return None
    return offer


def speed_words(speedup: dict, most: int = 2) -> str:
    """'3.10x naive OpenMP, 2.87x naive serial'"""
    parts = [f"{speedup[key]:.2f}x {name}" for key, name in RATIOS if isinstance(speedup.get(key), (int, float))]
    return ", ".join(parts[:most])


def compared_ratio(first: dict, second: dict) -> tuple[str, str] | None:
    """(key, name) of the speed-up both runs measured, naive OpenMP first."""
    for key, name in RATIOS:
        a, b = first.get(key), second.get(key)
        if isinstance(a, (int, float)) and isinstance(b, (int, float)) and a > 0 and b > 0:
            return key, name
    return None


def same_code(text: str | None, code: str | None) -> bool:
    return text is not None and code is not None and text.replace("\r\n", "\n").strip() == code.strip()


def trials_words(offer: TvmOffer) -> str:
    tvm = offer.tuned_outcome.get("tvm") or {}
    trials = tvm.get("trials", offer.trials)
    return f"{trials} trial{'s' if trials != 1 else ''}" + (", cached" if tvm.get("cached") else "")


def default_words(offer: TvmOffer) -> str:
    speed = speed_words(offer.default_speedup)
    return f"TVM default schedule: {speed}" if speed else "TVM default schedule (not measured)"


def tuned_words(offer: TvmOffer) -> str:
    return f"TVM tuned ({trials_words(offer)}): {speed_words(offer.tuned_speedup)}"


def state_words(offer: TvmOffer) -> str:
    """The tuning's state after the default schedule's numbers."""
    if offer.state == "tuning":
        return f"tuning ({offer.progress})" if offer.progress else "tuning"
    if offer.state in ("not faster", "not measured", "not tunable", "cancelled", "failed"):
        return offer.note
    return ""


def target_lens_title(offer: TvmOffer, text: str | None) -> str | None:
    """The TVM lens over the translated function, from which code the file holds."""
    if offer.tuned_code is not None and same_code(text, offer.tuned_code):
        return tuned_words(offer)
    if not same_code(text, offer.default_code):
        return None  # edited by hand: the measurements are not this code's
    if offer.state == "tuned":
        return (f"{tuned_words(offer)}; this file: default schedule, {speed_words(offer.default_speedup, 1)}"
                " · apply tuned")
    state = state_words(offer)
    return default_words(offer) + (f" · {state}" if state else "")


def source_lens_title(offer: TvmOffer) -> str | None:
    """The lens over the CUDA unit: while tuning, and when the offer was improved."""
    if offer.state == "tuning":
        return f"CPU equivalent, TVM: {state_words(offer)}"
    if offer.state == "tuned":
        return (f"CPU equivalent, {tuned_words(offer)} (default schedule "
                f"{speed_words(offer.default_speedup, 1)}) · apply")
    return None


def hover_line(offer: TvmOffer) -> str:
    name = f"`{offer.entry}`" if offer.entry else Path(offer.source).name
    words = [default_words(offer)]
    if offer.state == "tuned":
        words.append(f"{tuned_words(offer)}: the code action applies the tuned code")
    elif state_words(offer):
        words.append(state_words(offer))
    return f"CPU equivalent of {name} → `{Path(offer.target).name}`: " + "; ".join(words)


# -- code lenses ------------------------------------------------------------------------------

def _lens(line: int, title: str, command: str = "", arguments: list | None = None):
    from lsprotocol import types

    position = types.Position(line=line, character=0)
    # A lens without a command id is a label: it shows the state and runs nothing.
    return types.CodeLens(range=types.Range(start=position, end=position),
                          command=types.Command(title=title, command=command, arguments=arguments))


def source_lenses(ls, uri: str, path: Path) -> list:
    """Over each CUDA unit being tuned or with tuned code on offer."""
    from .units import entry_name_line, find_units

    offers = [o for o in offers_for_source(ls, path) if source_lens_title(o) and is_fresh(ls, o)]
    if not offers:
        return []
    units = find_units(ls.text_of(path) or "", "cuda")
    lenses = []
    for offer in offers:
        line = entry_name_line(units, offer.entry)
        if offer.state == "tuned":
            lenses.append(_lens(line, source_lens_title(offer), APPLY_TUNED, [{"uri": uri, "entry": offer.entry}]))
        else:
            lenses.append(_lens(line, source_lens_title(offer)))
    return lenses


def target_lens(ls, link, line: int, text: str | None):
    """The TVM lens over a translated function that the TVM action wrote, or None."""
    from pygls.uris import from_fs_path

    offer = ls.tvm_offers.get(offer_key(link.source, link.entry))
    if offer is None or str(Path(offer.target).resolve()) != str(Path(link.target).resolve()) \
            or not is_fresh(ls, offer):
        return None
    title = target_lens_title(offer, text)
    if title is None:
        return None
    if offer.state == "tuned" and not same_code(text, offer.tuned_code):
        return _lens(line, title, APPLY_TUNED, [{"uri": from_fs_path(offer.source), "entry": offer.entry}])
    return _lens(line, title)
