"""The transverify language server: shared state plus the wiring of features/.

Long work (translations, verifications) runs on this server's own worker
pool, never on the event loop, so hover, code actions and didChange are
served while it runs.  Workers talk back to the client only through
`call_soon`, because pygls's transport is not thread-safe.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from .links import LinkStore
from .settings import SECTION, Settings, parse_settings
from .toolchain_check import ToolchainSettingError, check_toolchain
from .transport import TransverifyProtocol, serve_stdio, serve_tcp
from .units import ParsedDocument, Unit

log = logging.getLogger(__name__)

DEFAULT_MAX_DOCUMENT_BYTES = 5_000_000
SMALL_DOCUMENT = 64_000  # characters: parsed inline

LANGUAGE_BY_SUFFIX = {
    ".f90": "fortran", ".f95": "fortran", ".f03": "fortran", ".f08": "fortran", ".f": "fortran", ".for": "fortran",
    ".cpp": "cpp", ".cc": "cpp", ".cxx": "cpp", ".c++": "cpp", ".hpp": "cpp",
    ".cu": "cuda", ".cuh": "cuda", ".py": "python",
}


class TransverifyServer(LanguageServer):
    def __init__(self) -> None:
        from transverify import __version__

        super().__init__("transverify", __version__, protocol_cls=TransverifyProtocol)
        self.init_options: dict[str, Any] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        # Translations and verifications; a handful can run side by side.
        self.workers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="transverify-work")
        self.last_results: dict[str, Any] = {}  # target path -> last VerifyResult
        self.published: dict[str, list[types.Diagnostic]] = {}  # uri -> the diagnostics last published
        self._link_stores: dict[Path, LinkStore] = {}
        self._parsed: dict[str, ParsedDocument] = {}  # uri -> incrementally parsed tree
        self._parse_locks: dict[str, threading.Lock] = {}  # parses run in threads: one at a time per uri
        self.running: dict[str, Any] = {}  # progress token -> Job
        self.keyed_jobs: dict[str, Any] = {}  # e.g. target path -> its background re-verification
        self.tvm_offers: dict[tuple[str, str | None], Any] = {}  # (source, entry) -> tvm_offers.TvmOffer
        # (source, entry) -> tvm_alternatives.TvmAlternative: offered beside auto's CUDA -> CPU translation
        self.tvm_alternatives: dict[tuple[str, str | None], Any] = {}

    # -- transports: pygls's own readers have no limits (see transport.py) ------
    def start_io(self, stdin=None, stdout=None) -> None:
        serve_stdio(self, stdin, stdout)

    def start_tcp(self, host: str, port: int, token: str | None = None,
                  on_listening: Callable[[str, int], None] | None = None) -> None:
        if not token:
            raise ValueError("a TCP server needs a token")
        serve_tcp(self, host, port, token, on_listening or (lambda h, p: None))

    # -- threads -------------------------------------------------------------
    def call_soon(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run fn on the event loop; safe from worker threads."""
        if self.loop is None:
            fn(*args)
        else:
            self.loop.call_soon_threadsafe(fn, *args)

    async def in_worker(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.workers, fn, *args)

    # -- documents -----------------------------------------------------------
    def text_of(self, path: Path) -> str | None:
        """The editor's copy when the document is open, else the file on disk."""
        uri = from_fs_path(str(path))
        document = self.workspace.text_documents.get(uri) if uri else None
        if document is not None:
            return document.source
        try:
            return path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None

    def language_of(self, uri: str) -> str | None:
        path = Path(to_fs_path(uri) or uri)
        return LANGUAGE_BY_SUFFIX.get(path.suffix) or LANGUAGE_BY_SUFFIX.get(path.suffix.lower())

    def max_document_bytes(self) -> int:
        """Documents above this size get no code actions and are not translated (a 20 MB file
        would hold the event loop for seconds and the parser for a gigabyte)."""
        settings = self.init_options.get("settings")
        value = settings.get("maxDocumentBytes") if isinstance(settings, dict) else None
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
        env = os.environ.get("TRANSVERIFY_MAX_DOCUMENT_BYTES", "")
        return int(env) if env.strip().isdigit() and int(env) > 0 else DEFAULT_MAX_DOCUMENT_BYTES

    def too_large(self, uri: str) -> str | None:
        """Why the document is refused for its size (in words), or None."""
        limit = self.max_document_bytes()
        document = self.workspace.text_documents.get(uri)
        if document is not None:
            size = len(document.source.encode("utf-8", errors="replace")) \
                if len(document.source) * 4 > limit else len(document.source)
        else:
            try:
                size = Path(to_fs_path(uri) or uri).stat().st_size
            except OSError:
                return None
        if size <= limit:
            return None
        name = Path(to_fs_path(uri) or uri).name
        return (f"{name} is {size / 1e6:.1f} MB, above the {limit / 1e6:.1f} MB limit for translation "
                "(transverify.maxDocumentBytes)")

    def _source_of(self, uri: str) -> str | None:
        """The document's text, or None when it is too large or cannot be read (e.g. deleted)."""
        if self.too_large(uri) is not None:
            return None
        try:
            return self.workspace.get_text_document(uri).source
        except (OSError, UnicodeDecodeError) as exc:
            log.info("cannot read %s: %s", uri, exc)
            return None

    def _parse_unit(self, uri: str, language: str, text: str, first_line: int, last_line: int | None) -> Unit | None:
        with self._parse_locks.setdefault(uri, threading.Lock()):
            parsed = self._parsed.get(uri)
            if parsed is None or parsed.language != language:
                parsed = self._parsed[uri] = ParsedDocument(language)
            parsed.update(text)
            return parsed.unit_at(first_line, last_line)

    async def unit_at_async(self, uri: str, first_line: int, last_line: int | None = None) -> Unit | None:
        """The unit under the cursor/selection, from a tree kept up to date incrementally; large
        documents are parsed off the event loop, so they never stall the other requests."""
        language = self.language_of(uri)
        text = self._source_of(uri) if language is not None else None
        if text is None:
            return None
        if len(text) < SMALL_DOCUMENT:  # a thread hop costs more than parsing a small file
            return self._parse_unit(uri, language, text, first_line, last_line)
        return await asyncio.to_thread(self._parse_unit, uri, language, text, first_line, last_line)

    def forget(self, uri: str) -> None:
        self._parsed.pop(uri, None)

    # -- workspace -----------------------------------------------------------
    def root_for(self, path: Path) -> Path:
        """The workspace folder holding path (the deepest one), else path's own folder."""
        path = path.resolve()
        roots = []
        for folder in self.workspace.folders.values():
            root = Path(to_fs_path(folder.uri) or "").resolve()
            if root == path or root in path.parents:
                roots.append(root)
        if not roots and self.workspace.root_path:
            root = Path(self.workspace.root_path).resolve()
            if root in path.parents:
                roots.append(root)
        return max(roots, key=lambda r: len(r.parts)) if roots else path.parent

    def links_for(self, path: Path) -> LinkStore:
        root = self.root_for(path)
        store = self._link_stores.get(root)
        if store is None:
            store = self._link_stores[root] = LinkStore(root)
        return store

    async def settings_for(self, uri: str | None) -> Settings:
        """Fresh settings for a document: asked of the client each time, so edits apply at once."""
        section = None
        workspace_caps = self.client_capabilities.workspace
        if workspace_caps is not None and workspace_caps.configuration:
            try:
                answer = await asyncio.wait_for(self.workspace_configuration_async(types.ConfigurationParams(
                    items=[types.ConfigurationItem(scope_uri=uri, section=SECTION)])), timeout=10)
                section = answer[0] if answer and isinstance(answer[0], dict) else None
            except Exception as exc:  # a client that cannot answer gets the startup settings
                log.warning("workspace/configuration failed: %s", exc)
        settings = parse_settings(section, self.init_options)
        try:
            settings.toolchain = check_toolchain(settings.toolchain, self.workspace_roots())
        except ToolchainSettingError as exc:
            settings.toolchain, settings.toolchain_error = {}, str(exc)
        return settings

    def workspace_roots(self) -> list[Path]:
        roots = [Path(to_fs_path(f.uri) or "") for f in self.workspace.folders.values()]
        if self.workspace.root_path:
            roots.append(Path(self.workspace.root_path))
        return [r for r in roots if str(r) not in ("", ".")]

    # -- messages ------------------------------------------------------------
    def notify(self, method: str, params: Any) -> None:
        """A custom notification to the client (transverify/...); safe from worker threads."""
        self.call_soon(self.protocol.notify, method, params)

    def show(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        self.call_soon(self.window_show_message, types.ShowMessageParams(type=kind, message=message))


def create_server() -> TransverifyServer:
    from .features import register_all

    server = TransverifyServer()
    register_all(server)
    from transverify.verify.torch_jax import warm

    warm.enable()  # PyTorch -> JAX verifications reuse warm, pre-imported sandboxed workers
    return server
