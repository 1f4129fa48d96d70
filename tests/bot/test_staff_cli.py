"""`roviec official deactivate|move|standin` and `roviec invite` as an operator uses them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.bot.test_cli import Operator, messages
from tests.commandline import CommandLine


@pytest.fixture
def operator(tmp_path: Path, command_line: CommandLine, sqlite_template: Path) -> Operator:
    """A migrated database with two units and two officials (1 focal, 2 head) of SYT."""
    newcomer = Operator(tmp_path, command_line)
    shutil.copyfile(sqlite_template, newcomer.database)
    newcomer.ok("unit", "add", "SYT", "Sở Y tế")
    newcomer.ok("unit", "add", "STP", "Sở Tư pháp")
    newcomer.ok("official", "add", "Nguyễn Thị Lan", "--role", "focal", "--unit", "SYT")
    newcomer.ok("official", "add", "Trần Văn Hùng", "--role", "head", "--unit", "SYT")
    return newcomer


def test_a_new_invitation_revokes_the_older_code(operator: Operator) -> None:
    operator.ok("invite", "1")
    operator.ok("invite", "1")
    # The older code ended when the new one was made; only the new one is open.
    open_codes = operator.query(
        "SELECT count(*) FROM invitation"
        " WHERE expires_at > (SELECT max(created_at) FROM invitation)"
    )
    assert open_codes == [(1,)]


def test_deactivate_revokes_codes_and_is_audited(operator: Operator) -> None:
    operator.ok("invite", "1")
    printed = operator.ok("official", "deactivate", "1")
    assert "đã cho cán bộ 1 thôi tham gia: gỡ 0 tài khoản, thu hồi 1 mã kích hoạt" in printed
    assert operator.query("SELECT active FROM official WHERE id = 1") == [(0,)]
    assert operator.query(
        "SELECT count(*) FROM auditlog WHERE action = 'official.deactivated' AND entity_id = 1"
    ) == [(1,)]
    again = operator.run("official", "deactivate", "1")
    assert again.returncode == 2
    assert messages(again.stderr) == ["roviec: cán bộ 1 không còn tham gia"]


def test_move_changes_unit_and_role(operator: Operator) -> None:
    printed = operator.ok("official", "move", "1", "--unit", "STP", "--role", "head")
    assert printed.startswith("cán bộ 1 nay là head của STP")
    assert operator.query(
        "SELECT o.role, u.code FROM official o JOIN unit u ON u.id = o.unit_id WHERE o.id = 1"
    ) == [("head", "STP")]
    refused = operator.run("official", "move", "1", "--unit", "SXX")
    assert refused.returncode == 2
    assert messages(refused.stderr) == ["roviec: không có đơn vị mã 'SXX'"]


def test_standin_for_a_period(operator: Operator) -> None:
    printed = operator.ok(
        "official", "standin", "1", "--by", "2", "--from", "2030-01-05", "--to", "2030-01-09"
    )
    assert "từ 2030-01-05 đến hết 2030-01-09" in printed
    assert operator.query("SELECT official_id, stand_in_id, first_day FROM standin") == [
        (1, 2, "2030-01-05")
    ]
    bad = operator.run(
        "official", "standin", "1", "--by", "2", "--from", "2030-01-09", "--to", "2030-01-05"
    )
    assert bad.returncode == 2
    assert "trước ngày bắt đầu" in bad.stderr
    typo = operator.run("official", "standin", "1", "--by", "2", "--from", "5/1", "--to", "x")
    assert typo.returncode == 2
    assert "không phải ngày hợp lệ" in typo.stderr
