"""A chat client for any OpenAI-compatible endpoint, with the failure handling a loop needs.

The openai client does the HTTP; this layer adds what the loop relies on:
retries with exponential backoff on 429/5xx and dropped connections (honouring
Retry-After), cancellation that returns promptly even while a request is in
flight, and errors that say what went wrong in words a user can act on.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import openai

from ..secrets import scrub_messages
from .errors import LLMCancelled, LLMError
from .settings import LLMSettings

RETRYABLE_STATUS = {408, 409, 429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 60.0


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


class ChatClient:
    def __init__(self, settings: LLMSettings, cancel: threading.Event | None = None):
        if not settings.base_url:
            raise LLMError("no LLM endpoint configured")
        self.settings = settings
        self.cancel = cancel or threading.Event()
        # Retries are ours (cancellable waits); the openai client makes one attempt.
        self._client = openai.OpenAI(base_url=settings.base_url, api_key=settings.api_key or "not-needed",
                                     timeout=settings.timeout, max_retries=0, http_client=_shared_http_client())

    def chat(self, messages: list[dict[str, str]], model: str | None = None) -> ChatReply:
        messages = scrub_messages(messages, (self.settings.api_key,))  # no credential ever reaches the endpoint
        model = model or self.settings.model
        if not model:
            raise LLMError("no model name configured")
        notes: list[str] = []
        started = time.monotonic()
        attempts = 0
        while True:
            attempts += 1
            self._check_cancel()
            try:
                response = self._call_cancellable(messages, model)
                reply = self._parse(response, model)
            except _Retryable as exc:
                if attempts > self.settings.max_retries:
                    raise LLMError(f"{exc.reason}; gave up after {attempts} attempt(s) "
                                   f"to {self.settings.base_url}") from None
                delay = exc.retry_after if exc.retry_after is not None else \
                    self.settings.retry_backoff * (2 ** (attempts - 1))
                notes.append(f"attempt {attempts}: {exc.reason}; retrying in {delay:.1f}s")
                if self.cancel.wait(min(delay, MAX_RETRY_AFTER)):
                    raise LLMCancelled("cancelled") from None
                continue
            reply.seconds = round(time.monotonic() - started, 3)
            reply.attempts = attempts
            reply.notes = notes
            return reply

    def close(self) -> None:
        """Nothing to release: the HTTP connection pool is shared by every ChatClient of the process."""

    def _check_cancel(self) -> None:
        if self.cancel.is_set():
            raise LLMCancelled("cancelled")

    def _call_cancellable(self, messages: list[dict[str, str]], model: str) -> Any:
        """Run the request in a worker thread so that cancel() need not wait for the endpoint."""
        box: dict[str, Any] = {}
        done = threading.Event()

        def worker() -> None:
            try:
                box["response"] = self._request(messages, model)
            except BaseException as exc:  # handed to the caller's thread
                box["error"] = exc
            finally:
                done.set()

        threading.Thread(target=worker, name="llm-request", daemon=True).start()
        while not done.wait(0.05):
            if self.cancel.is_set():
                raise LLMCancelled("cancelled")
        if "error" in box:
            raise _classify(box["error"], self.settings)
        return box["response"]

    def _request(self, messages: list[dict[str, str]], model: str) -> Any:
        kwargs: dict[str, Any] = {"model": model, "messages": messages}
        if self.settings.temperature is not None:
            kwargs["temperature"] = self.settings.temperature
        if self.settings.max_tokens:
            kwargs["max_tokens"] = self.settings.max_tokens
        return self._client.chat.completions.create(**kwargs)

    def _parse(self, response: Any, model: str) -> ChatReply:
        choices = getattr(response, "choices", None)
        if not choices:
            raise LLMError(f"the endpoint {self.settings.base_url} sent a reply that is not an OpenAI-compatible "
                           f"chat completion (no choices: {str(response)[:120]!r})")
        message = getattr(choices[0], "message", None)
        content = getattr(message, "content", None)
        if not isinstance(content, str) or not content.strip():
            raise LLMError(f"the endpoint {self.settings.base_url} replied with an empty message")
        usage = getattr(response, "usage", None)
        return ChatReply(content=content, model=getattr(response, "model", None) or model,
                         prompt_tokens=getattr(usage, "prompt_tokens", None),
                         completion_tokens=getattr(usage, "completion_tokens", None),
                         finish_reason=getattr(choices[0], "finish_reason", None))


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


def _classify(exc: BaseException, settings: LLMSettings) -> Exception:
    """Turn an openai exception into _Retryable or an LLMError that says what to do."""
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
        return LLMError(f"HTTP {status} from {settings.base_url}: {body}")
    if isinstance(exc, openai.APIResponseValidationError):
        return LLMError(f"the endpoint {settings.base_url} sent a reply that is not an OpenAI-compatible chat "
                        "completion")
    if isinstance(exc, openai.OpenAIError):
        return LLMError(f"LLM request failed: {exc}")
    if isinstance(exc, (ValueError, TypeError, KeyError, AttributeError)):
        return LLMError(f"the endpoint {settings.base_url} sent a reply that is not an OpenAI-compatible chat "
                        f"completion ({exc.__class__.__name__}: {exc})")
    return exc if isinstance(exc, Exception) else LLMError(str(exc))


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
