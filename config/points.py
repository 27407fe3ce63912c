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
    # POINTS_ACTIVITY_MAX_POINTS: most points an activity may give per attendance (or per
    # hour, for activities counted by the hour).
    activity_max_points: int = Field(default=20, ge=1, le=1_000)
    # POINTS_ACTIVITY_MAX_HOURS: the longest an activity may last, in hours.
    activity_max_hours: int = Field(default=8, ge=1, le=24)
    # POINTS_MONTHLY_CAP: most points one resident may earn from micro-wishes and activities
    # in a calendar month; what goes beyond is withheld (an admin may lift the cap for a
    # resident and month: recorded in the audit log).
    monthly_cap: int = Field(default=200, ge=1)
    # POINTS_PAIR_MONTHLY_MAX: most wish credits between the same two residents (the claimer
    # credited for the author's wish) in a calendar month.
    pair_monthly_max: int = Field(default=3, ge=1)
    # POINTS_UNUSUAL_PAIR_CREDITS / POINTS_UNUSUAL_RESIDENT_POINTS: what /stats shows chiefs
    # as "unusual credits" in a month: pairs with at least this many wish credits, residents
    # who earned at least this many points (and anyone whose credits were withheld).
    unusual_pair_credits: int = Field(default=2, ge=1)
    unusual_resident_points: int = Field(default=150, ge=1)
    # POINTS_CHECKIN_MAX_WRONG: wrong check-in codes a resident may send per hour; after
    # that, check-in is refused until the oldest of them is an hour old.
    checkin_max_wrong: int = Field(default=5, ge=1)

    def points_for_wish(self, category: str | None = None) -> int:
        """Points for fulfilling a micro-wish of `category` (the default when not listed)."""
        if category is not None and category in self.wish_category_points:
            return self.wish_category_points[category]
        return self.wish_points
