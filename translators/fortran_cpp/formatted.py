"""Formatted output (`write(*, '(a, i5, f10.4)')`) with simple edit descriptors to printf.

Covered: A[w], Iw[.m], Fw.d, ESw.d, Ew.d, Dw.d, Lw, nX, /, quoted literals and repeat counts
(also on parenthesised groups).  Anything else (T, SP, G, P, colon, unlimited repeat,
format reversion when items outnumber descriptors) is reported as unsupported, since
the output would not match gfortran's.
"""

from __future__ import annotations

import re

from .errors import UnsupportedConstruct

INT_FIELD = "fortran_int_field"  # the runtime helper behind Iw[.m] (runtime.py)
_TOKEN = re.compile(r"""\s*(?:(?P<lit>'(?:[^']|'')*'|"(?:[^"]|"")*")|(?P<rep>\d*)(?P<body>\((?P<group>)|[a-z]+[\d.]*|/))""",
                    re.IGNORECASE)


def parse_format(text: str) -> list[tuple[str, str]]:
    """Flattened list of ('literal', text) / ('edit', descriptor) / ('newline', '')."""
    text = text.strip()
    if not (text.startswith("(") and text.endswith(")")):
        raise UnsupportedConstruct("format", f"format '{text}'")
    items, _ = _parse_list(text, 1)
    return items


def _parse_list(text: str, pos: int):
    items: list[tuple[str, str]] = []
    while pos < len(text):
        while pos < len(text) and text[pos] in " ,":
            pos += 1
        if pos < len(text) and text[pos] == ")":
            return items, pos + 1
        match = _TOKEN.match(text, pos)
        if match is None:
            raise UnsupportedConstruct("edit descriptor", f"edit descriptor at '{text[pos:]}' in format {text}")
        if match.group("lit"):
            quote = match.group("lit")[0]
            items.append(("literal", match.group("lit")[1:-1].replace(quote * 2, quote)))
            pos = match.end()
            continue
        repeat = int(match.group("rep")) if match.group("rep") else 1
        body = match.group("body")
        if body == "(":
            group, pos = _parse_list(text, match.end())
            items += group * repeat
            continue
        pos = match.end()
        descriptor = body.lower()
        if descriptor == "/":
            items += [("newline", "")] * repeat
        elif re.fullmatch(r"\d*x", match.group(0).strip().lower()):
            count = int(match.group(0).strip()[:-1] or 1)
            items.append(("literal", " " * count))
        elif descriptor == "x":
            items.append(("literal", " " * repeat))
        elif re.fullmatch(r"(a\d*|i\d+(\.\d+)?|f\d+\.\d+|es\d+\.\d+|[de]\d+\.\d+|l\d+)", descriptor):
            items += [("edit", descriptor)] * repeat
        else:
            raise UnsupportedConstruct("edit descriptor", f"edit descriptor '{body}' in format {text}")
    raise UnsupportedConstruct("format", f"unbalanced parentheses in format {text}")


def uniform_descriptor(format_text: str) -> tuple[str, int | None] | None:
    """(descriptor, per record) when the format is one data descriptor repeated, e.g. (5f8.3),
    (i6) or (*(es12.4)); None otherwise.  per record None means unlimited."""
    text = format_text.strip()
    unlimited = re.fullmatch(r"\(\s*\*\s*\(([^()]*)\)\s*\)", text)
    items = parse_format(f"({unlimited.group(1)})" if unlimited else text)
    if not items or any(kind != "edit" for kind, _ in items) or len({d for _, d in items}) != 1:
        return None
    return items[0][1], (None if unlimited else len(items))


def item_conversion(descriptor: str, value, node) -> tuple[str, str | None]:
    return _conversion(descriptor, value, node)


def printf_call(format_text: str, values, node) -> tuple[list[str], set[str]]:
    """`std::printf(...)` lines, one per record; values are translated Exprs.

    When items outnumber the data descriptors, Fortran starts a new record and reuses the
    format from its beginning (format reversion); that is followed for formats without
    parenthesised groups."""
    items = parse_format(format_text)
    has_data = any(kind == "edit" for kind, _ in items)
    remaining = list(values)
    calls = []
    while True:
        spec = ""
        args: list[str] = []
        for kind, text in items:
            if kind == "literal":
                spec += _escape(text)
                continue
            if kind == "newline":
                spec += "\\n"
                continue
            if not remaining:
                break  # output stops at the first data descriptor without an item
            value = remaining.pop(0)
            piece, arg = _conversion(text, value, node)
            spec += piece
            if arg is not None:
                args.append(arg)
        calls.append(f'std::printf("{spec}\\n"' + "".join(f", {a}" for a in args) + ");")
        if not remaining or not has_data:
            break
        if "(" in format_text.strip()[1:-1]:
            raise UnsupportedConstruct("format reversion", f"format reversion into a group in '{node}'")
    if remaining:
        raise UnsupportedConstruct("format reversion", f"more items than edit descriptors in '{node}'")
    return calls, {"cstdio"}


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%")


def _conversion(descriptor: str, value, node) -> tuple[str, str | None]:
    base = value.type.base
    letter = re.match(r"[a-z]+", descriptor).group(0)
    numbers = descriptor[len(letter):]
    width, _, decimals = numbers.partition(".")
    if letter == "a":
        if base not in ("character", "string", "cstring"):
            raise UnsupportedConstruct("edit descriptor", f"A edit of a non-character value in '{node}'")
        if value.literal is not None:
            text = value.literal
            if width:
                text = text[: int(width)].rjust(int(width))
            return _escape(text), None
        if value.type.base == "string":
            code = value.code if value.prec >= 16 else f"({value.code})"
            return (f"%{width}.{width}s" if width else "%s"), f"{code}.c_str()"
        if value.type.base == "cstring":  # Aw: the first w characters, right-justified in w
            length = width or (str(value.type.kind) if value.type.kind else "")
            return (f"%{length}.{length}s" if length else "%s"), value.code
        return (f"%{width}c" if width else "%c"), value.code
    if letter == "i":
        if base != "integer":
            raise UnsupportedConstruct("edit descriptor", f"I edit of a {base} value in '{node}'")
        if width and width != "0":  # a value wider than the field is written as w asterisks
            return "%s", f"{INT_FIELD}({value.code}, {width}, {decimals or 1}).c_str()"
        length = "ll" if value.type.kind == 8 else ""
        precision = f".{decimals}" if decimals else ""
        return f"%{precision}{length}d", value.code
    if letter == "l":
        if base != "logical":
            raise UnsupportedConstruct("edit descriptor", f"L edit of a {base} value in '{node}'")
        return f"%{width}s", f'{value.code} ? "T" : "F"' if value.prec > 3 else f'({value.code}) ? "T" : "F"'
    if base not in ("real", "integer") or base == "integer":
        raise UnsupportedConstruct("edit descriptor", f"{letter.upper()} edit of a {base} value in '{node}'")
    if letter == "f":
        return f"%{width if width != '0' else ''}.{decimals}f", value.code
    if letter == "es":
        return f"%{width}.{decimals}E", value.code
    # E (and D, the double precision spelling): gfortran writes 0.ddddE+xx (0.ddddD+xx); the
    # same digits as d.ddd E+(xx-1): the same number
    return f"%{width}.{max(int(decimals) - 1, 0)}E", value.code
