"""Settings of micro-wishes and complaints (environment variables prefixed `CASEWORK_`).

Mappings are JSON objects keyed by category code, e.g.
`CASEWORK_ACCEPT_HOURS='{"safety": 4, "noise": 12}'`; a category that is not listed uses the
`..._DEFAULT` value.
"""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class CaseworkSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CASEWORK_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # CASEWORK_WISH_POINTS: volunteer points credited to the claimer when the author
    # confirms a wish fulfilled, per wish category (daily, companionship, repairs, learning,
    # health, other). CASEWORK_WISH_POINTS_DEFAULT for the categories not listed.
    wish_points: dict[str, int] = Field(default_factory=dict)
    wish_points_default: int = Field(default=10, ge=0)
    # CASEWORK_ACCEPT_HOURS / CASEWORK_RESOLVE_HOURS: response-time targets per complaint
    # category (parking, sanitation, repairs, dispute, safety, noise, other), in hours.
    accept_hours: dict[str, float] = Field(default_factory=dict)
    accept_hours_default: float = Field(default=24, gt=0)
    resolve_hours: dict[str, float] = Field(default_factory=dict)
    resolve_hours_default: float = Field(default=168, gt=0)
    # CASEWORK_REMINDER_HOURS: an overdue item's responsible chief is reminded at most once
    # per this many hours.
    reminder_hours: float = Field(default=24, gt=0)
    # CASEWORK_REOPEN_DAYS: the author may reopen a resolved complaint within this many days;
    # CASEWORK_AUTOCLOSE_DAYS: a resolved complaint with no rating closes after this many days.
    reopen_days: int = Field(default=7, ge=0)
    autoclose_days: int = Field(default=7, ge=1)
    # CASEWORK_PAGE_SIZE: items per page in /queue and /my.
    page_size: int = Field(default=8, ge=1, le=20)

    def points_for(self, category: str) -> int:
        return int(self.wish_points.get(category, self.wish_points_default))

    def accept_target(self, category: str) -> timedelta:
        return timedelta(hours=self.accept_hours.get(category, self.accept_hours_default))

    def resolve_target(self, category: str) -> timedelta:
        return timedelta(hours=self.resolve_hours.get(category, self.resolve_hours_default))

    @property
    def reminder_period(self) -> timedelta:
        return timedelta(hours=self.reminder_hours)
