"""/xephang (/ranking): units ranked by score, top and bottom, with the three components.

For leaders and the standing office, the whole ranking; the full list pages with stateless
buttons that are re-authorised on every press. A head sees the unit's own rank and
components. The ranking is the one of `bot.services.figures` (the digest shows the same).
"""

from __future__ import annotations

from bot.channels.base import Choice
from bot.i18n import Translator
from bot.messages.payloads import STATELESS, Flow, Payload
from bot.messages.ranking import formula, ranking_line, ranking_note
from bot.services.figures import UnitScore, place_of, rank_units
from bot.services.people.permissions import Action, Scope, scope_of
from handlers.choices import count_pages, page_through, stateless
from handlers.turn import Turn

FLOW = Flow.RANKING
SHOWN = 8  # top and bottom this many; all when there are at most twice as many units
PAGE = 12


def _forbidden(turn: Turn, detail: str) -> None:
    """The wrong role: a clear answer and an audit entry."""
    explanation = turn.t._(
        "The ranking of units is for provincial leaders, the standing office and the heads "
        "of units."
    )
    turn.refuse_role("ranking.refused", detail, explanation)


def _header(t: Translator, turn: Turn, count: int) -> str:
    return t._(
        "Ranking of units as of {date} ({count} units)",
        date=t.short_date(turn.today),
        count=t.number(count),
    )


def _own_unit(turn: Turn, scores: list[UnitScore]) -> None:
    """A head's view: the unit's own place and components."""
    t = turn.t
    place = place_of(scores, turn.identity.unit.id or 0)
    parts = [_header(t, turn, len(scores)), formula(t, turn.settings.ranking_weights)]
    if place is None:
        parts.append(
            t._("{unit} has no assignments yet, so it is not ranked.", unit=turn.identity.unit.name)
        )
    else:
        parts += [t._("Your unit:"), ranking_line(t, place)]
    parts.append(ranking_note(t))
    turn.show("\n\n".join(parts))


def _allowed(turn: Turn) -> bool:
    return _scope(turn) is Scope.PROVINCE


def _scope(turn: Turn) -> Scope | None:
    return scope_of(turn.identity.official.role, Action.VIEW_RANKING)


async def show(turn: Turn, _argument: str = "") -> None:
    """The top and the bottom of the ranking, with a button for the full list; a head's own."""
    scope = _scope(turn)
    if scope is None:
        _forbidden(turn, "command")
        return
    t = turn.t
    scores = await rank_units(turn.session, turn.today, turn.settings)
    if scope is Scope.UNIT:
        _own_unit(turn, scores)
        return
    if not scores:
        turn.show(t._("No unit has assignments yet, so there is no ranking."))
        return
    parts = [_header(t, turn, len(scores)), formula(t, turn.settings.ranking_weights)]
    choices: tuple[tuple[Choice, ...], ...] = ()
    if len(scores) <= 2 * SHOWN:
        parts += [ranking_line(t, s) for s in scores]
    else:
        parts.append(t._("Top {count}:", count=SHOWN))
        parts += [ranking_line(t, s) for s in scores[:SHOWN]]
        parts.append(t._("Bottom {count}:", count=SHOWN))
        parts += [ranking_line(t, s) for s in scores[-SHOWN:]]
        choices = ((Payload(FLOW, STATELESS, "page", "0").choice(t._("Full ranking")),),)
    parts.append(ranking_note(t))
    turn.show("\n\n".join(parts), choices)


async def on_button(turn: Turn, payload: Payload) -> None:
    """A page of the full ranking; the role is checked again on every press."""
    if not _allowed(turn):
        _forbidden(turn, "button")
        return
    page = payload.int_argument()
    if payload.action != "page" or page is None:
        turn.refuse_button("unknown ranking button")
        return
    t = turn.t
    scores = await rank_units(turn.session, turn.today, turn.settings)
    pages = max(1, count_pages(len(scores), PAGE))
    if page >= pages:
        turn.refuse_button("ranking page out of range")
        return
    shown = scores[page * PAGE : (page + 1) * PAGE]
    header = t._(
        "Ranking of units as of {date} — page {page}/{pages}",
        date=t.short_date(turn.today),
        page=page + 1,
        pages=pages,
    )
    nav = page_through(t, page, pages, stateless(FLOW, "page"))
    turn.show("\n\n".join([header, *(ranking_line(t, s) for s in shown)]), nav)
