"""The dashboard in a real browser: headless Chromium (Debian's package) driven by Playwright,
against the real server on loopback with the demo province. Screenshots of the main pages at
360 px and at desk width go to tmp/artefacts (or $ROVIEC_ARTEFACTS)."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator

import pytest
from openpyxl import load_workbook
from playwright.async_api import Browser, ConsoleMessage, Page, expect

from tests.harness import BotUnderTest
from tests.web.dashboard.browsing import DESK, artefacts, chromium, screenshots
from tests.web.dashboard.directive_data import add_directive, add_reply
from tests.web.dashboard.reports import add_report
from tests.web.dashboard.signing_in import link_from_bot

pytestmark = [pytest.mark.sqlite_only, pytest.mark.slow]


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """A headless Chromium for one test."""
    async with chromium() as launched:
        yield launched


async def _page(browser: Browser, problems: list[str]) -> Page:
    """A fresh browser context (no cookies) collecting console errors (a blocked style or
    script says so there) and dialogs; a refused page load (401, 403) is not a problem."""
    context = await browser.new_context(accept_downloads=True, locale="vi-VN")
    page = await context.new_page()

    def console(message: ConsoleMessage) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(message.text)

    page.on("console", console)
    page.on("dialog", lambda d: problems.append(f"dialog: {d.message}"))
    return page


async def _sign_in(bot: BotUnderTest, page: Page, official_id: int, user_id: int) -> str:
    """Ask the bot for a link as this official, open it, press the button; the link."""
    person = await bot.registered(official_id, user_id)
    link = await link_from_bot(bot, person)
    await page.goto(link)
    await page.get_by_role("button", name="Mở bảng điều hành").click()
    return link


async def test_a_standing_officer_works_through_the_dashboard(
    demo_served: BotUnderTest, browser: Browser
) -> None:
    bot, problems = demo_served, []
    report = await add_report(
        bot, bot.province.overdue, bot.province.health_focal, "Đã lắp 2 ki-ốt", photo="kiosk-1"
    )
    page = await _page(browser, problems)
    await _sign_in(bot, page, bot.province.standing, 801)

    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Tình hình thực hiện Đề án 06 toàn tỉnh"
    )
    await expect(page.locator(".chart svg.bar rect").first).to_be_visible()
    await expect(page.get_by_text("Chờ cơ quan thường trực xử lý")).to_be_visible()
    await screenshots(page, "province")
    await page.emulate_media(media="print")
    await page.set_viewport_size({"width": 718, "height": 1020})  # A4 inside 10-mm margins
    await page.screenshot(path=str(artefacts() / "province-print.png"), full_page=True)
    printed = await page.pdf(path=str(artefacts() / "province.pdf"), format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", printed)) == 1  # one page for a meeting
    await page.emulate_media(media="screen")
    await page.set_viewport_size(DESK)

    await page.get_by_role("link", name="Đơn vị", exact=True).click()
    await page.get_by_label("Loại").select_option("department")
    await page.get_by_label("Tiến độ").select_option("overdue")
    await page.get_by_role("button", name="Xem").click()
    assert "kind=department" in page.url and "timing=overdue" in page.url
    names = await page.locator("tbody td:nth-child(2) a").all_inner_texts()
    assert names and all(not n.startswith(("UBND xã", "UBND phường")) for n in names)
    await screenshots(page, "units")

    await page.get_by_role("link", name="Sở Y tế", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Sở Y tế")
    await screenshots(page, "unit")
    await page.goto(f"{bot.app.settings.public_url}/web/assignments/{bot.province.overdue}")
    photo = page.get_by_role("img", name="Ảnh minh chứng")
    await expect(photo).to_be_visible()
    await page.wait_for_function(
        "image => image.complete && image.naturalWidth > 0", arg=await photo.element_handle()
    )
    assert await photo.evaluate("image => image.naturalWidth") == 240  # the PNG, decoded
    assert await photo.get_attribute("src") == f"/web/evidence/{report}"
    await screenshots(page, "assignment")

    async with page.expect_download() as downloading:
        await page.get_by_role("link", name="Xuất báo cáo (Excel)").click()
    download = await downloading.value
    assert download.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO((await download.path()).read_bytes()))
    assert book.sheetnames == ["Theo dõi", "Tổng hợp"]

    await page.get_by_role("button", name="Đăng xuất").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Đồng chí đã đăng xuất")
    response = await page.goto(f"{bot.app.settings.public_url}/web/province")
    assert response is not None and response.status == 401
    assert problems == []


async def test_a_head_sees_only_the_own_unit(demo_served: BotUnderTest, browser: Browser) -> None:
    bot, problems = demo_served, []
    page = await _page(browser, problems)
    await _sign_in(bot, page, bot.province.health_head, 802)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Sở Y tế")
    assert await page.get_by_role("link", name="Toàn tỉnh").count() == 0
    await screenshots(page, "head-unit")
    base = bot.app.settings.public_url
    response = await page.goto(f"{base}/web/assignments/{bot.province.education_task}")
    assert response is not None and response.status == 403
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Đồng chí không có quyền xem trang này"
    )
    response = await page.goto(f"{base}/web/province")
    assert response is not None and response.status == 403
    assert len(await bot.audits("dashboard.refused")) == 2
    assert problems == []


async def test_a_used_or_expired_link_is_refused(
    demo_served: BotUnderTest, browser: Browser
) -> None:
    bot, problems = demo_served, []
    first = await _page(browser, problems)
    link = await _sign_in(bot, first, bot.province.standing, 803)
    second = await _page(browser, problems)
    await second.goto(link)
    await second.get_by_role("button", name="Mở bảng điều hành").click()
    await expect(second.get_by_role("heading", level=1)).to_have_text(
        "Không thể sử dụng liên kết này"
    )
    person = bot.telegram.person(803)
    stale = await link_from_bot(bot, person)
    bot.clock.advance(minutes=11)
    await second.goto(stale)
    await second.get_by_role("button", name="Mở bảng điều hành").click()
    await expect(second.get_by_role("heading", level=1)).to_have_text(
        "Không thể sử dụng liên kết này"
    )
    await screenshots(second, "link-refused")
    reasons = [e.detail.split(":")[0] for e in await bot.audits("dashboard.link_refused")]
    assert reasons == ["used", "expired"]
    assert problems == []


async def test_a_report_with_html_shows_as_text(
    demo_served: BotUnderTest, browser: Browser
) -> None:
    bot, problems = demo_served, []
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    await add_report(bot, bot.province.overdue, bot.province.health_focal, hostile)
    page = await _page(browser, problems)
    await _sign_in(bot, page, bot.province.standing, 804)
    await page.goto(f"{bot.app.settings.public_url}/web/assignments/{bot.province.overdue}")
    await expect(page.get_by_text(hostile)).to_be_visible()
    assert await page.locator("main img[src=x]").count() == 0
    assert problems == []


async def test_directives_show_replies_per_unit_as_text(
    demo_served: BotUnderTest, browser: Browser
) -> None:
    bot, problems = demo_served, []
    p = bot.province
    hostile = '<script>alert("x")</script> đã triển khai'
    await bot.registered(p.health_focal, 807)  # Sở Y tế is reached; education is not
    directive = await add_directive(
        bot, "CĐ-2026-901", [(p.health_focal, "SYT"), (p.education_focal, "SGDDT")]
    )
    await add_reply(bot, directive, p.health_focal, hostile)
    page = await _page(browser, problems)
    await _sign_in(bot, page, p.standing, 805)
    await page.get_by_role("link", name="Văn bản chỉ đạo", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Văn bản chỉ đạo")
    await expect(page.locator("td", has_text="Sở Y tế")).to_be_visible()
    await screenshots(page, "directives")
    await page.get_by_role("link", name="CĐ-2026-901", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Văn bản chỉ đạo CĐ-2026-901")
    await expect(page.get_by_text(hostile)).to_be_visible()
    await screenshots(page, "directive")
    head = await _page(browser, problems)
    await _sign_in(bot, head, p.education_head, 806)
    response = await head.goto(f"{bot.app.settings.public_url}/web/directives/{directive}")
    assert response is not None and response.status == 200
    assert await head.get_by_text(hostile).count() == 0  # another unit's reply
    assert problems == []
