"""/vuongmac through the fake Telegram: list, resolve, forward to a leader, refusals.

The story, on top of tests/province.py (Monday 16/11/2026, 09:00 in Hà Nội): Sở Y tế raised
a difficulty on NV-01 twenty days ago; Sở GD&ĐT raised one on NV-03 two days ago; an older
one of Sở Y tế was resolved last month. Two leaders sit in the UBND tỉnh, and the standing
office has a second officer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.services.blockers import stale_blockers
from bot.services.people import directory
from db.models import (
    Blocker,
    ChatAccount,
    OutboxMessage,
    ProgressReport,
)
from tests.harness import BotUnderTest
from tests.province import ZONE

HEALTH_TEXT = "Chưa có kinh phí mua đầu đọc thẻ Căn cước"
EDUCATION_TEXT = "Phần mềm thu học phí chưa kết nối ngân hàng"


@dataclass(frozen=True)
class Story:
    """Ids a test needs."""

    health: int  # NV-01, Sở Y tế, 20 days old
    education: int  # NV-03, Sở GD&ĐT, 2 days old
    resolved: int
    chairman: int
    vice_chairwoman: int
    second_standing: int


async def build_story(bot: BotUnderTest) -> Story:
    """Add the leaders, the second standing officer and the blockers of the module docstring."""
    now = bot.clock()
    async with bot.app.db.transaction() as session:
        ids = []
        for name, role, unit, title in [
            ("Phan Đình Thắng", "leader", "UBND", "Chủ tịch UBND tỉnh"),
            ("Thái Thị Ngọc Lan", "leader", "UBND", "Phó Chủ tịch UBND tỉnh"),
            ("Lê Thị Thu Hà", "standing", "CA", "Phó Trưởng phòng PC06"),
        ]:
            official = await directory.add_official(
                session, name=name, role=role, unit_code=unit, title=title, now=now
            )
            ids.append(official.id or 0)
        blockers = []
        for assignment, who, text, days, resolved in [
            (bot.province.overdue, bot.province.health_focal, HEALTH_TEXT, 20, False),
            (bot.province.education_task, bot.province.education_focal, EDUCATION_TEXT, 2, False),
            (bot.province.overdue, bot.province.health_focal, "Cũ, đã xử lý", 40, True),
        ]:
            at = now - timedelta(days=days)
            report = ProgressReport(
                assignment_id=assignment,
                official_id=who,
                status="in_progress",
                progress=20,
                done_text="Đang triển khai",
                difficulty=text,
                channel="telegram",
                created_at=at,
            )
            session.add(report)
            await session.flush()
            blocker = Blocker(
                assignment_id=assignment,
                report_id=report.id or 0,
                text=text,
                opened_at=at,
                resolved_at=at + timedelta(days=5) if resolved else None,
                resolution="Đã bố trí" if resolved else None,
            )
            session.add(blocker)
            await session.flush()
            blockers.append(blocker.id or 0)
    return Story(*blockers, *ids)


async def _blocker(bot: BotUnderTest, blocker_id: int) -> Blocker:
    async with bot.app.db.transaction() as session:
        found = await session.get(Blocker, blocker_id)
        assert found is not None
        return found


async def test_the_standing_office_sees_open_blockers_oldest_first(bot: BotUnderTest) -> None:
    await build_story(bot)
    viet = await bot.registered(bot.province.standing, 601, language="en")
    [listing] = await bot.say(viet, "/vuongmac")
    text = listing.text or ""
    assert "2 in all" in text
    assert text.index(HEALTH_TEXT) < text.index(EDUCATION_TEXT)
    assert "Sở Y tế" in text and "[NV-01]" in text and "open for 20 days" in text
    assert "Sở Giáo dục và Đào tạo" in text and "open for 2 days" in text
    assert "Cũ, đã xử lý" not in text
    assert listing.button_texts == [
        "✅ Resolve 1",
        "➡️ Forward 1 to leader",
        "✅ Resolve 2",
        "➡️ Forward 2 to leader",
    ]
    [same] = await bot.say(viet, "/blockers")
    assert same.text == listing.text


async def test_resolving_needs_a_note_and_tells_the_units_focal_officer_and_head(
    bot: BotUnderTest,
) -> None:
    story = await build_story(bot)
    viet = await bot.registered(bot.province.standing, 601, language="en")
    lan = await bot.registered(bot.province.health_focal, 602)
    hung = await bot.registered(bot.province.health_head, 603)
    tuan = await bot.registered(bot.province.education_focal, 604)
    await bot.say(viet, "/vuongmac")
    [prompt] = await bot.tap(viet, "✅ Resolve 1")
    assert HEALTH_TEXT in (prompt.text or "") and "resolution note" in (prompt.text or "")
    lan.mark()
    hung.mark()
    done, listing = await bot.say(viet, "Sở Tài chính đã cấp kinh phí mua 40 đầu đọc thẻ", 2)
    assert "Resolved" in (done.text or "") and "2 officers" in (done.text or "")
    assert "1 in all" in (listing.text or "") and HEALTH_TEXT not in (listing.text or "")
    for person in (lan, hung):
        [told] = await person.wait_for_new(1)
        assert "NV-01" in (told.text or "") and "Đặng Quốc Việt" in (told.text or "")
        assert "Sở Tài chính đã cấp kinh phí" in (told.text or "")
    blocker = await _blocker(bot, story.health)
    assert blocker.resolved_at == bot.clock()
    assert blocker.resolved_by == bot.province.standing
    assert blocker.resolution == "Sở Tài chính đã cấp kinh phí mua 40 đầu đọc thẻ"
    [entry] = await bot.audits("blocker.resolved")
    assert entry.entity_id == story.health and entry.actor_official_id == bot.province.standing
    assert entry.before == {"resolved_at": None, "forwarded_to": None}
    assert entry.after is not None and entry.after["resolution"] == blocker.resolution
    async with bot.app.db.transaction() as session:
        keys = set(await session.scalars(select(OutboxMessage.dedupe_key)))
        unit_accounts = set(
            await session.scalars(
                select(ChatAccount.id).where(
                    ChatAccount.official_id.in_(
                        [bot.province.health_focal, bot.province.health_head]
                    )
                )
            )
        )
    assert {k for k in keys if k.startswith("blocker:")} == {
        f"blocker:{story.health}:resolved:{n}" for n in unit_accounts
    }
    await bot.settled()
    assert len(tuan.messages) == 1  # the other unit hears nothing (only its welcome)


@pytest.mark.sqlite_only  # bad input at one step: see tests/conftest.py
@pytest.mark.parametrize(
    "note", ["   ", "👍🙏", "x" * 5000], ids=["blank", "emoji", "5000-characters"]
)
async def test_a_resolution_note_must_be_words_within_the_limit(
    bot: BotUnderTest, note: str
) -> None:
    story = await build_story(bot)
    viet = await bot.registered(bot.province.standing, 601, language="en")
    await bot.say(viet, "/vuongmac")
    await bot.tap(viet, "✅ Resolve 1")
    before = await bot.state(viet)
    [reply] = await bot.say(viet, note)
    if len(note) == 5000:
        assert "5,000" in (reply.text or "") and "2,000" in (reply.text or "")
    else:
        assert "required" in (reply.text or "")
    assert await bot.state(viet) == before
    assert (await _blocker(bot, story.health)).resolved_at is None
    viet.mark()
    await viet.send_photo()
    [reply] = await viet.wait_for_new(1)
    assert "text" in (reply.text or "")
    assert (await _blocker(bot, story.health)).resolved_at is None


async def test_forward_to_a_leader_who_is_told_and_may_resolve_it(bot: BotUnderTest) -> None:
    story = await build_story(bot)
    viet = await bot.registered(bot.province.standing, 601, language="en")
    thang = await bot.registered(story.chairman, 605, language="en")
    ngoc_lan = await bot.registered(story.vice_chairwoman, 606, language="en")
    lan = await bot.registered(bot.province.health_focal, 602)
    await bot.say(viet, "/vuongmac")
    [choose] = await bot.tap(viet, "➡️ Forward 1 to leader")
    assert choose.button_texts == [
        "Phan Đình Thắng — Chủ tịch UBND tỉnh",
        "Thái Thị Ngọc Lan — Phó Chủ tịch UBND tỉnh",
        "Cancel",
    ]
    thang.mark()
    done, listing = await bot.tap(viet, "Phan Đình Thắng — Chủ tịch UBND tỉnh", 2)
    assert "Forwarded to Phan Đình Thắng" in (done.text or "")
    assert "Forwarded to Phan Đình Thắng" in (listing.text or "")  # still open, marked
    [told] = await thang.wait_for_new(1)
    assert "Sở Y tế" in (told.text or "") and HEALTH_TEXT in (told.text or "")
    assert "Đặng Quốc Việt" in (told.text or "")
    blocker = await _blocker(bot, story.health)
    assert (blocker.forwarded_to, blocker.forwarded_at) == (story.chairman, bot.clock())
    assert blocker.resolved_at is None
    [entry] = await bot.audits("blocker.forwarded")
    assert entry.after is not None and entry.after["forwarded_to"] == story.chairman
    # The leader's own list holds only what was forwarded to him; the other leader's is empty.
    [mine] = await bot.say(thang, "/vuongmac")
    assert HEALTH_TEXT in (mine.text or "") and EDUCATION_TEXT not in (mine.text or "")
    assert mine.button_texts == ["✅ Resolve 1"]
    [none] = await bot.say(ngoc_lan, "/vuongmac")
    assert "no open blockers" in (none.text or "")
    # He resolves it from the notice's own button (the notice is in the deployment's language).
    assert len(told.buttons) == 1
    thang.mark()
    await thang.press_data(told.buttons[0][0].callback_data or "", told.message_id)
    [prompt] = await thang.wait_for_new(1)
    assert "resolution note" in (prompt.text or "")
    lan.mark()
    viet.mark()
    await bot.say(thang, "Chỉ đạo Sở Tài chính bố trí kinh phí trong tháng 12", 2)
    [heard] = await lan.wait_for_new(1)
    assert "Chỉ đạo Sở Tài chính" in (heard.text or "") and "Phan Đình Thắng" in (heard.text or "")
    assert (await _blocker(bot, story.health)).resolved_by == story.chairman
    # The standing office that forwarded it is told the leader's direction.
    [directed] = await viet.wait_for_new(1)
    assert "Phan Đình Thắng" in (directed.text or "") and "NV-01" in (directed.text or "")
    assert "Chỉ đạo Sở Tài chính bố trí kinh phí" in (directed.text or "")
    assert "Sở Y tế" in (directed.text or "")


async def test_a_standing_officer_resolving_is_not_told_back(bot: BotUnderTest) -> None:
    await build_story(bot)
    viet = await bot.registered(bot.province.standing, 601, language="en")
    await bot.say(viet, "/vuongmac")
    await bot.tap(viet, "✅ Resolve 1")
    await bot.say(viet, "Sở Tài chính đã cấp kinh phí", 2)
    await bot.settled()
    assert not any("direction" in (m.text or "") for m in viet.messages)


async def test_a_leader_cannot_resolve_a_blocker_not_forwarded_to_him(bot: BotUnderTest) -> None:
    story = await build_story(bot)
    thang = await bot.registered(story.chairman, 605, language="en")
    await bot.say(thang, "/trogiup")
    thang.mark()
    await thang.press_data(f"b:0:res:{story.education}", thang.last.message_id)
    [reply] = await thang.wait_for_new(1)
    assert "not allow" in (reply.text or "")
    assert len(await bot.audits("blockers.refused")) == 1
    assert (await _blocker(bot, story.education)).resolved_at is None


async def test_focal_officers_and_heads_are_refused_and_audited(bot: BotUnderTest) -> None:
    story = await build_story(bot)
    lan = await bot.registered(bot.province.health_focal, 602, language="en")
    hung = await bot.registered(bot.province.health_head, 603, language="en")
    for person in (lan, hung):
        [reply] = await bot.say(person, "/vuongmac")
        assert "standing office" in (reply.text or "")
    _step, version = await bot.state(lan)
    for data in (f"b:0:res:{story.health}", f"b:{version}:fwd:{story.health}"):
        lan.mark()
        await lan.press_data(data, lan.last.message_id)
        [reply] = await lan.wait_for_new(1)
        assert "not allow" in (reply.text or "")
    refused = await bot.audits("blockers.refused")
    assert len(refused) == 4
    assert {e.actor_official_id for e in refused} == {
        bot.province.health_focal,
        bot.province.health_head,
    }
    assert (await _blocker(bot, story.health)).resolved_at is None


async def test_an_old_list_button_is_refused_once_the_step_moved_on(bot: BotUnderTest) -> None:
    story = await build_story(bot)
    viet = await bot.registered(bot.province.standing, 601, language="en")
    [listing] = await bot.say(viet, "/vuongmac")
    await bot.tap(viet, "✅ Resolve 1")
    before = await bot.state(viet)
    viet.mark()
    await viet.press("✅ Resolve 2", listing)
    [reply] = await viet.wait_for_new(1)
    assert "/vuongmac" in (reply.text or "")
    assert await bot.state(viet) == before
    assert len(await bot.audits("button.refused")) == 1
    await bot.settled()
    assert viet.callback_answers[-1].get("text")
    assert (await _blocker(bot, story.education)).resolved_at is None


@pytest.mark.sqlite_only  # bad input at one step: see tests/conftest.py
@pytest.mark.parametrize(
    "data",
    ["b:{v}:to:{leader}", "b:{v}:res:999999", "b:{v}:pg:999", "b:{v}:zap:1", "b:{v}:res:abc"],
    ids=["leader-at-list-step", "unknown-blocker", "page-beyond", "unknown-action", "not-a-number"],
)
async def test_forged_buttons_change_nothing(bot: BotUnderTest, data: str) -> None:
    story = await build_story(bot)
    viet = await bot.registered(bot.province.standing, 601, language="en")
    await bot.say(viet, "/vuongmac")
    _step, version = await bot.state(viet)
    viet.mark()
    await viet.press_data(data.format(v=version, leader=story.chairman), viet.last.message_id)
    [reply] = await viet.wait_for_new(1)
    assert reply.text
    for blocker_id in (story.health, story.education):
        blocker = await _blocker(bot, blocker_id)
        assert (blocker.resolved_at, blocker.forwarded_to) == (None, None)


async def test_forwarding_to_someone_who_is_not_a_leader_is_refused(bot: BotUnderTest) -> None:
    story = await build_story(bot)
    viet = await bot.registered(bot.province.standing, 601, language="en")
    await bot.say(viet, "/vuongmac")
    await bot.tap(viet, "➡️ Forward 1 to leader")
    _step, version = await bot.state(viet)
    viet.mark()
    await viet.press_data(f"b:{version}:to:{bot.province.health_head}", viet.last.message_id)
    await viet.wait_for_new(1)
    assert (await _blocker(bot, story.health)).forwarded_to is None
    assert len(await bot.audits("button.refused")) == 1


async def test_a_blocker_resolved_meanwhile_by_a_colleague_is_not_resolved_twice(
    bot: BotUnderTest,
) -> None:
    story = await build_story(bot)
    viet = await bot.registered(bot.province.standing, 601, language="en")
    ha = await bot.registered(story.second_standing, 607, language="en")
    await bot.say(viet, "/vuongmac")
    await bot.tap(viet, "✅ Resolve 1")
    await bot.say(ha, "/vuongmac")
    await bot.tap(ha, "✅ Resolve 1")
    await bot.say(ha, "Đã xử lý xong", 2)
    [reply] = await bot.say(viet, "Tôi cũng đã xử lý")
    assert "already been resolved" in (reply.text or "")
    blocker = await _blocker(bot, story.health)
    assert (blocker.resolved_by, blocker.resolution) == (story.second_standing, "Đã xử lý xong")
    assert len(await bot.audits("blocker.resolved")) == 1


async def test_huy_while_writing_the_note_records_nothing(bot: BotUnderTest) -> None:
    story = await build_story(bot)
    viet = await bot.registered(bot.province.standing, 601, language="en")
    await bot.say(viet, "/vuongmac")
    await bot.tap(viet, "✅ Resolve 1")
    await bot.say(viet, "/huy")
    assert (await bot.state(viet))[0] is None
    [reply] = await bot.say(viet, "Đã xử lý")
    assert "/trogiup" in (reply.text or "")
    assert (await _blocker(bot, story.health)).resolved_at is None


async def test_cancel_while_choosing_a_leader_goes_back_to_the_list(bot: BotUnderTest) -> None:
    story = await build_story(bot)
    viet = await bot.registered(bot.province.standing, 601, language="en")
    await bot.say(viet, "/vuongmac")
    await bot.tap(viet, "➡️ Forward 2 to leader")
    [listing] = await bot.tap(viet, "Cancel")
    assert "2 in all" in (listing.text or "")
    assert (await _blocker(bot, story.education)).forwarded_to is None


async def test_paging_through_many_blockers(bot: BotUnderTest) -> None:
    await build_story(bot)
    async with bot.app.db.transaction() as session:
        report = await session.scalar(select(ProgressReport.id))
        for n in range(6):
            session.add(
                Blocker(
                    assignment_id=bot.province.due_soon,
                    report_id=report or 0,
                    text=f"Vướng mắc số {n}",
                    opened_at=bot.clock() - timedelta(hours=n),
                )
            )
    viet = await bot.registered(bot.province.standing, 601, language="en")
    [first] = await bot.say(viet, "/vuongmac")
    assert "page 1/2 (8 in all)" in (first.text or "") and "Next ▶" in first.button_texts
    [second] = await bot.tap(viet, "Next ▶")
    assert "page 2/2" in (second.text or "") and "✅ Resolve 6" in second.button_texts
    assert len(second.text or "") <= 4096


async def test_stale_blockers_for_the_leaders_digest(bot: BotUnderTest) -> None:
    story = await build_story(bot)
    today = bot.clock().astimezone(ZONE).date()
    async with bot.app.db.transaction() as session:
        fourteen = await stale_blockers(session, today, 14, ZONE)
        twenty = await stale_blockers(session, today, 20, ZONE)
        twenty_one = await stale_blockers(session, today, 21, ZONE)
        two = await stale_blockers(session, today, 2, ZONE)
    assert [b.blocker_id for b in fourteen] == [story.health]
    assert fourteen[0].age_days == 20 and fourteen[0].unit_name == "Sở Y tế"
    assert [b.blocker_id for b in twenty] == [story.health]  # exactly 20 days old counts
    assert twenty_one == []
    assert [b.blocker_id for b in two] == [story.health, story.education]
    assert bot.app.settings.blocker_escalation_days == 14
