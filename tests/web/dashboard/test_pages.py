"""The dashboard's pages over real HTTP: scope by role and unit, escaping, headers, export."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from bot.services.figures import province_figures
from tests.harness import BotUnderTest
from tests.web.dashboard.reports import add_report
from tests.web.dashboard.signing_in import signed_in


async def test_the_province_page_shows_the_figures_of_the_figures_service(
    served: BotUnderTest,
) -> None:
    async with served.app.db.read() as session:
        figures = await province_figures(session, served.app.today())
    async with signed_in(served, served.province.standing, 701) as http:
        page = await http.get("/web/province")
    assert page.status_code == 200
    text = page.text
    assert f"{figures.tasks.done}/{figures.tasks.total}" in text
    assert f"{figures.pilot_models.done}/{figures.pilot_models.total}" in text
    assert "<svg" in text and "<rect" in text  # the chart, drawn on the server
    assert "NV-01" in text  # the longest overdue item
    assert "<script" not in text


async def test_every_page_carries_the_security_headers(served: BotUnderTest) -> None:
    async with signed_in(served, served.province.standing, 702) as http:
        for path in ("/web/province", "/web/units", "/web/directives", "/web/signin/x"):
            page = await http.get(path)
            policy = page.headers["content-security-policy"]
            assert "frame-ancestors 'none'" in policy and "script-src" not in policy
            assert "default-src 'none'" in policy and "unsafe-inline" not in policy
            assert page.headers["x-content-type-options"] == "nosniff"
            assert page.headers["referrer-policy"] == "same-origin"


async def test_units_filter_by_kind_and_sort_by_name(served: BotUnderTest) -> None:
    async with signed_in(served, served.province.standing, 703) as http:
        communes = await http.get("/web/units", params={"kind": "commune"})
        by_name = await http.get("/web/units", params={"sort": "name", "dir": "desc"})
        overdue = await http.get("/web/units", params={"timing": "overdue"})
        junk = await http.get("/web/units", params={"sort": "'; drop", "page": "-1"})
    assert communes.status_code == 200
    assert "UBND xã Diễn Châu" in communes.text and "Sở Y tế" not in communes.text
    names = re.findall(r'<a href="/web/units/\d+">([^<]+)</a>', by_name.text)
    assert names == sorted(names, reverse=True) and len(names) == 5
    assert re.findall(r'<a href="/web/units/\d+">([^<]+)</a>', overdue.text) == ["Sở Y tế"]
    assert junk.status_code == 200


async def test_a_head_sees_the_own_unit_and_is_refused_another(served: BotUnderTest) -> None:
    health = await served.unit_id("SYT")
    education = await served.unit_id("SGDDT")
    async with signed_in(served, served.province.health_head, 704) as http:
        home = await http.get("/web/", follow_redirects=True)
        own = await http.get(f"/web/assignments/{served.province.overdue}")
        other_unit = await http.get(f"/web/units/{education}")
        other_task = await http.get(f"/web/assignments/{served.province.education_task}")
        missing = await http.get("/web/assignments/99999")
        province = await http.get("/web/province")
        units = await http.get("/web/units")
        export = await http.get("/web/export")
    assert home.status_code == 200 and str(home.url).endswith(f"/web/units/{health}")
    assert "NV-01" in home.text and "NV-03" not in home.text
    assert own.status_code == 200
    for refused in (other_unit, other_task, missing, province, units, export):
        assert refused.status_code == 403
        assert "NV-03" not in refused.text and "Thu học phí" not in refused.text
    entries = await served.audits("dashboard.refused")
    assert len(entries) == 6
    assert all(e.actor_official_id == served.province.health_head for e in entries)


async def test_a_report_with_html_shows_as_text(served: BotUnderTest) -> None:
    await add_report(
        served,
        served.province.overdue,
        served.province.health_focal,
        '<script>alert("x")</script><b>đã xong</b>',
        difficulty="<img src=x onerror=alert(1)>",
    )
    async with signed_in(served, served.province.standing, 705) as http:
        page = await http.get(f"/web/assignments/{served.province.overdue}")
        unit = await http.get(f"/web/units/{await served.unit_id('SYT')}")
    for html in (page.text, unit.text):
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.text


async def test_an_evidence_photo_is_shown_to_those_who_see_the_unit(
    served: BotUnderTest,
) -> None:
    report = await add_report(
        served, served.province.overdue, served.province.health_focal, "Ảnh", photo="ph-1"
    )
    async with signed_in(served, served.province.standing, 706) as http:
        page = await http.get(f"/web/assignments/{served.province.overdue}")
        image = await http.get(f"/web/evidence/{report}", follow_redirects=True)
    assert f'src="/web/evidence/{report}"' in page.text
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert image.content == served.telegram.files["ph-1"]
    async with signed_in(served, served.province.education_head, 707) as http:
        refused = await http.get(f"/web/evidence/{report}")
    assert refused.status_code == 403 and not refused.content.startswith(b"\x89PNG")


async def test_the_export_is_the_workbook_of_xuatbaocao(served: BotUnderTest) -> None:
    async with signed_in(served, served.province.standing, 708) as http:
        download = await http.get("/web/export")
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    book = load_workbook(io.BytesIO(download.content))
    assert book.sheetnames == ["Theo dõi", "Tổng hợp"]
    [entry] = await served.audits("export.created")
    assert entry.actor_official_id == served.province.standing


async def test_the_directives_page_lists_receipts_per_unit(served: BotUnderTest) -> None:
    from db.models import Directive, DirectiveReceipt

    await served.registered(served.province.health_head, 790)  # the unit is reached
    async with served.app.db.transaction() as session:
        directive = Directive(
            code="CĐ-2026-001",
            year=2026,
            number=1,
            sender_id=served.province.standing,
            text="Đẩy nhanh <tiến độ>",
            target_kind="all",
            created_at=served.clock(),
        )
        session.add(directive)
        await session.flush()
        for official, unit in (
            (served.province.health_focal, "SYT"),
            (served.province.health_head, "SYT"),
        ):
            session.add(
                DirectiveReceipt(
                    directive_id=directive.id,
                    official_id=official,
                    unit_id=await served.unit_id(unit),
                    delivered_at=served.clock(),
                    acknowledged_at=served.clock()
                    if official == served.province.health_head
                    else None,
                )
            )
    async with signed_in(served, served.province.standing, 709) as http:
        page = await http.get("/web/directives")
    assert page.status_code == 200
    assert "CĐ-2026-001" in page.text and "Đẩy nhanh &lt;tiến độ&gt;" in page.text
    assert re.search(r"Sở Y tế</a></td><td class=\"num\">2</td><td class=\"num\">2</td>", page.text)


async def test_an_official_reading_english_gets_the_pages_in_english(
    served: BotUnderTest,
) -> None:
    await served.in_english()
    async with signed_in(served, served.province.standing, 710) as http:
        page = await http.get("/web/province")
        units = await http.get("/web/units")
    assert '<html lang="en">' in page.text and "Sign out" in page.text
    assert "Đăng xuất" not in page.text and "1 unit matches." not in units.text
    assert "5 units match." in units.text


async def test_an_evidence_photo_kept_by_roviec_is_shown_too(served: BotUnderTest) -> None:
    from bot.services import files
    from db.models import ProgressReport
    from tests.web.dashboard.reports import picture

    report = await add_report(
        served, served.province.overdue, served.province.health_focal, "Ảnh qua Zalo"
    )
    async with served.app.db.transaction() as session:
        kept = await files.store(session, picture(), "anh.png", served.clock(), None)
        row = await session.get(ProgressReport, report)
        assert row is not None
        row.evidence_kind, row.evidence_file_id = "photo", files.make_reference(kept.id)
        row.channel = "zalo_bot"
    async with signed_in(served, served.province.health_head, 711) as http:
        image = await http.get(f"/web/evidence/{report}", follow_redirects=True)
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert image.content == picture()
