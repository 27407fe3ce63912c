"""Settings of 共驻共建: partner units, their members and mobile grid members (variables
prefixed `PARTNERS_`)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class PartnersSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PARTNERS_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # PARTNERS_CONTACT_INVITE_DAYS: days an admin's invitation to a unit's contact works.
    contact_invite_days: int = Field(default=7, ge=1, le=90)
    # PARTNERS_MEMBER_LINK_DAYS: days a unit's link for its members works (the contact can
    # replace it at any time; joining still needs the contact's approval).
    member_link_days: int = Field(default=30, ge=1, le=365)
    # PARTNERS_MOBILE_INVITE_DAYS: days a grid chief's invitation to a mobile grid member works.
    mobile_invite_days: int = Field(default=7, ge=1, le=90)
    # PARTNERS_HAZARD_POINTS: points a mobile grid member earns for a hazard report a chief
    # accepted.
    hazard_points: int = Field(default=5, ge=0, le=1000)
    # PARTNERS_HAZARD_MONTHLY_MAX: most points one person earns from hazard reports in a
    # calendar month.
    hazard_monthly_max: int = Field(default=30, ge=0, le=10_000)
    # PARTNERS_NEAREST_BUILDING_METERS: a location sent with a hazard report picks the
    # nearest building with coordinates within this distance; farther, the reporter picks
    # the building with buttons.
    nearest_building_meters: int = Field(default=500, ge=10, le=50_000)
