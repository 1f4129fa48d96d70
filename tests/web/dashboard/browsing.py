"""Headless Chromium (Debian's package) driven by Playwright, and where screenshots go."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[3]
PHONE = {"width": 360, "height": 740}
DESK = {"width": 1366, "height": 900}


def artefacts() -> Path:
    """Where screenshots are saved: $ROVIEC_ARTEFACTS, or tmp/artefacts in the repository."""
    folder = Path(os.environ.get("ROVIEC_ARTEFACTS") or ROOT / "tmp" / "artefacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    """The system's Chromium, headless; the test is skipped with the reason when it is absent."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            yield browser
        finally:
            await browser.close()


async def screenshots(page: Page, name: str) -> None:
    """The page as it looks on a 360-px phone and on a desk, full length."""
    for label, size in (("phone", PHONE), ("desk", DESK)):
        await page.set_viewport_size(size)
        await page.screenshot(path=str(artefacts() / f"{name}-{label}.png"), full_page=True)
    await page.set_viewport_size(DESK)
