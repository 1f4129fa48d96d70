"""The gettext catalogs in locales/ match the code and each other.

When one of these fails after a change to the code, run `.venv/bin/python locales/update.py`,
translate what it lists in locales/vi/LC_MESSAGES/roviec.po, and run it again.
"""

from __future__ import annotations

import gettext
import re
import string
from collections.abc import Iterator
from functools import cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.i18n import Translator

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
DOMAIN = "roviec"
LANGUAGES = ("vi", "en")
KEYWORDS = {"_": None, "n_": (1, 2), "N_": None}  # as in locales/update.py and locales/README.md
HINT = "run `.venv/bin/python locales/update.py` and translate what it lists"

VIETNAMESE_LETTERS = set("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ")
# What is left of a msgid once placeholders and /commands are taken out is counted in words.
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_COMMAND = re.compile(r"/[a-z]+")
_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")


def _ids(message: Message) -> tuple[str, ...]:
    """A message's msgid, plus its msgid_plural when it has one."""
    return tuple(message.id) if isinstance(message.id, tuple | list) else (message.id,)


def _strings(message: Message) -> tuple[str, ...]:
    strings = message.string
    return tuple(strings) if isinstance(strings, tuple | list) else (strings,)


def _messages(catalog: Catalog) -> Iterator[Message]:
    """Every message but the header."""
    return (message for message in catalog if message.id)


@cache
def _template() -> Catalog:
    with (LOCALES / f"{DOMAIN}.pot").open("rb") as handle:
        return read_po(handle)


@cache
def _po(language: str) -> Catalog:
    with (LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
        return read_po(handle, locale=language)


def _fields(text: str) -> set[str]:
    """The names of the {fields} a str.format template uses."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _mo_entries(data: bytes) -> tuple[dict[object, str], str]:
    """A compiled catalog's messages (without the header) and its Plural-Forms."""
    translations = gettext.GNUTranslations(BytesIO(data))
    entries = dict(translations._catalog)  # type: ignore[attr-defined]
    header = entries.pop("", "")
    plural_forms = next(
        (line for line in header.splitlines() if line.lower().startswith("plural-forms:")), ""
    )
    return entries, plural_forms


def test_template_matches_the_code() -> None:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    in_code = {
        message if isinstance(message, tuple) else (message,)
        for _, _, message, _, _ in extract_from_dir(
            ROOT, method_map, options_map, keywords=KEYWORDS
        )
    }
    in_template = {_ids(message) for message in _messages(_template())}
    assert in_code, "no messages extracted: check babel.cfg"
    missing = sorted(in_code - in_template)
    stale = sorted(in_template - in_code)
    assert not missing and not stale, (
        f"locales/{DOMAIN}.pot is out of date ({HINT}).\n"
        f"In the code but not the .pot: {missing}\nIn the .pot but not the code: {stale}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language: str) -> None:
    catalog = _po(language)
    problems = []
    for message in _messages(_template()):
        translated = catalog.get(message.id)
        if translated is None:
            problems.append(f"missing: {message.id!r}")
        elif translated.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        elif not all(_strings(translated)) or len(_strings(translated)) < (
            catalog.num_plurals if translated.pluralizable else 1
        ):
            problems.append(f"untranslated: {message.id!r}")
    in_template = {_ids(m) for m in _messages(_template())}
    problems += [
        f"not in the .pot: {m.id!r}" for m in _messages(catalog) if _ids(m) not in in_template
    ]
    assert not problems, f"{language} catalog ({HINT}):\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_header(language: str) -> None:
    catalog = _po(language)
    assert not catalog.fuzzy, f"the {language} .po header is marked fuzzy"
    expected = {"vi": "nplurals=1; plural=0;", "en": "nplurals=2; plural=(n != 1);"}[language]
    assert catalog.plural_forms == expected


def test_no_fuzzy_flags_anywhere() -> None:
    for language in LANGUAGES:
        text = (LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po").read_text(encoding="utf-8")
        assert "#, fuzzy" not in text and "#,fuzzy" not in text, f"fuzzy flag in {language}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_is_current(language: str) -> None:
    compiled = BytesIO()
    write_mo(compiled, _po(language))
    committed = (LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.mo").read_bytes()
    expected, expected_plurals = _mo_entries(compiled.getvalue())
    actual, actual_plurals = _mo_entries(committed)
    assert actual_plurals == expected_plurals, f"{language} .mo has other plural forms ({HINT})"
    keys = expected.keys() | actual.keys()
    differing = sorted(repr(key) for key in keys if expected.get(key) != actual.get(key))
    assert not differing, f"{language} .mo is stale ({HINT}); differs on: {differing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_are_kept(language: str) -> None:
    problems = []
    for message in _messages(_po(language)):
        wanted = set().union(*(_fields(text) for text in _ids(message)))
        for index, text in enumerate(_strings(message)):
            if text and _fields(text) != wanted:
                problems.append(
                    f"{message.id!r} [{index}]: {sorted(_fields(text))} != {sorted(wanted)}"
                )
    assert not problems, f"{language} placeholders differ:\n" + "\n".join(problems)


def _needs_diacritics(msgid: str) -> bool:
    """A sentence of three or more words, not just commands, emoji and placeholders."""
    prose = _COMMAND.sub(" ", _PLACEHOLDER.sub(" ", msgid))
    return len(_WORD.findall(prose)) >= 3


def test_vietnamese_is_not_english() -> None:
    """A cheap guard against English left in the vi catalog (empty ones are reported above)."""
    suspicious = []
    for message in _messages(_po("vi")):
        written = [_PLACEHOLDER.sub("", text).lower() for text in _strings(message) if text]
        if (
            written
            and _needs_diacritics(_ids(message)[0])
            and not any(VIETNAMESE_LETTERS & set(text) for text in written)
        ):
            suspicious.append(message.id)
    assert not suspicious, f"vi msgstr without Vietnamese diacritics: {suspicious}"


def test_diacritic_guard_exempts_commands_and_placeholders() -> None:
    assert _needs_diacritics("Please describe it in words (letters or numbers).")
    assert not _needs_diacritics("{kind} [{code}]: {title}")
    assert not _needs_diacritics("/trogiup — this help")
    assert not _needs_diacritics("✅ Confirm")


def test_vietnamese_catalog_loads() -> None:
    t = Translator("vi", ZoneInfo("Asia/Ho_Chi_Minh"))
    assert t._("Cancel") != "Cancel"
    assert t._("Cancel") == "Hủy"
    assert t._("Deadline: {deadline} ({timing})", deadline="02/12/2024", timing="trong hạn") == (
        "Thời hạn: 02/12/2024 (trong hạn)"
    )


def test_plural_forms_at_runtime() -> None:
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    vi, en = Translator("vi", zone), Translator("en", zone)
    singular, plural = "overdue by {count} day", "overdue by {count} days"
    assert vi.n_(singular, plural, 1) == "quá hạn 1 ngày"
    assert vi.n_(singular, plural, 12) == "quá hạn 12 ngày"
    assert vi.n_(singular, plural, 1500) == "quá hạn 1.500 ngày"
    assert en.n_(singular, plural, 1) == "overdue by 1 day"
    assert en.n_(singular, plural, 3) == "overdue by 3 days"
