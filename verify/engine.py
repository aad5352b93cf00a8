"""Entry point of the verification engine: pick the pair, run it, never crash.

Every outcome, including bad input and internal failures, comes back as a
VerifyResult, so callers (CLI, language server, translation loop) have one
thing to handle.
"""

from __future__ import annotations

import os
import time
import traceback
from pathlib import Path

from .errors import Cancelled, VerifyInputError
from .languages import language_of
from .options import VerifyOptions
from .pairs import available_pairs, find_pair
from .result import ERROR, Diagnostic, VerifyResult
from .sandbox import isolation_mode, isolation_report


# Larger inputs are refused at once: a 1.7 MB source of 20k subroutines took 130 s to reach
# a verdict, a 200k-subroutine one 126 s and 4.8 GB.
DEFAULT_MAX_INPUT_BYTES = 1 << 20


def max_input_bytes() -> int:
    value = os.environ.get("TRANSVERIFY_MAX_INPUT_BYTES", "")
    return int(value) if value.strip().isdigit() and int(value) > 0 else DEFAULT_MAX_INPUT_BYTES


def verify(source: Path | str, candidate: Path | str, options: VerifyOptions | None = None) -> VerifyResult:
    options = options or VerifyOptions()
    source, candidate = Path(source), Path(candidate)
    started = time.monotonic()
    try:
        pair = _select_pair(source, candidate)
        if options.fast_math and not pair.fast_math:
            raise VerifyInputError(f"-ffast-math builds are verified for CUDA -> C++ candidates only, not {pair.name}",
                                   file=str(candidate), construct="--fast-math")
        result = pair.verify(source, candidate, options)
    except VerifyInputError as exc:
        result = _input_error(exc)
    except Cancelled:
        result = VerifyResult(verdict=ERROR, stage=None, message="cancelled")
    except Exception as exc:  # a bug of ours must not look like a verdict on the user's code
        result = VerifyResult(
            verdict=ERROR, stage=None,
            message=f"internal error in transverify: {exc.__class__.__name__}: {exc}",
            warnings=[traceback.format_exc(limit=8)],
        )
    result.timings.setdefault("total", round(time.monotonic() - started, 4))
    if options.reproducer is not None and result.reproducer is None \
            and not any(w.startswith("no reproducer written") for w in result.warnings):
        result.warnings.append("no reproducer written: the verification stopped before inputs were generated")
    if not result.sandbox and result.pair is not None:
        result.sandbox = isolation_report(isolation_mode())
    return result


def _select_pair(source: Path, candidate: Path):
    for path in (source, candidate):
        if not path.exists():
            raise VerifyInputError("no such file", file=str(path), construct="path")
        if not path.is_file():
            raise VerifyInputError("not a regular file", file=str(path), construct="path")
        size, limit = path.stat().st_size, max_input_bytes()
        if size > limit:
            raise VerifyInputError(f"the file is {size / 1e6:.1f} MB, above the {limit / 1e6:.1f} MB that transverify "
                                   "verifies (set TRANSVERIFY_MAX_INPUT_BYTES to raise the limit)",
                                   file=str(path), construct="file size")
    src_lang, cand_lang = language_of(source), language_of(candidate)
    if src_lang is None:
        raise VerifyInputError(f"unknown source language for suffix '{source.suffix}'", file=str(source),
                               construct="file suffix")
    if cand_lang is None:
        raise VerifyInputError(f"unknown candidate language for suffix '{candidate.suffix}'", file=str(candidate),
                               construct="file suffix")
    pair = find_pair(src_lang, cand_lang)
    if pair is None:
        raise VerifyInputError(
            f"no verifier for {src_lang} -> {cand_lang}; available: {', '.join(available_pairs()) or 'none'}",
            file=str(candidate), construct="language pair")
    return pair


def _input_error(exc: VerifyInputError) -> VerifyResult:
    diagnostics = []
    if exc.file:
        diagnostics.append(Diagnostic(file=exc.file, line=exc.line or 1, column=1, severity="error",
                                      message=exc.describe()))
    return VerifyResult(verdict=ERROR, stage=exc.stage, diagnostics=diagnostics, message=exc.describe())
