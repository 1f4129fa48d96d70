"""The directives pages over real HTTP: counts as the services count them, replies in order
and escaped, reply files, and a head kept to the own unit."""

from __future__ import annotations

import re

import pytest

from bot.services import files
from bot.services.dashboard import directive as directive_service
from bot.services.directives.replies import replied_units, reply_counts
from bot.services.directives.tracking import statuses
from bot.web.dashboard import directives_view
from tests.harness import BotUnderTest
from tests.web.dashboard.directive_data import add_directive, add_reply
from tests.web.dashboard.reports import picture
from tests.web.dashboard.signing_in import signed_in


async def _directive_with_replies(bot: BotUnderTest) -> tuple[int, int]:
    """A directive to health, education and the commune (where nobody is registered), with
    replies from health (one of them HTML) and education (a photo); its id and the photo's
    reply."""
    p = bot.province
    await bot.registered(p.health_focal, 721)
    await bot.registered(p.education_focal, 722)
    directive = await add_directive(
        bot,
        "CĐ-2026-007",
        [
            (p.health_focal, "SYT"),
            (p.health_head, "SYT"),
            (p.education_focal, "SGDDT"),
            (p.commune_focal, "X-DC"),
        ],
        acknowledged=(p.health_focal, p.education_focal),
    )
    await add_reply(bot, directive, p.health_focal, "Đã triển khai tại 3 bệnh viện", minutes_ago=50)
    await add_reply(bot, directive, p.health_focal, '<script>alert("x")</script>', minutes_ago=20)
    async with bot.app.db.transaction() as session:
        kept = await files.store(session, picture(), "bien-ban.png", bot.clock(), None)
    photo = await add_reply(
        bot,
        directive,
        p.education_focal,
        "Biên bản kèm theo",
        attachment=("photo", files.make_reference(kept.id), "bien-ban.png"),
    )
    return directive, photo


async def test_the_counts_are_those_the_directive_services_compute(
    served: BotUnderTest,
) -> None:
    directive, _ = await _directive_with_replies(served)
    async with served.app.db.read() as session:
        [status] = await statuses(session, [directive])
        replied = (await replied_units(session, [directive]))[directive]
        per_unit = (await reply_counts(session, [directive]))[directive]
    async with signed_in(served, served.province.standing, 723) as http:
        listing = await http.get("/web/directives")
        page = await http.get(f"/web/directives/{directive}")
    assert listing.status_code == 200 and page.status_code == 200
    summary = (
        f"Đã gửi đến {status.delivered}/{status.total} người nhận, "
        f"{status.acknowledged} người đã xác nhận tiếp nhận."
    )
    for html in (listing.text, page.text):
        assert summary in html
        assert f"{replied} đơn vị đã phản hồi." in html
    health, education = await served.unit_id("SYT"), await served.unit_id("SGDDT")
    rows = dict(
        re.findall(
            r'<a href="/web/units/(\d+)">[^<]+</a></td>(?:<td class="num[^"]*">\d+</td>\s*){3}'
            r'<td class="num">(\d+)</td>',
            listing.text,
        )
    )
    assert rows == {str(health): str(per_unit[health]), str(education): str(per_unit[education])}
    # The commune, where nobody is registered, is listed apart, not in the table.
    unreached = r'nhận được \(1 đơn vị\):\s*<a href="/web/units/\d+">UBND xã Diễn Châu</a> \(1\)'
    assert re.search(unreached, listing.text)


async def test_the_directive_page_lists_each_units_replies_in_order_as_text(
    served: BotUnderTest,
) -> None:
    directive, photo = await _directive_with_replies(served)
    async with signed_in(served, served.province.standing, 724) as http:
        page = await http.get(f"/web/directives/{directive}")
        image = await http.get(f"/web/replies/{photo}/file", follow_redirects=True)
        missing = await http.get("/web/directives/99999")
    html = page.text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert html.index("Đã triển khai tại 3 bệnh viện") < html.index("&lt;script&gt;")
    assert f'href="/web/replies/{photo}/file"' in html
    assert image.status_code == 200 and image.content == picture()
    assert missing.status_code == 404


async def test_a_head_sees_the_own_units_part_and_is_refused_another_directive(
    served: BotUnderTest,
) -> None:
    directive, photo = await _directive_with_replies(served)
    p = served.province
    elsewhere = await add_directive(served, "CĐ-2026-008", [(p.commune_focal, "X-DC")])
    async with signed_in(served, p.health_head, 725) as http:
        listing = await http.get("/web/directives")
        own = await http.get(f"/web/directives/{directive}")
        other = await http.get(f"/web/directives/{elsewhere}")
        missing = await http.get("/web/directives/99999")
        their_file = await http.get(f"/web/replies/{photo}/file")
    assert listing.status_code == 200 and own.status_code == 200
    assert "CĐ-2026-007" in listing.text and "CĐ-2026-008" not in listing.text
    for html in (listing.text, own.text):
        assert "Sở Giáo dục" not in html and "Biên bản kèm theo" not in html
        assert "UBND xã Diễn Châu" not in html
    assert "Đã triển khai tại 3 bệnh viện" in own.text
    for refused in (other, missing, their_file):
        assert refused.status_code == 403 and "CĐ-2026-008" not in refused.text
        assert not refused.content.startswith(b"\x89PNG")
    entries = await served.audits("dashboard.refused")
    assert len(entries) == 3 and all(e.actor_official_id == p.health_head for e in entries)


async def test_a_directive_to_many_units_is_paged_by_unit(
    served: BotUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(directive_service, "UNITS_PER_PAGE", 1)
    monkeypatch.setattr(directives_view, "UNITS_LISTED", 1)
    directive, _ = await _directive_with_replies(served)
    async with signed_in(served, served.province.standing, 726) as http:
        listing = await http.get("/web/directives")
        first = await http.get(f"/web/directives/{directive}")
        second = await http.get(f"/web/directives/{directive}", params={"page": "1"})
    assert "… và 2 đơn vị khác" in listing.text and "Sở Y tế" not in listing.text
    assert "Biên bản kèm theo" in first.text and "Đã triển khai" not in first.text
    assert "Đã triển khai tại 3 bệnh viện" in second.text and "Biên bản" not in second.text
    for html in (first.text, second.text):  # the totals are the directive's, not the page's
        assert "2 đơn vị đã phản hồi." in html and "Trang " in html
