"""Telegram's command menu fits the person: a stranger's, then their role's, in their language."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from bot.services.people.permissions import PERMISSIONS
from db.models import AuditLog, Role
from handlers.router import REGISTRATIONS
from tests.commandline import CommandLine
from tests.fakes.telegram_people import FakePerson
from tests.harness import BotUnderTest

FOCAL = ["nhiemvu", "baocao", "giahan", "chitieu", "tonghop", "quahan"]
HEAD = [*FOCAL, "xephang", "web"]
STANDING = [
    "nhiemvu",
    "baocao",
    "xacnhan",
    "xetgiahan",
    "giaoviec",
    "chidao",
    "vuongmac",
    "kiennghi",
    "tonghop",
    "quahan",
    "xephang",
    "xuatbaocao",
    "web",
    "canbo",
]
EVERYONE = ["kenh", "ngonngu", "huy", "trogiup"]


def names(menu: list[dict[str, str]]) -> list[str]:
    """The commands of a menu, in order."""
    return [entry["command"] for entry in menu]


async def menu_after_change(bot: BotUnderTest, person: FakePerson, before: list[str]) -> list:
    """The menu the person sees once the bot has replaced `before`."""
    await bot.telegram.wait_until(lambda: names(bot.telegram.menu_seen(person)) != before)
    return bot.telegram.menu_seen(person)


async def test_a_stranger_sees_only_start_and_help_in_their_language(bot: BotUnderTest) -> None:
    stranger = bot.telegram.person(700, language_code="vi")
    visitor = bot.telegram.person(701, language_code="en")
    await bot.telegram.wait_until(lambda: "en" in bot.telegram.commands)

    assert bot.telegram.menu_seen(stranger) == [
        {"command": "start", "description": "Kích hoạt tài khoản bằng mã kích hoạt: /start MÃ"},
        {"command": "trogiup", "description": "Trợ giúp"},
    ]
    assert [e["description"] for e in bot.telegram.menu_seen(visitor)] == [
        "Register with your invitation code: /start CODE",
        "Help",
    ]
    [answer] = await bot.say(stranger, "/trogiup")
    assert "mã kích hoạt" in answer.text  # what the help of a stranger says: how to register


async def test_a_focal_officer_gets_the_focal_commands_once_in_vietnamese(
    bot: BotUnderTest,
) -> None:
    lan = await bot.registered(bot.province.health_focal, 702)
    menu = await menu_after_change(bot, lan, ["start", "trogiup"])

    assert names(menu) == FOCAL + EVERYONE
    assert menu[0] == {"command": "nhiemvu", "description": "Nhiệm vụ của đơn vị"}
    assert bot.telegram.menu_of(lan.chat_id, "vi") is None  # one menu for the chat, any app
    [tasks] = await bot.say(lan, "/tasks")  # the English alias still works, unlisted
    assert "NV-01" in tasks.text


async def test_the_standing_office_gets_its_commands(bot: BotUnderTest) -> None:
    viet = await bot.registered(bot.province.standing, 703)
    menu = await menu_after_change(bot, viet, ["start", "trogiup"])

    assert names(menu) == STANDING + EVERYONE
    assert "giahan" not in names(menu) and "chitieu" not in names(menu)


async def test_an_english_speaker_gets_the_vietnamese_commands_described_in_english(
    bot: BotUnderTest,
) -> None:
    hung = await bot.registered(bot.province.health_head, 704, language="en")
    menu = await menu_after_change(bot, hung, ["start", "trogiup"])

    assert names(menu) == HEAD + EVERYONE
    assert menu[0] == {"command": "nhiemvu", "description": "Your unit's tasks"}
    assert {"command": "xephang", "description": "Ranking of units"} in menu


async def test_the_menu_follows_the_language_chosen_with_ngonngu(bot: BotUnderTest) -> None:
    lan = await bot.registered(bot.province.health_focal, 705)
    menu = await menu_after_change(bot, lan, ["start", "trogiup"])
    assert menu[1]["description"] == "Báo cáo tiến độ thực hiện nhiệm vụ"

    await bot.say(lan, "/ngonngu")
    await bot.tap(lan, "English")
    await bot.telegram.wait_until(
        lambda: bot.telegram.menu_seen(lan)[1]["description"] == "Report progress on a task"
    )
    assert names(bot.telegram.menu_seen(lan)) == FOCAL + EVERYONE


async def test_a_role_change_and_a_deactivation_change_the_menu(
    bot: BotUnderTest, command_line: CommandLine, tmp_path: Path
) -> None:
    lan = await bot.registered(bot.province.health_focal, 706)
    await menu_after_change(bot, lan, ["start", "trogiup"])
    env = {"ROVIEC_DATABASE_URL": bot.app.settings.database_url}

    def roviec(*args: str) -> None:
        ran = command_line(*args, cwd=tmp_path, env=env)
        assert ran.returncode == 0, ran.stderr

    official = str(bot.province.health_focal)
    await asyncio.to_thread(roviec, "official", "move", official, "--unit", "SYT", "--role", "head")
    bot.app.menus_due.set()  # the running bot looks every minute; the test does not wait
    assert names(await menu_after_change(bot, lan, FOCAL + EVERYONE)) == HEAD + EVERYONE

    await asyncio.to_thread(roviec, "official", "deactivate", official)
    bot.app.menus_due.set()
    assert names(await menu_after_change(bot, lan, HEAD + EVERYONE)) == ["start", "trogiup"]
    assert bot.telegram.menu_of(lan.chat_id) is None


async def test_a_refused_menu_is_logged_and_tried_again_later_not_in_a_loop(
    bot: BotUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    await bot.telegram.wait_until(lambda: "en" in bot.telegram.commands)  # the defaults
    before = len(bot.telegram.requests("setMyCommands"))
    bot.telegram.fail_next("setMyCommands", status=500, times=1)
    lan = await bot.registered(bot.province.health_focal, 707)
    await bot.telegram.wait_until(
        lambda: any("menu was refused" in r.getMessage() for r in caplog.records)
    )
    await asyncio.sleep(0.3)
    assert bot.telegram.menu_of(lan.chat_id) is None
    assert len(bot.telegram.requests("setMyCommands")) == before + 1
    [tasks] = await bot.say(lan, "/nhiemvu")  # the person is served meanwhile
    assert "NV-01" in tasks.text
    assert len(bot.telegram.requests("setMyCommands")) == before + 1

    bot.clock.advance(seconds=31)
    bot.app.menus_due.set()
    await bot.telegram.wait_until(lambda: bot.telegram.menu_of(lan.chat_id) == FOCAL + EVERYONE)
    assert str(lan.chat_id) not in caplog.text and "User707" not in caplog.text


@pytest.mark.parametrize("role", [Role.FOCAL, Role.STANDING])
async def test_what_the_menu_leaves_out_the_bot_refuses(bot: BotUnderTest, role: Role) -> None:
    official = bot.province.health_focal if role is Role.FOCAL else bot.province.standing
    person = await bot.registered(official, 710)
    shown = names(await menu_after_change(bot, person, ["start", "trogiup"]))
    for entry in REGISTRATIONS:
        refusals = await bot.count(AuditLog, AuditLog.action.like("%.refused"))
        await bot.say(person, f"/{entry.name}")
        await bot.settled()
        await bot.say(person, "/huy")
        refused = await bot.count(AuditLog, AuditLog.action.like("%.refused")) > refusals
        assert refused == (entry.name not in shown), entry.name
        allowed = entry.action is None or (role, entry.action) in PERMISSIONS
        assert allowed == (entry.name in shown), entry.name


@pytest.mark.parametrize("official", ["health_focal", "health_head", "standing"])
async def test_the_help_names_every_command_of_the_menu(bot: BotUnderTest, official: str) -> None:
    person = await bot.registered(getattr(bot.province, official), 720)
    shown = names(await menu_after_change(bot, person, ["start", "trogiup"]))
    [help_] = await bot.say(person, "/trogiup")
    assert [name for name in shown if f"/{name} " not in help_.text] == []
