"""One person's action being handled: what came in, who it is, and what to send back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.base import Choice, Inbound, Outbound
from bot.config import Settings
from bot.i18n import Translator
from bot.services import audit
from bot.services.people.identity import Identity
from db.models import ChatAccount, Conversation


@dataclass(frozen=True)
class Notice:
    """A message to someone other than the sender, with a stable dedupe key."""

    account: ChatAccount
    message: Outbound
    dedupe_key: str


@dataclass
class Turn:
    """Everything a handler needs for one inbound action, inside one transaction."""

    inbound: Inbound
    session: AsyncSession
    now: datetime
    today: date
    settings: Settings
    t: Translator
    identity: Identity | None = None
    conversation: Conversation | None = None
    replies: list[Outbound] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    button_notice: str | None = None

    @property
    def who(self) -> str:
        """The sender as written in the audit log."""
        return f"{self.inbound.channel}:{self.inbound.user_key}"

    def say(self, text: str, choices: tuple[tuple[Choice, ...], ...] = ()) -> None:
        """Reply with a new message."""
        self.replies.append(Outbound(text=text, choices=choices))

    def reply(self, message: Outbound) -> None:
        """Reply with a prepared message (a file sent again, say)."""
        self.replies.append(message)

    def show(self, text: str, choices: tuple[tuple[Choice, ...], ...] = ()) -> None:
        """Replace the message a button was pressed on, or reply when the person typed."""
        if self.inbound.is_button and self.inbound.message_id is not None:
            self.replies.append(
                Outbound(text=text, choices=choices, edit_message_id=self.inbound.message_id)
            )
        else:
            self.say(text, choices)

    def tell(self, account: ChatAccount, message: Outbound, dedupe_key: str) -> None:
        """Send a message to another person's account."""
        self.notices.append(Notice(account, message, dedupe_key))

    def refuse_role(
        self,
        action: str,
        detail: str,
        explanation: str,
        *,
        entity: str = "",
        notice: str | None = None,
    ) -> None:
        """The wrong role: `explanation` as the answer, an audit entry, nothing else.

        A pressed button is answered with `notice`, by default that this is not allowed.
        """
        assert self.identity is not None
        what = self.inbound.payload or self.inbound.text
        audit.refusal(
            self.session,
            self.identity,
            now=self.now,
            action=action,
            entity=entity,
            detail=f"role {self.identity.official.role}: {detail}: {what!r}",
        )
        if self.inbound.is_button:
            self.button_notice = notice or self.t._("You are not allowed to do this.")
        self.say(explanation)

    def refuse_button(self, reason: str, explanation: str | None = None) -> None:
        """Refuse a forged or stale button, say so briefly, and write it to the audit log.

        `explanation` says what to do instead; by default, to report again or see the tasks.
        """
        audit.record(
            self.session,
            now=self.now,
            action="button.refused",
            actor_official_id=self.identity.official.id if self.identity else None,
            actor_account=self.who,
            detail=f"{reason}: {self.inbound.payload!r}"[:500],
        )
        self.button_notice = self.t._("This button is no longer valid.")
        self.say(
            explanation
            or self.t._(
                "This button belongs to an earlier step and can no longer be used. "
                "Send /baocao to report again or /nhiemvu to see your tasks."
            )
        )
