"""What the operator is told: in the deployment's language, with which exit status."""

from __future__ import annotations

import os
from zoneinfo import ZoneInfo

from bot.config import SUPPORTED_LOCALES, Settings
from bot.i18n import Translator

EXIT_USAGE = 2
EXIT_FAILURE = 1


def operator_translator(settings: Settings | None) -> Translator:
    """The deployment's language (ROVIEC_LOCALE, Vietnamese by default) for the operator;
    read from the environment alone when the settings themselves are wrong."""
    if settings is not None:
        return Translator(settings.locale, settings.zone)
    return Translator(os.environ.get("ROVIEC_LOCALE", SUPPORTED_LOCALES[0]), ZoneInfo("UTC"))
