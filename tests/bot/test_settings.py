from pathlib import Path

import pytest

from bot.settings import ConfigError, load_settings


def test_defaults_put_queue_and_database_in_the_data_dir(data_dir: Path) -> None:
    settings = load_settings()
    assert settings.data_dir == data_dir
    assert settings.database_path == data_dir / "backprop.db"
    assert settings.resolved_queue_url == f"sqlite:///{(data_dir / 'queue.db').resolve()}"
    assert settings.discord_token is None


def test_environment_overrides_the_yaml_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "config.yaml").write_text("language: en\nqueue_url: redis://127.0.0.1:6379/1\n")
    monkeypatch.setenv("BACKPROP_LANGUAGE", "zh")
    settings = load_settings()
    assert settings.language == "zh"
    assert settings.resolved_queue_url == "redis://127.0.0.1:6379/1"


def test_bad_value_names_the_key_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKPROP_QUEUE_URL", "amqp://nope")
    with pytest.raises(ConfigError) as info:
        load_settings()
    message = str(info.value)
    assert message.startswith("BACKPROP_QUEUE_URL:")
    assert "\n" not in message


def test_unknown_log_level_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKPROP_LOG_LEVEL", "LOUD")
    with pytest.raises(ConfigError, match="BACKPROP_LOG_LEVEL"):
        load_settings()


def test_secret_in_the_yaml_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text("discord_token: abc.def.ghi\n")
    with pytest.raises(ConfigError, match="environment"):
        load_settings()


def test_broken_yaml_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text("language: [zh\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_settings()


def test_token_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "token-value-123")
    settings = load_settings()
    assert settings.discord_token is not None
    assert settings.discord_token.get_secret_value() == "token-value-123"
    assert "token-value-123" not in repr(settings)


def test_a_queue_url_the_executor_cannot_open_is_refused_at_start() -> None:
    import pytest

    from bot.settings import ConfigError, load_settings

    with pytest.raises(ConfigError) as info:
        load_settings(queue_url="memory://")
    assert str(info.value).startswith("queue_url") or "QUEUE_URL" in str(info.value)
    assert "\n" not in str(info.value)
