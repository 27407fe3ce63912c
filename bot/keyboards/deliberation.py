"""Keyboards of topics and votes. Texts come in already translated."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from linli.bot.callbacks.deliberation import (
    CastVote,
    CloseVote,
    OpenBallot,
    RateTopic,
    ScoreTopic,
    SubmitChoices,
    SupportTopic,
    ToggleChoice,
    TopicAct,
    TopicFlow,
    TopicsPage,
    ViewTopic,
    VoteFlow,
)

NOOP = "noop"
"""The action of a button that is only a label (the criteria on a /pool card)."""


def choices(
    items: Sequence[tuple[str, str]], factory: type[TopicFlow] | type[VoteFlow], action: str
) -> InlineKeyboardMarkup:
    """One button per (label, value), then Cancel; `factory(action=..., value=...)`."""
    builder = InlineKeyboardBuilder()
    for label, value in items:
        builder.button(text=label, callback_data=factory(action=action, value=value))
    builder.adjust(2)
    return builder.as_markup()


def with_cancel(
    markup: InlineKeyboardMarkup | None, cancel_text: str, factory: type[TopicFlow] | type[VoteFlow]
) -> InlineKeyboardMarkup:
    rows = list(markup.inline_keyboard) if markup else []
    rows.append(
        [InlineKeyboardButton(text=cancel_text, callback_data=factory(action="cancel").pack())]
    )
    return InlineKeyboardMarkup(inline_keyboard=rows)


def confirm(
    confirm_text: str, cancel_text: str, factory: type[TopicFlow] | type[VoteFlow]
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=confirm_text, callback_data=factory(action="confirm"))
    builder.button(text=cancel_text, callback_data=factory(action="cancel"))
    return builder.as_markup()


def topic_buttons(items: Sequence[tuple[int, str]], action: str) -> InlineKeyboardMarkup:
    """One button per (topic id, label), each taking `action` on its topic."""
    builder = InlineKeyboardBuilder()
    for topic_id, label in items:
        builder.button(text=label, callback_data=TopicAct(topic_id=topic_id, action=action))
    builder.adjust(1)
    return builder.as_markup()


def support(topic_id: int, text: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=text, callback_data=SupportTopic(topic_id=topic_id))
    return builder.as_markup()


def link(text: str, url: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text=text, url=url)]])


def topic_list(
    items: Sequence[tuple[int, str]], page: int, pages: int, prev_text: str, next_text: str
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for topic_id, label in items:
        builder.button(text=label, callback_data=ViewTopic(topic_id=topic_id))
    builder.adjust(1)
    nav: list[InlineKeyboardButton] = []
    if page > 0:
        nav.append(
            InlineKeyboardButton(text=prev_text, callback_data=TopicsPage(page=page - 1).pack())
        )
    if page + 1 < pages:
        nav.append(
            InlineKeyboardButton(text=next_text, callback_data=TopicsPage(page=page + 1).pack())
        )
    if nav:
        builder.row(*nav)
    return builder.as_markup()


def pool_card(
    topic_id: int,
    scores: dict[str, int | None],
    labels: dict[str, str],
    actions: Sequence[tuple[str, str]],
) -> InlineKeyboardMarkup:
    """Three rows of 1–5 (the chosen value marked), then the step buttons."""
    rows: list[list[InlineKeyboardButton]] = []
    for criterion in ("i", "u", "f"):
        row = [
            InlineKeyboardButton(
                text=labels[criterion],
                callback_data=TopicAct(topic_id=topic_id, action=NOOP).pack(),
            )
        ]
        for value in range(1, 6):
            mark = "●" if scores.get(criterion) == value else str(value)
            row.append(
                InlineKeyboardButton(
                    text=mark,
                    callback_data=ScoreTopic(
                        topic_id=topic_id, criterion=criterion, value=value
                    ).pack(),
                )
            )
        rows.append(row)
    action_row = [
        InlineKeyboardButton(
            text=text, callback_data=TopicAct(topic_id=topic_id, action=action).pack()
        )
        for text, action in actions
    ]
    if action_row:
        rows.append(action_row)
    return InlineKeyboardMarkup(inline_keyboard=rows)


def topic_actions(
    topic_id: int, actions: Sequence[tuple[str, str]], extra: Sequence[InlineKeyboardButton] = ()
) -> InlineKeyboardMarkup | None:
    builder = InlineKeyboardBuilder()
    for text, action in actions:
        builder.button(text=text, callback_data=TopicAct(topic_id=topic_id, action=action))
    builder.adjust(2)
    for button in extra:
        builder.row(button)
    markup = builder.as_markup()
    return markup if markup.inline_keyboard else None


def rating(topic_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for stars in range(1, 6):
        builder.button(text="⭐" * stars, callback_data=RateTopic(topic_id=topic_id, stars=stars))
    builder.adjust(1)
    return builder.as_markup()


def vote_buttons(
    vote_id: int, labels: Sequence[str], multiple: bool, ballot_text: str
) -> InlineKeyboardMarkup:
    """Group post of an open vote: one button per option, or one "vote privately" button
    for multiple choice (check boxes need a private ballot)."""
    builder = InlineKeyboardBuilder()
    if multiple:
        builder.button(text=ballot_text, callback_data=OpenBallot(vote_id=vote_id))
    else:
        for position, label in enumerate(labels):
            builder.button(
                text=f"{position + 1}. {label}",
                callback_data=CastVote(vote_id=vote_id, position=position),
            )
    builder.adjust(1)
    return builder.as_markup()


def ballot(
    vote_id: int, labels: Sequence[str], mask: int, submit_text: str
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for position, label in enumerate(labels):
        box = "☑" if mask >> position & 1 else "☐"
        builder.button(
            text=f"{box} {label}",
            callback_data=ToggleChoice(vote_id=vote_id, mask=mask, position=position),
        )
    builder.button(text=submit_text, callback_data=SubmitChoices(vote_id=vote_id, mask=mask))
    builder.adjust(1)
    return builder.as_markup()


def close_vote(vote_id: int, text: str, *, confirm: bool) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text, callback_data=CloseVote(vote_id=vote_id, confirm=confirm).pack()
    )
