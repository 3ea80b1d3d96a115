"""One WebSocket per conversation, speaking ../shared/contracts/chat.md (restated in docs/chat-protocol.md).

Thin: it checks who may connect, validates frames and calls the same services as the REST API.
"""

import asyncio
import contextlib
import json
import logging
import time
import weakref

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.db import DatabaseError, InterfaceError
from django.utils.translation import gettext as _
from redis.exceptions import RedisError

from accounts.authentication import token_owner
from accounts.models import User
from chat import selectors, services, writer
from chat.events import conversation_group, token_group, user_group
from chat.models import Conversation, MessageStatus
from config.parsers import loads_limited
from config.text import strip_invisible

logger = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED, CLOSE_FORBIDDEN, CLOSE_NOT_FOUND, CLOSE_REVOKED = 4401, 4403, 4404, 4409
# The process may have missed messages (its subscription to Redis broke): reconnect and sync. Daphne only
# sends 1000 or 3000-4999, so not 1012 (service restart).
CLOSE_RECONNECT = 4503


# Frame validation: everything a client sends is checked here before it reaches a service or the database.
FRAME_MAX_CHARS = 64 * 1024  # a message body is at most 4,000 characters
FRAME_MAX_DEPTH = 4
MAX_ID = 2**63 - 1  # ids are bigints; SQLite cannot even bind a larger integer
# (field, smallest allowed value) of the integer fields of each frame type
_FRAME_IDS = {"sync": (("after", 0),), "read": (("up_to", 0),), "report": (("message_id", 1),)}


def _frame_size_ok(text_data) -> bool:
    return text_data is not None and len(text_data) <= FRAME_MAX_CHARS


def _frame_validate(frame: dict) -> None:
    """Refuse (bad_frame) integer fields that are not ids: bools, floats, strings, negative, or beyond a
    bigint. Strip invisible and text-direction characters from the text others will see (config.text)."""
    for name in ("body", "reason"):
        if isinstance(frame.get(name), str):
            frame[name] = strip_invisible(frame[name])
    for name, smallest in _FRAME_IDS.get(frame["type"], ()):
        value = frame.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not smallest <= value <= MAX_ID:
            raise services.ChatRefusal("bad_frame", _("%(field)s must be a message id.") % {"field": name})


# The sockets open in this process, so that a shutdown can close them with CLOSE_RECONNECT first.
_open_sockets: "weakref.WeakSet[ConversationConsumer]" = weakref.WeakSet()


