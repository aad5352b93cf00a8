"""Errors of the LLM layer (kept apart from the client so that importing them does not load openai)."""


class LLMError(Exception):
    """The endpoint could not give a usable reply; the message says why."""


class LLMCancelled(Exception):
    """The caller cancelled while waiting for the endpoint."""
