"""Writes for chat. The WebSocket consumer and the REST API both call these: one write path."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from redis.exceptions import RedisError

from accounts.models import Role, User
from chat import contact_details
from chat.events import conversation_group, send_after_commit, token_group, user_group
from chat.models import (
    AccessRecord,
    Conversation,
    ConversationState,
    Message,
    MessageKind,
    MessageStatus,
    ReadMark,
    Report,
    ReportStatus,
)
from common.errors import DomainError
from common.events import PairingChange
from safeguarding.models import Action
from safeguarding.services import record, record_many
from scheduling.models import LIVE_STATUSES, Pairing

MAX_BODY = 4000
MAX_CLIENT_ID = 64
# Shown to both members when their conversation opens (translated on display).
OVERSIGHT_NOTICE = gettext_noop(
    "Coordinators of your organisation can read and write in this conversation to keep everyone safe."
)


class ChatRefusal(DomainError):
    """A frame or request that was refused: nothing was stored. `code` is the contract's error code (the
    socket's `error` frame); over REST it answers 400 on `field`, or 403 for `forbidden`."""

    def __init__(self, code: str, detail, *, field: str | None = None):
        super().__init__(detail, field=field, code=code)
        self.detail = self.message
        if code == "forbidden":
            self.status = 403


@dataclass(frozen=True)
class Posted:
    message: Message
    created: bool


def message_payload(message: Message, sender: User | None = None) -> dict:
    """A visible message as every client receives it (the contract's `message` frame, less its type)."""
    sender = sender if sender is not None else message.sender
    return {
        "id": message.pk,
        "client_id": message.client_id,
        "kind": message.kind,
        "sender": None if sender is None else {"id": sender.pk, "display_name": sender.display_name,
                                               "role": sender.role},
        "body": message.body,
        "created_at": message.created_at.isoformat(),
    }


# Access ---------------------------------------------------------------------------------------------

def is_member(user: User, conversation: Conversation) -> bool:
    pairing = conversation.pairing
    return user.pk in (pairing.volunteer.user_id, pairing.mentee.user_id)


def may_connect(user: User, conversation: Conversation) -> bool:
    """Members while their pairing is current and the conversation not closed; the organisation's coordinators."""
    if not user.is_active:
        return False
    if user.role == Role.COORDINATOR:
        return user.organisation_id == conversation.organisation_id
    return (
        is_member(user, conversation)
        and conversation.pairing.status in LIVE_STATUSES
        and conversation.state in (ConversationState.OPEN, ConversationState.PAUSED)
    )


def access_record(*, conversation: Conversation, user: User, via: str) -> None:
    """Log a coordinator's look into a conversation they are not a member of."""
    if user.role == Role.COORDINATOR and not is_member(user, conversation):
        AccessRecord.objects.create(conversation=conversation, coordinator=user, via=via)
        record(Action.CONVERSATION_READ, organisation_id=conversation.organisation_id, actor=user,
               subject=conversation.pairing.mentee.user_id, target=conversation, detail={"via": via})


# Opening and closing, driven by pairing changes ------------------------------------------------------

def conversation_follow_pairing(*, pairing: Pairing, change: PairingChange) -> None:
    """Approval opens the conversation, suspension and ending close it to members, resuming reopens it."""
    if change == PairingChange.APPROVED:
        conversation, created = Conversation.objects.get_or_create(
            pairing=pairing, defaults={"organisation_id": pairing.organisation_id}
        )
        if created:
            Message.objects.create(conversation=conversation, kind=MessageKind.NOTICE, client_id="oversight-notice",
                                   body=OVERSIGHT_NOTICE, seq=1)  # the conversation's first message
        return
    conversation = Conversation.objects.filter(pairing=pairing).first()
    if conversation is None:
        return
    state = {
        PairingChange.ENDED: ConversationState.READ_ONLY,
        PairingChange.SUSPENDED: ConversationState.SUSPENDED,
        PairingChange.RESUMED: ConversationState.OPEN,
    }[change]
    Conversation.objects.filter(pk=conversation.pk).update(state=state)
    if change in (PairingChange.ENDED, PairingChange.SUSPENDED):
        members = [pairing.volunteer.user_id, pairing.mentee.user_id]
        send_after_commit(conversation_group(conversation.pk), {"type": "access.revoked", "user_ids": members})


