"""Zalo, in its two products: the Zalo Bot Platform (pilots) and the Official Account API v3.

Everything that knows Zalo's shapes lives in this package; the rest of roviec sees only
`Inbound`, `Outbound` and `Delivery`. What may be used from outside is named here.
"""

from bot.channels.zalo.bot_api import DEFAULT_BASE_URL, ZaloBotClient, ZaloBotError
from bot.channels.zalo.bot_channel import (
    CHOICES,
    ZALO_MESSAGE_ID,
    Publish,
    ZaloBotChannel,
    poll_updates,
)
from bot.channels.zalo.bot_updates import NAME as BOT_CHANNEL
from bot.channels.zalo.bot_updates import chat_key as bot_chat_key
from bot.channels.zalo.bot_updates import parse_update, stable_key, unwrap
from bot.channels.zalo.bot_updates import update_key as bot_update_key
from bot.channels.zalo.delivery import (
    BLOCKED,
    DEFER_UNTIL,
    OUTSIDE_WINDOW,
    REFRESH,
    TOKEN_REJECTED,
    classify_bot_error,
    classify_oa_error,
    next_morning,
)
from bot.channels.zalo.oa_api import (
    DEFAULT_API_URL,
    DEFAULT_OAUTH_URL,
    OAToken,
    ZaloOAClient,
    ZaloOAError,
)
from bot.channels.zalo.oa_channel import MemoryTokenStore, TokenStore, ZaloOAChannel
from bot.channels.zalo.oa_events import NAME as OA_CHANNEL
from bot.channels.zalo.oa_events import event_key as oa_event_key
from bot.channels.zalo.oa_events import parse_event, tap_text, tapped_payload
from bot.channels.zalo.oa_events import user_id as oa_user_id
from bot.channels.zalo.render import MAX_TEXT, Rendered, render_for_bot, render_for_oa
from bot.channels.zalo.webhooks import (
    BOT_SECRET_HEADER,
    OA_SIGNATURE_HEADER,
    OA_TIMESTAMP_HEADER,
    OACheck,
    bot_secret_ok,
    check_oa_webhook,
    oa_signature,
    oa_signed_bytes,
)

__all__ = [
    "BLOCKED",
    "BOT_CHANNEL",
    "BOT_SECRET_HEADER",
    "CHOICES",
    "DEFAULT_API_URL",
    "DEFAULT_BASE_URL",
    "DEFAULT_OAUTH_URL",
    "DEFER_UNTIL",
    "MAX_TEXT",
    "OA_CHANNEL",
    "OA_SIGNATURE_HEADER",
    "OA_TIMESTAMP_HEADER",
    "OUTSIDE_WINDOW",
    "REFRESH",
    "TOKEN_REJECTED",
    "ZALO_MESSAGE_ID",
    "MemoryTokenStore",
    "OACheck",
    "OAToken",
    "Publish",
    "Rendered",
    "TokenStore",
    "ZaloBotChannel",
    "ZaloBotClient",
    "ZaloBotError",
    "ZaloOAChannel",
    "ZaloOAClient",
    "ZaloOAError",
    "bot_chat_key",
    "bot_secret_ok",
    "bot_update_key",
    "check_oa_webhook",
    "classify_bot_error",
    "classify_oa_error",
    "next_morning",
    "oa_event_key",
    "oa_signature",
    "oa_signed_bytes",
    "oa_user_id",
    "parse_event",
    "parse_update",
    "poll_updates",
    "render_for_bot",
    "render_for_oa",
    "stable_key",
    "tap_text",
    "tapped_payload",
    "unwrap",
]
