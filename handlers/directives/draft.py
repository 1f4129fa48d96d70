"""The questions of a directive being composed, up to the review before it is sent.

After the text: the attachment (skippable), the target (all units, a kind, or chosen units
from a paged chooser), the response deadline (skippable), and the review that quotes the
whole draft with its reach. Each question moves the conversation to its step; nothing is
stored until the sender confirms (`handlers.directives.delivery`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bot.i18n import Translator
from bot.messages import cards
from bot.messages.payloads import Flow
from bot.services.directives import issuing as directives
from bot.services.people import directory
from db.models import UnitKind
from handlers.choices import count_pages, mark_chosen, page_through
from handlers.flow import Steps
from handlers.turn import Turn

FLOW = Flow.DIRECTIVE  # the composer's buttons and "Who has not acknowledged"
NAME = "directive"
STEPS = Steps(FLOW, NAME)
UNIT_PAGE = 8
SKIPPABLE = ("attachment", "deadline")
TARGET_CHOICES = ("all", UnitKind.DEPARTMENT.value, UnitKind.COMMUNE.value, "units")
# The review quotes the whole text (≤ 3,000) and a shortened list of unit names.
NAMES_QUOTE = 500


def ask_attachment(turn: Turn, draft: dict[str, Any]) -> None:
    """Ask for a document or photo to attach, or Skip."""
    STEPS.go(turn, "attachment", draft)
    t = turn.t
    turn.say(
        t._("Attach a document or photo to the directive if needed, or press Skip."),
        ((STEPS.button(turn, t._("Skip"), "skip"),), STEPS.cancel_row(turn)),
    )


def ask_target(turn: Turn, draft: dict[str, Any], note: str = "") -> None:
    """Ask who should receive the directive, after `note` if there is one."""
    STEPS.go(turn, "target", draft)
    t = turn.t
    labels = {
        "all": t._("All units"),
        UnitKind.DEPARTMENT.value: t._("All departments"),
        UnitKind.COMMUNE.value: t._("All communes"),
        "units": t._("Choose units…"),
    }
    rows = [(STEPS.button(turn, labels[c], "tg", c),) for c in TARGET_CHOICES]
    rows.append(STEPS.cancel_row(turn))
    prefix = f"{note}\n\n" if note else ""
    turn.say(prefix + t._("Who should receive the directive?"), tuple(rows))


async def show_units(turn: Turn, draft: dict[str, Any], page: int, note: str = "") -> None:
    """The paged unit chooser; each press toggles a unit and redraws the same message."""
    options, total = await directory.unit_page(turn.session, page * UNIT_PAGE, UNIT_PAGE)
    if not options and page > 0:
        turn.refuse_button("unit page out of range")
        return
    draft = draft | {"page": page}
    STEPS.go(turn, "units", draft)
    t = turn.t
    chosen = set(draft.get("units") or [])
    rows = mark_chosen([(o.id, o.name) for o in options], chosen, STEPS.press(turn, "tog"))
    rows += page_through(t, page, count_pages(total, UNIT_PAGE), STEPS.press(turn, "pg"))
    rows.append((STEPS.button(turn, t._("Done choosing"), "done"),))
    rows.append(STEPS.cancel_row(turn))
    text = t.n_(
        "Choose the units to receive the directive ({count} chosen). Press a unit to "
        "choose it or remove it, then press Done choosing.",
        "Choose the units to receive the directive ({count} chosen). Press a unit to "
        "choose it or remove it, then press Done choosing.",
        len(chosen),
    )
    turn.show(f"{note}\n\n{text}" if note else text, tuple(rows))


def ask_deadline(turn: Turn, draft: dict[str, Any]) -> None:
    """Ask for the response deadline, or Skip."""
    STEPS.go(turn, "deadline", draft)
    t = turn.t
    turn.say(
        t._(
            "Set a deadline for responses, after today, as dd/mm/yyyy (e.g. {example}), "
            "or press Skip.",
            example=t.short_date(turn.today + timedelta(days=14)),
        ),
        ((STEPS.button(turn, t._("Skip"), "skip"),), STEPS.cancel_row(turn)),
    )


def _target_name(t: Translator, draft: dict[str, Any], names: list[str]) -> str:
    """The target as the review names it: all units, a kind, or the chosen units."""
    kind, value = draft.get("target_kind"), draft.get("target_value")
    if kind == "all":
        return t._("all units")
    if kind == "kind":
        return t._("all departments") if value == UnitKind.DEPARTMENT else t._("all communes")
    return cards.shorten(", ".join(names), NAMES_QUOTE)


async def review(turn: Turn, draft: dict[str, Any]) -> None:
    """Show the whole draft and its reach for confirmation; with nobody to reach, ask again."""
    reach = await directives.audience(turn.session, draft["target_kind"], draft.get("target_value"))
    t = turn.t
    if reach.officials == 0:
        ask_target(
            turn,
            draft,
            t._("No head or focal officer of these units is registered to receive it."),
        )
        return
    STEPS.go(turn, "confirm", draft)
    none = t._("(none)")
    attachment = draft.get("attachment_name") or (
        t._("photo") if draft.get("attachment_kind") == "photo" else none
    )
    deadline = draft.get("deadline")
    text = t._(
        "Please check the directive:\n\n{text}\n\n"
        "• Attachment: {attachment}\n• To: {target}\n• Recipients: {recipients}\n"
        "• Response deadline: {deadline}\n\nConfirm to send it.",
        text=draft["text"],
        attachment=attachment,
        target=_target_name(t, draft, [u.name for u in reach.units]),
        recipients=t.n_(
            "{count} official",
            "{count} officials",
            reach.officials,
        )
        + " · "
        + t.n_("{count} unit", "{count} units", len(reach.units)),
        deadline=t.date(date.fromisoformat(deadline)) if deadline else none,
    )
    turn.say(text, ((STEPS.button(turn, t._("✅ Send"), "ok"),), STEPS.cancel_row(turn)))


async def choose_target(turn: Turn, draft: dict[str, Any], choice: str) -> None:
    """A target button: all units or a kind asks for the deadline; "units" opens the chooser."""
    if choice == "units":
        await show_units(turn, draft | {"units": draft.get("units") or []}, 0)
        return
    target = {"target_kind": "all", "target_value": None}
    if choice != "all":
        target = {"target_kind": "kind", "target_value": choice}
    ask_deadline(turn, draft | target)
