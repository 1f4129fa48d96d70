"""The connection pool both Zalo clients share: theirs to close only if they opened it."""

from __future__ import annotations

from types import TracebackType
from typing import Self

import httpx


class PooledClient:
    """An httpx pool, given by the caller or made here; usable as ``async with``."""

    def __init__(self, http: httpx.AsyncClient | None, timeout: float) -> None:
        self._own_http = http is None
        self._http = http or httpx.AsyncClient(timeout=timeout)

    async def __aenter__(self) -> Self:
        """Use as ``async with``."""
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Close the connection pool if this client made it."""
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool if this client made it."""
        if self._own_http:
            await self._http.aclose()
