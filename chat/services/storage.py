"""Storing messages: one batched INSERT ... ON CONFLICT DO NOTHING RETURNING for every send, the
socket's and the REST API's alike (one write path)."""

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from redis.exceptions import RedisError

from accounts.models import Role, User
from chat.events import send_after_commit
from chat.models import Conversation, ConversationState, Message, MessageKind, MessageStatus
from chat.services import rate_limit
from chat.services.moderation import hold_reason, holds_log
from chat.services.payloads import broadcast_event
from chat.services.refusals import ChatRefusal

MAX_BODY = 4000
MAX_CLIENT_ID = 64


@dataclass(frozen=True)
class Posted:
    message: Message
    created: bool


def validate_message(client_id, body) -> tuple[str, str]:
    if not isinstance(client_id, str) or not 1 <= len(client_id) <= MAX_CLIENT_ID:
        raise ChatRefusal("bad_frame", _("client_id must be a string of 1 to 64 characters."))
    if not isinstance(body, str):
        raise ChatRefusal("bad_frame", _("body must be a string."))
    if "\x00" in body:
        raise ChatRefusal("bad_frame", _("body must not contain NUL characters."))
    if not body.strip():
        raise ChatRefusal("empty", _("A message cannot be empty."))
    if len(body) > MAX_BODY:
        raise ChatRefusal("too_long", _("A message can be at most 4,000 characters long."))
    return client_id, body


@dataclass(frozen=True)
class Send:
    conversation: Conversation
    sender: User
    client_id: object
    body: object


Key = tuple[int, int | None, str]  # (conversation, sender, client id): what makes a send the same send
Row = tuple[int, Send, str]  # (index in the batch, the send, why it is held or "")


def _insert(rows: list[Row], created_at: datetime) -> dict[Key, tuple[int, int]]:
    """Insert the rows whose conversation still takes messages from their sender (the state may have
    changed since the socket loaded it), skip the client ids already stored, and return
    {(conversation, sender, client id): (id, seq)} of what was inserted.

    Each conversation's messages are numbered (seq) after the last one stored, under the conversation's
    row lock, in the transaction that stores them: a transaction that stores in a conversation waits for
    the one before to commit, so ids and seqs of a conversation become visible in their order. The locks
    are taken in id order, so two batches never wait for each other in a circle. On SQLite, which has
    one writer at a time, the single INSERT statement is enough."""
    table, column = Message._meta.db_table, (lambda name: cast(Field, Message._meta.get_field(name)).column)
    conversations = Conversation._meta.db_table
    message_conversation, message_sender = column("conversation"), column("sender")
    message_client_id, message_seq = column("client_id"), column("seq")
    values = ", ".join(
        [
            "(CAST(%s AS bigint), CAST(%s AS bigint), CAST(%s AS bigint), CAST(%s AS text), "
            "CAST(%s AS text), CAST(%s AS text), CAST(%s AS text), CAST(%s AS integer))"
        ]
        * len(rows)
    )
    params: list = []
    for order, (_index, send, held) in enumerate(rows):
        params += [
            order,
            send.conversation.pk,
            send.sender.pk,
            send.client_id,
            send.body,
            MessageStatus.HELD if held else MessageStatus.VISIBLE,
            held,
            int(send.sender.role == Role.COORDINATOR),
        ]
    sql = (
        f"WITH incoming (ord, conversation_id, sender_id, client_id, body, status, held_reason, coordinator) "
        f"AS (VALUES {values}), "
        f"accepted AS (SELECT incoming.*, ROW_NUMBER() OVER (PARTITION BY incoming.conversation_id "
        f"ORDER BY incoming.ord) AS n "
        f'FROM incoming JOIN "{conversations}" c ON c."id" = incoming.conversation_id '
        f'WHERE (c."state" = %s OR (c."state" = %s AND incoming.coordinator = 1)) '
        f'AND NOT EXISTS (SELECT 1 FROM "{table}" stored WHERE stored."{message_conversation}" = '
        f'incoming.conversation_id AND stored."{message_sender}" = incoming.sender_id '
        f'AND stored."{message_client_id}" = incoming.client_id)) '
        f'INSERT INTO "{table}" ("{message_conversation}", "{message_sender}", "{message_client_id}", '
        f'"{column("kind")}", "{column("body")}", "{column("status")}", "{column("held_reason")}", '
        f'"{column("created_at")}", "{message_seq}") '
        f"SELECT accepted.conversation_id, accepted.sender_id, accepted.client_id, %s, accepted.body, "
        f'accepted.status, accepted.held_reason, %s, accepted.n + COALESCE((SELECT MAX(last."{message_seq}") '
        f'FROM "{table}" last WHERE last."{message_conversation}" = accepted.conversation_id), 0) '
        f"FROM accepted WHERE 1 = 1 ORDER BY accepted.ord "
        f'ON CONFLICT ("{message_conversation}", "{message_sender}", "{message_client_id}") '
        f"WHERE NOT (\"{column('status')}\" = '{MessageStatus.RELEASED.value}') DO NOTHING "
        f'RETURNING "id", "{message_conversation}", "{message_sender}", "{message_client_id}", "{message_seq}"'
    )
    params += [
        ConversationState.OPEN,
        ConversationState.PAUSED,
        MessageKind.USER,
        connection.ops.adapt_datetimefield_value(created_at),
    ]
    with transaction.atomic():
        if connection.features.has_select_for_update:
            list(
                Conversation.objects.filter(pk__in={send.conversation.pk for _i, send, _h in rows})
                .order_by("pk")
                .select_for_update(no_key=connection.features.has_select_for_no_key_update)
                .values_list("pk", flat=True)
            )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {
                (conversation, sender, client_id): (pk, seq)
                for pk, conversation, sender, client_id, seq in cursor.fetchall()
            }


def _unavailable() -> ChatRefusal:
    return ChatRefusal("unavailable", _("The message could not be stored. Nothing was sent; try again."))


def _key(send: Send) -> Key:
    return (send.conversation.pk, send.sender.pk, str(send.client_id))


def messages_store(sends: list[Send]) -> list[Posted | ChatRefusal]:
    """Store a batch of messages: what the socket's writer calls for every send, and message_post for one.
    Each send gets its stored message (a resent client id gets the one already stored) or the refusal that
    stored nothing. Broadcasting is the caller's, after this returns, when all of it is committed.

    Usually two round trips and a commit: the rate counters (Redis), the conversations' row locks (not
    on SQLite), then one INSERT ... ON CONFLICT DO NOTHING that also checks the conversation's state and
    numbers the messages. Only sends it did not insert (resent, closed conversation, over the limit) cost
    one more query to find out which. Sends that store nothing new (storage failed, or resent) give back
    what they counted towards the rate limit."""
    results: list[Posted | ChatRefusal | None] = [None] * len(sends)
    first = _validated(sends, results)  # the first send of each key of the batch
    if not first:
        return _answered(results)
    slot = rate_limit.rate_slot()
    try:
        refusals = rate_limit.rate_refusals([sends[i].sender for i in first.values()], slot)
    except (RedisError, OSError):  # the rate counters live in Redis: while it is away nothing is stored
        return [_unavailable() if result is None else result for result in results]
    over_limit = dict(zip(first.values(), refusals, strict=True))
    rows: list[Row] = [
        (i, sends[i], hold_reason(sends[i].conversation, sends[i].sender, str(sends[i].body)))
        for i in first.values()
        if not over_limit[i]
    ]
    created_at = timezone.now()
    try:
        inserted = _insert(rows, created_at) if rows else {}
    except IntegrityError:
        if len(sends) == 1:  # the conversation or the sender is gone
            return [ChatRefusal("read_only", _("This conversation is closed."))]
        rate_limit.rate_refund([send.sender for _index, send, _held in rows], slot)  # each is counted again below
        return [messages_store([send])[0] for send in sends]
    except DatabaseError:
        rate_limit.rate_refund([send.sender for _index, send, _held in rows], slot)
        raise
    stored = _already_stored(sends, first, inserted, rows, results, slot)
    # a resend over the limit found its message too: it stored nothing new, so it gives back its count
    rate_limit.rate_refund([sends[i].sender for key, i in first.items() if over_limit[i] and key in stored], slot)
    stored.update(_inserted_messages(sends, first, inserted, rows, created_at))
    for index, send in enumerate(sends):
        if results[index] is None:
            key = _key(send)
            results[index] = _outcome(key, index, stored, inserted, first, over_limit)
    holds_log(
        [r.message for r in results if isinstance(r, Posted) and r.created and r.message.status == MessageStatus.HELD]
    )
    return _answered(results)


