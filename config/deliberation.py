"""Settings of topics and votes (environment variables prefixed `DELIBERATION_`)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class DeliberationSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="DELIBERATION_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )
