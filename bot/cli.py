"""The `linli` command line."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from linli.config import ConfigError, Settings, load_settings, webhook_config


def _fail(message: str, code: int = 2) -> int:
    from linli.bot.logging import redact

    print(f"linli: {redact(message)}", file=sys.stderr)
    return code


async def _upgrade(settings: Settings) -> None:
    from linli.models.db import create_engine
    from linli.models.migrate import upgrade

    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine, "heads")
    finally:
        await engine.dispose()


def _run_loop(main: Coroutine[Any, Any, None], *, fast: bool) -> None:
    """`asyncio.run`, on uvloop where it is installed and `fast` (docs/benchmarks.md)."""
    if fast:
        try:
            import uvloop
        except ImportError:
            pass
        else:
            with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
                runner.run(main)
            return
    asyncio.run(main)


async def _run(settings: Settings, *, webhook: bool) -> None:
    from linli.bot.app import create_app

    await _upgrade(settings)
    app = create_app(settings, webhook=webhook)
    cockpit = None
    if settings.web.port:  # the web cockpit beside the bot, on the bot's database pool
        from linli.web import start_web

        cockpit = await start_web(settings, app.sessionmaker, app.translator)
    try:
        if webhook:
            from linli.bot.webhook import serve_webhook

            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, stop.set)
            await serve_webhook(app, stop)
        else:
            await app.start_polling()
    finally:
        if cockpit is not None:
            await cockpit.cleanup()
        await app.close()


async def _send_only(settings: Settings) -> None:
    """`linli sender`: a process that only delivers the outbox, until SIGINT or SIGTERM."""
    from linli.bot.app import create_app

    app = create_app(settings.model_copy(update={"scheduler_enabled": False}))
    assert app.sender is not None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await app.sender.start()
    print(f"sender ready {app.sender.instance}", flush=True)
    try:
        await stop.wait()
    finally:
        await app.sender.stop()
        await app.close()


def _import_structure(settings: Settings, path: Path, community: str | None) -> int:
    from linli.models.db import create_engine, create_sessionmaker
    from linli.services.structure import (
        DEFAULT_COMMUNITY,
        ImportReport,
        StructureImportError,
        import_structure,
        parse_structure_csv,
    )

    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        return _fail(f"{path}: {exc.strerror}", 1)
    except UnicodeDecodeError:
        return _fail(f"{path}: not UTF-8 text (save the CSV as UTF-8)", 1)
    try:
        rows = parse_structure_csv(text, community or DEFAULT_COMMUNITY)
    except StructureImportError as exc:
        for line in exc.errors:
            print(f"{path}: {line}", file=sys.stderr)
        print("linli: nothing was imported", file=sys.stderr)
        return 1

    async def _apply() -> ImportReport:
        await _upgrade(settings)
        engine = create_engine(settings.database_url)
        try:
            async with create_sessionmaker(engine)() as session:
                return await import_structure(session, rows)
        finally:
            await engine.dispose()

    report = asyncio.run(_apply())
    print(
        f"imported {path}: {report.communities} new communities, {report.grids} new grids, "
        f"{report.buildings} new buildings, {report.chiefs} chiefs set"
        + ("" if report.changed else " (nothing changed)")
    )
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="linli", description="Linli (邻里) community bot")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the bot (long polling)")
    run.add_argument(
        "--webhook", action="store_true", help="serve a webhook instead of long polling"
    )
    run.add_argument(
        "--no-scheduler",
        action="store_true",
        help="do not run scheduled jobs here (every process but one, when there are several)",
    )
    sub.add_parser(
        "sender", help="only deliver the outbox (an extra sender process; no updates, no jobs)"
    )
    db = sub.add_parser("db", help="database migrations")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply all migrations")
    db_sub.add_parser("current", help="show the applied revision")
    structure = sub.add_parser("structure", help="grids, buildings and chiefs")
    structure_sub = structure.add_subparsers(dest="structure_command", required=True)
    imp = structure_sub.add_parser("import", help="import a CSV file")
    imp.add_argument("file", type=Path)
    imp.add_argument("--community", help="community name when the file has no such column")
    backup = sub.add_parser("backup", help="copy the SQLite database while the bot runs")
    backup.add_argument("path", type=Path)
    restore = sub.add_parser("restore", help="replace the SQLite database with a backup")
    restore.add_argument("path", type=Path)
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    web = sub.add_parser("web", help="serve the web cockpit on WEB_HOST:WEB_PORT")
    web.add_argument("--port", type=int, help="listen on this port instead of WEB_PORT")
    demo = sub.add_parser("demo", help="the real bot on a built-in Bot API emulator")
    demo.add_argument("--dir", type=Path, default=Path("demo"), help="where the demo data lives")
    demo.add_argument("--keep", action="store_true", help="keep the previous demo database")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "demo":
            from linli.bot.demo import run_demo

            return run_demo(args.dir, keep=args.keep)
        settings = load_settings()
        from linli.bot.logging import setup_logging

        secrets = (settings.bot_token.get_secret_value(),) if settings.bot_token else ()
        setup_logging(settings.log_level, secrets, settings.log_format)
        if args.command == "run":
            settings.token()
            if args.no_scheduler:
                settings = settings.model_copy(update={"scheduler_enabled": False})
            if args.webhook:
                webhook_config(settings)
            _run_loop(_run(settings, webhook=args.webhook), fast=settings.uvloop)
        elif args.command == "web":
            from linli.web.app import serve_forever

            asyncio.run(_upgrade(settings))
            asyncio.run(serve_forever(settings, args.port))
        elif args.command == "sender":
            asyncio.run(_send_only(settings))
        elif args.command == "db":
            if args.db_command == "upgrade":
                asyncio.run(_upgrade(settings))
                print("database is up to date")
            else:
                from linli.models.db import create_engine
                from linli.models.migrate import current_revision

                async def _current() -> str | None:
                    engine = create_engine(settings.database_url)
                    try:
                        return await current_revision(engine)
                    finally:
                        await engine.dispose()

                print(asyncio.run(_current()) or "(empty database)")
        elif args.command == "backup":
            from linli.models.backup import backup

            backup(settings.database_url, args.path)
            print(f"backup written to {args.path}")
        elif args.command == "restore":
            from linli.models.backup import restore, sqlite_path

            target = sqlite_path(settings.database_url)
            if not args.yes:
                answer = input(f"Replace {target} with {args.path}? Stop the bot first. [y/N] ")
                if answer.strip().lower() not in ("y", "yes"):
                    print("nothing was changed")
                    return 1
            restore(settings.database_url, args.path)
            print(f"restored {target} from {args.path}")
        elif args.command == "structure":
            return _import_structure(settings, args.file, args.community)
    except ConfigError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except (OSError, ValueError, RuntimeError) as exc:
        return _fail(str(exc), 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