def user_sockets_close(*, user: User) -> None:
    """Log-out, password change, deactivation and erasure close the user's sockets."""
    send_after_commit(user_group(user.pk), {"type": "access.revoked", "user_ids": [user.pk]})


def token_sockets_close(*, user: User, key: str) -> None:
    """A revoked API token closes the sockets opened with it; the user's other sockets stay."""
    send_after_commit(token_group(key), {"type": "access.revoked", "user_ids": [user.pk]})


@transaction.atomic
def conversation_pause(*, conversation: Conversation, by: User, paused: bool, reason: str = "") -> Conversation:
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if conversation.state not in (ConversationState.OPEN, ConversationState.PAUSED):
        raise ChatRefusal("read_only", _("This conversation is closed."))
    was_paused = conversation.state == ConversationState.PAUSED
    conversation.state = ConversationState.PAUSED if paused else ConversationState.OPEN
    conversation.paused_by, conversation.paused_at = (by, timezone.now()) if paused else (None, None)
    conversation.save(update_fields=["state", "paused_by", "paused_at"])
    if paused != was_paused:
        record(Action.CONVERSATION_PAUSED if paused else Action.CONVERSATION_RESUMED,
               organisation_id=conversation.organisation_id, actor=by, target=conversation, reason=reason)
    return conversation


# Messages ----------------------------------------------------------------------------------------------

def _rate_slot() -> int:
    return int(timezone.now().timestamp()) // settings.CHAT_RATE_LIMIT[1]


def _rate_refusals(senders: list[User], slot: int) -> list[bool]:
    """For each send of a batch, whether it goes over its sender's limit. On Redis the counters are
    incremented atomically, every sender of the batch in one round trip; other caches read and write."""
    limit, window = settings.CHAT_RATE_LIMIT
    added: dict[str, int] = {}
    for user in senders:
        key = f"chat-rate:{user.pk}:{slot}"
        added[key] = added.get(key, 0) + 1
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client(write=True)  # Django's cache API has no pipelined increment
        with client.pipeline(transaction=False) as pipe:
            for key, count in added.items():
                pipe.incrby(cache.make_and_validate_key(key), count)
                pipe.expire(cache.make_and_validate_key(key), window * 2)
            replies = pipe.execute()
        totals = {key: replies[2 * position] for position, key in enumerate(added)}
    else:
        counts = cache.get_many(list(added))
        totals = {key: counts.get(key, 0) + count for key, count in added.items()}
        cache.set_many(totals, window * 2)
    # the batch's sends of one sender are the last ones counted, in order
    seen: dict[str, int] = {}
    refused = []
    for user in senders:
        key = f"chat-rate:{user.pk}:{slot}"
        seen[key] = seen.get(key, 0) + 1
        refused.append(totals[key] - added[key] + seen[key] > limit)
    return refused


def _rate_refund(senders: list[User], slot: int) -> None:
    """Give back what sends that stored nothing new counted (storage failed, or a resend found its message):
    a client recovering from an outage resends, and must not be told it sends too fast. Best effort."""
    if not senders:
        return
    window = settings.CHAT_RATE_LIMIT[1]
    taken: dict[str, int] = {}
    for user in senders:
        key = f"chat-rate:{user.pk}:{slot}"
        taken[key] = taken.get(key, 0) + 1
    try:
        if isinstance(cache, RedisCache):
            client = cache._cache.get_client(write=True)
            with client.pipeline(transaction=False) as pipe:
                for key, count in taken.items():
                    pipe.decrby(cache.make_and_validate_key(key), count)
                pipe.execute()
        else:
            counts = cache.get_many(list(taken))
            cache.set_many({key: max(0, counts.get(key, 0) - count) for key, count in taken.items()}, window * 2)
    except (RedisError, OSError):
        pass


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


