"""The directives pages (all of them for the province, those the unit received for a head)
and the export download (standing office, leaders)."""

from __future__ import annotations

from urllib.parse import quote

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from bot.services.dashboard.access import sees_province, sees_unit
from bot.services.dashboard.directive import directive_page, received, reply_file
from bot.services.dashboard.directives import directives_page
from bot.services.dashboard.evidence import keep_reply_file
from bot.services.export import export
from bot.services.signin import Viewer
from bot.web.dashboard.files import answer_file, reply_href
from bot.web.dashboard.site import Site
from bot.web.dashboard.units_view import read_number

UNITS_LISTED = 20  # units of a directive on the list; its own page has them all, by pages
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def unit_scope(viewer: Viewer) -> int | None:
    """The unit a viewer's directives pages are limited to (None: the whole province)."""
    return None if sees_province(viewer) else viewer.unit.id


async def directives(site: Site, request: Request) -> Response:
    """Each directive with delivered, acknowledged and replied per unit, newest first."""
    now = site.clock()
    viewer = await site.viewer(request, now)
    if viewer is None:
        return site.signed_out()
    number = read_number(request.query_params.get("page")) or 0
    async with site.db.read() as session:
        page = await directives_page(session, number, unit_scope(viewer))
    return site.renderer.page(
        "directives.html",
        viewer,
        section="directives",
        page=page,
        units_shown=UNITS_LISTED,
        now=now,
    )


async def directive(site: Site, request: Request) -> Response:
    """One directive: each unit's receipts and its replies in order."""
    now = site.clock()
    viewer = await site.viewer(request, now)
    if viewer is None:
        return site.signed_out()
    directive_id = request.path_params["directive_id"]
    scope, number = unit_scope(viewer), read_number(request.query_params.get("page")) or 0
    async with site.db.read() as session:
        reached = await received(session, directive_id, scope)
        page = await directive_page(session, directive_id, scope, number) if reached else None
    if reached is None and scope is None:
        return site.not_found(viewer)
    if page is None:  # not received by the head's unit, or none at all: the same refusal
        return await site.refused(viewer, now, f"directive {directive_id}")
    return site.renderer.page(
        "directive.html", viewer, section="directives", page=page, reply_href=reply_href, now=now
    )


async def reply_attachment(site: Site, request: Request) -> Response:
    """The file attached to a reply, for those who may see the replying unit."""
    now = site.clock()
    viewer = await site.viewer(request, now)
    if viewer is None:
        return site.signed_out()
    reply_id = request.path_params["reply_id"]
    async with site.db.read() as session:
        found = await reply_file(session, reply_id)
    if found is None or not sees_unit(viewer, found.unit_id):
        return await site.refused(viewer, now, f"file of directive reply {reply_id}")
    reply, official = found, viewer.official_id

    async def keep(session: AsyncSession, data: bytes) -> int:
        """Keep the fetched file with the reply."""
        return await keep_reply_file(
            session, reply.reply_id, reply.file_id, reply.name, data, now, official
        )

    return await answer_file(
        site, viewer, now, (found.channel, found.file_id, found.kind, found.name), keep
    )


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
