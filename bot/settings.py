"""One typed settings object: an optional YAML file, then `BACKPROP_*` environment variables.

Secrets (the Discord token) come only from the environment; a YAML file that names one is refused.
A bad value stops start-up with one line naming the key (see `load_settings`).
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

ENV_PREFIX = "BACKPROP_"
SECRET_KEYS = frozenset({"discord_token"})


class ConfigError(Exception):
    """A setting has a bad value; the message names the key and is one line."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid", frozen=True)

    data_dir: Path = Field(default=Path("data"), description="SQLite files, queue and artifacts")
    queue_url: str | None = Field(
        default=None, description="sqlite:///PATH (default: queue.db in the data dir) or redis://HOST:PORT/DB"
    )
    embedded_worker: bool = Field(default=True, description="run an executor worker inside the bot process")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="log verbosity"
    )
    language: Literal["zh", "en"] = Field(
        default="zh", description="reply language when nothing else decides"
    )
    dev_guild_id: int | None = Field(default=None, description="sync slash commands to this guild only")
    owner_ids: list[int] = Field(default_factory=list, description="Discord user ids allowed owner commands")
    command_prefix: str = Field(
        default="!", min_length=1, max_length=3, description="prefix of chat commands"
    )
    run_code_rootless: bool = Field(
        default=False,
        description="allow members' own code (/run) when the embedded sandbox runs rootless (weaker isolation)",
    )
    discord_token: SecretStr | None = Field(
        default=None, validation_alias="DISCORD_TOKEN", description="the bot token (environment only)"
    )

    @field_validator("dev_guild_id", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("queue_url")
    @classmethod
    def _known_scheme(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.startswith(("sqlite:///", "redis://", "rediss://")):
            raise ValueError("must start with sqlite:///, redis:// or rediss://")
        return value

    @cached_property
    def resolved_queue_url(self) -> str:
        return self.queue_url or f"sqlite:///{(self.data_dir / 'queue.db').resolve()}"

    @property
    def database_path(self) -> Path:
        return self.data_dir / "backprop.db"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _YamlSource(settings_cls))


class _YamlSource(PydanticBaseSettingsSource):
    """Reads `config.yaml` (or the file named by BACKPROP_CONFIG), refusing secrets in it."""

    def __init__(self, settings_cls: type[BaseSettings]) -> None:
        super().__init__(settings_cls)
        self._values = _read_yaml(config_path())

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self._values.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(self._values)


def config_path() -> Path:
    return Path(os.environ.get(f"{ENV_PREFIX}CONFIG", "config.yaml"))


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        values = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({getattr(exc, 'problem', exc)})") from exc
    if not isinstance(values, dict):
        raise ConfigError(f"{path}: expected key: value pairs at the top level")
    leaked = SECRET_KEYS & values.keys()
    if leaked:
        key = sorted(leaked)[0]
        raise ConfigError(
            f"{path}: {key} is a secret; set it in the environment (DISCORD_TOKEN), not the file"
        )
    return values


def _key_name(loc: tuple[Any, ...]) -> str:
    name = str(loc[0]) if loc else "?"
    if name == "DISCORD_TOKEN":
        return name
    return f"{ENV_PREFIX}{name.upper()}"


def load_settings(**overrides: Any) -> Settings:
    """Build the settings, turning any validation error into a one-line ConfigError."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ConfigError(f"{_key_name(err['loc'])}: {err['msg']} (got {err.get('input')!r})") from None
