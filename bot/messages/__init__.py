"""What a conversation and a scheduled job both show: cards, button payloads, directive wording."""

from __future__ import annotations

from bot.messages.cards import action_buttons, card, line, shorten, status_name
from bot.messages.directives import (
    attachment_key,
    attachment_message,
    directive_message,
    directive_text,
    pending_list,
    reminder_message,
    status_message,
)
from bot.messages.payloads import STATELESS, Flow, Payload, decode

__all__ = [
    "STATELESS",
    "Flow",
    "Payload",
    "action_buttons",
    "attachment_key",
    "attachment_message",
    "card",
    "decode",
    "directive_message",
    "directive_text",
    "line",
    "pending_list",
    "reminder_message",
    "shorten",
    "status_message",
    "status_name",
]
