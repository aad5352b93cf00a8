"""Fortran comments as C++ comments: the marker goes (`!`, or `c`/`C`/`*` of fixed form),
rulers (`c-----`, `*  =====`) and LAPACK's declaration-group markers (`.. Local Scalars ..`)
are dropped, and a Doxygen documentation header (`*> \\brief ...`) becomes a short comment
holding its summary and purpose."""

from __future__ import annotations

import re

_RULER = re.compile(r"^[\s\-=*_.+#~/|]*$")
_GROUP_MARKER = re.compile(r"^\s*\.\.(\s.*\s)?\.\.\s*$|^\s*\.\.\s*$")
_END_OF = re.compile(r"^\s*End of \w+\s*$", re.IGNORECASE)


def comment_body(text: str) -> str | None:
    """The text of a comment without its marker: '' for a blank comment, None for one to drop."""
    text = text.rstrip()
    fixed_form = text[:1] in ("*", "c", "C")
    if text[:1] in ("!", "*", "c", "C"):
        text = text[1:]
    if text.startswith(">"):  # a Doxygen line of a documentation block
        text = text[1:]
    elif fixed_form:
        text = " " + text.lstrip()  # the columns up to 7 only aligned it with the code
    if not text.strip():
        return ""
    if _RULER.match(text) or _GROUP_MARKER.match(text) or _END_OF.match(text):
        return None
    return text


def comment_line(text: str) -> str:
    """One C++ comment line ('' for a blank or dropped comment)."""
    body = comment_body(text)
    if not body:
        return ""
    return "//" + (body if body.startswith(" ") else " " + body)


def leading_comments(comments: list[str]) -> list[str]:
    """The comments before a procedure; a Doxygen header is shortened to its brief and purpose."""
    if not any(c.lstrip()[1:2] == ">" for c in comments):
        return [comment_line(c) for c in comments]
    lines = [(c.lstrip()[2:] if c.lstrip()[1:2] == ">" else None) for c in comments]
    brief = next((re.sub(r"\\b\s+\w+\s*", "", line.split("\\brief", 1)[1]).strip()
                  for line in lines if line is not None and "\\brief" in line), "")
    purpose: list[str] = []
    state = "before"
    for line in lines:
        if line is None:
            continue
        if state == "before" and "\\par Purpose" in line:
            state = "purpose"
        elif state == "purpose" and "\\verbatim" in line and "\\endverbatim" not in line:
            state = "text"
        elif state == "text":
            if "\\endverbatim" in line:
                break
            purpose.append(line.rstrip())
    while purpose and not purpose[0].strip():
        purpose.pop(0)
    while purpose and not purpose[-1].strip():
        purpose.pop()
    indent = min((len(p) - len(p.lstrip()) for p in purpose if p.strip()), default=0)
    result = [f"// {brief}"] if brief else []
    if purpose:
        if result:
            result.append("//")
        result += [("// " + p[indent:]) if p.strip() else "//" for p in purpose]
    return result
