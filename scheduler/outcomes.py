"""What became of one claimed outbox message, and the row's next state after it.

Invariants: an attempt that was never made does not count; being throttled is no failure
of the message, nor is being held until the person writes (that hold ends after HOLD_DAYS
at the latest); a refusal is final; a message that cannot even be prepared is dead at
once; anything else is retried with backoff until MAX_ATTEMPTS, then the message is dead
with its reason.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.channels.base import Delivery
from bot.services import outbox
from db.models import OutboxState

MAX_ATTEMPTS = 8
BACKOFF_CAP_SECONDS = 300.0
HOLD_DAYS = 7  # a held message is tried again after this, unless its person writes first
HELD_AT_MOST = timedelta(days=30)  # then it is given up: the news it carried is stale
PARTS_SENT = "parts_sent"  # payload key: parts of a long text already delivered


def backoff(attempts: int) -> float:
    """Seconds to wait before the next try: exponential, capped, with full jitter."""
    return random.uniform(0.5, min(BACKOFF_CAP_SECONDS, 2.0**attempts))


@dataclass
class Outcome:
    """What became of one claimed message; `delivery` is None when it was not tried."""

    row: outbox.Claimed
    delivery: Delivery | None
    chat_key: str
    parts_sent: int = 0
    unpreparable: bool = False  # the payload could not be made into a message: never will


def next_state(outcome: Outcome, now: datetime, scale: float) -> dict[str, Any]:
    """The row's new state after one delivery attempt (or none)."""
    row, delivery = outcome.row, outcome.delivery
    change: dict[str, Any] = {"id": row.id}
    if outcome.chat_key != row.chat_key:
        change["chat_key"] = outcome.chat_key
    if outcome.parts_sent and (delivery is None or not delivery.ok):
        # Parts already delivered are not sent again when the rest is retried.
        change["payload"] = {**row.payload, PARTS_SENT: outcome.parts_sent}
    if delivery is None:  # claimed but never tried: the attempt does not count
        return change | {"state": OutboxState.PENDING, "attempts": row.attempts - 1}
    if delivery.ok:
        return change | {
            "state": OutboxState.SENT,
            "sent_at": now,
            "sent_message_id": delivery.message_id,
            "last_error": None,
        }
    error = (delivery.error or "")[:2000]
    if outcome.unpreparable:
        return change | {"state": OutboxState.DEAD, "last_error": error}
    if delivery.held and now - row.created_at < HELD_AT_MOST:
        return change | {
            "state": OutboxState.PENDING,
            "attempts": row.attempts - 1,
            "last_error": error,
            "not_before": now + timedelta(days=HOLD_DAYS),
        }
    if delivery.permanent or delivery.held:
        return change | {"state": OutboxState.FAILED, "last_error": error}
    if delivery.throttled:  # being told to slow down is no failure of the message
        wait = (delivery.retry_after or 1.0) * scale
        return change | {
            "state": OutboxState.PENDING,
            "attempts": row.attempts - 1,
            "last_error": error,
            "not_before": now + timedelta(seconds=wait),
        }
    if row.attempts >= MAX_ATTEMPTS:
        return change | {"state": OutboxState.DEAD, "last_error": error}
    wait = delivery.retry_after or backoff(row.attempts)
    return change | {
        "state": OutboxState.PENDING,
        "last_error": error,
        "not_before": now + timedelta(seconds=wait),
    }
