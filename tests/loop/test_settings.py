"""Where the endpoint, key and models come from: flags > environment > config file."""

from __future__ import annotations

import pytest

from transverify.translators.llm import ConfigError, resolve_settings


@pytest.fixture
def config(tmp_path, monkeypatch):
    folder = tmp_path / "xdg" / "transverify"
    folder.mkdir(parents=True)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "TRANSVERIFY_MODEL", "TRANSVERIFY_QUESTIONER_MODEL", "MY_KEY"):
        monkeypatch.delenv(name, raising=False)
    return folder / "config.toml"


def test_config_file_then_env_then_arguments(config, monkeypatch):
    config.write_text('[llm]\nbase_url = "http://file/v1"\nmodel = "file-model"\nquestioner_model = "critic"\n'
                      'api_key_env = "MY_KEY"\ntimeout = 30\nmax_retries = 1\n')
    monkeypatch.setenv("MY_KEY", "from-my-key")
    settings = resolve_settings()
    assert (settings.base_url, settings.model, settings.questioner, settings.api_key) == \
        ("http://file/v1", "file-model", "critic", "from-my-key")
    assert (settings.timeout, settings.max_retries) == (30.0, 1)
    monkeypatch.setenv("OPENAI_BASE_URL", "http://env/v1")
    monkeypatch.setenv("TRANSVERIFY_MODEL", "env-model")
    monkeypatch.setenv("OPENAI_API_KEY", "env-key")
    settings = resolve_settings()
    assert (settings.base_url, settings.model, settings.api_key) == ("http://env/v1", "env-model", "env-key")
    settings = resolve_settings(base_url="http://arg/v1", model="arg-model", api_key_env="MY_KEY")
    assert (settings.base_url, settings.model, settings.api_key) == ("http://arg/v1", "arg-model", "from-my-key")


def test_nothing_configured_lists_what_is_missing(config):
    settings = resolve_settings()
    assert not settings.configured
    assert [gap.split(" (")[0] for gap in settings.missing()] == ["the endpoint URL", "the model name"]


def test_broken_config_names_the_file(config):
    config.write_text("[llm\nmodel = 1")
    with pytest.raises(ConfigError, match=str(config)):
        resolve_settings()
    config.write_text('[llm]\ntimeout = "soon"\n')
    with pytest.raises(ConfigError, match="timeout must be a number"):
        resolve_settings()
