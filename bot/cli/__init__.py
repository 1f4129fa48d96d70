"""The `roviec` console script: `main` parses, opens the app and runs one subcommand."""

from bot.cli.main import main

__all__ = ["main"]
