"""/ngonngu (/language): the person switches the bot between Vietnamese and English.

Stateless buttons (numbered lines on Zalo), checked again on every press; the choice is
stored on the official, so replies and notices on every account follow it.
"""

from __future__ import annotations

from bot.i18n import Translator
from bot.messages.payloads import STATELESS, Flow, Payload
from bot.services.people import preferences
from handlers.turn import Turn

FLOW = Flow.LANGUAGE
# Each language by its own name, as a person looks for it whatever language is shown now.
NAMES = {"vi": "Tiếng Việt", "en": "English"}


async def show(turn: Turn, _argument: str = "") -> None:
    """The language in use and a button per language."""
    t = turn.t
    current = turn.identity.official.locale or t.locale
    text = "\n".join(
        [
            t._("The bot speaks to you in: {language}.", language=NAMES.get(current, current)),
            t._("Choose a language:"),
        ]
    )
    buttons = tuple(
        (Payload(FLOW, STATELESS, "set", code).choice(name),) for code, name in NAMES.items()
    )
    turn.show(text, buttons)


async def on_button(turn: Turn, payload: Payload) -> None:
    """Store the choice and answer in the language chosen; anything else is refused."""
    if payload.action != "set" or payload.argument not in NAMES:
        turn.refuse_button("unknown language button")
        return
    code = payload.argument or ""
    await preferences.choose_language(turn.session, turn.identity, code, turn.now)
    turn.t = Translator(code, turn.settings.zone)
    turn.show(turn.t._("Done: the bot now speaks to you in {language}.", language=NAMES[code]))
