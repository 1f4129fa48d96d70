"""Instant columns: aware UTC datetimes, stored by `UTCDateTime`."""

from __future__ import annotations

from typing import Any

from sqlmodel import Field

from db.types import UTCDateTime


def instant() -> Any:
    """A required instant column."""
    return Field(sa_type=UTCDateTime)


def optional_instant() -> Any:
    """An instant column that may be empty."""
    return Field(default=None, sa_type=UTCDateTime)
