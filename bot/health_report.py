"""`roviec health` as an operator reads it in a terminal, in the deployment's language."""

from __future__ import annotations

from datetime import datetime

from bot.i18n import Translator
from bot.services.health import Health


def describe_health(health: Health, now: datetime, t: Translator) -> list[str]:
    """One line a concern: a label, then what it is now."""

    def when(moment: datetime) -> str:
        return moment.astimezone(t.zone).strftime("%Y-%m-%d %H:%M")

    schema = (
        t._("newest")
        if health.schema == health.schema_head
        else t._("newest is {revision}", revision=health.schema_head)
    )
    running = ", ".join(
        t._("{name} since {when}", name=i.name, when=when(i.started_at)) for i in health.instances
    )
    last = "; ".join(f"{name} {when(at)}" for name, at in sorted(health.last_update.items()))
    firings = "; ".join(f"{name} {when(at)}" for name, at in health.next_firings.items())
    status = (
        t._("ok") if health.ok else t._("PROBLEM: {problems}", problems="; ".join(health.problems))
    )
    rows = [
        (
            t._("database"),
            t._("reachable, schema {schema} ({state})", schema=health.schema, state=schema),
        ),
        (
            t._("instances"),
            t.n_("{count} running", "{count} running", len(health.instances))
            + (": " + running if running else ""),
        ),
        (t._("last update"), last or t._("none received yet")),
        (
            t._("inbox"),
            t.n_("{count} update waiting", "{count} updates waiting", health.inbox_backlog),
        ),
        (
            t._("outbox"),
            t.n_("{count} message due", "{count} messages due", health.outbox_backlog),
        ),
        (t._("dead (24 h)"), t.n_("{count} message", "{count} messages", health.dead_recently)),
        (
            t._("unreachable"),
            t.n_("{count} chat account", "{count} chat accounts", health.unreachable_accounts),
        ),
        (t._("next"), firings),
        (t._("status"), status),
    ]
    width = max(14, max(len(label) for label, _ in rows) + 2)  # aligned like a table
    return [f"{label:<{width}}{value}" for label, value in rows]
