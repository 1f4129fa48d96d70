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
from bot.services.directives.replies import Reply
from bot.services.directives.tracking import Status
from bot.services.directives.views import Addressee, DirectiveView


def ack_button(t: Translator, directive_id: int) -> Choice:
    """The "Received" button of a directive."""
    return Payload(Flow.ACKNOWLEDGE, STATELESS, "ack", str(directive_id)).choice(t._("✅ Received"))


def reply_button(t: Translator, directive_id: int) -> Choice:
    """The "Reply" button of a directive: answer it with text or a file."""
    return Payload(Flow.ACKNOWLEDGE, STATELESS, "reply", str(directive_id)).choice(t._("✍️ Reply"))


def replies_button(t: Translator, directive_id: int) -> Choice:
    """The "Replies" button of a sender's status message: the answers, by unit."""
    payload = Payload(Flow.DIRECTIVE, STATELESS, "replies", str(directive_id))
    return payload.choice(t._("📨 Replies"))


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
        directive_text(t, view)
        + "\n\n"
        + t._('Please press "Received" to acknowledge it.')
        + " "
        + t._('To send your unit\'s response (text, a photo or a document), choose "Reply".'),
        ((ack_button(t, view.id), reply_button(t, view.id)),),
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
        ((who_button(t, status.directive_id), replies_button(t, status.directive_id)),),
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
        ((ack_button(t, view.id), reply_button(t, view.id)),),
    )


def pending_list(
    t: Translator,
    code: str,
    pending: list[tuple[str, str]],
    limit: int | None,
    unregistered: list[tuple[str, str]] | None = None,
) -> str:
    """Who has not acknowledged, by unit, and apart those not registered on the bot (who
    cannot receive it); cut to `limit` (one message) with "… and N more"."""
    unregistered = unregistered or []
    if not pending and not unregistered:
        return t._("{code}: every recipient has acknowledged.", code=code)
    if pending:
        heading = t.n_(
            "{code}: {count} recipient has not acknowledged yet:",
            "{code}: {count} recipients have not acknowledged yet:",
            len(pending),
            code=code,
        )
    else:
        heading = t._("{code}: every registered recipient has acknowledged.", code=code)
    # Leave room for the "… and N more" lines, whatever their language.
    budget = sys.maxsize if limit is None else limit - 400 - len(heading)
    lines, budget = _by_unit(t, [heading], pending, budget)
    if unregistered:
        lines.append("")
        lines.append(
            t.n_(
                "Not registered on the bot, so not reached ({count}):",
                "Not registered on the bot, so not reached ({count}):",
                len(unregistered),
            )
        )
        lines, budget = _by_unit(t, lines, unregistered, budget)
    return "\n".join(lines)


def _by_unit(
    t: Translator, lines: list[str], people: list[tuple[str, str]], budget: int
) -> tuple[list[str], int]:
    """`people` added to `lines` a unit a line, within `budget` characters; what is left."""
    shown, unit_shown = 0, None
    for unit, name in people:
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
    if shown < len(people):
        rest = len(people) - shown
        lines.append(t.n_("… and {count} more", "… and {count} more", rest))
        budget = 0
    return lines, budget


def reply_notice(t: Translator, reply: Reply) -> str:
    """What the sender is told when a recipient replies."""
    lines = [
        t._(
            "📨 {unit} ({name}) replied to directive {code}:",
            unit=reply.unit_name,
            name=reply.official_name,
            code=reply.directive_code,
        )
    ]
    if reply.text:
        lines += ["", reply.text]
    if reply.attachment_kind is not None:
        lines += ["", _attached(t, reply)]
    return "\n".join(lines)


def replies_list(t: Translator, code: str, replies: list[Reply], limit: int | None) -> str:
    """Every reply to a directive, by unit, cut to `limit` with "… and N more"."""
    if not replies:
        return t._("{code}: no unit has replied yet.", code=code)
    units = len({r.unit_name for r in replies})
    lines = [
        t.n_(
            "{code}: replies from {count} unit:",
            "{code}: replies from {count} units:",
            units,
            code=code,
        )
    ]
    budget = sys.maxsize if limit is None else limit - 200 - len(lines[0])
    shown, unit_shown = 0, None
    for reply in replies:
        block = []
        if reply.unit_name != unit_shown:
            block.append(f"\n🏢 {reply.unit_name}")
        said = reply.text or ""
        if reply.attachment_kind is not None:
            said = f"{said} ({_attached(t, reply)})" if said else _attached(t, reply)
        block.append(f"• {reply.official_name}, {t.moment(reply.created_at)}: {said}")
        piece = "\n".join(block)
        if len(piece) > budget:
            break
        lines.append(piece)
        budget -= len(piece)
        unit_shown, shown = reply.unit_name, shown + 1
    if shown < len(replies):
        rest = len(replies) - shown
        lines.append(t.n_("… and {count} more", "… and {count} more", rest))
    return "\n".join(lines)


def _attached(t: Translator, reply: Reply) -> str:
    """That a reply came with a file, and its name."""
    name = reply.attachment_name or (
        t._("photo") if reply.attachment_kind == "photo" else t._("document")
    )
    return t._("📎 with a file: {name}", name=name)


def recent_list(t: Translator, recent: list[tuple[Status, int]]) -> str:
    """The latest directives and their counts, for /chidao."""
    lines = [t._("Recent directives:")]
    for status, replied in recent:
        lines.append(
            t._(
                "• {code}: delivered {delivered}/{total}, acknowledged {acknowledged}, "
                "units that replied: {replied}",
                code=status.code,
                delivered=t.number(status.delivered),
                total=t.number(status.total),
                acknowledged=t.number(status.acknowledged),
                replied=t.number(replied),
            )
        )
    return "\n".join(lines)


def view_button(directive_id: int, code: str) -> Choice:
    """A button that shows one past directive's status, from /chidao."""
    return Payload(Flow.DIRECTIVE, STATELESS, "view", str(directive_id)).choice(f"📊 {code}")