def _hold_reason(conversation: Conversation, sender: User, body: str) -> str:
    """Contact details in a minor's conversation wait for a coordinator (coordinators' own are trusted)."""
    if sender.role == Role.COORDINATOR or not conversation.pairing.mentee.is_minor:
        return ""
    findings = contact_details.find_contact_details(body)
    return contact_details.reason(findings) if findings else ""


@dataclass(frozen=True)
class Send:
    conversation: Conversation
    sender: User
    client_id: object
    body: object


def _insert(rows: list[tuple[int, Send, str]], created_at) -> dict[tuple, tuple[int, int]]:
    """Insert the rows whose conversation still takes messages from their sender (the state may have
    changed since the socket loaded it), skip the client ids already stored, and return
    {(conversation, sender, client id): (id, seq)} of what was inserted.

    Each conversation's messages are numbered (seq) after the last one stored, under the conversation's
    row lock, in the transaction that stores them: a transaction that stores in a conversation waits for
    the one before to commit, so ids and seqs of a conversation become visible in their order. The locks
    are taken in id order, so two batches never wait for each other in a circle. On SQLite, which has
    one writer at a time, the single INSERT statement is enough."""
    table, column = Message._meta.db_table, (lambda name: Message._meta.get_field(name).column)
    conversations = Conversation._meta.db_table
    message_conversation, message_sender = column("conversation"), column("sender")
    message_client_id, message_seq = column("client_id"), column("seq")
    values = ", ".join(["(CAST(%s AS bigint), CAST(%s AS bigint), CAST(%s AS bigint), CAST(%s AS text), "
                        "CAST(%s AS text), CAST(%s AS text), CAST(%s AS text), CAST(%s AS integer))"] * len(rows))
    params: list = []
    for order, (_index, send, held) in enumerate(rows):
        params += [order, send.conversation.pk, send.sender.pk, send.client_id, send.body,
                   MessageStatus.HELD if held else MessageStatus.VISIBLE, held,
                   int(send.sender.role == Role.COORDINATOR)]
    sql = (
        f"WITH incoming (ord, conversation_id, sender_id, client_id, body, status, held_reason, coordinator) "
        f"AS (VALUES {values}), "
        f"accepted AS (SELECT incoming.*, ROW_NUMBER() OVER (PARTITION BY incoming.conversation_id "
        f"ORDER BY incoming.ord) AS n "
        f'FROM incoming JOIN "{conversations}" c ON c."id" = incoming.conversation_id '
        f"WHERE (c.\"state\" = %s OR (c.\"state\" = %s AND incoming.coordinator = 1)) "
        f'AND NOT EXISTS (SELECT 1 FROM "{table}" stored WHERE stored."{message_conversation}" = '
        f'incoming.conversation_id AND stored."{message_sender}" = incoming.sender_id '
        f'AND stored."{message_client_id}" = incoming.client_id)) '
        f'INSERT INTO "{table}" ("{message_conversation}", "{message_sender}", "{message_client_id}", '
        f'"{column("kind")}", "{column("body")}", "{column("status")}", "{column("held_reason")}", '
        f'"{column("created_at")}", "{message_seq}") '
        f"SELECT accepted.conversation_id, accepted.sender_id, accepted.client_id, %s, accepted.body, "
        f"accepted.status, accepted.held_reason, %s, accepted.n + COALESCE((SELECT MAX(last.\"{message_seq}\") "
        f'FROM "{table}" last WHERE last."{message_conversation}" = accepted.conversation_id), 0) '
        f"FROM accepted WHERE 1 = 1 ORDER BY accepted.ord "
        f'ON CONFLICT ("{message_conversation}", "{message_sender}", "{message_client_id}") '
        f'WHERE NOT ("{column("status")}" = \'{MessageStatus.RELEASED.value}\') DO NOTHING '
        f'RETURNING "id", "{message_conversation}", "{message_sender}", "{message_client_id}", "{message_seq}"'
    )
    params += [ConversationState.OPEN, ConversationState.PAUSED, MessageKind.USER,
               connection.ops.adapt_datetimefield_value(created_at)]
    with transaction.atomic():
        if connection.features.has_select_for_update:
            list(Conversation.objects.filter(pk__in={send.conversation.pk for _i, send, _h in rows})
                 .order_by("pk").select_for_update(no_key=connection.features.has_select_for_no_key_update)
                 .values_list("pk", flat=True))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {(conversation, sender, client_id): (pk, seq)
                    for pk, conversation, sender, client_id, seq in cursor.fetchall()}


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
    first: dict[tuple, int] = {}  # the first send of each (conversation, sender, client id) of the batch
    for index, send in enumerate(sends):
        try:
            validate_message(send.client_id, send.body)
        except ChatRefusal as refusal:
            results[index] = refusal
            continue
        first.setdefault((send.conversation.pk, send.sender.pk, send.client_id), index)
    if not first:
        return results
    unavailable = ChatRefusal("unavailable", _("The message could not be stored. Nothing was sent; try again."))
    slot = _rate_slot()
    try:
        refusals = _rate_refusals([sends[i].sender for i in first.values()], slot)
    except (RedisError, OSError):  # the rate counters live in Redis: while it is away nothing is stored
        return [unavailable if result is None else result for result in results]
    over_limit = dict(zip(first.values(), refusals, strict=True))
    rows = [(i, sends[i], _hold_reason(sends[i].conversation, sends[i].sender, sends[i].body))
            for i in first.values() if not over_limit[i]]
    created_at = timezone.now()
    try:
        inserted = _insert(rows, created_at) if rows else {}
    except IntegrityError:
        if len(sends) == 1:  # the conversation or the sender is gone
            return [ChatRefusal("read_only", _("This conversation is closed."))]
        _rate_refund([send.sender for _index, send, _held in rows], slot)  # each is counted again below
        return [messages_store([send])[0] for send in sends]
    except DatabaseError:
        _rate_refund([send.sender for _index, send, _held in rows], slot)
        raise
    stored: dict[tuple, Message] = {}
    if len(inserted) < len(first):
        # not inserted: resent client ids (found here), senders over their limit, conversations closed meanwhile
        missing = [key for key in first if key not in inserted]
        try:
            stored = {
                (m.conversation_id, m.sender_id, m.client_id): m
                # a released held message's client id now names the message that shows it
                for m in Message.objects.filter(conversation_id__in={k[0] for k in missing},
                                                client_id__in={k[2] for k in missing})
                .exclude(status=MessageStatus.RELEASED).select_related("sender")
            }
        except DatabaseError:  # what was inserted is committed and acknowledged; the others may try again
            unavailable = ChatRefusal("unavailable", _("The message could not be stored. Nothing was sent; try again."))
            for index, send in enumerate(sends):
                if results[index] is None and (send.conversation.pk, send.sender.pk, send.client_id) not in inserted:
                    results[index] = unavailable
        _rate_refund([send.sender for _index, send, _held in rows
                      if (send.conversation.pk, send.sender.pk, send.client_id) not in inserted], slot)
    held_reasons = {index: held for index, _send, held in rows}
    for key, index in first.items():
        if key in inserted:
            send, held = sends[index], held_reasons[index]
            stored[key] = Message(pk=inserted[key][0], seq=inserted[key][1], conversation=send.conversation,
                                  sender=send.sender, client_id=send.client_id, kind=MessageKind.USER, body=send.body,
                                  status=MessageStatus.HELD if held else MessageStatus.VISIBLE, held_reason=held,
                                  created_at=created_at)
    for index, send in enumerate(sends):
        if results[index] is not None:
            continue
        key = (send.conversation.pk, send.sender.pk, send.client_id)
        if key in stored:  # a second send of a client id in one batch gets the same message, not created again
            results[index] = Posted(stored[key], created=key in inserted and first[key] == index)
        elif over_limit[first[key]]:
            results[index] = ChatRefusal("rate_limited", _("You are sending messages too fast. Wait a few seconds."))
        else:
            results[index] = ChatRefusal("read_only", _("This conversation is read-only now."))
    _log_holds([r.message for r in results if isinstance(r, Posted) and r.created
                and r.message.status == MessageStatus.HELD])
    return results


