"""Settings: defaults, the ROVIEC_ environment, a .env file, and clear refusals of bad values."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.config import Settings, SettingsError, load_settings
from tests.commandline import CommandLine

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No ROVIEC_ variable from the developer's shell, and a directory without a .env file."""
    for name in list(os.environ):
        if name.startswith("ROVIEC_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


Roviec = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def roviec(tmp_path: Path, command_line: CommandLine) -> Roviec:
    """`roviec ARGS` (in this process) in tmp_path with only these ROVIEC_ variables."""

    def run(*args: str, stdin: str = "", **variables: str) -> subprocess.CompletedProcess[str]:
        env = {"ROVIEC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'roviec.db'}"}
        return command_line(*args, cwd=tmp_path, env=env | variables, stdin=stdin)

    return run


def test_defaults_are_a_local_sqlite_file_in_vietnam_speaking_vietnamese() -> None:
    settings = load_settings()

    assert settings.database_url == "sqlite+aiosqlite:///roviec.db"
    assert settings.timezone == "Asia/Ho_Chi_Minh"
    assert str(settings.zone) == "Asia/Ho_Chi_Minh"
    assert settings.locale == "vi"
    assert settings.telegram_token is None
    assert settings.invite_ttl_hours == 72
    assert settings.invite_max_failures == 5
    assert settings.invite_lockout_minutes == 15


def test_variables_with_the_roviec_prefix_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROVIEC_DATABASE_URL", "postgresql+asyncpg://bot@db.local/roviec")
    monkeypatch.setenv("ROVIEC_TIMEZONE", "Asia/Bangkok")
    monkeypatch.setenv("ROVIEC_LOCALE", "en")
    monkeypatch.setenv("ROVIEC_PAGE_SIZE", "7")
    monkeypatch.setenv("ROVIEC_TELEGRAM_TOKEN", "123456:SECRET")
    monkeypatch.setenv("DATABASE_URL", "sqlite+aiosqlite:///not-mine.db")

    settings = load_settings()

    assert settings.database_url == "postgresql+asyncpg://bot@db.local/roviec"
    assert settings.timezone == "Asia/Bangkok"
    assert settings.locale == "en"
    assert settings.page_size == 7
    assert settings.telegram_token is not None
    assert settings.telegram_token.get_secret_value() == "123456:SECRET"
    assert "SECRET" not in repr(settings)


def test_a_dotenv_file_in_the_current_directory_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "ROVIEC_LOCALE=en\nROVIEC_INVITE_TTL_HOURS=24\n"
        "ROVIEC_DATABASE_URL=sqlite+aiosqlite:///from-dotenv.db\n",
        encoding="utf-8",
    )

    settings = load_settings()

    assert settings.locale == "en"
    assert settings.invite_ttl_hours == 24
    assert settings.database_url == "sqlite+aiosqlite:///from-dotenv.db"


def test_the_environment_wins_over_the_dotenv_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text("ROVIEC_LOCALE=en\n", encoding="utf-8")
    monkeypatch.setenv("ROVIEC_LOCALE", "vi")

    assert load_settings().locale == "vi"


def test_a_malformed_value_is_one_line_naming_the_variable() -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings(page_size=0)

    assert str(refused.value).startswith("ROVIEC_PAGE_SIZE: ")
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ROVIEC_TIMEZONE", "Mars/Olympus"),
        ("ROVIEC_LOCALE", "fr"),
        ("ROVIEC_DATABASE_URL", "mysql://x"),
        ("ROVIEC_PAGE_SIZE", "abc"),
    ],
)
def test_roviec_refuses_a_malformed_variable_with_one_line_and_exit_code_2(
    tmp_path: Path, roviec: Roviec, variable: str, value: str
) -> None:
    result = roviec("db", "upgrade", **{variable: value})

    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert not (tmp_path / "roviec.db").exists()


def test_roviec_refuses_a_malformed_value_from_the_dotenv_file(
    tmp_path: Path, roviec: Roviec
) -> None:
    (tmp_path / ".env").write_text("ROVIEC_INVITE_TTL_HOURS=forever\n", encoding="utf-8")

    result = roviec("db", "upgrade")

    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert "ROVIEC_INVITE_TTL_HOURS" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_empty_token_line_is_not_a_traceback(tmp_path: Path, roviec: Roviec) -> None:
    (tmp_path / ".env").write_text("ROVIEC_TELEGRAM_TOKEN=\n", encoding="utf-8")

    result = roviec("run", stdin="")

    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 2)


def test_env_example_lists_every_setting(tmp_path: Path) -> None:
    example = REPO / ".env.example"
    if not example.exists():
        pytest.xfail(".env.example is not written yet (another engineer owns it)")
    text = example.read_text(encoding="utf-8")
    listed = {
        line.lstrip("# ").split("=", 1)[0].strip()
        for line in text.splitlines()
        if "=" in line and line.lstrip("# ").startswith("ROVIEC_")
    }

    expected = {f"ROVIEC_{name.upper()}" for name in Settings.model_fields}

    assert expected - listed == set(), f"missing from .env.example: {sorted(expected - listed)}"
    assert listed - expected == set(), f"unknown in .env.example: {sorted(listed - expected)}"
