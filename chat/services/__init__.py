"""Writes for chat. The WebSocket consumer and the REST API both call these: one write path.

One idea per module; the public names are re-exported here, so `from chat import services` and
`services.message_post(...)` work as they always did:

- `access`: who may open a conversation or see a message, and the record of coordinators' looks;
- `payloads`: the one shape of a message (socket frames and REST alike) and the events that carry it;
- `rate_limit`: the per-sender counters, in batches;
- `storage`: the batched INSERT every send goes through, and `message_post` for one;
- `moderation`: holding, releasing, withdrawing, reporting, pausing;
- `read_marks`: how far each member has read;
- `lifecycle`: conversations follow their pairing; ended access closes sockets;
- `erasure`: what erasure removes, and what safeguarding keeps for a while.
"""

from chat.services.access import access_record, is_member, may_connect, may_see_message
from chat.services.erasure import chat_erase, conversations_under_safeguarding, retained_evidence_purge
from chat.services.lifecycle import (
    OVERSIGHT_NOTICE,
    conversation_follow_pairing,
    token_sockets_close,
    user_sockets_close,
)
from chat.services.moderation import (
    conversation_pause,
    message_report,
    message_review,
    message_withdraw,
    report_resolve,
)
from chat.services.payloads import broadcast_event, message_event, message_payload, timestamp
from chat.services.read_marks import read_mark
from chat.services.refusals import ChatRefusal
from chat.services.storage import MAX_BODY, MAX_CLIENT_ID, Posted, Send, message_post, messages_store, validate_message

__all__ = [
    "MAX_BODY",
    "MAX_CLIENT_ID",
    "OVERSIGHT_NOTICE",
    "ChatRefusal",
    "Posted",
    "Send",
    "access_record",
    "broadcast_event",
    "chat_erase",
    "conversation_follow_pairing",
    "conversation_pause",
    "conversations_under_safeguarding",
    "is_member",
    "may_connect",
    "may_see_message",
    "message_event",
    "message_payload",
    "message_post",
    "message_report",
    "message_review",
    "message_withdraw",
    "messages_store",
    "read_mark",
    "report_resolve",
    "retained_evidence_purge",
    "timestamp",
    "token_sockets_close",
    "user_sockets_close",
    "validate_message",
]
