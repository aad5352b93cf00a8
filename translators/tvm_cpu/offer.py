"""The TVM CPU equivalent as `--solver auto`'s alternative (translators/alternatives.py).

Quick by design: the default schedule (no MetaSchedule tuning, whatever --trials says; a cached
tuning record is not looked up either), verified like `--solver tvm`, then timed against the
naive translations so that the offer carries its measured speed-up.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path


def offer(request, output: Path, options) -> dict:
    """TranslateOutcome fields of `translate --solver tvm --trials 0 --measure` for `request`."""
    from .solver import solve

    quick = dataclasses.replace(request, solver="tvm", tvm_trials=0, tvm_tune_seconds=None, tvm_measure=True,
                                output=output)
    return solve(quick, output, options)
