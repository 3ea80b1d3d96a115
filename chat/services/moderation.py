"""Safeguarding in a conversation: holding contact details for a coordinator, releasing or rejecting
them, withdrawing, reporting, and pausing."""

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from chat import contact_details
from chat.events import conversation_group, send_after_commit
from chat.models import Conversation, ConversationState, Message, MessageStatus, Report, ReportStatus
from chat.services.access import may_see_message
from chat.services.payloads import message_event
from chat.services.refusals import ChatRefusal
from safeguarding.models import Action
from safeguarding.services import record, record_many


def hold_reason(conversation: Conversation, sender: User, body: str) -> str:
    """Contact details in a minor's conversation wait for a coordinator (coordinators' own are trusted)."""
    if sender.role == Role.COORDINATOR or not conversation.pairing.mentee.is_minor:
        return ""
    findings = contact_details.find_contact_details(body)
    return contact_details.reason(findings) if findings else ""


def holds_log(messages: list[Message]) -> None:
    """The safeguarding record of messages just held."""
    if messages:
        record_many(
            {
                "action": Action.MESSAGE_HELD,
                "organisation_id": m.conversation.organisation_id,
                "subject": m.sender_id,
                "target": m,
                "reason": m.held_reason,
                "detail": {"conversation": m.conversation_id},
            }
            for m in messages
        )


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
        record(
            Action.CONVERSATION_PAUSED if paused else Action.CONVERSATION_RESUMED,
            organisation_id=conversation.organisation_id,
            actor=by,
            target=conversation,
            reason=reason,
        )
    return conversation


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
        list(
            Conversation.objects.filter(pk=message.conversation_id)
            .select_for_update(no_key=connection.features.has_select_for_no_key_update)
            .values_list("pk", flat=True)
        )
    message = (
        Message.objects.select_for_update(of=("self",)).select_related("sender", "conversation").get(pk=message.pk)
    )
    if message.status != MessageStatus.HELD:
        raise ChatRefusal("bad_state", _("Only a held message can be released or rejected."))
    message.status = MessageStatus.RELEASED if release else MessageStatus.REJECTED
    message.reviewed_by, message.reviewed_at = by, timezone.now()
    message.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    shown = None
    if release:
        last = Message.objects.filter(conversation_id=message.conversation_id).aggregate(last=models.Max("seq"))
        shown = Message.objects.create(
            conversation=message.conversation,
            sender=message.sender,
            client_id=message.client_id,
            kind=message.kind,
            body=message.body,
            status=MessageStatus.VISIBLE,
            seq=(last["last"] or 0) + 1,
            released_from=message,
        )
    record(
        Action.MESSAGE_RELEASED if release else Action.MESSAGE_REJECTED,
        organisation_id=message.conversation.organisation_id,
        actor=by,
        subject=message.sender_id,
        target=message,
        detail={"conversation": message.conversation_id, **({"shown_as": shown.pk} if shown else {})},
    )
    if shown is not None:
        send_after_commit(conversation_group(message.conversation_id), message_event(shown))
        return shown
    return message


@transaction.atomic
def message_report(*, message: Message, reporter: User, reason) -> Report:
    if not may_see_message(reporter, message):
        # the same answer as for a message that does not exist: a member learns nothing of held ones
        raise ChatRefusal("bad_frame", _("No such message in this conversation."))
    if not isinstance(reason, str) or not 1 <= len(reason.strip()) <= 500:
        raise ChatRefusal("bad_frame", _("reason must be 1 to 500 characters."), field="reason")
    report = Report.objects.create(message=message, reporter=reporter, reason=reason.strip())
    record(
        Action.REPORT_FILED,
        organisation_id=message.conversation.organisation_id,
        actor=reporter,
        subject=message.sender_id,
        target=report,
        reason=report.reason,
        detail={"message": message.pk, "conversation": message.conversation_id},
    )
    return report


@transaction.atomic
def report_resolve(*, report: Report, by: User, resolution: str) -> Report:
    report = Report.objects.select_for_update(of=("self",)).select_related("message__conversation").get(pk=report.pk)
    if report.status == ReportStatus.RESOLVED:
        raise ChatRefusal("bad_state", _("This report is already closed."))
    report.status, report.resolved_by, report.resolved_at = ReportStatus.RESOLVED, by, timezone.now()
    report.resolution = resolution
    report.save(update_fields=["status", "resolved_by", "resolved_at", "resolution"])
    record(
        Action.REPORT_CLOSED,
        organisation_id=report.message.conversation.organisation_id,
        actor=by,
        subject=report.message.sender_id,
        target=report,
        reason=resolution,
        detail={"message": report.message_id},
    )
    return report
