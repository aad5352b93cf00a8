"""A scripted OpenAI-compatible chat server on 127.0.0.1, for tests that must not need an LLM.

It replays a queue of prepared exchanges, one per POST /v1/chat/completions,
and records every request it receives.  It behaves like the real servers where
the loop depends on it: `"stream": true` gets Server-Sent Events (one chunk per
token, a final chunk with `finish_reason`, a usage chunk when
`stream_options.include_usage` is set, then `data: [DONE]`); `max_tokens` cuts a
reply short with `finish_reason: "length"`; a context window, when given, is
exposed the way vLLM (`max_model_len` in /v1/models) or llama.cpp's server
(`meta.n_ctx_train` in /v1/models, `n_ctx` in /props) expose it and enforced
with their HTTP 400 errors.  A token is 4 characters of message text here
(plus 4 per message), a deterministic stand-in for a tokenizer.

    from tests.support.scripted_llm import ScriptedLLM

    with ScriptedLLM() as llm:                 # starts on a free port
        llm.reply("```cpp\\nvoid f() {}\\n```")  # a normal assistant message
        llm.reply(text, chunk_delay=0.1)       # streamed slowly (when the client streams)
        llm.reply(text, finish_reason="length")  # a reply cut off by the server's limit
        llm.error(429, retry_after=0)          # an HTTP error (429, 500, 401, ...)
        llm.garbage("<html>oops</html>")       # a body that is not a chat completion
        llm.stall()                            # hold the request open until stop() (or `seconds`)
        llm.die()                              # drop this connection and stop listening for good
        run_the_client(base_url=llm.base_url)  # "http://127.0.0.1:PORT/v1"
        llm.requests                           # [{"path", "headers" (lower-case names), "body" (parsed JSON)}]
        llm.wait_for_requests(2, timeout=10)   # block until 2 requests arrived
        llm.pending()                          # steps not yet served
        llm.streams                            # [{"chunks", "total", "completed", "disconnected_at"}]

    ScriptedLLM(context_window=1024, flavour="vllm")      # or "llamacpp" (n_ctx_train=... optional)

A request that finds the queue empty gets HTTP 418 with an explanation, which
clients treat as a non-retryable error, so a test that under-scripts fails loudly.
Scripts can also come from a JSON file (a list of {"reply": ...} | {"error": status,
"retry_after": s} | {"garbage": body} | {"stall": seconds|null} | {"die": true}) via
`load_script`, and `python tests/support/scripted_llm.py SCRIPT.json` serves one until interrupted.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CHARS_PER_TOKEN = 4
TOKENS_PER_MESSAGE = 4


def count_tokens(messages: list[dict[str, Any]]) -> int:
    """The server's token count of a prompt (its stand-in tokenizer)."""
    return sum(math.ceil(len(str(m.get("content") or "")) / CHARS_PER_TOKEN) + TOKENS_PER_MESSAGE
               for m in messages if isinstance(m, dict))


def tokens_of(text: str) -> list[str]:
    return [text[i:i + CHARS_PER_TOKEN] for i in range(0, len(text), CHARS_PER_TOKEN)]


@dataclass
class Step:
    kind: str  # reply | error | garbage | stall | die
    content: str = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    model: str | None = None
    finish_reason: str = "stop"
    seconds: float | None = None
    usage: tuple[int, int] | None = None  # (prompt, completion); None: counted
    chunk_delay: float = 0.0


