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
