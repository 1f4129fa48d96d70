"""Evidence on the dashboard goes by the signed /files links the Zalo channels use: checked
against the session and scope, fetched from Telegram once and kept, links that expire."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
from starlette.applications import Starlette

from bot.services import files
from bot.web.dashboard import dashboard_routes
from bot.web.dashboard.site import COOKIE
from db.models import DirectiveReply, ProgressReport
from tests.harness import BotUnderTest
from tests.web.dashboard.directive_data import add_directive, add_reply
from tests.web.dashboard.reports import add_report, picture
from tests.web.dashboard.signing_in import signed_in


async def _reference(bot: BotUnderTest, report_id: int) -> str | None:
    """What the report's evidence refers to now."""
    async with bot.app.db.read() as session:
        report = await session.get(ProgressReport, report_id)
        assert report is not None
        return report.evidence_file_id


async def test_evidence_redirects_to_a_signed_link_and_is_fetched_once(
    served: BotUnderTest,
) -> None:
    report = await add_report(
        served, served.province.overdue, served.province.health_focal, "Ảnh", photo="ph-9"
    )
    public = served.app.settings.public_url or ""
    async with signed_in(served, served.province.standing, 731) as http:
        first = await http.get(f"/web/evidence/{report}")
        assert first.status_code == 303
        link = first.headers["location"]
        assert link.startswith(f"{public}{files.PATH}/")
        expires = int(urlsplit(link).path.split("/")[3])
        assert expires - served.clock().timestamp() <= 600
        image = await http.get(link)
        assert image.status_code == 200 and image.content == served.telegram.files["ph-9"]
        assert image.headers["content-type"] == "image/png"
        fetched = len(served.telegram.requests("getFile"))
        del served.telegram.files["ph-9"]  # Telegram would not be asked, nor could answer
        second = await http.get(f"/web/evidence/{report}", follow_redirects=True)
    assert fetched == 1 and len(served.telegram.requests("getFile")) == 1
    assert second.status_code == 200 and second.content == picture()
    reference = await _reference(served, report)
    assert files.is_stored(reference)
    [kept] = await served.audits("file.kept")
    assert kept.entity_id == report and kept.actor_official_id == served.province.standing


async def test_a_signed_evidence_link_expires(served: BotUnderTest) -> None:
    report = await add_report(
        served, served.province.overdue, served.province.health_focal, "Ảnh", photo="ph-10"
    )
    async with signed_in(served, served.province.health_head, 732) as http:
        link = (await http.get(f"/web/evidence/{report}")).headers["location"]
        served.clock.advance(minutes=11)
        expired = await http.get(link)
        tampered = await http.get(link[:-2] + ("AA" if not link.endswith("AA") else "BB"))
    assert expired.status_code == 404 and not expired.content.startswith(b"\x89PNG")
    assert tampered.status_code == 404


async def test_a_head_is_refused_another_units_evidence(served: BotUnderTest) -> None:
    report = await add_report(
        served, served.province.overdue, served.province.health_focal, "Ảnh", photo="ph-11"
    )
    async with signed_in(served, served.province.education_head, 733) as http:
        refused = await http.get(f"/web/evidence/{report}")
    assert refused.status_code == 403 and "location" not in refused.headers
    assert served.telegram.requests("getFile") == []
    assert await _reference(served, report) == "ph-11"  # nothing fetched, nothing kept
    [entry] = await served.audits("dashboard.refused")
    assert entry.actor_official_id == served.province.education_head


async def test_a_replys_telegram_file_goes_by_a_signed_link_too(served: BotUnderTest) -> None:
    p = served.province
    directive = await add_directive(served, "CĐ-2026-009", [(p.health_focal, "SYT")])
    served.telegram.files["doc-1"] = b"%PDF-1.4 bien ban"
    reply = await add_reply(
        served, directive, p.health_focal, None, attachment=("document", "doc-1", "bien-ban.pdf")
    )
    async with signed_in(served, p.health_head, 734) as http:
        answer = await http.get(f"/web/replies/{reply}/file")
        download = await http.get(answer.headers["location"])
    assert answer.status_code == 303
    assert download.status_code == 200 and download.content == b"%PDF-1.4 bien ban"
    assert "attachment" in download.headers["content-disposition"]
    async with served.app.db.read() as session:
        row = await session.get(DirectiveReply, reply)
        assert row is not None and files.is_stored(row.attachment_file_id)


async def test_without_a_publisher_the_bytes_are_served_directly(served: BotUnderTest) -> None:
    report = await add_report(
        served, served.province.overdue, served.province.health_focal, "Ảnh", photo="ph-12"
    )
    async with signed_in(served, served.province.standing, 735) as http:
        cookie = http.cookies[COOKIE]
    app = served.app
    unsigned = Starlette(routes=[dashboard_routes(app.db, app.settings, app.clock, app.fetch_file)])
    transport = httpx.ASGITransport(app=unsigned)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://127.0.0.1", cookies={COOKIE: cookie}
    ) as direct:
        image = await direct.get(f"/web/evidence/{report}")
    assert image.status_code == 200 and image.content == served.telegram.files["ph-12"]
    assert await _reference(served, report) == "ph-12"  # nothing stored without signed links
