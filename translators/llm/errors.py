"""Errors of the LLM layer (kept apart from the client so that importing them does not load openai)."""


class LLMError(Exception):
    """The endpoint could not give a usable reply; the message says why."""


class LLMCancelled(Exception):
    """The caller cancelled while waiting for the endpoint."""


class ContextOverflow(LLMError):
    """The endpoint refused the request as longer than its context window (HTTP 400).
    `n_ctx` is the window the server named in its error, when it named one."""

    def __init__(self, message: str, n_ctx: int | None = None):
        super().__init__(message)
        self.n_ctx = n_ctx
