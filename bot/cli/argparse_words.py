"""argparse's own sentences (usage, options, its errors), in the operator's language.

argparse reads them through the stdlib's gettext domain, which roviec does not install; it
looks its module-level `_` and `ngettext` up at each call, so `speak` hands it roviec's
catalog. The sentences are listed here, as Python 3.11 writes them, so that the catalogs
carry them; argparse fills their %-placeholders itself.
"""

from __future__ import annotations

import argparse

from bot.i18n import N_, Translator

SENTENCES = (
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("expected at most one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
)


def speak(t: Translator) -> None:
    """Make argparse say its sentences in `t`'s language from now on."""
    argparse._ = t.catalog.gettext  # type: ignore[attr-defined]
    argparse.ngettext = t.catalog.ngettext  # type: ignore[attr-defined]
