"""Helpers of the server, records, output and secrets security tests: a CLI whose
environment names only the test's own config, store and cache, and raw LSP framing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

SAXPY_F90 = (REPO / "examples" / "fortran" / "saxpy.f90").read_text()
SAXPY_CPP = (REPO / "examples" / "fortran" / "saxpy.cpp").read_text()


def transverify() -> list[str]:
    exe = Path(sys.executable).with_name("transverify")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "transverify"]


def cli_env(tmp_path: Path, config: str = "[llm]\nretry_backoff = 0.05\nmax_retries = 1\ntimeout = 30\n",
            **extra: str) -> dict[str, str]:
    """No endpoint or key from the outside; this test's config file, record store and cache."""
    folder = tmp_path / "config" / "transverify"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(config)
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith(("OPENAI_", "TRANSVERIFY_")) and "KEY" not in k and "TOKEN" not in k}
    environ.update(XDG_CONFIG_HOME=str(tmp_path / "config"), TRANSVERIFY_RECORDS=str(tmp_path / "records.sqlite"),
                   TRANSVERIFY_CACHE_DIR=str(tmp_path / "cache"))
    environ.update(extra)
    return environ


def run_cli(*args: str, env: dict[str, str], cwd: Path | None = None, timeout: float = 240,
            ) -> subprocess.CompletedProcess:
    return subprocess.run([*transverify(), *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


def frame(payload: dict) -> bytes:
    body = json.dumps(payload).encode()
    return f"Content-Length: {len(body)}\r\n\r\n".encode() + body


def parse_frames(data: bytes) -> list[dict]:
    """Every complete LSP message in a byte stream."""
    messages = []
    while True:
        header, sep, rest = data.partition(b"\r\n\r\n")
        if not sep:
            return messages
        length = next(int(line.split(b":")[1]) for line in header.split(b"\r\n")
                      if line.lower().startswith(b"content-length"))
        messages.append(json.loads(rest[:length]))
        data = rest[length:]


INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"processId": None, "rootUri": None, "capabilities": {}}}
INITIALIZED = {"jsonrpc": "2.0", "method": "initialized", "params": {}}
SHUTDOWN = {"jsonrpc": "2.0", "id": 99, "method": "shutdown"}
EXIT = {"jsonrpc": "2.0", "method": "exit"}


class RawServer:
    """`transverify serve` on stdio, fed raw bytes; a thread collects every message it writes."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        import threading

        self.process = subprocess.Popen([*transverify(), "serve", *args], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.messages: list[dict] = []
        self._buffer = b""
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._collect, daemon=True)
        self._thread.start()

    def _collect(self) -> None:
        while True:
            chunk = self.process.stdout.read1(65536)
            if not chunk:
                break
            with self._changed:
                self._buffer += chunk
                while True:
                    header, sep, rest = self._buffer.partition(b"\r\n\r\n")
                    if not sep:
                        break
                    length = next(int(line.split(b":")[1]) for line in header.split(b"\r\n")
                                  if line.lower().startswith(b"content-length"))
                    if len(rest) < length:
                        break
                    self.messages.append(json.loads(rest[:length]))
                    self._buffer = rest[length:]
                self._changed.notify_all()

    def send(self, message: dict | bytes) -> None:
        self.process.stdin.write(message if isinstance(message, bytes) else frame(message))
        self.process.stdin.flush()

    def reply_to(self, msg_id, timeout: float = 60) -> dict:
        """The response with this id (None: the first response without one)."""
        def found():
            return next((m for m in self.messages if "method" not in m and m.get("id") == msg_id), None)
        with self._changed:
            assert self._changed.wait_for(lambda: found() is not None or self.process.poll() is not None,
                                          timeout), f"no reply to {msg_id!r}; got {self.messages}"
            reply = found()
        assert reply is not None, f"the server exited without replying to {msg_id!r}: {self.stderr()}"
        return reply

    def close_input(self) -> int:
        self.process.stdin.close()
        return self.process.wait(60)

    def stderr(self) -> str:
        if self.process.poll() is None:
            return ""
        return self.process.stderr.read().decode(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
