"""Conversations of approved pairings, their messages, read marks, reports and coordinators' access log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Role
from scheduling.models import Pairing


class ConversationState(models.TextChoices):
    OPEN = "open", _("Open")
    PAUSED = "paused", _("Paused by a coordinator")
    SUSPENDED = "suspended", _("Suspended (pairing suspended)")
    READ_ONLY = "read_only", _("Read-only (pairing ended)")


class ConversationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ConversationQuerySet":
        """Members see their own conversations; coordinators see every one of their organisation."""
        if not user.is_authenticated:
            return self.none()
        if user.role == Role.COORDINATOR:
            return self.filter(organisation_id=user.organisation_id)
        if user.role in (Role.VOLUNTEER, Role.MENTEE):
            return self.filter(Q(pairing__volunteer__user_id=user.pk) | Q(pairing__mentee__user_id=user.pk))
        return self.none()


class Conversation(models.Model):
    """One per approved pairing; every coordinator of the organisation can read it, and members are told."""

    pairing = models.OneToOneField(Pairing, on_delete=models.CASCADE, related_name="conversation")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="conversations")
    state = models.CharField(max_length=10, choices=ConversationState.choices, default=ConversationState.OPEN)
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    paused_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        # A coordinator's list: the organisation's conversations, newest first, read in index order.
        indexes = [
            models.Index(
                "organisation", models.F("created_at").desc(), models.F("id").desc(), name="conversation_org_newest"
            )
        ]

    def __str__(self) -> str:
        return f"conversation #{self.pk}"


class MessageStatus(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    HELD = "held", _("Held for a coordinator")
    REJECTED = "rejected", _("Rejected by a coordinator")
    WITHDRAWN = "withdrawn", _("Withdrawn by the sender")
    # Released by a coordinator: the held row stays as it was written (evidence), and the conversation
    # shows it as a new message (`released_as`), whose id and seq come after every message stored before.
    RELEASED = "released", _("Released by a coordinator (shown as a later message)")


class MessageKind(models.TextChoices):
    USER = "user", _("Written by a person")
    NOTICE = "notice", _("Notice from the platform")


class Message(models.Model):
    """Never edited in place. Withdrawn messages keep their text as evidence for coordinators."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    client_id = models.CharField(max_length=64)
    # The message's place in its conversation: 1, 2, 3... without gaps, taken under the conversation's row
    # lock in the transaction that stores it, so the order of `seq` (and of `id`, taken in the same
    # transaction) is the order in which the conversation's messages were committed. Sockets use it to
    # notice a message they did not hear of live.
    seq = models.BigIntegerField()
    kind = models.CharField(max_length=10, choices=MessageKind.choices, default=MessageKind.USER)
    body = models.TextField(max_length=4000)
    status = models.CharField(max_length=10, choices=MessageStatus.choices, default=MessageStatus.VISIBLE)
    held_reason = models.CharField(max_length=200, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # The held message this one shows, released by a coordinator (same sender, client id and body).
    released_from = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="released_as"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            # A resend after a reconnect finds the stored message instead of storing it twice. A released held
            # message gives its client id to the message that shows it.
            models.UniqueConstraint(
                fields=["conversation", "sender", "client_id"],
                name="one_message_per_client_id",
                condition=~Q(status="released"),
            ),
            models.UniqueConstraint(fields=["conversation", "seq"], name="one_message_per_seq"),
        ]
        indexes = [models.Index(fields=["conversation", "status", "id"])]

    def __str__(self) -> str:
        return f"message #{self.pk} ({self.status})"


class ReadMark(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="read_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    up_to = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="one_read_mark_per_user")]

    def __str__(self) -> str:
        return f"read up to {self.up_to}"


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class Report(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"report #{self.pk} ({self.status})"


class AccessRecord(models.Model):
    """A coordinator who is not a member opened a conversation: who, when, how."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="access_records")
    coordinator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    via = models.CharField(max_length=10, choices=[("socket", "WebSocket"), ("api", "API")])
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"access to #{self.conversation_id} at {self.opened_at:%Y-%m-%d %H:%M}"
