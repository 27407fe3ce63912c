"""Settings of volunteer points and the charity shop (variables prefixed `POINTS_`)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class PointsSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="POINTS_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # POINTS_WISH_POINTS: points credited to the claimer of a fulfilled micro-wish.
    wish_points: int = Field(default=10, ge=0)
    # POINTS_WISH_CATEGORY_POINTS: per-category amounts as JSON, e.g. {"errand": 5}.
    wish_category_points: dict[str, int] = Field(default_factory=dict)
    # POINTS_AWARD_MAX: most points one /award may give.
    award_max: int = Field(default=50, ge=1)
    # POINTS_AWARD_MONTHLY_MAX: most points one chief may award in a calendar month.
    award_monthly_max: int = Field(default=300, ge=1)
    # POINTS_REDEMPTION_DAYS: days a redeemed item waits for pickup before it expires
    # (the points are refunded and the item goes back on the shelf).
    redemption_days: int = Field(default=14, ge=1)
    # POINTS_CHECKIN_EARLY_MINUTES / POINTS_CHECKIN_LATE_MINUTES: the check-in window opens
    # this long before an activity starts and closes this long after it ends.
    checkin_early_minutes: int = Field(default=30, ge=0)
    checkin_late_minutes: int = Field(default=30, ge=0)
    # POINTS_EVENING_REMINDER_HOUR: local hour of the reminder the evening before.
    evening_reminder_hour: int = Field(default=19, ge=0, le=23)
    # POINTS_LEADERBOARD_SIZE: how many residents a leaderboard shows.
    leaderboard_size: int = Field(default=10, ge=1, le=50)

    def points_for_wish(self, category: str | None = None) -> int:
        """Points for fulfilling a micro-wish of `category` (the default when not listed)."""
        if category is not None and category in self.wish_category_points:
            return self.wish_category_points[category]
        return self.wish_points
