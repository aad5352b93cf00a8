"""`transverify serve` on the command line: TCP mode and bad flags."""

from __future__ import annotations

import json
import socket
import subprocess
import time

from .conftest import serve_command


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _message(payload: dict) -> bytes:
    body = json.dumps(payload).encode()
    return f"Content-Length: {len(body)}\r\n\r\n".encode() + body


def _read_message(conn: socket.socket) -> dict:
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(4096)
    header, _, rest = data.partition(b"\r\n\r\n")
    length = int(next(line.split(b":")[1] for line in header.split(b"\r\n") if line.lower().startswith(b"content-length")))
    while len(rest) < length:
        rest += conn.recv(4096)
    return json.loads(rest[:length])


def test_tcp_mode_answers_initialize():
    port = _free_port()
    token = "tcp-test-token-0123456789"
    server = subprocess.Popen([*serve_command(), "--tcp", f"127.0.0.1:{port}", "--token", token],
                              stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = socket.create_connection(("127.0.0.1", port), timeout=30)
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "the TCP server never listened"
                time.sleep(0.2)
        with conn:
            conn.sendall(_message({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                                   "params": {"processId": None, "rootUri": None, "capabilities": {},
                                              "initializationOptions": {"token": token}}}))
            reply = _read_message(conn)
        assert reply["id"] == 1
        capabilities = reply["result"]["capabilities"]
        assert "transverify.translate" in capabilities["executeCommandProvider"]["commands"]
        assert capabilities["codeActionProvider"]["codeActionKinds"] == ["refactor.rewrite", "quickfix"]
    finally:
        server.kill()
        server.wait(10)


def test_bad_tcp_address_is_a_usage_error():
    run = subprocess.run([*serve_command(), "--tcp", "nowhere"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert "HOST:PORT" in run.stderr and "Traceback" not in run.stderr


def test_verbose_log_never_shows_the_api_key(tmp_path):
    log = tmp_path / "server.log"
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"processId": None, "rootUri": None, "capabilities": {},
                    "initializationOptions": {"apiKey": "sk-from-editor-123"}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    env = {**__import__("os").environ, "OPENAI_API_KEY": "sk-from-environment-456"}
    run = subprocess.run([*serve_command(), "--verbose", "--log-file", str(log)],
                         input=b"".join(_message(m) for m in messages), capture_output=True, timeout=120, env=env)
    assert b'"id": 2' in run.stdout  # the session ran to its shutdown answer
    text = log.read_text()
    assert "initializationOptions" in text or "initialization_options" in text  # the message was logged...
    assert "sk-from-editor-123" not in text and "sk-from-environment-456" not in text  # ...without the key