class ConversationConsumer(AsyncWebsocketConsumer):
    """Passes each conversation's messages on in their order (seq) and without gaps: a message published
    out of order, or never published (its process died, or the publish failed), is read from the database
    when a later one arrives. The client's `sync` `after` says what it already has."""

    user = None
    conversation: Conversation | None = None
    groups_joined: list[str]
    # the seq up to which this socket passed on every visible message the client may not have
    delivered_seq: int = 0
    # the client's `after` (its largest id): messages at or below it are the client's already
    client_after: int = 0
    synced = False
    live_ids: set[int]  # ids passed on live before the first sync, which that sync leaves out

    async def __call__(self, scope, receive, send):
        try:
            return await super().__call__(scope, receive, send)
        except (OSError, RedisError):
            if "channel_receive" in self.__dict__:  # not the layer refusing a channel: a real failure
                raise
        # Redis is away, so the socket could get no channel: a clear refusal, not an HTTP 500
        logger.warning("channel layer unavailable: refusing a socket with %d", CLOSE_RECONNECT)
        if (await receive())["type"] == "websocket.connect":
            await send({"type": "websocket.accept"})
            await send({"type": "websocket.close", "code": CLOSE_RECONNECT})

    async def connect(self):
        self.groups_joined, self.live_ids = [], set()
        # Refusals accept the handshake first, so the client can read the close code.
        await self.accept()
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        conversation_id = self.scope["url_route"]["kwargs"]["conversation_id"]
        try:
            conversation, allowed, last_seq = await self._open(user, conversation_id)
        except (DatabaseError, InterfaceError):
            logger.warning("chat storage unavailable when opening conversation %s", conversation_id)
            await self.close(code=CLOSE_RECONNECT)
            return
        if conversation is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        if not allowed:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        # Messages stored before this point reach the client through its `sync`; later ones live.
        self.user, self.conversation, self.delivered_seq = user, conversation, last_seq
        groups = [conversation_group(conversation.pk), user_group(user.pk)]
        if self.scope.get("auth_token"):  # opened with an API token: revoking it closes this socket
            groups.append(token_group(self.scope["auth_token"]))
        try:
            for group in groups:
                await self.channel_layer.group_add(group, self.channel_name)
                self.groups_joined.append(group)
        except (OSError, RedisError):  # Redis is away: a clear refusal, the client tries again later
            logger.warning("channel layer unavailable when opening conversation %s", conversation_id)
            self.conversation = None
            await self.close(code=CLOSE_RECONNECT)
            return
        _open_sockets.add(self)
        # A log-out, revoked token or ended pairing between the checks above and joining the groups sent
        # its close to groups this socket had not joined yet: look once more, now that it hears them.
        if not await self._still_allowed(user, conversation.pk):
            await self.close(code=CLOSE_REVOKED)

    @database_sync_to_async
    def _still_allowed(self, user, conversation_id) -> bool:

        current = User.objects.filter(pk=user.pk, security_stamp=user.security_stamp).first()
        if current is None:
            return False
        key = self.scope.get("auth_token")
        if key:  # opened with a token: it must still exist, and still be this user's
            found = token_owner(key)
            if found is None or found[0].pk != user.pk:
                return False
        conversation = selectors.conversation_for_socket(conversation_id)
        return conversation is not None and services.may_connect(current, conversation)

    @database_sync_to_async
    def _open(self, user, conversation_id):
        conversation = selectors.conversation_for_socket(conversation_id)
        if conversation is None:
            return None, False, 0
        allowed = services.may_connect(user, conversation)
        if allowed:
            services.access_record(conversation=conversation, user=user, via="socket")
        return conversation, allowed, selectors.last_seq(conversation.pk) if allowed else 0

    async def dispatch(self, message):
        # Channels closes old database connections on the database thread before every event; with a
        # thousand sockets that hop per delivered message starves the writer. Every database call here
        # goes through database_sync_to_async, which already does it.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def disconnect(self, code):
        _open_sockets.discard(self)
        for group in self.groups_joined:
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except (OSError, RedisError):  # Redis is away; the layer forgets the subscription all the same
                logger.info("could not unsubscribe %s from %s", self.channel_name, group)

    # Frames from the client ----------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if self.conversation is None:
            return
        try:
            frame = loads_limited(text_data, FRAME_MAX_DEPTH) if _frame_size_ok(text_data) else None
        except ValueError:  # not JSON, or nested too deep
            frame = None
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            await self._error("bad_frame", _("Send a JSON object with a type."))
            return
        handler = self.handlers.get(frame["type"])
        if handler is None:
            await self._error("bad_frame", _("Unknown frame type “%(type)s”.") % {"type": frame["type"][:40]})
            return
        client_id = frame.get("client_id") if isinstance(frame.get("client_id"), str) else None
        try:
            _frame_validate(frame)
            await handler(self, frame)
        except services.ChatRefusal as refusal:
            await self._error(refusal.code, refusal.detail, client_id)
        except (DatabaseError, InterfaceError, RedisError) as exc:
            logger.warning("chat storage unavailable for conversation %s: %r", self.conversation.pk, exc)
            await self._error(
                "unavailable", _("The message could not be stored. Nothing was sent; try again."), client_id
            )

    async def _on_message_send(self, frame):
        send = services.Send(self.conversation, self.user, frame.get("client_id"), frame.get("body"))
        posted = await writer.store(send)
        if isinstance(posted, services.ChatRefusal):
            raise posted
        event = services.broadcast_event(posted)
        if event is not None:  # stored and committed (or resent): now everyone may hear of it
            try:
                await self.channel_layer.group_send(*event)
            except (OSError, RedisError, TimeoutError):
                # Stored, but perhaps heard by no one: no ack. The layer has closed this process' sockets
                # (it retried with a fresh connection first); the sender resends after reconnecting, and
                # the resend publishes the stored message again.
                logger.warning("chat broadcast failed for conversation %s", self.conversation.pk)
                await self.close(code=CLOSE_RECONNECT)
                return
        message = posted.message
        if message.status == MessageStatus.HELD:
            await self._send(
                {
                    "type": "message.held",
                    "client_id": message.client_id,
                    "id": message.pk,
                    "reason": message.held_reason,
                }
            )
        else:
            await self._send(
                {
                    "type": "message.ack",
                    "client_id": message.client_id,
                    "id": message.pk,
                    "created_at": services.timestamp(message.created_at),
                }
            )

    async def _on_sync(self, frame):
        after = frame.get("after")
        if isinstance(after, bool) or not isinstance(after, int) or after < 0:
            raise services.ChatRefusal("bad_frame", _("after must be a message id (0 for all)."))
        frames, through_seq = await database_sync_to_async(selectors.sync_frames)(self.conversation, after)
        self.client_after = max(self.client_after, after)
        self.delivered_seq = max(self.delivered_seq, through_seq)
        for item in frames:
            if item["type"] == "message" and item["id"] in self.live_ids:
                continue  # passed on live since the socket opened
            await self._send(item)
        self.synced, self.live_ids = True, set()

    async def _on_read(self, frame):
        await database_sync_to_async(services.read_mark)(
            conversation=self.conversation, user=self.user, up_to=frame.get("up_to")
        )

    async def _on_typing(self, frame):
        with contextlib.suppress(OSError, RedisError, TimeoutError):  # typing is not worth an error
            await self.channel_layer.group_send(
                conversation_group(self.conversation.pk), {"type": "chat.typing", "user_id": self.user.pk}
            )

    async def _on_report(self, frame):
        report = await database_sync_to_async(self._report_sync)(frame.get("message_id"), frame.get("reason"))
        await self._send({"type": "report.received", "message_id": report.message_id})

    def _report_sync(self, message_id, reason):
        message = selectors.message_in(self.conversation, message_id)
        if message is None:
            raise services.ChatRefusal("bad_frame", _("No such message in this conversation."))
        return services.message_report(message=message, reporter=self.user, reason=reason)

    handlers = {
        "message.send": _on_message_send,
        "sync": _on_sync,
        "read": _on_read,
        "typing": _on_typing,
        "report": _on_report,
    }

    # Events from the channel layer ------------------------------------------------------------------

    async def chat_message(self, event):
        # Each message is passed on once, in seq order: a message at or below `delivered_seq` was passed on
        # already (live, or by sync: the pub/sub layer may hand over a message published before this socket
        # synced), and a gap before this one is read from the database first. A gap is a message published
        # late or never (another process, a process that died).
        seq = event["seq"]
        if seq <= self.delivered_seq:
            return
        if seq > self.delivered_seq + 1:
            try:
                missed = await database_sync_to_async(selectors.messages_between)(
                    self.conversation, self.delivered_seq, seq
                )
            except (DatabaseError, InterfaceError):  # the client reconnects and syncs
                await self.close(code=CLOSE_RECONNECT)
                return
            for frame in missed:
                await self._pass_on(frame)
        self.delivered_seq = seq
        await self._pass_on({"type": "message", **event["message"]})

    async def _pass_on(self, frame: dict):
        if frame["id"] <= self.client_after:  # the client said it has it
            return
        if not self.synced:
            self.live_ids.add(frame["id"])
        await self._send(frame)

    async def chat_withdrawn(self, event):
        await self._send({"type": "message.withdrawn", "id": event["id"]})

    async def chat_read(self, event):
        await self._send({"type": "read", "user_id": event["user_id"], "up_to": event["up_to"]})

    async def chat_typing(self, event):
        if event["user_id"] != self.user.pk:
            await self._send({"type": "typing", "user_id": event["user_id"]})

    async def layer_interrupted(self, event):
        """The process' subscription to Redis broke: messages may have passed this socket by."""
        await self.close(code=CLOSE_RECONNECT)

    async def access_revoked(self, event):
        if self.user is not None and self.user.pk in event["user_ids"]:
            await self.close(code=CLOSE_REVOKED)

    async def _send(self, frame: dict):
        await self.send(text_data=json.dumps(frame, ensure_ascii=False))

    async def _error(self, code: str, detail: str, client_id: str | None = None):
        frame = {"type": "error", "code": code, "detail": str(detail)}
        if client_id is not None:
            frame["client_id"] = client_id
        await self._send(frame)


