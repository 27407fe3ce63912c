"""Linli settings.

Names follow the interface contract in design.md. A bad value raises `ConfigError` with one
line naming the setting; the CLI prints it and exits with code 2.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from linli.config.casework import CaseworkSettings
from linli.config.deliberation import DeliberationSettings
from linli.config.notices import NoticeSettings
from linli.config.partners import PartnersSettings
from linli.config.points import PointsSettings
from linli.config.privacy import PrivacySettings
from linli.config.web import WebSettings

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line naming it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    bot_token: SecretStr | None = None
    database_url: str = "sqlite+aiosqlite:///./linli.db"
    telegram_api_url: str = "https://api.telegram.org"
    redis_url: str | None = None
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    default_language: Literal["zh", "en"] = "zh"
    timezone: str = "Asia/Shanghai"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    # Per-resident flood control: at most `throttle_rate` updates per `throttle_period` seconds.
    throttle_rate: int = Field(default=10, ge=1)
    throttle_period: float = Field(default=1.0, gt=0)
    sqlite_busy_timeout_ms: int = Field(default=30_000, ge=0)
    # SQLite on the event loop's thread instead of aiosqlite's (models/sqlite_inline.py).
    sqlite_inline: bool = True
    # Seconds an update's resident is reused from memory (services/resident_cache.py; every
    # change of a resident invalidates it at once, across processes through Redis); 0: off.
    resident_cache_seconds: float = Field(default=5.0, ge=0, le=60)
    # `linli run` on uvloop's event loop where uvloop is installed (not on Windows).
    uvloop: bool = True
    # Seconds getUpdates waits on the server (long polling).
    polling_timeout: int = Field(default=10, ge=0, le=50)
    # Run the scheduled jobs in this process (turn off on all but one process).
    scheduler_enabled: bool = True
    # Webhook mode (`linli run --webhook`): Telegram POSTs updates to WEBHOOK_URL, which a
    # reverse proxy forwards to WEBHOOK_HOST:WEBHOOK_PORT + WEBHOOK_PATH.
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_host: str = "127.0.0.1"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    webhook_path: str = "/telegram/webhook"
    # Serve /healthz and /metrics on HEALTH_HOST:HEALTH_PORT (off when unset), in polling and
    # webhook mode alike; never on the webhook's address. With HEALTH_TOKEN set, both ask for
    # `Authorization: Bearer <token>`.
    health_host: str = "127.0.0.1"
    health_port: int | None = Field(default=None, ge=1, le=65535)
    health_token: SecretStr | None = None
    # Seconds a database statement, a new connection or the wait for a pooled connection may
    # take before the update fails with "nothing was saved" (PostgreSQL; docs/resilience.md).
    database_timeout: float = Field(default=15.0, gt=0, le=600)

    # Feature sections, each read from its own prefixed variables (e.g. POINTS_...).
    casework: CaseworkSettings = Field(default_factory=CaseworkSettings)
    deliberation: DeliberationSettings = Field(default_factory=DeliberationSettings)
    points: PointsSettings = Field(default_factory=PointsSettings)
    notices: NoticeSettings = Field(default_factory=NoticeSettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    web: WebSettings = Field(default_factory=WebSettings)
    partners: PartnersSettings = Field(default_factory=PartnersSettings)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: Any) -> Any:
        if isinstance(value, int):
            return [value]
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",")]
            return [p for p in parts if p]
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError("not a database URL (e.g. sqlite+aiosqlite:///./linli.db)") from None
        driver = _ASYNC_DRIVERS.get(url.drivername)
        if driver is None:
            raise ValueError(
                f"unsupported driver {url.drivername!r}; use sqlite+aiosqlite or postgresql+asyncpg"
            )
        return url.set(drivername=driver).render_as_string(hide_password=False)

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (e.g. Asia/Shanghai)") from None
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _check_api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("health_token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("redis_url")
    @classmethod
    def _check_redis_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def token(self) -> str:
        """The bot token, or ConfigError when it is not set."""
        if self.bot_token is None or not self.bot_token.get_secret_value().strip():
            raise ConfigError("BOT_TOKEN: not set (get one from @BotFather)")
        token = self.bot_token.get_secret_value().strip()
        head, _, tail = token.partition(":")
        if not head.isdigit() or not tail:
            raise ConfigError("BOT_TOKEN: malformed (expected <digits>:<secret>)")
        return token


_SECRET_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def webhook_config(settings: Settings) -> tuple[str, str]:
    """The webhook URL and secret, or ConfigError naming what is missing or malformed."""
    url = (settings.webhook_url or "").strip()
    if not url:
        raise ConfigError("WEBHOOK_URL: not set (the public HTTPS address Telegram posts to)")
    if not url.startswith(("https://", "http://")):
        raise ConfigError("WEBHOOK_URL: must start with https://")
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    if not secret:
        raise ConfigError("WEBHOOK_SECRET: not set (1-256 characters A-Z a-z 0-9 _ -)")
    if len(secret) > 256 or not set(secret) <= _SECRET_CHARS:
        raise ConfigError("WEBHOOK_SECRET: use 1-256 characters A-Z a-z 0-9 _ -")
    if not settings.webhook_path.startswith("/"):
        raise ConfigError("WEBHOOK_PATH: must start with /")
    return url, secret


def load_settings(**overrides: Any) -> Settings:
    """Read settings; turn pydantic's report into one line naming the first bad setting."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]).upper() if err["loc"] else "settings"
        message = str(err["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{name}: {message}") from None
