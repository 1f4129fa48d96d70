"""`roviec official deactivate|move|standin`: the operator follows the province's staff changes."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date

from bot.app import App
from bot.i18n import Translator
from bot.services.people import roster, standins
from db.models import Role


def add_parsers(
    official: argparse._SubParsersAction[argparse.ArgumentParser], t: Translator
) -> None:
    """The staff-change subcommands of `roviec official`."""
    deactivate = official.add_parser(
        "deactivate",
        help=t._("take an official off the roster (accounts unbound, codes revoked)"),
    )
    deactivate.add_argument("official", type=int, help=t._("official id"))
    move = official.add_parser("move", help=t._("move an official to another unit or role"))
    move.add_argument("official", type=int, help=t._("official id"))
    move.add_argument("--unit", required=True, help=t._("code of the new unit"))
    move.add_argument("--role", choices=[r.value for r in Role])
    standin = official.add_parser(
        "standin", help=t._("someone receives the official's notices for a period")
    )
    standin.add_argument("official", type=int, help=t._("official id of the one away"))
    standin.add_argument("--by", type=int, required=True, help=t._("official id of the stand-in"))
    day = _day_reader(t)
    standin.add_argument("--from", dest="first", type=day, required=True, help="YYYY-MM-DD")
    standin.add_argument("--to", dest="last", type=day, required=True, help="YYYY-MM-DD")


def _day_reader(t: Translator) -> Callable[[str], date]:
    """A reader of YYYY-MM-DD dates whose refusal speaks the operator's language."""

    def read(text: str) -> date:
        """A calendar date as YYYY-MM-DD."""
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                t._("not a date: '{text}' (e.g. 2026-12-07)", text=text)
            ) from None

    return read


async def run(app: App, args: argparse.Namespace, t: Translator) -> bool:
    """Carry out a staff-change subcommand; False when `args` is not one."""
    now = app.clock()
    command = args.official_command
    if command == "deactivate":
        async with app.db.transaction() as session:
            change = await roster.deactivate(session, args.official, now)
        print(
            t._(
                "official {id} deactivated: {accounts} account(s) unbound, {codes} code(s) "
                "revoked, {released} assignment(s) back to the focal officers of {unit}",
                id=args.official,
                accounts=change.accounts,
                codes=change.codes,
                released=len(change.released),
                unit=change.unit_code,
            )
        )
    elif command == "move":
        async with app.db.transaction() as session:
            change = await roster.move(
                session, args.official, unit_code=args.unit, role=args.role, now=now
            )
        print(
            t._(
                "official {id} is now {role} of {unit}; {released} assignment(s) back to "
                "their unit's focal officers",
                id=args.official,
                role=change.official.role,
                unit=change.unit_code,
                released=len(change.released),
            )
        )
    elif command == "standin":
        async with app.db.transaction() as session:
            period = await standins.add_stand_in(
                session,
                args.official,
                stand_in_id=args.by,
                first_day=args.first,
                last_day=args.last,
                zone=app.settings.zone,
                now=now,
            )
        print(
            t._(
                "from {first} to {last} (inclusive) the notices of official {id} go to "
                "official {stand_in}",
                first=period.first_day,
                last=period.last_day,
                id=period.official_id,
                stand_in=period.stand_in_id,
            )
        )
    else:
        return False
    return True
