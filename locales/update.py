"""Bring the roviec gettext catalogs up to date with the code.

Run from anywhere: `.venv/bin/python locales/update.py`. It

1. extracts every `t._(...)` / `t.n_(...)` message from bot/, handlers/ and scheduler/
   (method map in babel.cfg, keywords `_` and `n_:1,2`, no locations, sorted) into
   locales/roviec.pot;
2. updates locales/vi and locales/en (LC_MESSAGES/roviec.po) from it: existing translations
   are kept, obsolete entries removed; new messages stay empty in vi (a translator fills
   them in the .po) and get msgstr = msgid in en, where no entry is ever left fuzzy;
3. compiles both catalogs to roviec.mo (committed, so an install needs no compile step);
4. lists the vi messages that still need a translator (empty or fuzzy) and exits with
   status 1 while there are any.

A file is rewritten only when its content changes, so running it twice changes nothing.
The same steps with the pybabel command line are in locales/README.md.
"""

from __future__ import annotations

import sys
import tomllib
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
DOMAIN = "roviec"
TEMPLATE = LOCALES / f"{DOMAIN}.pot"
LANGUAGES = ("vi", "en")  # vi is translated by hand; en is the source language
KEYWORDS = {"_": None, "n_": (1, 2), "N_": None}
SOURCE_LANGUAGE = "en"


def po_path(language: str) -> Path:
    """Where one language's catalog lives."""
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def _render_po(catalog: Catalog, **options: bool) -> bytes:
    buffer = BytesIO()
    write_po(buffer, catalog, no_location=True, sort_output=True, **options)
    return buffer.getvalue()


def _without_dates(data: bytes) -> list[bytes]:
    """The lines of a .pot, minus those that change on every extraction."""
    volatile = (b'"POT-Creation-Date:', b"# Copyright (C)", b"# FIRST AUTHOR")
    return [line for line in data.splitlines() if not line.startswith(volatile)]


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(f"wrote {path.relative_to(ROOT)}")
    return True


def extract() -> Catalog:
    """Extract the template; keep the committed .pot (and its date) when nothing changed."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    template = Catalog(project=DOMAIN, version=_version(), charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    data = _render_po(template)
    if TEMPLATE.exists() and _without_dates(TEMPLATE.read_bytes()) == _without_dates(data):
        data = TEMPLATE.read_bytes()
    else:
        _write_if_changed(TEMPLATE, data)
    return read_po(BytesIO(data))


def _new_catalog(language: str) -> Catalog:
    """An empty catalog for a new language (what `pybabel init` makes, before the merge)."""
    return Catalog(
        locale=language,
        domain=DOMAIN,
        header_comment=(
            f"# {language} messages of {DOMAIN}. Edit the msgstr lines here, then run\n"
            "# `.venv/bin/python locales/update.py` (see locales/README.md)."
        ),
        project=DOMAIN,
        version=_version(),
        language_team=f"{language} <LL@li.org>",
        revision_date=datetime.now(UTC),
        charset="utf-8",
        fuzzy=False,
    )


def _is_translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple | list) else [message.string]
    return bool(strings) and all(strings)


def update(template: Catalog, language: str) -> Catalog:
    """Merge the template into one language's .po and write it; the catalog as written."""
    path = po_path(language)
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
    else:
        catalog = _new_catalog(language)
    source = language == SOURCE_LANGUAGE
    # Fuzzy matching offers a translator the translation of a similar old message; in the
    # source language that would put the old English sentence in place of the new one.
    catalog.update(template, no_fuzzy_matching=source)
    catalog.fuzzy = False  # the header flag; `pybabel compile` refuses a fuzzy catalog
    if source:
        for message in catalog:
            if message.id and (message.fuzzy or not _is_translated(message)):
                message.string = message.id
                message.flags.discard("fuzzy")
    data = _render_po(catalog, ignore_obsolete=True)
    _write_if_changed(path, data)
    return read_po(BytesIO(data), locale=language)


def compile_mo(catalog: Catalog, language: str) -> None:
    """Write roviec.mo next to the .po (fuzzy entries are left out, as pybabel does)."""
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    _write_if_changed(po_path(language).with_suffix(".mo"), buffer.getvalue())


def needs_translator(catalog: Catalog) -> list[Message]:
    """Messages with an empty or fuzzy translation."""
    return [m for m in catalog if m.id and (m.fuzzy or not _is_translated(m))]


def main() -> int:
    template = extract()
    print(f"{len([m for m in template if m.id])} messages in {TEMPLATE.relative_to(ROOT)}")
    pending: list[Message] = []
    for language in LANGUAGES:
        catalog = update(template, language)
        compile_mo(catalog, language)
        if language != SOURCE_LANGUAGE:
            pending += needs_translator(catalog)
    if not pending:
        print("vi: every message is translated")
        return 0
    print(f"vi: {len(pending)} message(s) to translate in {po_path('vi').relative_to(ROOT)}:")
    for message in pending:
        flag = " (fuzzy: check the suggestion, then remove the flag)" if message.fuzzy else ""
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        print(f"  - {' | '.join(repr(i) for i in ids)}{flag}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
