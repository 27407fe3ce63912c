"""Settings of notices and the broadcast sender (environment variables prefixed `NOTICES_`)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class NoticeSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="NOTICES_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )
