"""/chidao (/directive): compose a directive, and the buttons that follow it.

text → attachment (skippable) → target (all units, a kind, or chosen units) → response
deadline (skippable) → review → confirm. Only the standing office and provincial leaders
may compose; nothing is stored until they confirm. Recipients press "Received"
(`a:0:ack:<id>`); the sender's status message offers "Who has not acknowledged"
(`d:0:who:<id>`). Every button is checked again here: payloads come from the client.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bot.channels.base import Outbound
from bot.i18n import Translator, translator_for
from bot.services import (
    conversations,
    directive_acknowledgement,
    directive_tracking,
    directive_views,
    directive_wording,
    directives,
    directory,
    outbox,
)
from bot.services.directive_acknowledgement import AckOutcome
from bot.services.directives import DirectiveRejected
from bot.services.outbox import Envelope
from db.models import UnitKind
from handlers import cards
from handlers.answers import read_text
from handlers.flow import Steps
from handlers.payloads import Payload
from handlers.turn import Turn

FLOW = directive_wording.WHO_FLOW  # "d": the composer's buttons and "Who has not acknowledged"
ACK_FLOW = directive_wording.ACK_FLOW  # "a": "Received"
NAME = "directive"
STEPS = Steps(FLOW, NAME)
UNIT_PAGE = 8
SKIPPABLE = ("attachment", "deadline")
TARGET_CHOICES = ("all", UnitKind.DEPARTMENT.value, UnitKind.COMMUNE.value, "units")
# The review quotes the whole text (≤ 3,000) and a shortened list of unit names.
NAMES_QUOTE = 500


def _allowed(turn: Turn, what: str) -> bool:
    """Whether the sender may compose directives; if not, refuse, audit and drop any draft."""
    assert turn.identity is not None
    if directives.may_issue(turn.identity.official):
        return True
    directives.refuse(turn.session, turn.identity, turn.now, what)
    if turn.conversation is not None and turn.conversation.flow == NAME:
        conversations.finish(turn.conversation, turn.now)
    if turn.inbound.is_button:
        turn.button_notice = turn.t._("Not allowed.")
    turn.say(
        turn.t._(
            "Only the standing office and provincial leaders can send directives. "
            "Nothing was recorded."
        )
    )
    return False


async def begin(turn: Turn, _argument: str = "") -> None:
    """Start a directive: ask for its text."""
    if not _allowed(turn, "/chidao"):
        return
    STEPS.go(turn, "text", {})
    t = turn.t
    turn.say(
        t._(
            "Write the text of the directive (at most {limit} characters).",
            limit=t.number(directives.MAX_TEXT),
        ),
        (STEPS.cancel_row(turn),),
    )


def _ask_attachment(turn: Turn, draft: dict[str, Any]) -> None:
    STEPS.go(turn, "attachment", draft)
    t = turn.t
    turn.say(
        t._("Attach a document or photo to the directive if needed, or press Skip."),
        ((STEPS.button(turn, t._("Skip"), "skip"),), STEPS.cancel_row(turn)),
    )


def _ask_target(turn: Turn, draft: dict[str, Any], note: str = "") -> None:
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


async def _show_units(turn: Turn, draft: dict[str, Any], page: int, note: str = "") -> None:
    """The paged unit chooser; each press toggles a unit and redraws the same message."""
    options, total = await directory.unit_page(turn.session, page * UNIT_PAGE, UNIT_PAGE)
    if not options and page > 0:
        turn.refuse_button("unit page out of range")
        return
    draft = draft | {"page": page}
    STEPS.go(turn, "units", draft)
    t = turn.t
    chosen = set(draft.get("units") or [])
    rows = [
        (STEPS.button(turn, ("✅ " if o.id in chosen else "▫️ ") + o.name, "tog", str(o.id)),)
        for o in options
    ]
    nav = []
    if page > 0:
        nav.append(STEPS.button(turn, t._("◀ Previous"), "pg", str(page - 1)))
    if (page + 1) * UNIT_PAGE < total:
        nav.append(STEPS.button(turn, t._("Next ▶"), "pg", str(page + 1)))
    rows += [tuple(nav)] if nav else []
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


def _ask_deadline(turn: Turn, draft: dict[str, Any]) -> None:
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
    kind, value = draft.get("target_kind"), draft.get("target_value")
    if kind == "all":
        return t._("all units")
    if kind == "kind":
        return t._("all departments") if value == UnitKind.DEPARTMENT else t._("all communes")
    return cards.shorten(", ".join(names), NAMES_QUOTE)


async def _review(turn: Turn, draft: dict[str, Any]) -> None:
    reach = await directives.audience(turn.session, draft["target_kind"], draft.get("target_value"))
    t = turn.t
    if reach.officials == 0:
        _ask_target(
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


async def on_button(turn: Turn, payload: Payload) -> None:
    """A composer button, or "Who has not acknowledged" (version 0) on a status message."""
    conversation = turn.conversation
    assert conversation is not None
    if payload.version == 0 and payload.action == "who":
        await _who(turn, payload)
        return
    if conversation.flow != NAME or payload.version != conversation.version:
        turn.refuse_button("stale directive button")
        return
    # Roles can change while a draft is open: every step is checked again.
    if not _allowed(turn, f"directive button {payload.encode()}"):
        return
    step, action, draft = conversation.step, payload.action, STEPS.draft(turn)
    number = payload.int_argument()
    if action == "x":
        conversations.finish(conversation, turn.now)
        turn.show(turn.t._("Cancelled. Nothing was recorded."))
    elif step in SKIPPABLE and action == "skip":
        if step == "attachment":
            _ask_target(turn, draft)
        else:
            await _review(turn, draft | {"deadline": None})
    elif step == "target" and action == "tg" and payload.argument in TARGET_CHOICES:
        await _choose_target(turn, draft, payload.argument or "")
    elif step == "units" and action == "pg" and number is not None:
        await _show_units(turn, draft, number)
    elif step == "units" and action == "tog" and number is not None:
        if not await directory.is_working_unit(turn.session, number):
            turn.refuse_button("unit that cannot receive directives")
            return
        chosen = set(draft.get("units") or [])
        chosen ^= {number}
        await _show_units(turn, draft | {"units": sorted(chosen)}, int(draft.get("page") or 0))
    elif step == "units" and action == "done":
        chosen = sorted(set(draft.get("units") or []))
        if not chosen:
            note = turn.t._("Please choose at least one unit.")
            await _show_units(turn, draft, int(draft.get("page") or 0), note)
            return
        value = ",".join(str(i) for i in chosen)
        _ask_deadline(turn, draft | {"target_kind": "units", "target_value": value})
    elif step == "confirm" and action == "ok":
        await _submit(turn, draft)
    else:
        turn.refuse_button("button does not fit the step")


async def _choose_target(turn: Turn, draft: dict[str, Any], choice: str) -> None:
    if choice == "units":
        await _show_units(turn, draft | {"units": draft.get("units") or []}, 0)
        return
    target = {"target_kind": "all", "target_value": None}
    if choice != "all":
        target = {"target_kind": "kind", "target_value": choice}
    _ask_deadline(turn, draft | target)


async def on_answer(turn: Turn) -> None:
    """Typed text or a file, read as the answer to the current step."""
    conversation = turn.conversation
    assert conversation is not None
    if not _allowed(turn, "directive answer"):
        return
    step, inbound, t = conversation.step, turn.inbound, turn.t
    if step == "attachment":
        if inbound.attachments:
            first = inbound.attachments[0]
            name = first.name[:256] if first.name else None
            draft = STEPS.draft(turn) | {
                "attachment_kind": first.kind,
                "attachment_file_id": first.file_id[:256],
                "attachment_name": name,
            }
            _ask_target(turn, draft)
        else:
            turn.say(t._("Please send a photo or a document, or press Skip above."))
        return
    if inbound.attachments:
        turn.say(t._("This step needs text, not a file. Please type your answer."))
        return
    if step == "text":
        answer = read_text(inbound.text, directives.MAX_TEXT)
        if answer.problem == "too_long":
            turn.say(
                t._(
                    "That is {length} characters; please keep it within {limit}.",
                    length=t.number(len((inbound.text or "").strip())),
                    limit=t.number(directives.MAX_TEXT),
                )
            )
        elif answer.problem is not None:
            turn.say(t._("Please write the directive in words (letters or numbers)."))
        else:
            _ask_attachment(turn, STEPS.draft(turn) | {"text": answer.value})
        return
    if step == "deadline":
        read = directives.read_deadline(inbound.text, turn.today)
        if read.problem == "past":
            turn.say(
                t._(
                    "The deadline must be after today ({today}). Please send a later date, "
                    "or press Skip.",
                    today=t.short_date(turn.today),
                )
            )
        elif read.problem is not None or read.value is None:
            turn.say(
                t._(
                    "That is not a date. Please write it as dd/mm/yyyy, e.g. {example}, "
                    "or press Skip.",
                    example=t.short_date(turn.today + timedelta(days=14)),
                )
            )
        else:
            await _review(turn, STEPS.draft(turn) | {"deadline": read.value.isoformat()})
        return
    turn.say(t._("Please choose one of the buttons above, or send /huy to cancel."))


async def _submit(turn: Turn, draft: dict[str, Any]) -> None:
    assert turn.identity is not None and turn.conversation is not None
    t = turn.t
    try:
        issued = await directives.issue(
            turn.session, turn.identity, draft, now=turn.now, zone=turn.settings.zone
        )
    except DirectiveRejected as error:
        if str(error) == "nobody":
            _ask_target(
                turn,
                draft,
                t._("No head or focal officer of these units is registered to receive it."),
            )
            return
        conversations.finish(turn.conversation, turn.now)
        turn.refuse_button(f"directive draft rejected: {error}")
        return
    conversations.finish(turn.conversation, turn.now)
    view = issued.directive
    # Many recipients: rendered per language and queued in bulk, each with its own key.
    envelopes = []
    rendered: dict[str | None, tuple[Outbound, Outbound | None]] = {}
    for person in issued.addressees:
        if person.locale not in rendered:
            pt = translator_for(person.locale, turn.settings.locale, turn.settings.zone)
            rendered[person.locale] = (
                directive_wording.directive_message(pt, view),
                directive_wording.attachment_message(pt, view),
            )
        message, attached = rendered[person.locale]
        key = f"directive:{view.id}:{person.official_id}:{person.account_id}"
        envelopes.append(Envelope(key, person.channel, person.chat_key, message))
        # A file reference is only valid on the channel the sender used.
        if attached is not None and person.channel == turn.inbound.channel:
            attached_key = directive_wording.attachment_key(view, person)
            envelopes.append(Envelope(attached_key, person.channel, person.chat_key, attached))
    await outbox.enqueue_many(turn.session, envelopes, turn.now)
    turn.show(
        t._(
            "Directive {code} is being sent to {recipients} in {units}.",
            code=view.code,
            recipients=t.n_("{count} official", "{count} officials", issued.recipients),
            units=t.n_("{count} unit", "{count} units", issued.units),
        )
    )
    status = directive_tracking.Status(
        view.id, view.code, None, None, None, None, issued.recipients, 0, 0
    )
    # The status message goes after the reply; its message id is learnt by the job.
    turn.tell(
        turn.identity.account,
        directive_wording.status_message(t, status, edit=False),
        status.dedupe_key,
    )


async def _who(turn: Turn, payload: Payload) -> None:
    """The recipients who have not pressed "Received", for the standing office and leaders."""
    assert turn.identity is not None
    directive_id = payload.int_argument()
    view = await directive_views.find(turn.session, directive_id or 0)
    if view is None:
        turn.refuse_button("who button for an unknown directive")
        return
    if not directives.may_issue(turn.identity.official):
        directives.refuse(turn.session, turn.identity, turn.now, f"who for {view.code}")
        turn.button_notice = turn.t._("Not allowed.")
        turn.say(turn.t._("Only the standing office and provincial leaders can see this list."))
        return
    pending = await directive_acknowledgement.not_acknowledged(turn.session, view.id)
    turn.say(directive_wording.pending_list(turn.t, view.code, pending))


async def on_ack(turn: Turn, payload: Payload) -> None:
    """ "Received" on a directive: recorded once, only for a recipient of that directive."""
    assert turn.identity is not None
    directive_id = payload.int_argument()
    if payload.version != 0 or payload.action != "ack" or directive_id is None:
        turn.refuse_button("malformed acknowledgement button")
        return
    result = await directive_acknowledgement.acknowledge(
        turn.session, turn.identity, directive_id, turn.now
    )
    t = turn.t
    if result.outcome is AckOutcome.NOT_RECIPIENT or result.directive is None:
        turn.button_notice = t._("Not allowed.")
        turn.say(t._("You are not a recipient of this directive. Nothing was recorded."))
        return
    view = result.directive
    at = t.moment(result.acknowledged_at) if result.acknowledged_at else ""
    if result.outcome is AckOutcome.ALREADY:
        turn.button_notice = t._("Already acknowledged.")
        turn.say(t._("You already acknowledged {code} at {time}.", code=view.code, time=at))
        return
    turn.button_notice = t._("Thank you.")
    turn.show(
        directive_wording.directive_text(t, view)
        + "\n\n"
        + t._("✅ You acknowledged it at {time}.", time=at)
    )
    status = result.status
    if status is not None and status.message_id is not None and status.chat_key:
        st = translator_for(status.locale, turn.settings.locale, turn.settings.zone)
        await outbox.enqueue(
            turn.session,
            dedupe_key=status.dedupe_key,
            channel=status.channel or turn.inbound.channel,
            chat_key=status.chat_key,
            message=directive_wording.status_message(st, status),
            now=turn.now,
        )
