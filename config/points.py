"""Settings of volunteer points and the charity shop (variables prefixed `POINTS_`)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class PointsSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="POINTS_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )
