"""The deadline jobs: reminders before a deadline, escalation after it."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from apscheduler.triggers.cron import CronTrigger

from bot.channels.base import Outbound
from bot.config import Settings
from bot.i18n import N_, Translator, translator_for
from bot.messages.cards import action_buttons
from bot.services import outbox
from bot.services.outbox import Envelope
from bot.services.reminders import Escalation, Notice, plan_overdue, plan_reminders
from scheduler.jobs import Job, JobContext

LIST_LIMIT = 25  # items in one alert; the rest are counted


def _t(ctx: JobContext, locale: str | None) -> Translator:
    return translator_for(locale, ctx.settings.locale, ctx.settings.zone)


def _reminder(t: Translator, notice: Notice) -> Outbound:
    when = (
        t._("today is the deadline")
        if notice.days == 0
        else t.n_("{count} day left", "{count} days left", notice.days)
    )
    text = t._(
        "⏰ Reminder: [{code}] {title}\nDeadline: {deadline} ({when}).\n"
        "Please update the progress, or report it done.",
        code=notice.task_code,
        title=notice.title,
        deadline=t.date(notice.deadline),
        when=when,
    )
    return Outbound(text, action_buttons(t, notice.assignment_id))


async def send_reminders(ctx: JobContext, now: datetime) -> int:
    """Queue the deadline reminders due as of `now`."""
    async with ctx.db.transaction() as session:
        notices = await plan_reminders(session, now, ctx.settings, ctx.calendar)
        envelopes = [
            Envelope(
                f"remind:{n.assignment_id}:{n.deadline.isoformat()}:T-{n.days}:{n.account_id}",
                n.channel,
                n.chat_key,
                _reminder(_t(ctx, n.locale), n),
            )
            for n in notices
        ]
        return await outbox.enqueue_many(session, envelopes, ctx.clock())


def _overdue_focal(t: Translator, notice: Notice) -> Outbound:
    text = t._(
        "🔴 Overdue: [{code}] {title}\nDeadline was {deadline}; {late}.\n"
        "Please report the progress and the difficulties, or ask for an extension.",
        code=notice.task_code,
        title=notice.title,
        deadline=t.date(notice.deadline),
        late=t.n_("{count} day late", "{count} days late", notice.days),
    )
    return Outbound(text, action_buttons(t, notice.assignment_id))


def _overdue_list(t: Translator, heading: str, items: list[Notice], who: dict[int, str]) -> str:
    lines = [heading]
    for notice in items[:LIST_LIMIT]:
        lines.append(
            t._(
                "• [{code}] {title} — {unit}, {late}, responsible: {person}",
                code=notice.task_code,
                title=notice.title,
                unit=notice.unit_name,
                late=t.n_("{count} day late", "{count} days late", notice.days),
                person=who.get(notice.assignment_id, "—"),
            )
        )
    if len(items) > LIST_LIMIT:
        rest = len(items) - LIST_LIMIT
        lines.append(t.n_("… and {count} more", "… and {count} more", rest))
    return "\n".join(lines)


def _grouped(notices: list[Notice]) -> dict[tuple[int, int, str, str, str | None], list[Notice]]:
    by_account: dict[tuple[int, int, str, str, str | None], list[Notice]] = defaultdict(list)
    for n in notices:
        by_account[(n.official_id, n.account_id, n.channel, n.chat_key, n.locale)].append(n)
    return by_account


def _escalation_envelopes(ctx: JobContext, plan: Escalation, day: str) -> list[Envelope]:
    envelopes = [
        Envelope(
            f"overdue:{n.assignment_id}:{day}:{n.account_id}",
            n.channel,
            n.chat_key,
            _overdue_focal(_t(ctx, n.locale), n),
        )
        for n in plan.focal
    ]
    for audience, notices in (("head", plan.head), ("standing", plan.standing)):
        for (official, account, channel, chat, locale), items in _grouped(notices).items():
            t = _t(ctx, locale)
            heading = (
                t.n_(
                    "🔴 Your unit has {count} overdue assignment:",
                    "🔴 Your unit has {count} overdue assignments:",
                    len(items),
                )
                if audience == "head"
                else t.n_(
                    "🔴 {count} assignment is overdue by more than {days} days:",
                    "🔴 {count} assignments are overdue by more than {days} days:",
                    len(items),
                    days=ctx.settings.overdue_standing_after_days,
                )
            )
            text = _overdue_list(t, heading, items, plan.responsible)
            envelopes.append(
                Envelope(
                    f"overdue-{audience}:{official}:{day}:{account}", channel, chat, Outbound(text)
                )
            )
    return envelopes


async def send_overdue(ctx: JobContext, now: datetime) -> int:
    """Queue today's overdue alerts to focal officers, heads and the standing office."""
    day = now.astimezone(ctx.settings.zone).date().isoformat()
    async with ctx.db.transaction() as session:
        plan = await plan_overdue(session, now, ctx.settings, ctx.calendar)
        envelopes = _escalation_envelopes(ctx, plan, day)
        return await outbox.enqueue_many(session, envelopes, ctx.clock())


def deadline_jobs(settings: Settings) -> list[Job]:
    """The two deadline jobs, daily at their configured local times."""
    zone = settings.zone
    remind, overdue = settings.reminder_time, settings.overdue_time
    return [
        Job(
            "reminders",
            CronTrigger(hour=remind.hour, minute=remind.minute, timezone=zone),
            send_reminders,
            N_("deadline reminders T-7, T-3, T-1 and on the day"),
        ),
        Job(
            "overdue",
            CronTrigger(hour=overdue.hour, minute=overdue.minute, timezone=zone),
            send_overdue,
            N_("overdue alerts to focal officers, heads and the standing office"),
        ),
    ]
