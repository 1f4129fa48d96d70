"""The province page (standing office, leaders): figures, chart, ranking, lists, queues."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from bot.services.dashboard.access import sees_province
from bot.services.figures import State
from bot.web.dashboard.chart import province_chart
from bot.web.dashboard.site import Site

RANKED_SHOWN = 10  # top and bottom this many on the province page; the units page has all


async def province(site: Site, request: Request) -> Response:
    """The province as the Monday digest sees it, always current."""
    now = site.clock()
    viewer = await site.viewer(request, now)
    if viewer is None:
        return site.signed_out()
    if not sees_province(viewer):
        return await site.refused(viewer, now, "province page")
    today = site.today(now)
    page, taken = await site.province(today)
    site.warm_units(today)  # the next page a reader opens, counted while this one is read
    t = site.renderer.translator(viewer)
    ranking = page.digest.ranking
    split = len(ranking) > 2 * RANKED_SHOWN
    return site.renderer.page(
        "province.html",
        viewer,
        page=page,
        figures=page.digest.figures,
        chart=province_chart(page.digest.figures, t),
        top=ranking[:RANKED_SHOWN] if split else ranking,
        bottom=ranking[-RANKED_SHOWN:] if split else (),
        ranked=len(ranking),
        State=State,
        now=taken,
    )