class ScriptedLLM:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, model: str = "scripted-model",
                 context_window: int | None = None, flavour: str = "vllm", n_ctx_train: int | None = None):
        if flavour not in ("vllm", "llamacpp", "openai"):
            raise ValueError(f"unknown flavour {flavour!r}")
        self.model = model
        self.context_window = context_window
        self.flavour = flavour
        self.n_ctx_train = n_ctx_train
        self.requests: list[dict[str, Any]] = []
        self.streams: list[dict[str, Any]] = []
        self._steps: deque[Step] = deque()
        self._lock = threading.Condition()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer((host, port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None
        self._closed = False

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
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "ScriptedLLM":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- the script -----------------------------------------------------------------

    def reply(self, content: str, *, model: str | None = None, finish_reason: str = "stop",
              prompt_tokens: int | None = None, completion_tokens: int | None = None,
              chunk_delay: float = 0.0) -> "ScriptedLLM":
        usage = None if prompt_tokens is None and completion_tokens is None else \
            (prompt_tokens or 0, completion_tokens or 0)
        return self._push(Step("reply", content=content, model=model, finish_reason=finish_reason,
                               usage=usage, chunk_delay=chunk_delay))

    def error(self, status: int, message: str = "scripted error", retry_after: float | None = None) -> "ScriptedLLM":
        headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else {}
        body = json.dumps({"error": {"message": message, "type": "scripted", "code": status}})
        return self._push(Step("error", content=body, status=status, headers=headers))

    def garbage(self, body: str, status: int = 200, content_type: str = "application/json") -> "ScriptedLLM":
        return self._push(Step("garbage", content=body, status=status, headers={"Content-Type": content_type}))

    def stall(self, seconds: float | None = None) -> "ScriptedLLM":
        return self._push(Step("stall", seconds=seconds))

    def die(self) -> "ScriptedLLM":
        """The server process goes away: this request's connection drops, later ones are refused."""
        return self._push(Step("die"))

    def load_script(self, path: Path | str) -> "ScriptedLLM":
        for item in json.loads(Path(path).read_text()):
            if "reply" in item:
                self.reply(item["reply"], finish_reason=item.get("finish_reason", "stop"),
                           chunk_delay=float(item.get("chunk_delay", 0.0)))
            elif "error" in item:
                self.error(int(item["error"]), item.get("message", "scripted error"), item.get("retry_after"))
            elif "garbage" in item:
                self.garbage(item["garbage"], int(item.get("status", 200)))
            elif "stall" in item:
                self.stall(item["stall"])
            elif "die" in item:
                self.die()
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

    # -- what a real server would compute -------------------------------------------------

    def models(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"id": self.model, "object": "model", "created": 0, "owned_by": self.flavour}
        if self.flavour == "vllm" and self.context_window:
            entry["max_model_len"] = self.context_window
        if self.flavour == "llamacpp":
            entry["owned_by"] = "llamacpp"
            entry["meta"] = {"vocab_type": 2, "n_vocab": 151936, "n_embd": 1536, "n_params": 1543714304,
                             "n_ctx_train": self.n_ctx_train or self.context_window or 32768}
        return {"object": "list", "data": [entry]}

    def context_error(self, body: dict[str, Any]) -> str | None:
        """The HTTP 400 body a real server sends when the request does not fit, else None."""
        if not self.context_window:
            return None
        prompt = count_tokens(body.get("messages") or [])
        wanted = int(body.get("max_tokens") or body.get("max_completion_tokens") or 0)
        if self.flavour == "llamacpp":
            if prompt >= self.context_window:
                return json.dumps({"error": {"code": 400, "type": "exceed_context_size_error",
                                             "message": "the request exceeds the available context size, "
                                                        "try increasing it",
                                             "n_prompt_tokens": prompt, "n_ctx": self.context_window}})
            return None
        if prompt + wanted > self.context_window:
            return json.dumps({"object": "error", "type": "BadRequestError", "param": None, "code": 400,
                               "message": f"This model's maximum context length is {self.context_window} tokens. "
                                          f"However, you requested {prompt + wanted} tokens ({prompt} in the "
                                          f"messages, {wanted} in the completion). Please reduce the length of "
                                          "the messages or completion."})
        return None

    def generate(self, step: Step, body: dict[str, Any]) -> tuple[list[str], str, tuple[int, int]]:
        """The tokens of the reply, its finish_reason and usage, honouring max_tokens and the context."""
        tokens = tokens_of(step.content)
        finish = step.finish_reason
        limit = body.get("max_tokens") or body.get("max_completion_tokens")
        prompt = count_tokens(body.get("messages") or [])
        if self.context_window:
            room = max(0, self.context_window - prompt)
            limit = room if limit is None else min(int(limit), room)
        if limit is not None and len(tokens) > int(limit):
            tokens, finish = tokens[:int(limit)], "length"
        usage = step.usage or (prompt, len(tokens))
        return tokens, finish, usage

    def completion(self, step: Step, body: dict[str, Any]) -> dict[str, Any]:
        tokens, finish, usage = self.generate(step, body)
        return {
            "id": f"chatcmpl-scripted-{len(self.requests)}", "object": "chat.completion", "created": int(time.time()),
            "model": step.model or body.get("model") or self.model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "".join(tokens)},
                         "finish_reason": finish}],
            "usage": {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)},
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
            path = self.path.rstrip("/")
            if path.endswith("/models"):
                self._send(200, json.dumps(llm.models()))
            elif path == "/props" and llm.flavour == "llamacpp":
                n_ctx = llm.context_window or llm.n_ctx_train or 4096
                self._send(200, json.dumps({"default_generation_settings": {"n_ctx": n_ctx}, "total_slots": 1,
                                            "model_path": "/models/scripted.gguf"}))
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
            if step.kind == "die":
                self.close_connection = True
                threading.Thread(target=llm.stop, daemon=True).start()
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
            too_long = llm.context_error(body)
            if too_long is not None:
                self._send(400, too_long)
                return
            if body.get("stream"):
                self._stream(step, body)
            else:
                self._send(200, json.dumps(llm.completion(step, body)))

        def _stream(self, step: Step, body: dict[str, Any]) -> None:
            """Server-Sent Events, one chunk per token, as OpenAI, vLLM and llama.cpp send them."""
            tokens, finish, usage = llm.generate(step, body)
            log = {"chunks": 0, "total": len(tokens), "completed": False, "disconnected_at": None,
                   "started_at": time.monotonic()}
            with llm._lock:
                llm.streams.append(log)
            base = {"id": f"chatcmpl-scripted-{len(llm.requests)}", "object": "chat.completion.chunk",
                    "created": int(time.time()), "model": step.model or body.get("model") or llm.model}
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()

            def event(payload: str) -> None:
                data = f"data: {payload}\n\n".encode()
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()

            def chunk(delta: dict[str, Any], finish_reason: str | None) -> str:
                return json.dumps({**base, "choices": [{"index": 0, "delta": delta,
                                                        "finish_reason": finish_reason}]})
            try:
                event(chunk({"role": "assistant", "content": ""}, None))
                for token in tokens:
                    if step.chunk_delay:
                        if llm._stopping.wait(step.chunk_delay):
                            return
                    event(chunk({"content": token}, None))
                    log["chunks"] += 1
                event(chunk({}, finish))
                if (body.get("stream_options") or {}).get("include_usage"):
                    event(json.dumps({**base, "choices": [], "usage": {
                        "prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)}}))
                event("[DONE]")
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
                log["completed"] = True
            except (BrokenPipeError, ConnectionResetError, OSError):
                # The client went away: a real server stops generating here.
                log["disconnected_at"] = time.monotonic()
                self.close_connection = True

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
