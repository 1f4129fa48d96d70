"""Who is acting: a bound chat account with its official and unit."""

from __future__ import annotations

from dataclasses import dataclass

from db.models import ChatAccount, Official, Unit


@dataclass(frozen=True)
class Identity:
    """A bound chat account with its official and unit."""

    account: ChatAccount
    official: Official
    unit: Unit
