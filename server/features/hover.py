"""Hover: what transverify knows about the unit under the cursor (instant: no compile)."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pygls.uris import to_fs_path

from ..mismatch_view import mismatch_markdown
from ..pairs import translations_for
from ..tvm_alternatives import hover_line as alternative_line
from ..tvm_offers import hover_line, is_fresh, offer_key


def register(server) -> None:
    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls, params: types.HoverParams) -> types.Hover | None:
        path = Path(to_fs_path(params.text_document.uri) or params.text_document.uri)
        lines = []
        link = ls.links_for(path).get(path)
        if link is not None:
            lines.append(f"transverify: translation of `{Path(link.source).name}`"
                         f"{f' ({link.entry})' if link.entry else ''}: {link.summary or 'not verified yet'}")
            offer = ls.tvm_offers.get(offer_key(link.source, link.entry))
            if offer is not None and is_fresh(ls, offer):
                lines.append(hover_line(offer))
            alternative = ls.tvm_alternatives.get(offer_key(link.source, link.entry))
            if alternative is not None and is_fresh(ls, alternative):
                lines.append(alternative_line(ls, alternative))
        unit = await ls.unit_at_async(params.text_document.uri, params.position.line)
        if unit is not None:
            offers = [t.title for t in translations_for(unit.language) if unit.kind in t.unit_kinds]
            for other in ls.links_for(path).for_source(path):
                if other.entry is None or other.entry.lower() == unit.name.lower():
                    lines.append(f"`{unit.name}` → `{Path(other.target).name}`: {other.summary or 'not verified yet'}")
            if offers and link is None:
                lines.append(f"{unit.kind} `{unit.name}`: code action {', '.join(offers)}")
            offer = ls.tvm_offers.get(offer_key(path, unit.name)) if unit.language == "cuda" else None
            if offer is not None and is_fresh(ls, offer):
                lines.append(hover_line(offer))
            alternative = ls.tvm_alternatives.get(offer_key(path, unit.name)) if unit.language == "cuda" else None
            if alternative is not None and is_fresh(ls, alternative):
                lines.append(alternative_line(ls, alternative))
        table = _mismatch_table(ls, params, link)
        if table:
            lines.append(table)
        if not lines:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n".join(lines)))


def _mismatch_table(ls, params: types.HoverParams, link) -> str:
    """Over a mismatch diagnostic: the case's first differing elements and its inputs."""
    if link is None:
        return ""
    result = ls.last_results.get(link.target)
    if result is None or not result.mismatches:
        return ""
    cases = []
    for diagnostic in ls.published.get(params.text_document.uri, []):
        if diagnostic.code == "mismatch" and _covers(diagnostic.range, params.position):
            case = diagnostic.data.get("case") if isinstance(diagnostic.data, dict) else None
            if case not in cases:
                cases.append(case)
    if not cases:
        return ""
    table = mismatch_markdown(result, cases[0])
    others = [str(c) for c in cases[1:] if c is not None]
    return table + (f"\n\nAlso failing: case {', '.join(others)}." if table and others else "")


def _covers(span: types.Range, position: types.Position) -> bool:
    start, end = (span.start.line, span.start.character), (span.end.line, span.end.character)
    return start <= (position.line, position.character) <= end
