"""Startup: keep the client's initializationOptions and the event loop."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from lsprotocol import types
from pygls.uris import to_fs_path

from .. import redaction
from .tvm_alternative import drop_alternatives_of
from .tvm_tuning import stop_tuning_of


def register(server) -> None:
    _register_shutdown(server)
    _register_documents(server)

    @server.feature(types.INITIALIZE)
    def on_initialize(ls, params: types.InitializeParams) -> None:
        options = params.initialization_options
        # The TCP token was checked before this message got here; it is not a setting.
        ls.init_options = {k: v for k, v in options.items() if k != "token"} if isinstance(options, dict) else {}
        redaction.remember(ls.init_options.get("apiKey") if isinstance(ls.init_options.get("apiKey"), str) else None)

    @server.feature(types.INITIALIZED)
    def on_initialized(ls, params: types.InitializedParams) -> None:
        ls.loop = asyncio.get_running_loop()
        # Import the pairs' checkers now, off the event loop, so the first code-action
        # listing does not pay for it.
        from ..pairs import TRANSLATIONS, unavailable_reason

        def warm() -> None:
            for translation in TRANSLATIONS:
                unavailable_reason(translation)

        # A daemon thread: an editor that exits right away need not wait for these imports.
        threading.Thread(target=warm, name="transverify-warm", daemon=True).start()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def on_configuration(ls, params: types.DidChangeConfigurationParams) -> None:
        # Settings are asked of the client before each job, so there is no cache to drop;
        # a client that pushes settings (no workspace/configuration) sends them here.
        if isinstance(params.settings, dict) and isinstance(params.settings.get("transverify"), dict):
            ls.init_options = {**ls.init_options, "settings": params.settings["transverify"]}


def _register_documents(server) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def on_change(ls, params: types.DidChangeTextDocumentParams) -> None:
        # What was made from the source's old text no longer matches it.
        path = Path(to_fs_path(params.text_document.uri) or params.text_document.uri)
        if ls.tvm_offers:
            stop_tuning_of(ls, path, "the source changed")
        if ls.tvm_alternatives:
            drop_alternatives_of(ls, path, "the source changed")

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def on_close(ls, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)  # its parse tree is no longer kept up to date
        path = Path(to_fs_path(params.text_document.uri) or params.text_document.uri)
        stop_tuning_of(ls, path, "the source was closed")
        drop_alternatives_of(ls, path, "the source was closed")


def _register_shutdown(server) -> None:
    @server.feature(types.SHUTDOWN)
    def on_shutdown(ls, params: None) -> None:
        # Stop compilers and LLM calls of running jobs, so the process can exit at once.
        for job in list(ls.running.values()):
            job.cancel.set()
        ls.workers.shutdown(wait=False, cancel_futures=True)
