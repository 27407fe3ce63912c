"""Settings of notices and the broadcast sender (environment variables prefixed `NOTICES_`)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class NoticeSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="NOTICES_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # --- Telegram's limits, applied to every send of the process (not only broadcasts) ---
    # NOTICES_GLOBAL_RATE: messages per second, all chats together (Telegram: about 30).
    global_rate: float = Field(default=30.0, gt=0)
    # NOTICES_INTERACTIVE_RESERVE: messages per second of the global rate that broadcasts
    # leave free, so replies to residents are not stuck behind a long broadcast.
    interactive_reserve: float = Field(default=2.0, ge=0)
    # NOTICES_CHAT_RATE / NOTICES_CHAT_BURST: messages per second to one chat (Telegram: 1),
    # and how many may go at once before that rate applies (Telegram allows short bursts).
    chat_rate: float = Field(default=1.0, gt=0)
    chat_burst: int = Field(default=3, ge=1)
    # NOTICES_GROUP_PER_MINUTE: messages per minute to one group (Telegram: 20).
    group_per_minute: int = Field(default=20, ge=1)
    # NOTICES_RETRY_429: how many times a reply (not a broadcast delivery, which goes back
    # to the outbox) is retried after a 429, waiting `retry_after` each time.
    retry_429: int = Field(default=2, ge=0)

    # --- the outbox sender ---
    # NOTICES_SENDER_CONCURRENCY: deliveries in flight at once per process.
    sender_concurrency: int = Field(default=8, ge=1, le=100)
    # NOTICES_SENDER_POLL_SECONDS: how often an idle sender looks for due deliveries
    # (deliveries created in this process wake it at once).
    sender_poll_seconds: float = Field(default=1.0, gt=0)
    # NOTICES_SENDING_LEASE_SECONDS: a delivery still `sending` this long after it was
    # claimed belongs to a process that died mid-send; it is marked failed ("interrupted"),
    # never sent again (see docs/notices.md).
    sending_lease_seconds: float = Field(default=300.0, gt=0)
    # NOTICES_MAX_ATTEMPTS: attempts on 5xx / network errors before a delivery fails.
    max_attempts: int = Field(default=5, ge=1)
    # NOTICES_BACKOFF_SECONDS / NOTICES_BACKOFF_MAX_SECONDS: exponential backoff (with
    # jitter) between those attempts: base * 2^(attempt-1), at most the max.
    backoff_seconds: float = Field(default=2.0, gt=0)
    backoff_max_seconds: float = Field(default=300.0, gt=0)
    # NOTICES_PROGRESS_SECONDS: the chief's progress message is edited at most this often.
    progress_seconds: float = Field(default=2.0, gt=0)

    # --- scheduled notices ---
    # NOTICES_GRACE_SECONDS: a run missed while the bot was down is still sent (marked
    # delayed) if it is at most this late; older runs are recorded as missed and the author
    # is told.
    grace_seconds: int = Field(default=3600, ge=0)
    # NOTICES_DELAYED_AFTER_SECONDS: a run sent later than this is marked delayed.
    delayed_after_seconds: int = Field(default=120, ge=0)
    # NOTICES_AGENDA_DAYS: how far ahead an agenda digest looks.
    agenda_days: int = Field(default=7, ge=1, le=60)
