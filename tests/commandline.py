"""`roviec ARGS` called inside the test process, answering like the installed script would.

Starting the console script costs an interpreter and every import (about a second each);
`bot.cli.main` is what the script calls, so most CLI tests call it here and keep a few true
end-to-end runs of the installed script (see tests/bot/test_cli.py).
"""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from bot import cli


class CommandLine:
    """Runs `bot.cli.main` as a shell would run `roviec`: its own environment, cwd and stdin."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
        self.monkeypatch = monkeypatch
        self.capsys = capsys

    def __call__(
        self, *args: str, cwd: Path, env: Mapping[str, str], stdin: str = ""
    ) -> subprocess.CompletedProcess[str]:
        """Exit code, stdout and stderr of `roviec ARGS` with only these ROVIEC_ variables."""
        root = logging.getLogger()
        handlers, level = list(root.handlers), root.level
        with self.monkeypatch.context() as patch:
            for name in list(os.environ):
                if name.startswith("ROVIEC_"):
                    patch.delenv(name)
            for name, value in env.items():
                patch.setenv(name, value)
            patch.chdir(cwd)
            patch.setattr(sys, "stdin", io.StringIO(stdin))
            self.capsys.readouterr()  # only what this command prints
            try:
                code = cli.main(list(args))
            except SystemExit as exit_:  # argparse refuses bad usage this way
                code = exit_.code if isinstance(exit_.code, int) else 0 if exit_.code is None else 1
            finally:
                # main() configures logging for a whole process; the next test gets it back.
                root.handlers[:] = handlers
                root.setLevel(level)
            out, err = self.capsys.readouterr()
        return subprocess.CompletedProcess(["roviec", *args], code, out, err)