def _log_holds(messages: list[Message]) -> None:
    if messages:
        record_many({"action": Action.MESSAGE_HELD, "organisation_id": m.conversation.organisation_id,
                     "subject": m.sender_id, "target": m, "reason": m.held_reason,
                     "detail": {"conversation": m.conversation_id}} for m in messages)


def message_event(message: Message) -> dict:
    """The channel-layer event that announces a visible message. `seq` lets each socket pass its messages
    on in their order and notice one it missed."""
    return {"type": "chat.message", "message": message_payload(message), "seq": message.seq}


def broadcast_event(posted: Posted) -> tuple[str, dict] | None:
    """The (group, event) that announces a stored visible message; None for held ones. A resent client id
    announces its message again: the first announcement may never have happened (the process that stored
    it died before publishing), and sockets skip what they already passed on."""
    message = posted.message
    if message.status != MessageStatus.VISIBLE:
        return None
    return conversation_group(message.conversation_id), message_event(message)


def message_post(*, conversation: Conversation, sender: User, client_id, body) -> Posted:
    """Store one message (REST) and broadcast it after commit; raises ChatRefusal if refused."""
    (result,) = messages_store([Send(conversation, sender, client_id, body)])
    if isinstance(result, ChatRefusal):
        raise result.on_field("body")
    event = broadcast_event(result)
    if event is not None:
        send_after_commit(*event)
    return result


