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
    server = subprocess.Popen([*serve_command(), "--tcp", f"127.0.0.1:{port}"], stderr=subprocess.PIPE)
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
                                   "params": {"processId": None, "rootUri": None, "capabilities": {}}}))
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
