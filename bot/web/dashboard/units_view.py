"""The units table (sortable, filterable by query parameters) and each unit's page."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from bot.services.dashboard.access import sees_province, sees_unit
from bot.services.dashboard.unit import unit_page
from bot.services.dashboard.units import Filters, Sort, Timing, unit_table
from bot.services.figures import State
from bot.web.dashboard.site import Site


def _choice(value: str | None, allowed: type[State] | type[Timing] | type[Sort]) -> str | None:
    """A query value if it is one of the enum's values, else None."""
    return value if value in {member.value for member in allowed} else None


def read_number(value: str | None) -> int | None:
    """A small whole number from a query value, or None."""
    return int(value) if value and value.isdecimal() and len(value) < 10 else None


def read_filters(query: QueryParams) -> Filters:
    """The filters of a query string; anything unknown is ignored."""
    state, timing = _choice(query.get("status"), State), _choice(query.get("timing"), Timing)
    sort = _choice(query.get("sort"), Sort)
    return Filters(
        kind=query.get("kind") or None,
        group_id=read_number(query.get("group")),
        state=State(state) if state else None,
        timing=Timing(timing) if timing else None,
        sort=Sort(sort) if sort else Sort.RANK,
        descending=query.get("dir") == "desc",
        page=read_number(query.get("page")) or 0,
    )


def _query(filters: Filters, **changes: object) -> str:
    """The query string of these filters with some changed (for sort links and pages)."""
    values: dict[str, object] = {
        "kind": filters.kind,
        "group": filters.group_id,
        "status": filters.state.value if filters.state else None,
        "timing": filters.timing.value if filters.timing else None,
        "sort": filters.sort.value,
        "dir": "desc" if filters.descending else None,
        "page": filters.page or None,
    }
    values.update(changes)
    return urlencode({k: v for k, v in values.items() if v is not None})


async def units(site: Site, request: Request) -> Response:
    """Every unit (standing office, leaders); a head goes to the own unit."""
    now = site.clock()
    viewer = await site.viewer(request, now)
    if viewer is None:
        return site.signed_out()
    if not sees_province(viewer):
        return await site.refused(viewer, now, "units table")
    filters = read_filters(request.query_params)
    every, taken = await site.units(site.today(now))
    async with site.db.read() as session:
        table = await unit_table(session, every, filters)

    def sort_link(sort: str) -> str:
        """The query of this table sorted by `sort` (again: the other way)."""
        flip = filters.sort.value == sort and not filters.descending
        return "?" + _query(filters, sort=sort, dir="desc" if flip else None, page=None)

    def page_link(page: int) -> str:
        """The query of another page of this table."""
        return "?" + _query(filters, page=page or None)

    return site.renderer.page(
        "units.html",
        viewer,
        section="units",
        table=table,
        filters=filters,
        sort_link=sort_link,
        page_link=page_link,
        State=State,
        Timing=Timing,
        now=taken,
    )


async def unit(site: Site, request: Request) -> Response:
    """One unit's page, for the province's readers and the unit's own head."""
    now = site.clock()
    viewer = await site.viewer(request, now)
    if viewer is None:
        return site.signed_out()
    unit_id = request.path_params["unit_id"]
    if not sees_unit(viewer, unit_id):
        return await site.refused(viewer, now, f"unit {unit_id}")
    async with site.db.read() as session:
        page = await unit_page(session, unit_id, site.today(now), site.settings)
    if page is None:
        return site.not_found(viewer)
    return site.renderer.page(
        "unit.html", viewer, section="unit", page=page, figures=page.figures, State=State, now=now
    )