@transaction.atomic
def message_withdraw(*, message: Message, by: User) -> Message:
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.sender_id != by.pk:
        raise ChatRefusal("forbidden", _("Only the sender can withdraw a message."))
    if message.status not in (MessageStatus.VISIBLE, MessageStatus.HELD):
        raise ChatRefusal("bad_state", _("This message cannot be withdrawn."))
    was_visible = message.status == MessageStatus.VISIBLE
    # The text stays: a reported message is evidence, whatever its sender does later.
    message.status, message.withdrawn_at = MessageStatus.WITHDRAWN, timezone.now()
    message.save(update_fields=["status", "withdrawn_at"])
    if was_visible:
        send_after_commit(conversation_group(message.conversation_id), {"type": "chat.withdrawn", "id": message.pk})
    return message


@transaction.atomic
def message_review(*, message: Message, by: User, release: bool) -> Message:
    """A coordinator releases a held message to the conversation, or rejects it. Returns the message the
    conversation shows (released) or the rejected one.

    A release shows the held message as a new message, numbered after every message stored before (under
    the conversation's row lock, as every send is): its id keeps the promise that once a member has seen an
    id, every message with a smaller id is stored and visible, so a member who synced past the held one
    gets it through `sync` too. The new message has the held one's sender, client id (a resend is answered
    with it) and text; the held row stays as written, RELEASED, for the safeguarding record."""
    if connection.features.has_select_for_update:  # the lock every send of the conversation takes first
        list(Conversation.objects.filter(pk=message.conversation_id).select_for_update(
            no_key=connection.features.has_select_for_no_key_update).values_list("pk", flat=True))
    message = Message.objects.select_for_update(of=("self",)).select_related("sender", "conversation").get(
        pk=message.pk)
    if message.status != MessageStatus.HELD:
        raise ChatRefusal("bad_state", _("Only a held message can be released or rejected."))
    message.status = MessageStatus.RELEASED if release else MessageStatus.REJECTED
    message.reviewed_by, message.reviewed_at = by, timezone.now()
    message.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    shown = None
    if release:
        last = Message.objects.filter(conversation_id=message.conversation_id).aggregate(last=models.Max("seq"))
        shown = Message.objects.create(
            conversation=message.conversation, sender=message.sender, client_id=message.client_id,
            kind=message.kind, body=message.body, status=MessageStatus.VISIBLE, seq=(last["last"] or 0) + 1,
            released_from=message)
    record(Action.MESSAGE_RELEASED if release else Action.MESSAGE_REJECTED,
           organisation_id=message.conversation.organisation_id, actor=by, subject=message.sender_id,
           target=message, detail={"conversation": message.conversation_id,
                                   **({"shown_as": shown.pk} if shown else {})})
    if shown is not None:
        send_after_commit(conversation_group(message.conversation_id), message_event(shown))
        return shown
    return message


