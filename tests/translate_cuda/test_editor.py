"""The editor's CUDA code actions without any LLM: the rule translators answer them, verified."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import pytest_lsp
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.server.conftest import (code_actions, make_client, open_file, run_command, serve_command,
                                   start_offline_session, without_llm)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cuda"
pytestmark = [pytest.mark.asyncio,
              pytest.mark.skipif(shutil.which("nvcc") is None or shutil.which("g++") is None,
                                 reason="nvcc and g++ are needed to verify CUDA translations")]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    shutil.copy(EXAMPLES / "saxpy" / "saxpy.cu", root / "saxpy.cu")
    shutil.copy(EXAMPLES / "dot" / "dot.cpp", root / "dot.cpp")
    return root


@pytest_lsp.fixture(config=ClientServerConfig(server_command=serve_command(), client_factory=make_client))
async def client(lsp_client: LanguageClient, workspace: Path, tmp_path: Path):
    # No endpoint anywhere: the environment is cleared of LLM settings, and the rules are the Solver.
    await start_offline_session(lsp_client, workspace, tmp_path / "records.sqlite", cases=4)
    yield
    await lsp_client.shutdown_session()


@pytest.fixture(autouse=True)
def no_llm(monkeypatch, tmp_path):
    without_llm(monkeypatch, tmp_path)


async def test_cuda_to_cpu_code_action_gives_a_verified_openmp_edit_offline(client, workspace: Path):
    uri = open_file(client, workspace / "saxpy.cu", "cuda-cpp")
    actions = await code_actions(client, uri, line=8)  # inside the host function saxpy
    (action,) = [a for a in actions if a.title == "Translate to CPU (OpenMP) and verify"]
    assert action.disabled is None
    answer = await run_command(client, action.command)

    assert answer["status"] == "applied", answer
    assert answer["verdict"] == "equivalent"
    target = workspace / "saxpy_cpu.cpp"
    code = target.read_text()
    assert "#pragma omp parallel for" in code and "void saxpy(int n, float a, const float* x, float* y)" in code
    assert "cudaMalloc" not in code and "<<<" not in code


async def test_cpp_to_cuda_code_action_gives_a_verified_kernel_offline(client, workspace: Path):
    uri = open_file(client, workspace / "dot.cpp", "cpp")
    (action,) = await code_actions(client, uri, line=2)
    assert action.title == "Translate to CUDA and verify"
    answer = await run_command(client, action.command)

    assert answer["status"] == "applied", answer
    assert answer["verdict"] == "equivalent"
    code = (workspace / "dot.cu").read_text()
    assert "__global__ void dot_kernel" in code and "__syncthreads()" in code and "CUDA_CHECK" in code