# Shutdown --------------------------------------------------------------------------------------------------

SHUTDOWN_GRACE_SECONDS = 3.0


async def close_open_sockets(grace: float = SHUTDOWN_GRACE_SECONDS) -> int:
    """Close every socket of this process with CLOSE_RECONNECT (clients reconnect to another process and
    sync) and wait, at most `grace` seconds, for their close handshakes. Returns how many were open."""
    sockets = list(_open_sockets)
    for socket in sockets:
        with contextlib.suppress(Exception):
            await socket.close(code=CLOSE_RECONNECT)
    deadline = time.monotonic() + grace
    while _open_sockets and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    return len(sockets)


def close_sockets_on_sigterm() -> None:
    """Under daphne (Twisted): on SIGTERM, close the sockets with CLOSE_RECONNECT, then stop as daphne
    would. Daphne's own handling cancels the applications, and clients see the TCP connection drop
    without a close frame (1006). Elsewhere (tests, other servers) this does nothing."""
    import signal
    import sys

    if "twisted.internet.reactor" not in sys.modules:
        return
    from twisted.internet import reactor

    def install():
        loop = asyncio.get_event_loop()
        stopping = []

        def on_sigterm():
            if stopping:
                return
            stopping.append(True)

            async def close_then_stop():
                count = await close_open_sockets()
                logger.info("closed %d sockets with %d before stopping", count, CLOSE_RECONNECT)
                reactor.stop()

            loop.create_task(close_then_stop())

        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signal.SIGTERM, on_sigterm)

    reactor.callWhenRunning(install)
