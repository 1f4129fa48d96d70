"""The subcommands of `roviec` that work on an open app: jobs, workbooks, the demo, the
console trial and the invitation link."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path

from bot.app import App, chat_console
from bot.channels.console import NAME as CONSOLE
from bot.cli.voice import EXIT_USAGE, operator_translator
from bot.i18n import N_, Translator
from bot.services.dates.periods import Regime
from bot.services.people import accounts, directory
from bot.services.people.directory import DirectoryError
from db.models import Role, UnitKind


async def jobs(app: App, args: argparse.Namespace) -> int:
    """`roviec jobs list|run`: the schedule, or one job run now."""
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
        delivered = await deliver(app)
        print(t._("delivered {count} message(s)", count=delivered))
    return 0


async def workbook(app: App, args: argparse.Namespace) -> int:
    """Excel in and out: the import template, a plan import, the tracking table."""
    from bot.cli import plan_report
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


async def deliver(app: App) -> int:
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


async def chat(app: App, official_id: int | None, ttl: timedelta) -> None:
    """`roviec chat [--official N]`: talk to the bot here, as that official's own console
    account (signed in by an invitation the first time only)."""
    first, user_key = [], "local"
    if official_id is not None:
        user_key = f"official-{official_id}"
        async with app.db.transaction() as session:
            await directory.official_with_unit(session, official_id)
            if await accounts.identify(session, CONSOLE, user_key) is None:
                code = await accounts.issue_invitation(session, official_id, app.clock(), ttl)
                first = [f"/start {code}"]
    await chat_console(app, first=first, user_key=user_key)


async def demo(app: App, ttl: timedelta) -> None:
    """Load the demo province once and print everyone's invitation code."""
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


async def try_in_console(app: App) -> None:
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


async def bot_username(app: App) -> str:
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
