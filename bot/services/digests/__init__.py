"""Weekly digests as plain data: one per unit for its heads, one for the whole province."""

from __future__ import annotations

from bot.services.digests.criteria import period_bounds
from bot.services.digests.model import (
    BlockerItem,
    GroupCount,
    Item,
    ProvinceDigest,
    UnitDigest,
    UnitScore,
)
from bot.services.digests.province import pilot_status, province_digest
from bot.services.digests.units import LIST_LIMIT, unit_digests

__all__ = [
    "LIST_LIMIT",
    "BlockerItem",
    "GroupCount",
    "Item",
    "ProvinceDigest",
    "UnitDigest",
    "UnitScore",
    "period_bounds",
    "pilot_status",
    "province_digest",
    "unit_digests",
]
