"""Weekly digests as plain data: one per unit for its heads, one for the whole province."""

from __future__ import annotations

from bot.services.digests.criteria import period_bounds
from bot.services.digests.model import (
    BlockerItem,
    Item,
    ProvinceDigest,
    UnitDigest,
)
from bot.services.digests.province import province_digest
from bot.services.digests.units import LIST_LIMIT, unit_digests

__all__ = [
    "LIST_LIMIT",
    "BlockerItem",
    "Item",
    "ProvinceDigest",
    "UnitDigest",
    "period_bounds",
    "province_digest",
    "unit_digests",
]
