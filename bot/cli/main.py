"""The `roviec` command: run the bot, chat in the console, load the demo, operate."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from bot import logs
from bot.app import App, health_of, open_app, serve, stop_on_signals
from bot.cli import commands, roster
from bot.cli.parser import build_parser
from bot.cli.voice import EXIT_FAILURE, EXIT_USAGE, operator_translator
from bot.config import Settings, SettingsError, load_settings
from bot.health_report import describe_health
from bot.i18n import Translator
from bot.retries import Refused, keep_trying
from bot.services.people import accounts, directory
from bot.services.people.directory import DirectoryError
from db.backup import BackupError, back_up, restore, sqlite_file
from db.engine import Database
from db.instance import AlreadyRunning, instance_lock, lock_path
from db.migrate import known_revisions


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    try:
        settings: Settings | None = load_settings()
        problem = None
    except SettingsError as error:
        settings, problem = None, error
    t = operator_translator(settings)
    args = build_parser(t).parse_args(argv)
    # Serving logs what it does; one-shot commands print only their result or one error line.
    level = logging.INFO if args.command == "run" else logging.WARNING
    if settings is None:
        print(t._("roviec: configuration error: {error}", error=problem), file=sys.stderr)
        return EXIT_USAGE
    logs.configure(level, settings.log_format)
    if args.command in ("backup", "restore"):
        return _backup_or_restore(args, settings)
    try:
        if args.command == "health":
            return asyncio.run(_health(settings))
        return asyncio.run(_dispatch(args, settings))
    except DirectoryError as error:
        print("roviec: " + t._(error.message, **error.values), file=sys.stderr)
        return EXIT_USAGE
    except (OSError, DBAPIError) as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        print(
            t._(
                "roviec: cannot use the database {url}: {reason}",
                url=settings.database_url,
                reason=reason,
            ),
            file=sys.stderr,
        )
        return EXIT_FAILURE
    except AlreadyRunning as error:
        print(_already_running(t, error), file=sys.stderr)
        return EXIT_FAILURE
    except Refused as error:
        print(f"roviec: {error}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130


def _already_running(t: Translator, error: AlreadyRunning) -> str:
    """The one line a second instance on one SQLite file says."""
    return t._(
        "roviec: another roviec instance is already running on {database}; stop it first "
        "(several instances need PostgreSQL)",
        database=error.database,
    )


def _backup_or_restore(args: argparse.Namespace, settings: Settings) -> int:
    """`roviec backup FILE` and `roviec restore FILE`: no engine, no migration, one line."""
    t = operator_translator(settings)
    file = Path(args.file).resolve()
    try:
        if args.command == "backup":
            size = back_up(settings.database_url, file)
            print(
                t._(
                    "backup written to {file} ({size} bytes), integrity check ok",
                    file=file,
                    size=t.number(size),
                )
            )
        else:
            revision = restore(settings.database_url, file, known_revisions())
            print(
                t._(
                    "database restored from {file} (schema {revision}); start roviec run again",
                    file=file,
                    revision=revision,
                )
            )
    except AlreadyRunning as error:
        print(_already_running(t, error), file=sys.stderr)
        return EXIT_FAILURE
    except BackupError as error:
        print(f"roviec: {error}", file=sys.stderr)
        return EXIT_FAILURE
    return 0


async def _health(settings: Settings) -> int:
    """`roviec health`: read only (no migration), one line a concern, exit 1 on a problem."""
    if (
        lock_path(settings.database_url) is not None
        and not sqlite_file(settings.database_url).exists()
    ):
        missing = sqlite_file(settings.database_url)
        t = operator_translator(settings)
        print(t._("roviec: no database at {file}", file=missing), file=sys.stderr)
        return EXIT_FAILURE
    db = Database(settings.database_url)
    try:
        now = datetime.now(UTC)
        report = await health_of(db, settings, now)
    finally:
        await db.dispose()
    for line in describe_health(report, now, operator_translator(settings)):
        print(line)
    return 0 if report.ok else EXIT_FAILURE


async def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    stop = asyncio.Event()
    if args.command == "run" and settings.has_platform:
        stop_on_signals(stop)
        app = await _open_patiently(settings, stop)
        if app is None:
            return 0
    else:
        app = await open_app(settings)
    try:
        return await _command(app, args, stop)
    finally:
        await app.db.dispose()


async def _open_patiently(settings: Settings, stop: asyncio.Event) -> App | None:
    """The app once its database server answers (None if stopped first); a SQLite file
    that cannot be opened is a mistake in the settings, said at once."""
    if lock_path(settings.database_url) is not None:
        return await open_app(settings)
    opened: list[App] = []

    async def open_once() -> None:
        opened.append(await open_app(settings))

    await keep_trying("database", open_once, stop)
    return opened[0] if opened else None


async def _command(app: App, args: argparse.Namespace, stop: asyncio.Event) -> int:
    now = app.clock()
    ttl = timedelta(hours=app.settings.invite_ttl_hours)
    t = operator_translator(app.settings)
    if args.command == "db":
        print(t._("database is at the newest schema"))
    elif args.command == "run" and app.settings.has_platform:
        with instance_lock(app.settings.database_url):
            await serve(app, stop)
    elif args.command == "run":
        await commands.try_in_console(app)
    elif args.command == "chat":
        await commands.chat(app, args.official, ttl)
    elif args.command == "demo":
        await commands.demo(app, ttl)
    elif args.command == "unit":
        async with app.db.transaction() as session:
            unit = await directory.add_unit(
                session,
                code=args.code,
                name=args.name,
                kind=args.kind,
                parent_code=args.parent,
                now=now,
            )
        print(t._("unit {id}: {code} {name}", id=unit.id, code=unit.code, name=unit.name))
    elif args.command == "official" and await roster.run(app, args, t):
        pass
    elif args.command == "official":
        async with app.db.transaction() as session:
            official = await directory.add_official(
                session,
                name=args.name,
                role=args.role,
                unit_code=args.unit,
                title=args.title,
                now=now,
                locale=args.locale,
            )
        print(
            t._(
                "official {id}: {name} ({role})",
                id=official.id,
                name=official.name,
                role=official.role,
            )
        )
    elif args.command == "jobs":
        return await commands.jobs(app, args)
    elif args.command in ("template", "import", "export"):
        return await commands.workbook(app, args)
    elif args.command == "invite":
        async with app.db.transaction() as session:
            official, unit = await directory.official_with_unit(session, args.official)
            code = await accounts.issue_invitation(session, args.official, now, ttl)
        print(f"{official.name} — {unit.name}")
        print(t._("code: {code}", code=code))
        link = f"https://t.me/{await commands.bot_username(app)}?start={code}"
        print(t._("link: {link}", link=link))
        hours = app.settings.invite_ttl_hours
        print(t.n_("valid for {count} hour, once", "valid for {count} hours, once", hours))
    return 0
