"""The operator's `roviec` speaks the deployment's language: Vietnamese unless told English."""

from __future__ import annotations

import pytest

from tests.bot.test_cli import Operator, messages, newcomer, operator

__all__ = ["newcomer", "operator"]  # the fixtures of the other CLI tests


def test_the_help_describes_the_commands_in_vietnamese(newcomer: Operator) -> None:
    shown = newcomer.run("--help")
    assert shown.returncode == 0
    assert "Bot Tổ công tác Đề án 06" in shown.stdout
    assert "cấp mã kích hoạt dùng một lần" in shown.stdout  # invite
    assert "issue a one-time invitation code" not in shown.stdout
    official = newcomer.run("official", "move", "--help")
    assert "mã đơn vị mới" in official.stdout


def test_argparse_itself_speaks_vietnamese_in_help_and_usage_errors(newcomer: Operator) -> None:
    shown = newcomer.run("--help")
    assert shown.stdout.startswith("cách dùng: roviec")
    assert "tùy chọn:" in shown.stdout and "xem hướng dẫn này rồi thoát" in shown.stdout
    assert "show this help message" not in shown.stdout and "options:" not in shown.stdout
    missing = newcomer.run("export")
    assert missing.returncode == 2
    assert "roviec export: lỗi: còn thiếu đối số bắt buộc: file" in missing.stderr
    wrong = newcomer.run("invite", "abc")
    assert "lỗi: đối số official: giá trị không hợp lệ (cần kiểu int): 'abc'" in wrong.stderr


def test_the_help_is_english_when_the_deployment_speaks_english(newcomer: Operator) -> None:
    newcomer.variables["ROVIEC_LOCALE"] = "en"
    shown = newcomer.run("--help")
    assert "Đề án 06 working-group bot" in shown.stdout
    assert "issue a one-time invitation code" in shown.stdout
    assert shown.stdout.startswith("usage: roviec") and "show this help message" in shown.stdout


def test_an_invitation_and_an_error_in_vietnamese(operator: Operator) -> None:
    operator.ok("unit", "add", "SYT", "Sở Y tế")
    added = operator.ok("official", "add", "Nguyễn Thị Lan", "--role", "focal", "--unit", "SYT")
    assert added.startswith("cán bộ 1: Nguyễn Thị Lan (focal)")

    printed = operator.ok("invite", "1").splitlines()
    assert printed[0] == "Nguyễn Thị Lan — Sở Y tế"
    assert printed[1].startswith("mã kích hoạt: ")
    assert printed[3] == "có hiệu lực trong 72 giờ, dùng một lần"
    refused = operator.run("unit", "add", "SYT", "Sở Y tế")
    assert refused.returncode == 2
    assert messages(refused.stderr) == ["roviec: đơn vị 'SYT' đã có"]


def test_the_same_in_english(operator: Operator) -> None:
    operator.variables["ROVIEC_LOCALE"] = "en"
    operator.ok("unit", "add", "SYT", "Sở Y tế")
    operator.ok("official", "add", "Nguyễn Thị Lan", "--role", "focal", "--unit", "SYT")

    printed = operator.ok("invite", "1").splitlines()
    assert printed[1].startswith("code: ") and printed[3] == "valid for 72 hours, once"
    refused = operator.run("unit", "add", "SYT", "Sở Y tế")
    assert messages(refused.stderr) == ["roviec: unit 'SYT' exists already"]
    moved = operator.run("official", "move", "1", "--unit", "SXX")
    assert messages(moved.stderr) == ["roviec: no unit with code 'SXX'"]


@pytest.mark.parametrize(
    ("locale", "described", "next_run"),
    [
        ("vi", "nhắc thời hạn trước 7, 3, 1 ngày và đúng ngày", "lần tới: "),
        ("en", "deadline reminders T-7, T-3, T-1 and on the day", "next: "),
    ],
)
def test_the_jobs_listing(operator: Operator, locale: str, described: str, next_run: str) -> None:
    operator.variables["ROVIEC_LOCALE"] = locale
    [reminders, *_] = operator.ok("jobs", "list").splitlines()
    assert reminders.startswith("reminders ")
    assert next_run in reminders and reminders.endswith(f"({described})")
    unknown = operator.run("jobs", "run", "coffee")
    said = "không có tác vụ 'coffee'" if locale == "vi" else "no job 'coffee'"
    assert unknown.returncode == 2 and said in unknown.stderr


def test_a_wrong_setting_is_told_in_the_language_of_the_environment(newcomer: Operator) -> None:
    newcomer.variables |= {"ROVIEC_LOCALE": "en", "ROVIEC_INVITE_TTL_HOURS": "many"}
    english = newcomer.run("db", "upgrade")
    assert english.returncode == 2 and "configuration error" in english.stderr
    newcomer.variables.pop("ROVIEC_LOCALE")
    vietnamese = newcomer.run("db", "upgrade")
    assert vietnamese.returncode == 2
    assert messages(vietnamese.stderr)[0].startswith("roviec: lỗi cấu hình: ROVIEC_INVITE_TTL")
