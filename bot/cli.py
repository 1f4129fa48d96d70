"""The `roviec` command: run the bot, chat in the console, load the demo, operate."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.exc import DBAPIError

from bot import logs, roster_commands
from bot.app import App, chat_console, health_of, open_app, serve, stop_on_signals
from bot.config import SUPPORTED_LOCALES, Settings, SettingsError, load_settings
from bot.health_report import describe_health
from bot.i18n import N_, Translator
from bot.retries import Refused, keep_trying
from bot.services.dates.periods import Regime
from bot.services.people import accounts, directory
from bot.services.people.directory import DirectoryError
from db.backup import BackupError, back_up, restore, sqlite_file
from db.engine import Database
from db.instance import AlreadyRunning, instance_lock, lock_path
from db.migrate import known_revisions
from db.models import Role, UnitKind

EXIT_USAGE = 2
EXIT_FAILURE = 1


def _parser(t: Translator) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="roviec", description=t._("Đề án 06 working-group bot"))
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "run", help=t._("serve Telegram; without a token, try the demo in the console")
    )
    chat = commands.add_parser("chat", help=t._("talk to the bot in this terminal"))
    chat.add_argument(
        "--official", type=int, help=t._("sign in as this official (id) via an invitation")
    )
    commands.add_parser("demo", help=t._("load the demo province and print invitation codes"))
    db = commands.add_parser("db", help=t._("database")).add_subparsers(
        dest="db_command", required=True
    )
    db.add_parser("upgrade", help=t._("apply migrations"))
    unit = commands.add_parser("unit", help=t._("units")).add_subparsers(
        dest="unit_command", required=True
    )
    unit_add = unit.add_parser("add", help=t._("add a unit"))
    unit_add.add_argument("code", help=t._("the unit's code, e.g. SYT"))
    unit_add.add_argument("name", help=t._("the unit's name"))
    unit_add.add_argument("--kind", choices=[k.value for k in UnitKind], default="department")
    unit_add.add_argument("--parent", help=t._("code of the parent unit"))
    official = commands.add_parser("official", help=t._("officials")).add_subparsers(
        dest="official_command", required=True
    )
    official_add = official.add_parser("add", help=t._("add an official"))
    official_add.add_argument("name", help=t._("the official's full name"))
    official_add.add_argument("--role", choices=[r.value for r in Role], required=True)
    official_add.add_argument("--unit", required=True, help=t._("unit code"))
    official_add.add_argument("--title", default="", help=t._("title, e.g. Phó Giám đốc"))
    official_add.add_argument("--locale", choices=["vi", "en"], help=t._("the bot's language"))
    roster_commands.add_parsers(official, t)
    jobs = commands.add_parser("jobs", help=t._("scheduled jobs")).add_subparsers(
        dest="jobs_command", required=True
    )
    jobs.add_parser("list", help=t._("name, schedule and next run of every job"))
    run_job = jobs.add_parser("run", help=t._("run a job now; its messages go to the outbox"))
    run_job.add_argument("name", help=t._("the job's name (roviec jobs list)"))
    run_job.add_argument(
        "--now", type=_instant_reader(t), help=t._("run as of this ISO-8601 instant")
    )
    run_job.add_argument(
        "--deliver",
        action="store_true",
        help=t._("also deliver the outbox from this process (no bot running)"),
    )
    invite = commands.add_parser("invite", help=t._("issue a one-time invitation code"))
    invite.add_argument("official", type=int, help=t._("official id"))
    template = commands.add_parser(
        "template", help=t._("write the Excel template for a plan import")
    )
    template.add_argument("file", help=t._("the .xlsx file to write"))
    import_ = commands.add_parser("import", help=t._("import a whole plan from an Excel file"))
    import_.add_argument("file", help=t._("a filled-in template (.xlsx)"))
    import_.add_argument(
        "--dry-run",
        action="store_true",
        help=t._("show what the file would change; write nothing"),
    )
    commands.add_parser("health", help=t._("what an operator needs to know; non-zero on a problem"))
    backup = commands.add_parser(
        "backup", help=t._("copy the database while the bot runs (SQLite)")
    )
    backup.add_argument("file", help=t._("the backup file to write (must not exist)"))
    restore = commands.add_parser("restore", help=t._("replace the database by a checked backup"))
    restore.add_argument("file", help=t._("a file written by roviec backup"))
    export = commands.add_parser("export", help=t._("write the tracking table to an Excel file"))
    export.add_argument("file", help=t._("the .xlsx file to write"))
    export.add_argument("--period", choices=[r.value for r in Regime], help=t._("reporting period"))
    return parser


def _instant_reader(t: Translator) -> Callable[[str], datetime]:
    """A reader of ISO-8601 instants whose refusal speaks the operator's language."""

    def read(text: str) -> datetime:
        """An ISO-8601 instant; without an offset it is read in UTC."""
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                t._(
                    "not an ISO-8601 instant: '{text}' (e.g. 2026-12-07T08:00+07:00)",
                    text=text,
                )
            ) from None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    return read


