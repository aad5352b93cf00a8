"""The language server under test: a real `transverify serve` subprocess on
stdio, driven by pytest-lsp with VS Code's client capabilities."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Union

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import make_test_lsp_client

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.support.scripted_llm import ScriptedLLM  # noqa: E402

CORRECT_CPP = (EXAMPLES / "fortran" / "saxpy.cpp").read_text()
WRONG_CPP = CORRECT_CPP.replace("y[i] = a * x[i] + y[i];", "y[i] = a * x[i] - y[i];")
assert WRONG_CPP != CORRECT_CPP


def serve_command() -> list[str]:
    exe = Path(sys.executable).with_name("transverify")
    return [str(exe), "serve"] if exe.exists() else [sys.executable, "-m", "transverify", "serve"]


def translation_ready() -> str | None:
    """Why a Fortran -> C++ translation cannot run here, or None when it can."""
    try:
        from transverify.translators import pipeline  # noqa: F401
        from transverify.verify.pairs import find_pair
    except ImportError as exc:
        return f"translation pipeline not importable: {exc}"
    if find_pair("fortran", "cpp") is None:
        return "the fortran -> cpp verification pair is not installed"
    if shutil.which("gfortran") is None or shutil.which("g++") is None:
        return "gfortran and g++ are needed to verify translations"
    return None


needs_translation = pytest.mark.skipif(translation_ready() is not None, reason=str(translation_ready()))


def apply_to_disk(edit: types.WorkspaceEdit) -> list[str]:
    """What an editor does with an accepted WorkspaceEdit, written straight to the files.

    Returns the URIs whose text changed."""
    changed = []
    for change in edit.document_changes or []:
        if isinstance(change, types.CreateFile):
            path = Path(to_fs_path(change.uri))
            if change.options and change.options.overwrite or not path.exists():
                path.write_text("", encoding="utf-8")
        elif isinstance(change, types.TextDocumentEdit):
            path = Path(to_fs_path(change.text_document.uri))
            text = path.read_text(encoding="utf-8") if path.exists() else ""
            for text_edit in sorted(change.edits, key=lambda e: (e.range.start.line, e.range.start.character),
                                    reverse=True):
                start, end = _offset(text, text_edit.range.start), _offset(text, text_edit.range.end)
                text = text[:start] + text_edit.new_text + text[end:]
            path.write_text(text, encoding="utf-8")
            changed.append(change.text_document.uri)
        else:
            raise AssertionError(f"unexpected document change {change!r}")
    return changed


def _offset(text: str, position: types.Position) -> int:
    lines = text.split("\n")
    return sum(len(line) + 1 for line in lines[:position.line]) + position.character


def make_client() -> LanguageClient:
    client = make_test_lsp_client()
    # pytest-lsp 1.0.1: lsprotocol's converter turns every CodeAction carrying a command into a Command.
    conv = client.protocol._converter
    conv.register_structure_hook(
        Union[types.Command, types.CodeAction],
        lambda obj, _: conv.structure(obj, types.Command if isinstance(obj.get("command"), str) else types.CodeAction))
    client.accept_edits = True  # how the simulated user answers the refactor preview
    client.edits = []
    client.lens_refreshes = 0
    client.open_versions = {}

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(ls: LanguageClient, params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        ls.edits.append(params)
        if not ls.accept_edits:
            return types.ApplyWorkspaceEditResult(applied=False, failure_reason="rejected in the preview")
        for uri in apply_to_disk(params.edit):
            if uri in ls.open_versions:  # an editor tells the server about its changed buffers
                ls.open_versions[uri] += 1
                ls.text_document_did_change(types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=ls.open_versions[uri]),
                    content_changes=[types.TextDocumentContentChangeWholeDocument(
                        text=Path(to_fs_path(uri)).read_text(encoding="utf-8"))]))
        return types.ApplyWorkspaceEditResult(applied=True)

    @client.feature(types.WORKSPACE_CODE_LENS_REFRESH)
    def lens_refresh(ls: LanguageClient, params: None) -> None:
        ls.lens_refreshes += 1

    return client


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    shutil.copy(EXAMPLES / "fortran" / "saxpy.f90", root / "saxpy.f90")
    return root


@pytest.fixture
def records(tmp_path: Path) -> Path:
    """This test's own record store, named to the server by the recordsPath setting."""
    return tmp_path / "records.sqlite"


