"""The Zalo OA's tokens in the database, where every instance finds the newest ones.

Invariants:
- the refresh token is single use: the one a refresh returns is committed before the new
  access token is used, in the transaction that read the old one, so a crash right after
  loses nothing and the next process loads it;
- renewals are serialized across instances by that transaction (a row lock on PostgreSQL,
  SQLite's single writer): a second instance that waited finds the tokens renewed and uses
  them instead of spending the new refresh token;
- the operator's first refresh token (ROVIEC_ZALO_OA_REFRESH_TOKEN) seeds the row once;
  a different one given later replaces the stored tokens (the OA was authorized again).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.channels.zalo.oa_api import OAToken
from bot.channels.zalo.oa_channel import Trade
from db.engine import Database
from db.models import ChannelState

log = logging.getLogger(__name__)
ROW = "zalo_oa.tokens"
EXPIRED = datetime(1970, 1, 1, tzinfo=UTC)  # a seeded row has no access token yet


class TokensLost(Exception):
    """The stored tokens are missing: the store was never seeded."""


class DatabaseTokenStore:
    """The OA's tokens in a `channelstate` row."""

    def __init__(self, db: Database, clock: Callable[[], datetime], name: str = ROW) -> None:
        self.db = db
        self.clock = clock
        self.name = name
        self._cached: OAToken | None = None

    def __repr__(self) -> str:
        """Never the tokens."""
        return f"DatabaseTokenStore({self.name!r})"

    async def seed(self, first_refresh_token: str) -> bool:
        """Store the operator's refresh token unless it is the one already seeded; whether
        it was stored."""
        fingerprint = _fingerprint(first_refresh_token)
        async with self.db.transaction() as session:
            row = await _locked_row(session, self.name)
            if row is not None and row.value.get("seeded_from") == fingerprint:
                return False
            value = _encode(OAToken("", first_refresh_token, EXPIRED), fingerprint)
            if row is None:
                session.add(ChannelState(name=self.name, value=value, updated_at=self.clock()))
            else:
                row.value, row.updated_at = value, self.clock()
        self._cached = None
        log.info("Zalo OA: the refresh token from the settings is stored")
        return True

    async def load(self) -> OAToken:
        """The current tokens (kept in memory until a renewal replaces them)."""
        if self._cached is None:
            async with self.db.read() as session:
                row = await session.get(ChannelState, self.name)
            if row is None:
                raise TokensLost(self.name)
            self._cached = _decode(row.value)
        return self._cached

    async def renew(self, stale: OAToken, trade: Trade) -> OAToken:
        """The stored tokens if another instance renewed `stale`, else traded and saved."""
        traded: OAToken | None = None
        try:
            async with self.db.transaction() as session:
                row = await _locked_row(session, self.name)
                if row is None:
                    raise TokensLost(self.name)
                current = _decode(row.value)
                if current.access_token != stale.access_token:
                    self._cached = current
                    return current
                traded = await trade(current.refresh_token)
                row.value = _encode(traded, row.value.get("seeded_from"))
                row.updated_at = self.clock()
        except Exception:
            if traded is not None:
                # The old refresh token is spent: without the new one an operator must step in.
                log.critical("Zalo OA tokens were renewed but could not be saved")
            raise
        self._cached = traded
        log.info("Zalo OA tokens renewed and saved")
        return traded


async def _locked_row(session: AsyncSession, name: str) -> ChannelState | None:
    """The row, locked until the transaction ends (SQLite's writer lock is already held)."""
    query = select(ChannelState).where(col(ChannelState.name) == name).with_for_update()
    return await session.scalar(query)


def _fingerprint(refresh_token: str) -> str:
    """A hash that tells whether the settings' token changed, without storing it twice."""
    return hashlib.sha256(refresh_token.encode()).hexdigest()


def _encode(token: OAToken, seeded_from: Any) -> dict[str, Any]:
    """The row's JSON value."""
    return {
        "access_token": token.access_token,
        "refresh_token": token.refresh_token,
        "expires_at": token.expires_at.isoformat(),
        "seeded_from": seeded_from,
    }


def _decode(value: dict[str, Any]) -> OAToken:
    """The tokens of a row's JSON value."""
    expires = datetime.fromisoformat(str(value["expires_at"]))
    return OAToken(str(value["access_token"]), str(value["refresh_token"]), expires)