def operator_translator(settings: Settings | None) -> Translator:
    """The deployment's language (ROVIEC_LOCALE, Vietnamese by default) for the operator;
    read from the environment alone when the settings themselves are wrong."""
    if settings is not None:
        return Translator(settings.locale, settings.zone)
    return Translator(os.environ.get("ROVIEC_LOCALE", SUPPORTED_LOCALES[0]), ZoneInfo("UTC"))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    try:
        settings: Settings | None = load_settings()
        problem = None
    except SettingsError as error:
        settings, problem = None, error
    t = operator_translator(settings)
    args = _parser(t).parse_args(argv)
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
        await _try_in_console(app)
    elif args.command == "chat":
        first = []
        if args.official is not None:
            async with app.db.transaction() as session:
                await directory.official_with_unit(session, args.official)
                first = [
                    f"/start {await accounts.issue_invitation(session, args.official, now, ttl)}"
                ]
        await chat_console(app, first=first)
    elif args.command == "demo":
        await _demo(app, ttl)
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
    elif args.command == "official" and await roster_commands.run(app, args, t):
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
        return await _jobs(app, args)
    elif args.command in ("template", "import", "export"):
        return await _workbook(app, args)
    elif args.command == "invite":
        async with app.db.transaction() as session:
            official, unit = await directory.official_with_unit(session, args.official)
            code = await accounts.issue_invitation(session, args.official, now, ttl)
        print(f"{official.name} — {unit.name}")
        print(t._("code: {code}", code=code))
        link = f"https://t.me/{await _bot_username(app)}?start={code}"
        print(t._("link: {link}", link=link))
        hours = app.settings.invite_ttl_hours
        print(t.n_("valid for {count} hour, once", "valid for {count} hours, once", hours))
    return 0


async def _jobs(app: App, args: argparse.Namespace) -> int:
    ticker = app.ticker()
    now = app.clock()
    t = operator_translator(app.settings)
    if args.jobs_command == "list":
        for job in ticker.jobs.values():
            upcoming = job.trigger.get_next_fire_time(None, now)
            shown = upcoming.astimezone(app.settings.zone).isoformat() if upcoming else "—"
            told = t._("next: {when}", when=shown)
            print(f"{job.name:<10} {job.trigger}  {told}  ({t._(job.description)})")
        return 0
    if args.name not in ticker.jobs:
        print(
            t._(
                "roviec: no job '{name}'; jobs: {jobs}", name=args.name, jobs=", ".join(ticker.jobs)
            ),
            file=sys.stderr,
        )
        return EXIT_USAGE
    queued = await ticker.run(args.name, args.now or now)
    # Computed as of --now, queued to go at once; a second run finds nothing new.
    print(t._("{name}: {count} new message(s) queued", name=args.name, count=queued or 0))
    if args.deliver:
        delivered = await _deliver(app)
        print(t._("delivered {count} message(s)", count=delivered))
    return 0