@pytest.fixture
def llm():
    with ScriptedLLM() as server:
        yield server


@pytest_lsp.fixture(config=ClientServerConfig(server_command=serve_command(), client_factory=make_client))
async def client(lsp_client: LanguageClient, workspace: Path, llm: ScriptedLLM, records: Path):
    # The LLM Solver against the scripted endpoint: translations that do not depend on the rules' coverage.
    lsp_client.set_configuration({"solver": "llm", "cases": 16, "maxRounds": 1, "recordsPath": str(records),
                                  "llm": {"baseUrl": llm.base_url, "model": "scripted-model"}},
                                 section="transverify")
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=from_fs_path(str(workspace)),
        workspace_folders=[types.WorkspaceFolder(uri=from_fs_path(str(workspace)), name="ws")],
        initialization_options={"apiKey": "sk-editor-secret"},
    ))
    yield
    await lsp_client.shutdown_session()


async def start_offline_session(lsp_client: LanguageClient, workspace: Path, records: Path, cases: int) -> None:
    """A VS Code-like session with the rules as the Solver (no endpoint configured)."""
    lsp_client.set_configuration({"solver": "auto", "cases": cases, "maxRounds": 1, "recordsPath": str(records)},
                                 section="transverify")
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=from_fs_path(str(workspace)),
        workspace_folders=[types.WorkspaceFolder(uri=from_fs_path(str(workspace)), name="ws")],
    ))


def without_llm(monkeypatch, tmp_path: Path) -> None:
    """No LLM endpoint from the environment or a config file; CUDA runs on the CPU layer."""
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "TRANSVERIFY_MODEL", "TRANSVERIFY_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("TRANSVERIFY_CUDA_EXECUTION", "cpu")


def open_file(client: LanguageClient, path: Path, language: str, version: int = 1) -> str:
    uri = from_fs_path(str(path))
    client.open_versions[uri] = version
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id=language, version=version, text=path.read_text(encoding="utf-8"))))
    return uri


async def code_actions(client: LanguageClient, uri: str, line: int, end_line: int | None = None,
                       diagnostics: list | None = None) -> list:
    end = types.Position(line=line if end_line is None else end_line, character=0)
    return await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(start=types.Position(line=line, character=0), end=end),
        context=types.CodeActionContext(diagnostics=diagnostics or []))) or []


async def run_command(client: LanguageClient, command: types.Command):
    return await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command=command.command, arguments=command.arguments))


def fenced(code: str) -> str:
    return f"```cpp\n{code}```"


def store_at(path: Path):
    from transverify.translators.records import RecordStore

    return RecordStore.open(path)


async def wait_for_diagnostics(client: LanguageClient, uri: str, predicate, timeout: float = 240.0) -> list:
    """Wait until the diagnostics published for uri satisfy predicate."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        current = client.diagnostics.get(uri)
        if current is not None and predicate(current):
            return list(current)
        if loop.time() > deadline:
            raise AssertionError(f"diagnostics for {uri} never matched; last: {current!r}")
        await asyncio.sleep(0.1)


@pytest.fixture(scope="module")
def shared_workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("shared-ws")
    shutil.copy(EXAMPLES / "fortran" / "saxpy.f90", root / "saxpy.f90")
    return root


@pytest_lsp.fixture(scope="module",
                    config=ClientServerConfig(server_command=serve_command(), client_factory=make_client))
async def listing_client(lsp_client: LanguageClient, shared_workspace: Path):
    """One server for the read-only tests of a module (listing, hover): no translation runs on it."""
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=from_fs_path(str(shared_workspace)),
        workspace_folders=[types.WorkspaceFolder(uri=from_fs_path(str(shared_workspace)), name="ws")],
    ))
    yield
    await lsp_client.shutdown_session()
