"""A scripted OpenAI-compatible chat server on 127.0.0.1, for tests that must not need an LLM.

It replays a queue of prepared exchanges, one per POST /v1/chat/completions,
and records every request it receives.

    from tests.support.scripted_llm import ScriptedLLM

    with ScriptedLLM() as llm:                 # starts on a free port
        llm.reply("```cpp\\nvoid f() {}\\n```")  # a normal assistant message
        llm.error(429, retry_after=0)          # an HTTP error (429, 500, 401, ...)
        llm.garbage("<html>oops</html>")       # a body that is not a chat completion
        llm.stall()                            # hold the request open until stop() (or `seconds`)
        run_the_client(base_url=llm.base_url)  # "http://127.0.0.1:PORT/v1"
        llm.requests                           # [{"path", "headers" (lower-case names), "body" (parsed JSON)}]
        llm.wait_for_requests(2, timeout=10)   # block until 2 requests arrived
        llm.pending()                          # steps not yet served

A request that finds the queue empty gets HTTP 418 with an explanation, which
clients treat as a non-retryable error, so a test that under-scripts fails loudly.
Scripts can also come from a JSON file (a list of {"reply": ...} | {"error": status,
"retry_after": s} | {"garbage": body} | {"stall": seconds|null}) via `load_script`,
and `python tests/support/scripted_llm.py SCRIPT.json` serves one until interrupted.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


@dataclass
class Step:
    kind: str  # reply | error | garbage | stall
    content: str = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    model: str | None = None
    finish_reason: str = "stop"
    seconds: float | None = None
    usage: tuple[int, int] = (0, 0)


class ScriptedLLM:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, model: str = "scripted-model"):
        self.model = model
        self.requests: list[dict[str, Any]] = []
        self._steps: deque[Step] = deque()
        self._lock = threading.Condition()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer((host, port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> "ScriptedLLM":
        self._thread = threading.Thread(target=self._server.serve_forever, name="scripted-llm", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "ScriptedLLM":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- the script -----------------------------------------------------------------

    def reply(self, content: str, *, model: str | None = None, finish_reason: str = "stop",
              prompt_tokens: int = 100, completion_tokens: int = 50) -> "ScriptedLLM":
        return self._push(Step("reply", content=content, model=model, finish_reason=finish_reason,
                               usage=(prompt_tokens, completion_tokens)))

    def error(self, status: int, message: str = "scripted error", retry_after: float | None = None) -> "ScriptedLLM":
        headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else {}
        body = json.dumps({"error": {"message": message, "type": "scripted", "code": status}})
        return self._push(Step("error", content=body, status=status, headers=headers))

    def garbage(self, body: str, status: int = 200, content_type: str = "application/json") -> "ScriptedLLM":
        return self._push(Step("garbage", content=body, status=status, headers={"Content-Type": content_type}))

    def stall(self, seconds: float | None = None) -> "ScriptedLLM":
        return self._push(Step("stall", seconds=seconds))

    def load_script(self, path: Path | str) -> "ScriptedLLM":
        for item in json.loads(Path(path).read_text()):
            if "reply" in item:
                self.reply(item["reply"])
            elif "error" in item:
                self.error(int(item["error"]), item.get("message", "scripted error"), item.get("retry_after"))
            elif "garbage" in item:
                self.garbage(item["garbage"], int(item.get("status", 200)))
            elif "stall" in item:
                self.stall(item["stall"])
            else:
                raise ValueError(f"{path}: unknown step {item!r}")
        return self

    def pending(self) -> int:
        with self._lock:
            return len(self._steps)

    def wait_for_requests(self, count: int, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self.requests) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)
            return True

    def _push(self, step: Step) -> "ScriptedLLM":
        with self._lock:
            self._steps.append(step)
        return self

    def _next(self, request: dict[str, Any]) -> Step | None:
        with self._lock:
            self.requests.append(request)
            self._lock.notify_all()
            return self._steps.popleft() if self._steps else None

    def completion(self, step: Step, request_model: str | None) -> dict[str, Any]:
        return {
            "id": f"chatcmpl-scripted-{len(self.requests)}", "object": "chat.completion", "created": int(time.time()),
            "model": step.model or request_model or self.model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": step.content},
                         "finish_reason": step.finish_reason}],
            "usage": {"prompt_tokens": step.usage[0], "completion_tokens": step.usage[1],
                      "total_tokens": sum(step.usage)},
        }


def _handler_for(llm: ScriptedLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

        def _send(self, status: int, body: str | bytes, headers: dict[str, str] | None = None) -> None:
            data = body.encode() if isinstance(body, str) else body
            self.send_response(status)
            headers = {"Content-Type": "application/json", **(headers or {})}
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path.rstrip("/").endswith("/models"):
                self._send(200, json.dumps({"object": "list", "data": [{"id": llm.model, "object": "model"}]}))
            else:
                self._send(404, json.dumps({"error": {"message": f"no route {self.path}"}}))

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw or b"{}")
            except json.JSONDecodeError:
                body = {"unparsed": raw.decode("utf-8", "replace")}
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._send(404, json.dumps({"error": {"message": f"no route {self.path}"}}))
                return
            step = llm._next({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                               "body": body})
            if step is None:
                self._send(418, json.dumps({"error": {"message": "scripted server: no reply queued"}}))
                return
            if step.kind == "stall":
                llm._stopping.wait(step.seconds)
                if llm._stopping.is_set():
                    return
                self._send(503, json.dumps({"error": {"message": "scripted stall ended"}}))
                return
            if step.kind in ("error", "garbage"):
                self._send(step.status, step.content, step.headers)
                return
            self._send(200, json.dumps(llm.completion(step, body.get("model"))))

    return Handler


def main() -> None:
    import sys

    server = ScriptedLLM().load_script(sys.argv[1]).start()
    print(server.base_url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
