"""`roviec official deactivate|move|standin`: the operator follows the province's staff changes."""

from __future__ import annotations

import argparse
from datetime import date

from bot.app import App
from bot.services.people import roster, standins
from db.models import Role


def add_parsers(official: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The staff-change subcommands of `roviec official`."""
    deactivate = official.add_parser(
        "deactivate", help="take an official off the roster (accounts unbound, codes revoked)"
    )
    deactivate.add_argument("official", type=int, help="official id")
    move = official.add_parser("move", help="move an official to another unit or role")
    move.add_argument("official", type=int, help="official id")
    move.add_argument("--unit", required=True, help="code of the new unit")
    move.add_argument("--role", choices=[r.value for r in Role])
    standin = official.add_parser(
        "standin", help="someone receives the official's notices for a period"
    )
    standin.add_argument("official", type=int, help="official id of the one away")
    standin.add_argument("--by", type=int, required=True, help="official id of the stand-in")
    standin.add_argument("--from", dest="first", type=_day, required=True, help="YYYY-MM-DD")
    standin.add_argument("--to", dest="last", type=_day, required=True, help="YYYY-MM-DD")


def _day(text: str) -> date:
    """A calendar date as YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (e.g. 2026-12-07)") from None


async def run(app: App, args: argparse.Namespace) -> bool:
    """Carry out a staff-change subcommand; False when `args` is not one."""
    now = app.clock()
    command = args.official_command
    if command == "deactivate":
        async with app.db.transaction() as session:
            change = await roster.deactivate(session, args.official, now)
        print(
            f"official {args.official} deactivated: {change.accounts} account(s) unbound, "
            f"{change.codes} code(s) revoked, {len(change.released)} assignment(s) back to "
            f"the focal officers of {change.unit_code}"
        )
    elif command == "move":
        async with app.db.transaction() as session:
            change = await roster.move(
                session, args.official, unit_code=args.unit, role=args.role, now=now
            )
        print(
            f"official {args.official} is now {change.official.role} of {change.unit_code}; "
            f"{len(change.released)} assignment(s) back to their unit's focal officers"
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
            f"from {period.first_day} to {period.last_day} (inclusive) the notices of official "
            f"{period.official_id} go to official {period.stand_in_id}"
        )
    else:
        return False
    return True
