"""The wording of directives shared by the conversation (`handlers.directives`) and the job.

The directive's message and its "Received" button, the attached file, the sender's live
status message with "Who has not acknowledged", the one reminder and the list of who has
not acknowledged. It lives with the services so that neither layer imports the other.
"""

from __future__ import annotations

import sys

from bot.channels.base import Attachment, Choice, Outbound
from bot.i18n import Translator
from bot.messages.payloads import STATELESS, Flow, Payload
from bot.services.directives.tracking import Status
from bot.services.directives.views import Addressee, DirectiveView


def ack_button(t: Translator, directive_id: int) -> Choice:
    """The "Received" button of a directive."""
    return Payload(Flow.ACKNOWLEDGE, STATELESS, "ack", str(directive_id)).choice(t._("✅ Received"))


def who_button(t: Translator, directive_id: int) -> Choice:
    """The "Who has not acknowledged" button of a sender's status message."""
    payload = Payload(Flow.DIRECTIVE, STATELESS, "who", str(directive_id))
    return payload.choice(t._("Who has not acknowledged"))


def directive_text(t: Translator, view: DirectiveView) -> str:
    """The directive as its recipients read it."""
    lines = [
        t._(
            "📣 Directive {code} from {sender} ({unit}):",
            code=view.code,
            sender=view.sender_name,
            unit=view.sender_unit,
        ),
        "",
        view.text,
    ]
    if view.attachment_kind is not None:
        name = view.attachment_name or (
            t._("photo") if view.attachment_kind == "photo" else t._("document")
        )
        lines += ["", t._("📎 Attached: {name} (sent with this directive).", name=name)]
    if view.response_deadline is not None:
        lines += ["", t._("⏳ Please respond by {date}.", date=t.date(view.response_deadline))]
    return "\n".join(lines)


def directive_message(t: Translator, view: DirectiveView) -> Outbound:
    """The directive with its "Received" button."""
    return Outbound(
        directive_text(t, view) + "\n\n" + t._('Please press "Received" to acknowledge it.'),
        ((ack_button(t, view.id),),),
    )


def attachment_message(t: Translator, view: DirectiveView) -> Outbound | None:
    """The directive's attached file, sent again by the platform's reference; None if none."""
    if view.attachment_kind is None or not view.attachment_file_id:
        return None
    return Outbound(
        t._("📎 Attachment of directive {code}", code=view.code),
        file=Attachment(view.attachment_kind, view.attachment_file_id, view.attachment_name),
    )


def attachment_key(view: DirectiveView, addressee: Addressee) -> str:
    """The outbox key of one addressee's copy of the attached file."""
    return f"directive-file:{view.id}:{addressee.official_id}:{addressee.account_id}"


def status_message(t: Translator, status: Status, *, edit: bool = True) -> Outbound:
    """The sender's live status, edited in place once the status message is known."""
    text = t._(
        "📊 {code}: delivered {delivered}/{total}, acknowledged {acknowledged}",
        code=status.code,
        delivered=t.number(status.delivered),
        total=t.number(status.total),
        acknowledged=t.number(status.acknowledged),
    )
    return Outbound(
        text,
        ((who_button(t, status.directive_id),),),
        edit_message_id=status.message_id if edit else None,
    )


def reminder_message(t: Translator, view: DirectiveView) -> Outbound:
    """The one reminder before the response deadline."""
    assert view.response_deadline is not None
    text = t._(
        "⏰ Reminder: directive {code} asks for a response by {date}, and you have not "
        'acknowledged it yet. Please press "Received".',
        code=view.code,
        date=t.date(view.response_deadline),
    )
    return Outbound(
        text + "\n\n" + directive_text(t, view),
        ((ack_button(t, view.id),),),
    )


def pending_list(
    t: Translator, code: str, pending: list[tuple[str, str]], limit: int | None
) -> str:
    """Who has not acknowledged, by unit, cut to `limit` (one message) with "… and N more"."""
    if not pending:
        return t._("{code}: every recipient has acknowledged.", code=code)
    heading = t.n_(
        "{code}: {count} recipient has not acknowledged yet:",
        "{code}: {count} recipients have not acknowledged yet:",
        len(pending),
        code=code,
    )
    lines: list[str] = [heading]
    # Leave room for the "… and N more" line, whatever its language.
    budget = sys.maxsize if limit is None else limit - 200 - len(heading)
    shown, unit_shown = 0, None
    for unit, name in pending:
        piece = f"\n• {unit}: {name}" if unit != unit_shown else f", {name}"
        if len(piece) > budget:
            break
        if unit != unit_shown:
            lines.append(piece[1:])
            unit_shown = unit
        else:
            lines[-1] += piece
        budget -= len(piece)
        shown += 1
    if shown < len(pending):
        rest = len(pending) - shown
        lines.append(t.n_("… and {count} more", "… and {count} more", rest))
    return "\n".join(lines)
