"""/xacnhan through the fake Telegram: confirming and returning results reported done."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from bot.services.people import accounts, directory
from bot.services.reports import submission as reports
from db.models import Assignment, Official, ProgressReport, Task
from tests.fakes.telegram_people import FakePerson, SentMessage
from tests.harness import BotUnderTest
from tests.province import ZONE

STANDING_2 = "Vũ Thị Mai"


async def _people(bot: BotUnderTest) -> dict[str, int]:
    """Extend the test province: a second standing officer and a provincial leader; all English."""
    now = bot.clock()
    async with bot.app.db.transaction() as session:
        mai = await directory.add_official(
            session, name=STANDING_2, role="standing", unit_code="CA", title="", now=now
        )
        leader = await directory.add_official(
            session, name="Nguyễn Đức Trung", role="leader", unit_code="UBND", title="", now=now
        )
        await session.execute(update(Official).values(locale="en"))
        return {"standing_2": mai.id or 0, "leader": leader.id or 0}


async def _claim(
    bot: BotUnderTest,
    person: FakePerson,
    assignment_id: int,
    *,
    evidence: tuple[str, str, str | None] | None = None,
    status: str = "done",
) -> None:
    """The unit reports a result (done by default), as the /baocao flow would store it."""
    now = bot.clock()
    draft: dict[str, object] = {
        "status": status,
        "progress": 100 if status == "done" else 50,
        "done_text": "Đã triển khai tại toàn bộ 20 cơ sở",
        "difficulty": None,
        "proposal": "Đề nghị nhân rộng",
    }
    if evidence:
        kind, file_id, name = evidence
        draft |= {"evidence_kind": kind, "evidence_file_id": file_id, "evidence_name": name}
    async with bot.app.db.transaction() as session:
        identity = await accounts.identify(session, "telegram", str(person.user_id))
        assert identity is not None
        await reports.submit(
            session,
            identity,
            assignment_id,
            draft,
            channel="telegram",
            now=now,
            today=now.astimezone(ZONE).date(),
        )


async def _open(bot: BotUnderTest, person: FakePerson, number: int = 1) -> SentMessage:
    """The person opens /xacnhan and then the queue's entry `number`: its card."""
    await bot.say(person, "/xacnhan")
    [card] = await bot.tap(person, f"🔎 Open {number}")
    return card


async def _world(bot: BotUnderTest) -> tuple[dict[str, int], FakePerson, FakePerson, FakePerson]:
    ids = await _people(bot)
    lan = await bot.registered(bot.province.health_focal, 501, language="en")
    hung = await bot.registered(bot.province.health_head, 502, language="en")
    viet = await bot.registered(bot.province.standing, 509, language="en")
    return ids, lan, hung, viet


async def test_the_standing_officer_confirms_a_late_result_and_the_unit_is_told(
    bot: BotUnderTest,
) -> None:
    _ids, lan, hung, viet = await _world(bot)
    await _claim(bot, lan, bot.province.overdue, evidence=("document", "doc-9", "Bien_ban.pdf"))
    card = await _open(bot, viet)
    assert "NV-01" in card.text and "Sở Y tế" in card.text and "Nguyễn Thị Lan" in card.text
    assert "Đã triển khai tại toàn bộ 20 cơ sở" in card.text and "Đề nghị nhân rộng" in card.text
    assert "document Bien_ban.pdf" in card.text and "done late" in card.text
    assert card.button_texts[:3] == ["✅ Confirm", "↩️ Return", "📎 View evidence"]
    lan.mark()
    hung.mark()
    confirmed, empty = await bot.tap(viet, "✅ Confirm", replies=2)
    assert "Confirmed" in confirmed.text and "done late" in confirmed.text
    assert "No reported results" in empty.text
    [to_lan] = await lan.wait_for_new(1)
    [to_hung] = await hung.wait_for_new(1)
    assert "NV-01" in to_lan.text and "done late" in to_lan.text and to_hung.text == to_lan.text
    assignment = await bot.assignment(bot.province.overdue)
    assert (assignment.status, assignment.review) == ("done", "confirmed")
    assert assignment.reviewed_by == bot.province.standing and assignment.reviewed_at is not None
    [entry] = await bot.audits("review.confirmed")
    assert entry.before == {"status": "done", "review": "pending"}
    assert entry.after is not None and entry.after["timing"] == "done_late"
    assert entry.actor_official_id == bot.province.standing


async def test_a_result_reported_on_time_is_confirmed_as_done_on_time(bot: BotUnderTest) -> None:
    _ids, lan, _hung, viet = await _world(bot)
    await _claim(bot, lan, bot.province.due_soon, evidence=("photo", "photo-3", None))
    await bot.say(viet, "/review")
    [card] = await bot.tap(viet, "🔎 Open 1")
    assert "NV-02" in card.text and "photo" in card.text and "done on time" in card.text
    [evidence] = await bot.tap(viet, "📎 View evidence")
    assert (evidence.kind, evidence.file_id) == ("photo", "photo-3")
    confirmed, _empty = await bot.tap(viet, "✅ Confirm", replies=2)
    assert "done on time" in confirmed.text


async def test_the_queue_is_oldest_first_and_pages_one_card_at_a_time(bot: BotUnderTest) -> None:
    _ids, lan, _hung, viet = await _world(bot)
    await _claim(bot, lan, bot.province.due_soon)
    bot.clock.advance(hours=1)
    await _claim(bot, lan, bot.province.overdue)
    first = await _open(bot, viet)
    assert "NV-02" in first.text and "1 of 2" in first.text and "Next ▶" in first.button_texts
    [second] = await bot.tap(viet, "Next ▶")
    assert "NV-01" in second.text and "2 of 2" in second.text
    assert "◀ Previous" in second.button_texts
    # Confirming the second card leaves the first, which is shown next.
    _confirmed, following = await bot.tap(viet, "✅ Confirm", replies=2)
    assert "NV-02" in following.text and "1 of 1" in following.text
    assert (await bot.assignment(bot.province.overdue)).review == "confirmed"
    assert (await bot.assignment(bot.province.due_soon)).review == "pending"


async def test_returning_asks_a_reason_and_sends_the_work_back_with_it(bot: BotUnderTest) -> None:
    _ids, lan, hung, viet = await _world(bot)
    await _claim(bot, lan, bot.province.overdue)
    await _open(bot, viet)
    [question] = await bot.tap(viet, "↩️ Return")
    assert "reason" in question.text and "2,000" in question.text
    lan.mark()
    hung.mark()
    reason = "Chưa có biên bản nghiệm thu của 5 cơ sở"
    returned, _empty = await bot.say(viet, reason, replies=2)
    assert "Returned" in returned.text
    [to_lan] = await lan.wait_for_new(1)
    [to_hung] = await hung.wait_for_new(1)
    assert reason in to_lan.text and reason in to_hung.text and "/baocao" in to_lan.text
    assignment = await bot.assignment(bot.province.overdue)
    assert (assignment.status, assignment.review) == ("in_progress", "returned")
    assert assignment.review_note == reason and assignment.done_on is None
    [entry] = await bot.audits("review.returned")
    assert entry.before is not None and entry.before["status"] == "done"
    assert entry.after is not None and entry.after["review_note"] == reason
    # Reported done again, the claim waits for a decision afresh, with no old verdict left.
    await _claim(bot, lan, bot.province.overdue)
    again = await bot.assignment(bot.province.overdue)
    assert (again.review, again.review_note, again.reviewed_by) == ("pending", None, None)


async def test_a_report_that_is_not_done_leaves_the_verdict_alone(bot: BotUnderTest) -> None:
    _ids, lan, _hung, viet = await _world(bot)
    await _claim(bot, lan, bot.province.overdue)
    await _open(bot, viet)
    await bot.tap(viet, "✅ Confirm", replies=2)
    await _claim(bot, lan, bot.province.overdue, status="in_progress")
    assert (await bot.assignment(bot.province.overdue)).review == "confirmed"
    [reply] = await bot.say(viet, "/xacnhan")
    assert "No reported results" in reply.text


@pytest.mark.sqlite_only  # bad input at one step: see tests/conftest.py
@pytest.mark.parametrize(
    "answer", ["   ", "👍🙏🎉", "x" * 5000], ids=["blank", "emoji", "5000-chars"]
)
async def test_the_return_reason_must_be_words_within_the_limit(
    bot: BotUnderTest, answer: str
) -> None:
    _ids, lan, _hung, viet = await _world(bot)
    await _claim(bot, lan, bot.province.overdue)
    await _open(bot, viet)
    await bot.tap(viet, "↩️ Return")
    before = await bot.state(viet)
    [reply] = await bot.say(viet, answer)
    assert reply.text
    if len(answer) == 5000:
        assert "5,000" in reply.text and "2,000" in reply.text
    assert await bot.state(viet) == before
    assert (await bot.assignment(bot.province.overdue)).review == "pending"


@pytest.mark.sqlite_only  # bad input at one step: see tests/conftest.py
async def test_a_photo_instead_of_the_reason_is_explained(bot: BotUnderTest) -> None:
    _ids, lan, _hung, viet = await _world(bot)
    await _claim(bot, lan, bot.province.overdue)
    await _open(bot, viet)
    await bot.tap(viet, "↩️ Return")
    before = await bot.state(viet)
    viet.mark()
    await viet.send_photo()
    [reply] = await viet.wait_for_new(1)
    assert "text" in reply.text
    assert await bot.state(viet) == before


async def test_cancelling_the_reason_shows_the_card_again_and_changes_nothing(
    bot: BotUnderTest,
) -> None:
    _ids, lan, _hung, viet = await _world(bot)
    await _claim(bot, lan, bot.province.overdue)
    await _open(bot, viet)
    await bot.tap(viet, "↩️ Return")
    [card] = await bot.tap(viet, "Cancel")
    assert "NV-01" in card.text and "✅ Confirm" in card.button_texts
    assert (await bot.assignment(bot.province.overdue)).review == "pending"


async def test_two_standing_officers_at_once_only_the_first_decides(bot: BotUnderTest) -> None:
    ids, lan, _hung, viet = await _world(bot)
    mai = await bot.registered(ids["standing_2"], 510, language="en")
    await _claim(bot, lan, bot.province.overdue)
    await _open(bot, viet)
    await _open(bot, mai)
    await bot.tap(viet, "✅ Confirm", replies=2)
    mai.mark()
    await mai.press("↩️ Return")
    [question] = await mai.wait_for_new(1)
    assert "reason" in question.text  # the card was still on her screen
    already, _empty = await bot.say(mai, "Thiếu biên bản", replies=2)
    assert "already been decided" in already.text and "Đặng Quốc Việt" in already.text
    assignment = await bot.assignment(bot.province.overdue)
    assert (assignment.status, assignment.review) == ("done", "confirmed")
    assert assignment.reviewed_by == bot.province.standing
    assert await bot.audits("review.returned") == []


async def test_a_second_confirm_by_another_officer_is_already_decided(bot: BotUnderTest) -> None:
    ids, lan, _hung, viet = await _world(bot)
    mai = await bot.registered(ids["standing_2"], 510, language="en")
    await _claim(bot, lan, bot.province.overdue)
    await _open(bot, viet)
    await _open(bot, mai)
    await bot.tap(viet, "✅ Confirm", replies=2)
    already, _empty = await bot.tap(mai, "✅ Confirm", replies=2)
    assert "already been decided" in already.text
    assert len(await bot.audits("review.confirmed")) == 1
    await bot.settled()
    assert mai.callback_answers[-1].get("text") == "Already decided."


@pytest.mark.parametrize("who", ["focal", "head", "leader"])
async def test_only_standing_officers_may_review(bot: BotUnderTest, who: str) -> None:
    ids, lan, hung, _viet = await _world(bot)
    await _claim(bot, lan, bot.province.overdue)
    person = {
        "focal": lan,
        "head": hung,
        "leader": await bot.registered(ids["leader"], 520, language="en"),
    }[who]
    [reply] = await bot.say(person, "/xacnhan")
    assert "Only the standing office" in reply.text
    assert len(await bot.audits("review.refused")) == 1
    # A forged confirm button for the claim: refused and audited, nothing changes.
    _step, version = await bot.state(person)
    person.mark()
    await person.press_data(f"v:{version}:ok:{bot.province.overdue}", reply.message_id)
    [again] = await person.wait_for_new(1)
    assert "Only the standing office" in again.text
    assert len(await bot.audits("review.refused")) == 2
    assert (await bot.assignment(bot.province.overdue)).review == "pending"


async def test_a_stale_card_is_refused_after_the_queue_was_opened_again(bot: BotUnderTest) -> None:
    _ids, lan, _hung, viet = await _world(bot)
    await _claim(bot, lan, bot.province.overdue)
    old = await _open(bot, viet)
    await bot.say(viet, "/xacnhan")
    viet.mark()
    await viet.press("✅ Confirm", old)
    await viet.wait_for_new(1)
    assert len(await bot.audits("button.refused")) == 1
    assert (await bot.assignment(bot.province.overdue)).review == "pending"


async def test_a_forged_confirm_for_another_assignment_than_the_card_is_refused(
    bot: BotUnderTest,
) -> None:
    _ids, lan, _hung, viet = await _world(bot)
    await _claim(bot, lan, bot.province.overdue)
    await _claim(bot, lan, bot.province.due_soon)
    card = await _open(bot, viet)
    _step, version = await bot.state(viet)
    shown = bot.province.overdue if "NV-01" in card.text else bot.province.due_soon
    other = bot.province.due_soon if shown == bot.province.overdue else bot.province.overdue
    viet.mark()
    await viet.press_data(f"v:{version}:ok:{other}", card.message_id)
    await viet.wait_for_new(1)
    assert len(await bot.audits("button.refused")) == 1
    assert (await bot.assignment(other)).review == "pending"


async def test_the_close_button_leaves_the_queue(bot: BotUnderTest) -> None:
    _ids, lan, _hung, viet = await _world(bot)
    await _claim(bot, lan, bot.province.overdue)
    await _open(bot, viet)
    [closed] = await bot.tap(viet, "Close")
    assert "/xacnhan" in closed.text
    assert (await bot.state(viet))[0] is None


@pytest.mark.sqlite_only  # bad input at one step: see tests/conftest.py
async def test_a_person_typing_at_the_card_is_told_to_use_the_buttons(bot: BotUnderTest) -> None:
    _ids, lan, _hung, viet = await _world(bot)
    await _claim(bot, lan, bot.province.overdue)
    await _open(bot, viet)
    before = await bot.state(viet)
    [reply] = await bot.say(viet, "ok")
    assert "buttons" in reply.text
    assert await bot.state(viet) == before


async def test_done_reported_through_baocao_reaches_the_queue(bot: BotUnderTest) -> None:
    _ids, lan, _hung, viet = await _world(bot)
    await bot.say(lan, "/baocao NV-02")
    await bot.tap(lan, "Done")
    await bot.say(lan, "Đã cấp 10.000 sổ sức khỏe điện tử")
    await bot.tap(lan, "Skip")
    await bot.tap(lan, "Skip")
    lan.mark()
    await lan.send_document("ket-qua", "Ket_qua_NV02.pdf")
    await lan.wait_for_new(1)
    await bot.tap(lan, "✅ Confirm")
    assert (await bot.assignment(bot.province.due_soon)).review == "pending"
    bot.clock.advance(days=5)
    card = await _open(bot, viet)
    assert "NV-02" in card.text and "Ket_qua_NV02.pdf" in card.text
    # The officer opens the evidence itself: the very file the focal officer sent.
    [evidence] = await bot.tap(viet, "📎 View evidence")
    assert (evidence.kind, evidence.file_id) == ("document", "ket-qua")
    assert evidence.text == "📎 Evidence for [NV-02] Cấp sổ sức khỏe điện tử (Sở Y tế)"
    # Confirmed days later, the result still counts by the day it was reported done.
    await bot.tap(viet, "✅ Confirm", replies=2)
    assignment = await bot.assignment(bot.province.due_soon)
    assert assignment.done_on == (bot.clock() - timedelta(days=5)).astimezone(ZONE).date()
    [entry] = await bot.audits("review.confirmed")
    assert entry.after is not None and entry.after["timing"] == "done_on_time"


async def test_evidence_of_a_claim_already_decided_is_not_sent(bot: BotUnderTest) -> None:
    ids, lan, _hung, viet = await _world(bot)
    await _claim(bot, lan, bot.province.overdue, evidence=("document", "doc-9", "Bien_ban.pdf"))
    mai = await bot.registered(ids["standing_2"], 510, language="en")
    await _open(bot, viet)
    await _open(bot, mai)
    await bot.tap(mai, "✅ Confirm", replies=2)
    [answer] = await bot.tap(viet, "📎 View evidence")
    assert answer.kind == "text" and "no longer waiting" in answer.text


async def test_the_queue_shows_how_many_wait_which_and_since_when_paged(
    bot: BotUnderTest,
) -> None:
    _ids, lan, _hung, viet = await _world(bot)
    tuan = await bot.registered(bot.province.education_focal, 503, language="en")
    await _claim(bot, lan, bot.province.due_soon)
    bot.clock.advance(days=1)  # Tuesday 17/11
    await _claim(bot, tuan, bot.province.education_task)
    await _claim(bot, lan, bot.province.overdue)
    bot.clock.advance(days=2)  # Thursday 19/11
    [listing] = await bot.say(viet, "/xacnhan")
    assert "3 results are waiting for confirmation" in listing.text and "page 1/1" in listing.text
    assert listing.text.index("[NV-02]") < listing.text.index("[NV-03]")
    assert "Reported done 16/11/2026 by Nguyễn Thị Lan, waiting 3 working days" in listing.text
    assert "Sở Giáo dục và Đào tạo" in listing.text and "waiting 2 working days" in listing.text
    assert listing.button_texts[:3] == ["🔎 Open 1", "🔎 Open 2", "🔎 Open 3"]
    [card] = await bot.tap(viet, "🔎 Open 2")
    assert "2 of 3" in card.text
    [again] = await bot.tap(viet, "📋 The queue")
    assert again.text == listing.text


async def test_the_queue_pages_five_at_a_time(bot: BotUnderTest) -> None:
    _ids, _lan, _hung, viet = await _world(bot)
    now = bot.clock()
    async with bot.app.db.transaction() as session:
        education = await session.get(Assignment, bot.province.education_task)
        task = await session.get(Task, education.task_id if education else 0)
        assert education is not None and task is not None
        for number in range(7):
            extra = Task(group_id=task.group_id, code=f"NV-9{number}", title=f"Việc {number}")
            session.add(extra)
            await session.flush()
            at = now + timedelta(minutes=number)
            claimed = Assignment(
                task_id=extra.id,
                unit_id=education.unit_id,
                deadline=education.deadline,
                original_deadline=education.deadline,
                status="done",
                progress=100,
                done_on=at.astimezone(ZONE).date(),
                review="pending",
                last_report_at=at,
            )
            session.add(claimed)
            await session.flush()
            session.add(
                ProgressReport(
                    assignment_id=claimed.id,
                    official_id=bot.province.education_focal,
                    status="done",
                    progress=100,
                    done_text="Xong",
                    channel="telegram",
                    created_at=at,
                )
            )
    [listing] = await bot.say(viet, "/xacnhan")
    assert "7 results" in listing.text and "page 1/2" in listing.text
    assert "[NV-94]" in listing.text and "[NV-95]" not in listing.text
    [second] = await bot.tap(viet, "Next ▶")
    assert "page 2/2" in second.text and "6. " in second.text and "[NV-96]" in second.text
    assert "[NV-90]" not in second.text
    [card] = await bot.tap(viet, "🔎 Open 7")
    assert "[NV-96]" in card.text and "7 of 7" in card.text
