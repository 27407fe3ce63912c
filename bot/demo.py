"""`linli demo`: the real bot on the built-in Bot API emulator, with a terminal chat.

Everything runs in one process: the emulator serves the Bot API over HTTP on 127.0.0.1, the
bot (built by `create_app`, exactly as `linli run` builds it) long-polls it, and the shell
below pushes updates as a resident, a chief or the admin and prints what the bot sends back.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.resources
import re
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiogram import Bot
from aiogram.types import Update
from sqlalchemy import select

from linli.bot.app import App, create_app
from linli.bot.logging import setup_logging
from linli.config import Settings
from linli.emulator import BotAPIEmulator, StoredMessage
from linli.models import Building, Grid, Resident, Role
from linli.models.db import create_engine, create_sessionmaker
from linli.models.migrate import upgrade
from linli.services.bindings import binding_for_chat
from linli.services.parsing import parse_int
from linli.services.partner_demo import seed_sample_unit
from linli.services.structure import StructureRow, import_structure, parse_structure_csv
from linli.web.demo import demo_web_settings, start_demo_cockpit

DEMO_TOKEN = "123456:DEMO-TOKEN-abcdefghijklmnopqrstu"
BOT_USERNAME = "linli_demo_bot"
ADMIN_ID = 1
RESIDENT_ID = 10001
BUILDING_CHIEF_ID = 900011
GRID_CHIEF_ID = 900001
FIRST_GROUP_ID = -1001
ALIASES = {
    "resident": RESIDENT_ID,
    "chief": BUILDING_CHIEF_ID,
    "gridchief": GRID_CHIEF_ID,
    "admin": ADMIN_ID,
}
DEFAULT_LOCATION = (31.2304, 121.4737)
HANDLE_TIMEOUT = 5.0
QUIET = 0.15
FINAL_QUIET = 0.5
DEEP_LINK = re.compile(r"^(?:https?://)?t\.me/(?P<bot>\w+)\?start=(?P<payload>[\w-]+)$")

BANNER = """\
邻里 Linli 演示 — 真实的机器人 + 内置 Bot API 模拟器，无需 token。
Linli demo — the real bot on a built-in Bot API emulator, no token needed.
你是居民「小明」(私聊)。输入文字或 /命令 发送，数字 N 按第 N 个按钮，:help 查看更多。
You are resident 小明 (private chat). Type text or /commands, a number N presses button N, \
:help for more."""

HELP = """\
  文字 或 /命令         发给机器人 / send to the bot as the current user
  行尾加 \\             下一行接着写，作为一条多行消息 / continue on the next line (one message)
  N                     按最近一条带按钮消息的第 N 个按钮 / press button N
  :press [#消息] 按钮    按任意一条消息的按钮 (按钮写序号或文字) / press a button of any message
                        e.g. :press 发心愿   :press 7 2   :press #7 通过
  :as resident|chief|gridchief|admin|<id>|<名字>
                        换人 / switch user (chief = 1号楼楼栋长, gridchief = 第一网格网格长)
  :lang zh|en           切换当前用户的语言 / switch the current user's language
  :group  :private      去自己的网格群 / 回私聊 — switch chat (/bind a group first)
  :photo [说明]  :voice  :location [纬度 经度]
                        发图片 / 语音 / 位置 — send a photo, a voice message, a location
  :say 文字             原样发送 (例如数字) / send text as is (e.g. a number)
  :wait [秒]            等一会儿，显示定时发出的消息 / wait, showing scheduled messages (≤ 600 s)
  :users                演示用户 / demo users
  :quit                 退出 / quit (or Ctrl-D)"""
MAX_WAIT = 600.0
CONTINUE = "\\"


@dataclass
class Community:
    """Who is who in the demo: users, their roles and one group chat per grid (its grid
    chief and the community admin are the group's administrators)."""

    names: dict[int, str] = field(default_factory=dict)
    roles: dict[int, str] = field(default_factory=dict)
    chief_grids: dict[int, str] = field(default_factory=dict)
    groups: dict[str, int] = field(default_factory=dict)
    titles: dict[int, str] = field(default_factory=dict)
    group_admins: dict[int, list[int]] = field(default_factory=dict)
    group_members: dict[int, list[int]] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: Iterable[StructureRow]) -> Community:
        """The sample residents plus every chief of the imported structure."""
        community = cls(
            names={RESIDENT_ID: "小明", ADMIN_ID: "社区管理员"},
            roles={RESIDENT_ID: "居民 resident", ADMIN_ID: "community admin"},
        )
        for row in rows:
            chat_id = community.groups.get(row.grid)
            if chat_id is None:
                chat_id = FIRST_GROUP_ID - len(community.groups)
                community.groups[row.grid] = chat_id
                community.titles[chat_id] = f"{row.grid}群"
                community.group_admins[chat_id] = [ADMIN_ID]
                community.group_members[chat_id] = []
            chief = row.chief_telegram_id
            if chief is None:
                continue
            community.names[chief] = row.chief_name or str(chief)
            community.chief_grids[chief] = row.grid
            if row.chief_role == Role.GRID_CHIEF:
                community.roles[chief] = f"{row.grid} 网格长 grid chief"
                community.group_admins[chat_id].append(chief)
            else:
                community.roles[chief] = f"{row.grid} {row.building} 楼栋长 building chief"
                community.group_members[chat_id].append(chief)
        return community

    def populate(self, emu: BotAPIEmulator) -> None:
        """Register the users and the grid groups with the emulator."""
        for user_id, name in self.names.items():
            emu.add_user(user_id, name)
        for chat_id, title in self.titles.items():
            emu.add_group(
                chat_id,
                title,
                admins=self.group_admins[chat_id],
                members=self.group_members[chat_id],
            )


class DemoShell:
    """One user in one chat at a time; turns typed lines into updates and prints replies."""

    def __init__(self, emu: BotAPIEmulator, app: App, community: Community) -> None:
        self.emu = emu
        self.app = app
        self.community = community
        self.user_id = RESIDENT_ID
        self.chat_id = RESIDENT_ID
        self.busy = False
        self._events: list[tuple[str, StoredMessage]] = []
        self._answers_seen = len(emu.callback_answers)
        self._handled: set[int] = set()
        self._handled_event = asyncio.Event()
        self._continued: list[str] = []
        emu.on_event(self._record)

    # --- bookkeeping ---------------------------------------------------------------------

    def _record(self, event: str, message: StoredMessage) -> None:
        if message.from_bot:
            self._events.append((event, message))

    def mark_handled(self, update_id: int) -> None:
        """Called by the dispatcher hook once the bot finished an update."""
        self._handled.add(update_id)
        self._handled_event.set()

    def _activity(self) -> int:
        return len(self._events) + len(self.emu.callback_answers)

    async def _settle(self, update_id: int) -> None:
        """Wait until the bot handled the update and went quiet, then print what it did."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + HANDLE_TIMEOUT
        while update_id not in self._handled:
            self._handled_event.clear()
            remaining = deadline - loop.time()
            if remaining <= 0:
                print(f"({HANDLE_TIMEOUT:g} 秒内机器人没有处理完 / the bot did not finish in time)")
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._handled_event.wait(), remaining)
        await self.drain(QUIET, max(deadline - loop.time(), 0.0))

    async def drain(self, quiet: float, limit: float) -> None:
        """Print what the bot sends until it has been quiet for `quiet` s (at most `limit` s)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        seen, quiet_since = self._activity(), loop.time()
        while loop.time() - quiet_since < quiet and loop.time() < deadline:
            await asyncio.sleep(0.05)
            if self._activity() != seen:
                seen, quiet_since = self._activity(), loop.time()
        self.flush()

    # --- output --------------------------------------------------------------------------

    @property
    def prompt(self) -> str:
        name = self.community.names.get(self.user_id, str(self.user_id))
        lead = f"[{name} · {self._where(self.chat_id)}] "
        return lead + ("… " if self._continued else "> ")

    def _where(self, chat_id: int) -> str:
        if chat_id > 0:
            return "私聊"
        return self.community.titles.get(chat_id, str(chat_id))

    def _chat_label(self, chat_id: int) -> str:
        if chat_id > 0:
            return f"{self.community.names.get(chat_id, str(chat_id))} (私聊)"
        return self._where(chat_id)

    def flush(self) -> None:
        """Print bot messages, edits, deletions and callback alerts not shown yet."""
        events, self._events = self._events, []
        shown: set[tuple[int, int]] = set()
        for event, message in events:
            key = (message.chat_id, message.message_id)
            if event == "sent":
                shown.add(key)
                self._print_message(message, edited=False)
            elif event == "edited" and key not in shown:
                shown.add(key)
                self._print_message(message, edited=True)
            elif event == "deleted":
                print(f"{self._lead(message, '(deleted)')} {_first_line(message.text)}")
        answers = list(self.emu.callback_answers.values())
        for answer in answers[self._answers_seen :]:
            if answer.get("text"):
                print(f"[alert] {answer['text']}")
        self._answers_seen = len(answers)
        sys.stdout.flush()

    def _lead(self, message: StoredMessage, note: str = "") -> str:
        suffix = f" {note}" if note else ""
        if message.chat_id == self.chat_id:
            return f"🤖{suffix}"
        return f"→ {self._chat_label(message.chat_id)}{suffix}:"

    def _print_message(self, message: StoredMessage, *, edited: bool) -> None:
        lines = (message.text or "").splitlines() or [""]
        if message.content_type != "text":
            name = (message.data.get("document") or {}).get("file_name")
            lines.insert(0, f"[{message.content_type}{': ' + name if name else ''}]")
        if message.chat_id == self.chat_id:
            print(f"{self._lead(message, '(edited)' if edited else '')} {lines[0]}".rstrip())
            body = lines[1:]
        else:
            print(self._lead(message, "(edited)" if edited else ""))
            body = lines
        for line in body:
            print(f"   {line}".rstrip())
        # The message's number goes with its buttons: `:press #N BUTTON` presses them later.
        number = 0
        for index, row in enumerate(message.buttons):
            labels = []
            for text, _ in row:
                number += 1
                labels.append(f"[{number}] {text}")
            tag = f"#{message.message_id}" if index == 0 else " " * len(f"#{message.message_id}")
            print(f"  {tag}  " + "   ".join(labels))

    # --- input ---------------------------------------------------------------------------

    async def handle(self, line: str) -> bool:
        """Act on one typed line; False means quit. A line ending in a backslash goes on
        on the next line: the lines are sent as one message."""
        line = line.strip()
        if line.endswith(CONTINUE):
            self._continued.append(line[: -len(CONTINUE)].rstrip())
            return True
        text = "\n".join([*self._continued, line]).strip()
        multi_line, self._continued = bool(self._continued), []
        if not text:
            return True
        self.busy = True
        try:
            if multi_line:
                await self._send(text=text)
            elif text.startswith(":"):
                return await self._command(text)
            elif text.isascii() and text.isdigit():
                await self._press(int(text))
            else:
                await self._send(text=text)
            return True
        except (KeyError, ValueError) as exc:  # the emulator refusing an odd input
            print(f"(演示出错 / demo error: {exc})")
            return True
        finally:
            self.busy = False

    async def _send(self, text: str | None = None, **media: Any) -> None:
        update = self.emu.push_message(self.chat_id, self.user_id, text, **media)
        await self._settle(update.update_id)

    async def _command(self, line: str) -> bool:
        name, _, arg = line[1:].partition(" ")
        arg = arg.strip()
        match name.lower():
            case "quit" | "exit" | "q":
                return False
            case "help" | "h" | "?":
                print(HELP)
            case "as":
                self._switch_user(arg)
            case "group":
                await self._to_group()
            case "private":
                self.chat_id = self.user_id
                print("(回到私聊 / back to the private chat)")
            case "photo":
                await self._send(photo=True, caption=arg or None)
            case "voice":
                await self._send(voice=True)
            case "location":
                await self._send(location=_location(arg))
            case "say" if arg:
                await self._send(text=arg)
            case "say":
                print("用法 / usage: :say <文字 text>")
            case "press":
                await self._press_command(arg)
            case "lang":
                await self._lang(arg)
            case "wait":
                await self._wait(arg)
            case "users" | "who":
                for user_id, user_name in self.community.names.items():
                    role = self.community.roles.get(user_id, "")
                    print(f"  {user_id:>7}  {user_name}  {role}")
            case _:
                word = line.split()[0]
                print(f"未知命令 / unknown command {word!r} — :help 查看命令 / lists the commands")
        return True

    def _switch_user(self, arg: str) -> None:
        target = ALIASES.get(arg.lower())
        if target is None and arg.isascii() and arg.isdigit():
            target = int(arg)
        if target is None:
            target = next((uid for uid, n in self.community.names.items() if n == arg), None)
        if target is None:
            print("用法 / usage: :as resident|chief|gridchief|admin|<telegram id>|<名字>")
            return
        if target not in self.community.names:
            self.community.names[target] = f"居民{target}"
            self.emu.add_user(target, self.community.names[target])
        private = self.chat_id > 0
        self.user_id = target
        if private:
            self.chat_id = target
        role = self.community.roles.get(target)
        who = f"{self.community.names[target]} · {role}" if role else self.community.names[target]
        print(f"(现在你是 / you are now {who})")

    async def _to_group(self) -> None:
        grid = await self._grid_of(self.user_id)
        groups = self.community.groups
        chat_id = groups.get(grid or "", next(iter(groups.values()), None))
        if chat_id is None:
            print("(没有网格群 / no grid groups)")
            return
        self.chat_id = chat_id
        note = ""
        async with self.app.sessionmaker() as session:
            if await binding_for_chat(session, chat_id) is None:
                note = " — 尚未绑定, 网格长可发 /bind / not bound yet: a grid chief can /bind it"
        print(f"(进入 / entering {self.community.titles[chat_id]}{note})")

    async def _grid_of(self, user_id: int) -> str | None:
        """The grid whose group `:group` opens: the chief's own, or where the resident lives."""
        if user_id in self.community.chief_grids:
            return self.community.chief_grids[user_id]
        async with self.app.sessionmaker() as session:
            resident = await session.scalar(select(Resident).where(Resident.telegram_id == user_id))
            if resident is None or resident.building_id is None:
                return None
            building = await session.get(Building, resident.building_id)
            grid = await session.get(Grid, building.grid_id) if building is not None else None
            return grid.name if grid is not None else None

    def _keyboard_message(self) -> StoredMessage | None:
        """The latest message here with buttons one can press."""
        for message in reversed(self.emu.messages(self.chat_id)):
            if self._pressable(message):
                return message
        return None

    def _pressable(self, message: StoredMessage) -> bool:
        """Buttons one can press: inline ones, or the reply keyboard shown now."""
        if message.deleted or not message.from_bot:
            return False
        kind = message.keyboard_kind
        shown = self.emu.reply_keyboard(self.chat_id)
        return kind == "inline" or (kind == "reply" and message.reply_markup == shown)

    async def _press(self, number: int) -> None:
        message = self._keyboard_message()
        if message is None:
            print("(这里没有按钮 / no buttons here — :say N 发送数字 / sends the number as text)")
            return
        await self._press_button(message, str(number))

    async def _press_command(self, arg: str) -> None:
        """`:press [#MESSAGE] BUTTON`: BUTTON is a number or a part of the button's text;
        without MESSAGE, the latest message here with such a button."""
        first, _, rest = arg.partition(" ")
        number = parse_int(first.removeprefix("#"), low=1)
        if number is not None and rest.strip():
            try:
                message = self.emu.message(self.chat_id, number)
            except KeyError:
                message = None
            if message is None or not self._pressable(message):
                print(f"(这里没有带按钮的消息 #{number} / no message #{number} with buttons here)")
                return
            await self._press_button(message, rest.strip())
            return
        if not arg:
            print("用法 / usage: :press [#消息 message] 按钮 button — e.g. :press 7 2, :press 通过")
            return
        for message in reversed(self.emu.messages(self.chat_id)):
            if self._pressable(message) and any(
                arg in text for row in message.buttons for text, _ in row
            ):
                await self._press_button(message, arg)
                return
        print(f"(没有按钮「{arg}」/ no button {arg!r} here)")

    async def _press_button(self, message: StoredMessage, which: str) -> None:
        """Press button `which` (its number, or a part of its text) of `message`."""
        markup = message.reply_markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        buttons = [b if isinstance(b, dict) else {"text": b} for row in rows for b in row]
        number = parse_int(which, low=1)
        if number is None:
            found = [i for i, b in enumerate(buttons, 1) if which in str(b.get("text", ""))]
            number = found[0] if found else None
        if number is None or not 1 <= number <= len(buttons):
            print(f"(没有按钮 {which} / no button {which}: 1–{len(buttons)})")
            return
        button = buttons[number - 1]
        if "callback_data" in button:
            update = self.emu.push_callback(self.user_id, message, button["callback_data"])
            await self._settle(update.update_id)
        elif "url" in button:
            await self._open_url(button["url"])
        elif markup.get("keyboard") is not None:
            if button.get("request_location"):
                await self._send(location=DEFAULT_LOCATION)
            elif button.get("request_contact"):
                name = self.community.names.get(self.user_id, "")
                await self._send(contact=("+8613800000000", name))
            else:
                await self._send(text=str(button.get("text", "")))
        else:
            print("(演示不支持这种按钮 / this kind of button is not supported in the demo)")

    async def _lang(self, code: str) -> None:
        """Choose the language as the user would: /lang, then its button."""
        if code not in ("zh", "en"):
            print("用法 / usage: :lang zh|en")
            return
        if self.chat_id != self.user_id:
            print("(:lang 在私聊中使用 / :lang works in the private chat — :private)")
            return
        await self._send(text="/lang")
        menu = self.emu.last_message(self.chat_id)
        if menu is None or not any(data == f"lg:{code}" for row in menu.buttons for _, data in row):
            return
        update = self.emu.push_callback(self.user_id, menu, f"lg:{code}")
        await self._settle(update.update_id)

    async def _wait(self, arg: str) -> None:
        """Wait `arg` seconds (5 by default), printing what the bot sends meanwhile."""
        seconds = parse_int(arg, low=1, high=int(MAX_WAIT)) if arg else 5
        if seconds is None:
            print(f"用法 / usage: :wait [1–{MAX_WAIT:g} 秒 seconds]")
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while loop.time() < deadline:
            await asyncio.sleep(min(0.1, max(deadline - loop.time(), 0.0)))
            self.flush()

    async def _open_url(self, url: str) -> None:
        print(f"↗ {url}")
        link = DEEP_LINK.match(url)
        if link is None:
            return
        self.chat_id = self.user_id
        print(f"(打开私聊 / opening the private chat: /start {link['payload']})")
        await self._send(text=f"/start {link['payload']}")

    async def watch(self) -> None:
        """Print what the bot sends on its own (scheduled jobs) while the user types."""
        while True:
            await asyncio.sleep(0.3)
            if not self.busy:
                self.flush()


def _first_line(text: str | None) -> str:
    return (text or "").split("\n", 1)[0]


def _location(arg: str) -> tuple[float, float]:
    parts = arg.replace(",", " ").split()
    if len(parts) == 2:
        with contextlib.suppress(ValueError):
            return float(parts[0]), float(parts[1])
    return DEFAULT_LOCATION


def _sample_rows() -> list[StructureRow]:
    """The sample community shipped in the `examples` package."""
    text = (importlib.resources.files("linli.examples") / "community.csv").read_text(
        encoding="utf-8"
    )
    return parse_structure_csv(text)


def _database_path(directory: Path, keep: bool) -> Path:
    """`<directory>/linli.db`, removed first unless `keep`."""
    directory.mkdir(parents=True, exist_ok=True)
    path = (directory / "linli.db").resolve()
    if not keep:
        for suffix in ("", "-wal", "-shm", "-journal"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    return path


async def _prepare_database(url: str, rows: list[StructureRow]) -> None:
    """Migrate the demo database and import the sample community (both idempotent)."""
    engine = create_engine(url)
    try:
        await upgrade(engine, "heads")
        async with create_sessionmaker(engine)() as session:
            await import_structure(session, rows)
            await seed_sample_unit(session)
    finally:
        await engine.dispose()


async def _start_bot(app: App, shell: DemoShell) -> asyncio.Task[None]:
    """Start long polling, with the dispatcher telling the shell when an update is done."""
    dp = app.dp
    original = dp.feed_update

    async def feed_update(bot: Bot, update: Update, **kwargs: Any) -> Any:
        try:
            return await original(bot, update, **kwargs)
        finally:
            shell.mark_handled(update.update_id)

    dp.feed_update = feed_update  # type: ignore[method-assign]
    started = asyncio.Event()
    dp.startup.register(started.set)
    polling = asyncio.create_task(app.start_polling(handle_signals=False))
    ready = asyncio.create_task(started.wait())
    await asyncio.wait({polling, ready}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
    ready.cancel()
    if polling.done():
        polling.result()
        raise RuntimeError("the bot stopped while starting")
    if not started.is_set():
        raise RuntimeError("the bot did not start within 10 s")
    return polling


async def _stop_bot(app: App, polling: asyncio.Task[None] | None) -> None:
    if polling is not None and not polling.done():
        with contextlib.suppress(RuntimeError):
            await app.dp.stop_polling()
        try:
            await asyncio.wait_for(asyncio.shield(polling), 5)
        except (TimeoutError, asyncio.CancelledError):
            polling.cancel()
            with contextlib.suppress(BaseException):
                await polling
    await app.close()


async def _interactive(shell: DemoShell) -> int:
    """A prompt_toolkit prompt; replies the bot sends on its own show up above it."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.patch_stdout import patch_stdout

    session: PromptSession[str] = PromptSession()
    with patch_stdout():
        watcher = asyncio.create_task(shell.watch())
        try:
            while True:
                try:
                    line = await session.prompt_async(shell.prompt)
                except KeyboardInterrupt:
                    return 130
                except EOFError:
                    return 0
                if not await shell.handle(line):
                    return 0
        finally:
            watcher.cancel()


async def _scripted(shell: DemoShell) -> int:
    """Lines from a pipe or a file, each echoed after the prompt; EOF ends the demo."""
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[str | None] = asyncio.Queue()

    def read() -> None:
        try:
            for line in sys.stdin:
                loop.call_soon_threadsafe(lines.put_nowait, line)
            loop.call_soon_threadsafe(lines.put_nowait, None)
        except RuntimeError:  # the loop closed first (:quit before EOF)
            return

    threading.Thread(target=read, name="linli-demo-stdin", daemon=True).start()
    # What the bot sends on its own (scheduled jobs, the outbox) shows up while the pipe is
    # quiet, too.
    watcher = asyncio.create_task(shell.watch())
    try:
        while (line := await lines.get()) is not None:
            line = line.rstrip("\r\n")
            print(f"{shell.prompt}{line}", flush=True)
            if not await shell.handle(line):
                return 0
        await shell.drain(FINAL_QUIET, HANDLE_TIMEOUT)  # deliveries still in the outbox
        return 0
    finally:
        watcher.cancel()


async def _demo(url: str) -> int:
    rows = _sample_rows()
    await _prepare_database(url, rows)
    emu = BotAPIEmulator(bot_username=BOT_USERNAME, bot_first_name="邻里")
    await emu.start()
    app: App | None = None
    polling: asyncio.Task[None] | None = None
    cockpit = None
    try:
        community = Community.from_rows(rows)
        community.populate(emu)
        settings = Settings(
            bot_token=DEMO_TOKEN,
            database_url=url,
            telegram_api_url=emu.base_url,
            redis_url=None,
            admin_ids=[ADMIN_ID],
            polling_timeout=1,
            web=demo_web_settings(),
            _env_file=None,  # type: ignore[call-arg]
        )
        app = create_app(settings)
        shell = DemoShell(emu, app, community)
        polling = await _start_bot(app, shell)
        cockpit = await start_demo_cockpit(settings, app.sessionmaker, app.translator, ADMIN_ID)
        print(BANNER, end="\n\n", flush=True)
        if sys.stdin.isatty() and sys.stdout.isatty():
            return await _interactive(shell)
        return await _scripted(shell)
    finally:
        if cockpit is not None:
            await cockpit.cleanup()
        if app is not None:
            await _stop_bot(app, polling)
        await emu.stop()


def run_demo(directory: Path, *, keep: bool = False) -> int:
    """`linli demo`: 0 at `:quit` or end of input, 130 on Ctrl-C."""
    setup_logging("WARNING", (DEMO_TOKEN,))
    url = f"sqlite+aiosqlite:///{_database_path(directory, keep)}"
    try:
        return asyncio.run(_demo(url))
    except KeyboardInterrupt:
        print()
        return 130
