"""Button payloads: one wire form, one registry of flow letters, every letter routed."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.i18n import Translator
from bot.messages import cards
from bot.messages.payloads import STATELESS, Flow, Payload, decode
from handlers.router import BUTTON_FLOWS


def test_every_flow_letter_is_routed_to_one_handler() -> None:
    assert set(BUTTON_FLOWS) == set(Flow)
    assert len({flow.value for flow in Flow}) == len(Flow)


def test_a_payload_reads_back_and_unknown_letters_are_refused() -> None:
    payload = Payload(Flow.REPORT, STATELESS, "open", "42")
    assert payload.encode() == "r:0:open:42"
    assert decode("r:0:open:42") == payload
    assert decode("z:0:open:42") is None  # no flow has the letter z
    assert decode("r:0:open") == Payload(Flow.REPORT, 0, "open")


def test_the_reminder_buttons_open_the_report_and_extension_flows() -> None:
    rows = cards.action_buttons(Translator("en", ZoneInfo("Asia/Ho_Chi_Minh")), 7)
    assert [[c.payload for c in row] for row in rows] == [
        ["r:0:open:7", "r:0:done:7"],
        ["g:0:ext:7"],
    ]


@given(st.text(max_size=80))
def test_decoding_anything_never_raises(data: str) -> None:
    payload = decode(data)
    assert payload is None or decode(payload.encode()) == payload
