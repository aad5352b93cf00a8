"""Item 12: malformed requests get a JSON-RPC error, never silence or a traceback; an oversized
message is refused with an error and the server goes on serving, and a `Content-Length:
99999999999` that never arrives ends the server cleanly instead of a MemoryError."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pygls.uris import from_fs_path

from tests.security.server_support import EXIT, INITIALIZE, INITIALIZED, SHUTDOWN, RawServer, cli_env


@pytest.fixture
def server(tmp_path: Path):
    raw = RawServer(env=cli_env(tmp_path, TRANSVERIFY_MAX_MESSAGE_BYTES="20000"))
    raw.send(INITIALIZE)
    assert "capabilities" in raw.reply_to(1)["result"]
    raw.send(INITIALIZED)
    yield raw
    raw.stop()


def _code_action(msg_id: int, uri: str) -> dict:
    return {"jsonrpc": "2.0", "id": msg_id, "method": "textDocument/codeAction",
            "params": {"textDocument": {"uri": uri},
                       "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                       "context": {"diagnostics": []}}}


def _ends_cleanly(server: RawServer) -> None:
    server.send(SHUTDOWN)
    assert server.reply_to(99).get("result", "missing") is None
    server.send(EXIT)
    assert server.process.wait(60) == 0
    assert "Traceback" not in server.stderr()


def test_params_of_the_wrong_type_get_invalid_params(server: RawServer):
    server.send({"jsonrpc": "2.0", "id": 7, "method": "textDocument/codeAction", "params": 42})
    reply = server.reply_to(7)
    assert reply["error"]["code"] == -32602
    assert "codeAction" in reply["error"]["message"] and "Traceback" not in json.dumps(reply)
    _ends_cleanly(server)


def test_unparsable_json_gets_a_parse_error(server: RawServer):
    body = b'{"jsonrpc": "2.0", "id": 8, "method": '
    server.send(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    assert server.reply_to(None)["error"]["code"] == -32700
    _ends_cleanly(server)


def test_a_code_action_on_a_missing_file_answers_without_a_traceback(server: RawServer, tmp_path: Path):
    server.send(_code_action(9, from_fs_path(str(tmp_path / "gone.f90"))))
    reply = server.reply_to(9)
    assert "Traceback" not in json.dumps(reply)
    assert reply.get("result") in (None, [])
    _ends_cleanly(server)


def test_an_oversized_message_is_refused_and_the_server_goes_on(server: RawServer, tmp_path: Path):
    source = tmp_path / "big.f90"
    text = "subroutine s(x)\n  real :: x\n  x = 1.0\nend subroutine s\n" * 1000  # ~50 kB > the 20 kB limit
    source.write_text(text)
    server.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": from_fs_path(str(source)), "languageId": "fortran", "version": 1, "text": text}}})
    refused = server.reply_to(None)
    assert refused["error"]["code"] == -32600 and "limit" in refused["error"]["message"]
    server.send({"jsonrpc": "2.0", "id": 10, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": from_fs_path(str(source))}, "position": {"line": 0, "character": 0}}})
    assert "result" in server.reply_to(10)  # still in step with the client
    _ends_cleanly(server)


def test_a_huge_content_length_never_allocates_it(tmp_path: Path):
    raw = RawServer(env=cli_env(tmp_path))  # the default limit: 64 MiB
    try:
        raw.send(INITIALIZE)
        raw.reply_to(1)
        raw.send(b"Content-Length: 99999999999\r\n\r\n{\"jsonrpc\": \"2.0\"}")
        refused = raw.reply_to(None)
        assert refused["error"]["code"] == -32600 and "99999999999" in refused["error"]["message"]
        # The announced body never comes: when the client hangs up the server exits cleanly.
        assert raw.close_input() == 0
        stderr = raw.stderr()
        assert "MemoryError" not in stderr and "Traceback" not in stderr
    finally:
        raw.stop()
