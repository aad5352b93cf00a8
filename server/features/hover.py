"""Hover: what transverify knows about the unit under the cursor (instant: no compile)."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pygls.uris import to_fs_path

from ..pairs import translations_for


def register(server) -> None:
    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls, params: types.HoverParams) -> types.Hover | None:
        path = Path(to_fs_path(params.text_document.uri) or params.text_document.uri)
        lines = []
        link = ls.links_for(path).get(path)
        if link is not None:
            lines.append(f"transverify: translation of `{Path(link.source).name}`"
                         f"{f' ({link.entry})' if link.entry else ''}: {link.summary or 'not verified yet'}")
        unit = await ls.unit_at_async(params.text_document.uri, params.position.line)
        if unit is not None:
            offers = [t.title for t in translations_for(unit.language) if unit.kind in t.unit_kinds]
            for other in ls.links_for(path).for_source(path):
                if other.entry is None or other.entry.lower() == unit.name.lower():
                    lines.append(f"`{unit.name}` → `{Path(other.target).name}`: {other.summary or 'not verified yet'}")
            if offers and link is None:
                lines.append(f"{unit.kind} `{unit.name}`: code action {', '.join(offers)}")
        if not lines:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n".join(lines)))
