"""/giahan through the fake Telegram: asking for a later deadline, and the decision."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from bot.services.people import directory
from db.models import Assignment, ExtensionRequest, Official
from tests.fakes.telegram_people import FakePerson
from tests.harness import BotUnderTest

# The test clock is Monday 16/11/2026. NV-02 (Sở Y tế) is due 19/11/2026, NV-01 was due 11/11.
TODAY = date(2026, 11, 16)
REASON = "Chờ Sở Tài chính cấp kinh phí mua đầu đọc thẻ"


async def _people(bot: BotUnderTest) -> dict[str, int]:
    """Extend the test province: a second standing officer and a leader; everyone English."""
    now = bot.clock()
    async with bot.app.db.transaction() as session:
        mai = await directory.add_official(
            session, name="Vũ Thị Mai", role="standing", unit_code="CA", title="", now=now
        )
        leader = await directory.add_official(
            session, name="Nguyễn Đức Trung", role="leader", unit_code="UBND", title="", now=now
        )
        await session.execute(update(Official).values(locale="en"))
        return {"standing_2": mai.id or 0, "leader": leader.id or 0}


async def _world(bot: BotUnderTest) -> tuple[dict[str, int], FakePerson, FakePerson, FakePerson]:
    ids = await _people(bot)
    lan = await bot.registered(bot.province.health_focal, 501, language="en")
    hung = await bot.registered(bot.province.health_head, 502, language="en")
    viet = await bot.registered(bot.province.standing, 509, language="en")
    return ids, lan, hung, viet


async def _requests(bot: BotUnderTest) -> list[ExtensionRequest]:
    async with bot.app.db.transaction() as session:
        return list(await session.scalars(select(ExtensionRequest).order_by(ExtensionRequest.id)))


async def _ask_up_to(bot: BotUnderTest, person: FakePerson, step: str) -> None:
    """Walk a request on NV-02 up to `step` (date, reason, confirm)."""
    [question] = await bot.say(person, "/giahan NV-02")
    assert "19/11/2026" in question.text
    if step == "date":
        return
    await bot.say(person, "31/12/2026")
    if step == "reason":
        return
    await bot.say(person, REASON)
    assert step == "confirm"


async def _requested(bot: BotUnderTest, lan: FakePerson, viet: FakePerson) -> ExtensionRequest:
    """Lan asks to move NV-02 to 31/12/2026; Việt receives the request."""
    await _ask_up_to(bot, lan, "confirm")
    viet.mark()
    await bot.tap(lan, "✅ Confirm")
    await viet.wait_for_new(1)
    [request] = await _requests(bot)
    return request


async def test_a_focal_officer_asks_and_the_standing_office_approves(bot: BotUnderTest) -> None:
    ids, lan, hung, viet = await _world(bot)
    mai = await bot.registered(ids["standing_2"], 510, language="en")
    [pick] = await bot.say(lan, "/giahan")
    assert any("NV-02" in label for label in pick.button_texts)
    assert not any("NV-03" in label for label in pick.button_texts)  # another unit's
    [question] = await bot.tap(lan, next(b for b in pick.button_texts if "NV-02" in b))
    assert "19/11/2026" in question.text
    [reason_question] = await bot.say(lan, "31/12/2026")
    assert "31" in reason_question.text and "2,000" in reason_question.text
    [review] = await bot.say(lan, REASON)
    assert "19/11/2026" in review.text and "31/12/2026" in review.text and REASON in review.text
    viet.mark()
    mai.mark()
    [sent] = await bot.tap(lan, "✅ Confirm")
    assert "sent to the standing office" in sent.text
    [to_viet] = await viet.wait_for_new(1)
    [to_mai] = await mai.wait_for_new(1)
    for message in (to_viet, to_mai):
        assert (
            "NV-02" in message.text and REASON in message.text and "42 days later" in message.text
        )
        assert message.button_texts == ["✅ Approve", "❌ Refuse"]
    [request] = await _requests(bot)
    assert (request.current_deadline, request.requested_deadline) == (
        date(2026, 11, 19),
        date(2026, 12, 31),
    )
    assert request.reason == REASON and request.requested_by == bot.province.health_focal
    assert request.decision is None
    # One tap approves: the deadline moves, the original stays, the unit is told.
    lan.mark()
    hung.mark()
    [approved] = await bot.tap(viet, "✅ Approve")
    assert (
        approved.message_id == to_viet.message_id and "Approved by Đặng Quốc Việt" in approved.text
    )
    [to_lan] = await lan.wait_for_new(1)
    [to_hung] = await hung.wait_for_new(1)
    assert "approved" in to_lan.text and "31/12/2026" in to_lan.text and to_hung.text == to_lan.text
    assignment = await bot.assignment(bot.province.due_soon)
    assert assignment.deadline == date(2026, 12, 31)
    assert assignment.original_deadline == date(2026, 11, 19)
    [decided] = await _requests(bot)
    assert decided.decision == "approved" and decided.decided_by == bot.province.standing
    assert decided.decided_at is not None
    [entry] = await bot.audits("extension.decided")
    assert entry.after is not None
    assert entry.after["deadline"] == {"before": "2026-11-19", "after": "2026-12-31"}
    assert len(await bot.audits("extension.requested")) == 1
    # The other standing officer's copy is now already decided; nothing changes.
    [late] = await bot.tap(mai, "✅ Approve")
    assert "already been decided" in late.text
    [late_refuse] = await bot.tap(mai, "❌ Refuse")
    assert "already been decided" in late_refuse.text
    assert len(await bot.audits("extension.decided")) == 1


async def test_the_standing_office_refuses_with_a_reason(bot: BotUnderTest) -> None:
    _ids, lan, hung, viet = await _world(bot)
    await _requested(bot, lan, viet)
    [question] = await bot.tap(viet, "❌ Refuse")
    assert "reason" in question.text
    for bad in ("   ", "🙅", "y" * 5000):
        [reply] = await bot.say(viet, bad)
        assert reply.text and "Refused" not in reply.text
    viet.mark()
    await viet.send_photo()
    [photo_reply] = await viet.wait_for_new(1)
    assert "text" in photo_reply.text
    assert (await _requests(bot))[0].decision is None
    lan.mark()
    hung.mark()
    [refused] = await bot.say(viet, "Nhiệm vụ trọng tâm, không gia hạn")
    assert "Refused" in refused.text and "19/11/2026" in refused.text
    [to_lan] = await lan.wait_for_new(1)
    [to_hung] = await hung.wait_for_new(1)
    assert "Nhiệm vụ trọng tâm, không gia hạn" in to_lan.text and to_hung.text == to_lan.text
    [request] = await _requests(bot)
    assert (request.decision, request.decision_note) == (
        "refused",
        "Nhiệm vụ trọng tâm, không gia hạn",
    )
    assert (await bot.assignment(bot.province.due_soon)).deadline == date(2026, 11, 19)
    # A second decision on the same request changes nothing.
    [again] = await bot.tap(viet, "✅ Approve")
    assert "already been decided" in again.text
    assert (await bot.assignment(bot.province.due_soon)).deadline == date(2026, 11, 19)


async def test_refusing_can_be_cancelled(bot: BotUnderTest) -> None:
    _ids, lan, _hung, viet = await _world(bot)
    await _requested(bot, lan, viet)
    await bot.tap(viet, "❌ Refuse")
    [cancelled] = await bot.tap(viet, "Cancel")
    assert "Nothing was recorded" in cancelled.text
    assert (await _requests(bot))[0].decision is None


async def test_the_reminder_button_opens_the_request(bot: BotUnderTest) -> None:
    _ids, lan, _hung, _viet = await _world(bot)
    lan.mark()
    assert await bot.app.ticker().run("reminders", bot.clock()) == 1
    bot.app.dispatcher.wake()
    [reminder] = await lan.wait_for_new(1)
    assert "Ask for an extension" in reminder.button_texts
    [question] = await bot.tap(lan, "Ask for an extension")
    assert "NV-02" in question.text and "19/11/2026" in question.text
    assert (await bot.state(lan))[0] == "date"


@pytest.mark.sqlite_only  # bad input at one step: see tests/conftest.py
@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("hôm qua", "not a date"),
        ("31/02/2027", "does not exist"),
        ("2027-13-01", "does not exist"),
        ("01/11/2026", "already passed"),
        ("18/11/2026", "later than the current deadline, 19/11/2026"),
        ("19/11", "later than the current deadline"),
        ("01/01/2029", "no later than 19/11/2027"),
        ("👍", "not a date"),
        ("1" * 5000, "not a date"),
        ("   ", "not a date"),
    ],
    ids=[
        "words",
        "31-feb",
        "month-13",
        "past",
        "before",
        "same-day",
        "too-far",
        "emoji",
        "5000-chars",
        "blank",
    ],
)
async def test_the_new_date_is_checked_and_explained(
    bot: BotUnderTest, answer: str, expected: str
) -> None:
    _ids, lan, _hung, _viet = await _world(bot)
    await _ask_up_to(bot, lan, "date")
    before = await bot.state(lan)
    [reply] = await bot.say(lan, answer)
    assert expected in reply.text
    assert await bot.state(lan) == before


@pytest.mark.sqlite_only  # spellings of one answer: see tests/conftest.py
@pytest.mark.parametrize("answer", ["5/1/2027", "05/01", "2027-01-05", "05-01-2027"])
async def test_the_new_date_may_be_written_in_several_ways(bot: BotUnderTest, answer: str) -> None:
    _ids, lan, _hung, viet = await _world(bot)
    await _ask_up_to(bot, lan, "date")
    await bot.say(lan, answer)
    await bot.say(lan, REASON)
    viet.mark()
    await bot.tap(lan, "✅ Confirm")
    [request] = await _requests(bot)
    assert request.requested_deadline == date(2027, 1, 5)


@pytest.mark.sqlite_only  # bad input at one step: see tests/conftest.py
async def test_a_photo_instead_of_the_date_is_explained(bot: BotUnderTest) -> None:
    _ids, lan, _hung, _viet = await _world(bot)
    await _ask_up_to(bot, lan, "date")
    before = await bot.state(lan)
    lan.mark()
    await lan.send_photo()
    [reply] = await lan.wait_for_new(1)
    assert "text" in reply.text
    assert await bot.state(lan) == before


@pytest.mark.sqlite_only  # bad input at one step: see tests/conftest.py
@pytest.mark.parametrize("answer", ["   ", "👍🙏🎉", "x" * 5000], ids=["blank", "emoji", "5000"])
async def test_the_reason_is_required_in_words_within_the_limit(
    bot: BotUnderTest, answer: str
) -> None:
    _ids, lan, _hung, _viet = await _world(bot)
    await _ask_up_to(bot, lan, "reason")
    before = await bot.state(lan)
    [reply] = await bot.say(lan, answer)
    assert reply.text
    if len(answer) == 5000:
        assert "5,000" in reply.text and "2,000" in reply.text
    assert await bot.state(lan) == before


@pytest.mark.sqlite_only  # bad input at one step: see tests/conftest.py
async def test_a_document_instead_of_the_reason_is_explained(bot: BotUnderTest) -> None:
    _ids, lan, _hung, _viet = await _world(bot)
    await _ask_up_to(bot, lan, "reason")
    before = await bot.state(lan)
    lan.mark()
    await lan.send_document()
    [reply] = await lan.wait_for_new(1)
    assert "text" in reply.text
    assert await bot.state(lan) == before


@pytest.mark.sqlite_only  # bad input at one step: see tests/conftest.py
async def test_typing_at_the_review_step_asks_for_the_buttons(bot: BotUnderTest) -> None:
    _ids, lan, _hung, _viet = await _world(bot)
    await _ask_up_to(bot, lan, "confirm")
    before = await bot.state(lan)
    [reply] = await bot.say(lan, "ok")
    assert "buttons" in reply.text
    assert await bot.state(lan) == before


async def test_cancel_and_huy_record_nothing(bot: BotUnderTest) -> None:
    _ids, lan, _hung, _viet = await _world(bot)
    for step in ("date", "reason", "confirm"):
        await _ask_up_to(bot, lan, step)
        await bot.say(lan, "/huy")
        assert (await bot.state(lan))[0] is None
    await _ask_up_to(bot, lan, "confirm")
    [cancelled] = await bot.tap(lan, "Cancel")
    assert "Nothing was recorded" in cancelled.text
    assert await _requests(bot) == []


async def test_one_open_request_per_assignment(bot: BotUnderTest) -> None:
    _ids, lan, hung, viet = await _world(bot)
    await _requested(bot, lan, viet)
    [reply] = await bot.say(hung, "/giahan NV-02")
    assert "already waiting" in reply.text and "31/12/2026" in reply.text
    assert (await bot.state(hung))[0] is None
    # A draft confirmed after someone else's request went in is not stored either.
    await bot.tap(viet, "✅ Approve")
    [question] = await bot.say(hung, "/giahan NV-02")
    assert "31/12/2026" in question.text  # the approved deadline
    await bot.say(lan, "/giahan NV-02")
    await bot.say(lan, "15/01/2027")
    await bot.say(lan, REASON)
    await bot.say(hung, "20/01/2027")
    await bot.say(hung, REASON)
    await bot.tap(hung, "✅ Confirm")
    [second] = await bot.tap(lan, "✅ Confirm")
    # Lan is told whose request is waiting, for which date and since when.
    assert "waiting for the standing office since" in second.text
    assert "20/01/2027" in second.text and "Nothing was recorded" in second.text
    assert len(await _requests(bot)) == 2


async def test_a_done_task_needs_no_extension(bot: BotUnderTest) -> None:
    _ids, lan, _hung, _viet = await _world(bot)
    async with bot.app.db.transaction() as session:
        await session.execute(
            update(Assignment).where(Assignment.id == bot.province.due_soon).values(status="done")
        )
    [reply] = await bot.say(lan, "/giahan NV-02")
    assert "already reported done" in reply.text


async def test_an_unknown_code_falls_back_to_the_list(bot: BotUnderTest) -> None:
    _ids, lan, _hung, _viet = await _world(bot)
    unknown, pick = await bot.say(lan, "/giahan NV-99", replies=2)
    assert "NV-99" in unknown.text and pick.button_texts


@pytest.mark.parametrize("who", ["standing", "leader"])
async def test_only_focal_officers_and_heads_may_ask(bot: BotUnderTest, who: str) -> None:
    ids, _lan, _hung, viet = await _world(bot)
    person = viet if who == "standing" else await bot.registered(ids["leader"], 520, "en")
    [reply] = await bot.say(person, "/giahan")
    assert "Only focal officers and heads" in reply.text
    person.mark()
    await person.press_data(f"g:0:ext:{bot.province.due_soon}", reply.message_id)
    [again] = await person.wait_for_new(1)
    assert "Only focal officers and heads" in again.text
    assert len(await bot.audits("extension.refused")) == 2
    assert await _requests(bot) == []


async def test_a_focal_officer_forging_an_approval_is_refused(bot: BotUnderTest) -> None:
    _ids, lan, hung, viet = await _world(bot)
    request = await _requested(bot, lan, viet)
    for person in (lan, hung):
        person.mark()
        await person.press_data(f"g:0:ap:{request.id}", person.last.message_id)
        [reply] = await person.wait_for_new(1)
        assert "Only the standing office" in reply.text
    assert len(await bot.audits("extension.refused")) == 2
    assert (await _requests(bot))[0].decision is None
    assert (await bot.assignment(bot.province.due_soon)).deadline == date(2026, 11, 19)


async def test_a_forged_request_id_and_garbage_are_refused(bot: BotUnderTest) -> None:
    _ids, _lan, _hung, viet = await _world(bot)
    await bot.say(viet, "/trogiup")
    for data in ("g:0:ap:99999", "g:0:rf:abc", "g:0:zz:1", "g:0:ext:abc"):
        viet.mark()
        await viet.press_data(data, viet.last.message_id)
        await viet.wait_for_new(1)
    refused = len(await bot.audits("button.refused")) + len(await bot.audits("extension.refused"))
    assert refused == 4


async def test_another_units_assignment_is_refused(bot: BotUnderTest) -> None:
    _ids, lan, _hung, _viet = await _world(bot)
    [pick] = await bot.say(lan, "/giahan")
    _step, version = await bot.state(lan)
    for data in (
        f"g:{version}:pick:{bot.province.education_task}",
        f"g:0:ext:{bot.province.education_task}",
    ):
        lan.mark()
        await lan.press_data(data, pick.message_id)
        [reply] = await lan.wait_for_new(1)
        assert "Thu học phí" not in reply.text
    assert len(await bot.audits("button.refused")) == 2
    assert await _requests(bot) == []


async def test_stale_and_other_peoples_buttons_are_refused(bot: BotUnderTest) -> None:
    _ids, lan, _hung, _viet = await _world(bot)
    tuan = await bot.registered(bot.province.education_focal, 503, language="en")
    [pick] = await bot.say(lan, "/giahan")
    label = next(b for b in pick.button_texts if "NV-02" in b)
    await bot.tap(lan, label)
    # The list was answered: its buttons are stale now.
    before = await bot.state(lan)
    lan.mark()
    await lan.press(label, pick)
    await lan.wait_for_new(1)
    assert await bot.state(lan) == before
    # Another person pressing Lan's button.
    data = pick.find_button(label).callback_data  # type: ignore[union-attr]
    assert data is not None
    tuan.mark()
    await tuan.press_data(data, pick.message_id)
    await tuan.wait_for_new(1)
    assert len(await bot.audits("button.refused")) == 2
    assert (await bot.state(tuan))[0] is None


async def test_the_help_and_the_command_menu_list_the_new_commands(bot: BotUnderTest) -> None:
    _ids, lan, _hung, viet = await _world(bot)
    [focal_help] = await bot.say(lan, "/help")
    assert "/giahan" in focal_help.text and "/xacnhan" not in focal_help.text
    [standing_help] = await bot.say(viet, "/help")
    assert "/xacnhan" in standing_help.text and "/giahan" not in standing_help.text
    await bot.telegram.wait_until(lambda: len(bot.telegram.menu_seen(viet)) > 2)
    focal_menu = [entry["command"] for entry in bot.telegram.menu_seen(lan)]
    standing_menu = [entry["command"] for entry in bot.telegram.menu_seen(viet)]
    assert "giahan" in focal_menu and "xetgiahan" not in focal_menu
    assert "xetgiahan" in standing_menu and "giahan" not in standing_menu


async def test_the_standing_office_lists_the_requests_waiting_and_decides_from_the_list(
    bot: BotUnderTest,
) -> None:
    _ids, lan, _hung, viet = await _world(bot)
    await _requested(bot, lan, viet)
    bot.clock.advance(days=3)  # Thursday 19/11: three working days later
    [listing] = await bot.say(viet, "/xetgiahan")
    assert "1 extension request is waiting for a decision" in listing.text
    assert "[NV-02]" in listing.text and "Sở Y tế" in listing.text and REASON in listing.text
    assert "19/11/2026 → 31/12/2026" in listing.text
    assert "asked 16/11/2026 by Nguyễn Thị Lan, waiting 3 working days" in listing.text
    assert listing.button_texts == ["✅ Approve 1", "❌ Refuse 1"]
    [same] = await bot.say(viet, "/extensions")
    assert same.text == listing.text
    lan.mark()
    approved, empty = await bot.tap(viet, "✅ Approve 1", replies=2)
    assert "Approved by Đặng Quốc Việt" in approved.text
    assert "No extension requests are waiting" in empty.text
    [told] = await lan.wait_for_new(1)
    assert "approved" in told.text and "31/12/2026" in told.text
    assert (await bot.assignment(bot.province.due_soon)).deadline == date(2026, 12, 31)
    assert len(await bot.audits("extension.decided")) == 1


async def test_refusing_from_the_list_asks_the_reason(bot: BotUnderTest) -> None:
    _ids, lan, _hung, viet = await _world(bot)
    await _requested(bot, lan, viet)
    await bot.say(viet, "/xetgiahan")
    [question] = await bot.tap(viet, "❌ Refuse 1")
    assert "reason" in question.text
    await bot.say(viet, "Không có căn cứ gia hạn")
    [request] = await _requests(bot)
    assert request.decision == "refused" and request.decision_note == "Không có căn cứ gia hạn"


@pytest.mark.parametrize("who", ["focal", "head", "leader"])
async def test_only_the_standing_office_sees_the_requests_waiting(
    bot: BotUnderTest, who: str
) -> None:
    ids, lan, hung, viet = await _world(bot)
    await _requested(bot, lan, viet)
    person = {
        "focal": lan,
        "head": hung,
        "leader": await bot.registered(ids["leader"], 520, language="en"),
    }[who]
    [reply] = await bot.say(person, "/xetgiahan")
    assert "Only the standing office" in reply.text and REASON not in reply.text
    assert len(await bot.audits("extension.refused")) == 1
    await bot.say(viet, "/xetgiahan")
    _step, version = await bot.state(viet)
    request = (await _requests(bot))[0]
    person.mark()
    await person.press_data(f"g:{version}:qa:{request.id}", viet.last.message_id)
    await person.wait_for_new(1)
    assert (await _requests(bot))[0].decision is None


async def test_the_pick_list_marks_a_task_whose_request_is_waiting_and_says_since_when(
    bot: BotUnderTest,
) -> None:
    _ids, lan, hung, viet = await _world(bot)
    await _requested(bot, lan, viet)
    bot.clock.advance(days=1)
    [pick] = await bot.say(hung, "/giahan")
    waiting = next(label for label in pick.button_texts if "NV-02" in label)
    assert waiting.startswith("⏳ ") and "already waiting" in pick.text
    assert not any(label.startswith("⏳") for label in pick.button_texts if "NV-02" not in label)
    [reply] = await bot.tap(hung, waiting)
    assert "already waiting" in reply.text and "31/12/2026" in reply.text
    assert "16/11/2026" in reply.text and "Nguyễn Thị Lan" in reply.text
    assert (await bot.state(hung))[0] is None
