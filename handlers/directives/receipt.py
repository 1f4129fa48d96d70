"""A directive after it is sent: "Received", and "Who has not acknowledged".

Recipients press "Received" (`a:0:ack:<id>`): it is recorded once, only for a recipient of
that directive, and the sender's status message is updated. The status message offers
"Who has not acknowledged" (`d:0:who:<id>`) to the standing office and provincial leaders.
Both buttons are stateless and checked again here: payloads come from the client.
"""

from __future__ import annotations

from bot.channels.limits import limits_of
from bot.i18n import translator_for
from bot.messages import directives as directive_wording
from bot.messages.payloads import STATELESS, Flow, Payload
from bot.services import outbox
from bot.services.directives import acknowledgement as directive_acknowledgement
from bot.services.directives import issuing as directives
from bot.services.directives import tracking as directive_tracking
from bot.services.directives import views as directive_views
from bot.services.directives.acknowledgement import AckOutcome
from handlers.directives import replies
from handlers.turn import Turn

ACK_FLOW = Flow.ACKNOWLEDGE


async def show_status(turn: Turn, payload: Payload) -> None:
    """One past directive's counts with its two lists, from /chidao's recent directives."""
    if not directives.may_issue(turn.identity.official):
        turn.refuse_button("directive status for a role that may not issue")
        return
    found = await directive_tracking.status(turn.session, payload.int_argument() or 0)
    if found is None:
        turn.refuse_button("status button for an unknown directive")
        return
    message = directive_wording.status_message(turn.t, found, edit=False)
    turn.say(message.text or "", message.choices)


async def show_pending(turn: Turn, payload: Payload) -> None:
    """The recipients who have not pressed "Received", for the standing office and leaders."""
    directive_id = payload.int_argument()
    view = await directive_views.find(turn.session, directive_id or 0)
    if view is None:
        turn.refuse_button("who button for an unknown directive")
        return
    if not directives.may_issue(turn.identity.official):
        t = turn.t
        explanation = t._("Only the standing office and provincial leaders can see this list.")
        turn.refuse_role(
            "directive.refused",
            f"who for {view.code}",
            explanation,
            entity="directive",
            notice=t._("Not allowed."),
        )
        return
    session = turn.session
    pending = await directive_acknowledgement.not_acknowledged(session, view.id, registered=True)
    absent = await directive_acknowledgement.not_acknowledged(session, view.id, registered=False)
    limit = limits_of(turn.inbound.channel).text
    turn.say(directive_wording.pending_list(turn.t, view.code, pending, limit, absent))


async def on_ack(turn: Turn, payload: Payload) -> None:
    """ "Received" on a directive: recorded once, only for a recipient of that directive."""
    directive_id = payload.int_argument()
    if payload.version != STATELESS:  # the reply step's own Cancel
        await replies.on_button(turn, payload)
        return
    if payload.action == "reply" and directive_id is not None:
        await replies.begin(turn, payload)
        return
    if payload.action != "ack" or directive_id is None:
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
