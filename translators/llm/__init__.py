"""OpenAI-compatible LLM access: settings resolution and a retrying, cancellable chat client.

The client (and with it the openai package, ~1 s to import) loads on first use, so
commands that never call an LLM start fast.
"""

from typing import Any

from .errors import ContextOverflow, LLMCancelled, LLMError
from .settings import ConfigError, LLMSettings, config_path, guidance, load_config, resolve_settings

__all__ = ["LLMSettings", "resolve_settings", "ChatClient", "ChatReply", "LLMError", "LLMCancelled", "ContextOverflow",
           "ConfigError", "config_path", "load_config", "guidance"]


def __getattr__(name: str) -> Any:
    if name in ("ChatClient", "ChatReply"):
        from . import client

        return getattr(client, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
