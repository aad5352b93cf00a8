"""Bind a call's arguments to a torch signature and fill a mapping-table template."""

from __future__ import annotations

import inspect
import re
from functools import lru_cache

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")


class BindError(Exception):
    pass


@lru_cache(maxsize=None)
def _signature(text: str) -> inspect.Signature:
    namespace: dict = {}
    exec(f"def f({text}): pass", namespace)  # the table's own signatures, never user text
    return inspect.signature(namespace["f"])


def bind(signature: str, args: list[str], kwargs: dict[str, str]) -> dict:
    """name -> source text of the argument given (or a tuple for *varargs); absent = not given."""
    try:
        bound = _signature(signature).bind(*args, **kwargs)
    except TypeError as exc:
        raise BindError(str(exc)) from None
    return dict(bound.arguments)


def fill(signature: str, template, args: list[str], kwargs: dict[str, str]) -> str:
    given = bind(signature, args, kwargs)
    if callable(template):
        return template(given)
    defaults = {name: param.default for name, param in _signature(signature).parameters.items()
                if param.default is not inspect.Parameter.empty}

    def optional(match: re.Match) -> str:
        names = _PLACEHOLDER.findall(match.group(1))
        return match.group(1) if all(n in given and given[n] is not None for n in names) else ""

    text = _OPTIONAL.sub(optional, template)

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name in given:
            return str(given[name])
        return repr(defaults.get(name))

    return _PLACEHOLDER.sub(value, text)
