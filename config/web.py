"""Settings of the web cockpit (variables prefixed `WEB_`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class WebSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="WEB_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # WEB_HOST / WEB_PORT: where `linli web` listens. `linli run` also serves the cockpit
    # when WEB_PORT is set (off by default); `linli web` uses 8088 when it is not.
    host: str = "127.0.0.1"
    port: int | None = Field(default=None, ge=1, le=65535)
    # WEB_PUBLIC_URL: the cockpit's address as a browser reaches it (e.g.
    # https://linli.example.org), used in the sign-in links /cockpit sends. Unset: the bot
    # answers /cockpit that the cockpit is not set up.
    public_url: str | None = None
    # WEB_SECURE_COOKIES: "auto" marks the session cookie Secure when WEB_PUBLIC_URL is
    # https or a trusted proxy says X-Forwarded-Proto: https; "always" / "never" force it.
    secure_cookies: Literal["auto", "always", "never"] = "auto"
    # WEB_TRUSTED_PROXIES: addresses of reverse proxies whose X-Forwarded-Proto and
    # X-Forwarded-For headers are believed (comma-separated).
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["127.0.0.1", "::1"]
    )
    # WEB_LINK_MINUTES: how long a sign-in link works (once); WEB_SESSION_HOURS: how long a
    # signed-in browser stays signed in.
    link_minutes: int = Field(default=10, ge=1, le=60)
    session_hours: int = Field(default=8, ge=1, le=24)
    # WEB_WALL_REFRESH_SECONDS: how often the wall-screen overview reloads itself.
    wall_refresh_seconds: int = Field(default=60, ge=10, le=3600)

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("public_url")
    @classmethod
    def _check_public_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with https:// (or http:// on a closed network)")
        return value.rstrip("/")

    @property
    def listen_port(self) -> int:
        return self.port or 8088
