"""How a unit's place in the one ranking reads: in /xephang and in the province digest alike."""

from __future__ import annotations

from collections.abc import Mapping

from bot.i18n import Translator
from bot.messages.cards import shorten
from bot.services.figures import UnitScore

NAME_CHARS = 50


def formula(t: Translator, weights: Mapping[str, float]) -> str:
    """How the score is computed, with the configured weights."""
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


def ranking_line(t: Translator, score: UnitScore) -> str:
    """A unit's rank, score and the three components with the counts behind them."""
    line = t._(
        "{rank}. {name} — {score} points",
        rank=t.number(score.rank),
        name=shorten(score.name, NAME_CHARS),
        score=t.number(round(score.score, 1)),
    )
    line += "\n    " + components_line(t, score)
    if score.claimed:
        line += t.n_(
            " · {count} result awaiting confirmation",
            " · {count} results awaiting confirmation",
            score.claimed,
        )
    return line


def components_line(t: Translator, score: UnitScore) -> str:
    """The three components of a unit's score, each with the counts behind it."""
    return t._(
        "on time {on_time} ({done}/{considered}) · overdue {overdue} ({late}/{open}) · "
        "reported {reporting} ({seen}/{open})",
        on_time=t.percent(100 * score.on_time_rate),
        done=t.number(score.done_on_time),
        considered=t.number(score.considered),
        overdue=t.percent(100 * score.overdue_share),
        late=t.number(score.overdue),
        open=t.number(score.open),
        reporting=t.percent(100 * score.reporting_rate),
        seen=t.number(score.reported),
    )


def ranking_note(t: Translator) -> str:
    """What counts as done on time in the ranking."""
    return t._(
        "Only results confirmed by the standing office count as done; results awaiting "
        "confirmation count once they are confirmed."
    )


def place_line(t: Translator, place: UnitScore, ranked: int) -> str:
    """The unit's place in the one ranking, as /xephang shows it."""
    return t._(
        "🏅 Ranking: {rank} of {count} units, {score} points.",
        rank=t.number(place.rank),
        count=t.number(ranked),
        score=t.number(round(place.score, 1)),
    )
