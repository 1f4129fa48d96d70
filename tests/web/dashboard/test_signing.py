"""Signing in to the dashboard with a one-time link from the bot, and signing out."""

from __future__ import annotations

import httpx

from bot.services.signin.tokens import hash_token
from db.models import Official, WebLink, WebSession
from tests.harness import BotUnderTest
from tests.web.dashboard.signing_in import link_from_bot, signed_in


async def test_a_standing_officer_opens_the_link_and_lands_on_the_province(
    served: BotUnderTest,
) -> None:
    viet = await served.registered(served.province.standing, 601)
    link = await link_from_bot(served, viet)
    token = link.rsplit("/", 1)[1]
    async with httpx.AsyncClient() as http:
        form = await http.get(link)
        assert form.status_code == 200 and 'method="post"' in form.text
        opened = await http.post(link)
        assert opened.status_code == 303
        cookie = opened.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/web" in cookie
        assert "Secure" not in cookie  # http on loopback
        home = await http.get(link.split("/web/")[0] + "/web/", follow_redirects=True)
        assert home.status_code == 200
        assert "Đặng Quốc Việt" in home.text and "/web/province" in str(home.url)
    assert await served.count(WebLink, WebLink.token_hash == hash_token(token)) == 1
    assert await served.count(WebLink, WebLink.token_hash == token) == 0  # stored hashed
    assert len(await served.audits("dashboard.signed_in")) == 1


async def test_a_link_works_once(served: BotUnderTest) -> None:
    viet = await served.registered(served.province.standing, 602)
    link = await link_from_bot(served, viet)
    async with httpx.AsyncClient() as first, httpx.AsyncClient() as second:
        assert (await first.post(link)).status_code == 303
        again = await second.post(link)
    assert again.status_code == 403
    assert [a.detail.split(":")[0] for a in await served.audits("dashboard.link_refused")] == [
        "used"
    ]


async def test_a_link_expires_after_ten_minutes(served: BotUnderTest) -> None:
    viet = await served.registered(served.province.standing, 603)
    link = await link_from_bot(served, viet)
    served.clock.advance(minutes=10, seconds=1)
    async with httpx.AsyncClient() as http:
        late = await http.post(link)
    assert late.status_code == 403
    assert "expired" in (await served.audits("dashboard.link_refused"))[0].detail


async def test_a_guessed_link_is_refused_and_audited(served: BotUnderTest) -> None:
    base = served.app.settings.public_url
    async with httpx.AsyncClient() as http:
        guessed = await http.post(f"{base}/web/signin/{'A' * 43}")
        junk = await http.post(f"{base}/web/signin/not-a-token")
    assert guessed.status_code == junk.status_code == 403
    assert len(await served.audits("dashboard.link_refused")) == 2


async def test_another_persons_link_is_refused_in_a_signed_in_browser(
    served: BotUnderTest,
) -> None:
    async with signed_in(served, served.province.health_head, 604) as http:
        viet = await served.registered(served.province.standing, 605)
        link = await link_from_bot(served, viet)
        refused = await http.post(link)
    assert refused.status_code == 403
    [entry] = await served.audits("dashboard.link_refused")
    assert entry.detail.startswith("other_person")
    assert entry.actor_official_id == served.province.health_head


async def test_signing_out_ends_the_session(served: BotUnderTest) -> None:
    async with signed_in(served, served.province.standing, 606) as http:
        assert (await http.get("/web/province")).status_code == 200
        out = await http.post("/web/signout")
        assert out.status_code == 200 and "/web" in out.text
        after = await http.get("/web/province")
    assert after.status_code == 401
    assert await served.count(WebSession, WebSession.ended_at.is_not(None)) == 1


async def test_a_session_expires_after_a_working_day_and_web_renews_it(
    served: BotUnderTest,
) -> None:
    async with signed_in(served, served.province.standing, 607) as http:
        served.clock.advance(hours=9)
        viet = served.telegram.person(607)
        await link_from_bot(served, viet)  # /web again: the open session lasts 10 h from now
        served.clock.advance(hours=5)
        assert (await http.get("/web/province")).status_code == 200
        served.clock.advance(hours=5, seconds=1)
        assert (await http.get("/web/province")).status_code == 401


async def test_a_deactivated_official_loses_the_session_at_once(served: BotUnderTest) -> None:
    from sqlalchemy import update

    async with signed_in(served, served.province.standing, 608) as http:
        async with served.app.db.transaction() as session:
            await session.execute(
                update(Official).where(Official.id == served.province.standing).values(active=False)
            )
        assert (await http.get("/web/province")).status_code == 401


async def test_a_focal_officer_has_no_dashboard(served: BotUnderTest) -> None:
    lan = await served.registered(served.province.health_focal, 609)
    [answer] = await served.say(lan, "/web")
    assert "/web/signin/" not in answer.text
    assert len(await served.audits("dashboard.refused")) == 1


async def test_opening_the_link_counts_the_province_before_the_button_is_pressed(
    served: BotUnderTest,
) -> None:
    from bot.services.signin import link_role

    viet = await served.registered(served.province.standing, 610)
    link = await link_from_bot(served, viet)
    async with served.app.db.read() as session:
        role = await link_role(session, link.rsplit("/", 1)[1], served.clock())
    assert role == "standing"
    async with httpx.AsyncClient() as http:
        assert (await http.get(link)).status_code == 200
        assert (await http.post(link)).status_code == 303
    assert await served.count(WebLink, WebLink.used_at.is_not(None)) == 1
