"""The editor's "CPU equivalent, TVM-optimized (verify)" code action on a .cu file, over LSP."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import pytest_lsp
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.server.conftest import (code_actions, make_client, open_file, run_command, serve_command,
                                   start_offline_session, without_llm)

pytest.importorskip("tvm", reason="apache-tvm (the optional 'tvm' extra) is not installed")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cuda"
TITLE = "CPU equivalent, TVM-optimized (verify)"
pytestmark = [pytest.mark.asyncio,
              pytest.mark.skipif(shutil.which("nvcc") is None or shutil.which("g++") is None,
                                 reason="nvcc and g++ are needed to verify CUDA translations")]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    shutil.copy(EXAMPLES / "saxpy" / "saxpy.cu", root / "saxpy.cu")
    return root


@pytest_lsp.fixture(config=ClientServerConfig(server_command=serve_command(), client_factory=make_client))
async def client(lsp_client: LanguageClient, workspace: Path, tmp_path: Path):
    await start_offline_session(lsp_client, workspace, tmp_path / "records.sqlite", cases=3)
    yield
    await lsp_client.shutdown_session()


@pytest.fixture(autouse=True)
def no_llm(monkeypatch, tmp_path):
    without_llm(monkeypatch, tmp_path)


async def test_tvm_code_action_gives_a_verified_edit_with_its_measured_speed_up(client, workspace: Path):
    uri = open_file(client, workspace / "saxpy.cu", "cuda-cpp")
    actions = await code_actions(client, uri, line=8)  # inside the host function saxpy
    (action,) = [a for a in actions if a.title == TITLE]
    assert action.disabled is None
    assert action.command.arguments[0]["solver"] == "tvm"
    answer = await run_command(client, action.command)

    assert answer["status"] == "applied", answer
    assert answer["verdict"] == "equivalent"
    assert "TVM, default schedule" in answer["message"]
    assert "x naive OpenMP" in answer["message"] and "x naive serial" in answer["message"]
    code = (workspace / "saxpy_cpu.cpp").read_text()
    assert "lifted to TVM TE" in code and "#pragma omp simd" in code
