"""Where the LLM endpoint, key and models come from.

Precedence: explicit arguments (CLI flags, editor settings) > environment
(OPENAI_BASE_URL, OPENAI_API_KEY, TRANSVERIFY_MODEL, TRANSVERIFY_QUESTIONER_MODEL)
> the user's config file ($XDG_CONFIG_HOME or ~/.config)/transverify/config.toml.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..secrets import remember as remember_secret

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]


class ConfigError(Exception):
    """The config file exists but cannot be used; the message names the file and the problem."""


@dataclass
class LLMSettings:
    base_url: str | None
    api_key: str | None
    model: str | None
    questioner_model: str | None = None
    timeout: float = 120.0
    max_retries: int = 4
    retry_backoff: float = 1.0  # seconds before the first retry; doubles each time
    temperature: float | None = 0.2
    max_tokens: int | None = None  # None: sized to the source (translators/llm/budget.py)
    context_window: int | None = None  # None: read from the server's /v1/models when it says

    @property
    def configured(self) -> bool:
        return bool(self.base_url and self.model)

    @property
    def questioner(self) -> str | None:
        return self.questioner_model or self.model

    def missing(self) -> list[str]:
        """What must still be set before the LLM can be called, in words."""
        gaps = []
        if not self.base_url:
            gaps.append("the endpoint URL (--base-url, OPENAI_BASE_URL or [llm] base_url in the config file)")
        if not self.model:
            gaps.append("the model name (--model, TRANSVERIFY_MODEL or [llm] model in the config file)")
        return gaps


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "transverify"


def config_path() -> Path:
    return config_dir() / "config.toml"


def load_config(path: Path | None = None) -> dict[str, Any]:
    """The parsed config file, or {} when there is none."""
    path = path or config_path()
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file: {exc}") from exc
    for section in ("llm", "records"):
        if section in data and not isinstance(data[section], dict):
            raise ConfigError(f"{path}: [{section}] must be a table")
    if "api_key" in data.get("llm", {}):
        _keep_private(path)
    return data


def _keep_private(path: Path) -> None:
    """A config file that holds an API key is kept 0600 (tightened when others could read it)."""
    try:
        info = path.stat()
        if info.st_uid == os.getuid() and info.st_mode & 0o077:
            path.chmod(0o600)
    except OSError:
        pass


def resolve_settings(base_url: str | None = None, api_key: str | None = None, model: str | None = None,
                     questioner_model: str | None = None, api_key_env: str | None = None,
                     config: dict[str, Any] | None = None) -> LLMSettings:
    """Merge flags, environment and config file into one LLMSettings."""
    llm = (config if config is not None else load_config()).get("llm", {})
    key_var = api_key_env or llm.get("api_key_env")
    key = api_key
    if key is None and api_key_env:
        key = os.environ.get(api_key_env)  # named explicitly: no fallback to another variable
    elif key is None:
        key = os.environ.get("OPENAI_API_KEY")
    if key is None and key_var:
        key = os.environ.get(str(key_var))
    if key is None:
        key = llm.get("api_key")
    for secret in (key, llm.get("api_key")):
        remember_secret(secret)  # masked in what reaches an LLM or the record store
    settings = LLMSettings(
        base_url=base_url or os.environ.get("OPENAI_BASE_URL") or llm.get("base_url"),
        api_key=key,
        model=model or os.environ.get("TRANSVERIFY_MODEL") or llm.get("model"),
        questioner_model=(questioner_model or os.environ.get("TRANSVERIFY_QUESTIONER_MODEL")
                          or llm.get("questioner_model")),
    )
    for name, kind in (("timeout", float), ("max_retries", int), ("retry_backoff", float),
                       ("temperature", float), ("max_tokens", int),
                       ("context_window", int)):
        if name in llm:
            try:
                setattr(settings, name, kind(llm[name]))
            except (TypeError, ValueError) as exc:
                raise ConfigError(f"{config_path()}: [llm] {name} must be a number, got {llm[name]!r}") from exc
    for name in ("max_tokens", "context_window"):
        value = getattr(settings, name)
        if value is not None and value < 1:
            raise ConfigError(f"{config_path()}: [llm] {name} must be a positive number of tokens, got {value}")
    return settings


GUIDANCE = """\
To use an LLM, point transverify at any OpenAI-compatible endpoint, e.g.:
  export OPENAI_BASE_URL=http://localhost:11434/v1   # Ollama; vLLM/llama.cpp: http://host:8000/v1
  export TRANSVERIFY_MODEL=qwen2.5-coder:32b
  export OPENAI_API_KEY=...                            # only if the endpoint needs one
or pass --base-url/--model/--api-key-env, or write {config}:
  [llm]
  base_url = "https://api.openai.com/v1"
  model = "gpt-4o"
  api_key_env = "OPENAI_API_KEY"
See docs/llm.md."""


def guidance() -> str:
    return GUIDANCE.format(config=config_path())
