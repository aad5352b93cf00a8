"""OpenAI-compatible LLM access: settings resolution and a retrying, cancellable chat client."""

from .client import ChatClient, ChatReply, LLMCancelled, LLMError
from .settings import ConfigError, LLMSettings, config_path, guidance, load_config, resolve_settings

__all__ = ["LLMSettings", "resolve_settings", "ChatClient", "ChatReply", "LLMError", "LLMCancelled",
           "ConfigError", "config_path", "load_config", "guidance"]
