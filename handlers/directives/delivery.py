"""Sending a confirmed directive: issued, rendered per language, queued, and tracked.

The service stores the directive and names its addressees; each gets the directive (and,
on the sender's channel, the attached file) through the outbox under its own key. The
sender then gets a status message, kept up to date as recipients press "Received".
"""

from __future__ import annotations

from typing import Any

from bot.channels.base import Outbound
from bot.i18n import translator_for
from bot.messages import directives as directive_wording
from bot.services import conversations, outbox
from bot.services.directives import issuing as directives
from bot.services.directives import tracking as directive_tracking
from bot.services.directives.issuing import DirectiveRejected
from bot.services.outbox import Envelope
from handlers.directives.draft import ask_target
from handlers.turn import Turn


async def submit(turn: Turn, draft: dict[str, Any]) -> None:
    """Issue the confirmed draft and queue it for every addressee; nobody to reach: ask again."""
    t = turn.t
    try:
        issued = await directives.issue(
            turn.session, turn.identity, draft, now=turn.now, zone=turn.settings.zone
        )
    except DirectiveRejected as error:
        if str(error) == "nobody":
            ask_target(
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
