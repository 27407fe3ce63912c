"""Settings of topics and votes (environment variables prefixed `DELIBERATION_`)."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class DeliberationSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="DELIBERATION_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # DELIBERATION_TALLY_EDIT_INTERVAL: least seconds between two edits of one group post
    # (support counts, vote turnout and running totals). Telegram allows about 20 messages a
    # minute per group; 5 s keeps a busy vote at 12 edits a minute per post.
    tally_edit_interval: float = Field(default=5.0, ge=0.0)
    # DELIBERATION_BALLOT_KEY: secret that seals a resident's current choice while a vote whose
    # ballots may be changed is open (see docs/deliberation.md). Unset: derived from BOT_TOKEN.
    ballot_key: SecretStr | None = None
    # DELIBERATION_PAGE_SIZE: topics per page in /topics and cards per /pool message batch.
    page_size: int = Field(default=8, ge=1, le=20)
    # DELIBERATION_DISCUSSION_DAYS: default length of the discussion step, in days.
    discussion_days: int = Field(default=7, ge=1, le=90)
