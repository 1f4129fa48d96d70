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
from bot.channels.zalo.bot_updates import derive_update_key as derive_bot_update_key
from bot.channels.zalo.bot_updates import find_chat_key as find_bot_chat_key
from bot.channels.zalo.bot_updates import hash_to_key, parse_update, unwrap
from bot.channels.zalo.delivery import (
    BLOCKED,
    DEFER_UNTIL,
    OUTSIDE_WINDOW,
    REFRESH,
    TOKEN_REJECTED,
    classify_bot_error,
    classify_oa_error,
    find_next_morning,
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
from bot.channels.zalo.oa_events import derive_event_key as derive_oa_event_key
from bot.channels.zalo.oa_events import find_user_id as find_oa_user_id
from bot.channels.zalo.oa_events import make_tap_text, parse_event, read_tap
from bot.channels.zalo.render import MAX_TEXT, Rendered, render_for_bot, render_for_oa
from bot.channels.zalo.token_store import DatabaseTokenStore, TokensLost
from bot.channels.zalo.webhooks import (
    BOT_SECRET_HEADER,
    OA_SIGNATURE_HEADER,
    OA_TIMESTAMP_HEADER,
    OACheck,
    check_oa_webhook,
    join_signed_fields,
    sign_oa_event,
    verify_bot_secret,
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
    "DatabaseTokenStore",
    "MemoryTokenStore",
    "OACheck",
    "OAToken",
    "Publish",
    "Rendered",
    "TokenStore",
    "TokensLost",
    "ZaloBotChannel",
    "ZaloBotClient",
    "ZaloBotError",
    "ZaloOAChannel",
    "ZaloOAClient",
    "ZaloOAError",
    "check_oa_webhook",
    "classify_bot_error",
    "classify_oa_error",
    "derive_bot_update_key",
    "derive_oa_event_key",
    "find_bot_chat_key",
    "find_next_morning",
    "find_oa_user_id",
    "hash_to_key",
    "join_signed_fields",
    "make_tap_text",
    "parse_event",
    "parse_update",
    "poll_updates",
    "read_tap",
    "render_for_bot",
    "render_for_oa",
    "sign_oa_event",
    "unwrap",
    "verify_bot_secret",
]
