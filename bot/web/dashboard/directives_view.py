"""The directives page and the export download (standing office, leaders)."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from bot.services.dashboard.access import sees_province
from bot.services.dashboard.directives import directives_page
from bot.services.export import export
from bot.web.dashboard.site import Site
from bot.web.dashboard.units_view import read_number

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def directives(site: Site, request: Request) -> Response:
    """Each directive with delivered and acknowledged receipts per unit, newest first."""
    now = site.clock()
    viewer = await site.viewer(request, now)
    if viewer is None:
        return site.signed_out()
    if not sees_province(viewer):
        return await site.refused(viewer, now, "directives")
    async with site.db.read() as session:
        page = await directives_page(session, read_number(request.query_params.get("page")) or 0)
    return site.renderer.page("directives.html", viewer, section="directives", page=page, now=now)


async def workbook(site: Site, request: Request) -> Response:
    """The tracking workbook of /xuatbaocao, as of today, downloaded (and audited)."""
    now = site.clock()
    viewer = await site.viewer(request, now)
    if viewer is None:
        return site.signed_out()
    if not sees_province(viewer):
        return await site.refused(viewer, now, "export")
    async with site.db.transaction() as session:
        made = await export(
            session,
            now=now,
            today=site.today(now),
            zone=site.settings.zone,
            actor_official_id=viewer.official_id,
            actor_account="web",
        )
    disposition = f"attachment; filename*=UTF-8''{quote(made.filename)}"
    return Response(made.data, media_type=XLSX, headers={"content-disposition": disposition})
