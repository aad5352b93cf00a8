"""Item 5: `serve --tcp` listens on loopback only and admits only a client that sends the
token; compiler paths, the LLM endpoint and the record store come from the user's (machine)
settings, never from a workspace's; a compiler setting is checked before anything runs it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.security.server_support import SAXPY_CPP, SAXPY_F90, frame, parse_frames, transverify
from tests.server.conftest import make_client
from tests.support.scripted_llm import ScriptedLLM

needs_compilers = pytest.mark.skipif(shutil.which("gfortran") is None or shutil.which("g++") is None,
                                     reason="gfortran and g++ are needed to verify translations")


# -- TCP ------------------------------------------------------------------------------------------

def _initialize(token: str | None) -> bytes:
    options = {"token": token} if token is not None else {}
    return frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                  "params": {"processId": None, "rootUri": None, "capabilities": {},
                             "initializationOptions": options}})


def _exchange(port: int, data: bytes) -> list[dict]:
    """Send data, read until the server closes the connection or answers."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(data)
        received = b""
        while not parse_frames(received):
            chunk = conn.recv(65536)
            if not chunk:
                break
            received += chunk
        return parse_frames(received)


def test_tcp_refuses_other_interfaces():
    run = subprocess.run([*transverify(), "serve", "--tcp", "0.0.0.0:8123"], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 2 and "loopback" in run.stderr and "Traceback" not in run.stderr


def test_tcp_needs_the_token_printed_at_start():
    server = subprocess.Popen([*transverify(), "serve", "--tcp", "127.0.0.1:0"], stderr=subprocess.PIPE, text=True,
                              env={k: v for k, v in __import__("os").environ.items()
                                   if k != "TRANSVERIFY_SERVER_TOKEN"})
    try:
        line = server.stderr.readline()
        assert "listening on 127.0.0.1:" in line and "token = " in line, line
        port = int(line.split("listening on 127.0.0.1:")[1].split(";")[0])
        token = line.strip().rsplit("token = ", 1)[1]

        for offered in (None, "wrong-token-0123456789abc"):
            [refused] = _exchange(port, _initialize(offered))
            assert refused["id"] == 1 and refused["error"]["code"] == -32001 and "token" in refused["error"]["message"]
        # Anything before initialize is refused the same way, and never reaches a handler.
        [refused] = _exchange(port, frame({"jsonrpc": "2.0", "id": 5, "method": "workspace/executeCommand",
                                           "params": {"command": "transverify.translate", "arguments": []}}))
        assert refused["id"] == 5 and refused["error"]["code"] == -32001

        [accepted] = _exchange(port, _initialize(token))
        assert accepted["id"] == 1 and "capabilities" in accepted["result"]
        assert server.poll() is None
    finally:
        server.kill()
        server.wait(10)


# -- machine settings -------------------------------------------------------------------------------

@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "cloned-repo"
    root.mkdir()
    (root / "saxpy.f90").write_text(SAXPY_F90)
    return root


@pytest.fixture
def planted_compiler(workspace: Path) -> tuple[Path, Path]:
    """A repository's own "g++": a script that leaves a mark when anything runs it."""
    marker = workspace.parent / "compiler-ran"
    script = workspace / "tools" / "g++"
    script.parent.mkdir()
    script.write_text(f"#!/bin/sh\ntouch {marker}\nexec g++ \"$@\"\n")
    script.chmod(0o755)
    return script, marker


@pytest.fixture
def honest():
    with ScriptedLLM() as server:
        yield server


@pytest.fixture
def attacker():
    with ScriptedLLM() as server:
        yield server


@pytest.fixture
def machine(tmp_path: Path, honest: ScriptedLLM) -> dict:
    return {"llm": {"baseUrl": honest.base_url}, "recordsPath": str(tmp_path / "records.sqlite"), "toolchain": {}}


async def _start(client: LanguageClient, workspace: Path, machine: dict, workspace_settings: dict) -> None:
    client.set_configuration(workspace_settings, section="transverify")
    await client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), root_uri=from_fs_path(str(workspace)),
        workspace_folders=[types.WorkspaceFolder(uri=from_fs_path(str(workspace)), name="ws")],
        initialization_options={"machineSettings": machine}))
    client.started = True


async def _translate(client: LanguageClient, workspace: Path):
    return await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="transverify.translate",
        arguments=[{"uri": from_fs_path(str(workspace / "saxpy.f90")), "entry": "saxpy", "target": "cpp"}]))


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[*transverify(), "serve"], client_factory=make_client))
async def client(lsp_client: LanguageClient):
    lsp_client.started = False
    yield lsp_client
    if lsp_client.started:
        await lsp_client.shutdown_session()


@needs_compilers
@pytest.mark.asyncio
async def test_workspace_settings_cannot_redirect_the_endpoint_compiler_or_store(
        client: LanguageClient, workspace: Path, planted_compiler, honest, attacker, machine, tmp_path: Path):
    script, marker = planted_compiler
    stolen = tmp_path / "stolen.sqlite"
    await _start(client, workspace, machine, {
        "solver": "llm", "maxRounds": 1, "cases": 8, "recordsPath": str(stolen),
        "llm": {"baseUrl": attacker.base_url, "model": "scripted-model"}, "toolchain": {"gxx": str(script)}})
    honest.reply(f"```cpp\n{SAXPY_CPP}```")
    result = await _translate(client, workspace)
    assert result["status"] == "applied" and result["verdict"] == "equivalent", result
    assert len(honest.requests) == 1 and attacker.requests == []
    assert not marker.exists() and not stolen.exists()
    assert Path(machine["recordsPath"]).exists()


@needs_compilers
@pytest.mark.parametrize("kind, expected", [("script", "is a script"), ("misnamed", "not named like"),
                                            ("inside", "inside the workspace")])
@pytest.mark.asyncio
async def test_a_compiler_setting_is_checked_before_it_runs(client: LanguageClient, workspace: Path,
                                                            planted_compiler, machine, tmp_path: Path,
                                                            kind: str, expected: str):
    script, marker = planted_compiler
    real_gxx = Path(shutil.which("g++")).resolve()
    if kind == "script":
        outside = tmp_path / "bin" / "g++"
        outside.parent.mkdir()
        shutil.copy(script, outside)
        gxx = outside
    elif kind == "misnamed":
        gxx = Path(shutil.which("sh")).resolve()
    else:
        gxx = workspace / "bin" / "g++"
        gxx.parent.mkdir()
        shutil.copy(real_gxx, gxx)
    machine["toolchain"] = {"gxx": str(gxx)}
    await _start(client, workspace, machine, {"solver": "rules", "cases": 8})
    result = await _translate(client, workspace)
    assert result["status"] == "error" and expected in result["message"] and "toolchain.gxx" in result["message"]
    assert not marker.exists()
    messages = [m.message for m in client.messages if m.type == types.MessageType.Error]
    assert any(expected in m for m in messages), messages
