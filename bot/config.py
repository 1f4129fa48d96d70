"""Settings read from the environment (prefix ROVIEC_) and an optional .env file."""

from __future__ import annotations

from datetime import date, time
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SUPPORTED_LOCALES = ("vi", "en")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
REGIMES = ("month", "quarter", "half_year", "year")


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
    # A Zalo bot (Zalo Bot Platform): its token `<id>:<secret>` and the API's address.
    zalo_bot_token: SecretStr | None = None
    zalo_bot_api_url: str = "https://bot-api.zaloplatforms.com"
    # A Zalo Official Account (OA API v3, webhook only): the app's id and secret key (OAuth),
    # the OA secret key that signs webhooks (default: the app's), the first refresh token
    # (stored in the database at first start; rotated ones live there), the APIs' addresses.
    zalo_oa_app_id: str | None = None
    zalo_oa_secret_key: SecretStr | None = None
    zalo_oa_webhook_key: SecretStr | None = None
    zalo_oa_refresh_token: SecretStr | None = None
    zalo_oa_api_url: str = "https://openapi.zalo.me"
    zalo_oa_oauth_url: str = "https://oauth.zaloapp.com"
    database_url: str = "sqlite+aiosqlite:///roviec.db"
    timezone: str = "Asia/Ho_Chi_Minh"
    locale: str = "vi"

    invite_ttl_hours: int = Field(default=72, ge=1, le=24 * 30)
    invite_max_failures: int = Field(default=5, ge=1)
    invite_lockout_minutes: int = Field(default=15, ge=1)
    page_size: int = Field(default=5, ge=1, le=20)
    poll_timeout_seconds: int = Field(default=25, ge=0, le=50)
    # Webhooks: the https address the platforms call, and where this process listens.
    # Without a public URL every channel that can polls instead.
    public_url: str | None = None
    listen: str = "127.0.0.1:8080"
    webhook_max_bytes: int = Field(default=1_000_000, ge=1024, le=50_000_000)
    # A webhook is answered within this time (Zalo OA allows 2 s): 500 if the update is not
    # stored by then, and the platform sends it again.
    webhook_answer_seconds: float = Field(default=1.5, gt=0, le=30)
    workers: int = Field(default=32, ge=1, le=1000)
    # Files served under the public URL (Zalo fetches charts and exports by link): a link,
    # and the chart or export behind it, lasts this many days. Links are signed with this
    # secret; without it, with one made once and kept in the database.
    file_link_days: int = Field(default=7, ge=1, le=365)
    file_secret: SecretStr | None = None
    # The dashboard (bot/web/dashboard/): a session opened from a /web link lasts this long.
    dashboard_session_hours: int = Field(default=10, ge=1, le=24)
    # Province-wide figures (province page, units table) are reused for this many seconds.
    dashboard_figures_seconds: int = Field(default=60, ge=0, le=3600)

    # The calendar: Vietnamese public holidays come from `holidays`; these adjust it.
    extra_days_off: list[date] = Field(default_factory=list)
    make_up_working_days: list[date] = Field(default_factory=list)
    quiet_hours_start: time = time(21, 0)
    quiet_hours_end: time = time(7, 0)

    # Deadline reminders: days before the deadline (0 = on the day), at this local time.
    reminder_days_before: list[int] = Field(default_factory=lambda: [7, 3, 1, 0])
    reminder_time: time = time(8, 0)
    # Overdue escalation: focal daily; head from this many overdue working days; standing after.
    overdue_time: time = time(8, 30)
    overdue_head_after_working_days: int = Field(default=1, ge=0)
    overdue_standing_after_days: int = Field(default=7, ge=0)
    # Weekly digest: day of week (mon..sun) and local time.
    digest_day: str = "mon"
    digest_time: time = time(7, 30)
    # A scheduled run missed while the bot was down is made up on start within this window.
    catch_up_hours: int = Field(default=24, ge=0, le=24 * 14)
    # Reporting periods (Nghị định 09/2019/NĐ-CP): regime, nudge lead time, report-back time.
    period_regime: str = "month"
    period_nudge_working_days: int = Field(default=3, ge=1, le=20)
    # Working days after the cut-off by which a period's report is due (hạn gửi báo cáo).
    period_submission_working_days: int = Field(default=2, ge=1, le=20)
    period_check_time: time = time(9, 0)
    # Results awaiting confirmation and extension requests awaiting a decision this many
    # working days or more are recalled to the standing office daily, at this local time.
    queue_reminder_working_days: int = Field(default=2, ge=1, le=60)
    queue_reminder_time: time = time(8, 15)
    # Blockers open this many days or more are listed in the leaders' weekly digest.
    blocker_escalation_days: int = Field(default=14, ge=1, le=365)
    # Log lines as text, or as JSON lines ("json") for a log collector.
    log_format: Literal["text", "json"] = "text"
    # What people sent is kept this many days after it was handled, then only its keys
    # remain (to recognise a redelivery): officials' messages are personal data.
    inbox_retention_days: int = Field(default=30, ge=1, le=3650)
    housekeeping_time: time = time(3, 0)
    # Unit ranking: weights of on-time completion, (1 - overdue share) and reporting rate.
    ranking_weights: dict[str, float] = Field(
        default_factory=lambda: {"on_time": 0.6, "overdue": 0.2, "reporting": 0.2}
    )

    # Telegram's limits, kept by the dispatcher.
    rate_overall_per_second: float = Field(default=25.0, gt=0)
    rate_per_chat_per_second: float = Field(default=1.0, gt=0)
    rate_per_group_per_minute: float = Field(default=20.0, gt=0)
    # A message being sent is held by its dispatcher, which renews the hold; a hold older
    # than this belongs to a process that died, and the message goes back to the queue.
    outbox_lease_seconds: float = Field(default=60.0, ge=1, le=3600)

    @field_validator(
        "telegram_token",
        "zalo_bot_token",
        "zalo_oa_app_id",
        "zalo_oa_secret_key",
        "zalo_oa_webhook_key",
        "zalo_oa_refresh_token",
        "file_secret",
        mode="before",
    )
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        # A copied .env.example has "ROVIEC_TELEGRAM_TOKEN=": that means "no token", not "".
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("public_url", mode="before")
    @classmethod
    def _public_url(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str):
            value = value.rstrip("/")
            local = value.startswith(("http://127.0.0.1", "http://localhost", "http://[::1]"))
            if not value.startswith("https://") and not local:
                raise ValueError("must be an https:// address (http:// only on loopback)")
        return value

    @field_validator("listen")
    @classmethod
    def _host_and_port(cls, value: str) -> str:
        host, _, port = value.rpartition(":")
        if not host or not port.isdecimal() or not 0 <= int(port) <= 65535:
            raise ValueError("must be HOST:PORT, e.g. 127.0.0.1:8080")
        return value

    @field_validator("digest_day")
    @classmethod
    def _weekday(cls, value: str) -> str:
        if value not in WEEKDAYS:
            raise ValueError(f"must be one of {', '.join(WEEKDAYS)}")
        return value

    @field_validator("ranking_weights")
    @classmethod
    def _ranking_weights(cls, value: dict[str, float]) -> dict[str, float]:
        if set(value) != {"on_time", "overdue", "reporting"}:
            raise ValueError('must give exactly "on_time", "overdue" and "reporting"')
        if any(weight < 0 for weight in value.values()) or sum(value.values()) <= 0:
            raise ValueError("weights must be 0 or more and not all 0")
        return value

    @field_validator("period_regime")
    @classmethod
    def _regime(cls, value: str) -> str:
        if value not in REGIMES:
            raise ValueError(f"must be one of {', '.join(REGIMES)}")
        return value

    @field_validator("reminder_days_before")
    @classmethod
    def _offsets(cls, value: list[int]) -> list[int]:
        if not value or any(day < 0 or day > 60 for day in value):
            raise ValueError("must be whole days from 0 to 60, e.g. [7,3,1,0]")
        return sorted(set(value), reverse=True)

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

    @property
    def has_platform(self) -> bool:
        """Whether a chat platform has credentials (otherwise `roviec run` is the console demo)."""
        tokens = (self.telegram_token, self.zalo_bot_token)
        return any(x is not None for x in tokens) or self.has_zalo_oa

    @property
    def has_zalo_oa(self) -> bool:
        """Whether a Zalo OA is configured (its app id, secret key and first refresh token)."""
        needed = (self.zalo_oa_app_id, self.zalo_oa_secret_key, self.zalo_oa_refresh_token)
        return all(x is not None for x in needed)

    @property
    def listen_address(self) -> tuple[str, int]:
        """Host and port of `listen`."""
        host, _, port = self.listen.rpartition(":")
        return host.strip("[]"), int(port)


def load_settings(**overrides: Any) -> Settings:
    """Read the settings, turning any validation error into one clear line."""
    try:
        # Any: overrides are checked by pydantic here, like the environment, not by mypy.
        return Settings(**overrides)
    except ValidationError as error:
        first = error.errors()[0]
        name = "ROVIEC_" + "_".join(str(part) for part in first["loc"]).upper()
        raise SettingsError(f"{name}: {first['msg']}") from None
