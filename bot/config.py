"""Settings read from the environment (prefix ROVIEC_) and an optional .env file."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SUPPORTED_LOCALES = ("vi", "en")


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line for the operator."""


class Settings(BaseSettings):
    """Everything an operator can configure."""

    model_config = SettingsConfigDict(
        env_prefix="ROVIEC_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    telegram_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_file_url: str = "https://api.telegram.org/file/bot"
    database_url: str = "sqlite+aiosqlite:///roviec.db"
    timezone: str = "Asia/Ho_Chi_Minh"
    locale: str = "vi"

    invite_ttl_hours: int = Field(default=72, ge=1, le=24 * 30)
    invite_max_failures: int = Field(default=5, ge=1)
    invite_lockout_minutes: int = Field(default=15, ge=1)
    page_size: int = Field(default=5, ge=1, le=20)
    poll_timeout_seconds: int = Field(default=25, ge=0, le=50)
    workers: int = Field(default=32, ge=1, le=1000)

    @field_validator("telegram_token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        # A copied .env.example has "ROVIEC_TELEGRAM_TOKEN=": that means "no token", not "".
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @field_validator("locale")
    @classmethod
    def _supported_locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"must be one of {', '.join(SUPPORTED_LOCALES)}")
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @property
    def zone(self) -> ZoneInfo:
        """The configured time zone."""
        return ZoneInfo(self.timezone)


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning any validation error into one clear line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        first = error.errors()[0]
        name = "ROVIEC_" + "_".join(str(part) for part in first["loc"]).upper()
        raise SettingsError(f"{name}: {first['msg']}") from None
