"""Wish delivery: the group post (enqueued with the wish, edited as the wish changes), the
wish card, and the messages the author and the claimer get from each other's actions.

The post is in the community's language and never names the author unless they chose to
(a resident a chief entered it for: only their name, never the door number, and only when
they agreed in person); the card's buttons are the actions `services.wishes.allowed_actions`
gives its reader.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from aiogram.exceptions import TelegramAPIError
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from linli.bot.delivery.sender import Delivered, on_delivered, wake
from linli.bot.keyboards import wishes as kb
from linli.models import Resident
from linli.models.wishes import Wish, WishStatus
from linli.services import wishes as wish_service
from linli.services.authz import manages_building
from linli.services.people import shown_name
from linli.services.wishes import WishAction, WishInfo

if TYPE_CHECKING:
    from linli.bot.delivery import Delivery

Tr = Callable[..., str]


class WishDelivery:
    """Needs only `core.bot`, `core.sessionmaker`, `core.translator` and `core.settings`
    for the group post (what an `on_delivered` hook is given)."""

    def __init__(self, core: Delivery) -> None:
        self.core = core

    def tr(self, resident: Resident | None) -> Tr:
        """Messages in `resident`'s language (the community's when None)."""
        return partial(self.core.translator.for_resident, resident)

    # --- the group post ---------------------------------------------------------------------

    @staticmethod
    def content(tr: Tr, wish: Wish) -> str:
        """The wish's words, or what stands for them (a voice message, a photo)."""
        if wish.text:
            return wish.text
        return tr("wish-post-voice" if wish.voice_file_id else "wish-post-photo")

    @classmethod
    def post_text(cls, tr: Tr, data: WishInfo) -> str:
        """The group post: never the author's name unless they chose to show it."""
        wish = data.wish
        name = data.public_author_name
        lines = [tr("wish-post-title", code=wish.code, category=wish.category.value)]
        lines.append(cls.content(tr, wish))
        if name:
            lines.append(tr("wish-post-from-named", name=name, building=data.building.name))
        else:
            lines.append(tr("wish-post-from-neighbour", building=data.building.name))
        lines.append(tr("wish-post-status", status=wish.status.value))
        return "\n".join(lines)

    @staticmethod
    def post_markup(tr: Tr, data: WishInfo) -> InlineKeyboardMarkup | None:
        """The Claim button, while the wish is open."""
        return kb.claim(tr, data.wish.id) if data.wish.status == WishStatus.OPEN else None

    def render_post(self, data: WishInfo) -> tuple[str, dict[str, Any] | None]:
        """How a new wish is announced to its grid's group(s), for `wish_service.create`
        to enqueue with the wish: the text and the Claim button as JSON."""
        tr = self.tr(None)
        markup = kb.claim(tr, data.wish.id).model_dump(mode="json", exclude_none=True)
        return self.post_text(tr, data), markup

    @staticmethod
    def send_soon() -> None:
        """Tell the outbox sender a post is waiting (after the wish's transaction)."""
        wake()

    async def refresh_posts(self, session: AsyncSession, data: WishInfo) -> None:
        """Edit the wish's group posts to its current state (Claim button only while open)."""
        tr = self.tr(None)
        text, markup = self.post_text(tr, data), self.post_markup(tr, data)
        for chat_id, message_id in await wish_service.posts_of(session, data.wish.id):
            try:
                await self.core.bot.edit_message_text(
                    text, chat_id=chat_id, message_id=message_id, reply_markup=markup
                )
            except TelegramAPIError:  # a deleted post, or a group that removed the bot
                continue

    async def post_delivered(self, delivered: Delivered) -> None:
        """A wish's post reached a group after the wish changed (claimed, withdrawn… while
        the post waited in the outbox): edit it to the current state."""
        if delivered.source_id is None:
            return
        tr = self.tr(None)
        async with self.core.sessionmaker() as session:
            data = await wish_service.info(session, delivered.source_id)
        text = self.post_text(tr, data)
        if text == delivered.text:
            return
        with contextlib.suppress(TelegramAPIError):  # a deleted post, or the bot was removed
            await self.core.bot.edit_message_text(
                text,
                chat_id=delivered.chat_id,
                message_id=delivered.message_id,
                reply_markup=self.post_markup(tr, data),
            )

    # --- the card ---------------------------------------------------------------------------

    def card_text(self, tr: Tr, data: WishInfo, viewer: Resident) -> str:
        """The wish as `viewer` may see it: who claimed it only for the people involved and
        the chiefs of its area; for whom a chief entered it (with the door number) only for
        that chief and the chiefs of its area, the claimer seeing what the post may show."""
        wish = data.wish
        lines = [
            tr("wish-card-title", code=wish.code, category=wish.category.value),
            tr("wish-card-status", status=wish.status.value),
            self.content(tr, wish),
            tr("wish-card-building", grid=data.grid.name, building=data.building.name),
            tr("wish-card-created", at=self.core.local_time(wish.created_at)),
        ]
        is_party = viewer.id in (wish.author_id, wish.entered_by_id, wish.claimer_id)
        chief = manages_building(viewer, data.building, data.grid)
        if data.claimer is not None and (is_party or chief):
            lines.append(tr("wish-card-claimer", name=shown_name(tr, data.claimer)))
        if wish.offline_author and (viewer.id == wish.entered_by_id or chief):
            lines.append(tr("wish-card-offline", name=wish.offline_author))
        elif wish.offline_author and viewer.id == wish.claimer_id:
            public = data.public_author_name
            lines.append(
                tr("wish-card-for-named", name=public)
                if public
                else tr("wish-card-for-neighbour", building=data.building.name)
            )
        if wish.status == WishStatus.FULFILLED and wish.points:
            lines.append(tr("wish-card-points", points=wish.points))
        return "\n".join(lines)

    def card(
        self, tr: Tr, data: WishInfo, viewer: Resident
    ) -> tuple[str, InlineKeyboardMarkup | None]:
        actions = wish_service.allowed_actions(data.wish, viewer)
        return self.card_text(tr, data, viewer), kb.card(tr, data.wish.id, actions)

    # --- messages between the author and the claimer ------------------------------------------

    async def claimed(self, session: AsyncSession, data: WishInfo) -> None:
        """After a claim: the posts say so, the claimer gets the details (photo, voice), the
        author is told who claimed it."""
        await self.refresh_posts(session, data)
        wish, claimer = data.wish, data.claimer
        assert claimer is not None
        tr = self.tr(claimer)
        text, markup = self.card(tr, data, claimer)
        await self.core.send_to_resident(
            claimer,
            tr("wish-claimed-you", code=wish.code) + "\n\n" + text,
            reply_markup=markup,
            photo=wish.photo_file_id,
        )
        if wish.voice_file_id:
            await self.core.send_to_resident(
                claimer, tr("wish-voice-caption", code=wish.code), voice=wish.voice_file_id
            )
        author = data.author or data.entered_by
        if author is not None:
            atr = self.tr(author)
            await self.core.send_to_resident(
                author,
                atr("wish-claimed-author", code=wish.code, name=shown_name(atr, claimer)),
                reply_markup=self.card(atr, data, author)[1],
            )

    async def withdrawn(self, wish: Wish, claimer: Resident | None) -> None:
        """The claimer of a withdrawn wish is told."""
        if claimer is not None:
            await self.core.tell(claimer, "wish-withdrawn-claimer", code=wish.code)

    async def fulfilled(self, data: WishInfo) -> None:
        """The claimer is thanked with the points credited."""
        if data.claimer is not None:
            await self.core.tell(
                data.claimer,
                "wish-thanks-claimer",
                code=data.wish.code,
                points=data.wish.points or 0,
            )

    async def released(self, data: WishInfo) -> None:
        """The author is told the claimer gave the wish back."""
        author = data.author or data.entered_by
        if author is not None:
            await self.core.tell(author, "wish-released-author", code=data.wish.code)

    async def relay(self, data: WishInfo, peer: Resident, role: str, text: str) -> bool:
        """A short message from the author or the claimer (`role`) to the other, with a
        button to answer; False when it could not be delivered."""
        tr = self.tr(peer)
        return await self.core.send_to_resident(
            peer,
            tr(f"wish-relay-from-{role}", code=data.wish.code, text=text),
            reply_markup=kb.card(tr, data.wish.id, [WishAction.MSG]),
        )


@on_delivered(wish_service.POST_SOURCE)
async def post_delivered(core: Delivery, delivered: Delivered) -> None:
    """Registered when this module is imported (the wishes handlers import it)."""
    await WishDelivery(core).post_delivered(delivered)
