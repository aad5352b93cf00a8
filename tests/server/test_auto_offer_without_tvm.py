"""Without the optional 'tvm' extra, a CUDA -> CPU translation with solver auto in the editor is
what it always was, and the hover says why no TVM-optimized CPU equivalent is offered beside it."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.server.conftest import (EXAMPLES, code_actions, make_client, open_file, run_command,
                                   start_offline_session, without_llm)

pytestmark = [pytest.mark.asyncio,
              pytest.mark.skipif(shutil.which("nvcc") is None or shutil.which("g++") is None,
                                 reason="nvcc and g++ are needed to verify CUDA translations")]

# The real server with apache-tvm made unimportable, as on an install without the extra.
SERVE_WITHOUT_TVM = [sys.executable, "-c",
                     "import sys; sys.modules['tvm'] = None; sys.modules['tvm_ffi'] = None\n"
                     "from transverify.cli import main\n"
                     "sys.argv = ['transverify', 'serve']\n"
                     "main()\n"]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    shutil.copy(EXAMPLES / "cuda" / "saxpy" / "saxpy.cu", root / "saxpy.cu")
    return root


@pytest.fixture(autouse=True)
def no_llm(monkeypatch, tmp_path):
    without_llm(monkeypatch, tmp_path)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVE_WITHOUT_TVM, client_factory=make_client))
async def client(lsp_client: LanguageClient, workspace: Path, tmp_path: Path):
    await start_offline_session(lsp_client, workspace, tmp_path / "records.sqlite", cases=3)
    yield
    await lsp_client.shutdown_session()


async def test_without_the_extra_the_hover_says_how_to_install_it(client, workspace: Path):
    uri = open_file(client, workspace / "saxpy.cu", "cuda-cpp")
    actions = await code_actions(client, uri, line=8)
    (translate,) = [a for a in actions if a.title == "Translate to CPU (OpenMP) and verify"]
    answer = await run_command(client, translate.command)
    assert answer["status"] == "applied" and answer["verdict"] == "equivalent", answer
    assert "TVM" not in (workspace / "saxpy_cpu.cpp").read_text()

    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=7, character=6)))
    assert ("TVM-optimized CPU equivalent of `saxpy` (offered with solver auto): not offered: the TVM solver "
            "needs the optional 'tvm' extra: pip install 'transverify[tvm]'") in hover.contents.value
    assert not [a for a in await code_actions(client, uri, line=8) if a.title.startswith("Use TVM")]
    assert not [token for token, reports in client.progress_reports.items()
                if reports and getattr(reports[0], "title", "").startswith("Offering a TVM")]
