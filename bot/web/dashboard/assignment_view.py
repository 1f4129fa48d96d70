"""An assignment's page and its evidence files, for those who may see its unit."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from bot.services.dashboard.access import sees_province, sees_unit
from bot.services.dashboard.assignment import assignment_page, assignment_unit
from bot.services.dashboard.evidence import evidence_of, keep_evidence
from bot.web.dashboard.files import answer_file, evidence_href
from bot.web.dashboard.site import Site


async def assignment(site: Site, request: Request) -> Response:
    """The task, its units, deadline changes, reports with evidence, review decisions."""
    now = site.clock()
    viewer = await site.viewer(request, now)
    if viewer is None:
        return site.signed_out()
    assignment_id = request.path_params["assignment_id"]
    async with site.db.read() as session:
        unit_id = await assignment_unit(session, assignment_id)
        allowed = unit_id is not None and sees_unit(viewer, unit_id)
        page = await assignment_page(session, assignment_id, site.today(now)) if allowed else None
    if unit_id is None and sees_province(viewer):
        return site.not_found(viewer)
    if unit_id is None:  # a head learns nothing by guessing: the same refusal as another unit's
        return await site.refused(viewer, now, f"assignment {assignment_id} (none)")
    if page is None:
        return await site.refused(viewer, now, f"assignment {assignment_id} of unit {unit_id}")
    return site.renderer.page(
        "assignment.html",
        viewer,
        section="unit",
        page=page,
        evidence_href=evidence_href,
        now=now,
    )


async def evidence(site: Site, request: Request) -> Response:
    """A report's evidence photo or document: a short-lived signed link to it (see files)."""
    now = site.clock()
    viewer = await site.viewer(request, now)
    if viewer is None:
        return site.signed_out()
    report_id = request.path_params["report_id"]
    async with site.db.read() as session:
        found = await evidence_of(session, report_id)
    if found is None or not sees_unit(viewer, found.unit_id):
        return await site.refused(viewer, now, f"evidence of report {report_id}")
    evidence, official = found, viewer.official_id

    async def keep(session: AsyncSession, data: bytes) -> int:
        """Keep the fetched evidence with the report."""
        return await keep_evidence(session, evidence, data, now, official)

    return await answer_file(
        site, viewer, now, (found.channel, found.file_id, found.kind, found.name), keep
    )