async def _workbook(app: App, args: argparse.Namespace) -> int:
    """Excel in and out: the import template, a plan import, the tracking table."""
    from pathlib import Path

    from bot import plan_report
    from bot.services.export import workbook as export
    from bot.services.plan import importing as plan_import
    from bot.services.plan import template as plan_template

    path, now, today = Path(args.file), app.clock(), app.today()
    t = operator_translator(app.settings)
    try:
        if args.command == "import":
            for line in await plan_report.import_file(app, path.read_bytes(), args.dry_run, t):
                print(line)
        elif args.command == "template":
            async with app.db.read() as session:
                units = await plan_template.template_units(session)
            path.write_bytes(plan_template.template(today=today, units=units))
            print(t._("plan import template written: {file}", file=path))
        else:
            regime = Regime(args.period) if args.period else None
            async with app.db.transaction() as session:
                made = await export.export(
                    session, now=now, today=today, zone=app.settings.zone, regime=regime
                )
                path.write_bytes(made.data)  # inside: a failed write leaves no audit entry
            print(
                t.n_(
                    "{file} written: {count} tracking row",
                    "{file} written: {count} tracking rows",
                    made.assignments,
                    file=path,
                )
            )
    except plan_import.PlanImportError as error:
        for issue in error.issues:
            print(f"roviec: {issue}", file=sys.stderr)
        print(
            t.n_(
                "roviec: {count} error, nothing imported",
                "roviec: {count} errors, nothing imported",
                len(error.issues),
            ),
            file=sys.stderr,
        )
        return EXIT_USAGE
    except OSError as error:
        print(f"roviec: {path}: {error.strerror or error}", file=sys.stderr)
        return EXIT_USAGE
    return 0


async def _deliver(app: App) -> int:
    """Drain the outbox through Telegram from this process."""
    token = app.settings.telegram_token
    if token is None:
        raise DirectoryError(N_("--deliver needs ROVIEC_TELEGRAM_TOKEN"))
    from bot.channels.telegram import TelegramChannel, build_application

    settings = app.settings
    application = build_application(
        token.get_secret_value(),
        settings.telegram_api_url,
        settings.telegram_file_url,
    )
    async with application:
        app.channels["telegram"] = TelegramChannel(application)
        return await app.dispatcher.drain()


async def _demo(app: App, ttl: timedelta) -> None:
    from bot import demo

    async with app.db.transaction() as session:
        if not await demo.is_loaded(session):
            await demo.load(session, now=app.clock(), today=app.today())
        invited = await demo.invite_everyone(session, now=app.clock(), ttl=ttl)
    for person in invited:
        print(
            f"{person.official_id:>3}  {person.name:<28} {person.role:<9} {person.unit:<40} "
            f"{person.code}"
        )


async def _try_in_console(app: App) -> None:
    """No token: load the demo if the database is empty and sign in as a demo focal officer."""
    from bot import demo

    now = app.clock()
    async with app.db.transaction() as session:
        if not await demo.is_loaded(session):
            await demo.load(session, now=now, today=app.today())
        people = [
            (o, u)
            for o, u in await directory.officials(session)
            if o.role == Role.FOCAL and u.kind == UnitKind.DEPARTMENT
        ]
        official, unit = people[0]
        code = await accounts.issue_invitation(
            session, official.id or 0, now, timedelta(hours=app.settings.invite_ttl_hours)
        )
    t = Translator(app.settings.locale, app.settings.zone)
    print(
        t._(
            "ROVIEC_TELEGRAM_TOKEN is not set: you are trying the bot in this terminal with "
            "the demo province, as {name} ({unit}).",
            name=official.name,
            unit=unit.name,
        )
    )
    print(
        t._(
            "Type a command (/nhiemvu, /baocao, /trogiup), a number to choose, @file.pdf to "
            "attach a file; Ctrl-D to leave."
        )
        + "\n"
    )
    await chat_console(app, first=[f"/start {code}"])


async def _bot_username(app: App) -> str:
    """The bot's @username for deep links (asks Telegram when a token is set)."""
    if app.settings.telegram_token is None:
        return "<bot>"
    from bot.channels.telegram import build_application

    application = build_application(
        app.settings.telegram_token.get_secret_value(),
        app.settings.telegram_api_url,
        app.settings.telegram_file_url,
    )
    async with application.bot as bot:
        return bot.username


if __name__ == "__main__":
    raise SystemExit(main())
