"""/canbo (/staff): the standing office takes an official who left off the roster.

Unit → official → "take off the roster" → confirm; every button is stateless and checked
again when pressed (the role, the official still active, not oneself). The rest of staff
changes (moves, stand-ins, bulk import) is the operator's, from the CLI.
"""

from __future__ import annotations

from bot.channels.base import Choice
from bot.messages.payloads import STATELESS, Flow, Payload
from bot.services.people import directory, roster
from bot.services.people.directory import DirectoryError
from bot.services.people.permissions import Action, may
from handlers.choices import count_pages, page_through, stateless
from handlers.help import role_name
from handlers.turn import Turn

FLOW = Flow.STAFF
PAGE = 8


def _button(label: str, action: str, argument: int) -> Choice:
    """A stateless button of this flow carrying a number."""
    return Payload(FLOW, STATELESS, action, str(argument)).choice(label)


def _allowed(turn: Turn) -> bool:
    """Whether the person may change the roster; refused and audited otherwise."""
    if may(turn.identity.official, Action.MANAGE_STAFF):
        return True
    turn.refuse_role(
        "staff.refused",
        "manage staff",
        turn.t._("Only the standing office can change the roster of the working group."),
    )
    return False


async def show(turn: Turn, _argument: str = "") -> None:
    """The first page of units to choose from."""
    if _allowed(turn):
        await _units(turn, 0)


async def _units(turn: Turn, page: int) -> None:
    """One page of the working units, each a button."""
    options, total = await directory.unit_page(turn.session, page * PAGE, PAGE)
    if not options and page > 0:
        turn.refuse_button("unit page out of range")
        return
    rows: list[tuple[Choice, ...]] = [(_button(o.name, "u", o.id),) for o in options]
    rows += page_through(turn.t, page, count_pages(total, PAGE), stateless(FLOW, "pg"))
    turn.show(turn.t._("Roster changes: choose the unit."), tuple(rows))


async def _members(turn: Turn, unit_id: int) -> None:
    """The unit's active officials other than oneself, each a button."""
    t = turn.t
    people = await roster.members(turn.session, unit_id)
    rows = [
        (_button(f"{p.name} — {role_name(t, p.role)}", "w", p.id),)
        for p in people
        if p.id != turn.identity.official.id
    ]
    rows.append((_button(t._("◀ Units"), "pg", 0),))
    text = t._("Choose the official.") if len(rows) > 1 else t._("This unit has no one else.")
    turn.show(text, tuple(rows))


async def on_button(turn: Turn, payload: Payload) -> None:
    """Page, unit, official, take off the roster, confirmed; a forged button is refused."""
    if not _allowed(turn):
        return
    argument = payload.argument or ""
    if not argument.isdecimal():
        turn.refuse_button("malformed staff button")
        return
    number = int(argument)
    if payload.action == "pg":
        await _units(turn, number)
    elif payload.action == "u" and await directory.is_working_unit(turn.session, number):
        await _members(turn, number)
    elif payload.action in ("w", "off", "ok"):
        await _official(turn, payload.action, number)
    else:
        turn.refuse_button("unknown staff button")


async def _official(turn: Turn, step: str, official_id: int) -> None:
    """The official's card, the question, or the change itself."""
    t = turn.t
    try:
        official, unit = await directory.official_with_unit(turn.session, official_id)
    except DirectoryError:
        official = None
    if official is None or not official.active or official.id == turn.identity.official.id:
        turn.refuse_button(
            "official not on the roster", t._("This official is no longer on the roster.")
        )
        return
    who = t._(
        "{name} — {role}, {unit}",
        name=official.name,
        role=role_name(t, official.role),
        unit=unit.name,
    )
    if step == "w":
        turn.show(
            who,
            (
                (_button(t._("Take off the roster (left the working group)"), "off", official_id),),
                (_button(t._("◀ Back"), "u", unit.id),),
            ),
        )
    elif step == "off":
        turn.show(
            who
            + "\n\n"
            + t._(
                "Take this official off the roster? Their chat accounts are unbound, their "
                "invitation codes stop working, and tasks assigned to them by name go back "
                "to the unit's focal officers."
            ),
            (
                (
                    _button(t._("Confirm"), "ok", official_id),
                    _button(t._("Cancel"), "w", official_id),
                ),
            ),
        )
    else:
        change = await roster.deactivate(
            turn.session,
            official_id,
            turn.now,
            actor=turn.who,
            actor_official_id=turn.identity.official.id,
        )
        turn.show(
            t.n_(
                "Done: {name} is off the roster; {count} task goes back to the focal "
                "officers of {unit}.",
                "Done: {name} is off the roster; {count} tasks go back to the focal "
                "officers of {unit}.",
                len(change.released),
                name=official.name,
                unit=unit.name,
            )
        )
