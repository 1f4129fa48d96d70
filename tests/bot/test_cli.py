"""The `roviec` command as an operator uses it: a SQLite file, no token.

Most tests call the command in this process (tests/commandline.py); the installed script
itself runs end to end for a refusal, the demo and `roviec run` in the console.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from db.instance import instance_lock
from db.migrate import alembic_config
from tests.commandline import CommandLine

REPO = Path(__file__).resolve().parents[2]
ROVIEC = REPO / ".venv" / "bin" / "roviec"
CODE = r"[A-Za-z0-9_-]{22,}"
# Lines written by logging.basicConfig (e.g. alembic's "Running upgrade"), not messages to the user.
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ ")


class Operator:
    """Someone at a terminal in an empty directory, with roviec pointed at a file there."""

    def __init__(self, directory: Path, command_line: CommandLine) -> None:
        self.directory = directory
        self.database = directory / "roviec.db"
        self.command_line = command_line
        self.variables = {"ROVIEC_DATABASE_URL": f"sqlite+aiosqlite:///{self.database}"}

    def run(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        """`roviec ARGS`, called in this process."""
        return self.command_line(*args, cwd=self.directory, env=self.variables, stdin=stdin)

    def spawn(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """`roviec ARGS` through the installed script, in a process of its own."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("ROVIEC_")}
        return subprocess.run(
            [str(ROVIEC), *args],
            cwd=self.directory,
            env=env | self.variables,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def ok(self, *args: str, spawn: bool = False) -> str:
        result = self.spawn(*args) if spawn else self.run(*args)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        return result.stdout

    def query(self, sql: str, *params: object) -> list[tuple]:
        with closing(sqlite3.connect(self.database)) as connection:
            return connection.execute(sql, params).fetchall()


def messages(stderr: str) -> list[str]:
    """What roviec says on stderr, without log records."""
    return [line for line in stderr.splitlines() if line.strip() and not LOG_LINE.match(line)]


@pytest.fixture
def newcomer(tmp_path: Path, command_line: CommandLine) -> Operator:
    """An operator whose directory has no database yet."""
    return Operator(tmp_path, command_line)


@pytest.fixture
def operator(newcomer: Operator, sqlite_template: Path) -> Operator:
    """An operator whose database is at the newest schema, as after `roviec db upgrade`."""
    # A copy of the session's migrated file: `db upgrade` itself is tested from an empty file.
    shutil.copyfile(sqlite_template, newcomer.database)
    return newcomer


def test_db_upgrade_creates_the_schema(newcomer: Operator) -> None:
    operator = newcomer
    operator.ok("db", "upgrade")

    rows = operator.query("SELECT name FROM sqlite_master WHERE type = 'table'")
    tables = {name for (name,) in rows}
    assert {
        "alembic_version",
        "unit",
        "official",
        "chataccount",
        "invitation",
        "invitationfailure",
        "task",
        "assignment",
        "progressreport",
        "inboxupdate",
        "outboxmessage",
        "auditlog",
    } <= tables
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert operator.query("SELECT version_num FROM alembic_version") == [(head,)]

    operator.ok("db", "upgrade")  # a second time changes nothing
    assert operator.query("SELECT count(*) FROM alembic_version") == [(1,)]


def test_add_a_unit_and_an_official_then_invite_them(operator: Operator) -> None:
    assert "SYT" in operator.ok("unit", "add", "SYT", "Sở Y tế", "--kind", "department")
    added = operator.ok("official", "add", "Nguyễn Thị Lan", "--role", "focal", "--unit", "SYT")
    assert "Nguyễn Thị Lan" in added

    printed = operator.ok("invite", "1")

    assert "Nguyễn Thị Lan" in printed
    assert "Sở Y tế" in printed
    found = re.search(rf"mã kích hoạt: ({CODE})$", printed, re.MULTILINE)
    assert found is not None, printed
    code = found.group(1)
    link = re.search(r"đường dẫn: (\S+)$", printed, re.MULTILINE)
    assert link is not None, printed
    assert link.group(1).endswith(f"?start={code}")
    # Only the code's hash is kept: the code itself is nowhere in the database's bytes.
    assert operator.query("SELECT official_id, used_at, code_hash FROM invitation") == [
        (1, None, hashlib.sha256(code.encode()).hexdigest())
    ]
    operator.query("PRAGMA wal_checkpoint(TRUNCATE)")
    stored = b"".join(
        path.read_bytes() for path in operator.directory.iterdir() if path.name.startswith("roviec")
    )
    assert stored
    assert code.encode() not in stored


def test_an_official_in_an_unknown_unit_is_refused_in_one_line(newcomer: Operator) -> None:
    operator = newcomer
    # End to end: the installed script, its exit code and its stderr, from an empty directory.
    result = operator.spawn("official", "add", "Nguyễn Thị Lan", "--role", "focal", "--unit", "SXX")

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert messages(result.stderr) == ["roviec: không có đơn vị mã 'SXX'"]
    assert operator.query("SELECT count(*) FROM official") == [(0,)]


def test_a_duplicate_unit_code_is_refused(operator: Operator) -> None:
    operator.ok("unit", "add", "SYT", "Sở Y tế")

    result = operator.run("unit", "add", "SYT", "Sở Y tế (lần hai)")

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    (message,) = messages(result.stderr)
    assert "SYT" in message
    assert operator.query("SELECT name FROM unit") == [("Sở Y tế",)]


def test_inviting_an_unknown_official_is_refused(operator: Operator) -> None:
    result = operator.run("invite", "42")

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert messages(result.stderr) == ["roviec: không có cán bộ mã số 42"]


def test_demo_loads_the_province_once_and_prints_fresh_codes_each_time(
    newcomer: Operator,
) -> None:
    operator = newcomer
    printed = operator.ok("demo", spawn=True).splitlines()  # end to end, from an empty directory

    officials = operator.query(
        "SELECT o.id, o.name, o.role, u.name FROM official o JOIN unit u ON u.id = o.unit_id"
    )
    assert len(printed) == len(officials) >= 40
    for line, (official_id, name, role, unit) in zip(printed, officials, strict=True):
        assert line.split()[0] == str(official_id)
        assert name in line and role in line and unit in line
        assert re.search(rf"\s{CODE}$", line), line

    kinds = dict(operator.query("SELECT kind, count(*) FROM unit GROUP BY kind"))
    assert kinds["department"] >= 10
    assert kinds["commune"] >= 6
    assert operator.query("SELECT count(*) FROM task WHERE kind = 'task'")[0][0] >= 30
    pilot_models = dict(
        operator.query(
            "SELECT a.status, count(DISTINCT t.id) FROM task t"
            " JOIN assignment a ON a.task_id = t.id AND a.role = 'lead'"
            " WHERE t.kind = 'pilot_model' GROUP BY a.status"
        )
    )
    assert operator.query("SELECT count(*) FROM task WHERE kind = 'pilot_model'") == [(38,)]
    assert pilot_models == {"done": 6, "in_progress": 20, "not_started": 12}

    units = operator.query("SELECT count(*) FROM unit")
    again = operator.ok("demo").splitlines()  # the second time in this process

    assert operator.query("SELECT count(*) FROM unit") == units
    assert operator.query("SELECT count(*) FROM plan") == [(1,)]
    assert operator.query("SELECT count(*) FROM official") == [(len(officials),)]
    assert len(again) == len(printed)
    first_codes = {line.split()[-1] for line in printed}
    second_codes = {line.split()[-1] for line in again}
    assert len(second_codes) == len(again)
    assert first_codes.isdisjoint(second_codes)


def test_run_without_a_token_chats_in_the_console_with_the_demo(newcomer: Operator) -> None:
    operator = newcomer
    result = operator.spawn("run", stdin="/nhiemvu\n")  # end to end, from an empty directory

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    out = result.stdout
    # The person was signed in through an invitation, automatically.
    assert operator.query("SELECT channel, user_key FROM chataccount") == [("console", "local")]
    ((name, unit),) = operator.query(
        "SELECT o.name, u.name FROM chataccount a"
        " JOIN official o ON o.id = a.official_id JOIN unit u ON u.id = o.unit_id"
    )
    start = out.index("> /start ")
    tasks = out.index("> ", start + 1)
    welcome = out[start:tasks]
    assert name in welcome and unit in welcome, out
    # Then the unit's task list: numbered tasks with their codes.
    listing = out[tasks:]
    assert unit in listing
    assert re.search(r"1\. \[(NV|MH)-[\d.]+\]", listing), out
    assert re.search(r"5\. \[(NV|MH)-[\d.]+\]", listing), out


def test_jobs_are_listed_and_run_as_of_a_chosen_instant(operator: Operator) -> None:
    roviec = operator.run

    listing = roviec("jobs", "list")
    assert listing.returncode == 0
    assert [line.split()[0] for line in listing.stdout.splitlines()][:3] == [
        "reminders",
        "overdue",
        "periods",
    ]
    assert roviec("demo").returncode == 0
    first = roviec("jobs", "run", "overdue", "--now", "2026-11-23T08:45+07:00")
    again = roviec("jobs", "run", "overdue", "--now", "2026-11-23T08:45+07:00")
    assert first.returncode == 0 and again.returncode == 0
    # No account is bound in the demo yet, so nothing is addressed; both runs agree.
    assert (
        first.stdout.strip()
        == again.stdout.strip()
        == "overdue: đã đưa 0 tin nhắn mới vào hàng chờ gửi"
    )
    bad = roviec("jobs", "run", "overdue", "--now", "next monday")
    assert bad.returncode == 2 and "ISO-8601" in bad.stderr
    unknown = roviec("jobs", "run", "coffee")
    assert unknown.returncode == 2 and "reminders" in unknown.stderr


def test_a_second_instance_on_the_same_sqlite_file_refuses_in_one_line(operator: Operator) -> None:
    operator.variables |= {
        "ROVIEC_TELEGRAM_TOKEN": "123456:test-token",
        "ROVIEC_TELEGRAM_API_URL": "http://127.0.0.1:9/bot",  # never reached
    }
    with instance_lock(operator.variables["ROVIEC_DATABASE_URL"]):  # the first instance
        result = operator.run("run")

    assert result.returncode == 1
    assert messages(result.stderr) == [
        f"roviec: đã có một tiến trình roviec đang chạy trên {operator.database}; "
        "hãy dừng tiến trình đó trước (chạy nhiều tiến trình cần PostgreSQL)"
    ]


def test_backup_then_restore_from_the_command_line(operator: Operator) -> None:
    operator.ok("unit", "add", "STP", "Sở Tư pháp", "--kind", "department")
    out = operator.ok("backup", "backup.db")
    assert "kiểm tra toàn vẹn đạt" in out
    operator.ok("unit", "add", "SXD", "Sở Xây dựng", "--kind", "department")
    again = operator.run("backup", "backup.db")
    assert again.returncode == 1 and "exists already" in messages(again.stderr)[0]

    assert "đã khôi phục cơ sở dữ liệu" in operator.ok("restore", "backup.db")
    codes = {code for (code,) in operator.query("SELECT code FROM unit")}
    assert "STP" in codes and "SXD" not in codes
