"""Replying to a directive (phản hồi): "Reply" (`a:0:reply:<id>`) asks for the answer, text
or a file; the sender is told at once and sees every reply by unit ("Replies" on the status
message, `d:0:replies:<id>`). Only recipients reply, only senders and the standing office
and leaders read the replies; both are checked again here.
"""

from __future__ import annotations

from bot.channels.base import Attachment, Outbound
from bot.channels.limits import limits_of
from bot.i18n import translator_for
from bot.messages import directives as wording
from bot.messages.payloads import Flow, Payload
from bot.services.directives import issuing as directives
from bot.services.directives import replies
from bot.services.directives import views as directive_views
from bot.services.text import read_text
from handlers.flow import Steps
from handlers.turn import Turn

NAME = "directive_reply"
STEPS = Steps(Flow.ACKNOWLEDGE, NAME)


async def begin(turn: Turn, payload: Payload) -> None:
    """Ask a recipient for the reply."""
    t = turn.t
    directive_id = payload.int_argument() or 0
    view = await replies.replying_to(turn.session, turn.identity, directive_id, turn.now)
    if view is None:
        turn.button_notice = t._("Not allowed.")
        turn.say(t._("You are not a recipient of this directive. Nothing was recorded."))
        return
    STEPS.go(turn, "text", {"directive": directive_id})
    turn.say(
        t._(
            "Write your unit's response to directive {code} (at most {limit} characters), "
            "or send a photo or a document, with a caption if you like.",
            code=view.code,
            limit=t.number(replies.MAX_REPLY),
        ),
        (STEPS.cancel_row(turn),),
    )


async def on_button(turn: Turn, payload: Payload) -> None:
    """Cancel, the one button of the reply step."""
    conversation = turn.conversation
    if conversation.flow != NAME or payload.version != conversation.version:
        turn.refuse_button("stale directive reply button")
        return
    if payload.action != "x":
        turn.refuse_button("button does not fit the reply")
        return
    STEPS.finish(turn)
    turn.show(turn.t._("Cancelled. Nothing was recorded."))


async def on_answer(turn: Turn) -> None:
    """The reply: typed text, or a file with its caption."""
    t, inbound = turn.t, turn.inbound
    directive_id = int(STEPS.draft(turn).get("directive") or 0)
    first = inbound.attachments[0] if inbound.attachments else None
    text = read_text(inbound.text, replies.MAX_REPLY)
    if text.problem == "too_long":
        turn.say(
            t._(
                "That is {length} characters; please keep it within {limit}.",
                length=t.number(len((inbound.text or "").strip())),
                limit=t.number(replies.MAX_REPLY),
            )
        )
        return
    if first is None and text.value is None:
        turn.say(t._("Please write your response, or send a photo or a document."))
        return
    attachment = None
    if first is not None:
        attachment = (first.kind, first.file_id[:256], first.name[:256] if first.name else None)
    recorded = await replies.record(
        turn.session,
        turn.identity,
        directive_id,
        text=text.value,
        attachment=attachment,
        now=turn.now,
    )
    STEPS.finish(turn)
    if recorded is None:
        turn.say(t._("You are not a recipient of this directive. Nothing was recorded."))
        return
    reply = recorded.reply
    turn.say(t._("✅ Your response to {code} was sent.", code=reply.directive_code))
    st = translator_for(recorded.sender_locale, turn.settings.locale, turn.settings.zone)
    stamp = int(turn.now.timestamp() * 1000)
    for account in recorded.sender_accounts:
        key = f"directive-reply:{directive_id}:{turn.identity.official.id}:{stamp}:{account.id}"
        turn.tell(account, Outbound(wording.reply_notice(st, reply)), key)
        # A platform's file reference works on its own platform; a kept file on any.
        if first is not None and (
            first.file_id.startswith("stored:") or account.channel == inbound.channel
        ):
            file = Attachment(first.kind, first.file_id, first.name)
            caption = st._("📎 Attached to the reply to {code}", code=reply.directive_code)
            turn.tell(account, Outbound(caption, file=file), f"{key}:file")


async def show_replies(turn: Turn, payload: Payload) -> None:
    """Every reply to a directive, by unit: for its sender, the standing office, leaders."""
    view = await directive_views.find(turn.session, payload.int_argument() or 0)
    if view is None:
        turn.refuse_button("replies button for an unknown directive")
        return
    if not directives.may_issue(turn.identity.official):
        t = turn.t
        turn.refuse_role(
            "directive.refused",
            f"replies to {view.code}",
            t._("Only the standing office and provincial leaders can see the replies."),
            entity="directive",
            notice=t._("Not allowed."),
        )
        return
    found = await replies.replies_by_unit(turn.session, view.id)
    limit = limits_of(turn.inbound.channel).text
    turn.say(wording.replies_list(turn.t, view.code, found, limit))
