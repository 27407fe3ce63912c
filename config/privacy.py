"""Settings of personal data handling (variables prefixed `PRIVACY_`)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class PrivacySettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PRIVACY_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # PRIVACY_RETENTION_DAYS: days after a complaint is closed (or rejected, or merged) after
    # which the `privacy.retention` job (daily, 03:30 community time) removes its photos and
    # voice message and, for anonymous complaints, its text and rating comment.
    retention_days: int = Field(default=365, ge=1)
    # PRIVACY_DELETE_CONFIRM_MINUTES: how long the "Yes, delete my account" button stays valid.
    delete_confirm_minutes: int = Field(default=15, ge=1, le=1440)