def _validated(sends: list[Send], results: list[Posted | ChatRefusal | None]) -> dict[Key, int]:
    """Refuse the malformed sends (in `results`); the index of the first send of each key."""
    first: dict[Key, int] = {}
    for index, send in enumerate(sends):
        try:
            validate_message(send.client_id, send.body)
        except ChatRefusal as refusal:
            results[index] = refusal
            continue
        first.setdefault(_key(send), index)
    return first


def _already_stored(
    sends: list[Send],
    first: dict[Key, int],
    inserted: dict[Key, tuple[int, int]],
    rows: list[Row],
    results: list[Posted | ChatRefusal | None],
    slot: int,
) -> dict[Key, Message]:
    """The messages of keys the INSERT skipped: resent client ids (found here), senders over their
    limit, conversations closed meanwhile. What they counted towards the rate limit is given back."""
    if len(inserted) >= len(first):
        return {}
    missing = [key for key in first if key not in inserted]
    stored: dict[Key, Message] = {}
    try:
        stored = {
            (m.conversation_id, m.sender_id, m.client_id): m
            # a released held message's client id now names the message that shows it
            for m in Message.objects.filter(
                conversation_id__in={k[0] for k in missing}, client_id__in={k[2] for k in missing}
            )
            .exclude(status=MessageStatus.RELEASED)
            .select_related("sender")
        }
    except DatabaseError:  # what was inserted is committed and acknowledged; the others may try again
        unavailable = _unavailable()
        for index, send in enumerate(sends):
            if results[index] is None and _key(send) not in inserted:
                results[index] = unavailable
    rate_limit.rate_refund([send.sender for _index, send, _held in rows if _key(send) not in inserted], slot)
    return stored


def _inserted_messages(
    sends: list[Send],
    first: dict[Key, int],
    inserted: dict[Key, tuple[int, int]],
    rows: list[Row],
    created_at: datetime,
) -> dict[Key, Message]:
    held_reasons = {index: held for index, _send, held in rows}
    messages = {}
    for key, index in first.items():
        if key in inserted:
            send, held = sends[index], held_reasons[index]
            messages[key] = Message(
                pk=inserted[key][0],
                seq=inserted[key][1],
                conversation=send.conversation,
                sender=send.sender,
                client_id=str(send.client_id),
                kind=MessageKind.USER,
                body=str(send.body),
                status=MessageStatus.HELD if held else MessageStatus.VISIBLE,
                held_reason=held,
                created_at=created_at,
            )
    return messages


def _outcome(
    key: Key,
    index: int,
    stored: dict[Key, Message],
    inserted: dict[Key, tuple[int, int]],
    first: dict[Key, int],
    over_limit: dict[int, bool],
) -> Posted | ChatRefusal:
    if key in stored:  # a second send of a client id in one batch gets the same message, not created again
        return Posted(stored[key], created=key in inserted and first[key] == index)
    if over_limit[first[key]]:
        return ChatRefusal("rate_limited", _("You are sending messages too fast. Wait a few seconds."))
    return ChatRefusal("read_only", _("This conversation is read-only now."))


def _answered(results: list[Posted | ChatRefusal | None]) -> list[Posted | ChatRefusal]:
    """Every send has its answer by now."""
    return [result if result is not None else _unavailable() for result in results]


def message_post(*, conversation: Conversation, sender: User, client_id, body) -> Posted:
    """Store one message (REST) and broadcast it after commit; raises ChatRefusal if refused."""
    (result,) = messages_store([Send(conversation, sender, client_id, body)])
    if isinstance(result, ChatRefusal):
        raise result.on_field("body")
    event = broadcast_event(result)
    if event is not None:
        send_after_commit(*event)
    return result
