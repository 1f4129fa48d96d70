"""What the bot says: gettext catalogs in locales/, and Babel formatting for dates and numbers."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

import locales
from bot.config import SUPPORTED_LOCALES

LOCALES_DIR = Path(locales.__file__).resolve().parent
DOMAIN = "roviec"
# In the classes below the method `date` hides the type; annotations after it use this name.
Day = date


def N_(message: str) -> str:
    """Mark a sentence for the catalogs where it is written, to be translated where it is
    said (a service's error, told to the operator in their language by the CLI)."""
    return message


@cache
def _catalog(locale: str) -> NullTranslations:
    """The compiled catalog for one locale (read once); without one, the messages as written."""
    return Translations.load(str(LOCALES_DIR), [locale], DOMAIN)


class Translator:
    """Translates and formats for one person's locale."""

    def __init__(self, locale: str, zone: ZoneInfo) -> None:
        self.locale = locale if locale in SUPPORTED_LOCALES else SUPPORTED_LOCALES[0]
        self.zone = zone
        self._translations = _catalog(self.locale)

    @property
    def catalog(self) -> NullTranslations:
        """The compiled catalog itself, for code that formats its own sentences (argparse)."""
        return self._translations

    def _(self, message: str, **values: object) -> str:
        """Translate a sentence and fill its named placeholders."""
        text = self._translations.gettext(message)
        return text.format(**values) if values else text

    def n_(self, singular: str, plural: str, count: int, **values: object) -> str:
        """Translate a sentence about `count` things; `{count}` is formatted for the locale."""
        text = self._translations.ngettext(singular, plural, count)
        return text.format(count=self.number(count), **values)

    def date(self, day: date) -> str:
        """A calendar date, e.g. 'thứ Hai, 02/12/2024'."""
        text = format_date(day, "EEEE, dd/MM/yyyy", locale=self.locale)
        # Vietnamese writes the weekday in lower case inside a sentence: "thứ Hai".
        return text[0].lower() + text[1:] if self.locale == "vi" else text

    def short_date(self, day: Day) -> str:
        """A compact date, e.g. '02/12/2024'."""
        return format_date(day, "dd/MM/yyyy", locale=self.locale)

    def moment(self, instant: datetime) -> str:
        """An instant shown in the configured zone, with its date."""
        return format_datetime(
            instant.astimezone(self.zone), "HH:mm dd/MM/yyyy", locale=self.locale
        )

    def number(self, value: float) -> str:
        """A number with the locale's separators, e.g. '5.000'."""
        return format_decimal(value, locale=self.locale)

    def percent(self, value: float) -> str:
        """A share of 0..100 as a percentage, e.g. '86,5%'."""
        return format_percent(value / 100, "#,##0.#%", locale=self.locale)


def translator_for(language: str | None, default: str, zone: ZoneInfo) -> Translator:
    """Pick the person's language when supported, the deployment's default otherwise."""
    code = (language or "").split("-")[0].lower()
    return Translator(code if code in SUPPORTED_LOCALES else default, zone)
