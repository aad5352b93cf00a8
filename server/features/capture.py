"""Passive capture: saving a translated file re-verifies it in the background;
a human edit that turns a failing translation into a verified one is stored
as a fix record (see verification.verify_link).  Saving a source re-verifies
the translations linked to it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types
from pygls.uris import to_fs_path

from .verification import verify_link


def register(server) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=True))
    async def did_save(ls, params: types.DidSaveTextDocumentParams) -> None:
        path = Path(to_fs_path(params.text_document.uri) or params.text_document.uri)
        link = ls.links_for(path).get(path)
        if link is not None:
            text = params.text if params.text is not None else ls.text_of(path)
            await verify_link(ls, link, human_edit=True, text=text, background=True)
            return
        # A saved source: its translations may no longer match it; check them again
        # (not a human fix of the translation, so nothing is captured).
        linked = ls.links_for(path).for_source(path)
        if linked:
            await asyncio.gather(*(verify_link(ls, other, human_edit=False, background=True) for other in linked))
