"""The `roviec` command line: its subcommands, their options and their help."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, datetime

from bot.cli import argparse_words, roster
from bot.i18n import Translator
from bot.services.dates.periods import Regime
from db.models import Role, UnitKind


def build_parser(t: Translator) -> argparse.ArgumentParser:
    """Every subcommand of `roviec`, its help in the operator's language."""
    argparse_words.speak(t)
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
    roster.add_parsers(official, t)
    jobs = commands.add_parser("jobs", help=t._("scheduled jobs")).add_subparsers(
        dest="jobs_command", required=True
    )
    jobs.add_parser("list", help=t._("name, schedule and next run of every job"))
    run_job = jobs.add_parser("run", help=t._("run a job now; its messages go to the outbox"))
    run_job.add_argument("name", help=t._("the job's name (roviec jobs list)"))
    run_job.add_argument(
        "--now", type=instant_reader(t), help=t._("run as of this ISO-8601 instant")
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


def instant_reader(t: Translator) -> Callable[[str], datetime]:
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