def may_see_message(user: User, message: Message) -> bool:
    """Coordinators see every message of their organisation's conversations; members see visible ones and
    their own held ones. A held body reaches no one else, by any route."""
    if user.role == Role.COORDINATOR:
        return True
    if message.status == MessageStatus.VISIBLE:
        return True
    return message.status == MessageStatus.HELD and message.sender_id == user.pk


@transaction.atomic
def message_report(*, message: Message, reporter: User, reason) -> Report:
    if not may_see_message(reporter, message):
        # the same answer as for a message that does not exist: a member learns nothing of held ones
        raise ChatRefusal("bad_frame", _("No such message in this conversation."))
    if not isinstance(reason, str) or not 1 <= len(reason.strip()) <= 500:
        raise ChatRefusal("bad_frame", _("reason must be 1 to 500 characters."), field="reason")
    report = Report.objects.create(message=message, reporter=reporter, reason=reason.strip())
    record(Action.REPORT_FILED, organisation_id=message.conversation.organisation_id, actor=reporter,
           subject=message.sender_id, target=report, reason=report.reason,
           detail={"message": message.pk, "conversation": message.conversation_id})
    return report


@transaction.atomic
def report_resolve(*, report: Report, by: User, resolution: str) -> Report:
    report = Report.objects.select_for_update(of=("self",)).select_related("message__conversation").get(pk=report.pk)
    if report.status == ReportStatus.RESOLVED:
        raise ChatRefusal("bad_state", _("This report is already closed."))
    report.status, report.resolved_by, report.resolved_at = ReportStatus.RESOLVED, by, timezone.now()
    report.resolution = resolution
    report.save(update_fields=["status", "resolved_by", "resolved_at", "resolution"])
    record(Action.REPORT_CLOSED, organisation_id=report.message.conversation.organisation_id, actor=by,
           subject=report.message.sender_id, target=report, reason=resolution,
           detail={"message": report.message_id})
    return report


def read_mark(*, conversation: Conversation, user: User, up_to) -> int:
    if isinstance(up_to, bool) or not isinstance(up_to, int) or up_to < 0:
        raise ChatRefusal("bad_frame", _("up_to must be a message id."))
    mark, _created = ReadMark.objects.get_or_create(conversation=conversation, user=user)
    if up_to > mark.up_to:  # read marks only move forward
        ReadMark.objects.filter(pk=mark.pk, up_to__lt=up_to).update(up_to=up_to, updated_at=timezone.now())
        send_after_commit(conversation_group(conversation.pk),
                          {"type": "chat.read", "user_id": user.pk, "up_to": up_to})
    return max(up_to, mark.up_to)


# Erasure --------------------------------------------------------------------------------------------------

def conversations_under_safeguarding(conversations):
    """Those with an open report or a message waiting for a coordinator: their messages are evidence."""
    return conversations.filter(
        models.Q(messages__reports__status=ReportStatus.OPEN) | models.Q(messages__status=MessageStatus.HELD)
    ).distinct()


@transaction.atomic
def chat_erase(user: User) -> None:
    """Erasure: the person's own messages go, except what safeguarding keeps (every message of a
    conversation under safeguarding, and any reported message) until SAFEGUARDING_RETENTION_DAYS after the
    erasure. The other person's messages always stay theirs; reports stay."""
    kept = conversations_under_safeguarding(Conversation.objects.all()).values("pk")
    (Message.objects.filter(sender=user).exclude(conversation__in=kept).exclude(reports__isnull=False).delete())
    ReadMark.objects.filter(user=user).delete()


def retained_evidence_purge(*, now=None) -> int:
    """Delete what erasure kept for safeguarding once its retention period is over. Returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.SAFEGUARDING_RETENTION_DAYS)
    deleted, _by_model = Message.objects.filter(sender__erased_at__lt=cutoff).delete()
    return deleted
