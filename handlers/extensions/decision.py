"""The standing office's side of /giahan (/extend): approve or refuse a request in one tap.

Every standing officer gets the request with "Approve" / "Refuse" buttons (stateless, so
they work from any message); refusing asks for a reason the unit will see. Only the first
decision counts: a later tap is told what was decided. The unit's focal officers and head,
and the requester, are told the decision.
"""

from __future__ import annotations

from bot.channels.base import Outbound
from bot.i18n import Translator, translator_for
from bot.messages import cards
from bot.messages.payloads import Payload
from bot.services.extensions import decisions as extension_decisions
from bot.services.extensions import rules as extensions
from bot.services.extensions.rules import RequestView
from handlers.answers import MAX_TEXT
from handlers.extensions.wording import QUOTE, STEPS, read_reason, refuse_role, request_text
from handlers.turn import Turn


def _decided_line(t: Translator, request: RequestView) -> str:
    if request.decision == extensions.APPROVED:
        return t._(
            "✅ Approved by {name}: the new deadline is {deadline}.",
            name=request.decided_by or "—",
            deadline=t.short_date(request.requested_deadline),
        )
    return t._(
        "❌ Refused by {name}. Reason: {reason}",
        name=request.decided_by or "—",
        reason=cards.shorten(request.decision_note or "—", QUOTE),
    )


def _already(turn: Turn, request: RequestView) -> None:
    t = turn.t
    turn.button_notice = t._("Already decided.") if turn.inbound.is_button else None
    turn.say(
        t._("This request has already been decided. Nothing was changed.")
        + "\n"
        + _decided_line(t, request)
    )


async def decision_button(turn: Turn, payload: Payload) -> None:
    """Approve or Refuse on a request sent to the standing office (stateless, version 0)."""
    assert turn.identity is not None
    if not extensions.may_decide(turn.identity):
        refuse_role(turn, "button", deciding=True)
        return
    request_id = payload.int_argument()
    request = await extensions.find_request(turn.session, request_id or 0)
    if request is None:
        turn.refuse_button("unknown extension request")
        return
    if request.decision is not None:
        _already(turn, request)
        return
    t = turn.t
    if payload.action == "rf":
        STEPS.go(turn, "refuse_reason", {"request_id": request.id, "code": request.task_code})
        turn.say(
            t._(
                "Why is the request for [{code}] refused? Write the reason; the unit will "
                "see it (at most {limit} characters).",
                code=request.task_code,
                limit=t.number(MAX_TEXT),
            ),
            ((STEPS.button(turn, t._("Cancel"), "x"),),),
        )
        return
    await _decide(turn, request.id, approve=True, note=None)


async def _decide(turn: Turn, request_id: int, *, approve: bool, note: str | None) -> None:
    assert turn.identity is not None
    result = await extension_decisions.decide(
        turn.session,
        turn.identity,
        request_id,
        approve=approve,
        note=note,
        now=turn.now,
        who=turn.who,
    )
    if not result.decided:
        _already(turn, result.request)
        return
    t, request = turn.t, result.request
    if approve:
        turn.show(request_text(t, request) + "\n\n" + _decided_line(t, request))
    else:
        turn.say(
            t._(
                "❌ Refused. The unit has been told your reason; the deadline of [{code}] "
                "stays {deadline}.",
                code=request.task_code,
                deadline=t.short_date(request.current_deadline),
            )
        )
    for person in result.recipients:
        pt = translator_for(person.locale, turn.settings.locale, turn.settings.zone)
        if approve:
            text = pt._(
                "✅ The standing office approved the extension of [{code}] {title}: the new "
                "deadline is {new} (it was {old}).",
                code=request.task_code,
                title=request.title,
                new=pt.date(request.requested_deadline),
                old=pt.short_date(request.current_deadline),
            )
        else:
            text = pt._(
                "❌ The standing office refused the extension of [{code}] {title}; the deadline "
                "stays {deadline}.\nReason: {reason}",
                code=request.task_code,
                title=request.title,
                deadline=pt.date(request.current_deadline),
                reason=cards.shorten(request.decision_note or "—", QUOTE * 2),
            )
        turn.tell(person.account, Outbound(text), f"ext:{request.id}:decided:{person.account.id}")


async def answer_refusal_reason(turn: Turn) -> None:
    """The standing office's typed refusal reason: checked, then the request is refused."""
    assert turn.identity is not None
    if not extensions.may_decide(turn.identity):
        STEPS.finish(turn)
        refuse_role(turn, "refusal reason", deciding=True)
        return
    reason = read_reason(turn)
    if reason is not None:
        request_id = int(STEPS.draft(turn)["request_id"])
        STEPS.finish(turn)
        await _decide(turn, request_id, approve=False, note=reason)
