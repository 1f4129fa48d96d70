"""Signing in with a one-time link from the bot, and signing out ("Đăng xuất")."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.services.dashboard.access import PROVINCE_ROLES, sees_province
from bot.services.signin import LinkRefused, end_session, link_role, redeem_link
from bot.web.dashboard.site import BASE, COOKIE, Site


async def sign_in_form(site: Site, request: Request) -> Response:
    """GET of a link: a button that signs in (a link preview that fetches it uses nothing).

    For a usable link of the standing office or a leader, the province-wide figures start
    being counted meanwhile, so that the province page is ready when the button is pressed.
    """
    token, now = request.path_params["token"], site.clock()
    async with site.db.read() as session:
        role = await link_role(session, token, now)
    if role in PROVINCE_ROLES:
        site.warm_province(site.today(now))
    return site.renderer.page("sign_in.html", None, action=f"{BASE}/signin/{token}")


async def sign_in(site: Site, request: Request) -> Response:
    """POST of a link: use it once and start a session in an HttpOnly cookie."""
    now = site.clock()
    if not site.same_origin(request):
        return site.renderer.refusal(None)
    current = await site.viewer(request, now)
    async with site.db.transaction() as session:
        outcome = await redeem_link(
            session,
            request.path_params["token"],
            now,
            site.session_ttl,
            signed_in_as=current.official_id if current else None,
        )
    if isinstance(outcome, LinkRefused):
        return site.renderer.page(
            "link_refused.html", current, status_code=403, reason=outcome.reason
        )
    response = RedirectResponse(f"{BASE}/", status_code=303)
    response.set_cookie(
        COOKIE,
        outcome.token,
        max_age=int(site.session_ttl.total_seconds()),
        path=BASE,
        secure=site.secure_cookie,
        httponly=True,
        samesite="lax",
    )
    return response


async def sign_out(site: Site, request: Request) -> Response:
    """End this browser's session and forget the cookie."""
    if not site.same_origin(request):
        return site.renderer.refusal(None)
    async with site.db.transaction() as session:
        await end_session(session, request.cookies.get(COOKIE), site.clock())
    response = site.renderer.page("signed_out.html", None, farewell=True)
    response.delete_cookie(COOKIE, path=BASE, secure=site.secure_cookie, httponly=True)
    return response


async def home(site: Site, request: Request) -> Response:
    """The first page: the province for its readers, the own unit for a head."""
    viewer = await site.viewer(request, site.clock())
    if viewer is None:
        return site.signed_out()
    target = "province" if sees_province(viewer) else f"units/{viewer.unit.id}"
    return RedirectResponse(f"{BASE}/{target}", status_code=303)
