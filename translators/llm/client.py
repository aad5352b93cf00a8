"""A chat client for any OpenAI-compatible endpoint, with the failure handling a loop needs.

The openai client does the HTTP; this layer adds what the loop relies on:
streamed replies (`stream=True`), so a cancel closes the connection and the
server stops generating at once, and progress can show tokens arriving;
retries with exponential backoff on 429/5xx and dropped connections (honouring
Retry-After), reported as they happen; `finish_reason` kept, so a reply cut off
by `max_tokens` is known as such; the server's context window read from
/v1/models where it says; and errors in words a user can act on.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import openai

from ..secrets import scrub_messages
from .errors import ContextOverflow, LLMCancelled, LLMError
from .settings import LLMSettings

RETRYABLE_STATUS = {408, 409, 429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 60.0
PROGRESS_EVERY = 1.0  # seconds between "N tokens" progress messages
PROBE_TIMEOUT = 10.0  # seconds for /v1/models and /props
_UNSET: Any = object()


@dataclass
class ChatReply:
    content: str
    model: str
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    seconds: float = 0.0
    attempts: int = 1
    finish_reason: str | None = None
    notes: list[str] = field(default_factory=list)  # retries and their reasons
    max_tokens: int | None = None  # the limit the request was sent with

    @property
    def truncated(self) -> bool:
        """The server stopped at max_tokens (or its context): the reply is incomplete."""
        return self.finish_reason == "length"


class _Live:
    """One request in flight: what the worker thread has received so far, and how to abort it."""

    def __init__(self) -> None:
        self.response: Any = None
        self.tokens = 0
        self.aborted = False

    def abort(self) -> None:
        """Close the connection under the reader: the server sees the client go and stops generating."""
        self.aborted = True
        response = self.response
        if response is None:
            return
        try:
            stream = response.extensions.get("network_stream")
            sock = stream.get_extra_info("socket") if stream is not None else None
            if sock is not None:
                sock.shutdown(socket.SHUT_RDWR)  # wakes a blocked read at once
        except Exception:
            pass
        try:
            response.close()
        except Exception:
            pass


class ChatClient:
    def __init__(self, settings: LLMSettings, cancel: threading.Event | None = None,
                 progress: Callable[[str], None] | None = None):
        if not settings.base_url:
            raise LLMError("no LLM endpoint configured")
        self.settings = settings
        self.cancel = cancel or threading.Event()
        self.progress = progress
        self.answered = 0  # complete replies received: the endpoint worked at least this often
        self.retries: list[dict[str, Any]] = []  # every retry: agent, attempt, reason, delay
        self._windows: dict[str, int | None] = {}
        self._usage_in_stream = True  # dropped for servers that refuse stream_options
        self._limit_name = "max_tokens"  # OpenAI's newer models want max_completion_tokens
        # Retries are ours (cancellable waits); the openai client makes one attempt.
        self._client = openai.OpenAI(base_url=settings.base_url, api_key=settings.api_key or "not-needed",
                                     timeout=settings.timeout, max_retries=0, http_client=_shared_http_client())

    def chat(self, messages: list[dict[str, str]], model: str | None = None, *, max_tokens: int | None = None,
             temperature: float | None = _UNSET, agent: str = "solver") -> ChatReply:
        """One reply, streamed; retried on transient failures. `temperature` None sends none."""
        messages = scrub_messages(messages, (self.settings.api_key,))  # no credential ever reaches the endpoint
        model = model or self.settings.model
        if not model:
            raise LLMError("no model name configured")
        if temperature is _UNSET:
            temperature = self.settings.temperature
        notes: list[str] = []
        started = time.monotonic()
        attempts = 0
        while True:
            attempts += 1
            self._check_cancel()
            try:
                reply = self._call_cancellable(messages, model, max_tokens, temperature, agent)
            except _Retryable as exc:
                if attempts > self.settings.max_retries:
                    raise LLMError(f"{exc.reason}; gave up after {attempts} attempt(s) "
                                   f"to {self.settings.base_url}") from None
                delay = exc.retry_after if exc.retry_after is not None else \
                    self.settings.retry_backoff * (2 ** (attempts - 1))
                delay = min(delay, MAX_RETRY_AFTER)
                notes.append(f"attempt {attempts}: {exc.reason}; retrying in {delay:.1f}s")
                self.retries.append({"agent": agent, "attempt": attempts, "reason": exc.reason,
                                     "delay": round(delay, 3)})
                self._say(f"{agent}: {exc.reason}; retrying in {delay:.1f}s "
                          f"(attempt {attempts + 1} of {self.settings.max_retries + 1})")
                if self.cancel.wait(delay):
                    raise LLMCancelled("cancelled") from None
                continue
            reply.seconds = round(time.monotonic() - started, 3)
            reply.attempts = attempts
            reply.notes = notes
            reply.max_tokens = max_tokens
            self.answered += 1
            return reply

    def context_window(self, model: str | None = None) -> int | None:
        """The model's context window in tokens: `[llm] context_window`, else what the server
        says (vLLM: `max_model_len` in /v1/models; llama.cpp: `meta.n_ctx_train` there and the
        running `n_ctx` in /props, the smaller wins), else None."""
        if self.settings.context_window:
            return self.settings.context_window
        model = model or self.settings.model or ""
        if model not in self._windows:
            try:
                self._windows[model] = self._probe_window(model)
            except Exception:  # a server without these routes simply does not say
                self._windows[model] = None
        return self._windows[model]

    def close(self) -> None:
        """Nothing to release: the HTTP connection pool is shared by every ChatClient of the process."""

    # -- internals ---------------------------------------------------------------------

    def _say(self, message: str) -> None:
        if self.progress is not None:
            try:
                self.progress(message)
            except Exception:  # a broken progress sink must not stop a translation
                pass

    def _check_cancel(self) -> None:
        if self.cancel.is_set():
            raise LLMCancelled("cancelled")

    def _call_cancellable(self, messages: list[dict[str, str]], model: str, max_tokens: int | None,
                          temperature: float | None, agent: str) -> ChatReply:
        """Run the request in a worker thread so that cancel() need not wait for the endpoint."""
        box: dict[str, Any] = {}
        done = threading.Event()
        live = _Live()

        def worker() -> None:
            try:
                box["reply"] = self._receive(messages, model, max_tokens, temperature, live)
            except BaseException as exc:  # handed to the caller's thread
                box["error"] = exc
            finally:
                done.set()

        threading.Thread(target=worker, name="llm-request", daemon=True).start()
        started = last_report = time.monotonic()
        reported = 0
        while not done.wait(0.05):
            if self.cancel.is_set():
                live.abort()
                raise LLMCancelled("cancelled")
            now = time.monotonic()
            if live.tokens != reported and now - last_report >= PROGRESS_EVERY:
                reported, last_report = live.tokens, now
                self._say(f"{agent}: {reported} tokens ({reported / max(now - started, 1e-3):.0f} tok/s)")
        if self.cancel.is_set():
            raise LLMCancelled("cancelled")
        if "error" in box:
            raise _classify(box["error"], self.settings)
        return box["reply"]

    def _send(self, messages: list[dict[str, str]], model: str, max_tokens: int | None,
              temperature: float | None) -> Any:
        """The one place where messages leave this process."""
        kwargs: dict[str, Any] = {"model": model, "messages": messages, "stream": True}
        if self._usage_in_stream:
            kwargs["stream_options"] = {"include_usage": True}
        if temperature is not None:
            kwargs["temperature"] = temperature
        if max_tokens:
            kwargs[self._limit_name] = max_tokens
        return self._client.chat.completions.with_raw_response.create(**kwargs)

    def _receive(self, messages: list[dict[str, str]], model: str, max_tokens: int | None,
                 temperature: float | None, live: _Live) -> ChatReply:
        while True:
            try:
                raw = self._send(messages, model, max_tokens, temperature)
                break
            except openai.BadRequestError as exc:
                # Servers differ in the options they take: ask again without the one refused
                # (each is given up at most once, so this ends).
                body = _short_body(exc)
                if self._usage_in_stream and "stream_options" in body:
                    self._usage_in_stream = False  # token counts then come from the chunks
                elif max_tokens and self._limit_name == "max_tokens" and "max_completion_tokens" in body:
                    self._limit_name = "max_completion_tokens"
                else:
                    raise
        live.response = raw.http_response
        if live.aborted:
            live.abort()
            raise LLMCancelled("cancelled")
        content_type = (raw.headers.get("content-type") or "").lower()
        if "event-stream" not in content_type:
            # A server that ignores stream=True answers with one JSON completion (or an error page).
            return self._parse_body(raw.http_response.read(), model)
        parts: list[str] = []
        finish: str | None = None
        reply_model = model
        usage: Any = None
        try:
            for chunk in raw.parse():
                reply_model = getattr(chunk, "model", None) or reply_model
                if getattr(chunk, "usage", None) is not None:
                    usage = chunk.usage
                for choice in getattr(chunk, "choices", None) or []:
                    if getattr(choice, "index", 0) not in (0, None):
                        continue
                    text = getattr(getattr(choice, "delta", None), "content", None)
                    if text:
                        parts.append(text)
                        live.tokens += 1
                    if getattr(choice, "finish_reason", None):
                        finish = choice.finish_reason
        except BaseException:
            # A timeout or a broken stream: close the connection, so that the server stops
            # generating for a request nobody waits for and a retry does not queue behind it.
            live.abort()
            raise
        if live.aborted:
            raise LLMCancelled("cancelled")
        content = "".join(parts)
        if finish is None and not content:
            raise LLMError(f"the endpoint {self.settings.base_url} sent a reply that is not an OpenAI-compatible "
                           "chat completion (an event stream without any choice)")
        if not content.strip() and finish != "length":
            raise LLMError(f"the endpoint {self.settings.base_url} replied with an empty message")
        return ChatReply(content=content, model=reply_model, finish_reason=finish,
                         prompt_tokens=getattr(usage, "prompt_tokens", None),
                         completion_tokens=getattr(usage, "completion_tokens", None) or live.tokens or None)

    def _parse_body(self, body: bytes, model: str) -> ChatReply:
        not_a_completion = (f"the endpoint {self.settings.base_url} sent a reply that is not an "
                            "OpenAI-compatible chat completion")
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise LLMError(f"{not_a_completion} ({body[:120]!r})") from None
        choices = data.get("choices") if isinstance(data, dict) else None
        if not choices or not isinstance(choices, list) or not isinstance(choices[0], dict):
            raise LLMError(f"{not_a_completion} (no choices: {str(data)[:120]!r})")
        message = choices[0].get("message") or {}
        content = message.get("content") if isinstance(message, dict) else None
        finish = choices[0].get("finish_reason")
        if not isinstance(content, str) or (not content.strip() and finish != "length"):
            raise LLMError(f"the endpoint {self.settings.base_url} replied with an empty message")
        usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
        return ChatReply(content=content, model=data.get("model") or model, finish_reason=finish,
                         prompt_tokens=usage.get("prompt_tokens"), completion_tokens=usage.get("completion_tokens"))

    def _probe_window(self, model: str) -> int | None:
        raw = self._client.with_options(timeout=PROBE_TIMEOUT).models.with_raw_response.list()
        data = json.loads(raw.http_response.read())
        entries = [e for e in (data.get("data") or []) if isinstance(e, dict)]
        entry = next((e for e in entries if e.get("id") == model), entries[0] if len(entries) == 1 else None)
        if entry is None:
            return None
        found = [entry.get(key) for key in ("max_model_len", "context_length", "context_window",
                                            "max_context_length")]
        meta = entry.get("meta") if isinstance(entry.get("meta"), dict) else {}
        found.append(meta.get("n_ctx_train"))
        if meta or entry.get("owned_by") == "llamacpp":
            found.append(self._llamacpp_n_ctx())
        sizes = [int(v) for v in found if isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0]
        return min(sizes) if sizes else None

    def _llamacpp_n_ctx(self) -> int | None:
        """llama.cpp's server: n_ctx_train is the model's, /props has the context it actually runs with."""
        root = re.sub(r"/v1/?$", "", str(self.settings.base_url).rstrip("/"))
        headers = {"Authorization": f"Bearer {self.settings.api_key}"} if self.settings.api_key else {}
        try:
            response = _shared_http_client().get(f"{root}/props", headers=headers, timeout=PROBE_TIMEOUT)
            props = response.json() if response.status_code == 200 else {}
        except Exception:
            return None
        settings = props.get("default_generation_settings") if isinstance(props, dict) else None
        value = (settings or {}).get("n_ctx") if isinstance(settings, dict) else None
        if value is None and isinstance(props, dict):
            value = props.get("n_ctx")
        return int(value) if isinstance(value, (int, float)) and value > 0 else None


_HTTP_LOCK = threading.Lock()
_HTTP_CLIENT: openai.DefaultHttpxClient | None = None


def _shared_http_client() -> openai.DefaultHttpxClient:
    """One connection pool per process: building one (TLS context included) costs ~0.1 s,
    which a language server would otherwise pay on every translation."""
    global _HTTP_CLIENT
    with _HTTP_LOCK:
        if _HTTP_CLIENT is None or _HTTP_CLIENT.is_closed:
            _HTTP_CLIENT = openai.DefaultHttpxClient()
        return _HTTP_CLIENT


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


CONTEXT_WORDS = re.compile(r"context[_ ]length|context size|maximum context|exceed_context|n_ctx", re.IGNORECASE)


def _classify(exc: BaseException, settings: LLMSettings) -> Exception:
    """Turn an openai exception into _Retryable or an LLMError that says what to do."""
    if isinstance(exc, (LLMError, LLMCancelled)):
        return exc
    if isinstance(exc, openai.APITimeoutError):
        return _Retryable(f"no reply from {settings.base_url} within {settings.timeout:g}s")
    if isinstance(exc, openai.APIConnectionError):
        return _Retryable(f"cannot reach the LLM endpoint {settings.base_url} (is the server running?)")
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        body = _short_body(exc)
        if status in RETRYABLE_STATUS:
            return _Retryable(f"HTTP {status} from {settings.base_url}: {body}", _retry_after(exc))
        if status in (401, 403):
            return LLMError(f"HTTP {status} from {settings.base_url}: the API key was refused "
                            f"(set OPENAI_API_KEY or --api-key-env): {body}")
        if status == 404:
            return LLMError(f"HTTP 404 from {settings.base_url}: wrong base URL (it usually ends in /v1) "
                            f"or unknown model: {body}")
        if status in (400, 413) and CONTEXT_WORDS.search(body):
            return ContextOverflow(f"HTTP {status} from {settings.base_url}: the request is longer than the "
                                   f"model's context window: {body}", _n_ctx_of(exc))
        return LLMError(f"HTTP {status} from {settings.base_url}: {body}")
    if isinstance(exc, openai.APIResponseValidationError):
        return LLMError(f"the endpoint {settings.base_url} sent a reply that is not an OpenAI-compatible chat "
                        "completion")
    if isinstance(exc, openai.APIError) and exc.__class__ is openai.APIError:
        # An error event inside the stream (the server failed mid-reply): worth another try.
        return _Retryable(f"the endpoint {settings.base_url} failed in the middle of the reply: {exc}")
    if isinstance(exc, openai.OpenAIError):
        return LLMError(f"LLM request failed: {exc}")
    if isinstance(exc, (ValueError, TypeError, KeyError, AttributeError)):
        return LLMError(f"the endpoint {settings.base_url} sent a reply that is not an OpenAI-compatible chat "
                        f"completion ({exc.__class__.__name__}: {exc})")
    return exc if isinstance(exc, Exception) else LLMError(str(exc))


def _n_ctx_of(exc: Any) -> int | None:
    """The context size a 400 names: llama.cpp's `n_ctx` field, vLLM's and OpenAI's
    "maximum context length is N tokens"."""
    text = ""
    try:
        text = exc.response.text
        data = json.loads(text)
        error = data.get("error", data) if isinstance(data, dict) else {}
        if isinstance(error, dict) and isinstance(error.get("n_ctx"), int):
            return error["n_ctx"]
    except Exception:
        pass
    match = re.search(r"maximum context length is (\d+)", text or str(exc))
    return int(match.group(1)) if match else None


def _short_body(exc: Any) -> str:
    text = ""
    try:
        text = exc.response.text
    except Exception:
        text = str(exc)
    text = " ".join(text.split())
    return text[:300] if text else "(no body)"


def _retry_after(exc: Any) -> float | None:
    try:
        value = exc.response.headers.get("retry-after")
    except Exception:
        return None
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return max(0.0, min(seconds, MAX_RETRY_AFTER))
