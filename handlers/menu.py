"""The command menu a person sees: each command once, in their language, for their role.

English speakers get the Vietnamese command names with English descriptions, not the
English aliases: every message of the bot, in English too, names the Vietnamese commands
("send /baocao"), their Vietnamese colleagues and the standing office's directives use
them, and the aliases still work for whoever types them.
"""

from __future__ import annotations

import hashlib

from bot.i18n import Translator
from bot.services.people.permissions import scope_of
from handlers.router import REGISTRATIONS

Menu = list[tuple[str, str]]


def stranger_menu(t: Translator) -> Menu:
    """What a person who is not registered can use: /start with a code, and the help."""
    return [
        ("start", t._("Register with your invitation code: /start CODE")),
        ("trogiup", t._("Help")),
    ]


def role_menu(role: str, t: Translator) -> Menu:
    """The commands of the router whose action the permissions table allows `role`."""
    return [
        (entry.name, entry.describe(t))
        for entry in REGISTRATIONS
        if entry.action is None or scope_of(role, entry.action) is not None
    ]


def menu_key(role: str, t: Translator) -> str:
    """A short name of the menu `role_menu` gives, which changes when its content does."""
    digest = hashlib.sha256(repr(role_menu(role, t)).encode()).hexdigest()[:12]
    return f"{role}:{t.locale}:{digest}"
