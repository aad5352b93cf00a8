"""Parse, build the file model, emit, format: the pipeline behind translate_source."""

from __future__ import annotations

import traceback

from . import RuleTranslation, Unsupported
from .errors import UnsupportedConstruct
from .formatting import format_cpp
from .frontend import ParseError, parse


def translate(text: str, filename: str, entry: str | None) -> RuleTranslation:
    entry = entry.lower() if entry else None
    try:
        tree = parse(text)
    except ParseError as exc:
        return RuleTranslation(None, [Unsupported(exc.line, "syntax", exc.message)], entry)
    try:
        from .emitter import generate
        from .units import build
        model = build(tree)
        code, problems, notes = generate(model, entry, filename)
    except UnsupportedConstruct as exc:
        return RuleTranslation(None, [Unsupported(exc.line or 1, exc.construct, exc.message)], entry)
    except Exception as exc:  # a translator bug must not crash the caller
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return RuleTranslation(None, [Unsupported(1, "internal error",
                                                  f"{exc.__class__.__name__}: {exc} (at {where.name}:{where.lineno})")], entry)
    if problems:
        return RuleTranslation(None, [Unsupported(line or 1, construct, message) for line, construct, message in problems],
                               entry, notes)
    return RuleTranslation(format_cpp(code), [], entry, notes)
