"""Reports as a unit would have sent them, written straight to the database for page tests."""

from __future__ import annotations

import struct
import zlib
from datetime import timedelta

from db.models import Assignment, ProgressReport
from tests.harness import BotUnderTest


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def picture(width: int = 240, height: int = 120) -> bytes:
    """A PNG of coloured stripes: a person's evidence photo, as the fake Telegram serves it."""
    rows = b"".join(
        b"\x00" + b"".join(bytes((200, 40 + 2 * y % 200, (x * 255) // width)) for x in range(width))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows))
        + _chunk(b"IEND", b"")
    )


async def add_report(
    bot: BotUnderTest,
    assignment_id: int,
    official_id: int,
    text: str,
    *,
    photo: str | None = None,
    difficulty: str | None = None,
    progress: int = 40,
) -> int:
    """A progress report (with a photo the fake Telegram holds, if named); its id."""
    if photo is not None:
        bot.telegram.files[photo] = picture()
    async with bot.app.db.transaction() as session:
        report = ProgressReport(
            assignment_id=assignment_id,
            official_id=official_id,
            status="in_progress",
            progress=progress,
            done_text=text,
            difficulty=difficulty,
            evidence_kind="photo" if photo else None,
            evidence_file_id=photo,
            channel="telegram",
            created_at=bot.clock() - timedelta(hours=1),
        )
        session.add(report)
        assignment = await session.get(Assignment, assignment_id)
        assert assignment is not None
        assignment.status, assignment.progress = "in_progress", progress
        assignment.last_report_at = report.created_at
        await session.flush()
        return report.id or 0
