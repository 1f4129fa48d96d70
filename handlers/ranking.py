"""/xephang (/ranking): units ranked by score, top and bottom, with the three components.

For leaders and the standing office; the full list pages with stateless buttons that are
re-authorised on every press.
"""

from __future__ import annotations

from bot.channels.base import Choice
from bot.i18n import Translator
from bot.messages.cards import shorten
from bot.messages.payloads import STATELESS, Flow, Payload
from bot.services.ranking import UnitScore, rank_units
from db.models import Role
from handlers.choices import count_pages, page_through, stateless
from handlers.turn import Turn

FLOW = Flow.RANKING
SHOWN = 8  # top and bottom this many; all when there are at most twice as many units
PAGE = 12
VIEWERS = (Role.LEADER, Role.STANDING)


def _forbidden(turn: Turn, detail: str) -> None:
    """The wrong role: a clear answer and an audit entry."""
    explanation = turn.t._(
        "The ranking of units is for provincial leaders and the standing office."
    )
    turn.refuse_role("ranking.refused", detail, explanation)


def _formula(t: Translator, weights: dict[str, float]) -> str:
    values = {
        "on_time": t.number(weights["on_time"]),
        "overdue": t.number(weights["overdue"]),
        "reporting": t.number(weights["reporting"]),
    }
    total = round(sum(weights.values()), 6)
    if total == 1:
        return t._(
            "Score = 100 × ({on_time} × on-time rate + {overdue} × (1 − overdue share) + "
            "{reporting} × reporting rate)",
            **values,
        )
    return t._(
        "Score = 100 × ({on_time} × on-time rate + {overdue} × (1 − overdue share) + "
        "{reporting} × reporting rate) ÷ {total}",
        total=t.number(total),
        **values,
    )


def _line(t: Translator, score: UnitScore) -> str:
    return t._(
        "{rank}. {name} — {score} points\n"
        "    on time {on_time} ({done}/{considered}) · overdue {overdue} ({late}/{open}) · "
        "reported {reporting} ({seen}/{open})",
        rank=score.rank,
        name=shorten(score.name, 50),
        score=t.number(round(score.score, 1)),
        on_time=t.percent(100 * score.on_time_rate),
        done=t.number(score.done_on_time),
        considered=t.number(score.considered),
        overdue=t.percent(100 * score.overdue_share),
        late=t.number(score.overdue),
        open=t.number(score.open),
        reporting=t.percent(100 * score.reporting_rate),
        seen=t.number(score.reported),
    )


def _allowed(turn: Turn) -> bool:
    assert turn.identity is not None
    return turn.identity.official.role in VIEWERS


async def show(turn: Turn, _argument: str = "") -> None:
    """The top and the bottom of the ranking, with a button for the full list."""
    if not _allowed(turn):
        _forbidden(turn, "command")
        return
    t = turn.t
    scores = await rank_units(turn.session, turn.today, turn.settings)
    if not scores:
        turn.show(t._("No unit has assignments yet, so there is no ranking."))
        return
    header = t._(
        "Ranking of units as of {date} ({count} units)",
        date=t.short_date(turn.today),
        count=t.number(len(scores)),
    )
    parts = [header, _formula(t, turn.settings.ranking_weights)]
    choices: tuple[tuple[Choice, ...], ...] = ()
    if len(scores) <= 2 * SHOWN:
        parts += [_line(t, s) for s in scores]
    else:
        parts.append(t._("Top {count}:", count=SHOWN))
        parts += [_line(t, s) for s in scores[:SHOWN]]
        parts.append(t._("Bottom {count}:", count=SHOWN))
        parts += [_line(t, s) for s in scores[-SHOWN:]]
        choices = ((Payload(FLOW, STATELESS, "page", "0").choice(t._("Full ranking")),),)
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
    turn.show("\n\n".join([header, *(_line(t, s) for s in shown)]), nav)
