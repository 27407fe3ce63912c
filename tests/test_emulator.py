"""Tests for the Telegram Bot API emulator, driven through a real aiogram Bot."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator

import aiohttp
import pytest
import pytest_asyncio
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BufferedInputFile,
    CallbackQuery,
    ChatMemberAdministrator,
    ChatMemberLeft,
    ChatMemberMember,
    ChatMemberOwner,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
)

from linli.emulator import BOT_ID, BotAPIEmulator, ButtonNotFoundError

TOKEN = "123456:TEST"
USER = 42
GROUP = -1001234567890
# 2x1 PNG
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000020000000108020000007b40e8dd"
    "0000000c4944415478da63f8cfc0f01f0005fe02fe0dd0a0b10000000049454e44ae426082"
)


class _FastSession(AiohttpSession):
    """AiohttpSession without the 250 ms SSL grace sleep on close (plain HTTP here)."""

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


def make_bot(emu: BotAPIEmulator, token: str = TOKEN) -> Bot:
    return Bot(token, session=_FastSession(api=TelegramAPIServer.from_base(emu.base_url)))


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[BotAPIEmulator]:
    async with BotAPIEmulator() as emulator:
        emulator.add_user(USER, "Ann", username="ann")
        yield emulator


@pytest_asyncio.fixture
async def bot(emu: BotAPIEmulator) -> AsyncIterator[Bot]:
    instance = make_bot(emu)
    yield instance
    await instance.session.close()


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=t, callback_data=d)] for t, d in pairs]
    )


@pytest.mark.asyncio
async def test_get_me(bot: Bot) -> None:
    me = await bot.get_me()
    assert me.id == BOT_ID
    assert me.is_bot is True
    assert me.username == "linli_test_bot"
    assert me.can_join_groups is True


@pytest.mark.asyncio
async def test_send_and_edit_text(emu: BotAPIEmulator, bot: Bot) -> None:
    sent = await bot.send_message(
        USER, "Hello <b>Ann</b> &amp; co", parse_mode="HTML", reply_markup=keyboard(("OK", "ok"))
    )
    assert sent.text == "Hello Ann & co"
    assert sent.entities is not None
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [("bold", 6, 3)]
    assert sent.from_user is not None and sent.from_user.id == BOT_ID
    stored = emu.last_message(USER)
    assert stored is not None
    assert stored.message_id == sent.message_id
    assert stored.raw_text == "Hello <b>Ann</b> &amp; co"
    assert stored.parse_mode == "HTML"
    assert stored.buttons == [[("OK", "ok")]]
    assert stored.button("O") == "ok"
    with pytest.raises(ButtonNotFoundError):
        stored.button("Cancel")

    edited = await bot.edit_message_text(
        "Bye", chat_id=USER, message_id=sent.message_id, reply_markup=keyboard(("OK", "ok"))
    )
    assert isinstance(edited, Message)
    assert edited.text == "Bye"
    assert edited.edit_date is not None
    assert stored.edits == 1 and stored.text == "Bye"

    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            "Bye", chat_id=USER, message_id=sent.message_id, reply_markup=keyboard(("OK", "ok"))
        )
    # Like Telegram: editing text without reply_markup drops the inline keyboard.
    await bot.edit_message_text("Bye", chat_id=USER, message_id=sent.message_id)
    assert stored.reply_markup is None and stored.edits == 2
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_reply_markup(chat_id=USER, message_id=sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=USER, message_id=999)

    assert await bot.delete_message(USER, sent.message_id) is True
    assert stored.deleted
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(USER, sent.message_id)
    second = await bot.send_message(USER, "again")
    assert second.message_id == sent.message_id + 1
    assert [m.message_id for m in emu.messages(USER)] == [sent.message_id, second.message_id]


@pytest.mark.asyncio
async def test_send_errors(emu: BotAPIEmulator, bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(USER, "   ")
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(USER, "x" * 4097)
    await bot.send_message(USER, "x" * 4096)
    with pytest.raises(TelegramBadRequest) as err:
        await bot.send_message(USER, "a <p>b</p>", parse_mode="HTML")
    assert err.value.message == (
        'Bad Request: can\'t parse entities: Unsupported start tag "p" at byte offset 2'
    )
    with pytest.raises(TelegramBadRequest, match="Can't find end tag corresponding to start tag b"):
        await bot.send_message(USER, "<b>bold", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match=r"Character '\.' is reserved"):
        await bot.send_message(USER, "Hi.", parse_mode="MarkdownV2")
    with pytest.raises(TelegramBadRequest, match="Bad Request: chat not found"):
        await bot.send_message(777, "hi")
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(USER, "hi", reply_markup=keyboard(("x", "d" * 65)))
    with pytest.raises(TelegramBadRequest, match="message caption is too long"):
        await bot.send_photo(USER, BufferedInputFile(PNG, "a.png"), caption="c" * 1025)
    assert len(emu.messages(USER)) == 1  # only the 4096-char message got through
    failed = [r for r in emu.calls("sendMessage") if not r.ok]
    assert len(failed) == 7 and all(r.status == 400 for r in failed)


@pytest.mark.asyncio
async def test_retry_after_and_server_faults(emu: BotAPIEmulator, bot: Bot) -> None:
    emu.inject_fault("sendMessage", status=429, retry_after=7)
    with pytest.raises(TelegramRetryAfter) as err:
        await bot.send_message(USER, "hi")
    assert err.value.retry_after == 7
    assert "Too Many Requests: retry after 7" in err.value.message
    await bot.send_message(USER, "hi")  # the fault fired once

    emu.add_group(GROUP, "Block 7")
    emu.inject_fault("sendmessage", status=500, times=2, chat_id=GROUP)
    await bot.send_message(USER, "other chats unaffected")
    for _ in range(2):
        with pytest.raises(TelegramServerError):
            await bot.send_message(GROUP, "hi")
    await bot.send_message(GROUP, "recovered")

    emu.set_rate_limit(2)
    await bot.send_message(USER, "1")
    await bot.send_message(USER, "2")
    with pytest.raises(TelegramRetryAfter) as err:
        await bot.send_message(USER, "3")
    assert err.value.retry_after == 1
    emu.clear_faults()
    await bot.send_message(USER, "4")

    emu.set_delay("getMe", 0.2)
    started = asyncio.get_running_loop().time()
    await bot.get_me()
    assert asyncio.get_running_loop().time() - started >= 0.19


@pytest.mark.asyncio
async def test_fault_burst_for_some_seconds(emu: BotAPIEmulator, bot: Bot) -> None:
    """`seconds=`: every call fails (502, as Telegram's front does in an outage) until the
    window ends, then the method works again without clear_faults()."""
    emu.inject_fault("getMe", status=502, seconds=0.3)
    for _ in range(3):
        with pytest.raises(TelegramServerError) as err:
            await bot.get_me()
        assert "Bad Gateway" in err.value.message
    failed = [r for r in emu.calls("getMe") if r.status == 502]
    assert len(failed) == 3 and failed[0].response == {
        "ok": False,
        "error_code": 502,
        "description": "Bad Gateway",
    }
    await bot.send_message(USER, "other methods unaffected")
    await asyncio.sleep(0.35)
    assert (await bot.get_me()).id == 1000
    emu.inject_fault("getMe", status=500, seconds=5, times=1)  # at most once in the window
    with pytest.raises(TelegramServerError):
        await bot.get_me()
    await bot.get_me()


@pytest.mark.asyncio
async def test_forbidden(emu: BotAPIEmulator, bot: Bot) -> None:
    emu.block_user(USER)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(USER, "hi")
    emu.unblock_user(USER)
    await bot.send_message(USER, "hi")

    emu.add_group(GROUP, "Block 7")
    await bot.send_message(GROUP, "hello group")
    emu.kick_from_group(GROUP)
    with pytest.raises(
        TelegramForbiddenError, match="Forbidden: bot was kicked from the supergroup chat"
    ):
        await bot.send_message(GROUP, "hi")

    emu.add_user(43, "Bo", started=False)
    with pytest.raises(TelegramForbiddenError, match="can't initiate conversation"):
        await bot.send_message(43, "hi")


@pytest.mark.asyncio
async def test_photo_upload_and_download(emu: BotAPIEmulator, bot: Bot) -> None:
    sent = await bot.send_photo(
        USER,
        BufferedInputFile(PNG, filename="pic.png"),
        caption="<i>look</i>",
        parse_mode="HTML",
        reply_markup=keyboard(("Like", "like")),
    )
    assert sent.photo is not None and len(sent.photo) >= 1
    assert (sent.photo[-1].width, sent.photo[-1].height) == (2, 1)
    assert sent.caption == "look"
    assert len({p.file_id for p in sent.photo}) == len(sent.photo)
    stored = emu.last_message(USER)
    assert stored is not None and stored.photo and stored.content_type == "photo"
    assert stored.text == "look" and stored.file_id == sent.photo[-1].file_id

    file = await bot.get_file(sent.photo[-1].file_id)
    assert file.file_path and file.file_size == len(PNG)
    buffer = await bot.download(sent.photo[-1].file_id)
    assert isinstance(buffer, io.BytesIO) and buffer.getvalue() == PNG

    doc = await bot.send_document(USER, BufferedInputFile(b"a,b\n1,2\n", filename="t.csv"))
    assert doc.document is not None and doc.document.file_name == "t.csv"
    assert emu.file_bytes(doc.document.file_id) == b"a,b\n1,2\n"
    # Re-sending by file_id works; unknown ids are rejected.
    again = await bot.send_photo(USER, sent.photo[-1].file_id)
    assert again.photo is not None and again.photo[-1].file_id == sent.photo[-1].file_id
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await bot.send_document(USER, "nope")

    album = await bot.send_media_group(
        USER,
        [
            InputMediaPhoto(media=BufferedInputFile(PNG, "1.png"), caption="one"),
            InputMediaPhoto(media=sent.photo[-1].file_id),
        ],
    )
    assert len(album) == 2 and album[0].media_group_id == album[1].media_group_id

    # A photo pushed by a user can be fetched by the bot too.
    update = emu.push_message(USER, USER, photo=PNG, caption="from user")
    assert update.message is not None and update.message.photo
    pushed = await bot.download(update.message.photo[-1].file_id)
    assert pushed is not None and pushed.getvalue() == PNG


@pytest.mark.asyncio
async def test_get_updates_long_poll_and_offset(emu: BotAPIEmulator, bot: Bot) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    assert not poll.done()
    pushed = emu.push_message(USER, USER, "/start")
    updates = await asyncio.wait_for(poll, 2)
    assert loop.time() - started < 1.0  # woke up on push, not at the timeout
    assert [u.update_id for u in updates] == [pushed.update_id]
    message = updates[0].message
    assert message is not None and message.text == "/start"
    assert message.entities and message.entities[0].type == "bot_command"
    assert message.chat.type == "private" and message.from_user is not None

    # Not confirmed yet: comes again; confirmed with offset = last + 1.
    assert emu.pending_updates() == 1
    again = await bot.get_updates(timeout=0)
    assert [u.update_id for u in again] == [pushed.update_id]
    second = emu.push_message(USER, USER, "hello")
    rest = await bot.get_updates(offset=pushed.update_id + 1, timeout=0)
    assert [u.update_id for u in rest] == [second.update_id]
    assert emu.pending_updates() == 1
    assert await bot.get_updates(offset=second.update_id + 1, timeout=0) == []
    assert emu.pending_updates() == 0
    await emu.wait_until_consumed(timeout=0.1)

    # Empty long poll returns [] after the timeout.
    assert await bot.get_updates(timeout=1, offset=second.update_id + 1) == []
    assert loop.time() - started >= 1.0

    # allowed_updates: callback queries only -> the message update is dropped.
    sent = await bot.send_message(USER, "menu", reply_markup=keyboard(("A", "a")))
    emu.push_message(USER, USER, "ignored")
    cb = emu.push_callback(USER, (USER, sent.message_id), "a")
    got = await bot.get_updates(timeout=0, allowed_updates=["callback_query"])
    assert [u.update_id for u in got] == [cb.update_id]

    await bot.set_webhook("https://example.invalid/hook", secret_token="s3cret")
    with pytest.raises(TelegramConflictError, match="webhook is active"):
        await bot.get_updates()
    info = await bot.get_webhook_info()
    assert info.url == "https://example.invalid/hook" and info.pending_update_count == 1
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert emu.pending_updates() == 0
    assert await bot.get_updates(timeout=0) == []


@pytest.mark.asyncio
async def test_dispatcher_echo_and_callback(emu: BotAPIEmulator) -> None:
    router = Router()

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(f"echo: {message.text}", reply_markup=keyboard(("Again", "again")))

    @router.callback_query(F.data == "again")
    async def again(query: CallbackQuery) -> None:
        await query.answer("done", show_alert=True)
        assert isinstance(query.message, Message)
        await query.message.edit_text("pressed")

    dp = Dispatcher()
    dp.include_router(router)
    bot = make_bot(emu)
    task = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1))
    try:
        seen = len(emu.messages(USER))
        emu.push_message(USER, USER, "你好")
        reply = await emu.wait_for_message(USER, after=seen)
        assert reply.text == "echo: 你好"
        assert reply.button("Again") == "again"

        update = emu.push_callback(USER, reply, reply.button("Again"))
        assert update.callback_query is not None
        answer = await emu.wait_for_callback_answer(update.callback_query.id)
        assert answer["text"] == "done" and answer["show_alert"] is True
        edited = await emu.wait_for_message(USER, predicate=lambda m: m.text == "pressed")
        assert edited is reply and reply.edits == 1 and reply.reply_markup is None
        await emu.wait_until_consumed()

        # Group message with a /cmd@bot command.
        emu.add_group(GROUP, "Block 7", members=[USER])
        emu.push_message(GROUP, USER, "/help@linli_test_bot")
        group_reply = await emu.wait_for_message(GROUP)
        assert group_reply.text == "echo: /help@linli_test_bot"
        assert emu.requests[0].method == "getMe"
        assert {r.method for r in emu.requests} >= {"getUpdates", "sendMessage"}
    finally:
        await dp.stop_polling()
        await asyncio.wait_for(task, 5)

    with pytest.raises(TimeoutError, match="no new bot message in chat 42"):
        await emu.wait_for_message(USER, after=len(emu.messages(USER)), timeout=0.1)


@pytest.mark.asyncio
async def test_answer_callback_query_validation(emu: BotAPIEmulator, bot: Bot) -> None:
    sent = await bot.send_message(USER, "pick", reply_markup=keyboard(("A", "a")))
    update = emu.push_callback(USER, (USER, sent.message_id), "a")
    query = update.callback_query
    assert query is not None and query.data == "a"
    assert isinstance(query.message, Message) and query.message.message_id == sent.message_id
    assert await bot.answer_callback_query(query.id, text="ok")
    assert emu.callback_answers[query.id]["text"] == "ok"
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query.id)
    with pytest.raises(TelegramBadRequest, match="query ID is invalid"):
        await bot.answer_callback_query("12345")


@pytest.mark.asyncio
async def test_chat_members(emu: BotAPIEmulator, bot: Bot) -> None:
    emu.add_group(GROUP, "Block 7", creator=1, admins=[2, BOT_ID], members=[USER])
    owner = await bot.get_chat_member(GROUP, 1)
    admin = await bot.get_chat_member(GROUP, 2)
    member = await bot.get_chat_member(GROUP, USER)
    me = await bot.get_chat_member(GROUP, BOT_ID)
    assert isinstance(owner, ChatMemberOwner) and owner.status == "creator"
    assert isinstance(admin, ChatMemberAdministrator) and admin.can_delete_messages
    assert isinstance(member, ChatMemberMember) and member.user.first_name == "Ann"
    assert isinstance(me, ChatMemberAdministrator) and me.user.id == BOT_ID

    emu.add_user(50, "Cy")
    left = await bot.get_chat_member(GROUP, 50)
    assert isinstance(left, ChatMemberLeft)
    emu.set_chat_member_status(GROUP, USER, "left")
    assert (await bot.get_chat_member(GROUP, USER)).status == "left"

    admins = await bot.get_chat_administrators(GROUP)
    assert [a.user.id for a in admins] == [1, 2, BOT_ID]
    chat = await bot.get_chat(GROUP)
    assert chat.type == "supergroup" and chat.title == "Block 7"
    private = await bot.get_chat(USER)
    assert private.type == "private" and private.first_name == "Ann"

    update = emu.push_my_chat_member(GROUP, 1, "kicked", old_status="administrator")
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "kicked"
    with pytest.raises(TelegramForbiddenError, match="kicked"):
        await bot.send_message(GROUP, "hi")


@pytest.mark.asyncio
async def test_commands_per_language_and_misc(emu: BotAPIEmulator, bot: Bot) -> None:
    zh = [BotCommand(command="start", description="开始")]
    en = [
        BotCommand(command="start", description="Start"),
        BotCommand(command="help", description="Help"),
    ]
    assert await bot.set_my_commands(zh)
    assert await bot.set_my_commands(en, language_code="en")
    assert await bot.set_my_commands(en[:1], scope=BotCommandScopeAllGroupChats())
    assert emu.commands[("default", "")] == [{"command": "start", "description": "开始"}]
    assert [c["command"] for c in emu.get_commands(language_code="en")] == ["start", "help"]
    assert emu.get_commands("all_group_chats") == [{"command": "start", "description": "Start"}]
    assert [c.command for c in await bot.get_my_commands(language_code="en")] == [
        "start",
        "help",
    ]
    assert await bot.delete_my_commands(language_code="en")
    assert await bot.get_my_commands(language_code="en") == []
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Bad-Cmd", description="x")])

    assert await bot.send_chat_action(USER, "typing")
    assert emu.chat_actions == [(USER, "typing")]
    assert await bot.leave_chat(emu.add_group(GROUP, "G").id)
    with pytest.raises(TelegramForbiddenError, match="not a member"):
        await bot.send_message(GROUP, "hi")

    reply_kb = ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text="📍 Share")]])
    msg = await bot.send_message(USER, "kb", reply_markup=reply_kb)
    assert msg.reply_markup is None  # Telegram echoes only inline keyboards
    stored = emu.last_message(USER)
    assert stored is not None and stored.keyboard_kind == "reply"
    assert stored.button("Share") == "📍 Share"
    assert emu.reply_keyboard(USER) == stored.reply_markup

    loc = await bot.send_location(USER, 31.23, 121.47)
    assert loc.location is not None and loc.location.latitude == pytest.approx(31.23)
    user_msg = emu.push_message(USER, USER, "forward me").message
    assert user_msg is not None
    copied = await bot.copy_message(USER, USER, user_msg.message_id)
    fwd = await bot.forward_message(USER, USER, user_msg.message_id)
    assert copied.message_id + 1 == fwd.message_id and fwd.forward_origin is not None
    assert emu.message(USER, copied.message_id).text == "forward me"


@pytest.mark.asyncio
async def test_raw_http(emu: BotAPIEmulator) -> None:
    base = f"{emu.base_url}/bot{TOKEN}"
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{base}/noSuchMethod") as resp:
            assert resp.status == 404
            assert await resp.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found",
            }
        async with http.get(f"{emu.base_url}/botnot-a-token/getMe") as resp:
            assert resp.status == 401
            assert (await resp.json())["description"] == "Unauthorized"
        async with http.get(f"{base}/GETME") as resp:
            assert (await resp.json())["result"]["id"] == BOT_ID
        form = {
            "chat_id": str(USER),
            "text": "123",
            "reply_markup": '{"inline_keyboard":[[{"text":"Go","url":"https://t.me/x"}]]}',
        }
        async with http.post(f"{base}/sendMessage", data=form) as resp:
            body = await resp.json()
            assert body["ok"] and body["result"]["text"] == "123"
            assert body["result"]["reply_markup"]["inline_keyboard"][0][0]["url"] == (
                "https://t.me/x"
            )
        async with http.post(f"{base}/sendMessage", json={"chat_id": USER, "text": ""}) as resp:
            assert resp.status == 400
            assert (await resp.json())["description"] == "Bad Request: message text is empty"
        async with http.post(f"{base}/setWebhook", json={"url": "https://a.b/c"}) as resp:
            assert (await resp.json()) == {
                "ok": True,
                "result": True,
                "description": "Webhook was set",
            }
        async with http.get(f"{emu.base_url}/file/bot{TOKEN}/photos/nope.jpg") as resp:
            assert resp.status == 404
    assert emu.requests[2].method == "getMe" and emu.requests[2].raw_method == "GETME"
    assert emu.last_message(USER) is not None
    assert emu.last_message(USER).buttons == [[("Go", "https://t.me/x")]]  # type: ignore[union-attr]


@pytest.mark.asyncio
async def test_fixed_token_and_exceptions(emu: BotAPIEmulator) -> None:
    async with BotAPIEmulator(token=TOKEN) as strict:
        good, bad = make_bot(strict), make_bot(strict, "999:OTHER")
        try:
            assert (await good.get_me()).id == BOT_ID
            with pytest.raises(TelegramUnauthorizedError):
                await bad.get_me()
            strict.inject_fault("getMe", status=404)
            with pytest.raises(TelegramNotFound):
                await good.get_me()
        finally:
            await good.session.close()
            await bad.session.close()


@pytest.mark.asyncio
async def test_concurrent_polls_and_fault_reset(emu: BotAPIEmulator, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(bot.get_updates(timeout=5))
    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates request"):
        await asyncio.wait_for(first, 2)
    update = emu.push_message(USER, USER, "hi")
    assert [u.update_id for u in await asyncio.wait_for(second, 2)] == [update.update_id]

    emu.add_group(GROUP, "G", admins=[BOT_ID])
    emu.kick_from_group(GROUP)
    emu.block_user(USER)
    emu.inject_fault("*", status=502, times=-1)
    with pytest.raises(TelegramServerError, match="Bad Gateway"):
        await bot.get_me()
    emu.clear_faults()
    assert emu.chat_member_status(GROUP, BOT_ID) == "administrator"
    await bot.send_message(GROUP, "back")
    await bot.send_message(USER, "back")
