"""Settings of micro-wishes and complaints (environment variables prefixed `CASEWORK_`)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class CaseworkSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CASEWORK_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )
