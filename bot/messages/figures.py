"""The words figures are shown in (digests, /tonghop, /quahan): shared phrases and fitting.

A message fits the limits of its recipient's channel (`bot.channels.limits`); lists are cut
to fit with "… and N more", showing the same number of items from every list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.channels.base import text_length
from bot.i18n import Translator
from bot.services.digests.model import BlockerItem, Item
from bot.services.figures import Counts, State

TITLE_CHARS = 70
UNIT_CHARS = 60


def shorten(text: str, limit: int) -> str:
    """The text on one line, cut to `limit` characters with "…"."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Section:
    """A titled list; `total` may exceed the lines at hand (the rest is only counted)."""

    header: str
    lines: tuple[str, ...]
    total: int


def fit(head: Sequence[str], sections: Sequence[Section], t: Translator, limit: int | None) -> str:
    """Head lines then sections, each list cut to the same length so that the text fits."""

    def render(shown: int) -> str:
        blocks = ["\n".join(head)] if head else []
        for section in sections:
            lines = [section.header, *section.lines[:shown]]
            hidden = section.total - min(shown, len(section.lines))
            if hidden > 0:
                lines.append(t.n_("… and {count} more", "… and {count} more", hidden))
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)

    low, high = 0, max((len(s.lines) for s in sections), default=0)
    if limit is None or text_length(render(high)) <= limit:
        return render(high)
    while low < high:  # the largest number of items per list that still fits
        middle = (low + high + 1) // 2
        if text_length(render(middle)) <= limit:
            low = middle
        else:
            high = middle - 1
    text = render(low)
    while text_length(text) > limit:  # only when even the headers alone are too long
        text = text[: len(text) - (text_length(text) - limit) - 1] + "…"
    return text


def responsible(t: Translator, names: tuple[str, ...]) -> str:
    """Who answers for an item, or that no focal officer is named."""
    return ", ".join(names) if names else t._("no focal officer named")


def lateness(t: Translator, days: int) -> str:
    """How many days late, in words."""
    return t.n_("{count} day late", "{count} days late", days)


def task_title(item: Item | BlockerItem) -> str:
    """An item's task code and shortened title."""
    return f"{item.task_code} {shorten(item.title, TITLE_CHARS)}"


def _parts(t: Translator, counts: Counts) -> dict[str, str]:
    return {
        "total": t.number(counts.total),
        "done": t.number(counts.done),
        "claimed": t.number(counts.claimed),
        "in_progress": t.number(counts.of(State.IN_PROGRESS)),
        "not_started": t.number(counts.of(State.NOT_STARTED)),
        "maintained": t.number(counts.of(State.MAINTAINED)),
        "overdue": t.number(counts.overdue),
    }


def task_counts(t: Translator, counts: Counts) -> str:
    """The line counting tasks (each once) by state."""
    return t._(
        "Tasks ({total}): {done} done, {claimed} awaiting confirmation, {in_progress} in "
        "progress, {not_started} not started, {maintained} maintained; {overdue} overdue.",
        **_parts(t, counts),
    )


def pilot_counts(t: Translator, counts: Counts) -> str:
    """The line counting pilot models (each once) by state."""
    return t._(
        "Pilot models ({total}): {done} done, {claimed} awaiting confirmation, {in_progress} "
        "in progress, {not_started} not started, {maintained} maintained; {overdue} overdue.",
        **_parts(t, counts),
    )


def assignment_counts(t: Translator, counts: Counts) -> str:
    """The line counting assignments (a task given to a unit) by state."""
    return t._(
        "Assignments to units ({total}): {done} done, {claimed} awaiting confirmation, "
        "{in_progress} in progress, {not_started} not started, {maintained} maintained; "
        "{overdue} overdue.",
        **_parts(t, counts),
    )


def confirmation_note(t: Translator) -> str:
    """What "done" and "awaiting confirmation" mean, said under the figures."""
    return t._(
        "“Done” counts only results confirmed by the standing office; “awaiting "
        "confirmation” are results a unit reported done that are not confirmed yet."
    )


def overdue_line(t: Translator, item: Item) -> str:
    """One overdue assignment of a unit: how late, its deadline, who answers for it."""
    return t._(
        "• {task} — {late} (deadline {deadline}); responsible: {people}",
        task=task_title(item),
        late=lateness(t, item.days_late),
        deadline=t.short_date(item.deadline),
        people=responsible(t, item.responsible),
    )


def overdue_line_with_unit(t: Translator, item: Item) -> str:
    """One overdue assignment province-wide: its unit, how late, who answers for it."""
    return t._(
        "• {unit}: {task} — {late}; responsible: {people}",
        unit=shorten(item.unit_name, UNIT_CHARS),
        task=task_title(item),
        late=lateness(t, item.days_late),
        people=responsible(t, item.responsible),
    )
