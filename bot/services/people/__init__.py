"""Officials: their units, chat accounts and invitations, and who cannot be reached."""

from __future__ import annotations

from bot.services.people.accounts import (
    Redemption,
    hash_code,
    identify,
    issue_invitation,
    looks_like_code,
    redeem_invitation,
)
from bot.services.people.directory import (
    DEPARTMENTS_FIRST,
    WORKING_KINDS,
    DirectoryError,
    UnitOption,
    add_official,
    add_unit,
    is_working_unit,
    official_with_unit,
    officials,
    unit_by_code,
    unit_page,
)
from bot.services.people.identity import Identity
from bot.services.people.reach import note_seen, notice_accounts, reaches
from bot.services.people.unreachable import mark_reachable, mark_unreachable, standing_recipients

__all__ = [
    "DEPARTMENTS_FIRST",
    "WORKING_KINDS",
    "DirectoryError",
    "Identity",
    "Redemption",
    "UnitOption",
    "add_official",
    "add_unit",
    "hash_code",
    "identify",
    "is_working_unit",
    "issue_invitation",
    "looks_like_code",
    "mark_reachable",
    "mark_unreachable",
    "note_seen",
    "notice_accounts",
    "official_with_unit",
    "officials",
    "reaches",
    "redeem_invitation",
    "standing_recipients",
    "unit_by_code",
    "unit_page",
]
